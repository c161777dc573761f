"""Change-feed sequence numbers: taken by parallel writers, passed by readers below a horizon.

SQLite has one writer at a time (``BEGIN IMMEDIATE``): a batch numbers its changes
``MAX(seq) + 1`` onwards and they become visible in commit order.

PostgreSQL writers run in parallel and take numbers from the sequence ``wire_change_seq``
(migration ``i20w_parallel_feed``), so a later number can commit before an earlier one. Before
taking numbers a writer registers, with a shared advisory lock that never waits, a key no
larger than any number it will take; the lock goes at commit or rollback. A reader asks for the
horizon: one above the last number taken, or the smallest key of a live registration, if that
is lower. Every number below it is final (committed or rolled back for good), because the last
number is read before the registrations: a number taken by then was registered by then, so
its transaction is either still listed or already over. Readers pass only numbers below the
horizon, so "every change after my cursor" never skips one that commits later.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select, text
from sqlalchemy.orm import Session

from wire.storage.models import Change

_TAKE = text("SELECT s FROM wire_change_seqs(:n) AS s")
_HORIZON = text("SELECT wire_change_horizon()")


def take(session: Session, conn: Connection, n: int) -> list[int]:
    """``n`` new sequence numbers, ascending, for changes written in this transaction."""
    if conn.dialect.name == "postgresql":
        return sorted(int(s) for s in conn.execute(_TAKE, {"n": n}).scalars())
    # SQLite: the write lock is held to commit, so one MAX() per transaction is enough.
    key = ("wire_next_seq", id(session.get_transaction()))
    first = session.info.get(key)
    if first is None:
        first = (conn.scalar(select(func.max(Change.seq))) or 0) + 1
    session.info[key] = first + n
    return list(range(first, first + n))


def horizon(executor: Session | Connection) -> int | None:
    """Readers pass only sequence numbers below this one (None: no limit, on SQLite)."""
    if _dialect(executor) != "postgresql":
        return None
    return int(executor.scalar(_HORIZON))


def below_horizon(executor: Session | Connection, stmt: Any) -> Any:
    """``stmt`` (a SELECT over ``changes``) limited to the final sequence numbers."""
    limit = horizon(executor)
    return stmt if limit is None else stmt.where(Change.seq < limit)


def _dialect(executor: Session | Connection) -> str:
    if isinstance(executor, Session):
        return executor.get_bind().dialect.name
    return executor.dialect.name
