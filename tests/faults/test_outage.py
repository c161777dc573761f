"""A database outage is the store's fault, not the sources': the daemon pauses storing, says
so in /healthz and the metrics, loses nothing and resumes once the database is back."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from tests.faults.own_postgres import OwnPostgres
from tests.faults.test_poison import good_ninjs
from tests.ingest.servers import ConditionalFeed, TestServer, rss
from tests.ingest.test_daemon import config, eventually, metric, running
from wire.config import SourceConfig
from wire.storage.db import Database
from wire.storage.models import ArticleRow, SourceRow


@pytest.fixture
def own_pg() -> Iterator[OwnPostgres]:
    server = OwnPostgres()
    try:
        server.start()
        yield server
    finally:
        server.remove()


def drop_files(drop: Path, numbers: range) -> None:
    for i in numbers:
        path = drop / f"story-{i:04d}.json"
        path.write_bytes(good_ninjs(i))
        old = time.time() - 60
        os.utime(path, (old, old))


def done(drop: Path) -> set[str]:
    folder = drop / "done"
    return {p.name for p in folder.iterdir()} if folder.is_dir() else set()


@pytest.mark.slow
async def test_a_postgresql_outage_pauses_storing_and_blames_no_source(
    tmp_path: Path, own_pg: OwnPostgres
) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    drop_files(drop, range(5))
    source = SourceConfig(name="drop", location=str(drop), kind="folder", format="ninjs")
    db = Database(own_pg.url)
    try:
        # Leases longer than the outage, two failures would mark a source failing.
        async with running(db, config(source, lease_seconds=60, failing_after=2)) as daemon:
            await eventually(lambda: len(done(drop)) == 5, 60, "the first files stored")
            own_pg.stop()
            drop_files(drop, range(5, 15))
            await eventually(lambda: daemon.store_error is not None, 60, "storing paused")
            _, body = daemon.health()
            assert body["store"] == "paused" and body["status"] == "store_paused"
            assert body["failing"] == []
            assert metric(daemon, "wire_store_paused") == 1
            state = daemon.states["drop"]
            assert not state.failing and state.consecutive_failures == 0
            assert len(done(drop)) < 15  # the files the store refused wait in the folder
            await asyncio.sleep(3)  # a while of outage: polls keep being put off, not failed
            assert not daemon.states["drop"].failing
            own_pg.start()
            await eventually(lambda: len(done(drop)) == 15, 120, "every file stored after")
            await eventually(lambda: daemon.store_error is None, 60, "storing resumed")
            assert metric(daemon, "wire_store_paused") == 0
            assert daemon.health()[1]["store"] == "ok"
            state = daemon.states["drop"]
            assert not state.failing and state.consecutive_failures == 0
            assert metric(daemon, "wire_errors_total", source="drop") == 0
        with db.reader() as s:
            guids = set(s.scalars(select(ArticleRow.guid)))
        assert guids == {f"urn:newsml:example-wire.test:2026:story-{i:04d}" for i in range(15)}
    finally:
        db.dispose()


def rss_items(numbers: range) -> bytes:
    return rss([(f"urn:outage:{n}", f"Meldung {n} zur Lage", f"Der Text der Meldung {n}.")
                for n in numbers])  # fmt: skip


@pytest.mark.slow
async def test_an_outage_under_an_http_source_loses_nothing_and_blames_no_source(
    own_pg: OwnPostgres,
) -> None:
    feed = ConditionalFeed(rss_items(range(3)))
    with TestServer() as server:
        server.route("/feed", feed)
        source = SourceConfig(name="agency", location=server.url("/feed"), source="sda")
        db = Database(own_pg.url)
        try:
            cfg = config(source, lease_seconds=60, failing_after=2)
            async with running(db, cfg) as daemon:
                await eventually(lambda: stored(db) == 3, 60, "the first items stored")
                own_pg.stop()
                feed.set(rss_items(range(8)))  # new items while the store is down
                await eventually(lambda: daemon.store_error is not None, 60, "storing paused")
                mark = len(server.hits("/feed"))
                _, body = daemon.health()
                assert body["store"] == "paused" and body["status"] == "store_paused"
                assert body["failing"] == []
                assert metric(daemon, "wire_store_paused") == 1
                await asyncio.sleep(3)  # a while of outage: the source is put off, not failed
                state = daemon.states["agency"]
                assert not state.failing and state.consecutive_failures == 0
                feed.set(rss_items(range(12)))  # and more, still during the outage
                own_pg.start()
                await eventually(lambda: stored_safely(db) == 12, 120, "every item after")
                await eventually(lambda: daemon.store_error is None, 60, "storing resumed")
                assert len(server.hits("/feed")) > mark  # fetched again, nothing kept stale
                assert metric(daemon, "wire_store_paused") == 0
                assert daemon.health()[1]["store"] == "ok"
                state = daemon.states["agency"]
                assert not state.failing and state.consecutive_failures == 0
                assert metric(daemon, "wire_errors_total", source="agency") == 0
            with db.reader() as s:
                guids = set(s.scalars(select(ArticleRow.guid)))
                row = s.get(SourceRow, "agency")
            assert guids == {f"urn:outage:{n}" for n in range(12)}
            assert row is not None and row.consecutive_failures == 0
        finally:
            db.dispose()


def stored(db: Database) -> int:
    with db.reader() as s:
        return int(s.scalar(select(func.count()).select_from(ArticleRow)) or 0)


def stored_safely(db: Database) -> int:
    """Articles stored, or -1 while the database does not answer yet."""
    try:
        return stored(db)
    except OperationalError:
        return -1
