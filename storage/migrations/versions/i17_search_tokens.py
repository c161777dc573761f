"""search tokens: both stores index the same stemmed, folded tokens

Revision ID: i17_search_tokens
Revises: i14_media
Create Date: 2026-12-06

Until now FTS5 indexed the raw text (folded, never stemmed) and PostgreSQL a generated
tsvector stemmed by its own German/French/English/Italian configurations, so a query
matched different articles on each store. From here on wire computes an article's search
tokens in Python (``wire.storage.search.tokens``: case- and accent-folded, Snowball-stemmed
per the article's language) and both stores index exactly those:

- SQLite: the headline, lead and body columns of ``articles_search`` hold the tokens.
- PostgreSQL: ``articles.search_vector`` becomes a plain ``tsvector`` column (no longer
  generated) that the writer fills with a ``simple`` vector of the tokens; GIN-indexed.

Existing articles are re-tokenised here, in batches.
"""

import json
from collections.abc import Callable, Iterator
from importlib import util
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import op

from wire.storage.search.tokens import search_document

revision = "i17_search_tokens"
down_revision = "i14_media"
branch_labels = None
depends_on = None

BATCH = 2000
ARTICLE_TEXT = (
    "SELECT {key} AS k, a.kicker, a.headline, a.lead, a.key_points, a.body_text, a.language "
    "FROM articles a{join} WHERE {key} > :after ORDER BY {key} LIMIT :n"
)


def _batches(conn: Any) -> Iterator[list[Any]]:
    """Every article's text, in key order, a batch at a time."""
    if conn.dialect.name == "sqlite":
        sql = ARTICLE_TEXT.format(key="k.key", join=" JOIN article_keys k ON k.article_id = a.id")
    else:
        sql = ARTICLE_TEXT.format(key="a.id", join="")
    after: Any = 0 if conn.dialect.name == "sqlite" else ""
    while True:
        rows = conn.execute(sa.text(sql), {"after": after, "n": BATCH}).all()
        if not rows:
            return
        yield rows
        after = rows[-1].k


def _points(value: Any) -> list[str]:
    if isinstance(value, str):
        value = json.loads(value)  # SQLite hands JSON columns back as text here
    return [str(p) for p in value or []]


def _retokenise(conn: Any, statement: str, values: Callable[[Any], dict[str, Any]]) -> None:
    for rows in _batches(conn):
        conn.execute(sa.text(statement), [values(row) for row in rows])


def _document(row: Any) -> Any:
    return search_document(
        kicker=row.kicker,
        headline=row.headline,
        lead=row.lead,
        key_points=_points(row.key_points),
        body=row.body_text,
        language=row.language,
    )


def _tokens(row: Any) -> dict[str, Any]:
    head, lead, body = _document(row).fts5_columns()
    return {"k": row.k, "h": head, "l": lead, "b": body}


def _vector(row: Any) -> dict[str, Any]:
    return {"k": row.k, "v": _document(row).tsvector()}


def _raw_text(row: Any) -> dict[str, Any]:
    return {
        "k": row.k,
        "h": " ".join(filter(None, [row.kicker, row.headline])),
        "l": " ".join(filter(None, [row.lead, *_points(row.key_points)])),
        "b": row.body_text,
    }


FTS_UPDATE = "UPDATE articles_search SET headline = :h, lead = :l, body = :b WHERE rowid = :k"


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        _retokenise(conn, FTS_UPDATE, _tokens)
        return
    op.execute("DROP INDEX IF EXISTS ix_articles_search")
    op.execute("ALTER TABLE articles DROP COLUMN IF EXISTS search_vector")
    op.execute("ALTER TABLE articles ADD COLUMN search_vector tsvector")
    _retokenise(
        conn, "UPDATE articles SET search_vector = CAST(:v AS tsvector) WHERE id = :k", _vector
    )
    op.execute("CREATE INDEX ix_articles_search ON articles USING GIN (search_vector)")


def _initial_schema() -> Any:
    """Migration 0001, whose generated tsvector the downgrade restores."""
    path = Path(__file__).with_name("0001_initial_schema.py")
    spec = util.spec_from_file_location("wire_migration_0001", path)
    assert spec is not None and spec.loader is not None
    module = util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        _retokenise(conn, FTS_UPDATE, _raw_text)
        return
    op.execute("DROP INDEX IF EXISTS ix_articles_search")
    op.execute("ALTER TABLE articles DROP COLUMN IF EXISTS search_vector")
    op.execute(_initial_schema().PG_TSVECTOR)
    op.execute("CREATE INDEX ix_articles_search ON articles USING GIN (search_vector)")
