"""A new SQLite store in one step: the schema the migrations make, replayed from a snapshot.

Every migration run one after the other (Alembic's environment, twenty-odd scripts, SQLite's
table copies for each altered table) costs a fresh store a third of a second and Alembic's
import; a ``wire run --once`` into a new file paid it every time. The snapshot
(``migrations/sqlite_head.json``) is what those migrations leave in ``sqlite_master``, in
order, with the revision it was taken at. :func:`create_head` replays it on an empty SQLite
store and stamps that revision, only when it is the newest migration: a snapshot left
behind by a new migration is never used (the store is migrated as before), and
``tests/storage/test_sqlite_head.py`` fails until it is written again::

    python -m wire.storage.sqlite_head   # after adding a migration

PostgreSQL stores are always migrated (a schema per test is copied from a template there).
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

SNAPSHOT = Path(__file__).parent / "migrations" / "sqlite_head.json"
# Order of replay: tables first (a trigger or index needs its table; a view may come later),
# whatever order ALTERs and table copies left them in ``sqlite_master``.
_KIND_ORDER = {"table": 0, "index": 1, "view": 2, "trigger": 3}
# FTS3/4/5's shadow tables ("<name>_data", ...): CREATE VIRTUAL TABLE makes them again.
_SHADOW_PARTS = ("content", "segments", "segdir", "docsize", "stat", "data", "idx", "config")


def _shadows(virtual: str) -> set[str]:
    """The tables SQLite's full-text modules make for a virtual table of theirs."""
    return {f"{virtual}_{part}" for part in _SHADOW_PARTS}


def schema_statements(conn: sqlite3.Connection) -> list[str]:
    """The statements that make ``conn``'s schema again: every ``sqlite_master`` entry with
    SQL of its own, tables first, leaving out what SQLite makes by itself (indexes of
    constraints, which have no SQL, and the shadow tables of a virtual table)."""
    rows = conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY rowid").fetchall()
    virtual = [n for t, n, s in rows if t == "table" and (s or "").startswith("CREATE VIRTUAL")]
    own = [
        (kind, sql)
        for kind, name, sql in rows
        if sql
        and not name.startswith("sqlite_")
        and not (kind == "table" and any(name in _shadows(v) for v in virtual))
    ]
    return [sql for _, sql in sorted(own, key=lambda r: _KIND_ORDER[r[0]])]


def take_snapshot() -> dict[str, Any]:
    """Migrate a new SQLite file through Alembic and read back its schema."""
    from wire.storage.db import head_revision, make_engine, migrate

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "head.db"
        engine = make_engine(f"sqlite:///{path}")
        migrate(engine, snapshot=False)
        engine.dispose()
        conn = sqlite3.connect(path)
        try:
            statements = schema_statements(conn)
        finally:
            conn.close()
    return {"revision": head_revision(), "statements": statements}


@cache
def snapshot() -> dict[str, Any] | None:
    """The stored snapshot (None when there is none, or it cannot be read)."""
    try:
        data: dict[str, Any] = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data


def create_head(conn: Connection, head: str | None) -> bool:
    """Create the newest schema on ``conn``, an empty SQLite store in a transaction, and stamp
    its revision; False (nothing done) when the snapshot is not of ``head``."""
    snap = snapshot()
    if head is None or snap is None or snap.get("revision") != head:
        return False
    for statement in snap["statements"]:
        conn.exec_driver_sql(statement)
    conn.exec_driver_sql("INSERT INTO alembic_version (version_num) VALUES (?)", (head,))
    return True


def is_empty(conn: Connection) -> bool:
    """Whether the SQLite store holds no schema object at all (a new file)."""
    return conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar() == 0


def main() -> None:
    """Write the snapshot of the newest migration (run after adding one)."""
    SNAPSHOT.write_text(json.dumps(take_snapshot(), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {SNAPSHOT}")


if __name__ == "__main__":
    main()
