"""articles (urgency, versioncreated, id): the desk's urgency filter walks its few flashes

Revision ID: i19_desk_urgency
Revises: i17_rank_vector
Create Date: 2026-12-06

The desk narrows its list to flashes (urgency 1) or flashes and urgents (1, 2) in SQL. Those
are a small share of a wire's copy and may be old, so newest-first over the time index would
read most of the store to fill a page; with this index each urgency value is walked newest
first (bench/desk/urgency.py).
"""

from alembic import op

revision = "i19_desk_urgency"
down_revision = "i17_rank_vector"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_articles_urgency_versioncreated", "articles", ["urgency", "versioncreated", "id"]
    )


def downgrade() -> None:
    op.drop_index("ix_articles_urgency_versioncreated", table_name="articles")
