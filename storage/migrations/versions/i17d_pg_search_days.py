"""the day of versioncreated in PostgreSQL's search index: a recent-window probe is a GIN
intersection

Revision ID: i17d_pg_search_days
Revises: i17t_pg_filter_tags
Create Date: 2026-12-06

Relevance on a large store ranks the newest matches only (``storage/search/pgwindow.py``),
found by probing recent time ranges. The probe ANDed the words' GIN bitmap with a bitmap of
the time index, and the words' bitmap is every match over all time: 160,000 rows for a word
found in one story in six at a million articles, built on each query. Here the GIN index gets
a second column, ``wire_time_buckets(versioncreated)``: the day number (days since 1970,
UTC) and the number of its 32-day block (as ``-1 - day / 32``, so the two never collide).
A probe asks for the days and blocks of its range, and GIN intersects them with the words
inside the index, skipping through the words' posting lists: it visits only the matches in
the range. The index keeps its name and still serves every search on ``search_vector`` alone;
PostgreSQL keeps the column in step itself, so the writer is unchanged. The function has to
be IMMUTABLE for an index: the epoch of a ``timestamptz`` does not depend on the session's
time zone. SQLite is unchanged (FTS5 walks its doclists newest first by key).
"""

from alembic import op

revision = "i17d_pg_search_days"
down_revision = "i17t_pg_filter_tags"
branch_labels = None
depends_on = None

BUCKETS_FUNCTION = """
CREATE OR REPLACE FUNCTION wire_time_buckets(at timestamptz)
RETURNS int[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT ARRAY[d, -1 - floor(d / 32.0)::int]
  FROM (SELECT floor(extract(epoch FROM at) / 86400)::int AS d) AS day
$$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(BUCKETS_FUNCTION)
    op.execute("SET LOCAL maintenance_work_mem = '256MB'")
    op.execute("DROP INDEX IF EXISTS ix_articles_search")
    op.execute(
        "CREATE INDEX ix_articles_search ON articles "
        "USING GIN (search_vector, wire_time_buckets(versioncreated))"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_articles_search")
    op.execute("CREATE INDEX ix_articles_search ON articles USING GIN (search_vector)")
    op.execute("DROP FUNCTION IF EXISTS wire_time_buckets(timestamptz)")
