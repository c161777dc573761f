"""Source leases: several daemons share one database and never poll the same source at once.

Each source row in ``feeds`` carries ``lease_owner`` and ``lease_expires``. Every daemon runs a
lease round every third of ``[daemon].lease_seconds``, in one transaction:

1. heartbeat its row in ``daemons`` and count the live daemons (seen within one lease period);
2. renew the leases it holds (a lease that expired and was taken by another daemon is lost);
3. compute its fair share, ``ceil(sources / live daemons)``; above it, stop polling the
   surplus and hand it back at the next round (never while a poll of it is in flight, so no
   peer can claim a source that is still being polled); below it, claim free or expired
   sources with ``SELECT ... FOR UPDATE SKIP LOCKED`` on PostgreSQL, so two daemons claiming
   at the same moment skip each other's rows instead of waiting or double-claiming. SQLite
   has one writer at a time (``BEGIN IMMEDIATE``), which gives the same guarantee on one host.

A dead daemon stops renewing: its leases expire after ``lease_seconds`` and the others take
its sources over. A holder that is provably gone (same host, its pid no longer alive:
:func:`holder_gone`) is not waited for: its leases are claimed at once and its registry row
dropped, so a daemon restarted after a SIGKILL polls at once. A daemon that stops cleanly
releases everything at once. Times come from the database clock on PostgreSQL, so hosts with
skewed clocks still agree on expiry.

``wire run --once`` takes part too (:func:`claim_unheld`): it leases the sources no daemon
holds for the length of its pass, and skips the others.
"""

from __future__ import annotations

import math
import os
import socket
import uuid
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, and_, delete, func, or_, select, update
from sqlalchemy.orm import Session

from wire.storage.db import Database, dialect_insert
from wire.storage.health import SourceHealth
from wire.storage.models import DaemonRow, SourceRow

DAEMONS = cast(Table, DaemonRow.__table__)  # the registry of running daemons (migration 0002)


def new_owner_id(token: str | None = None) -> str:
    """``host:pid:token``: unique per process, readable in ``wire sources``. The token is
    random, or a daemon's kept identity (``[daemon].state_file``) that a restart reuses."""
    return f"{socket.gethostname()}:{os.getpid()}:{token or uuid.uuid4().hex[:6]}"


def same_identity(column: Any, owner: str, token: str) -> ColumnElement[bool]:
    """Owners under ``token`` other than ``owner``: earlier runs of this daemon's identity."""
    return and_(column.like(f"%:{token}"), column != owner)


def holder_gone(owner: str) -> bool:
    """Whether the process that took a lease as ``owner`` (``host:pid:random``) is provably
    gone: it ran on this host and its pid is no longer alive (or is a zombie). A holder on
    another host, or one whose pid is alive (a reused pid included), is not provably gone:
    its leases expire as usual."""
    host, _, rest = owner.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # alive, another user's
    except OverflowError:
        return False
    try:  # killed but not yet reaped by its parent: as dead as it gets
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


@dataclass
class LeaseRound:
    """What one lease round changed."""

    now: datetime
    peers: int  # live daemons, this one included
    held: set[str] = field(default_factory=set)  # sources to poll after the round
    gained: dict[str, SourceHealth] = field(default_factory=dict)  # newly claimed, stored state
    lost: set[str] = field(default_factory=set)  # were ours, taken after our lease expired
    to_release: set[str] = field(default_factory=set)  # surplus: stop polling, hand back next
    releasing: set[str] = field(default_factory=set)  # still ours, handed back next round
    released: set[str] = field(default_factory=set)  # handed back in this round


def db_now(session: Session) -> datetime:
    if session.get_bind().dialect.name == "postgresql":
        value = session.scalar(select(func.now()))
        if isinstance(value, datetime):
            return value.astimezone(UTC)
    return datetime.now(UTC)


class Leaser:
    """One daemon's side of the lease protocol over a fixed set of configured sources."""

    def __init__(
        self,
        db: Database,
        owner: str,
        names: list[str],
        lease_seconds: float,
        *,
        identity: str | None = None,
    ) -> None:
        self.db = db
        self.owner = owner
        self.names = sorted(set(names))
        self.lease = timedelta(seconds=lease_seconds)
        self.started = datetime.now(UTC)
        # A kept identity (the token ending ``owner``): until a round succeeds, each round
        # first takes back what earlier runs under it hold (see wire.ingest.identity).
        self.identity = identity
        self.reclaimed = identity is None

    def round(
        self,
        held: AbstractSet[str],
        releasing: AbstractSet[str] = frozenset(),
        busy: AbstractSet[str] = frozenset(),
    ) -> LeaseRound:
        """Heartbeat, renew, hand back last round's surplus, then mark or claim to the fair share.

        ``held`` are the sources the daemon polls, ``releasing`` those it stopped polling at
        the previous round (handed back now unless still ``busy``, i.e. a poll is in flight).
        A surplus is handed back one round after it is marked (``to_release``), so the
        daemon stops polling a source before any peer can claim it.
        """
        with self.db.session() as session:
            now = db_now(session)
            expires = now + self.lease
            taken_back = self._reclaim(session, expires) if not self.reclaimed else []
            peers = self._heartbeat(session, now)
            session.execute(
                update(SourceRow)
                .where(SourceRow.lease_owner == self.owner, SourceRow.name.in_(self.names))
                .values(lease_expires=expires)
                .execution_options(synchronize_session=False)
            )
            mine = set(
                session.scalars(
                    select(SourceRow.name).where(
                        SourceRow.lease_owner == self.owner, SourceRow.name.in_(self.names)
                    )
                )
            )
            result = LeaseRound(now=now, peers=peers, lost=set(held) - mine)
            result.gained = {r.name: SourceHealth.from_row(r) for r in taken_back}
            hand_back = (set(releasing) & mine) - set(busy)
            if hand_back:
                session.execute(
                    update(SourceRow)
                    .where(
                        SourceRow.name.in_(sorted(hand_back)), SourceRow.lease_owner == self.owner
                    )
                    .values(lease_owner=None, lease_expires=None)
                    .execution_options(synchronize_session=False)
                )
                result.released = hand_back
                mine -= hand_back
            pending = set(releasing) & mine
            active = mine - pending
            fair = math.ceil(len(self.names) / max(1, peers))
            if len(active) > fair:
                # Keep the busy ones; hand back idle ones, the last names first.
                order = sorted(active, key=lambda n: (n not in busy, n))
                result.to_release = set(order[fair:])
                active -= result.to_release
            elif len(mine) < fair:
                query = (
                    select(SourceRow)
                    .where(
                        SourceRow.name.in_(self.names),
                        or_(
                            SourceRow.lease_owner.is_(None),
                            SourceRow.lease_expires.is_(None),
                            SourceRow.lease_expires < now,
                            SourceRow.lease_owner.in_(gone_holders(session, self.names, now)),
                        ),
                    )
                    .order_by(SourceRow.name)
                    .limit(fair - len(mine))
                )
                if session.get_bind().dialect.name == "postgresql":
                    query = query.with_for_update(skip_locked=True)
                rows = list(session.scalars(query))
                if rows:
                    self._take(session, rows, expires)
                    result.gained.update({r.name: SourceHealth.from_row(r) for r in rows})
                    active |= {r.name for r in rows}
            result.held = active
            result.gained = {n: h for n, h in result.gained.items() if n in active}
            result.releasing = pending | result.to_release
        self.reclaimed = True
        return result

    def _take(self, session: Session, rows: list[SourceRow], expires: datetime) -> None:
        """Write this daemon's lease onto ``rows`` (already chosen and locked)."""
        session.execute(
            update(SourceRow)
            .where(SourceRow.name.in_([r.name for r in rows]))
            .values(lease_owner=self.owner, lease_expires=expires)
            .execution_options(synchronize_session=False)
        )

    def _reclaim(self, session: Session, expires: datetime) -> list[SourceRow]:
        """Take back the leases of earlier runs of this identity (a restart, maybe on another
        host or under a pid that is alive there) and drop their registry rows; the sources
        taken back, as stored."""
        assert self.identity is not None
        query = select(SourceRow).where(
            SourceRow.name.in_(self.names),
            same_identity(SourceRow.lease_owner, self.owner, self.identity),
        )
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update()
        rows = list(session.scalars(query))
        if rows:
            self._take(session, rows, expires)
        session.execute(
            delete(DAEMONS).where(same_identity(DAEMONS.c.id, self.owner, self.identity))
        )
        return rows

    def _heartbeat(self, session: Session, now: datetime) -> int:
        values = {
            "id": self.owner,
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "started_at": self.started,
            "last_seen": now,
        }
        session.execute(
            dialect_insert(session)(DAEMONS)
            .values(**values)
            .on_conflict_do_update(index_elements=["id"], set_={"last_seen": now})
        )
        # Daemons of this host whose process is gone (killed) are not peers: without this a
        # restarted daemon would claim only its share beside its own dead predecessor.
        here = session.scalars(
            select(DAEMONS.c.id).where(
                DAEMONS.c.host == socket.gethostname(), DAEMONS.c.id != self.owner
            )
        )
        dead = [d for d in here if holder_gone(d)]
        if dead:
            session.execute(delete(DAEMONS).where(DAEMONS.c.id.in_(dead)))
        # Rows of daemons dead for a long time are history, not peers.
        session.execute(delete(DAEMONS).where(DAEMONS.c.last_seen < now - 10 * self.lease))
        return int(
            session.scalar(
                select(func.count())
                .select_from(DAEMONS)
                .where(DAEMONS.c.last_seen > now - self.lease)
            )
            or 1
        )

    def release_all(self) -> int:
        """Give every lease back and leave the registry (a clean stop)."""
        count = release(self.db, self.owner)
        with self.db.session() as session:
            session.execute(delete(DAEMONS).where(DAEMONS.c.id == self.owner))
        return count


def gone_holders(session: Session, names: list[str], now: datetime) -> list[str]:
    """Owners of live leases on ``names`` whose process is provably gone (:func:`holder_gone`):
    their leases are free at once, with no wait for expiry."""
    owners = session.scalars(
        select(SourceRow.lease_owner)
        .where(
            SourceRow.name.in_(names),
            SourceRow.lease_owner.is_not(None),
            SourceRow.lease_expires >= now,
        )
        .distinct()
    )
    return [o for o in owners if o is not None and holder_gone(o)]


def claim_unheld(
    db: Database, owner: str, names: list[str], lease_seconds: float
) -> tuple[dict[str, SourceHealth], dict[str, str]]:
    """Lease the named sources nobody else holds, for one pass (``wire run --once``).

    Returns the stored health of the sources now leased to ``owner``, and the owner of each
    source a live lease of another process (a running daemon) holds: those are not polled.
    """
    with db.session() as session:
        now = db_now(session)
        query = select(SourceRow).where(SourceRow.name.in_(names))
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update()  # waits for a lease round in progress
        rows = list(session.scalars(query))
        held_elsewhere = {
            r.name: r.lease_owner
            for r in rows
            if r.lease_owner is not None
            and r.lease_owner != owner
            and r.lease_expires is not None
            and r.lease_expires >= now
            and not holder_gone(r.lease_owner)
        }
        mine = [r for r in rows if r.name not in held_elsewhere]
        if mine:
            session.execute(
                update(SourceRow)
                .where(SourceRow.name.in_([r.name for r in mine]))
                .values(lease_owner=owner, lease_expires=now + timedelta(seconds=lease_seconds))
                .execution_options(synchronize_session=False)
            )
        return {r.name: SourceHealth.from_row(r) for r in mine}, held_elsewhere


def release(db: Database, owner: str) -> int:
    """Give back every lease ``owner`` holds; returns how many."""
    with db.session() as session:
        count = len(
            list(session.scalars(select(SourceRow.name).where(SourceRow.lease_owner == owner)))
        )
        session.execute(
            update(SourceRow)
            .where(SourceRow.lease_owner == owner)
            .values(lease_owner=None, lease_expires=None)
            .execution_options(synchronize_session=False)
        )
    return count


def live_daemons(db: Database, lease_seconds: float) -> list[dict[str, object]]:
    """Daemons seen within one lease period (for ``wire sources``)."""
    with db.reader() as session:
        now = db_now(session)
        rows = session.execute(
            select(DAEMONS).where(DAEMONS.c.last_seen > now - timedelta(seconds=lease_seconds))
        )
        return [dict(r._mapping) for r in rows]
