"""Writes: articles with their version history, images, sightings, the change feed, raw and rejects.

Every function takes an open session; the caller owns the transaction, so one batch commits
(or rolls back) as a whole and the change-feed rows commit with the changes they describe.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ingest.record import Article
from storage.models import (
    ArticleAgency,
    ArticleRow,
    ArticleSubject,
    ArticleVersion,
    Change,
    ImageRow,
    RawItem,
    Reject,
    SightingRow,
    utcnow,
)

Outcome = Literal["new", "updated", "unchanged", "duplicate", "stale"]
CHANGE_LOCK = 727173  # pg advisory lock id that orders change-feed sequence numbers


@dataclass(frozen=True)
class StoreResult:
    outcome: Outcome
    article_id: str  # the stored article (for a duplicate: the article it duplicates)
    version: int
    seq: int | None = None  # change-feed sequence number, when the store changed


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _insert_ignore(session: Session, model: Any, values: dict[str, Any]) -> bool:
    """INSERT ... ON CONFLICT DO NOTHING; True when a row was written."""
    dialect = session.get_bind().dialect.name
    stmt: Any
    if dialect == "postgresql":
        stmt = postgresql.insert(model).values(**values).on_conflict_do_nothing()
    elif dialect == "sqlite":
        stmt = sqlite.insert(model).values(**values).on_conflict_do_nothing()
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        stmt = insert(model).values(**values)
    # RETURNING, not rowcount: rowcount is unreliable for ORM-executed inserts.
    return session.execute(stmt.returning(model.id)).first() is not None


def store_raw(session: Session, feed: str, payload: bytes, location: str | None = None) -> bool:
    """Keep a payload's bytes once per feed; True when they were new."""
    return _insert_ignore(
        session,
        RawItem,
        {
            "feed": feed,
            "sha256": sha256(payload),
            "location": location,
            "payload": payload,
            "received_at": utcnow(),
        },
    )


def store_reject(
    session: Session,
    feed: str,
    reason: str,
    payload: bytes,
    *,
    guid: str | None = None,
    location: str | None = None,
) -> bool:
    """Record a rejected item with its raw bytes for replay; True when it was not known yet."""
    return _insert_ignore(
        session,
        Reject,
        {
            "feed": feed,
            "sha256": sha256(payload),
            "reason": reason[:2000],
            "guid": guid,
            "location": location,
            "payload": payload,
            "received_at": utcnow(),
        },
    )


def record_change(session: Session, article: Article, kind: str) -> int:
    """Append to the change feed with the next sequence number, inside the caller's transaction.

    On PostgreSQL a transaction-scoped advisory lock is held from here to commit, so sequence
    numbers become visible in commit order: a consumer never sees 7 before 6 commits. SQLite
    serialises writers already (BEGIN IMMEDIATE).
    """
    # The next number is cached for the rest of this transaction: once the lock is held (or
    # SQLite's write lock), nobody else can append, so one MAX() per batch is enough.
    key = ("wire_next_seq", id(session.get_transaction()))
    seq = session.info.get(key)
    if seq is None:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": CHANGE_LOCK})
        seq = (session.scalar(select(func.max(Change.seq))) or 0) + 1
    session.info[key] = seq + 1
    session.execute(
        insert(Change),
        [
            {
                "seq": seq,
                "article_id": article.id,
                "version": article.version,
                "kind": kind,
                "pubstatus": article.pubstatus,
                "source": article.source,
                "at": utcnow(),
            }
        ],
    )
    return seq


def _change_kind(article: Article, is_new: bool) -> str:
    if article.pubstatus == "canceled":
        return "kill"
    if article.pubstatus == "withheld":
        return "withhold"
    return "new" if is_new else "update"


def _row_values(article: Article, text_hash: str | None) -> dict[str, Any]:
    return {
        "source": article.source,
        "agencies": list(article.agencies),
        "feed": article.feed,
        "guid": article.guid,
        "url": article.url,
        "version": article.version,
        "pubstatus": article.pubstatus,
        "kicker": article.kicker,
        "headline": article.headline,
        "lead": article.lead,
        "key_points": list(article.key_points),
        "body_text": article.body_text,
        "body_html": article.body_html,
        "language": article.language,
        "dateline": article.dateline,
        "byline": article.byline,
        "subjects": [{"code": x.code, "name": x.name} for x in article.subjects],
        "urgency": article.urgency,
        "firstcreated": article.firstcreated,
        "versioncreated": article.versioncreated,
        "content_hash": article.content_hash,
        "text_hash": text_hash,
        "has_images": bool(article.images),
        "updated_at": utcnow(),
    }


def _write_children(session: Session, article: Article, *, replace: bool) -> None:
    """Images, agency and subject rows, and the full-text entry (replaced on a new version)."""
    sqlite_fts = session.get_bind().dialect.name == "sqlite"
    if replace:
        for model in (ImageRow, ArticleAgency, ArticleSubject):
            session.execute(delete(model).where(model.article_id == article.id))
        if sqlite_fts:
            session.execute(
                text("DELETE FROM articles_fts WHERE article_id = :id"), {"id": article.id}
            )
    if article.images:
        session.execute(
            insert(ImageRow),
            [
                {
                    "article_id": article.id,
                    "position": pos,
                    "href": img.href,
                    "alt": img.alt,
                    "caption": img.caption,
                    "credit": img.credit,
                    "creator": img.creator,
                    "agencies": list(img.agencies),
                    "copyright_holder": img.copyright_holder,
                }
                for pos, img in enumerate(article.images)
            ],
        )
    if article.agencies:
        session.execute(
            insert(ArticleAgency),
            [
                {"article_id": article.id, "position": pos, "agency": code}
                for pos, code in enumerate(article.agencies)
            ],
        )
    if article.subjects:
        session.execute(
            insert(ArticleSubject),
            [
                {"article_id": article.id, "position": pos, "code": subj.code, "name": subj.name}
                for pos, subj in enumerate(article.subjects)
            ],
        )
    if sqlite_fts:
        session.execute(
            text(
                "INSERT INTO articles_fts (article_id, headline, lead, body) "
                "VALUES (:id, :headline, :lead, :body)"
            ),
            {
                "id": article.id,
                "headline": " ".join(filter(None, [article.kicker, article.headline])),
                "lead": " ".join(filter(None, [article.lead, *article.key_points])),
                "body": article.body_text,
            },
        )


def _add_version(session: Session, article: Article) -> None:
    session.execute(
        insert(ArticleVersion),
        [
            {
                "article_id": article.id,
                "version": article.version,
                "content_hash": article.content_hash,
                "pubstatus": article.pubstatus,
                "versioncreated": article.versioncreated,
                "ingested_at": article.ingested_at or utcnow(),
                "record": article.to_dict(),
            }
        ],
    )


def add_sighting(session: Session, article_id: str, article: Article) -> bool:
    """Note that ``article`` (another feed or source) carried the text of ``article_id``."""
    return _insert_ignore(
        session,
        SightingRow,
        {
            "article_id": article_id,
            "source": article.source,
            "feed": article.feed,
            "guid": article.guid,
            "url": article.url,
            "seen_at": article.ingested_at or utcnow(),
        },
    )


def _is_older(article: Article, row: ArticleRow) -> bool:
    """An older version arriving late: by the source's version number, else by its time."""
    if article.source_version:
        return article.version < row.version
    if article.versioncreated and row.versioncreated:
        return article.versioncreated < row.versioncreated
    return False


def store_article(
    session: Session, article: Article, *, text_hash: str | None = None
) -> StoreResult:
    """Insert, version or ignore one normalised article (see the README's dedup rules).

    - a new id whose normalised text is already stored under another id: a sighting of it;
    - the same content again (current or any earlier version): unchanged;
    - an older version arriving late: kept in history when its number is free, never current;
    - otherwise a new version, with the history row and the change-feed row.
    """
    dialect = session.get_bind().dialect.name
    row = session.get(ArticleRow, article.id, with_for_update=dialect == "postgresql")
    if row is None:
        if text_hash:
            dup_id = session.scalar(
                select(ArticleRow.id).where(ArticleRow.text_hash == text_hash).limit(1)
            )
            if dup_id is not None:
                add_sighting(session, dup_id, article)
                version = session.scalar(select(ArticleRow.version).where(ArticleRow.id == dup_id))
                return StoreResult("duplicate", dup_id, version or 1)
        if not article.source_version:
            article.version = 1
        session.execute(
            insert(ArticleRow),
            [
                {
                    "id": article.id,
                    "ingested_at": article.ingested_at or utcnow(),
                    **_row_values(article, text_hash),
                }
            ],
        )
        _write_children(session, article, replace=False)
        _add_version(session, article)
        seq = record_change(session, article, _change_kind(article, is_new=True))
        return StoreResult("new", article.id, article.version, seq)

    if article.content_hash == row.content_hash or session.scalar(
        select(ArticleVersion.id).where(
            ArticleVersion.article_id == row.id,
            ArticleVersion.content_hash == article.content_hash,
        )
    ):
        if article.feed != row.feed:
            add_sighting(session, row.id, article)
        return StoreResult("unchanged", row.id, row.version)

    if _is_older(article, row):
        taken = session.scalar(
            select(ArticleVersion.id).where(
                ArticleVersion.article_id == row.id, ArticleVersion.version == article.version
            )
        )
        if article.source_version and not taken:
            _add_version(session, article)
        return StoreResult("stale", row.id, row.version)

    if not (article.source_version and article.version > row.version):
        article.version = row.version + 1
    article.firstcreated = row.firstcreated or article.firstcreated
    for key, value in _row_values(article, text_hash).items():
        setattr(row, key, value)
    session.flush()
    _write_children(session, article, replace=True)
    _add_version(session, article)
    seq = record_change(session, article, _change_kind(article, is_new=False))
    return StoreResult("updated", row.id, article.version, seq)


def last_seen(session: Session, feed: str) -> datetime | None:
    return session.scalar(select(func.max(ArticleRow.updated_at)).where(ArticleRow.feed == feed))
