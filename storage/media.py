"""Links between stories and media records (pictures, graphics), resolved when read.

A story names its pictures by guid (``article_links``); the picture may be stored before or
after the story, so the link is looked up against ``articles.guid`` each time, never frozen
into ids at write time.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wire.normalise.storykey import STORY_REL, UPDATES_REL
from wire.storage.models import ArticleLink, ArticleRow

# Links between takes of one story, not to media: wire.storage.updates resolves them.
_STORY_RELS = (STORY_REL, UPDATES_REL)


def _brief(row: Any) -> dict[str, Any]:
    return {"id": row.id, "type": row.type, "headline": row.headline, "source": row.source}


def linked_media(session: Session, article_id: str) -> list[dict[str, Any]]:
    """The stored items an article links to, in link order (a story's pictures)."""
    links = session.execute(
        select(ArticleLink.position, ArticleRow.id, ArticleRow.type, ArticleRow.headline,
               ArticleRow.source)
        .join(ArticleRow, ArticleRow.guid == ArticleLink.guid)
        .where(
            ArticleLink.article_id == article_id,
            ArticleRow.id != article_id,
            ArticleLink.rel.not_in(_STORY_RELS),
        )
        .order_by(ArticleLink.position, ArticleRow.id)
    ).all()  # fmt: skip
    return [_brief(row) for row in links]


def linking_stories(session: Session, guid: str) -> list[dict[str, Any]]:
    """The stored items that link to this guid (the stories that use a picture)."""
    rows = session.execute(
        select(ArticleRow.id, ArticleRow.type, ArticleRow.headline, ArticleRow.source)
        .join(ArticleLink, ArticleLink.article_id == ArticleRow.id)
        .where(ArticleLink.guid == guid, ArticleLink.rel.not_in(_STORY_RELS))
        .distinct()
        .order_by(ArticleRow.id)
    ).all()
    return [_brief(row) for row in rows]
