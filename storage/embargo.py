"""Releasing embargoed changes onto the change feed, exactly once, at their time.

The writer holds an embargoed version's change in ``held_changes`` (see
:func:`wire.storage.writer.record_or_hold`). Whoever reads the feed after the embargo time --
the API's ``/changes``, a publisher, the daemon's schedule -- first calls
:func:`release_due`: under the feed's lock it appends the due changes with the next sequence
numbers and deletes them from ``held_changes`` in the same transaction. A second releaser
(another daemon, another API worker) takes the lock after that commit and finds nothing due,
so every release is appended once, also after a restart (the held rows are in the store).

Cursor readers stay exact: a release gets a sequence number when it is appended, never an
old one, so "everything after my cursor" cannot have passed it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from wire.storage.db import Database
from wire.storage.models import HeldChange, utcnow
from wire.storage.writer import append_changes, lock_changes


def has_due(session: Session, now: datetime | None = None) -> bool:
    """A cheap probe: is any held change due (one index lookup)?"""
    now = now or utcnow()
    found = session.scalar(
        select(HeldChange.article_id).where(HeldChange.visible_at <= now).limit(1)
    )
    return found is not None


def release_due(session: Session, now: datetime | None = None) -> list[int]:
    """Append every held change due at ``now``, in embargo order; their sequence numbers."""
    now = now or utcnow()
    lock_changes(session)
    due = session.execute(
        select(HeldChange)
        .where(HeldChange.visible_at <= now)
        .order_by(HeldChange.visible_at, HeldChange.article_id)
    ).scalars()
    rows = [
        {
            "article_id": h.article_id,
            "version": h.version,
            "kind": h.kind,
            "pubstatus": h.pubstatus,
            "source": h.source,
            "at": h.visible_at,
        }
        for h in due
    ]
    if not rows:
        return []
    session.execute(
        delete(HeldChange).where(HeldChange.article_id.in_([r["article_id"] for r in rows]))
    )
    return append_changes(session, rows)


def release_due_changes(db: Database, now: datetime | None = None) -> list[int]:
    """Release what is due, if anything: a read-only probe first, the write only when needed."""
    with db.reader() as session:
        if not has_due(session, now):
            return []
    with db.session() as session:
        return release_due(session, now)
