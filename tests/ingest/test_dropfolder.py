"""Drop folders: settled files are read once and filed in done/ or failed/ with the reason."""

from __future__ import annotations

import os
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from sqlalchemy import func, select

from tests.conftest import ROOT
from wire.config import SourceConfig
from wire.ingest.dropfolder import poll_folder, ready_files
from wire.ingest.pipeline import RunStats, ingest_payload, settings_for
from wire.storage.db import Database
from wire.storage.models import ArticleRow, Reject

RSS = (ROOT / "samples" / "feeds" / "sda-news.rss").read_bytes()
SOURCE = SourceConfig(name="drop", location="unused", source="keystone-sda")


def age(path: Path, seconds: float = 60) -> Path:
    t = time.time() - seconds
    os.utime(path, (t, t))
    return path


def make_store(db: Database) -> Callable[[bytes, str, str | None], Awaitable[RunStats]]:
    async def store(data: bytes, location: str, filename: str | None) -> RunStats:
        return ingest_payload(db, data, settings_for(SOURCE, location), filename=filename)

    return store


def count(db: Database, model: type) -> int:
    with db.reader() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


async def test_files_are_read_once_and_filed(db: Database, tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    (drop / "sub").mkdir(parents=True)
    good = drop / "news.rss"
    good.write_bytes(RSS)
    age(good)
    bad = drop / "sub" / "garbage.bin"
    bad.write_bytes(b"\x00\x01\x02 this is no wire format")
    age(bad)
    partial = drop / "upload.xml.part"
    partial.write_bytes(RSS[:100])
    age(partial)
    hidden = drop / ".news.rss"
    hidden.write_bytes(RSS)
    age(hidden)
    fresh = drop / "fresh.rss"
    fresh.write_bytes(RSS)  # just written: not settled yet

    result = await poll_folder(drop, make_store(db), settle=5)
    assert (result.done, result.failed, result.pending) == (1, 1, 1)
    assert (drop / "done" / "news.rss").read_bytes() == RSS
    assert not good.exists()
    reason = (drop / "failed" / "sub" / "garbage.bin.reason").read_text()
    assert reason.strip()  # whichever adapter tried, its reason is kept
    assert (drop / "failed" / "sub" / "garbage.bin").exists()
    assert partial.exists() and hidden.exists() and fresh.exists()
    stored = count(db, ArticleRow)
    assert stored >= 5 and count(db, Reject) == 1

    again = await poll_folder(drop, make_store(db), settle=5)  # nothing new, fresh still young
    assert (again.done, again.failed, again.pending) == (0, 0, 1)
    age(fresh)
    later = await poll_folder(drop, make_store(db), settle=5)
    assert later.done == 1 and later.stats.unchanged == later.stats.items  # dedup: no new rows
    assert count(db, ArticleRow) == stored
    # The same name arriving again does not overwrite what is in done/.
    assert len(list((drop / "done").glob("fresh*.rss"))) == 1
    assert len(list((drop / "done").glob("news*.rss"))) == 1


async def test_same_name_twice_keeps_both_in_done(db: Database, tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    for _ in range(2):
        f = drop / "a.rss"
        f.write_bytes(RSS)
        age(f)
        await poll_folder(drop, make_store(db), settle=1)
    assert len(list((drop / "done").glob("a*.rss"))) == 2


async def test_a_store_error_leaves_the_file_in_place(tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    f = drop / "a.rss"
    f.write_bytes(RSS)
    age(f)

    async def broken(data: bytes, location: str, filename: str | None) -> RunStats:
        return RunStats(errors=1, messages=["database is down"])

    result = await poll_folder(drop, broken, settle=1)
    assert result.stats.errors == 1 and f.exists() and not (drop / "done").exists()


def test_ready_files_needs_settled_mtime(tmp_path: Path) -> None:
    (tmp_path / "old.xml").write_bytes(b"x")
    age(tmp_path / "old.xml")
    (tmp_path / "new.xml").write_bytes(b"x")
    (tmp_path / "x.tmp").write_bytes(b"x")
    ready, pending = ready_files(tmp_path, settle=2)
    assert [p.name for p in ready] == ["old.xml"] and pending == 1


async def test_missing_folder_is_an_error(tmp_path: Path) -> None:
    result = await poll_folder(tmp_path / "nope", make_store(None), settle=1)  # type: ignore[arg-type]
    assert result.stats.errors == 1 and "does not exist" in result.stats.messages[0]
