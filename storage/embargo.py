"""Releasing embargoed changes onto the change feed, exactly once, at their time.

The writer holds an embargoed version's change in ``held_changes`` (see
:func:`wire.storage.writer.record_or_hold`). Whoever reads the feed after the embargo time --
the API's ``/changes``, a publisher, the daemon's schedule -- first calls
:func:`release_due`: under the feed's lock it appends the due changes with the next sequence
numbers and deletes them from ``held_changes`` in the same transaction. A second releaser
(another daemon, another API worker) takes the lock after that commit and finds nothing due,
so every release is appended once, also after a restart (the held rows are in the store).
Writers never take that lock (they number changes in parallel, :mod:`wire.storage.feedseq`):
a writer storing a new version claims the article's held row by deleting it, as a release
does, so of a writer and a releaser racing for one held change only one appends it.

Cursor readers stay exact: a release gets a sequence number when it is appended, never an
old one, so "everything after my cursor" cannot have passed it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from wire.storage.db import Database
from wire.storage.models import HeldChange, utcnow
from wire.storage.writer import append_changes, core, lock_changes


def has_due(session: Session, now: datetime | None = None) -> bool:
    """A cheap probe: is any held change due (one index lookup)?"""
    now = now or utcnow()
    found = session.scalar(
        select(HeldChange.article_id).where(HeldChange.visible_at <= now).limit(1)
    )
    return found is not None


_CLAIM = delete(HeldChange).returning(
    HeldChange.article_id,
    HeldChange.version,
    HeldChange.kind,
    HeldChange.pubstatus,
    HeldChange.source,
    HeldChange.visible_at,
)


def release_due(session: Session, now: datetime | None = None) -> list[int]:
    """Append every held change due at ``now``, in embargo order; their sequence numbers.

    The held rows are claimed by deleting them (DELETE ... RETURNING), so a writer storing a
    new version of the same article (which claims its held change the same way) and this
    release never both append it; releasers queue on the feed's maintenance lock.
    """
    now = now or utcnow()
    lock_changes(session)
    claimed = core(session).execute(_CLAIM.where(HeldChange.visible_at <= now)).all()
    rows = [
        {
            "article_id": h.article_id,
            "version": h.version,
            "kind": h.kind,
            "pubstatus": h.pubstatus,
            "source": h.source,
            "at": h.visible_at,
        }
        for h in sorted(claimed, key=lambda h: (h.visible_at, h.article_id))
    ]
    return append_changes(session, rows)


def release_due_changes(db: Database, now: datetime | None = None) -> list[int]:
    """Release what is due, if anything: a read-only probe first, the write only when needed."""
    with db.reader() as session:
        if not has_due(session, now):
            return []
    with db.session() as session:
        return release_due(session, now)
