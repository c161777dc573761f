"""Source health rows: last attempt, last success, last error, consecutive failures, next poll.

``record_attempt`` serves ``wire run --once`` (one row, one transaction). The daemon keeps each
leased source's state in memory (it is the only writer while it holds the lease) and writes
many rows at once with ``record_polls``: one transaction and one executemany per flush, so a
cycle of 304s costs a handful of commits instead of one per source.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from wire.config import SourceConfig
from wire.storage.db import Database
from wire.storage.models import Feed, utcnow


def ensure_source(session: Any, source: SourceConfig) -> Feed:
    feed = session.get(Feed, source.name)
    if feed is None:
        feed = Feed(
            name=source.name,
            location=source.location,
            format=source.format,
            kind=source.kind,
            consecutive_failures=0,
            items_last_seen=0,
            failing=False,
        )
        session.add(feed)
        session.flush()
    else:
        feed.location, feed.format, feed.kind = source.location, source.format, source.kind
    return feed


def record_attempt(
    db: Database,
    source: SourceConfig,
    *,
    ok: bool,
    error: str | None,
    items: int,
    duration: float,
    now: datetime,
    failing_after: int,
    next_poll: datetime | None = None,
) -> Feed:
    """Update a source's health after one poll; returns the updated row."""
    with db.session() as session:
        feed = ensure_source(session, source)
        feed.last_attempt = now
        feed.last_duration = duration
        feed.next_poll = next_poll
        if ok:
            feed.last_success = now
            feed.consecutive_failures = 0
            feed.failing = False
            feed.items_last_seen = items
            feed.last_error = None
        else:
            feed.consecutive_failures = (feed.consecutive_failures or 0) + 1
            feed.failing = feed.consecutive_failures >= failing_after
            feed.last_error = (error or "unknown error")[:2000]
        session.flush()
        session.expunge(feed)
        return feed


def list_sources(db: Database) -> list[Feed]:
    with db.reader() as session:
        feeds = list(session.scalars(select(Feed).order_by(Feed.name)))
        for f in feeds:
            session.expunge(f)
        return feeds


# --- the daemon's side ----------------------------------------------------------------------


def ensure_sources(db: Database, sources: Iterable[SourceConfig]) -> None:
    """A row for every configured source; safe when several daemons start at once."""
    sources = list(sources)
    if not sources:
        return
    with db.session() as session:
        dialect = session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        rows = [
            {
                "name": s.name,
                "location": s.location,
                "format": s.format,
                "kind": s.kind,
                "created_at": utcnow(),
                "consecutive_failures": 0,
                "items_last_seen": 0,
                "failing": False,
            }
            for s in sources
        ]
        session.execute(insert(Feed).on_conflict_do_nothing(), rows)
        known = {
            name: (loc, fmt, kind)
            for name, loc, fmt, kind in session.execute(
                select(Feed.name, Feed.location, Feed.format, Feed.kind).where(
                    Feed.name.in_([s.name for s in sources])
                )
            )
        }
        changed = [
            {"name": s.name, "location": s.location, "format": s.format, "kind": s.kind}
            for s in sources
            if known.get(s.name) != (s.location, s.format, s.kind)
        ]
        if changed:
            session.execute(update(Feed), changed)


@dataclass
class SourceHealth:
    """The health and validators of one source, as the daemon that leases it keeps them."""

    name: str
    last_attempt: datetime | None = None
    last_success: datetime | None = None
    last_error: str | None = None
    consecutive_failures: int = 0
    failing: bool = False
    next_poll: datetime | None = None
    items_last_seen: int = 0
    last_duration: float | None = None
    etag: str | None = None
    last_modified: str | None = None
    item_digests: str | None = None  # the last stored payload's items, space-separated

    @classmethod
    def from_row(cls, feed: Feed) -> SourceHealth:
        return cls(
            name=feed.name,
            last_attempt=feed.last_attempt,
            last_success=feed.last_success,
            last_error=feed.last_error,
            consecutive_failures=feed.consecutive_failures or 0,
            failing=bool(feed.failing),
            next_poll=feed.next_poll,
            items_last_seen=feed.items_last_seen or 0,
            last_duration=feed.last_duration,
            etag=feed.etag,
            last_modified=feed.last_modified,
            item_digests=feed.item_digests,
        )


def load_states(session: Session, names: Sequence[str]) -> dict[str, SourceHealth]:
    """The stored state of these sources (inside the caller's transaction)."""
    if not names:
        return {}
    rows = session.scalars(select(Feed).where(Feed.name.in_(list(names))))
    return {row.name: SourceHealth.from_row(row) for row in rows}


def record_polls(db: Database, states: Sequence[SourceHealth], owner: str | None = None) -> int:
    """Write many sources' health in one transaction; returns the rows written.

    With ``owner`` only rows this daemon still leases are written, so a daemon that lost a
    lease never overwrites the new owner's validators.
    """
    if not states:
        return 0
    rows = [
        {**asdict(s), "last_error": (s.last_error or "")[:2000] or None}
        for s in {s.name: s for s in states}.values()  # the newest state per source
    ]
    with db.session() as session:
        if owner is not None:
            mine = set(
                session.scalars(
                    select(Feed.name).where(
                        Feed.name.in_([r["name"] for r in rows]), Feed.lease_owner == owner
                    )
                )
            )
            rows = [r for r in rows if r["name"] in mine]
        if rows:
            session.execute(update(Feed), rows)
    return len(rows)
