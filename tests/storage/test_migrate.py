"""Opening a store already at the newest migration needs no Alembic (about 9 MB and a fifth
of a second of every daemon's and command's start); an older store is migrated by it, a new
SQLite store made from the schema snapshot (tests/storage/test_sqlite_head.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT
from wire.storage import db as storage_db


def test_the_head_read_from_the_scripts_is_alembics() -> None:
    assert storage_db.head_revision() == storage_db._alembic_head()


def test_a_store_at_the_head_opens_without_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    code = (
        "import sys\n"
        "from wire.storage.db import Database, head_revision\n"
        f"Database({url!r}).dispose()\n"
        "print('alembic' in sys.modules)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def run() -> str:
        done = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert run() == "False"  # a new SQLite store: made from the snapshot (test_sqlite_head)
    assert run() == "False"  # at the head: one query, no Alembic
    with storage_db.Database(url).session() as s:
        assert s.execute(storage_db.text("SELECT version_num FROM alembic_version")).scalar() == (
            storage_db.head_revision()
        )
