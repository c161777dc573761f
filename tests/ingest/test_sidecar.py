"""``wire run --once`` with its parse worker (``wire.ingest.sidecar``) stores what the parse in
a thread stores: the same articles, text fingerprints, signatures, versions, changes and
clusters; a worker that dies costs speed only."""

from __future__ import annotations

from concurrent.futures import Future
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bench.parse.feed import make_feed  # real-shaped agency copy
from wire.adapters.base import FeedSettings
from wire.config import Config, parse_config
from wire.ingest import pipeline
from wire.ingest import sidecar as sidecar_mod
from wire.ingest.dedup import Signer
from wire.ingest.parsing import parse_fingerprinted
from wire.ingest.runner import run_once
from wire.ingest.sidecar import Sidecar, start_for
from wire.record import Article
from wire.storage.db import Database
from wire.storage.models import (
    ArticleRow,
    ArticleVersion,
    Change,
    ClusterMember,
    Signature,
)


@pytest.fixture(scope="module")
def feed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 items of agency copy (rewrites and copies of the same stories among them)."""
    path = tmp_path_factory.mktemp("feed") / "agency.rss"
    path.write_bytes(make_feed(300)[0])
    return path


def _config(tmp_path: Path, feed: Path) -> Config:
    return parse_config(
        {"sources": [{"name": "agency", "location": str(feed), "format": "rss"}]}, tmp_path
    )


def _stored(db: Database) -> dict[str, Any]:
    """The stored results, wall-clock times and generated cluster ids left out (a cluster is
    the set of its members)."""
    with db.reader() as s:
        articles = sorted(
            (r.id, r.guid, r.headline, r.body_text, r.language, r.text_hash, r.version)
            for r in s.scalars(select(ArticleRow))
        )
        versions = sorted(
            (v.article_id, v.version, v.content_hash) for v in s.scalars(select(ArticleVersion))
        )
        changes = sorted(
            (c.seq, c.article_id, c.version, c.kind) for c in s.scalars(select(Change))
        )
        signatures = sorted((g.article_id, g.minhash) for g in s.scalars(select(Signature)))
        clusters: dict[str, set[str]] = {}
        matched = []
        for m in s.scalars(select(ClusterMember)):
            clusters.setdefault(m.cluster_id, set()).add(m.article_id)
            matched.append((m.article_id, m.matched_article_id, m.similarity))
    return {
        "articles": articles,
        "versions": versions,
        "changes": changes,
        "signatures": signatures,
        "clusters": sorted(sorted(c) for c in clusters.values()),
        "matched": sorted(matched, key=repr),
    }


def _thread_run(tmp_path: Path, feed: Path) -> dict[str, Any]:
    reference = Database(f"sqlite:///{tmp_path / 'thread.db'}")
    try:
        stats = run_once(reference, _config(tmp_path, feed), list(_config(tmp_path, feed).sources))
        assert stats["agency"].new > 0
        return _stored(reference)
    finally:
        reference.dispose()


@pytest.fixture
def anywhere(monkeypatch: pytest.MonkeyPatch) -> None:
    """A sidecar for any payload, on any machine, however busy."""
    monkeypatch.setattr(sidecar_mod.os, "sched_getaffinity", lambda pid: set(range(2)))
    monkeypatch.setattr(sidecar_mod.os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    monkeypatch.setattr(sidecar_mod, "WORTH_BYTES", 0)


def test_the_sidecar_stores_what_a_thread_parse_stores(
    db: Database, tmp_path: Path, feed: Path, anywhere: None
) -> None:
    config = _config(tmp_path, feed)
    sidecar = start_for(config, list(config.sources))
    assert sidecar is not None
    assert len(sidecar._ahead) == 1  # the file is parsed before it is polled
    try:
        got = run_once(db, config, list(config.sources), sidecar=sidecar)["agency"]
        assert not sidecar._ahead  # and the poll took that parse
    finally:
        sidecar.stop()
    assert (got.new, got.errors, got.rejected) == (len(_stored(db)["articles"]), 0, 0)
    stored = _stored(db)
    assert stored == _thread_run(tmp_path, feed)
    assert len(stored["clusters"]) < len(stored["articles"])  # copies did cluster


def signed_here(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The sizes of the batches this process signs itself (the worker's signing is not seen:
    it runs in another process)."""
    made: list[int] = []
    parts_many = Signer.parts_many

    def counted(self: Signer, texts: list[Any]) -> Any:
        made.append(len(texts))
        return parts_many(self, texts)

    monkeypatch.setattr(Signer, "parts_many", counted)
    return made


def test_the_worker_signs_and_fingerprints_as_the_store_would(
    tmp_path: Path, feed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The clusterer is handed a signature for every story it signs (none made again), and
    the store a fingerprint for every article."""
    config = _config(tmp_path, feed)
    made = signed_here(monkeypatch)
    fingerprinted: list[str] = []
    monkeypatch.setattr(pipeline, "text_fingerprint", lambda a: fingerprinted.append(a.id))
    db = Database(f"sqlite:///{tmp_path / 'side.db'}")
    sidecar = Sidecar(config.dedup).start()
    try:
        run_once(db, config, list(config.sources), sidecar=sidecar)
    finally:
        sidecar.stop()
        db.dispose()
    assert sum(made) == 0  # every signature came from the worker
    assert fingerprinted == []  # and every text fingerprint


def test_a_dead_worker_costs_speed_only(tmp_path: Path, feed: Path) -> None:
    config = _config(tmp_path, feed)
    sidecar = Sidecar(config.dedup).start()
    assert sidecar.executor is not None
    for process in list(sidecar.executor._processes.values()):  # the one worker
        process.kill()
        process.join()
    db = Database(f"sqlite:///{tmp_path / 'side.db'}")
    try:
        stats = run_once(db, config, list(config.sources), sidecar=sidecar)["agency"]
        assert stats.errors == 0
        assert _stored(db) == _thread_run(tmp_path, feed)
    finally:
        sidecar.stop()
        db.dispose()


def test_a_worker_is_started_only_where_it_pays(
    tmp_path: Path, feed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = _config(tmp_path, feed)
    monkeypatch.setattr(sidecar_mod.os, "sched_getaffinity", lambda pid: set(range(2)))
    monkeypatch.setattr(sidecar_mod.os, "getloadavg", lambda: (0.4, 0.5, 0.5))
    monkeypatch.setattr(sidecar_mod, "WORTH_BYTES", feed.stat().st_size + 1)
    assert start_for(config, list(config.sources)) is None  # too small
    monkeypatch.setattr(sidecar_mod, "WORTH_BYTES", feed.stat().st_size)
    off = parse_config(
        {
            "daemon": {"parse_workers": 0},
            "sources": [{"name": "agency", "location": str(feed), "format": "rss"}],
        },
        tmp_path,
    )
    assert start_for(off, list(off.sources)) is None  # parse workers turned off
    monkeypatch.setattr(sidecar_mod.os, "sched_getaffinity", lambda pid: set(range(1)))
    assert start_for(config, list(config.sources)) is None  # one core
    monkeypatch.setattr(sidecar_mod.os, "sched_getaffinity", lambda pid: set(range(2)))
    monkeypatch.setattr(sidecar_mod.os, "getloadavg", lambda: (1.5, 1.0, 0.5))
    assert start_for(config, list(config.sources)) is None  # no idle core
    monkeypatch.setattr(sidecar_mod.os, "getloadavg", lambda: (0.9, 1.0, 0.5))
    started = start_for(config, list(config.sources))
    assert started is not None
    started.stop()


def test_a_file_changed_after_its_parse_ahead_is_parsed_again(
    tmp_path: Path, feed: Path, anywhere: None
) -> None:
    copy = tmp_path / "agency.rss"
    copy.write_bytes(feed.read_bytes())
    config = _config(tmp_path, copy)
    sidecar = start_for(config, list(config.sources))
    assert sidecar is not None
    copy.write_bytes(make_feed(120)[0])  # the poll reads other bytes than the parse ahead
    db = Database(f"sqlite:///{tmp_path / 'side.db'}")
    try:
        run_once(db, config, list(config.sources), sidecar=sidecar)
        assert len(sidecar._ahead) == 1  # not taken
        assert _stored(db) == _thread_run(tmp_path, copy)
    finally:
        sidecar.stop()
        db.dispose()


def test_a_big_file_is_parsed_in_part_here_and_in_the_worker(
    tmp_path: Path, feed: Path, anywhere: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A third of a big payload is parsed in this process while the worker parses the rest:
    the same stored results, every story still signed in the worker."""
    config = _config(tmp_path, feed)
    made = signed_here(monkeypatch)
    sidecar = start_for(config, list(config.sources))
    assert sidecar is not None
    (ahead,) = sidecar._ahead.values()
    assert ahead.cut is not None
    cut = ahead.cut.result(timeout=60)
    assert cut is not None and (len(cut[1]), cut[2]) == (100, 200)
    db = Database(f"sqlite:///{tmp_path / 'side.db'}")
    try:
        got = run_once(db, config, list(config.sources), sidecar=sidecar)["agency"]
        assert not sidecar._ahead
        assert (got.errors, got.rejected) == (0, 0)
        stored = _stored(db)
    finally:
        sidecar.stop()
        db.dispose()
    assert sum(made) == 0  # the worker signed this process's half too
    assert stored == _thread_run(tmp_path, feed)


def test_parts_that_do_not_parse_item_for_item_are_parsed_whole(
    tmp_path: Path, feed: Path, anywhere: None
) -> None:
    config = _config(tmp_path, feed)
    sidecar = start_for(config, list(config.sources))
    assert sidecar is not None
    (ahead,) = sidecar._ahead.values()
    assert ahead.cut is not None
    cut = ahead.cut.result(timeout=60)
    assert cut is not None
    lost: Future[tuple[bytes, tuple[str, ...], int] | None] = Future()
    lost.set_result((cut[0], (*cut[1], "0" * 16), cut[2]))  # as if this part lost an item
    ahead.cut = lost
    db = Database(f"sqlite:///{tmp_path / 'side.db'}")
    try:
        run_once(db, config, list(config.sources), sidecar=sidecar)
        assert _stored(db) == _thread_run(tmp_path, feed)
    finally:
        sidecar.stop()
        db.dispose()


def test_the_parts_give_the_whole_parse(feed: Path) -> None:
    """The worker's cut and its two parses (here in one process) give the records, digests
    and fingerprints of the whole payload's parse."""
    data = feed.read_bytes()
    settings = FeedSettings(feed="agency", source="sda", location=str(feed))
    now = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)
    cut = sidecar_mod._cut(7, data, settings, "rss", feed.name)
    assert cut is not None
    first, first_digests, rest_count = cut
    mine = parse_fingerprinted(first, settings, "rss", feed.name, (), now, digests=False)
    rest = sidecar_mod._parse_rest(7, settings, "rss", feed.name, now)
    whole = parse_fingerprinted(data, settings, "rss", feed.name, (), now)
    assert len(rest.results) == rest_count
    parts = mine.results + rest.results
    assert all(isinstance(r, Article) for r in parts + whole.results)
    assert [r.to_dict() for r in parts if isinstance(r, Article)] == [
        r.to_dict() for r in whole.results if isinstance(r, Article)
    ]
    assert first_digests + rest.digests == whole.digests
    assert (*(mine.text_hashes or ()), *(rest.text_hashes or ())) == whole.text_hashes
    assert len(sidecar_mod._kept.pop(7)) == rest_count  # kept for signing (all usable here)
