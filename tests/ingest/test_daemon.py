"""The daemon end to end: real loopback servers, real databases, real processes and signals.

In-process tests drive ``Daemon.run`` on the test's event loop (fast, inspectable); the
operating contracts (SIGTERM, SIGKILL and restart, two daemons sharing PostgreSQL) run
``python -m wire.ingest.cli run --config X`` as real subprocesses.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bench.dedup.stories import STORIES
from tests.conftest import ROOT
from tests.ingest.servers import (
    ConditionalFeed,
    PullQueue,
    Reply,
    TestServer,
    digitalwires_entry,
    rss,
)
from wire.config import Config, DaemonConfig, DedupConfig, HttpConfig, SourceConfig
from wire.ingest.daemon import Daemon
from wire.ingest.dedup import Signer
from wire.storage.db import Database
from wire.storage.models import (
    ArticleRow,
    ArticleVersion,
    ClusterMember,
    RawItem,
    Signature,
    SourceRow,
)

HTTP = HttpConfig(
    connect_timeout=1, read_timeout=2, total_timeout=4, retries=0, backoff_base=0.01,
    backoff_max=0.2,
)  # fmt: skip
# stop_timeout: a daemon in the test process that overruns it calls os._exit, which would take
# the test runner (an xdist worker) down with it; `running` fails a stop slower than 10 s first.
DAEMON = DaemonConfig(
    interval=0.3, jitter=0, failing_after=2, failing_interval=30, lease_seconds=3,
    health_port=0, stop_timeout=20, adaptive=False,
)  # fmt: skip


def items(*ns: int) -> bytes:
    return rss([(f"urn:t:{n}", f"Meldung {n}", f"Der Text der Meldung {n}.") for n in ns])


def count(db: Database, model: type) -> int:
    with db.reader() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def feed_row(db: Database, name: str) -> SourceRow:
    with db.reader() as s:
        row = s.get(SourceRow, name)
        assert row is not None
        return row


async def eventually(cond: Callable[[], Any], timeout: float = 8.0, what: str = "") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = cond()
        if value:
            return value
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what or cond}")


@asynccontextmanager
async def running(db: Database, config: Config) -> AsyncIterator[Daemon]:
    daemon = Daemon(config, list(config.sources), db)
    task = asyncio.create_task(daemon.run(install_signals=False))
    await eventually(lambda: daemon.last_round > 0 or task.done(), what="daemon start")
    try:
        yield daemon
    finally:
        daemon.request_stop()
        assert await asyncio.wait_for(task, 10) == 0


def config(*sources: SourceConfig, **daemon: Any) -> Config:
    return Config(http=HTTP, daemon=replace(DAEMON, **daemon), sources=sources)


def metric(daemon: Daemon, name: str, **labels: str) -> float:
    return daemon.metrics.registry.get_sample_value(name, labels) or 0.0


# --- in-process ----------------------------------------------------------------------------


async def test_200_304_cycles_store_once_and_keep_validators(db: Database) -> None:
    feed = ConditionalFeed(items(1, 2))
    with TestServer() as server:
        server.route("/feed", feed)
        src = SourceConfig(name="agency", location=server.url("/feed"), source="sda")
        async with running(db, config(src)) as d:
            await eventually(lambda: metric(d, "wire_not_modified_total", source="agency") >= 2)
            assert count(db, ArticleRow) == 2 and count(db, RawItem) == 1
            feed.set(items(1, 2, 3))
            await eventually(lambda: count(db, ArticleRow) == 3, what="third item")
            await eventually(lambda: feed_row(db, "agency").etag == '"v2"', what="etag saved")
        hits = server.hits("/feed")
    assert hits[0].headers.get("if-none-match") is None
    assert all(h.headers.get("if-none-match") for h in hits[1:])
    assert count(db, RawItem) == 2  # one per 200; the 304s wrote nothing but health
    row = feed_row(db, "agency")
    assert row.last_modified and row.items_last_seen == 3 and row.consecutive_failures == 0
    assert row.lease_owner is None  # released at stop


async def test_sqlite_log_is_checkpointed_by_the_daemon_not_its_commits(sqlite_url: str) -> None:
    """The daemon opens SQLite with background checkpoints: what it stored reaches the
    database file itself (read here without the write-ahead log) within a second or two."""
    db = Database(sqlite_url, background_checkpoints=True)
    path = sqlite_url.removeprefix("sqlite:///")

    def in_the_file() -> int:  # immutable: the database file alone, the log ignored
        with contextlib.closing(sqlite3.connect(f"file:{path}?immutable=1", uri=True)) as c:
            try:
                return int(c.execute("SELECT count(*) FROM articles").fetchone()[0])
            except sqlite3.OperationalError:  # not even the schema is in the file yet
                return 0

    try:
        with TestServer() as server:
            server.route("/feed", ConditionalFeed(items(1, 2, 3)))
            src = SourceConfig(name="agency", location=server.url("/feed"), source="sda")
            async with running(db, config(src)):
                await eventually(lambda: count(db, ArticleRow) == 3, what="stored")
                await eventually(lambda: in_the_file() == 3, timeout=10, what="checkpointed")
    finally:
        db.dispose()


def parsed_events(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    return [vars(r) for r in caplog.records if r.getMessage() == "parsed"]


async def test_changed_feed_parses_only_items_not_stored_before(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger="wire")
    feed = ConditionalFeed(items(1, 2))
    with TestServer() as server:
        server.route("/feed", feed)
        src = SourceConfig(name="agency", location=server.url("/feed"), source="sda")
        async with running(db, config(src)):
            await eventually(lambda: count(db, ArticleRow) == 2, what="first payload")
            feed.set(items(1, 2, 3))
            await eventually(lambda: count(db, ArticleRow) == 3, what="third item")
            await eventually(lambda: feed_row(db, "agency").etag == '"v2"', what="state saved")
        digests = feed_row(db, "agency").item_digests
        assert digests is not None and len(digests.split()) == 3
        # A new daemon (a restart, or the next lease owner) knows the items from the row.
        feed.set(
            rss(
                [(f"urn:t:{n}", f"Meldung {n}", f"Der Text der Meldung {n}.") for n in (1, 2)]
                + [("urn:t:3", "Meldung 3", "Korrigiert: der Text der Meldung 3.")]
            )
        )
        async with running(db, config(src)):
            await eventually(lambda: feed_row(db, "agency").etag == '"v3"', what="third payload")
    assert [(e["items"], e["skipped"]) for e in parsed_events(caplog)] == [(2, 0), (1, 2), (1, 2)]
    with db.reader() as s:
        assert s.scalar(select(ArticleRow.version).where(ArticleRow.guid == "urn:t:3")) == 2
    assert count(db, ArticleRow) == 3 and feed_row(db, "agency").items_last_seen == 3


async def test_parse_workers_sign_what_the_store_clusters(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    signed_here: list[str | None] = []
    sign_text = Signer.sign_text

    def spy(self: Signer, headline: str | None, *rest: Any) -> Any:
        signed_here.append(headline)
        return sign_text(self, headline, *rest)

    monkeypatch.setattr(Signer, "sign_text", spy)  # the daemon's process only, not its workers
    story = STORIES[0]
    body = "\n\n".join(story["body"])
    # The same story from two agencies: one cluster, from signatures a worker process made.
    rewrite = body + " Weitere Angaben lagen zunächst nicht vor."
    payload = rss([("urn:a:1", story["headline"], body), ("urn:b:1", story["headline"], rewrite)])
    with TestServer() as server:
        server.route("/feed", ConditionalFeed(payload))
        src = SourceConfig(name="agency", location=server.url("/feed"), language="de")
        async with running(db, config(src, parse_workers=1)) as daemon:
            await eventually(lambda: count(db, ClusterMember) == 2, what="one cluster of two")
            assert daemon.parse_pool.executor is not None  # parsed (and signed) in a worker process
    assert signed_here == []  # the store took the workers' signatures
    signer = Signer(DedupConfig())
    with db.reader() as s:
        stored = dict(s.execute(select(Signature.article_id, Signature.minhash)).all())
        articles = s.scalars(select(ArticleRow)).all()
        assert len({m.cluster_id for m in s.scalars(select(ClusterMember))}) == 1
    for row in articles:  # what the clusterer would have signed itself
        sig = signer.sign_text(row.headline, row.lead, row.body_text, row.language)
        assert sig is not None and stored[row.id] == signer.pack(sig)


async def test_500_storm_marks_failing_then_recovers(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    with TestServer() as server:
        replies = [Reply(500, b"down")]
        server.route("/feed", lambda req: replies[0])
        src = SourceConfig(name="flaky", location=server.url("/feed"))
        cfg = config(src, interval=0.2, failing_after=3, failing_interval=1.0)
        async with running(db, cfg) as d:
            await eventually(lambda: d.states["flaky"].failing, what="failing")
            marked = datetime.now(UTC)
            state = d.states["flaky"]
            assert state.consecutive_failures == 3 and "HTTP 500" in (state.last_error or "")
            assert state.next_poll and state.next_poll - marked > timedelta(seconds=0.7)
            await eventually(lambda: feed_row(db, "flaky").failing, what="failing row")
            replies[0] = Reply(200, items(1))
            await eventually(lambda: not d.states["flaky"].failing, what="recovery")
            await eventually(lambda: not feed_row(db, "flaky").failing, what="recovered row")
        hits = [h.at for h in server.hits("/feed")]
    # Polls slowed from every 0.2 s to every 1 s once failing.
    assert len(hits) >= 4 and hits[3] - hits[2] > 0.7
    row = feed_row(db, "flaky")
    assert row.consecutive_failures == 0 and row.last_error is None and row.last_success
    events = [r.getMessage() for r in caplog.records if r.name == "wire.daemon"]
    assert "source failing" in events and "source recovered" in events


async def test_retry_after_pushes_the_next_poll(db: Database) -> None:
    with TestServer() as server:
        server.route("/feed", Reply(429, headers={"Retry-After": "30"}))
        src = SourceConfig(name="busy", location=server.url("/feed"))
        async with running(db, config(src, interval=0.2)) as d:
            await eventually(lambda: d.states["busy"].last_attempt is not None)
            await asyncio.sleep(0.6)  # three intervals: no new request may come
            state = d.states["busy"]
            assert state.next_poll and state.next_poll - datetime.now(UTC) > timedelta(seconds=28)
        assert len(server.hits("/feed")) == 1


async def test_pull_source_is_acknowledged_after_commit(db: Database) -> None:
    entries = [digitalwires_entry(n) for n in range(7)]
    by_id = {e["entry_id"]: e["urn"] for e in entries}
    queue = PullQueue(entries, batch=3)

    def in_db(ids: list[str]) -> bool:
        with db.reader() as s:
            have = set(s.scalars(select(ArticleRow.guid)))
        return {by_id[i] for i in ids} <= have

    queue.on_ack = in_db
    with TestServer() as server:
        url, ack = queue.mount(server)
        src = SourceConfig(name="dw", location=url, kind="pull", ack_url=ack, format="ninjs")
        async with running(db, config(src)) as d:
            await eventually(lambda: not queue.entries, what="queue drained")
            await eventually(lambda: metric(d, "wire_acks_total", source="dw") == 7)
    assert queue.ack_checks and all(queue.ack_checks)
    assert count(db, ArticleRow) == 7


async def test_folder_sources_move_files_and_poll_folders_do_not(
    db: Database, tmp_path: Path
) -> None:
    sample = (ROOT / "samples" / "feeds" / "sda-news.rss").read_bytes()
    drop, inplace = tmp_path / "drop", tmp_path / "inplace"
    drop.mkdir()
    inplace.mkdir()
    old = time.time() - 60
    for folder in (drop, inplace):
        (folder / "news.rss").write_bytes(sample)
        os.utime(folder / "news.rss", (old, old))
    cfg = config(
        SourceConfig(name="drop", location=str(drop), kind="folder", source="keystone-sda"),
        SourceConfig(name="samples", location=str(inplace), source="keystone-sda"),
    )
    async with running(db, cfg) as d:
        d.context.settle = 0.3
        await eventually(lambda: (drop / "done" / "news.rss").exists(), what="filed")
        (drop / "late.rss.part").write_bytes(sample)  # an upload in progress: never read
        await eventually(lambda: metric(d, "wire_polls_total", source="samples",
                                        result="same_body") >= 2)  # fmt: skip
        (drop / "late.rss.part").rename(drop / "late.rss")  # upload finished: settles, read
        await eventually(lambda: (drop / "done" / "late.rss").exists(), what="late file")
    assert (inplace / "news.rss").exists() and not (inplace / "done").exists()
    assert feed_row(db, "drop").consecutive_failures == 0


async def test_healthz_and_metrics_endpoint(db: Database) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with TestServer() as server:
        server.route("/feed", Reply(200, items(1)))
        src = SourceConfig(name="m", location=server.url("/feed"))
        async with running(db, config(src, health_port=port)) as d:
            await eventually(lambda: metric(d, "wire_polls_total", source="m", result="fetched"))

            def get(path: str) -> tuple[int, bytes]:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=3) as r:
                    return r.status, r.read()

            status, body = await asyncio.to_thread(get, "/healthz")
            assert status == 200 and json.loads(body)["status"] == "ok"
            _, text = await asyncio.to_thread(get, "/metrics")
    page = text.decode()
    for needle in (
        'wire_polls_total{result="fetched",source="m"}',
        'wire_items_total{outcome="new",source="m"} 1.0',
        "wire_fetch_seconds_bucket",
        'wire_last_success_timestamp_seconds{source="m"}',
        "wire_leases_held 1.0",
    ):
        assert needle in page


async def test_stop_abandons_fetches_in_flight(db: Database) -> None:
    with TestServer() as server:
        server.route("/slow", Reply(200, items(1), delay=3))
        src = SourceConfig(name="slow", location=server.url("/slow"))
        async with running(db, config(src)) as d:
            await eventually(lambda: server.hits("/slow"), what="request in flight")
            assert "slow" in d.inflight
            stopping = time.monotonic()  # the stop, not the start, must beat the 3 s answer
        assert time.monotonic() - stopping < 2.5
    assert count(db, ArticleRow) == 0 and feed_row(db, "slow").lease_owner is None


@pytest.mark.skipif(
    threading.current_thread() is not threading.main_thread(), reason="signals: main thread"
)
async def test_sigterm_stops_even_when_the_loop_wakeup_socket_is_full(db: Database) -> None:
    """asyncio learns of a signal from a byte in the loop's wakeup socket, where every
    call_soon_threadsafe (a thread's or worker's result) writes one too: a loop that has not
    read it for a while finds it full, and the signal's byte was dropped: the daemon never
    stopped (python/cpython#74224). The signal is noted apart, so it stops all the same."""
    with TestServer() as server:
        server.route("/feed", Reply(200, items(1)))
        src = SourceConfig(name="agency", location=server.url("/feed"))
        daemon = Daemon(config(src), [src], db)
        task = asyncio.create_task(daemon.run())  # with its signal handlers
        try:
            await eventually(lambda: daemon.last_round > 0 or task.done(), what="daemon start")
            loop = asyncio.get_running_loop()

            def busy_while_threads_finish() -> None:
                # Within one callback the loop reads nothing: each result's byte stays.
                for _ in range(5000):
                    loop.call_soon_threadsafe(lambda: None)
                os.kill(os.getpid(), signal.SIGTERM)

            loop.call_soon(busy_while_threads_finish)
            assert await asyncio.wait_for(asyncio.shield(task), 15) == 0
        finally:
            if not task.done():
                daemon.request_stop()
                await asyncio.wait_for(task, 10)
    assert feed_row(db, "agency").lease_owner is None  # a clean stop: leases released


def test_log_lines_are_json_or_console() -> None:
    import io
    import logging

    from wire.ingest.logs import setup_logging

    lines = {}
    for fmt in ("json", "console"):
        buf = io.StringIO()
        setup_logging(fmt, stream=buf)
        logging.getLogger("wire.daemon").info("poll", extra={"source": "sda rss", "duration": 0.5})
        lines[fmt] = buf.getvalue().strip()
    for name in ("wire", "apscheduler"):  # leave logging as pytest's caplog expects it
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True
    event = json.loads(lines["json"])
    assert (event["event"], event["source"], event["duration"]) == ("poll", "sda rss", 0.5)
    assert lines["console"].endswith('poll  source="sda rss" duration=0.5')


# --- real processes ------------------------------------------------------------------------


def write_config(path: Path, sources: list[dict[str, Any]], **daemon: Any) -> Path:
    d = {"interval": 0.5, "jitter": 0, "lease_seconds": 2, "health_port": 0,
         "log_format": "json", "stop_timeout": 10, "adaptive": False, **daemon}  # fmt: skip
    lines = ["[http]", "retries = 0", "read_timeout = 5", "total_timeout = 10", "", "[daemon]"]
    lines += [f"{k} = {json.dumps(v)}" for k, v in d.items()]
    for s in sources:
        lines += ["", "[[sources]]"] + [f"{k} = {json.dumps(v)}" for k, v in s.items()]
    path.write_text("\n".join(lines) + "\n")
    return path


def start(cfg: Path, db_url: str, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "WIRE_DATABASE_URL": db_url, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "wire.ingest.cli", "run", "--config", str(cfg)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("ab"),
    )


def events(log: Path) -> list[dict[str, Any]]:
    out = []
    for line in log.read_text().splitlines():
        with suppress(ValueError):
            out.append(json.loads(line))
    return out


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.kill()
        proc.wait(5)


@pytest.mark.slow
async def test_sigterm_mid_run_exits_zero_within_the_stop_timeout(
    tmp_path: Path, sqlite_url: str
) -> None:
    with TestServer() as server:
        server.route("/slow", Reply(200, items(1), delay=30))
        server.route("/fast", Reply(200, items(2, 3)))
        cfg = write_config(
            tmp_path / "c.toml",
            [{"name": "slow", "location": server.url("/slow")},
             {"name": "fast", "location": server.url("/fast")}],
        )  # fmt: skip
        log = tmp_path / "daemon.log"
        proc = start(cfg, sqlite_url, log)
        try:
            await eventually(lambda: server.hits("/slow") and len(server.hits("/fast")) >= 2,
                             timeout=15, what="daemon polling")  # fmt: skip
            sent = time.monotonic()
            proc.send_signal(signal.SIGTERM)
            rc = await asyncio.to_thread(proc.wait, 12)
            took = time.monotonic() - sent
        finally:
            stop(proc)
    assert rc == 0 and took < 10
    names = [e["event"] for e in events(log)]
    assert "stopping" in names and names[-1] == "daemon stopped"
    db = Database(sqlite_url)
    try:
        assert count(db, ArticleRow) == 2
        assert {f.lease_owner for f in (feed_row(db, "slow"), feed_row(db, "fast"))} == {None}
    finally:
        db.dispose()


@pytest.mark.slow
async def test_second_signal_exits_at_once_and_nothing_is_half_written(
    tmp_path: Path, sqlite_url: str
) -> None:
    big = rss([(f"urn:big:{n}", f"Titel {n}", f"Text der Meldung {n}. " * 20) for n in range(3000)])
    with TestServer() as server:
        server.route("/big", Reply(200, big))
        # Parsing in the daemon's own thread: the 3,000 items are then one long write in flight.
        cfg = write_config(
            tmp_path / "c.toml", [{"name": "big", "location": server.url("/big")}], parse_workers=0
        )
        proc = start(cfg, sqlite_url, tmp_path / "daemon.log")
        try:
            await eventually(
                lambda: "parsed" in [e["event"] for e in events(tmp_path / "daemon.log")],
                timeout=30,
                what="the big payload parsed",
            )  # its 3,000 items are being stored now
            proc.send_signal(signal.SIGTERM)  # waits for the write in flight ...
            await asyncio.sleep(0.3)
            sent = time.monotonic()
            proc.send_signal(signal.SIGINT)  # ... unless told twice
            rc = await asyncio.to_thread(proc.wait, 5)
            took = time.monotonic() - sent
        finally:
            stop(proc)
    assert rc == 128 + signal.SIGINT and took < 2
    assert "second signal: exiting now" in [e["event"] for e in events(tmp_path / "daemon.log")]
    db = Database(sqlite_url)
    try:
        assert count(db, ArticleRow) == 0 and count(db, RawItem) == 0  # all or nothing
    finally:
        db.dispose()


@pytest.mark.slow
async def test_sigkill_mid_batch_and_restart_loses_and_duplicates_nothing(
    tmp_path: Path, sqlite_url: str
) -> None:
    entries = [digitalwires_entry(n) for n in range(12)]
    queue = PullQueue(entries, batch=4)

    ack_gate = threading.Event()
    held_acks: list[list[str]] = []

    def hold_first_ack(ids: list[str]) -> None:
        if not held_acks:
            held_acks.append(ids)
            ack_gate.wait(20)  # the daemon dies while waiting for this answer
            raise ConnectionAbortedError("the client is gone: this ack never completes")

    queue.on_ack = hold_first_ack
    log = tmp_path / "daemon.log"
    with TestServer() as server:
        url, ack = queue.mount(server)
        cfg = write_config(
            tmp_path / "c.toml",
            [{"name": "dw", "location": url, "kind": "pull", "ack_url": ack, "format": "ninjs"}],
        )
        # 1. Killed after the first batch is committed, before its acknowledgement returns.
        proc = start(cfg, sqlite_url, log)
        try:
            await eventually(lambda: held_acks, timeout=15, what="first ack")
            proc.send_signal(signal.SIGKILL)
            await asyncio.to_thread(proc.wait, 5)
        finally:
            stop(proc)
        ack_gate.set()
        await asyncio.sleep(0.2)
        assert len(queue.entries) == 12  # the ack never completed: all still queued

        # 2. Killed in the middle of receiving a batch (before any commit of it).
        gate = threading.Event()
        queue.get_reply = lambda body: Reply(200, body, chunk_size=256, chunk_delay=0.2)
        before = len(server.hits("/queue"))
        proc = start(cfg, sqlite_url, log)
        try:
            await eventually(lambda: len(server.hits("/queue")) > before and server.active,
                             timeout=15, what="a GET in flight")  # fmt: skip
            proc.send_signal(signal.SIGKILL)
            await asyncio.to_thread(proc.wait, 5)
        finally:
            stop(proc)
            gate.set()

        # 3. A clean run drains the queue; repeats are absorbed.
        queue.get_reply = lambda body: Reply(200, body, {"Content-Type": "application/json"})
        proc = start(cfg, sqlite_url, log)
        try:
            await eventually(lambda: not queue.entries, timeout=20, what="queue drained")
            proc.send_signal(signal.SIGTERM)
            assert await asyncio.to_thread(proc.wait, 12) == 0
        finally:
            stop(proc)
    db = Database(sqlite_url)
    try:
        with db.reader() as s:
            guids = list(s.scalars(select(ArticleRow.guid)))
            versions = list(s.scalars(select(ArticleVersion.version)))
    finally:
        db.dispose()
    assert sorted(guids) == sorted(e["urn"] for e in entries)  # nothing lost, nothing twice
    assert len(versions) == 12 and set(versions) == {1}


@pytest.mark.slow
async def test_two_daemon_processes_share_postgresql_by_lease(tmp_path: Path, pg_url: str) -> None:
    names = [f"feed-{i}" for i in range(8)]
    with TestServer() as server:
        for i, name in enumerate(names):
            server.route(f"/{name}", Reply(200, items(i), delay=0.15))
        cfg = write_config(
            tmp_path / "c.toml",
            [{"name": n, "location": server.url(f"/{n}")} for n in names],
            interval=0.4,
        )
        db = Database(pg_url)
        a = start(cfg, pg_url, tmp_path / "a.log")
        b = start(cfg, pg_url, tmp_path / "b.log")
        try:

            def owners() -> dict[str, str | None]:
                with db.reader() as s:
                    return {
                        n: o for n, o in s.execute(select(SourceRow.name, SourceRow.lease_owner))
                    }

            def split() -> bool:
                by = [o for o in owners().values() if o]
                return len(by) == 8 and sorted(by.count(o) for o in set(by)) == [4, 4]

            await eventually(split, timeout=20, what="a fair split between two daemons")
            pid_a = str(a.pid)
            mine_a = {n for n, o in owners().items() if o and f":{pid_a}:" in o}
            assert len(mine_a) == 4
            a.send_signal(signal.SIGKILL)  # a dies holding four leases
            await asyncio.to_thread(a.wait, 5)
            killed = time.monotonic()
            await eventually(
                lambda: {o for o in owners().values()} == {o for o in owners().values()
                                                           if o and f":{b.pid}:" in o}
                and all(owners().values()),
                timeout=15, what="takeover by b",
            )  # fmt: skip
            took_over = time.monotonic() - killed
            mark = time.monotonic()
            await eventually(
                lambda: all(any(h.at > mark for h in server.hits(f"/{n}")) for n in mine_a),
                timeout=10, what="b polls a's sources",
            )  # fmt: skip
            b.send_signal(signal.SIGTERM)
            assert await asyncio.to_thread(b.wait, 12) == 0
        finally:
            stop(a)
            stop(b)
        assert max(server.max_by_path.values()) == 1  # never two polls of one source at once
        assert took_over < 12
        assert set(owners().values()) == {None}
        assert count(db, ArticleRow) == 8
        db.dispose()


def _children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with suppress(OSError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid and fields[0] != "Z":
                out.append(int(stat.parent.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
async def test_parse_workers_end_when_the_daemon_is_killed(tmp_path: Path, sqlite_url: str) -> None:
    feed = rss([(f"urn:w:{n}", f"Titel {n}", f"Text der Meldung {n}. " * 20) for n in range(20)])
    with TestServer() as server:
        server.route("/feed", Reply(200, feed))
        cfg = write_config(
            tmp_path / "c.toml", [{"name": "w", "location": server.url("/feed")}], parse_workers=2
        )
        proc = start(cfg, sqlite_url, tmp_path / "daemon.log")
        try:
            await eventually(
                lambda: "parsed" in [e["event"] for e in events(tmp_path / "daemon.log")],
                timeout=30,
                what="a payload parsed by a worker",
            )
            servers = _children(proc.pid)
            workers = [w for s in servers for w in _children(s)]
            assert workers, "the daemon parses in worker processes"
            proc.kill()
            proc.wait(5)
            await eventually(
                lambda: not any(_alive(p) for p in workers), timeout=10, what="workers to end"
            )
        finally:
            stop(proc)
