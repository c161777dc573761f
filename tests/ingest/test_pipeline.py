"""The pipeline end to end on both backends: folder sources, versions and kills, bad input."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from tests.conftest import ROOT
from tests.ingest.servers import ConditionalFeed, TestServer, rss
from wire.adapters.base import FeedSettings
from wire.config import Config, SourceConfig, parse_config
from wire.ingest.fetch import Fetcher
from wire.ingest.hooks import store_hooks
from wire.ingest.kinds import Flight, PollContext, SourceKinds, poll_source
from wire.ingest.parsing import parse_payload
from wire.ingest.pipeline import (
    CONFLICT_ATTEMPTS,
    MEMORY_EXTRA,
    DirectStore,
    Ingested,
    Payload,
    Pipeline,
    RunStats,
    ThreadParser,
    ingest_payload,
    known_items,
    store_payloads,
    store_results,
)
from wire.ingest.runner import run_once
from wire.record import Article
from wire.storage.db import Database
from wire.storage.health import SourceHealth
from wire.storage.models import ArticleRow, ArticleVersion, Change, RawItem, Reject
from wire.storage.reads import get_article
from wire.storage.writer import StoreResult, store_articles, store_reject

CASES = ROOT / "tests" / "adapters" / "cases"
STORY_GUID = "urn:newsml:dpa.com:20240305:240305-99-401233"


async def _close(fetcher: Fetcher | None) -> None:
    """Close a poll context's fetcher (these tests always give it one)."""
    assert fetcher is not None
    await fetcher.aclose()


def folder_config(folder: Path, **source: object) -> Config:
    return parse_config(
        {"sources": [{"name": "drop", "location": str(folder), **source}]}, folder.parent
    )


def test_folder_source_receives_v1_v2_then_a_kill(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "incoming"
    folder.mkdir()
    config = folder_config(folder)
    steps = ["newsml_story_v1.xml", "newsml_story_v2.xml", "newsml_kill_en.xml"]
    outcomes = []
    for name in steps:
        shutil.copy(CASES / name, folder / name)
        stats = run_once(db, config, list(config.sources))["drop"]
        outcomes.append((stats.new, stats.updated, stats.rejected, stats.errors))
    # Each run re-reads the whole folder: earlier files are unchanged, the new one counts.
    assert outcomes == [(1, 0, 0, 0), (0, 1, 0, 0), (0, 1, 0, 0)]
    with db.reader() as s:
        article_id = s.scalar(select(Change.article_id))
        assert article_id is not None
        data = get_article(s, article_id)
        kinds = [c.kind for c in s.scalars(select(Change).order_by(Change.seq))]
    assert data is not None
    assert data["guid"] == STORY_GUID
    assert data["pubstatus"] == "canceled"
    assert data["version"] == 3
    assert [v["version"] for v in data["versions"]] == [1, 2, 3]
    assert [v["pubstatus"] for v in data["versions"]] == ["usable", "usable", "canceled"]
    assert kinds == ["new", "update", "kill"]
    # A fourth run over the same files stores nothing new.
    stats = run_once(db, config, list(config.sources))["drop"]
    assert (stats.new, stats.updated, stats.unchanged) == (0, 0, 3)


def test_late_version_never_overwrites_newer(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "incoming"
    folder.mkdir()
    config = folder_config(folder)
    shutil.copy(CASES / "newsml_story_v2.xml", folder / "a.xml")
    run_once(db, config, list(config.sources))
    shutil.copy(CASES / "newsml_story_v1.xml", folder / "b.xml")
    stats = run_once(db, config, list(config.sources))["drop"]
    assert (stats.new, stats.updated) == (0, 0)
    with db.reader() as s:
        data = get_article(s, s.scalar(select(Change.article_id)) or "")
    assert data is not None and data["version"] == 2
    assert [v["version"] for v in data["versions"]] == [1, 2]  # v1 kept in history only


def test_mixed_folder_stores_good_items_and_rejects_bad_ones(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    shutil.copytree(CASES, folder)
    config = folder_config(folder)
    stats = run_once(db, config, list(config.sources))["drop"]
    assert stats.errors == 0
    assert stats.new > 20
    assert stats.rejected >= 8
    with db.reader() as s:
        rejects = {r.location and Path(r.location).name: r for r in s.scalars(select(Reject))}
        raw_count = len(list(s.scalars(select(RawItem.id))))
    reasons = {name: r.reason for name, r in rejects.items()}
    assert "entit" in reasons["newsml_billion_laughs.xml"]
    assert "entit" in reasons["rss_billion_laughs.xml"]
    assert "entit" in reasons["newsml_xxe.xml"]
    assert (
        "malformed" in reasons["nitf_truncated.xml"].lower()
        or "truncat" in reasons["nitf_truncated.xml"].lower()
    )
    assert (
        rejects["newsml_billion_laughs.xml"].payload
        == (CASES / "newsml_billion_laughs.xml").read_bytes()
    )
    assert raw_count >= len(list(CASES.iterdir())) - 1


def test_oversized_payload_is_rejected_unread(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "big"
    folder.mkdir()
    shutil.copy(CASES / "nitf_de.xml", folder / "ok.xml")
    (folder / "huge.xml").write_bytes(b"<nitf>" + b"x" * 9000 + b"</nitf>")
    config = folder_config(folder, max_bytes=8000)
    stats = run_once(db, config, list(config.sources))["drop"]
    assert (stats.new, stats.rejected) == (1, 1)
    assert any("over the cap" in m for m in stats.messages)


def test_wire_parse_mixed_folder_with_auto(tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    for name in [
        "newsml_text_de.xml",
        "ninjs_2x_en.json",
        "nitf_en.xml",
        "iptc7901_fr.txt",
        "rss_rdf10.rdf",
        "html_fr_afp.html",
    ]:
        shutil.copy(CASES / name, folder / name)
    shutil.copy(ROOT / "samples" / "feeds" / "afp-world.atom", folder / "afp.atom")
    proc = subprocess.run(
        [sys.executable, "-m", "wire.ingest.cli", "parse", str(folder)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    languages = {r["language"] for r in records}
    assert {"de", "en", "fr"} <= languages
    assert all(r["headline"] and r["id"] and r["content_hash"] for r in records)
    assert len(records) >= 7


def test_kill_keeps_its_ednote(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "incoming"
    folder.mkdir()
    config = folder_config(folder)
    for name in ["newsml_story_v1.xml", "newsml_kill_en.xml"]:
        shutil.copy(CASES / name, folder / name)
    run_once(db, config, list(config.sources))
    with db.reader() as s:
        data = get_article(s, s.scalar(select(Change.article_id)) or "")
    assert data is not None and data["pubstatus"] == "canceled"
    assert data["ednote"].startswith("KILL - Editors are asked not to use this story.")


def test_run_once_over_http_sources_on_loopback(db: Database, tmp_path: Path) -> None:
    from tests.ingest.servers import Reply, TestServer

    feed = (ROOT / "samples" / "feeds" / "sda-news.rss").read_bytes()
    with TestServer() as server:
        server.route("/sda.rss", Reply(200, feed, {"Content-Type": "application/rss+xml"}))
        server.route("/down", Reply(503, b"maintenance"))
        config = parse_config(
            {
                "http": {"retries": 0},
                "sources": [
                    {"name": "sda", "location": server.url("/sda.rss"), "format": "rss"},
                    {"name": "down", "location": server.url("/down")},
                ],
            },
            tmp_path,
        )
        results = run_once(db, config, list(config.sources))
    assert (results["sda"].new, results["sda"].errors) == (6, 0)
    assert results["down"].errors == 1 and "503" in results["down"].messages[0]


def deadlock() -> OperationalError:
    """What SQLAlchemy raises when PostgreSQL ends a transaction caught in a deadlock."""
    orig = psycopg.errors.DeadlockDetected("deadlock detected")
    return OperationalError("UPDATE clusters SET size=...", {}, orig)


class RecordingHook:
    """A batch-capable hook that leaves a reject row per article it handles, and can fail:
    for good, or (``conflicts``) its first calls as the loser of a deadlock."""

    def __init__(
        self, *, fail_batch: bool = False, fail_on: str | None = None, conflicts: int = 0
    ) -> None:
        self.fail_batch = fail_batch
        self.fail_on = fail_on
        self.conflicts = conflicts
        self.batches: list[list[str]] = []
        self.calls: list[str] = []

    def __call__(self, session: Session, article: Article, result: StoreResult) -> None:
        self.calls.append(article.guid)
        self._mark(session, article)
        self._conflict()
        if article.guid == self.fail_on:
            raise RuntimeError("hook failed")

    def batch(self, session: Session, stored: Sequence[tuple[Article, StoreResult]]) -> None:
        self.batches.append([a.guid for a, _ in stored])
        for article, _ in stored:
            self._mark(session, article)
        self._conflict()
        if self.fail_batch:
            raise RuntimeError("batch failed")

    def _conflict(self) -> None:
        if self.conflicts:
            self.conflicts -= 1
            raise deadlock()

    def _mark(self, session: Session, article: Article) -> None:
        store_reject(session, "hook", "seen by the hook", article.guid.encode())


def hook_payload(db: Database, hook: RecordingHook, guids: list[str]) -> RunStats:
    items = [
        {"uri": g, "headline": f"Meldung {g}", "body_text": f"Text der Meldung {g}."} for g in guids
    ]
    settings = FeedSettings(feed="hooks", source="keystone-sda", timezone="UTC")
    return ingest_payload(db, json.dumps(items).encode(), settings, fmt="ninjs", hooks=(hook,))


def marks(db: Database) -> list[str]:
    with db.reader() as s:
        return sorted(bytes(r.payload).decode() for r in s.scalars(select(Reject)))


def test_a_batch_hook_gets_the_changed_articles_in_one_call(db: Database) -> None:
    hook = RecordingHook()
    assert hook_payload(db, hook, ["a", "b", "c"]).new == 3
    stats = hook_payload(db, hook, ["a", "b", "d", "e"])  # a and b are unchanged
    assert (stats.new, stats.unchanged) == (2, 2)
    assert hook.batches == [["a", "b", "c"], ["d", "e"]] and hook.calls == []
    assert marks(db) == ["a", "b", "c", "d", "e"]


def test_a_failing_batch_hook_is_retried_per_article_and_loses_no_article(db: Database) -> None:
    hook = RecordingHook(fail_batch=True, fail_on="b")
    stats = hook_payload(db, hook, ["a", "b", "c"])
    assert stats.new == 3 and stats.errors == 0
    assert hook.batches == [["a", "b", "c"]] and hook.calls == ["a", "b", "c"]
    # The failed batch's writes and the failed article's are rolled back, the rest kept.
    assert marks(db) == ["a", "c"]
    with db.reader() as s:
        assert sorted(s.scalars(select(ArticleRow.guid))) == ["a", "b", "c"]


def test_a_hook_losing_a_deadlock_has_the_payload_stored_again_whole(db: Database) -> None:
    """A deadlock is no failure of the hook (no article placed one at a time, none left out):
    the payload's transaction is rolled back and runs again, and everything is stored once."""
    hook = RecordingHook(conflicts=1)
    stats = hook_payload(db, hook, ["a", "b", "c"])
    assert (stats.new, stats.unchanged, stats.errors) == (3, 0, 0)
    assert hook.batches == [["a", "b", "c"]] * 2 and hook.calls == []
    assert marks(db) == ["a", "b", "c"]
    with db.reader() as s:
        assert sorted(s.scalars(select(ArticleRow.guid))) == ["a", "b", "c"]
        assert len(s.scalars(select(Change)).all()) == 3


def test_payloads_losing_deadlocks_are_stored_again_and_counted_once(db: Database) -> None:
    """Stored together, the payloads meet a deadlock; stored one by one, the first meets
    another: the second commits, the first is stored again in a transaction of its own."""
    hook = RecordingHook(conflicts=2)
    payloads = [ninjs_payload("one", ["a", "b"]), ninjs_payload("two", ["c", "d"])]
    out = store_payloads(db, payloads, hooks=(hook,))
    assert [(o.new, o.unchanged) for o in out if isinstance(o, RunStats)] == [(2, 0), (2, 0)]
    assert hook.batches == [["a", "b", "c", "d"], ["a", "b"], ["c", "d"], ["a", "b"]]
    assert marks(db) == ["a", "b", "c", "d"]
    with db.reader() as s:
        assert sorted(s.scalars(select(ArticleRow.guid))) == ["a", "b", "c", "d"]
        assert len(s.scalars(select(Change)).all()) == 4


def test_a_payload_that_keeps_losing_deadlocks_is_a_store_failure_not_a_reject(
    db: Database,
) -> None:
    """After ``CONFLICT_ATTEMPTS`` tries the store gives up for now: nothing is stored, no
    reject written, and the caller sees a database error (``StoreFailed`` in the pipeline:
    the payload is fetched and stored again later)."""
    hook = RecordingHook(conflicts=99)
    with pytest.raises(OperationalError):
        hook_payload(db, hook, ["a", "b"])
    assert len(hook.batches) == CONFLICT_ATTEMPTS
    assert marks(db) == []
    with db.reader() as s:
        assert s.scalars(select(ArticleRow.guid)).all() == []


def test_two_writers_crossing_in_a_real_deadlock_both_store_everything(pg_url: str) -> None:
    """Two daemons store the same new stories at once, from two feeds listing them in opposite
    orders, story clustering on. A third connection holds the first story of each order until
    both writers wait for it, then lets them go together, so their inserts of new articles
    (in payload order) cross and PostgreSQL ends one in a deadlock. That payload is stored
    again: its stories are there by then (unchanged, each stored once), nothing is rejected."""
    db = Database(pg_url)
    hooks = store_hooks(Config(), db)
    guids = [f"urn:story:{i}" for i in range(40)]
    first, second, middle = guids[0], guids[1], guids[2:]
    one = ninjs_payload("one", [first, *middle, second])
    two = ninjs_payload("two", [second, *reversed(middle), first])
    totals: dict[str, RunStats] = {}
    errors: list[BaseException] = []

    def writer(payload: Payload) -> None:
        try:
            totals[payload.settings.feed] = store_results(
                db, payload.data, payload.settings, payload.results, hooks=hooks
            )
        except BaseException as exc:  # the test reports it
            errors.append(exc)

    held = [a for a in ninjs_payload("gate", [first, second]).results if isinstance(a, Article)]
    try:
        with db.session() as gate:
            store_articles(gate, [(a, None) for a in held])
            gate_pid = gate.scalar(text("SELECT pg_backend_pid()"))
            threads = [threading.Thread(target=writer, args=(p,)) for p in (one, two)]
            for thread in threads:
                thread.start()
            waiting = text(
                "SELECT count(*) FROM pg_stat_activity WHERE :p = ANY(pg_blocking_pids(pid))"
            )
            deadline = time.monotonic() + 30
            with db.engine.connect() as watch:
                while watch.scalar(waiting, {"p": gate_pid}) != 2:
                    assert time.monotonic() < deadline, "the writers never waited"
                    time.sleep(0.01)
                    watch.rollback()
            raise RuntimeError("let them go")  # rolls the gate's rows back
    except RuntimeError:
        pass
    for thread in threads:
        thread.join(60)
    try:
        assert errors == [] and not any(t.is_alive() for t in threads)
        assert sum(t.new for t in totals.values()) == len(guids)
        assert sum(t.unchanged for t in totals.values()) == len(guids)
        assert sum(t.rejected + t.errors for t in totals.values()) == 0
        with db.reader() as s:
            assert sorted(s.scalars(select(ArticleRow.guid))) == sorted(guids)
            assert len(s.scalars(select(Change)).all()) == len(guids)
            assert s.scalars(select(Reject)).all() == []
    finally:
        db.dispose()


def ninjs_payload(feed: str, guids: list[str]) -> Payload:
    items = [
        {"uri": g, "headline": f"Meldung {g}", "body_text": f"Text der Meldung {g}."} for g in guids
    ]
    data = json.dumps(items).encode()
    settings = FeedSettings(feed=feed, source="keystone-sda", timezone="UTC")
    return Payload(data, settings, parse_payload(data, settings, "ninjs"))


def test_payloads_share_a_commit_and_a_failing_one_is_rolled_back_alone(db: Database) -> None:
    bad = ninjs_payload("bad", ["x1", "x2"])
    broken = bad.results[1]
    assert isinstance(broken, Article)
    broken.versioncreated = "yesterday"  # type: ignore[assignment]  # no column takes this
    payloads = [ninjs_payload("one", ["a", "b"]), bad, ninjs_payload("two", ["c"])]
    out = store_payloads(db, payloads, hooks=store_hooks(Config(), db))
    assert isinstance(out[0], RunStats) and out[0].new == 2
    assert isinstance(out[1], Exception)
    assert isinstance(out[2], RunStats) and out[2].new == 1
    with db.reader() as s:
        assert sorted(s.scalars(select(ArticleRow.guid))) == ["a", "b", "c"]  # no x1 either
        assert sorted(s.scalars(select(RawItem.feed))) == ["one", "two"]
        assert len(s.scalars(select(Change)).all()) == 3
    again = store_payloads(db, [ninjs_payload("one", ["a", "b"])])
    assert isinstance(again[0], RunStats) and again[0].unchanged == 2


def ninjs_texts(feed: str, stories: list[tuple[str, str]]) -> Payload:
    items = [{"uri": uri, "headline": "Meldung", "body_text": body} for uri, body in stories]
    data = json.dumps(items).encode()
    settings = FeedSettings(feed=feed, source="keystone-sda", timezone="UTC")
    return Payload(data, settings, parse_payload(data, settings, "ninjs"))


def test_payloads_stored_together_come_out_as_stored_one_after_another(db: Database) -> None:
    text = "Der Bundesrat hat am Mittwoch die Vorlage zur Reform der Altersvorsorge verabschiedet."
    weather = (
        "Am Wochenende bleibt es in der ganzen Schweiz sonnig und mild, am Montag ziehen von "
        "Westen her Wolken auf und in den Bergen fällt der erste Schnee bis auf 1500 Meter."
    )
    first = ninjs_texts("one", [("a", text), ("b", weather)])
    second = ninjs_texts(
        "two",
        [
            ("a", text + " Das Parlament berät im Juni."),  # a new version of a
            ("c", weather),  # b's text under another id
        ],
    )
    out = store_payloads(db, [first, second], hooks=store_hooks(Config(), db))
    assert all(isinstance(o, RunStats) for o in out)
    one, two = out
    assert isinstance(one, RunStats) and isinstance(two, RunStats)
    assert (one.new, one.updated, one.unchanged) == (2, 0, 0)
    assert (two.new, two.updated, two.unchanged) == (0, 1, 1)
    assert [r.outcome for r in one.stored] == ["new", "new"]
    assert [r.outcome for r in two.stored] == ["updated", "duplicate"]
    assert two.stored[1].article_id == one.stored[1].article_id
    with db.reader() as s:
        assert sorted(s.scalars(select(ArticleRow.guid))) == ["a", "b"]
        assert [(c.kind, c.version) for c in s.scalars(select(Change).order_by(Change.seq))] == [
            ("new", 1),
            ("new", 1),
            ("update", 2),
        ]
        assert sorted(s.scalars(select(RawItem.feed))) == ["one", "two"]


class BrokenStore:
    """A store whose database is down: every payload fails to commit."""

    def admitted(self, urgent: bool) -> contextlib.AbstractAsyncContextManager[None]:
        return contextlib.nullcontext()

    def expecting(self) -> contextlib.AbstractContextManager[None]:
        return contextlib.nullcontext()

    def submit(self, payload: Payload) -> asyncio.Future[RunStats]:
        future: asyncio.Future[RunStats] = asyncio.get_running_loop().create_future()
        future.set_exception(OperationalError("INSERT", {}, Exception("server closed")))
        return future


async def test_a_store_failure_is_told_apart_from_a_source_failure(tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    shutil.copy(CASES / "nitf_de.xml", drop / "meldung.xml")
    old = time.time() - 60
    os.utime(drop / "meldung.xml", (old, old))
    config = folder_config(drop, kind="folder")
    (source,) = config.sources
    pipeline = Pipeline(ThreadParser(), BrokenStore())
    ctx = PollContext(config, Fetcher(config.http), pipeline, asyncio.Semaphore(1))
    try:
        flight = Flight(None)
        outcome = await poll_source(
            SourceKinds(ctx).of(source), source, SourceHealth("drop"), flight
        )
    finally:
        await _close(ctx.fetcher)
    assert outcome.result == "store_failed"  # the store's fault: source health is left alone
    assert outcome.error is not None and outcome.error.startswith("store failed: OperationalError")
    assert not flight.cancellable  # the payload had reached the store
    # Nothing was committed, so the file stays where it was for the next poll.
    assert (drop / "meldung.xml").exists() and not (drop / "done").exists()


def memory_feed(*texts: tuple[int, str]) -> bytes:
    return rss([(f"urn:t:{n}", f"Meldung {n}", text) for n, text in texts])


async def test_a_repoll_parses_and_stores_only_the_changed_item(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    """A feed polled again with one item edited: that item alone is parsed (the others are
    in the source's item memory) and becomes one new version; edited back to its first
    text, it is parsed again (the memory keeps one digest per item) and the store's dedup
    decides, as without the memory; a hub pushing the whole feed parses nothing the polls
    already took."""
    caplog.set_level("INFO", logger="wire.pipeline")
    first = [(1, "Der Text der Meldung 1."), (2, "Der Text der Meldung 2."), (3, "Text 3.")]
    edited = [first[0], (2, "Korrigiert: der Text der Meldung 2."), first[2]]
    feed = ConditionalFeed(memory_feed(*first))
    with TestServer() as server:
        server.route("/feed", feed)
        config = Config(sources=(SourceConfig(name="agency", location=server.url("/feed")),))
        (source,) = config.sources
        store = DirectStore(db, keep_raw=True, hooks=store_hooks(config, db))
        ctx = PollContext(config, Fetcher(config.http), Pipeline(ThreadParser(), store),
                          asyncio.Semaphore(1))  # fmt: skip
        state = SourceHealth("agency")
        kind = SourceKinds(ctx).of(source)
        outcomes = []
        try:
            for body in (first, edited, first):
                feed.set(memory_feed(*body))
                outcomes.append(await poll_source(kind, source, state, Flight(None)))
            known = known_items(state.item_digests)
            pushed = await ctx.ingest(source, Flight(None), memory_feed(*first), source.location,
                                      None, known, urgent=True)  # fmt: skip
        finally:
            await _close(ctx.fetcher)
    counts = [(o.stats.new, o.stats.updated, o.stats.unchanged) for o in outcomes]
    # edited back: parsed again (the memory keeps the edit's digest only), and the store's
    # own dedup knows the text as an earlier version of the item
    assert counts == [(3, 0, 0), (0, 1, 2), (0, 0, 3)]
    events = [vars(r) for r in caplog.records if r.getMessage() == "parsed"]
    parsed = [(e["items"], e["skipped"]) for e in events]
    assert parsed == [(3, 0), (1, 2), (1, 2), (0, 3)]
    assert (pushed.stats.new, pushed.stats.updated, pushed.stats.unchanged) == (0, 0, 3)
    with db.reader() as s:
        kinds = s.scalars(select(Change.kind).order_by(Change.seq)).all()
        versions = s.scalars(select(ArticleVersion.version).order_by(ArticleVersion.id)).all()
    assert kinds == ["new", "new", "new", "update"]
    assert versions == [1, 1, 1, 2]  # one new version: item 2's edit
    assert len((state.item_digests or "").split()) == 3  # one entry per item


def test_item_memory_is_bounded_and_keeps_one_digest_per_item() -> None:
    digests = tuple(f"{n:016x}" for n in range(100))
    memory = Ingested(RunStats(), digests, {d: f"urn:{d}" for d in digests}).remember(None)
    assert memory is not None and len(memory.split()) == 100  # a payload's items, all of them
    again = Ingested(RunStats(), digests[:10], {}).remember(memory)
    assert again is not None and len(again.split()) == 10 + MEMORY_EXTRA
    assert known_items(again) >= set(digests[:10])
    edited = Ingested(RunStats(), ("f" * 16,), {"f" * 16: f"urn:{digests[0]}"}).remember(again)
    assert digests[0] not in known_items(edited) and "f" * 16 in known_items(edited)
    assert Ingested(RunStats(), (), {}).remember(memory) is None  # an uncut payload: none
