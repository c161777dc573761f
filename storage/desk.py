"""Reads only the desk needs: the changes the live list looks at again, a story's media (or a
picture's stories) as the viewer may see them, cluster sizes for a page of rows, stored items
per hour per source, recent rejects with their bytes, the raw payload an item came in, and the
values the desk's filters offer.

Everything is computed from stored rows (``article_versions``, ``rejects``, ``raw_items``), so
the ops view shows the same history after a restart and with several daemons writing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wire.storage.models import (
    ArticleAgency,
    ArticleRow,
    ArticleVersion,
    Change,
    ClusterMember,
    RawItem,
    Reject,
)
from wire.storage.reads import load_records
from wire.storage.visibility import Viewer, released, withdrawn

RAW_SCAN_LIMIT = 500  # newest payloads of a source searched for an item's guid


def changed_since(session: Session, after: int, limit: int) -> list[tuple[int, str]]:
    """(seq, article id) of the changes after ``after``, oldest first: which stories the live
    list has to look at again (their rows are read, and filtered, by id)."""
    rows = session.execute(
        select(Change.seq, Change.article_id)
        .where(Change.seq > after)
        .order_by(Change.seq)
        .limit(limit)
    ).all()
    return [(int(seq), str(article_id)) for seq, article_id in rows]


def visible_records(session: Session, ids: Sequence[str], viewer: Viewer) -> list[dict[str, Any]]:
    """The records of these articles that ``viewer`` may see now, in this order: a story's
    linked pictures and graphics, or the stories a picture is used in. One under embargo is
    left out; a killed one is its tombstone (headline and kill note, no picture)."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return []
    shown = set(
        session.scalars(select(ArticleRow.id).where(ArticleRow.id.in_(wanted), *released(viewer)))
    )
    return [withdrawn(r, viewer) for r in load_records(session, [i for i in wanted if i in shown])]


def cluster_sizes(session: Session, cluster_ids: Sequence[str]) -> dict[str, int]:
    """Members per cluster, for the clusters of one page of rows."""
    wanted = sorted({c for c in cluster_ids if c})
    if not wanted:
        return {}
    rows = session.execute(
        select(ClusterMember.cluster_id, func.count())
        .where(ClusterMember.cluster_id.in_(wanted))
        .group_by(ClusterMember.cluster_id)
    ).all()
    return {cluster_id: int(n) for cluster_id, n in rows}


def hourly_counts(session: Session, now: datetime, hours: int = 24) -> dict[str, list[int]]:
    """Versions stored per source (feed) in each of the last ``hours`` hours, oldest first."""
    since = now - timedelta(hours=hours)
    rows = session.execute(
        select(ArticleRow.feed, ArticleVersion.ingested_at)
        .join(ArticleRow, ArticleRow.id == ArticleVersion.article_id)
        .where(ArticleVersion.ingested_at >= since)
    ).all()
    out: dict[str, list[int]] = {}
    for feed, at in rows:
        slot = int((at - since).total_seconds() // 3600)
        if 0 <= slot < hours:
            out.setdefault(feed, [0] * hours)[slot] += 1
    return out


@dataclass(frozen=True)
class RejectSummary:
    """A reject without its bytes: what the ops view lists."""

    id: int
    feed: str
    reason: str
    guid: str | None
    location: str | None
    received_at: datetime
    size: int


def recent_rejects(session: Session, limit: int = 50) -> list[RejectSummary]:
    """The newest rejects, newest first."""
    rows = session.execute(
        select(
            Reject.id,
            Reject.feed,
            Reject.reason,
            Reject.guid,
            Reject.location,
            Reject.received_at,
            func.length(Reject.payload),
        )
        .order_by(Reject.received_at.desc(), Reject.id.desc())
        .limit(limit)
    ).all()
    return [RejectSummary(*row) for row in rows]


def rejects_since(session: Session, since: datetime) -> dict[str, int]:
    """Rejects per source (feed) received since ``since``."""
    rows = session.execute(
        select(Reject.feed, func.count()).where(Reject.received_at >= since).group_by(Reject.feed)
    ).all()
    return {feed: int(n) for feed, n in rows}


def reject_payload(session: Session, reject_id: int) -> tuple[str, bytes] | None:
    """A reject's file name (its location's last part, or its id) and raw bytes."""
    row = session.get(Reject, reject_id)
    if row is None:
        return None
    name = (row.location or "").rstrip("/").rsplit("/", 1)[-1] or f"reject-{row.id}"
    return name, bytes(row.payload)


def raw_payload_for(session: Session, feed: str, guid: str) -> tuple[str, bytes] | None:
    """The newest stored payload of ``feed`` that carries ``guid`` (raw payloads are kept per
    payload, not per item, so the item's guid is looked for in their bytes)."""
    needle = guid.encode("utf-8")
    ids = session.scalars(
        select(RawItem.id)
        .where(RawItem.feed == feed)
        .order_by(RawItem.received_at.desc(), RawItem.id.desc())
        .limit(RAW_SCAN_LIMIT)
    ).all()
    for raw_id in ids:
        row = session.get(RawItem, raw_id)
        if row is not None and needle in bytes(row.payload):
            name = (row.location or "").rstrip("/").rsplit("/", 1)[-1] or f"raw-{row.id}"
            return name, bytes(row.payload)
        if row is not None:
            session.expunge(row)
    return None


@dataclass(frozen=True)
class FilterValues:
    """What the desk's filter menus offer: the values present in the store."""

    agencies: list[str]
    languages: list[str]
    sources: list[str]


def filter_values(session: Session, limit: int = 200) -> FilterValues:
    def distinct(column: Any) -> list[str]:
        values = session.scalars(
            select(column).where(column.is_not(None)).distinct().order_by(column).limit(limit)
        )
        return [v for v in values if v]

    return FilterValues(
        agencies=distinct(ArticleAgency.agency),
        languages=distinct(ArticleRow.language),
        sources=distinct(ArticleRow.source),
    )
