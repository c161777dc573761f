"""Reading the publisher change feed, and the publishers' cursors and dead letters.

The feed's contract (rows written by :func:`wire.storage.writer.record_change`): every insert, new
version and kill gets a sequence number above the last, in the same transaction as the
change (a change under embargo gets its number when it is released,
:mod:`wire.storage.embargo`). Every read here passes only numbers below the feed's horizon
(:mod:`wire.storage.feedseq`), whose transactions are over, so "every change with seq > my
cursor, ascending" read again later never skips one that was not yet visible the first time:
a consumer that stores the last seq it handled sees each change exactly once, in order, also
while several PostgreSQL writers commit out of number order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, select, update
from sqlalchemy.orm import Session

from wire.record import iso
from wire.storage.db import dialect_insert
from wire.storage.feedseq import below_horizon
from wire.storage.models import (
    ArticleRow,
    ArticleVersion,
    Change,
    DeadLetter,
    PublishCursor,
    utcnow,
)
from wire.storage.updates import add_updates
from wire.storage.visibility import READER, Viewer, killed_view


@dataclass(frozen=True)
class ChangeEntry:
    """One change: what happened to which article version, and that version's record."""

    seq: int
    kind: str  # new | update | kill | withhold
    article_id: str
    version: int
    pubstatus: str
    source: str | None
    at: datetime
    record: dict[str, Any] | None  # the canonical record of that version (article_versions)

    def to_dict(self, item: Any = None) -> dict[str, Any]:
        """The wire form; ``item`` is the record in the client's format (default: as stored)."""
        return {
            "seq": self.seq,
            "kind": self.kind,
            "article_id": self.article_id,
            "version": self.version,
            "pubstatus": self.pubstatus,
            "source": self.source,
            "at": iso(self.at),
            "item": self.record if item is None else item,
        }

    @property
    def message_id(self) -> str:
        """Stable per article version: publishers use it to deduplicate redeliveries."""
        return f"{self.article_id}:{self.version}"


def read_changes(
    session: Session, after: int, limit: int, viewer: Viewer = READER
) -> list[ChangeEntry]:
    """Changes with ``seq > after``, oldest first, at most ``limit``, with their records.

    Every record of a story killed since is its tombstone for ``viewer`` (publishers and read
    tokens): the kill withdraws the text from the feed's history too. A lead/update filed
    under a new guid carries ``updates``, the stored story it updates, resolved now as in
    ``/articles`` (:mod:`wire.storage.updates`), so publishers and ``/changes`` say it too.
    """
    rows = session.execute(
        below_horizon(
            session,
            select(
                Change,
                ArticleVersion.record,
                ArticleRow.pubstatus,
                ArticleRow.ednote,
                ArticleRow.versioncreated,
            )
            .outerjoin(
                ArticleVersion,
                and_(
                    ArticleVersion.article_id == Change.article_id,
                    ArticleVersion.version == Change.version,
                ),
            )
            .outerjoin(ArticleRow, ArticleRow.id == Change.article_id)
            .where(Change.seq > after)
            .order_by(Change.seq)
            .limit(limit),
        )
    ).all()
    entries = [
        ChangeEntry(
            seq=c.seq,
            kind=c.kind,
            article_id=c.article_id,
            version=c.version,
            pubstatus=c.pubstatus,
            source=c.source,
            at=c.at,
            record=_record(record, status, ednote, killed_at, viewer),
        )
        for c, record, status, ednote, killed_at in rows
    ]
    add_updates(session, [e.record for e in entries if e.record is not None])
    return entries


def _record(
    record: dict[str, Any] | None,
    status: str | None,
    ednote: str | None,
    killed_at: datetime | None,
    viewer: Viewer,
) -> dict[str, Any] | None:
    if record is None:
        return None
    if status == "canceled" and not viewer.audit:
        return killed_view({"ednote": ednote, "versioncreated": iso(killed_at)}, record)
    return dict(record)


def latest_seq(session: Session) -> int:
    """The highest sequence number readers may pass (0 for an empty feed)."""
    return session.scalar(below_horizon(session, select(func.max(Change.seq)))) or 0


def has_changes_after(session: Session, after: int) -> bool:
    """A cheap probe for long-polling: one primary-key range lookup."""
    stmt = below_horizon(session, select(Change.seq).where(Change.seq > after).limit(1))
    return session.scalar(stmt) is not None


def get_cursor(session: Session, name: str) -> int:
    """The last sequence number publisher ``name`` has delivered (0 when it never ran)."""
    return session.scalar(select(PublishCursor.seq).where(PublishCursor.name == name)) or 0


def set_cursor(session: Session, name: str, seq: int) -> None:
    """Record that publisher ``name`` delivered everything up to ``seq`` (an upsert)."""
    values = {"name": name, "seq": seq, "updated_at": utcnow()}
    stmt = dialect_insert(session)(PublishCursor).values(**values)
    stmt = stmt.on_conflict_do_update(
        index_elements=[PublishCursor.name],
        set_={"seq": stmt.excluded.seq, "updated_at": stmt.excluded.updated_at},
    )
    session.execute(stmt)


def list_cursors(session: Session) -> list[dict[str, Any]]:
    latest = latest_seq(session)
    rows = session.scalars(select(PublishCursor).order_by(PublishCursor.name))
    return [
        {"name": c.name, "seq": c.seq, "lag": latest - c.seq, "updated_at": iso(c.updated_at)}
        for c in rows
    ]


def add_dead_letter(session: Session, target: str, seq: int, attempts: int, error: str) -> None:
    session.add(
        DeadLetter(
            target=target, seq=seq, attempts=attempts, error=error[:2000], created_at=utcnow()
        )
    )


@dataclass(frozen=True)
class DeadLetterSelection:
    """Which dead letters to replay: by id, an id range, a creation-time range, a target.

    Every given criterion must hold; none given selects every letter not yet redelivered.
    """

    ids: tuple[int, ...] = ()
    from_id: int | None = None  # inclusive
    to_id: int | None = None  # inclusive
    since: datetime | None = None  # created_at >= since
    until: datetime | None = None  # created_at < until
    target: str | None = None  # one publisher, e.g. "webhook:https://cms.example/hook"
    requested_only: bool = False  # only letters an admin asked to replay (the API's requests)

    def where(self) -> list[Any]:
        clauses: list[Any] = [DeadLetter.redelivered_at.is_(None)]
        if self.ids:
            clauses.append(DeadLetter.id.in_(self.ids))
        if self.from_id is not None:
            clauses.append(DeadLetter.id >= self.from_id)
        if self.to_id is not None:
            clauses.append(DeadLetter.id <= self.to_id)
        if self.since is not None:
            clauses.append(DeadLetter.created_at >= self.since)
        if self.until is not None:
            clauses.append(DeadLetter.created_at < self.until)
        if self.target is not None:
            clauses.append(DeadLetter.target == self.target)
        if self.requested_only:
            clauses.append(DeadLetter.replay_requested_at.is_not(None))
        return clauses


def pending_dead_letters(
    session: Session, selection: DeadLetterSelection
) -> list[tuple[int, str, int]]:
    """(id, target, seq) of the selected letters not yet redelivered, in feed order per target."""
    rows = session.execute(
        select(DeadLetter.id, DeadLetter.target, DeadLetter.seq)
        .where(*selection.where())
        .order_by(DeadLetter.target, DeadLetter.seq, DeadLetter.id)
    ).all()
    return [(i, t, s) for i, t, s in rows]


def request_replay(session: Session, selection: DeadLetterSelection) -> int:
    """Mark the selected letters for the running publisher to send again; how many."""
    result = session.execute(
        update(DeadLetter)
        .where(*selection.where())
        .values(replay_requested_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def mark_redelivered(session: Session, letter_id: int) -> None:
    session.execute(
        update(DeadLetter).where(DeadLetter.id == letter_id).values(redelivered_at=utcnow())
    )


def note_failed_replay(session: Session, letter_id: int, attempts: int, error: str) -> None:
    """A replay that failed again: the letter stays dead with the new error.

    Its replay request is cleared, so a running publisher does not retry it for hours more at
    every poll; a new request (or ``wire publish --replay``) sends it again.
    """
    session.execute(
        update(DeadLetter)
        .where(DeadLetter.id == letter_id)
        .values(
            attempts=DeadLetter.attempts + attempts,
            error=error[:2000],
            replay_requested_at=None,
        )
    )


def read_change(session: Session, seq: int) -> ChangeEntry | None:
    """The change with sequence number ``seq`` (None if there is none)."""
    entries = read_changes(session, seq - 1, 1)
    return entries[0] if entries and entries[0].seq == seq else None


def list_dead_letters(
    session: Session, after_id: int = 0, limit: int = 100
) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(DeadLetter).where(DeadLetter.id > after_id).order_by(DeadLetter.id).limit(limit)
    )
    return [
        {
            "id": d.id,
            "target": d.target,
            "seq": d.seq,
            "attempts": d.attempts,
            "error": d.error,
            "created_at": iso(d.created_at),
            "replay_requested_at": iso(d.replay_requested_at),
            "redelivered_at": iso(d.redelivered_at),
        }
        for d in rows
    ]
