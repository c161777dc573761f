"""``wire run --once`` is one daemon cycle: drop folders filed, conditional requests, health,
leases respected. Each test runs on SQLite and PostgreSQL (the ``db`` fixture)."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from sqlalchemy import func, select

from tests.conftest import ROOT
from tests.ingest.servers import ConditionalFeed, Reply, TestServer, rss
from wire.config import Config, parse_config
from wire.ingest.runner import run_once
from wire.storage.db import Database
from wire.storage.health import ensure_sources
from wire.storage.leases import Leaser
from wire.storage.models import ArticleRow, SourceRow

CASES = ROOT / "tests" / "adapters" / "cases"
SDA = ROOT / "samples" / "feeds" / "sda-news.rss"


def settled(path: Path) -> None:
    """An mtime old enough for the drop folder's settle time."""
    old = time.time() - 60
    os.utime(path, (old, old))


def health(db: Database, name: str) -> SourceRow:
    with db.reader() as s:
        row = s.get(SourceRow, name)
        assert row is not None
        s.expunge(row)
        return row


def articles(db: Database) -> int:
    with db.reader() as s:
        return int(s.scalar(select(func.count()).select_from(ArticleRow)) or 0)


def test_drop_folder_files_go_to_done_or_failed_with_the_reason(
    db: Database, tmp_path: Path
) -> None:
    drop = tmp_path / "drop"
    (drop / "sda").mkdir(parents=True)
    shutil.copy(CASES / "newsml_story_v1.xml", drop / "story.xml")
    shutil.copy(SDA, drop / "sda" / "news.rss")  # sub-folders keep their place
    (drop / "broken.xml").write_bytes(b"<nitf><head><title>Abgebrochen")
    (drop / "fresh.xml").write_bytes((CASES / "nitf_de.xml").read_bytes())  # still settling
    for path in (drop / "story.xml", drop / "sda" / "news.rss", drop / "broken.xml"):
        settled(path)
    config = parse_config(
        {"sources": [{"name": "drop", "location": str(drop), "kind": "folder"}]}, tmp_path
    )
    stats = run_once(db, config, list(config.sources))["drop"]
    assert (stats.new, stats.rejected, stats.errors) == (7, 1, 0)
    assert (drop / "done" / "story.xml").exists() and (drop / "done" / "sda" / "news.rss").exists()
    assert (drop / "failed" / "broken.xml").exists() and not (drop / "broken.xml").exists()
    reason = (drop / "failed" / "broken.xml.reason").read_text(encoding="utf-8")
    assert "nitf" in reason.lower()
    assert (drop / "fresh.xml").exists()  # left for the next run, not read half-written
    # A second run finds only the settled late file: nothing is read twice.
    settled(drop / "fresh.xml")
    again = run_once(db, config, list(config.sources))["drop"]
    assert (again.new, again.unchanged, again.rejected) == (1, 0, 0)
    assert (drop / "done" / "fresh.xml").exists()
    assert articles(db) == 8


def test_second_run_sends_the_stored_validators_and_parses_nothing(
    db: Database, tmp_path: Path
) -> None:
    feed = ConditionalFeed(rss([("urn:t:1", "Bundesrat tagt", "Der Bundesrat hat getagt.")]))
    with TestServer() as server:
        server.route("/feed.rss", feed)
        config = parse_config(
            {
                "http": {"retries": 0},
                "sources": [{"name": "t", "location": server.url("/feed.rss")}],
            },
            tmp_path,
        )
        first = run_once(db, config, list(config.sources))["t"]
        stored = health(db, "t")
        second = run_once(db, config, list(config.sources))["t"]
        hits = server.hits("/feed.rss")
    assert first.new == 1 and (second.new, second.unchanged, second.errors) == (0, 0, 0)
    assert stored.etag == '"v1"' and stored.last_modified == feed.last_modified
    assert "if-none-match" not in hits[0].headers
    assert hits[1].headers["if-none-match"] == '"v1"'
    assert hits[1].headers["if-modified-since"] == feed.last_modified
    assert health(db, "t").last_success is not None


def test_health_counts_failures_marks_failing_and_recovers(db: Database, tmp_path: Path) -> None:
    answers = [Reply(503, b"maintenance")] * 2 + [Reply(200, SDA.read_bytes())]
    with TestServer() as server:
        server.route("/feed", lambda _req: answers.pop(0))
        config = parse_config(
            {
                "http": {"retries": 0},
                "daemon": {"failing_after": 2},
                "sources": [{"name": "sda", "location": server.url("/feed")}],
            },
            tmp_path,
        )
        rows = []
        for _ in range(3):
            run_once(db, config, list(config.sources))
            rows.append(health(db, "sda"))
    assert [(r.consecutive_failures, r.failing) for r in rows] == [
        (1, False),
        (2, True),
        (0, False),
    ]
    assert rows[1].last_error is not None and "503" in rows[1].last_error
    assert rows[2].last_error is None and rows[2].items_last_seen == 6
    assert rows[2].last_attempt is not None and rows[2].last_success == rows[2].last_attempt
    assert all(r.lease_owner is None for r in rows)  # the pass gives its leases back


def test_a_source_a_running_daemon_leases_is_skipped_with_a_note(
    db: Database, tmp_path: Path
) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    shutil.copy(SDA, drop / "news.rss")
    settled(drop / "news.rss")
    config = parse_config(
        {
            "sources": [
                {"name": "leased", "location": str(drop), "kind": "folder"},
                {"name": "free", "location": str(SDA)},
            ]
        },
        tmp_path,
    )
    ensure_sources(db, list(config.sources))
    daemon = Leaser(db, "otherhost:4242:abc123", ["leased"], lease_seconds=60)
    assert daemon.round(set()).gained.keys() == {"leased"}
    notes: list[tuple[str, str]] = []
    results = run_once(db, config, list(config.sources), on_skip=lambda n, o: notes.append((n, o)))
    assert notes == [("leased", "otherhost:4242:abc123")]
    assert set(results) == {"free"} and results["free"].new == 6
    assert (drop / "news.rss").exists()  # the daemon's to read, not this pass's
    assert health(db, "leased").last_attempt is None
    assert health(db, "leased").lease_owner == "otherhost:4242:abc123"  # still the daemon's
    # Once the daemon has let go, the pass polls it.
    daemon.release_all()
    assert run_once(db, config, list(config.sources))["leased"].unchanged == 6


def test_the_cli_prints_the_skip_note(db_url: str, tmp_path: Path) -> None:
    import subprocess
    import sys

    config_path = tmp_path / "config.toml"
    config_path.write_text(
        f'[storage]\nurl = "{db_url}"\n\n[[sources]]\nname = "sda"\nlocation = "{SDA}"\n',
        encoding="utf-8",
    )
    db = Database(db_url)
    try:
        ensure_sources(
            db,
            list(
                parse_config({"sources": [{"name": "sda", "location": str(SDA)}]}, tmp_path).sources
            ),
        )
        Leaser(db, "daemonhost:7:feedbe", ["sda"], lease_seconds=60).round(set())
    finally:
        db.dispose()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-m", "wire.ingest.cli", "run", "--once", "--config", str(config_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if "skipped" in line]
    assert lines == ["sda: skipped, a running daemon holds its lease (daemonhost:7:feedbe)"]


def test_config_without_a_database_yet(tmp_path: Path) -> None:
    """A first pass on a fresh SQLite file creates the store and the health rows."""
    db = Database(f"sqlite:///{tmp_path / 'fresh.db'}")
    try:
        config = Config(
            sources=parse_config(
                {"sources": [{"name": "s", "location": str(SDA)}]}, tmp_path
            ).sources
        )
        assert run_once(db, config, list(config.sources))["s"].new == 6
        assert health(db, "s").consecutive_failures == 0
    finally:
        db.dispose()
