"""The daemon (``wire run``): every source on its own schedule, leased, observed, stoppable.

Orchestration only. Each leased source is one APScheduler job (interval + jitter, one run at
a time, missed runs coalesced) whose poll is: fetch (``wire.ingest.fetch``, ``wire.ingest.pull``,
``wire.ingest.dropfolder`` or local files) -> ``wire.ingest.parsing.parse_and_sign`` in a worker
process (the parser is the CPU cost: it gets the other cores) -> the store queue, worked off
by store threads (``store_payloads``: dedup, store, clustering; payloads that queued up share
one transaction, each in its own savepoint) -> health. Around the
polls run three small loops: the lease round (``wire.ingest.leases``), the batched health writer
(``wire.storage.health.record_polls``) and the ``/healthz`` + ``/metrics`` endpoint.

Rules the code keeps:

- validators (ETag, Last-Modified) and pull acknowledgements follow the commit, never precede
  it, so a crash at any point costs at most a repeat that dedup absorbs;
- a 304, or a body byte-identical to the last one stored, is not parsed and writes only the
  health row; in a changed feed, the items the last stored payload held byte for byte
  (``FeedState.item_digests``, kept with the validators) are not parsed either;
- ``consecutive_failures >= [daemon].failing_after`` marks a source failing: polled every
  ``[daemon].failing_interval`` until its first success;
- SIGTERM/SIGINT: no new polls, fetches in flight are abandoned (nothing of them is stored),
  writes in flight finish and commit, health is flushed, leases are released, exit 0, all
  within ``[daemon].stop_timeout``; a second signal exits at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import logging
import multiprocessing
import os
import random
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Collection
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from wire.config import Config, SourceConfig, source_location
from wire.errors import ConfigError, FetchError
from wire.ingest.dedup import Clusterer
from wire.ingest.dropfolder import SETTLE_SECONDS, poll_folder
from wire.ingest.fetch import Fetcher, RetryLater, auth_headers
from wire.ingest.hooks import store_hooks
from wire.ingest.leases import Leaser, new_owner_id
from wire.ingest.logs import setup_logging
from wire.ingest.metrics import HealthServer, Metrics
from wire.ingest.parsing import Parsed, parse_and_sign, parse_new, parse_worker_init
from wire.ingest.pipeline import Payload, RunStats, iter_files, settings_for, store_payloads
from wire.ingest.pull import pull
from wire.ingest.rights_jobs import rights_loop
from wire.storage.db import Database
from wire.storage.health import FeedState, ensure_feeds, record_polls

log = logging.getLogger("wire.daemon")
T = TypeVar("T")

KINDS = ("poll", "folder", "pull")
HEALTH_FLUSH_SECONDS = 1.0  # health rows are written in batches this often
# Threads storing payloads. SQLite has one writer at a time, so a second thread would only
# compete for the GIL with the fetches (measured slower in bench/daemon).
STORE_WORKERS = {"sqlite": 1, "postgresql": 4}
# Payloads stored in one transaction, as one batch of articles: a batch costs about the
# statements of one payload, and one commit (bench/daemon).
STORE_BATCH = 8
# Seconds a store waits for its batch to fill while payloads are being parsed: a story stored
# a fifth of a second later costs nothing, a busy cycle saves most of its statements.
STORE_LINGER = 0.2
MAX_PARSE_WORKERS = 4  # processes parsing payloads when [daemon].parse_workers = "auto"
STOP_RESERVE = 1.5  # seconds of the stop timeout kept for the health flush and lease release
# Polls in progress, as a multiple of [http].max_connections (the requests in flight): a
# changed feed waiting for its store holds a poll place, never a request place, so polls of
# other sources (mostly 304s) go on while stores queue; this bounds the bodies kept waiting.
POLLS_PER_CONNECTION = 2


def run_daemon(config: Config, names: list[str]) -> int:
    """Run the configured sources ``names`` until SIGTERM/SIGINT; returns the exit code."""
    setup_logging(config.daemon.log_format)
    sources = [config.source(n) for n in names]
    if not sources:
        raise ConfigError("the configuration has no enabled sources ([[sources]])")
    validate_sources(config, sources)
    parse_worker_count(config.daemon.parse_workers)
    db = Database(config.storage.url)
    try:
        return asyncio.run(Daemon(config, sources, db).run())
    finally:
        db.dispose()


def validate_sources(config: Config, sources: list[SourceConfig]) -> None:
    """Configuration mistakes the daemon would otherwise hit only at the first poll."""
    for s in sources:
        if s.kind not in KINDS:
            raise ConfigError(
                f"source {s.name!r}: kind must be poll, folder or pull, not {s.kind!r}"
            )
        if s.kind == "pull" and not (s.is_url and s.ack_url):
            raise ConfigError(
                f"source {s.name!r}: kind = 'pull' needs an http(s) location and ack_url"
            )
        if s.kind == "folder" and s.is_url:
            raise ConfigError(f"source {s.name!r}: kind = 'folder' needs a local folder, not a URL")
        if s.is_url:
            auth_headers(s)  # a missing secret fails now, with its variable's name
        if (s.interval if s.interval is not None else config.daemon.interval) <= 0:
            raise ConfigError(f"source {s.name!r}: interval must be more than 0 seconds")


@dataclass
class Outcome:
    """What one poll did, for health, metrics and the log line."""

    result: str  # fetched | not_modified | same_body | empty | failed
    stats: RunStats = field(default_factory=RunStats)
    error: str | None = None
    items: int | None = None  # items seen; None keeps the previous count (304, empty)
    attempts: int = 0
    retry_after: float | None = None  # the server asked for a pause this long
    recheck_after: float | None = None  # drop folder: files still settling


@dataclass
class Flight:
    """A poll in progress; ``cancellable`` while nothing of it is being written."""

    task: asyncio.Task[Any] | None
    cancellable: bool = True


def payload_error(stats: RunStats) -> str | None:
    """A poll is failed when storing failed, or when nothing in a payload could be read."""
    if stats.errors:
        return "; ".join(dict.fromkeys(stats.messages)) or "store failed"
    if stats.rejected and not (stats.new + stats.updated + stats.unchanged):
        return "nothing readable: " + "; ".join(list(dict.fromkeys(stats.messages))[:3])
    return None


def parse_worker_count(setting: int | str, cores: int | None = None) -> int:
    """Parse worker processes for ``[daemon].parse_workers``. "auto" leaves one core to the
    daemon, whose event loop and store thread share one interpreter lock: on 2 cores a second
    worker only takes CPU from them (bench/daemon)."""
    if setting == "auto":
        return max(0, min(MAX_PARSE_WORKERS, (cores or os.cpu_count() or 1) - 1))
    if isinstance(setting, int) and not isinstance(setting, bool) and setting >= 0:
        return setting
    raise ConfigError(
        f'[daemon] parse_workers must be "auto" or a number of processes (0: none), not {setting!r}'
    )


class Daemon:
    """One daemon process: its leases, its scheduler, its polls."""

    def __init__(
        self, config: Config, sources: list[SourceConfig], db: Database, *, owner: str | None = None
    ) -> None:
        self.config, self.db = config, db
        self.d = config.daemon
        self.sources = {s.name: s for s in sources}
        self.owner = owner or new_owner_id()
        self.metrics = Metrics()
        self.hooks = store_hooks(config, db)
        # The clusterer's signer takes the signatures the parse workers made.
        self.signer = next((h.signer for h in self.hooks if isinstance(h, Clusterer)), None)
        self.leaser = Leaser(db, self.owner, list(self.sources), self.d.lease_seconds)
        self.states: dict[str, FeedState] = {}
        self.held: set[str] = set()
        self.releasing: set[str] = set()  # surplus leases handed back at the next round
        self.inflight: dict[str, Flight] = {}
        self.dirty: dict[str, FeedState] = {}
        self.bodies: dict[str, str] = {}  # last stored body's sha256 per source (and file)
        self.stopping = False
        self.lease_valid_until = 0.0  # monotonic
        self.last_round = 0.0  # monotonic time of the last successful lease round
        self.round_error: str | None = None
        self.health_port: int | None = None
        self.started = time.monotonic()
        self.settle = SETTLE_SECONDS  # drop-folder files must be this old to be read
        self.store_threads = STORE_WORKERS.get(db.dialect, 2)
        self.store_pool = ThreadPoolExecutor(self.store_threads, thread_name_prefix="wire-store")
        self.store_queue: deque[tuple[Payload, asyncio.Future[RunStats]]] = deque()
        self.store_drains: set[asyncio.Task[None]] = set()
        self.store_draining = 0  # drains running: at most one per store thread
        self.store_wake = asyncio.Event()  # a short batch can stop waiting (see _short_batch)
        self.parsing = 0  # payloads in a parse: they will queue for the store soon
        self.control_pool = ThreadPoolExecutor(1, thread_name_prefix="wire-control")
        self.parse_pool: ProcessPoolExecutor | None = None  # started at the first payload
        self.parse_workers = parse_worker_count(config.daemon.parse_workers)
        self._watchdog: threading.Timer | None = None

    # --- lifecycle ------------------------------------------------------------------------

    async def run(self, *, install_signals: bool = True) -> int:
        """Serve until :meth:`request_stop` (or a signal); returns the exit code."""
        loop = asyncio.get_running_loop()
        self.stop_event = asyncio.Event()
        connections = max(1, self.config.http.max_connections)
        self.slots = asyncio.Semaphore(connections)  # requests in flight
        self.polls = asyncio.Semaphore(connections * POLLS_PER_CONNECTION)  # polls in progress
        if install_signals:
            for sig in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(sig, self._on_signal, sig)
        self.fetcher = Fetcher(self.config.http)
        self.scheduler = AsyncIOScheduler(timezone=UTC)
        await self._control(ensure_feeds, self.db, list(self.sources.values()))
        self.scheduler.start()
        await self._lease_round()
        server = None
        if self.d.health_port:
            server = HealthServer(self.metrics, self.health, self.d.health_host, self.d.health_port)
            try:
                self.health_port = await server.start()
            except OSError as exc:
                server = None
                log.error(
                    "health endpoint not started",
                    extra={
                        "host": self.d.health_host,
                        "port": self.d.health_port,
                        "error": str(exc),
                    },
                )
        loops = [asyncio.create_task(self._lease_loop()), asyncio.create_task(self._flush_loop())]
        # Rights (issue 16): embargo releases and retention purges, a job of their own.
        loops.append(asyncio.create_task(rights_loop(self.db, self.config, asyncio.to_thread)))
        log.info(
            "daemon started",
            extra={"owner": self.owner, "pid": os.getpid(), "sources": len(self.sources),
                   "leased": len(self.held), "health_port": self.health_port,
                   "database": self.db.dialect},
        )  # fmt: skip
        await self.stop_event.wait()
        return await self._shutdown(loops, server)

    def request_stop(self) -> None:
        if not self.stop_event.is_set():
            self.stop_event.set()
            self._watchdog = threading.Timer(self.d.stop_timeout, self._hard_exit)
            self._watchdog.daemon = True
            self._watchdog.start()

    def _on_signal(self, signum: int) -> None:
        name = signal.Signals(signum).name
        if self.stop_event.is_set():
            log.warning("second signal: exiting now", extra={"signal": name})
            _flush_logs()
            os._exit(128 + signum)
        log.info("stopping", extra={"signal": name, "in_flight": len(self.inflight)})
        self.request_stop()

    def _hard_exit(self) -> None:
        log.error("stop timeout passed: exiting with writes in flight (they roll back)",
                  extra={"stop_timeout": self.d.stop_timeout})  # fmt: skip
        _flush_logs()
        os._exit(1)

    async def _shutdown(self, loops: list[asyncio.Task[None]], server: HealthServer | None) -> int:
        started = time.monotonic()
        self.stopping = True
        self.store_wake.set()  # no batch waits to fill
        self.scheduler.pause()
        for flight in list(self.inflight.values()):
            if flight.cancellable and flight.task is not None:
                flight.task.cancel()  # nothing of it is stored: the next poll fetches it again
        tasks = [f.task for f in self.inflight.values() if f.task is not None]
        budget = max(0.1, self.d.stop_timeout - STOP_RESERVE)
        pending: set[asyncio.Task[Any]] = set()
        if tasks:
            _, pending = await asyncio.wait(tasks, timeout=budget)
        for task in loops:
            task.cancel()
        await asyncio.gather(*loops, return_exceptions=True)
        released = 0
        try:
            await asyncio.wait_for(self._flush(), STOP_RESERVE / 2)
            if not pending:
                released = await asyncio.wait_for(
                    self._control(self.leaser.release_all), STOP_RESERVE / 2
                )
        except Exception as exc:
            log.error("could not save health or release leases at stop", extra={"error": str(exc)})
        if server is not None:
            await server.stop()
        await self.fetcher.aclose()
        self.scheduler.shutdown(wait=False)
        log.info(
            "daemon stopped",
            extra={"owner": self.owner, "released": released, "unfinished": len(pending),
                   "duration": time.monotonic() - started},
        )  # fmt: skip
        if pending:
            _flush_logs()
            os._exit(1)  # a write thread is stuck; exiting rolls its transaction back
        if self._watchdog is not None:
            self._watchdog.cancel()
        self.store_pool.shutdown(wait=False)
        self.control_pool.shutdown(wait=False)
        _stop_parse_pool(self.parse_pool)
        return 0

    def health(self) -> tuple[bool, dict[str, Any]]:
        """What ``/healthz`` answers: healthy while lease rounds (the database) succeed."""
        fresh = time.monotonic() - self.last_round < self.d.lease_seconds
        ok = fresh and not self.stopping
        status = "stopping" if self.stopping else ("ok" if ok else "degraded")
        return ok, {
            "status": status,
            "owner": self.owner,
            "sources": len(self.sources),
            "leased": len(self.held),
            "failing": sorted(n for n, s in self.states.items() if s.failing),
            "in_flight": len(self.inflight),
            "uptime_seconds": round(time.monotonic() - self.started, 1),
            "lease_error": self.round_error,
        }

    # --- leases and schedule --------------------------------------------------------------

    async def _control(self, fn: Callable[..., T], *args: Any) -> T:
        """Lease rounds and health writes: their own thread, never queued behind ingests."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.control_pool, functools.partial(fn, *args))

    async def _lease_loop(self) -> None:
        while True:
            await asyncio.sleep(self.d.lease_seconds / 3)
            await self._lease_round()

    async def _lease_round(self) -> None:
        started = time.monotonic()
        try:
            r = await self._control(
                self.leaser.round, set(self.held), set(self.releasing), set(self.inflight)
            )
        except Exception as exc:
            self.round_error = f"{type(exc).__name__}: {exc}"
            log.error("lease round failed", extra={"error": self.round_error})
            return
        self.lease_valid_until = started + self.d.lease_seconds * 0.9
        self.last_round = time.monotonic()
        self.round_error = None
        for name in sorted(r.lost):
            log.warning("lease lost", extra={"source": name, "owner": self.owner})
        for name in r.lost | r.to_release:
            self._unschedule(name)  # a poll in flight finishes; the next one never starts
        self.releasing = r.releasing
        for name in set(self.states) - self.held - self.releasing:
            self._forget(name)  # handed back or lost: the new owner keeps its state
        for name, state in r.gained.items():
            self._adopt(name, state)
        if r.gained or r.released or r.lost or r.to_release:
            log.info(
                "leases",
                extra={"owner": self.owner, "peers": r.peers, "held": len(self.held),
                       "gained": len(r.gained), "handing_back": len(r.to_release),
                       "released": len(r.released), "lost": len(r.lost)},
            )  # fmt: skip
        self.metrics.leases.set(len(self.held))

    def _interval(self, name: str, state: FeedState) -> float:
        if state.failing:
            return self.d.failing_interval
        source = self.sources[name]
        return source.interval if source.interval is not None else self.d.interval

    def _trigger(self, seconds: float) -> IntervalTrigger:
        return IntervalTrigger(seconds=seconds, jitter=self.d.jitter or None, timezone=UTC)

    def _adopt(self, name: str, state: FeedState) -> None:
        """Start polling a newly leased source, keeping the schedule it had (``next_poll``)."""
        self.states[name] = state
        self.held.add(name)
        interval = self._interval(name, state)
        now = datetime.now(UTC)
        first = now
        if state.next_poll is not None and state.next_poll > now:
            first = min(state.next_poll, now + timedelta(seconds=interval))
        first += timedelta(seconds=random.uniform(0, min(self.d.jitter, interval)))
        self.scheduler.add_job(
            self._job,
            self._trigger(interval),
            args=[name],
            id=name,
            name=name,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
            next_run_time=first,
            replace_existing=True,
        )
        self.metrics.failing.labels(name).set(1 if state.failing else 0)

    def _unschedule(self, name: str) -> None:
        self.held.discard(name)
        with contextlib.suppress(JobLookupError):
            self.scheduler.remove_job(name)

    def _forget(self, name: str) -> None:
        self.states.pop(name, None)
        self.dirty.pop(name, None)
        for key in [k for k in self.bodies if k == name or k.startswith(name + "\0")]:
            del self.bodies[key]

    def _leased(self, name: str) -> bool:
        return name in self.held and time.monotonic() < self.lease_valid_until

    # --- one poll -------------------------------------------------------------------------

    async def _job(self, name: str) -> None:
        """The scheduler's job: one poll of one source, never raising."""
        if self.stopping or not self._leased(name):
            return
        source, state = self.sources[name], self.states[name]
        flight = Flight(asyncio.current_task())
        self.inflight[name] = flight
        started = time.monotonic()
        try:
            async with self.polls:
                outcome = await self._poll(source, state, flight)
        except asyncio.CancelledError:
            if self.stopping:
                log.info("poll abandoned at stop", extra={"source": name})
                return
            raise
        except RetryLater as exc:
            outcome = Outcome("failed", error=str(exc), retry_after=exc.delay)
        except FetchError as exc:
            outcome = Outcome("failed", error=str(exc))
        except Exception as exc:  # a bug or a database outage: report it, keep going
            log.exception("poll crashed", extra={"source": name})
            outcome = Outcome("failed", error=f"{type(exc).__name__}: {exc}")
        finally:
            self.inflight.pop(name, None)
        self._finish(name, state, outcome, time.monotonic() - started)

    async def _poll(self, source: SourceConfig, state: FeedState, flight: Flight) -> Outcome:
        if source.kind == "poll" and source.is_url:
            return await self._poll_http(source, state, flight)  # a request place for the GET
        async with self.slots:  # a pull or folder is a series of steps: one place throughout
            if source.kind == "pull":
                return await self._poll_pull(source, flight)
            if source.kind == "folder":
                return await self._poll_folder(source, flight)
            return await self._poll_local(source, flight)

    async def _store(
        self,
        source: SourceConfig,
        flight: Flight,
        data: bytes,
        location: str,
        filename: str | None,
        known: Collection[str] = (),
    ) -> tuple[RunStats, Parsed]:
        """Parse in a worker process (items whose digest is ``known`` left out: they count as
        unchanged), then store through the store queue; the store is shielded: a started
        write always commits."""
        settings = settings_for(source, location)
        parse_started = time.monotonic()
        self.parsing += 1
        try:
            parsed = await self._parse(data, settings, source.format, filename, known)
        except BaseException:
            self.parsing -= 1
            if not self._short_batch():
                self.store_wake.set()  # the batch can no longer fill
            raise
        self.parsing -= 1  # and queued below, with no await between: counted as queued
        signer = self.signer if parsed.signatures else None
        if signer is not None:
            signer.give(parsed.signatures)
        log.info(
            "parsed",
            extra={
                "source": source.name,
                "items": len(parsed.results),
                "skipped": parsed.skipped,
                "duration": round(time.monotonic() - parse_started, 4),
            },
        )
        flight.cancellable = False
        try:
            stats = await asyncio.shield(self._queue_store(Payload(data, settings, parsed.results)))
        finally:
            if signer is not None:
                signer.forget(parsed.signatures)
        stats.unchanged += parsed.skipped
        return stats, parsed

    def _queue_store(self, payload: Payload) -> asyncio.Future[RunStats]:
        """Queue a payload for the store threads; the future gets its stats after the commit."""
        future: asyncio.Future[RunStats] = asyncio.get_running_loop().create_future()
        self.store_queue.append((payload, future))
        if not self._short_batch():
            self.store_wake.set()  # full, or it can no longer fill
        # One drain gathers batches; another starts only for a full batch beside it.
        if self.store_draining < self.store_threads and (
            not self.store_draining or len(self.store_queue) >= STORE_BATCH
        ):
            self.store_draining += 1  # counted down by the drain itself, before it ends
            task = asyncio.create_task(self._drain_stores())
            self.store_drains.add(task)  # a reference, so the task is not collected
            task.add_done_callback(self.store_drains.discard)
        return future

    async def _drain_stores(self) -> None:
        """One store thread's loop: up to ``STORE_BATCH`` queued payloads stored together in
        one transaction (``store_payloads``), so a busy daemon pays the statements and the
        commit once per batch instead of once per payload. While enough payloads are being
        parsed to fill it, a short batch waits up to ``STORE_LINGER`` seconds for them."""
        loop = asyncio.get_running_loop()
        try:
            while self.store_queue:
                if self._short_batch() and not self.stopping:
                    self.store_wake.clear()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self.store_wake.wait(), STORE_LINGER)
                    if not self.store_queue:
                        break  # another drain took them
                size = min(STORE_BATCH, len(self.store_queue))
                self.metrics.store_batch.observe(size)
                batch = [self.store_queue.popleft() for _ in range(size)]
                call = functools.partial(
                    store_payloads,
                    self.db,
                    [payload for payload, _ in batch],
                    keep_raw=self.config.storage.keep_raw,
                    hooks=self.hooks,
                )
                outcomes: list[RunStats | Exception]
                try:
                    outcomes = await loop.run_in_executor(self.store_pool, call)
                except Exception as exc:  # the commit failed: nothing of the batch is stored
                    outcomes = [exc] * len(batch)
                for (_, future), outcome in zip(batch, outcomes, strict=True):
                    if future.done():
                        continue
                    if isinstance(outcome, Exception):
                        future.set_exception(outcome)
                    else:
                        future.set_result(outcome)
        finally:
            # No await between the empty-queue check and this: a payload queued from now on
            # starts a drain of its own.
            self.store_draining -= 1

    def _short_batch(self) -> bool:
        """Whether the next batch is short of ``STORE_BATCH`` payloads while enough are being
        parsed to fill it: only then is it worth waiting for them. A trickle of parses (a
        drop folder stored file by file while a few feeds change) never waits."""
        queued = len(self.store_queue)
        return queued < STORE_BATCH <= queued + self.parsing

    async def _parse(
        self, data: bytes, settings: Any, fmt: str, filename: str | None, known: Collection[str]
    ) -> Parsed:
        """``parse_new`` on another core, which also signs the articles for clustering; in a
        thread when there are no parse workers or the pool broke (a worker killed), so a parse
        never fails for the pool's sake."""
        loop = asyncio.get_running_loop()
        if self.parse_workers and not self.stopping:
            if self.parse_pool is None:
                ctx = multiprocessing.get_context("forkserver")
                # Workers fork from a server that imported the parsers only (not the CLI, the
                # store or the cluster index): small, and their pages are shared.
                ctx.set_forkserver_preload(
                    ["wire.ingest.parsing", "wire.adapters.rss", "wire.adapters.newsml"]
                )
                self.parse_pool = ProcessPoolExecutor(
                    self.parse_workers,
                    mp_context=ctx,
                    initializer=parse_worker_init,
                    initargs=(os.getpid(), self.config.dedup if self.signer else None),
                )
            try:
                job = functools.partial(parse_and_sign, data, settings, fmt, filename, known)
                return await loop.run_in_executor(self.parse_pool, job)
            except BrokenProcessPool:
                log.warning(
                    "parse worker died; parsing in a thread", extra={"source": settings.feed}
                )
                self.parse_pool = None
        call = functools.partial(parse_new, data, settings, fmt, filename, None, known)
        return await loop.run_in_executor(self.store_pool, call)

    async def _poll_http(self, source: SourceConfig, state: FeedState, flight: Flight) -> Outcome:
        async with self.slots:
            got = await self.fetcher.get(
                source, source.location, etag=state.etag, last_modified=state.last_modified
            )
        self.metrics.fetch_seconds.observe(got.elapsed)
        if got.not_modified:
            state.etag, state.last_modified = got.etag, got.last_modified
            return Outcome("not_modified", attempts=got.attempts)
        digest = hashlib.sha256(got.body).hexdigest()
        if self.bodies.get(source.name) == digest:
            state.etag, state.last_modified = got.etag, got.last_modified
            return Outcome("same_body", attempts=got.attempts)
        known = state.item_digests.split() if state.item_digests else ()
        stats, parsed = await self._store(source, flight, got.body, source.location, None, known)
        if not stats.errors:  # committed: now the validators may move on
            state.etag, state.last_modified = got.etag, got.last_modified
            state.item_digests = " ".join(parsed.digests) or None
            self.bodies[source.name] = digest
        return Outcome(
            "fetched", stats, payload_error(stats), items=stats.items, attempts=got.attempts
        )

    async def _poll_pull(self, source: SourceConfig, flight: Flight) -> Outcome:
        async def store(data: bytes, location: str, filename: str | None) -> RunStats:
            try:
                return (await self._store(source, flight, data, location, filename))[0]
            finally:
                flight.cancellable = False  # the acknowledgement follows: let it finish

        def stopping() -> bool:
            flight.cancellable = True  # between batches: a stop may abandon the next GET
            return self.stopping

        result = await pull(self.fetcher, source, source.location, store, stopping=stopping)
        self.metrics.fetch_seconds.observe(result.fetch_seconds)
        if result.acked:
            self.metrics.acks.labels(source.name).inc(result.acked)
        if not result.batches:
            return Outcome("empty")
        stats = result.stats
        error = result.error or payload_error(stats)
        return Outcome("fetched", stats, error, items=stats.items)

    async def _poll_folder(self, source: SourceConfig, flight: Flight) -> Outcome:
        flight.cancellable = False  # file by file, each committed then moved; stops between
        folder = Path(source_location(self.config, source))

        async def store(data: bytes, location: str, filename: str | None) -> RunStats:
            return (await self._store(source, flight, data, location, filename))[0]

        result = await poll_folder(
            folder, store, settle=self.settle, source=source.name, stopping=lambda: self.stopping
        )
        stats = result.stats
        files = result.done + result.failed
        return Outcome(
            "fetched" if files else "empty",
            stats,
            payload_error(stats) if stats.errors else None,  # a bad file is filed, not a failure
            items=stats.items if files else None,
            recheck_after=self.settle if result.pending else None,
        )

    async def _poll_local(self, source: SourceConfig, flight: Flight) -> Outcome:
        """A local file or folder read in place (``kind = "poll"``): unchanged files are skipped."""
        flight.cancellable = False
        path = Path(source_location(self.config, source))
        if not path.exists():
            return Outcome("failed", error=f"{path} does not exist")
        files = await asyncio.to_thread(lambda: iter_files(path) if path.is_dir() else [path])
        total = RunStats()
        stored = 0
        for file in files:
            if self.stopping:
                break
            try:
                data = await asyncio.to_thread(file.read_bytes)
            except OSError as exc:
                total.errors += 1
                total.messages.append(f"{file}: {exc.strerror or exc}")
                continue
            key = f"{source.name}\0{file}"
            digest = hashlib.sha256(data).hexdigest()
            if self.bodies.get(key) == digest:
                continue
            stats = (await self._store(source, flight, data, str(file), file.name))[0]
            total.add(stats)
            stored += 1
            if not stats.errors:
                self.bodies[key] = digest
        if not stored and not total.errors:
            return Outcome("same_body")
        return Outcome("fetched", total, payload_error(total), items=total.items)

    def _finish(self, name: str, state: FeedState, outcome: Outcome, duration: float) -> None:
        """Health, metrics, schedule changes and the log line of one finished poll."""
        if self.states.get(name) is not state:
            return  # the lease was lost while polling: the new owner keeps the health
        job = self.scheduler.get_job(name)  # None once the source is being handed back
        now = datetime.now(UTC)
        m, stats = self.metrics, outcome.stats
        m.polls.labels(name, outcome.result).inc()
        if outcome.result == "not_modified":
            m.not_modified.labels(name).inc()
        for key in ("new", "updated", "unchanged", "rejected"):
            if getattr(stats, key):
                m.items.labels(name, key).inc(getattr(stats, key))
        state.last_attempt, state.last_duration = now, duration
        reschedule = False
        if outcome.error is None:
            state.last_success, state.last_error = now, None
            state.consecutive_failures = 0
            if outcome.items is not None:
                state.items_last_seen = outcome.items
            m.last_success.labels(name).set(now.timestamp())
            if state.failing:
                state.failing, reschedule = False, True
                log.warning("source recovered", extra={"source": name})
        else:
            m.errors.labels(name).inc()
            state.consecutive_failures += 1
            state.last_error = outcome.error[:2000]
            if not state.failing and state.consecutive_failures >= self.d.failing_after:
                state.failing, reschedule = True, True
                log.warning(
                    "source failing",
                    extra={"source": name, "failures": state.consecutive_failures,
                           "poll_every": self.d.failing_interval, "error": outcome.error},
                )  # fmt: skip
        m.failing.labels(name).set(1 if state.failing else 0)
        if job is not None:
            if reschedule:
                job = job.reschedule(self._trigger(self._interval(name, state)))
            if outcome.retry_after is not None:
                wanted = now + timedelta(seconds=outcome.retry_after)
                if job.next_run_time is None or job.next_run_time < wanted:
                    job = job.modify(next_run_time=wanted)
            elif outcome.recheck_after is not None and not state.failing:
                soon = now + timedelta(seconds=outcome.recheck_after)
                if job.next_run_time is None or job.next_run_time > soon:
                    job = job.modify(next_run_time=soon)
            state.next_poll = job.next_run_time
        self.dirty[name] = replace(state)
        fields: dict[str, Any] = {
            "source": name,
            "kind": self.sources[name].kind,
            "result": outcome.result,
            "duration": duration,
        }
        if outcome.attempts > 1:
            fields["attempts"] = outcome.attempts
        for key in ("new", "updated", "unchanged", "rejected"):
            if getattr(stats, key):
                fields[key] = getattr(stats, key)
        if outcome.error:
            fields["error"] = outcome.error
            fields["failures"] = state.consecutive_failures
        fields["next_poll"] = state.next_poll
        log.log(logging.WARNING if outcome.error else logging.INFO, "poll", extra=fields)

    # --- health rows ----------------------------------------------------------------------

    async def _flush_loop(self) -> None:
        while True:
            await asyncio.sleep(HEALTH_FLUSH_SECONDS)
            await self._flush()

    async def _flush(self) -> None:
        if not self.dirty:
            return
        batch, self.dirty = list(self.dirty.values()), {}
        try:
            await self._control(record_polls, self.db, batch, self.owner)
        except Exception as exc:
            log.error(
                "could not write source health", extra={"error": str(exc), "rows": len(batch)}
            )
            for state in batch:  # keep them for the next flush unless a newer one exists
                self.dirty.setdefault(state.name, state)


def _flush_logs() -> None:
    for handler in logging.getLogger("wire").handlers:
        handler.flush()
    sys.stderr.flush()


def _stop_parse_pool(pool: ProcessPoolExecutor | None) -> None:
    """Stop parse workers now: a parse in flight is abandoned work (nothing of it is stored),
    and the interpreter would otherwise wait for it at exit."""
    if pool is None:
        return
    workers = list(getattr(pool, "_processes", {}).values())  # no public API before 3.14
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in workers:
        with contextlib.suppress(Exception):
            proc.terminate()
