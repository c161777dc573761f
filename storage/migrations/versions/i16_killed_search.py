"""killed stories leave the search index: their tombstone's headline is all a search matches

Revision ID: i16_killed_search
Revises: i20w_parallel_feed
Create Date: 2026-12-06

From here on the writer indexes a killed story (pubstatus ``canceled``) with its headline's
tokens only (``wire.storage.search.tokens.tombstone_document``), so no read token finds a
kill by the words it withdrew; its text stays stored for admins' audit until
``[retention].killed_text_days``. Stories killed before this revision are re-indexed so.
"""

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

from wire.storage.search.tokens import search_document, tombstone_document

revision = "i16_killed_search"
down_revision = "i20w_parallel_feed"
branch_labels = None
depends_on = None

KILLED = (
    "SELECT {key} AS k, a.kicker, a.headline, a.lead, a.key_points, a.body_text, a.language "
    "FROM articles a{join} WHERE a.pubstatus = 'canceled' AND a.text_purged_at IS NULL"
)
FTS_UPDATE = "UPDATE articles_search SET headline = :h, lead = :l, body = :b WHERE rowid = :k"
PG_UPDATE = "UPDATE articles SET search_vector = CAST(:v AS tsvector) WHERE id = :k"


def _reindex(full: bool) -> None:
    conn = op.get_bind()
    sqlite = conn.dialect.name == "sqlite"
    join = " JOIN article_keys k ON k.article_id = a.id" if sqlite else ""
    rows = conn.execute(sa.text(KILLED.format(key="k.key" if sqlite else "a.id", join=join)))
    values: list[dict[str, Any]] = []
    for row in rows.all():
        if full:  # the downgrade: the text indexed again, as before this revision
            points = row.key_points
            points = json.loads(points) if isinstance(points, str) else points or []
            doc = search_document(kicker=row.kicker, headline=row.headline, lead=row.lead,
                                  key_points=[str(p) for p in points], body=row.body_text,
                                  language=row.language)  # fmt: skip
        else:
            doc = tombstone_document(row.headline, row.language)
        if sqlite:
            head, lead, body = doc.fts5_columns()
            values.append({"k": row.k, "h": head, "l": lead, "b": body})
        else:
            values.append({"k": row.k, "v": doc.tsvector()})
    if values:
        conn.execute(sa.text(FTS_UPDATE if sqlite else PG_UPDATE), values)


def upgrade() -> None:
    _reindex(full=False)


def downgrade() -> None:
    _reindex(full=True)
