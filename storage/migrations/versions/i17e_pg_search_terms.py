"""PostgreSQL's list of search tokens: a prefix search asks for whole tokens

Revision ID: i17e_pg_search_terms
Revises: i17d_pg_search_days
Create Date: 2026-12-06

A prefix (``'frei':*``) made GIN unite the postings of every lexeme starting with it, over
all time, before it could intersect them with the days of a probe (``wire_time_buckets``,
migration i17d): ~50 ms a probe at a million articles when one such lexeme ("freitag") is
in a fifth of the stories, where a whole lexeme costs ~1.6 ms. ``search_terms`` lists every
text token of ``search_vector`` (a row per token, ``COLLATE "C"``: a btree range scan finds
those starting with a prefix in the order a tsvector compares lexemes), and the query spells
out a prefix with few enough tokens as their OR (``wire.storage.search.terms``). The writer
adds the tokens it writes in the same transaction. The index is not unique: a unique one
would make a writer wait for another's uncommitted insert of the same new word (two writers
at once may both list it; the lookup reads distinct terms). Backfilled here from the
stored vectors: their lexemes of weights A to C (headline, lead, body); the filter tags
(positionless, migration i17t) are no text. The index is built after the backfill. SQLite
is unchanged: FTS5 has its own prefix index.
"""

from alembic import op

revision = "i17e_pg_search_terms"
down_revision = "i17d_pg_search_days"
branch_labels = None
depends_on = None

# ts_stat with weights counts only the lexemes' occurrences of those weights: a lexeme seen
# with none of them (a filter tag) is not listed.
BACKFILL = """
INSERT INTO search_terms (term)
SELECT word FROM ts_stat('SELECT search_vector FROM articles WHERE search_vector IS NOT NULL',
                         'ABC')
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    # A list made by hand with this SQL (the 1M bench store, session 10) is made again.
    op.execute("DROP TABLE IF EXISTS search_terms")
    op.execute('CREATE TABLE search_terms (term text COLLATE "C" NOT NULL)')
    op.execute("SET LOCAL work_mem = '256MB'")
    op.execute(BACKFILL)
    op.execute("CREATE INDEX ix_search_terms ON search_terms (term)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TABLE IF EXISTS search_terms")
