"""Rights: embargo time, usage terms and copyright notice; held changes; purged articles

Revision ID: i16_rights
Revises: i22_dead_letter_replay
Create Date: 2026-12-06

``articles.embargoed`` is what every read path compares with the clock; ``held_changes`` keeps
an embargoed story's change until its time; ``purged_articles`` remembers what retention
removed (wire.storage.embargo, wire.storage.retention).
"""

import sqlalchemy as sa
from alembic import op

revision = "i16_rights"
down_revision = "i22_dead_letter_replay"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (no batch copy): the SQLite search triggers on articles stay in place.
    op.add_column("articles", sa.Column("embargoed", sa.DateTime(timezone=True), nullable=True))
    op.add_column("articles", sa.Column("usage_terms", sa.Text(), nullable=True))
    op.add_column("articles", sa.Column("copyright_notice", sa.Text(), nullable=True))
    op.create_index("ix_articles_embargoed", "articles", ["embargoed"])
    op.add_column(
        "articles", sa.Column("text_purged_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column("images", sa.Column("usage_terms", sa.Text(), nullable=True))
    op.add_column("images", sa.Column("copyright_notice", sa.Text(), nullable=True))
    op.create_table(
        "held_changes",
        sa.Column("article_id", sa.String(64), primary_key=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("pubstatus", sa.String(20), nullable=False),
        sa.Column("source", sa.String(100), nullable=True),
        sa.Column("visible_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_held_changes_visible_at", "held_changes", ["visible_at"])
    op.create_table(
        "purged_articles",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("feed", sa.String(200), nullable=False),
        sa.Column("source", sa.String(100), nullable=True),
        sa.Column("purged_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_purged_articles_purged_at", "purged_articles", ["purged_at"])


def downgrade() -> None:
    op.drop_table("purged_articles")
    op.drop_table("held_changes")
    with op.batch_alter_table("images", schema=None) as batch_op:
        batch_op.drop_column("copyright_notice")
        batch_op.drop_column("usage_terms")
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_index("ix_articles_embargoed")
        batch_op.drop_column("text_purged_at")
        batch_op.drop_column("copyright_notice")
        batch_op.drop_column("usage_terms")
        batch_op.drop_column("embargoed")
