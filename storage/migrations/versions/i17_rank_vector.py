"""articles.rank_vector on PostgreSQL: ranking reads a small inline vector, not the TOASTed one

Revision ID: i17_rank_vector
Revises: i18_freshness
Create Date: 2026-12-06

``ts_rank`` over ``search_vector`` detoasts every match's whole vector (a body's tokens with
positions, ~1.3 kB compressed, stored out of line): at a million articles a surname's
~12,000 matches cost ~25,000 TOAST page reads, and the rank, not the match, was the query.
``rank_vector`` is the headline (weight A) and lead (B) part of it, ~300 bytes, kept inline
and maintained by PostgreSQL itself (a stored generated column over ``ts_filter``), so the
writer is unchanged. Matching still uses ``search_vector`` and its GIN index; only the
order among matches reads ``rank_vector``. SQLite is unchanged (FTS5 ranks from its index).
"""

from alembic import op

revision = "i17_rank_vector"
down_revision = "i18_freshness"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "ALTER TABLE articles ADD COLUMN IF NOT EXISTS rank_vector tsvector "
        "GENERATED ALWAYS AS (ts_filter(search_vector, '{a,b}')) STORED"
    )
    op.execute("ALTER TABLE articles ALTER COLUMN rank_vector SET STORAGE MAIN")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE articles DROP COLUMN IF EXISTS rank_vector")
