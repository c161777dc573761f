"""clusters explained and corrected; sightings keep their item

Revision ID: i21_cluster_explain
Revises: i16_rights
Create Date: 2026-12-06

- ``cluster_members.reason``: why a member joined (rule, similarity, containment, shared
  numbers and names), shown by ``wire clusters --explain`` and ``GET /clusters/{id}?explain=1``.
- ``cluster_corrections``: editors' splits and merges, replayed by ``wire dedup rebuild``.
- ``sightings.record``: the sighted item, so that when a later version of its guid differs it
  becomes an article whose version 1 is the sighted text.
"""

import sqlalchemy as sa
from alembic import op

revision = "i21_cluster_explain"
down_revision = "i16_rights"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cluster_members", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reason", sa.JSON(), nullable=True))
    with op.batch_alter_table("sightings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("record", sa.JSON(), nullable=True))
    op.create_table(
        "cluster_corrections",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("article_id", sa.String(64), nullable=True),
        sa.Column("cluster_id", sa.String(64), nullable=False),
        sa.Column("into_cluster_id", sa.String(64), nullable=True),
        sa.Column("editor", sa.String(100), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_cluster_corrections_article_id", "cluster_corrections", ["article_id"])
    op.create_index("ix_cluster_corrections_cluster_id", "cluster_corrections", ["cluster_id"])
    op.create_index(
        "ix_cluster_corrections_into_cluster_id", "cluster_corrections", ["into_cluster_id"]
    )


def downgrade() -> None:
    op.drop_table("cluster_corrections")
    with op.batch_alter_table("sightings", schema=None) as batch_op:
        batch_op.drop_column("record")
    with op.batch_alter_table("cluster_members", schema=None) as batch_op:
        batch_op.drop_column("reason")
