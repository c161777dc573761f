"""A database outage is the store's fault, not the sources': the daemon pauses storing, says
so in /healthz and the metrics, loses nothing and resumes once the database is back."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.faults.own_postgres import OwnPostgres
from tests.faults.test_poison import good_ninjs
from tests.ingest.test_daemon import config, eventually, metric, running
from wire.config import SourceConfig
from wire.storage.db import Database
from wire.storage.models import ArticleRow


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
