"""Opening a store already at the newest migration needs no Alembic (about 9 MB and a fifth
of a second of every daemon's and command's start); an older store is migrated by it, a new
SQLite store made from the schema snapshot (tests/storage/test_sqlite_head.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from alembic import command
from sqlalchemy import inspect

from tests.conftest import ROOT
from tests.storage.test_writer import article
from wire.ingest.fingerprint import text_fingerprint
from wire.storage import db as storage_db
from wire.storage.writer import store_article


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


def _keys_and_index(url: str, articles: list[Any], revision: str | None) -> list[Any]:
    """The article keys and full-text rows (SQLite) a store at ``revision`` (None: the head)
    holds after the writer stored ``articles``, in order."""
    db = storage_db.Database(url)
    if revision is not None:
        with db.engine.begin() as conn:
            cfg = storage_db.alembic_config(db.engine)
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, revision)
    for item in articles:
        with db.session() as s:
            store_article(s, replace(item), text_hash=text_fingerprint(item))
    with db.reader() as s:
        rows = [
            list(s.execute(storage_db.text(f"SELECT * FROM {table} ORDER BY rowid")).all())
            for table in ("article_keys", "articles_search")
        ]
    db.dispose()
    return rows


def test_i20x_writes_the_same_article_keys_as_before(tmp_path: Path) -> None:
    """The one-statement ``article_keys_insert`` trigger (SQLite) leaves the keys, their
    filter columns and tags, and the full-text rows exactly as the insert-then-update did:
    new articles with and without agencies, a new version, a kill."""
    articles = [
        article(guid="urn:a", agencies=["keystone-sda", "dpa"]),
        article(guid="urn:b", agencies=[], images=[], language=None, body_text="Anderer Text."),
        article(guid="urn:c", source=None, feed="other", body_text="Ein dritter Text."),
        article(guid="urn:a", headline="Neue Fassung", agencies=["dpa"], body_text="Neu."),
        article(guid="urn:a", pubstatus="canceled", body_text="Neu."),
    ]
    before = _keys_and_index(f"sqlite:///{tmp_path / 'before.db'}", articles, "i18b_bursts")
    now = _keys_and_index(f"sqlite:///{tmp_path / 'now.db'}", articles, None)
    assert before == now and len(now[0]) == 3 and len(now[1]) == 3


def test_i20x_drops_the_single_column_time_index_and_downgrades(db_url: str) -> None:
    db = storage_db.Database(db_url)

    def indexes() -> set[str]:
        with db.engine.connect() as conn:
            return {str(i["name"]) for i in inspect(conn).get_indexes("articles")}

    assert "ix_articles_versioncreated_id" in indexes()
    assert "ix_articles_versioncreated" not in indexes()
    cfg = storage_db.alembic_config(db.engine)
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "i18b_bursts")
    assert "ix_articles_versioncreated" in indexes()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    assert "ix_articles_versioncreated" not in indexes()
    db.dispose()
