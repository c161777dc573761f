"""The daemon's parse workers: stage 1 of the pipeline (parse and normalise) on other cores.

Parsing is the CPU cost of a poll. The daemon's event loop and its store thread share one
interpreter lock, so payloads are parsed in worker processes (``[daemon].parse_workers``),
which also sign the articles for clustering (``wire.ingest.parsing.parse_and_sign``): CPU the
store thread then does not spend. Several workers fork from a server that imported the parsers
only; a lone worker (two cores) is spawned: a fork server would only add a process.
A pool that broke (a worker killed) or a daemon without workers parses in a thread instead,
so a parse never fails for the pool's sake.

Parses wait their turn here, not in the executor's queue: at most one more than the workers
is handed to them (so a worker never waits for its next payload), and a WebSub push
(``Fetched.urgent``) goes before the polls' payloads waiting, so it waits for the parse in
hand at most, not for a start-up's or a busy cycle's queue of feeds.

Stopping cancels the queued parses and lets the workers finish the one in hand (a few
seconds at most), then ends them through an event each worker watches (a parse in flight is
abandoned work: nothing of it is stored); no reach into the executor's private state.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
import heapq
import itertools
import logging
import multiprocessing
import os
import threading
from collections.abc import AsyncIterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.synchronize import Event

from wire.config import DedupConfig
from wire.errors import ConfigError
from wire.ingest.parsing import Parsed, parse_and_sign, parse_worker_init
from wire.ingest.pipeline import Fetched, ThreadParser
from wire.ingest.sidecar import main_left_out

log = logging.getLogger("wire.daemon")

MAX_PARSE_WORKERS = 4  # processes parsing payloads when [daemon].parse_workers = "auto"
STOP_GRACE = 3.0  # seconds a stop lets the workers finish the parse in hand and leave
STOP_WAIT = 3.0  # seconds more it waits once it has ended them (the stop event)
# Parses handed to the workers beyond one each: the next payload is already with a worker
# when it finishes one (the executor itself queues one extra call the same way).
EXTRA_IN_HAND = 1


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


class ParsePool:
    """A :class:`wire.ingest.pipeline.Parser` over worker processes, started at the first
    payload; ``dedup`` lets the workers sign what they parse."""

    def __init__(self, workers: int, dedup: DedupConfig | None = None) -> None:
        self.workers, self.dedup = workers, dedup
        self.executor: ProcessPoolExecutor | None = None
        self.stopping = False
        self._in_thread = ThreadParser()
        # A fork server shares its pages among the workers; for one worker it is one more
        # process (about 11 MB of the daemon's tree, bench/daemon), so that one is spawned.
        self._ctx = multiprocessing.get_context("forkserver" if workers > 1 else "spawn")
        self._stop: Event | None = None
        self.in_hand = 0  # parses handed to the workers
        self.waiting: list[tuple[int, int, asyncio.Future[None]]] = []  # (urgent first, order)
        self._order = itertools.count()

    async def parse(self, fetched: Fetched, *, sign: bool) -> Parsed:
        if self.workers and not self.stopping:
            async with self._turn(fetched.urgent):
                parsed = None if self.stopping else await self._in_worker(fetched)
            if parsed is not None:
                return parsed
        return await self._in_thread.parse(fetched, sign=sign)

    @contextlib.asynccontextmanager
    async def _turn(self, urgent: bool) -> AsyncIterator[None]:
        """A place among the parses handed to the workers; urgent ones are let in first."""
        if self.in_hand < self.workers + EXTRA_IN_HAND and not self.waiting:
            self.in_hand += 1
        else:
            turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            heapq.heappush(self.waiting, (0 if urgent else 1, next(self._order), turn))
            try:
                await turn  # the place is handed over by the parse that leaves it
            except asyncio.CancelledError:
                if turn.done() and not turn.cancelled():
                    self._leave()  # handed a place, then cancelled: pass it on
                raise
        try:
            yield
        finally:
            self._leave()

    def _leave(self) -> None:
        while self.waiting:
            _, _, turn = heapq.heappop(self.waiting)
            if not turn.done():  # (a cancelled waiter is done)
                turn.set_result(None)
                return
        self.in_hand -= 1

    async def _in_worker(self, fetched: Fetched) -> Parsed | None:
        """The payload parsed (and signed) by a worker; None when the pool was stopped
        meanwhile or broke (a worker killed): a thread parses it then.

        The pool is held only while the job runs: no exception's traceback (a broken pool,
        a job cancelled at stop) keeps it, its event and their semaphores alive after
        :meth:`stop` let go of them.
        """
        executor = self.executor or self._start()
        f = fetched
        job = functools.partial(parse_and_sign, f.data, f.settings, f.fmt, f.filename, f.known)
        try:
            with main_left_out():  # a worker may be started by this submit
                running = asyncio.get_running_loop().run_in_executor(executor, job)
        except RuntimeError:  # shut down meanwhile by a stop in another thread
            return None
        try:
            return await running
        except BrokenProcessPool:
            log.warning("parse worker died; parsing in a thread", extra={"source": f.settings.feed})
            if self.executor is executor:
                self.executor = None  # the next payload starts a new pool
            return None
        finally:
            del executor, running

    def _start(self) -> ProcessPoolExecutor:
        # Workers fork from a server that imported the parsers only (not the CLI, the store or
        # the cluster index): small, and their pages are shared.
        if self._ctx.get_start_method() == "forkserver":
            self._ctx.set_forkserver_preload(
                ["wire.ingest.parsing", "wire.adapters.rss", "wire.adapters.newsml"]
            )
        self._stop = self._ctx.Event()
        self.executor = ProcessPoolExecutor(
            self.workers,
            mp_context=self._ctx,
            initializer=parse_worker_init,
            initargs=(os.getpid(), self.dedup, self._stop),
        )
        return self.executor

    def stop(self, grace: float = STOP_GRACE, wait: float = STOP_WAIT) -> None:
        """Wind the workers down; later parses run in a thread.

        Queued parses are cancelled and the workers leave once the parse in hand is done (at
        most ``grace`` seconds); past that the stop event ends them at once (a parse in
        flight is abandoned work: nothing of it is stored), waiting at most ``wait`` more.
        Then the pool and the event are let go of, so their semaphores are unlinked and
        unregistered here, not left to the interpreter's exit: a daemon that then leaves at
        once (``os._exit`` on a stop timeout or a second signal) would otherwise leave them
        to the resource tracker, which warns of "leaked semaphore objects". Ending workers
        only after the grace matters on Python 3.11: a worker that dies while the pool's
        feeder thread writes to it can hang the pool's shutdown for good (fixed in 3.12).
        """
        self.stopping = True
        stop, self._stop = self._stop, None
        executor, self.executor = self.executor, None
        if executor is not None:
            closing = threading.Thread(
                target=executor.shutdown,
                kwargs={"wait": True, "cancel_futures": True},
                name="wire-parse-pool-stop",
                daemon=True,
            )
            closing.start()
            closing.join(grace)
            if closing.is_alive() and stop is not None:
                # A long parse: each worker's watch thread exits its process. Set from a
                # thread of its own: setting waits for every waiter to wake, and a worker
                # that died meanwhile never will.
                threading.Thread(target=stop.set, name="wire-parse-stop", daemon=True).start()
                closing.join(wait)
            if closing.is_alive():
                log.warning("parse workers did not stop within %.0f s", grace + wait)
        started = executor is not None
        del stop, executor
        if started:  # a full collection costs seconds in a big heap: only when a pool was let go
            gc.collect()  # and any reference cycle that still holds a queue or the event
