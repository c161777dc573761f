"""Source health rows: last attempt, last success, last error, consecutive failures."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from ingest.config import SourceConfig
from storage.db import Database
from storage.models import Feed


def ensure_feed(session: Any, source: SourceConfig) -> Feed:
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
    failing_after: int = 5,
    next_poll: datetime | None = None,
) -> Feed:
    """Update a source's health after one poll; returns the updated row."""
    with db.session() as session:
        feed = ensure_feed(session, source)
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


def list_feeds(db: Database) -> list[Feed]:
    with db.reader() as session:
        feeds = list(session.scalars(select(Feed).order_by(Feed.name)))
        for f in feeds:
            session.expunge(f)
        return feeds
