"""Source health rows: last attempt, last success, last error, consecutive failures, next poll.

A daemon keeps each leased source's state in memory (it is the only writer while it holds
the lease) and writes many rows at once with ``record_polls``: one transaction and one
executemany per flush, so a cycle of 304s costs a handful of commits instead of one per
source. ``wire run --once`` leases the sources it polls too, and writes each row the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from wire.config import SourceConfig
from wire.storage.db import Database, dialect_insert
from wire.storage.models import SourceRow, utcnow


def list_sources(db: Database) -> list[SourceRow]:
    with db.reader() as session:
        rows = list(session.scalars(select(SourceRow).order_by(SourceRow.name)))
        for f in rows:
            session.expunge(f)
        return rows


# --- the daemon's side ----------------------------------------------------------------------


def ensure_sources(db: Database, sources: Iterable[SourceConfig]) -> None:
    """A row for every configured source; safe when several daemons start at once."""
    sources = list(sources)
    if not sources:
        return
    with db.session() as session:
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
        session.execute(dialect_insert(session)(SourceRow).on_conflict_do_nothing(), rows)
        known = {
            name: (loc, fmt, kind)
            for name, loc, fmt, kind in session.execute(
                select(SourceRow.name, SourceRow.location, SourceRow.format, SourceRow.kind).where(
                    SourceRow.name.in_([s.name for s in sources])
                )
            )
        }
        changed = [
            {"name": s.name, "location": s.location, "format": s.format, "kind": s.kind}
            for s in sources
            if known.get(s.name) != (s.location, s.format, s.kind)
        ]
        if changed:
            session.execute(update(SourceRow), changed)


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
    last_reject: str | None = None  # why the last payload had rejects: the `rejecting` state
    item_rate: float | None = None  # learned new items per second (wire.ingest.freshness)
    source_hint: float | None = None  # seconds the source says it stays unchanged
    poll_interval: float | None = None  # seconds between polls now
    latency: float | None = None  # seconds, average of item publish (or sighting) to commit
    burst_share: float | None = None  # follow-ups per item (wire.ingest.freshness.Bursts)
    burst_decay: float | None = None  # their mean delay after the item, seconds

    @classmethod
    def from_row(cls, feed: SourceRow) -> SourceHealth:
        """The row's columns of the same names; counters the row leaves NULL count 0."""
        health = cls(**{f.name: getattr(feed, f.name) for f in fields(cls)})
        health.consecutive_failures = health.consecutive_failures or 0
        health.failing = bool(health.failing)
        health.items_last_seen = health.items_last_seen or 0
        return health


_FIELDS = tuple(f.name for f in fields(SourceHealth))


def load_states(session: Session, names: Sequence[str]) -> dict[str, SourceHealth]:
    """The stored state of these sources (inside the caller's transaction)."""
    if not names:
        return {}
    rows = session.scalars(select(SourceRow).where(SourceRow.name.in_(list(names))))
    return {row.name: SourceHealth.from_row(row) for row in rows}


def source_status(row: SourceRow | None) -> str:
    """A source's state in one word, as ``wire sources`` and ``GET /sources`` show it:
    ``never polled``, ``failing``, ``erroring`` (failed lately, not yet failing),
    ``rejecting`` (answers, but its last payload had rejects) or ``ok``."""
    if row is None or row.last_attempt is None:
        return "never polled"
    if row.failing:
        return "failing"
    if row.consecutive_failures:
        return "erroring"
    if row.last_reject:
        return "rejecting"
    return "ok"


def _row_values(state: SourceHealth) -> dict[str, object]:
    """The state's fields by name, as ``dataclasses.asdict`` gives them, without its deep
    copy: every field is a str, number, bool, datetime or None, all immutable, and ``asdict``
    deep-copied each (~30 us a row against ~1 us). It ran in the control thread, holding the
    interpreter lock the event loop and the store thread wait for, 2,000 rows a cycle."""
    return {name: getattr(state, name) for name in _FIELDS}


def record_polls(db: Database, states: Sequence[SourceHealth], owner: str | None = None) -> int:
    """Write many sources' health in one transaction; returns the rows written.

    With ``owner`` only rows this daemon still leases are written, so a daemon that lost a
    lease never overwrites the new owner's validators.
    """
    if not states:
        return 0
    rows = [
        {
            **_row_values(s),
            "last_error": (s.last_error or "")[:2000] or None,
            "last_reject": (s.last_reject or "")[:2000] or None,
        }
        for s in {s.name: s for s in states}.values()  # the newest state per source
    ]
    with db.session() as session:
        if owner is not None:
            mine = set(
                session.scalars(
                    select(SourceRow.name).where(
                        SourceRow.name.in_([r["name"] for r in rows]),
                        SourceRow.lease_owner == owner,
                    )
                )
            )
            rows = [r for r in rows if r["name"] in mine]
        if rows:
            session.execute(update(SourceRow), rows)
    return len(rows)
