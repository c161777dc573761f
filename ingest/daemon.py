"""The daemon (``wire run``): every leased source on its own schedule, stoppable. It only schedules.

Each leased source is one APScheduler job (interval + jitter, one run at a time, missed runs
coalesced) that polls it through its source kind (``wire.ingest.kinds``: HTTP poll,
pull-and-acknowledge, drop folder, local file), which sends each payload through the pipeline
(``wire.ingest.pipeline``), here with the parse workers (``wire.ingest.parsepool``) and the
batching store queue (``wire.ingest.storequeue``). What a poll did moves the source's health
(``wire.ingest.health``) and the metrics (``wire.ingest.metrics``). Around the polls run a few
small loops: the lease round (``wire.storage.leases``), the batched health writer, the
``/healthz`` + ``/metrics`` endpoint and, on SQLite, the write-ahead log's checkpoints
(``wire.ingest.storequeue.checkpoints``).

A poll ends in one of three ways, each its own branch of :meth:`Daemon._job`: the source
failed (``FetchError``; ``RetryLater`` pushes the next poll back), the store failed
(``StoreFailed``: nothing of the payload was committed), or something else broke (a bug).
``consecutive_failures >= [daemon].failing_after`` marks a source failing: polled every
``[daemon].failing_interval`` until its first success.

SIGTERM/SIGINT: no new polls, fetches in flight are abandoned (nothing of them is stored),
writes in flight finish and commit, health is flushed, leases are released, exit 0, all
within ``[daemon].stop_timeout``; a second signal exits at once.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import functools
import itertools
import logging
import math
import os
import random
import signal
import sys
import threading
import time
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from types import FrameType
from typing import Any, TypeVar

from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from wire.config import Config, SourceConfig
from wire.errors import ConfigError
from wire.ingest.collector import daemon_collections
from wire.ingest.dedup import Clusterer
from wire.ingest.fetch import Fetcher
from wire.ingest.freshness import (
    BURST_ITEMS,
    POISSON,
    PRIOR_ITEMS,
    Bursts,
    account_budget,
    budget_scale,
    poll_interval,
    shown_rate,
    spending_correction,
    tail_floor,
    tail_wait,
)
from wire.ingest.hawkes import estimate_bursts, estimate_each
from wire.ingest.health import HealthWriter, Outcome, apply_outcome, learn, log_poll
from wire.ingest.hooks import store_hooks
from wire.ingest.identity import DaemonIdentity
from wire.ingest.kinds import Flight, PollContext, SourceKinds, check_sources, poll_source
from wire.ingest.logs import setup_logging
from wire.ingest.metrics import HealthServer, Metrics
from wire.ingest.parsepool import ParsePool, parse_worker_count
from wire.ingest.pipeline import Pipeline, StoreFailed, known_items
from wire.ingest.rights_jobs import rights_loop
from wire.ingest.storequeue import StoreQueue, checkpoints
from wire.ingest.websub import WebSub
from wire.storage.db import Database
from wire.storage.health import SourceHealth, ensure_sources
from wire.storage.leases import Leaser, new_owner_id

log = logging.getLogger("wire.daemon")
T = TypeVar("T")

STOP_RESERVE = 1.5  # seconds of the stop timeout kept for the health flush and lease release
# Polls in progress, as a multiple of [http].max_connections (the requests in flight): a
# changed feed waiting for its store holds a poll place, never a request place, so polls of
# other sources (mostly 304s) go on while stores queue; this bounds the bodies kept waiting.
POLLS_PER_CONNECTION = 2
# While the database cannot take payloads, storing pauses for all sources: the first pause is
# this long, each failed probe doubles it up to STORE_PAUSE_MAX; a successful probe resumes.
STORE_PAUSE_MIN = 1.0
STORE_PAUSE_MAX = 15.0
SCALE_EVERY = 5.0  # seconds between recomputations of the adaptive schedule's budget scale
FLOOR_EVERY = 15.0  # and of its tail floor (a search over floors, in a thread)
# A new theta or wait moves a source's next poll when the law now puts it further than this
# share of the interval from where it is scheduled (Daemon._replan).
REPLAN_SHARE = 0.25


def run_daemon(config: Config, names: list[str]) -> int:
    """Run the configured sources ``names`` until SIGTERM/SIGINT; returns the exit code."""
    setup_logging(config.daemon.log_format)
    sources = [config.source(n) for n in names]
    if not sources:
        raise ConfigError("the configuration has no enabled sources ([[sources]])")
    check_sources(config, sources)
    parse_worker_count(config.daemon.parse_workers)
    identity = DaemonIdentity.claim(config.daemon.state_file) if config.daemon.state_file else None
    db = Database(config.storage.url, background_checkpoints=True)  # off the store's commits
    daemon_collections()  # what start-up made is frozen; the young generation collected seldom
    try:
        token = identity.token if identity else None
        return asyncio.run(Daemon(config, sources, db, identity=token).run())
    finally:
        db.dispose()
        if identity:
            identity.release()


class Daemon:
    """One daemon process: its leases, its scheduler, its polls."""

    def __init__(
        self,
        config: Config,
        sources: list[SourceConfig],
        db: Database,
        *,
        owner: str | None = None,
        identity: str | None = None,
    ) -> None:
        """``identity``: the token kept in ``[daemon].state_file`` (see wire.ingest.identity)."""
        self.config, self.db = config, db
        self.d = config.daemon
        self.sources = {s.name: s for s in sources}
        self.owner = owner or new_owner_id(identity)
        self.metrics = Metrics()
        self.hooks = store_hooks(config, db)
        # The clusterer's signer takes the signatures the parse workers made.
        self.signer = next((h.signer for h in self.hooks if isinstance(h, Clusterer)), None)
        self.leaser = Leaser(
            db, self.owner, list(self.sources), self.d.lease_seconds, identity=identity
        )
        self.states: dict[str, SourceHealth] = {}
        self.held: set[str] = set()
        self.releasing: set[str] = set()  # surplus leases handed back at the next round
        self.inflight: dict[str, Flight] = {}
        self.stopping = False
        self.lease_valid_until = 0.0  # monotonic
        self.last_round = 0.0  # monotonic time of the last successful lease round
        self.round_error: str | None = None
        self.store_error: str | None = None  # set while storing is paused (database down)
        self.store_pause = STORE_PAUSE_MIN
        self.deferred: set[str] = set()  # polls put off while storing is paused
        self.probe: asyncio.Task[None] | None = None
        self.health_port: int | None = None
        self.started = time.monotonic()
        self.scale: float | None = None  # the intensity law's theta, spending the fixed budget
        self.scale_at = 0.0  # monotonic time it was computed (or asked of a thread)
        self.scaling: asyncio.Future[float] | None = None  # a recomputation in a thread
        self.floor: float | None = None  # the law's wait, the tail floor (freshness.tail_floor)
        # Publication times (epoch seconds) of the items each held source has shown lately,
        # newest last, and when it was last polled: the intensity law's evidence of a burst
        # and the burst estimator's data. Kept in memory: after a restart the first poll's
        # backlog brings the recent ones back.
        self.published: dict[str, collections.deque[float]] = {}
        self.polled_at: dict[str, float] = {}
        self.shown_rates: dict[str, float] = {}  # freshness.shown_rate of those times
        # The account of requests (freshness.account_budget): when each held source was
        # taken (monotonic) and the polls made of it since.
        self.adopted: dict[str, float] = {}
        self.spent: dict[str, int] = {}
        self.control_pool = ThreadPoolExecutor(1, thread_name_prefix="wire-control")
        self.health_rows = HealthWriter(db, self.owner, self._control)
        self.parse_pool = ParsePool(
            parse_worker_count(config.daemon.parse_workers),
            config.dedup if self.signer else None,
        )
        self.store_queue = StoreQueue(
            db,
            keep_raw=config.storage.keep_raw,
            hooks=self.hooks,
            on_batch=self.metrics.store_batch.observe,
        )
        self.pipeline = Pipeline(self.parse_pool, self.store_queue, self.signer)
        self.websub: WebSub | None = None
        self.background: set[asyncio.Task[None]] = set()  # WebSub (un)subscriptions

    # --- lifecycle ------------------------------------------------------------------------

    async def run(self, *, install_signals: bool = True) -> int:
        """Serve until :meth:`request_stop` (or a signal); returns the exit code."""
        loop = asyncio.get_running_loop()
        self.stop_event = asyncio.Event()
        connections = max(1, self.config.http.max_connections)
        self.slots = asyncio.Semaphore(connections)  # requests in flight
        self.polls = asyncio.Semaphore(connections * POLLS_PER_CONNECTION)  # polls in progress
        if install_signals:
            self._take_signals(loop)
        self.fetcher = Fetcher(self.config.http)
        self.context = PollContext(
            self.config, self.fetcher, self.pipeline, self.slots, lambda: self.stopping
        )
        self.kinds = SourceKinds(self.context)
        if self.config.websub.enabled and self.d.health_port:  # callbacks need the HTTP port
            self.websub = WebSub(
                self.config.websub,
                self.fetcher.client,
                self._callback_base,
                self._push,
                self._reschedule,
            )
        self.scheduler = AsyncIOScheduler(timezone=UTC)
        server = None
        if self.d.health_port:
            # First, before any lease: a daemon without its endpoint would let a liveness
            # probe reach whatever holds the port.
            server = HealthServer(
                self.metrics,
                self.health,
                self.d.health_host,
                self.d.health_port,
                self.websub.handle if self.websub else None,
            )
            try:
                self.health_port = await server.start()
            except OSError as exc:
                await self.fetcher.aclose()
                self.close_pools()
                where = f"{self.d.health_host}:{self.d.health_port}"
                raise ConfigError(
                    f"the health endpoint cannot listen on {where} "
                    f"({exc.strerror or exc}): is another daemon running, or set "
                    "[daemon].health_port"
                ) from exc
        await self._control(ensure_sources, self.db, list(self.sources.values()))
        self.scheduler.start()
        await self._lease_round()
        loops = [
            asyncio.create_task(self._lease_loop()),
            asyncio.create_task(self.health_rows.run()),
        ]
        if self.websub is not None:
            loops.append(asyncio.create_task(self.websub.renew_loop()))
        if self.d.adaptive:
            loops.append(asyncio.create_task(self._floor_loop()))
        if self.db.background_checkpoints:  # SQLite: the write-ahead log, off the store thread
            loops.append(asyncio.create_task(checkpoints(self.db)))
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

    def _take_signals(self, loop: asyncio.AbstractEventLoop) -> None:
        """SIGTERM and SIGINT, each handled once by :meth:`_on_signal` on the loop.

        asyncio alone learns of a signal from its number written into the loop's wakeup
        socket, into which every ``call_soon_threadsafe`` also writes a byte: a thread's or
        a worker's result, and APScheduler's wakeup after each job added or changed (2,000
        at a start with 2,000 sources). Past about 280 unread bytes on Linux the socket is
        full and the signal's byte is dropped (CPython only prints "Exception ignored when
        trying to write to the signal wakeup fd"): the daemon went on polling and never
        stopped (python/cpython#74224; a SIGTERM right at the start lost it every time).
        So the signal is also noted by a Python-level handler, which the interpreter runs in
        the main thread whatever the socket held; the socket still wakes the loop (a full
        one is readable anyway). Whichever path comes first handles the noted signals.
        """
        noted: collections.deque[int] = collections.deque()

        def handle() -> None:
            while noted:
                self._on_signal(noted.popleft())

        def note(signum: int, frame: FrameType | None) -> None:
            noted.append(signum)
            with contextlib.suppress(RuntimeError):  # the loop is closed: the run is over
                loop.call_soon_threadsafe(handle)

        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, handle)  # the wakeup socket, and the loop's path
            signal.signal(sig, note)  # instead of asyncio's no-op, which only wakes the loop
            signal.siginterrupt(sig, False)  # as asyncio set it: system calls restarted
        # A byte the full socket could not take is no lost signal any more: no traceback for
        # it on stderr ("Exception ignored when trying to write to the signal wakeup fd").
        signal.set_wakeup_fd(signal.set_wakeup_fd(-1), warn_on_full_buffer=False)

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
        self.store_queue.stop()  # no batch waits to fill
        self.scheduler.pause()
        for flight in list(self.inflight.values()):
            if flight.cancellable and flight.task is not None:
                flight.task.cancel()  # nothing of it is stored: the next poll fetches it again
        # No poll needs the parse workers any more (those still running are past parsing;
        # a late parse runs in a thread): they wind down while the writes finish, and are
        # gone before any exit path below, so no way out leaves their semaphores behind.
        parse_pool_stopped = asyncio.ensure_future(asyncio.to_thread(self.parse_pool.stop))
        tasks = [f.task for f in self.inflight.values() if f.task is not None]
        budget = max(0.1, self.d.stop_timeout - STOP_RESERVE)
        pending: set[asyncio.Task[Any]] = set()
        if tasks:
            _, pending = await asyncio.wait(tasks, timeout=budget)
        await parse_pool_stopped  # bounded: a few seconds at most (ParsePool.stop)
        if self.probe is not None:
            loops.append(self.probe)
        for task in loops:
            task.cancel()
        await asyncio.gather(*loops, return_exceptions=True)
        released = 0
        if self.websub is not None:  # the next owner subscribes when its poll sees the hub
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.websub.unsubscribe_all(), STOP_RESERVE / 3)
        try:
            # The health rows hold the polls' validators (ETag, item memory): their flush may
            # use what is left of the stop timeout, not only its reserve (a loaded machine can
            # take longer than that to write a second's rows), keeping time for the release.
            left = self.d.stop_timeout - (time.monotonic() - started) - STOP_RESERVE
            await asyncio.wait_for(self.health_rows.flush(), max(STOP_RESERVE / 2, left))
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
        self.close_pools()
        return 0

    def close_pools(self) -> None:
        """The store threads, the control thread and the parse workers."""
        self.store_queue.close()
        self.control_pool.shutdown(wait=False)
        self.parse_pool.stop()

    def health(self) -> tuple[bool, dict[str, Any]]:
        """What ``/healthz`` answers: healthy while lease rounds (the database) succeed."""
        fresh = time.monotonic() - self.last_round < self.d.lease_seconds
        ok = fresh and not self.stopping
        status = "stopping" if self.stopping else ("ok" if ok else "degraded")
        if self.store_error is not None and not self.stopping:
            status = "store_paused"
        return ok, {
            "status": status,
            "store": "paused" if self.store_error is not None else "ok",
            "store_error": self.store_error,
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

    def _interval(
        self,
        name: str,
        state: SourceHealth,
        scale: float | None = None,
        floor: float | None = None,
        ages: list[float] | None = None,
    ) -> float:
        """The failing interval, or the source's adaptive one (``wire.ingest.freshness``) at
        ``scale`` (theta) and tail ``floor`` (the wait), by default the daemon's own
        (:meth:`_scale`). With the ``ages`` of the items the source has shown (seconds before
        its last poll) it is the intensity law with the source's bursts; without, the price
        (the law for Poisson arrivals). A source that pushes (WebSub) is polled only as a
        safety net."""
        if state.failing:
            return self.d.failing_interval
        source, d = self.sources[name], self.d
        if self._pushing(name):
            return max(self.config.websub.poll_interval, state.source_hint or 0.0)
        configured = self._configured(name)
        if scale is None and d.adaptive and state.item_rate is not None:
            # never fewer polls than one per item expected (a lone busy wire still speeds
            # up); more where quiet sources leave requests of the budget unspent
            scale = min(self._scale() or math.inf, 1.0)
            floor = self.floor
        bursts = POISSON if ages is None else self._bursts(state)
        return poll_interval(
            configured=configured,
            role=source.interval_is if source.interval is not None else None,
            rate=self._rate(name, state),
            hint=state.source_hint,
            low=d.min_interval,
            high=d.max_interval,
            adaptive=d.adaptive,
            theta=scale,
            wait=floor,
            bursts=bursts,
            ages=ages or (),
        )

    @staticmethod
    def _bursts(state: SourceHealth) -> Bursts:
        if state.burst_share is None or state.burst_decay is None:
            return POISSON
        return Bursts(state.burst_share, state.burst_decay)

    def _shown(self, name: str, outcome: Outcome, polled: float) -> list[float]:
        """Keep the publication times of the items a poll brought (from their publish-to-
        commit latencies: their dates, else their first sighting) and return the ages, at the
        poll, of the items the source has shown lately."""
        times = self.published.setdefault(name, collections.deque(maxlen=BURST_ITEMS))
        committed = time.time()
        for published in sorted(committed - s for s in outcome.stats.latencies):
            times.append(min(published, polled))
        if len(times) > 1 and any(b < a for a, b in itertools.pairwise(times)):
            ordered = sorted(times)  # an item dated before ones already shown
            times.clear()
            times.extend(ordered)
        self.polled_at[name] = polled
        rate = shown_rate(times, polled)
        if rate is not None:
            self.shown_rates[name] = rate
        return [polled - t for t in times]

    def _rate(self, name: str, state: SourceHealth) -> float | None:
        """The rate the law builds on: over the items the source has shown lately
        (:func:`~wire.ingest.freshness.shown_rate`), else the learned one (a restart's first
        polls, a source with too few dated items)."""
        return self.shown_rates.get(name, state.item_rate)

    def _pushing(self, name: str) -> bool:
        return self.websub is not None and self.websub.active(name)

    def _configured(self, name: str) -> float:
        source = self.sources[name]
        return source.interval if source.interval is not None else self.d.interval

    def _jitter(self, seconds: float) -> float:
        """Up to a tenth of the interval (at most ``[daemon].jitter``): enough to spread the
        polls, not so much that a busy source's interval grows by half."""
        return min(self.d.jitter, seconds / 10)

    def _scale(self) -> float | None:
        """The intensity law's theta for the sources held now, recomputed every few
        seconds: the one that spends the budget (:meth:`_budget`: what the fixed schedule
        would, each held source at its configured interval, less ``BUDGET_MARGIN``, kept to
        by the account of the requests made) with the current wait (the tail floor),
        priced as Poisson and corrected by what the law's intervals spend, so adapting moves
        requests from quiet sources to busy ones (a pushing source's saved polls go to the
        others too).

        The first is computed at once; later ones in a thread while the last one serves: a
        budget scale is a bisection over every held source (tens of milliseconds at 200,
        more on a loaded machine), which on the event loop would hold up pushes and polls."""
        now = time.monotonic()
        if self.scale is not None and now - self.scale_at < SCALE_EVERY:
            return self.scale
        held = self._held()
        if not held:
            return None
        if self.scale is None:
            self.scale = self._scale_with(held, self.floor, 1.0, self._budget(held))
            self.scale_at = now
        elif self.scaling is None:
            self.scale_at = now  # asked: not asked again until SCALE_EVERY has passed
            self.scaling = asyncio.ensure_future(
                asyncio.to_thread(
                    self._scale_with, held, self.floor, self._shown_ages(held), self._budget(held)
                )
            )
            self.scaling.add_done_callback(functools.partial(self._scaled, self.floor))
        return self.scale

    def _scaled(self, floor: float | None, done: asyncio.Future[float]) -> None:
        self.scaling = None
        if done.cancelled() or floor != self.floor:  # a new floor came with its own scale
            return
        if done.exception() is not None:  # a bug: the last scale stays, asked again later
            log.error("budget scale failed", exc_info=done.exception())
            return
        self.scale, self.scale_at = done.result(), time.monotonic()
        self._replan()

    def _budget(self, held: list[tuple[str, SourceHealth]]) -> float:
        """Requests a second the law may plan for the ``held`` sources: ``BUDGET_MARGIN`` of
        the fixed schedule's, corrected by the account of the requests made since they were
        taken (:func:`~wire.ingest.freshness.account_budget`): a source's first poll counts
        from the start, and every request sent to a hub for it (those of a source handed
        back leave with it: a daemon running for weeks does not carry them as a debt)."""
        now = time.monotonic()
        periods, held_for, spent = [], [], 0.0
        for name, _ in held:
            seconds = self._configured(name)
            periods.append(seconds + self._jitter(seconds))  # the fixed schedule's slowest
            held_for.append(now - self.adopted.get(name, now))
            spent += max(1, self.spent.get(name, 0))
            if self.websub is not None:
                spent += self.websub.asked[name]
        return account_budget(periods, held_for, spent)

    def _held(self) -> list[tuple[str, SourceHealth]]:
        return [(n, s) for n, s in self.states.items() if n in self.held]

    def _shown_ages(self, held: list[tuple[str, SourceHealth]]) -> dict[str, list[float]]:
        """The ages, at its last poll, of the items each held source has shown (a copy, for
        a thread); pushing and failing sources are not on the law."""
        return {
            n: [self.polled_at[n] - t for t in self.published.get(n, ())]
            for n, s in held
            if n in self.polled_at and not s.failing and not self._pushing(n)
        }

    def _correction(
        self, held: list[tuple[str, SourceHealth]], shown: dict[str, list[float]]
    ) -> float:
        """What the law's intervals spend now over their Poisson price at the theta and wait
        in use (:func:`~wire.ingest.freshness.spending_correction`; 1 before a theta is
        known)."""
        if self.scale is None or not self.d.adaptive:
            return 1.0
        theta = min(self.scale, 1.0)
        states = dict(held)
        priced = [self._interval(n, states[n], theta, self.floor) for n in shown]
        chosen = [self._interval(n, states[n], theta, self.floor, shown[n]) for n in shown]
        return spending_correction(priced, chosen)

    def _scale_with(
        self,
        held: list[tuple[str, SourceHealth]],
        floor: float | None,
        shown: dict[str, list[float]] | float,
        budget: float,
    ) -> float:
        """The theta that spends ``budget`` requests a second (:meth:`_budget`) at the law's
        price, corrected by what its intervals spend over that price (from the items each
        source has ``shown``, or that correction itself)."""
        correction = shown if isinstance(shown, float) else self._correction(held, shown)
        return budget_scale(
            lambda k: [self._interval(n, s, k, floor) for n, s in held],
            budget / correction,
            self._jitter,
        )

    async def _floor_loop(self) -> None:
        """The tail floor sought again every ``FLOOR_EVERY`` seconds (or ``rate_window``, when
        shorter: the rates it follows move no faster than that): the floor whose schedule
        (at the scale that spends the budget with it) predicts the shortest p95 wait. A
        search over floors is a dozen budget scales: it runs in a thread, so pushes and
        polls are not held up by it."""
        every = min(FLOOR_EVERY, self.d.rate_window)  # as fast as the rates can move
        await asyncio.sleep(min(SCALE_EVERY, every))  # the first polls have taught the rates
        while True:
            held = self._held()
            try:
                if held:  # the floor, and the scale that goes with it, off the event loop
                    self._learn_bursts(await asyncio.to_thread(self._estimate_bursts, held))
                    self.floor, self.scale = await asyncio.to_thread(
                        self._best_floor, held, self._shown_ages(held), self._budget(held)
                    )
                    self.scale_at = time.monotonic()
                    self._replan()
            except Exception:  # a bug: the last floor stays, the search runs again later
                log.exception("tail floor search failed")
            await asyncio.sleep(every)

    def _best_floor(
        self, held: list[tuple[str, SourceHealth]], shown: dict[str, list[float]], budget: float
    ) -> tuple[float, float]:
        """The tail floor and the budget scale at it (the spending correction taken once, at
        the theta and wait in use)."""
        correction = self._correction(held, shown)

        def predicted(floor: float) -> float:
            scale = self._scale_with(held, floor, correction, budget)
            return tail_wait(self._waits(held, scale, floor))

        floor = tail_floor(predicted, self.d.min_interval, self.d.max_interval)
        return floor, self._scale_with(held, floor, correction, budget)

    def _replan(self) -> None:
        """A new theta or wait moves the next poll of a source whose schedule, set at its last
        poll under the old ones, is now far off (by more than ``REPLAN_SHARE`` of the
        interval): a quiet source sent to the maximum while the first rates were being
        learned would otherwise wait out the whole maximum. The Poisson price picks the
        sources worth a look; the law itself (with the items shown) says where they go."""
        if not self.d.adaptive or self.scale is None:
            return
        now = time.time()
        for name, state in self._held():
            job, polled = self.scheduler.get_job(name), self.polled_at.get(name)
            if job is None or job.next_run_time is None or polled is None or state.failing:
                continue
            if self._pushing(name) or state.item_rate is None:
                continue
            planned = job.next_run_time.timestamp() - polled
            priced = self._interval(name, state, min(self.scale, 1.0), self.floor)
            if abs(priced - planned) <= REPLAN_SHARE * planned:
                continue
            ages = [polled - t for t in self.published.get(name, ())]
            interval = self._interval(name, state, ages=ages)
            if abs(interval - planned) <= REPLAN_SHARE * planned:
                continue
            when = max(now, polled + interval + random.uniform(0, self._jitter(interval)))
            job.modify(next_run_time=datetime.fromtimestamp(when, UTC))
            state.next_poll = job.next_run_time

    def _estimate_bursts(self, held: list[tuple[str, SourceHealth]]) -> dict[str, Bursts]:
        """Each held source's bursts from the publication times it has shown, drawn toward
        the pooled estimate of all of them (:func:`~wire.ingest.hawkes.estimate_bursts`).
        Runs in a thread: the times are copied first."""
        runs = {
            n: (list(self.published[n]), self.polled_at[n])
            for n, _ in held
            if n in self.published and n in self.polled_at
        }
        pooled = estimate_bursts(runs.values())
        names = [n for n, _ in held]
        each = estimate_each([runs.get(n, ((), 0.0)) for n in names], pooled, PRIOR_ITEMS)
        return dict(zip(names, each, strict=True))

    def _learn_bursts(self, estimates: dict[str, Bursts]) -> None:
        for name, bursts in estimates.items():
            state = self.states.get(name)
            if state is None or name not in self.held:
                continue
            state.burst_share, state.burst_decay = bursts.share, bursts.decay
            self.health_rows.changed(state)

    def _waits(
        self, held: list[tuple[str, SourceHealth]], scale: float, floor: float | None
    ) -> list[tuple[float, float]]:
        """Each held source's (rate, mean interval) at ``scale`` and ``floor``: what
        :func:`tail_wait` predicts from (a pushing source's items wait for no poll)."""
        out = []
        for name, state in held:
            rate = self._rate(name, state)
            if rate is None:
                rate = 1.0 / self._configured(name)
            if self._pushing(name):
                out.append((rate, 0.0))
                continue
            seconds = self._interval(name, state, scale, floor)
            out.append((rate, seconds + self._jitter(seconds) / 2))
        return out

    def _trigger(self, seconds: float) -> IntervalTrigger:
        jitter = self._jitter(seconds)
        return IntervalTrigger(seconds=seconds, jitter=jitter or None, timezone=UTC)

    def _adopt(self, name: str, state: SourceHealth) -> None:
        """Start polling a newly leased source, keeping the schedule it had (``next_poll``)."""
        self.states[name] = state
        self.held.add(name)
        self.adopted[name], self.spent[name] = time.monotonic(), 0
        if self.websub is not None:  # a new account: the hub requests of an earlier lease go
            self.websub.asked.pop(name, None)
        interval = self._interval(name, state)
        now = datetime.now(UTC)
        first = now
        if state.next_poll is not None and state.next_poll > now:
            first = min(state.next_poll, now + timedelta(seconds=interval))
        first += timedelta(seconds=random.uniform(0, self._jitter(interval)))
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
        self.metrics.set_failing(name, state.failing)

    def _unschedule(self, name: str) -> None:
        self.held.discard(name)
        with contextlib.suppress(JobLookupError):
            self.scheduler.remove_job(name)

    def _forget(self, name: str) -> None:
        self.states.pop(name, None)
        self.published.pop(name, None)
        self.polled_at.pop(name, None)
        self.shown_rates.pop(name, None)
        self.adopted.pop(name, None)
        self.spent.pop(name, None)
        self.health_rows.forget(name)
        self.context.forget(name)
        if self.websub is not None:  # the subscription moves with the lease
            self._spawn(self.websub.unsubscribe(name))

    def _reschedule(self, name: str) -> None:
        """The source's interval changed outside a poll (a WebSub subscription came or went)."""
        state, job = self.states.get(name), self.scheduler.get_job(name)
        if state is None or job is None:
            return
        state.poll_interval = self._interval(name, state)
        job = job.reschedule(self._trigger(state.poll_interval))
        state.next_poll = job.next_run_time
        self.metrics.set_interval(name, state.poll_interval)
        self.health_rows.changed(state)

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self.background.add(task)
        task.add_done_callback(self.background.discard)

    # --- WebSub push ------------------------------------------------------------------------

    def _callback_base(self) -> str:
        return self.config.websub.public_url or f"http://{self.d.health_host}:{self.health_port}"

    async def _push(self, name: str, body: bytes) -> bool:
        """Content a hub pushed for ``name``, stored at once through the pipeline: only the
        items the source's item memory does not know are parsed (a hub pushes the whole
        feed), and the payload goes before the polls' in the store queue. False when the
        store failed (the hub delivers it again)."""
        source, state = self.sources[name], self.states.get(name)
        if state is None or self.stopping:
            return False
        started = time.monotonic()
        try:
            done = await self.context.ingest(
                source, Flight(None, cancellable=False), body, source.location, None,
                known_items(state.item_digests), urgent=True,
            )  # fmt: skip
        except StoreFailed as exc:
            log.error("store failed", extra={"source": name, "error": str(exc)})
            return False
        stats = done.stats
        if not stats.errors and self.states.get(name) is state:  # the next poll skips them
            state.item_digests = done.remember(state.item_digests)
            self.health_rows.changed(state)
        self.metrics.observe_latencies(name, stats.latencies)
        self.metrics.observe_push(name, stats)
        log.info(
            "push",
            extra={"source": name, "new": stats.new, "updated": stats.updated,
                   "unchanged": stats.unchanged, "rejected": stats.rejected,
                   "duration": time.monotonic() - started},
        )  # fmt: skip
        return not stats.errors

    def _leased(self, name: str) -> bool:
        return name in self.held and time.monotonic() < self.lease_valid_until

    # --- one poll -------------------------------------------------------------------------

    async def _job(self, name: str) -> None:
        """The scheduler's job: one poll of one source, never raising."""
        if self.stopping or not self._leased(name):
            return
        if self.store_error is not None:  # the database is down: poll when it is back
            self.deferred.add(name)
            return
        source, state = self.sources[name], self.states[name]
        flight = Flight(asyncio.current_task())
        self.inflight[name] = flight
        started = time.monotonic()
        try:
            async with self.polls:
                outcome = await poll_source(self.kinds.of(source), source, state, flight)
        except asyncio.CancelledError:
            if self.stopping:
                log.info("poll abandoned at stop", extra={"source": name})
                return
            raise
        finally:
            self.inflight.pop(name, None)
        self._finish(name, state, outcome, time.monotonic() - started)

    def _finish(self, name: str, state: SourceHealth, outcome: Outcome, duration: float) -> None:
        """Health, metrics, schedule changes and the log line of one finished poll."""
        if self.states.get(name) is not state:
            return  # the lease was lost while polling: the new owner keeps the health
        self.spent[name] = self.spent.get(name, 0) + 1
        polled = time.time() - duration  # the poll's start: what the feed showed is up to it
        if outcome.result == "store_failed":
            self._pause_store(outcome.error or "store failed")
        elif outcome.result == "fetched" and self.store_error is not None:
            self._resume_store()  # a payload was stored: the database is back
        job = self.scheduler.get_job(name)  # None once the source is being handed back
        now = datetime.now(UTC)
        source = self.sources[name]
        start = 1.0 / (source.interval if source.interval is not None else self.d.interval)
        learn(state, outcome, now, self.d.rate_window, start)
        ages = self._shown(name, outcome, polled) if outcome.error is None else None
        if state.last_success is not None:  # a first poll's items are a backlog, not latency
            self.metrics.observe_latencies(name, outcome.stats.latencies)
        reschedule = apply_outcome(state, outcome, now, duration, self.d.failing_after)
        self.metrics.observe_poll(name, outcome, state.failing, now)
        interval = self._interval(name, state, ages=ages)
        reschedule = reschedule or interval != state.poll_interval
        state.poll_interval = interval
        self.metrics.set_interval(name, interval)
        if outcome.hub and self.websub and self.websub.wants(name, outcome.hub):
            self._spawn(self.websub.subscribe(name, outcome.hub))
        if job is not None:
            if reschedule:
                job = job.reschedule(self._trigger(interval))
            if outcome.retry_after is not None:
                wanted = now + timedelta(seconds=outcome.retry_after)
                if job.next_run_time is None or job.next_run_time < wanted:
                    job = job.modify(next_run_time=wanted)
            elif outcome.result == "store_failed":
                self.deferred.add(name)  # polled again as soon as the database is back
            elif outcome.recheck_after is not None and not state.failing:
                soon = now + timedelta(seconds=outcome.recheck_after)
                if job.next_run_time is None or job.next_run_time > soon:
                    job = job.modify(next_run_time=soon)
            state.next_poll = job.next_run_time
        self.health_rows.changed(state)
        log_poll(self.sources[name].kind, state, outcome, duration)

    # --- storage outages -------------------------------------------------------------------

    def _pause_store(self, error: str) -> None:
        """The database could not take a payload: no source is polled until a probe reaches
        it again. Source health is left alone: it is not the sources' fault."""
        if self.store_error is None:
            log.error("storing paused: the database cannot be used", extra={"error": error})
        self.store_error = error
        self.metrics.store_paused.set(1)
        if self.probe is None or self.probe.done():
            self.probe = asyncio.create_task(self._probe_store())

    def _resume_store(self) -> None:
        if self.store_error is None:
            return
        log.warning("storing resumed: the database is back", extra={"error": self.store_error})
        self.store_error = None
        self.store_pause = STORE_PAUSE_MIN
        self.metrics.store_paused.set(0)
        now = datetime.now(UTC)
        for name in sorted(self.deferred):  # the put-off polls run now, a little spread
            job = self.scheduler.get_job(name)
            if job is not None:
                soon = now + timedelta(seconds=random.uniform(0, min(1.0, self.d.jitter or 1.0)))
                job.modify(next_run_time=soon)
        self.deferred.clear()

    async def _probe_store(self) -> None:
        """Pings the database, backing off, until it answers; then storing resumes."""
        while self.store_error is not None and not self.stopping:
            await asyncio.sleep(self.store_pause)
            try:
                await self._control(self.db.ping)
            except Exception as exc:
                self.store_error = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"[:500]
                self.store_pause = min(STORE_PAUSE_MAX, self.store_pause * 2)
                continue
            self._resume_store()


def _flush_logs() -> None:
    for handler in logging.getLogger("wire").handlers:
        handler.flush()
    sys.stderr.flush()
