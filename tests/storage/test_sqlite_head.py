"""A new SQLite store made from the schema snapshot equals one made by running every migration:
the same ``sqlite_master`` (SQL of every table, index, view and trigger), the same rows (the
full-text index's own tables too), the same reflected schema, the same stamped revision."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import inspect

from wire.storage import sqlite_head
from wire.storage.db import Database, head_revision, make_engine, migrate


def _migrated(path: Path, *, snapshot: bool) -> None:
    engine = make_engine(f"sqlite:///{path}")
    try:
        migrate(engine, snapshot=snapshot)
    finally:
        engine.dispose()


def _master(path: Path) -> dict[tuple[str, str], tuple[str, str | None]]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    finally:
        conn.close()
    return {(kind, name): (table, sql) for kind, name, table, sql in rows}


def _contents(path: Path) -> dict[str, Any]:
    conn = sqlite3.connect(path)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        rows = {n: sorted(map(repr, conn.execute(f'SELECT * FROM "{n}"'))) for n in names}
        rows["user_version"] = conn.execute("PRAGMA user_version").fetchall()
        return rows
    finally:
        conn.close()


def _reflected(path: Path) -> dict[str, Any]:
    engine = make_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            insp = inspect(conn)
            tables: dict[str, Any] = {"views": sorted(insp.get_view_names())}
            for table in insp.get_table_names():
                columns = [
                    (c["name"], str(c["type"]), c["nullable"], c["default"])
                    for c in insp.get_columns(table)
                ]
                tables[table] = (
                    columns,
                    insp.get_pk_constraint(table),
                    sorted(map(repr, insp.get_foreign_keys(table))),
                    sorted(map(repr, insp.get_indexes(table))),
                    sorted(map(repr, insp.get_unique_constraints(table))),
                )
            return tables
    finally:
        engine.dispose()


def test_the_snapshot_is_of_the_newest_migration() -> None:
    """Fails after a new migration until ``python -m wire.storage.sqlite_head`` is run."""
    stored = json.loads(sqlite_head.SNAPSHOT.read_text(encoding="utf-8"))
    assert stored["revision"] == head_revision()
    assert stored == sqlite_head.take_snapshot()


def test_a_store_from_the_snapshot_equals_a_migrated_one(tmp_path: Path) -> None:
    migrated, created = tmp_path / "migrated.db", tmp_path / "created.db"
    _migrated(migrated, snapshot=False)
    _migrated(created, snapshot=True)
    assert _master(created) == _master(migrated)
    assert _contents(created) == _contents(migrated)
    assert _reflected(created) == _reflected(migrated)
    assert _contents(created)["alembic_version"] == [repr((head_revision(),))]


def test_a_stale_snapshot_is_not_used(tmp_path: Path, monkeypatch: Any) -> None:
    """A snapshot of another revision leaves the new store to Alembic (same schema)."""
    stale = {**(sqlite_head.snapshot() or {}), "revision": "not-the-head"}
    monkeypatch.setattr(sqlite_head, "snapshot", lambda: stale)
    made: list[bool] = []
    create_head = sqlite_head.create_head
    monkeypatch.setattr(
        sqlite_head, "create_head", lambda conn, head: made.append(create_head(conn, head))
    )
    Database(f"sqlite:///{tmp_path / 'store.db'}").dispose()
    assert made == [False]
    reference = tmp_path / "migrated.db"
    _migrated(reference, snapshot=False)
    assert _master(tmp_path / "store.db") == _master(reference)


def test_only_an_empty_store_counts_as_new(tmp_path: Path) -> None:
    """A file with tables of its own but no revision is left to Alembic, never overwritten."""
    path = tmp_path / "store.db"
    engine = make_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as conn:
            assert sqlite_head.is_empty(conn)
            conn.exec_driver_sql("CREATE TABLE mine (x INTEGER)")
            assert not sqlite_head.is_empty(conn)
    finally:
        engine.dispose()
