"""SQLite write-ahead log checkpoints off the store's commits (``background_checkpoints``, the
daemon's database): commits no longer copy the log every 1,000 pages, ``checkpoint`` does."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from sqlalchemy import text

from wire.storage.db import BACKGROUND_AUTOCHECKPOINT, Database


def autocheckpoint(db: Database) -> int:
    with db.reader() as s:
        return int(s.execute(text("PRAGMA wal_autocheckpoint")).scalar_one())


def write_pages(db: Database, rows: int) -> None:
    with db.session() as s:
        s.execute(text("CREATE TABLE IF NOT EXISTS filler (n INTEGER, pad TEXT)"))
        s.execute(
            text("INSERT INTO filler VALUES (:n, :pad)"),
            [{"n": n, "pad": "x" * 2000} for n in range(rows)],
        )


def wal_pages(path: Path) -> int:
    wal = path.with_name(path.name + "-wal")
    return wal.stat().st_size // 4096 if wal.exists() else 0


def test_commits_leave_the_log_to_the_checkpointer(tmp_path: Path) -> None:
    # SQLite's own behaviour first: the commit that passes 1,000 log pages copies them into
    # the database file itself.
    plain = Database(f"sqlite:///{tmp_path / 'plain.db'}")
    try:
        assert autocheckpoint(plain) == 1000
        size = (tmp_path / "plain.db").stat().st_size
        write_pages(plain, 3000)  # ~1,500 pages
        assert (tmp_path / "plain.db").stat().st_size > size + 1000 * 4096
    finally:
        plain.dispose()
    path = tmp_path / "wire.db"
    db = Database(f"sqlite:///{path}", background_checkpoints=True)
    try:
        assert db.background_checkpoints
        assert autocheckpoint(db) == BACKGROUND_AUTOCHECKPOINT
        size = path.stat().st_size
        write_pages(db, 3000)  # past SQLite's mark, short of the backstop
        assert path.stat().st_size == size  # committed into the log only
        busy, pages, done = db.checkpoint()
        assert (busy, done) == (0, pages) and pages > 1000
        assert path.stat().st_size > size + 1000 * 4096  # now in the database file
        # What the checkpoint copied is in the database file, whoever reads it.
        with sqlite3.connect(path) as other:
            assert other.execute("SELECT count(*) FROM filler").fetchone() == (3000,)
    finally:
        db.dispose()


def test_a_checkpoint_beside_a_writer_loses_nothing(tmp_path: Path) -> None:
    """PASSIVE: the writer goes on while the log is copied; every commit is kept."""
    path = tmp_path / "wire.db"
    db = Database(f"sqlite:///{path}", background_checkpoints=True)
    stop = threading.Event()
    checkpoints: list[tuple[int, int, int]] = []

    def checkpointer() -> None:
        while not stop.is_set():
            checkpoints.append(db.checkpoint())

    thread = threading.Thread(target=checkpointer)
    thread.start()
    try:
        for _ in range(20):
            write_pages(db, 50)
    finally:
        stop.set()
        thread.join(10)
    try:
        assert checkpoints and all(busy == 0 for busy, _, _ in checkpoints)
        db.checkpoint()
        with db.reader() as s:
            assert s.execute(text("SELECT count(*) FROM filler")).scalar_one() == 1000
        assert wal_pages(path) <= 4 * BACKGROUND_AUTOCHECKPOINT
    finally:
        db.dispose()
    with sqlite3.connect(path) as other:
        assert other.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_other_databases_need_no_checkpoint(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'wire.db'}")
    try:
        assert not db.background_checkpoints  # only where asked for (the daemon)
    finally:
        db.dispose()
