"""Reads shared by the CLI and the HTTP API: search and whole-article views."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Float, Select, String, select, text
from sqlalchemy.orm import Session

from ingest.record import iso
from storage.models import (
    ArticleAgency,
    ArticleRow,
    ArticleVersion,
    ClusterMember,
    ImageRow,
)

_TOKEN = re.compile(r"\w+", re.UNICODE)
PG_LANGS = ("simple", "german", "french", "english", "italian")


@dataclass(frozen=True)
class Hit:
    id: str
    headline: str
    source: str | None
    agencies: list[str]
    language: str | None
    pubstatus: str
    version: int
    versioncreated: datetime | None
    cluster_id: str | None

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "versioncreated": iso(self.versioncreated)}


def fts_tokens(q: str) -> list[str]:
    """Words of a user query; FTS syntax characters (quotes, *, NEAR, parentheses) are dropped."""
    return _TOKEN.findall(q)


def sqlite_match(q: str) -> str | None:
    """An FTS5 MATCH expression that ANDs the query's words, each quoted (no syntax injection)."""
    tokens = fts_tokens(q)
    if not tokens:
        return None
    return " ".join('"' + t.replace('"', '""') + '"' for t in tokens)


def apply_text_search(stmt: Select[Any], session: Session, q: str) -> Select[Any]:
    """Restrict and rank ``stmt`` (selecting from articles) by the full-text query ``q``."""
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        match = sqlite_match(q)
        if match is None:
            return stmt.where(text("0"))
        fts = (
            text(
                "SELECT article_id, bm25(articles_fts, 10.0, 4.0, 1.0) AS score "
                "FROM articles_fts WHERE articles_fts MATCH :match"
            )
            .columns(article_id=String, score=Float)
            .bindparams(match=match)
        )
        sub = fts.subquery("fts")
        return stmt.join(sub, sub.c.article_id == ArticleRow.id).order_by(sub.c.score)
    words = " ".join(fts_tokens(q))
    if not words:
        return stmt.where(text("false"))
    conds = " OR ".join(
        f"articles.search_vector @@ plainto_tsquery('{lang}', :q)" for lang in PG_LANGS
    )
    rank = f"ts_rank(articles.search_vector, plainto_tsquery('{PG_LANGS[0]}', :q))"
    return stmt.where(text(f"({conds})").bindparams(q=words)).order_by(
        text(f"{rank} DESC").bindparams(q=words)
    )


def search(
    session: Session, q: str | None = None, *, agency: str | None = None, limit: int = 20
) -> list[Hit]:
    """Full-text search (ranked) or, without ``q``, the newest articles; optional agency filter."""
    stmt = select(ArticleRow)
    if agency:
        stmt = stmt.where(
            ArticleRow.id.in_(
                select(ArticleAgency.article_id).where(ArticleAgency.agency == agency)
            )
        )
    if q:
        stmt = apply_text_search(stmt, session, q)
    stmt = stmt.order_by(ArticleRow.versioncreated.desc(), ArticleRow.id).limit(limit)
    return [_hit(row) for row in session.scalars(stmt)]


def _hit(row: ArticleRow) -> Hit:
    return Hit(
        id=row.id,
        headline=row.headline,
        source=row.source,
        agencies=list(row.agencies or []),
        language=row.language,
        pubstatus=row.pubstatus,
        version=row.version,
        versioncreated=row.versioncreated,
        cluster_id=row.cluster_id,
    )


def article_dict(row: ArticleRow) -> dict[str, Any]:
    """The canonical record of the current version, as stored."""
    return {
        "id": row.id,
        "source": row.source,
        "agencies": list(row.agencies or []),
        "feed": row.feed,
        "guid": row.guid,
        "url": row.url,
        "version": row.version,
        "pubstatus": row.pubstatus,
        "kicker": row.kicker,
        "headline": row.headline,
        "lead": row.lead,
        "key_points": list(row.key_points or []),
        "body_text": row.body_text,
        "body_html": row.body_html,
        "language": row.language,
        "dateline": row.dateline,
        "byline": row.byline,
        "subjects": list(row.subjects or []),
        "urgency": row.urgency,
        "firstcreated": iso(row.firstcreated),
        "versioncreated": iso(row.versioncreated),
        "ingested_at": iso(row.ingested_at),
        "images": [image_dict(i) for i in row.images],
        "content_hash": row.content_hash,
        "cluster_id": row.cluster_id,
        "sightings": [
            {
                "source": s.source,
                "feed": s.feed,
                "guid": s.guid,
                "url": s.url,
                "seen_at": iso(s.seen_at),
            }
            for s in row.sightings
        ],
    }


def image_dict(img: ImageRow) -> dict[str, Any]:
    return {
        "href": img.href,
        "alt": img.alt,
        "caption": img.caption,
        "credit": img.credit,
        "creator": img.creator,
        "agencies": list(img.agencies or []),
        "copyright_holder": img.copyright_holder,
    }


def get_article(session: Session, article_id: str) -> dict[str, Any] | None:
    """One article with its version history and cluster membership, or None."""
    row = session.get(ArticleRow, article_id)
    if row is None:
        return None
    data = article_dict(row)
    data["versions"] = [
        {
            "version": v.version,
            "pubstatus": v.pubstatus,
            "versioncreated": iso(v.versioncreated),
            "ingested_at": iso(v.ingested_at),
            "content_hash": v.content_hash,
            "headline": (v.record or {}).get("headline"),
        }
        for v in row.versions
    ]
    member = session.get(ClusterMember, article_id)
    data["cluster"] = None
    if row.cluster_id:
        members = session.execute(
            select(ClusterMember, ArticleRow.headline, ArticleRow.source)
            .join(ArticleRow, ArticleRow.id == ClusterMember.article_id)
            .where(ClusterMember.cluster_id == row.cluster_id)
            .order_by(ClusterMember.joined_at)
        ).all()
        data["cluster"] = {
            "id": row.cluster_id,
            "similarity": member.similarity if member else None,
            "matched": member.matched_article_id if member else None,
            "members": [
                {
                    "id": m.article_id,
                    "headline": headline,
                    "source": source,
                    "similarity": m.similarity,
                    "matched": m.matched_article_id,
                }
                for m, headline, source in members
            ],
        }
    return data


def get_version(session: Session, article_id: str, version: int) -> dict[str, Any] | None:
    v = session.scalar(
        select(ArticleVersion).where(
            ArticleVersion.article_id == article_id, ArticleVersion.version == version
        )
    )
    return dict(v.record) if v else None
