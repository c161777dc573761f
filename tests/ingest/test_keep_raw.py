"""``[storage] keep_raw = false``: no raw payload is kept, on every path that stores articles.

Rejects always keep their bytes (they are the evidence of why an item was refused).
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import SEED
from tests.ingest.servers import Reply, TestServer, rss
from tests.ingest.test_daemon import config, count, eventually, running
from tests.ingest.test_runner import settled
from wire.config import Config, SourceConfig, StorageConfig
from wire.ingest.runner import run_once
from wire.storage.db import Database
from wire.storage.models import ArticleRow, RawItem, Reject

FEED = rss([
    ("urn:sda:1", "Lukaschenko will Putin treffen", "Ein Treffen in Moskau ist geplant."),
    ("urn:sda:2", "Le Conseil fédéral présente son budget", "Les dépenses augmentent."),
    ("urn:sda:3", "Rotterdam closes its storm barrier", "Shipping was halted."),
])  # fmt: skip


def sources(server: TestServer, folder: Path) -> tuple[SourceConfig, ...]:
    return (
        SourceConfig(name="rss", location=server.url("/feed"), source="keystone-sda"),
        SourceConfig(
            name="drop", location=str(folder), kind="folder", format="text", source="keystone-sda"
        ),
    )


def drop_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "drop"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    (folder / "broken.xml").write_bytes(b"<rss><channel><item>")  # a reject
    for path in folder.iterdir():
        settled(path)  # old enough for the drop folder's settle time: read in this pass
    return folder


def raw_feeds(db: Database) -> list[str]:
    with db.reader() as s:
        return sorted(set(s.scalars(select(RawItem.feed))))


@pytest.mark.parametrize("keep_raw", [True, False])
def test_run_once_keeps_raw_payloads_only_when_configured(
    db: Database, tmp_path: Path, keep_raw: bool
) -> None:
    folder = drop_folder(tmp_path)
    with TestServer() as server:
        server.route("/feed", Reply(body=FEED, headers={"Content-Type": "application/rss+xml"}))
        cfg = Config(storage=StorageConfig(url=db.url, keep_raw=keep_raw))
        cfg = replace(cfg, sources=sources(server, folder))
        results = run_once(db, cfg, list(cfg.sources))
    assert results["rss"].new == 3 and results["drop"].new >= 1
    assert raw_feeds(db) == (["drop", "rss"] if keep_raw else [])
    with db.reader() as s:
        rejects = s.execute(select(func.count()).select_from(Reject)).scalar_one()
        assert rejects >= 1  # rejects keep theirs
        assert all(r.payload for r in s.scalars(select(Reject)))


async def test_the_daemon_keeps_no_raw_payload_when_configured(db: Database) -> None:
    with TestServer() as server:
        server.route("/feed", Reply(body=FEED, headers={"Content-Type": "application/rss+xml"}))
        src = SourceConfig(name="rss", location=server.url("/feed"), source="keystone-sda")
        cfg = replace(config(src), storage=StorageConfig(url=db.url, keep_raw=False))
        async with running(db, cfg):
            await eventually(lambda: count(db, ArticleRow) == 3, what="three articles")
    assert count(db, RawItem) == 0
