"""The daemon's store queue: stages 2-4 of the pipeline (dedup/cluster, store, change feed).

Parsed payloads queue here and store threads work them off: up to ``STORE_BATCH`` queued
payloads are stored together in one transaction (``wire.ingest.pipeline.store_payloads``), so
a busy daemon pays the statements and the commit once per batch instead of once per payload;
a store that is behind takes up to ``STORE_BATCH_MAX`` at once.
While enough payloads are being parsed to fill a batch, a short batch waits up to
``STORE_LINGER`` seconds for them; a trickle (a drop folder stored file by file while a few
feeds change) never waits. An urgent payload (a WebSub push: the source told us an item is
new) goes to the head of the queue and its batch leaves at once; where the store has more than
one thread (PostgreSQL) it gets a drain of its own rather than wait for a batch in flight.
At most ``STORE_AHEAD`` payloads are between their parse and their commit (``admitted``): a
store that is behind makes polls wait with their bytes, not with parsed articles.

On SQLite the write-ahead log is copied into the database file by :func:`checkpoints`, in a
thread of its own, instead of inside the store's commits (``Database.background_checkpoints``).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

from wire.ingest.pipeline import Payload, RunStats, StoreHook, store_payloads
from wire.storage.db import Database

log = logging.getLogger("wire.daemon")
stage_log = logging.getLogger("wire.pipeline")  # the "parsed" and "stored" events of payloads

# Threads storing payloads. SQLite has one writer at a time, so a second thread would only
# compete for the GIL with the fetches (measured slower in bench/daemon).
STORE_WORKERS = {"sqlite": 1, "postgresql": 4}
# Payloads stored in one transaction, as one batch of articles: a batch costs about the
# statements of one payload, and one commit (bench/daemon).
STORE_BATCH = 8
# Payloads a store that is behind takes at once (its queue holds more than a batch per store
# thread). Each batch costs a fixed share whatever its size: its statements, savepoints and
# commit, and the clusterer's per-batch work, about 18 ms of CPU in all (session 13,
# bench/daemon/store_path.py --cold, 11,500 articles: 17.4 s of CPU in batches of 8, 14.4 s
# of 16, 13.2 s of 32), so a backlog goes in fewer, larger transactions. A push's batch
# stays at STORE_BATCH: it leaves at once and should commit soon.
STORE_BATCH_MAX = 4 * STORE_BATCH
# Seconds a store waits for its batch to fill while payloads are being parsed: a story stored
# a fifth of a second later costs nothing, a busy cycle saves most of its statements.
STORE_LINGER = 0.2
# Payloads admitted from their parse to their commit: eight batches. The rest wait unparsed, as
# bytes, so what a store that is behind holds in parsed articles is bounded whatever the poll
# places allow (bench/daemon: up to 200 polls' worth). Not fewer: the parse worker shares the
# machine, and with two batches ahead a store waited for parses (cold cycle up to 78% longer).
STORE_AHEAD = 8 * STORE_BATCH
# Seconds between checkpoints of the SQLite write-ahead log (:func:`checkpoints`). SQLite's own,
# run by the commit that passes 1,000 log pages, cost the store thread a page copy and an
# fsync every few batches: the steady cycle's 63 commits took 1.0-1.9 s with them, 0.3-0.8 s
# without (session 12: its 500 payloads stored alone, bench/daemon/store_path.py, under
# cProfile; the whole path's time moved within the noise of a loaded machine).
CHECKPOINT_SECONDS = 1.0


class StoreQueue:
    """A :class:`wire.ingest.pipeline.PayloadStore` that batches; ``on_batch`` is told each
    batch's size (the ``wire_store_batch_payloads`` histogram)."""

    def __init__(
        self,
        db: Database,
        *,
        keep_raw: bool,
        hooks: tuple[StoreHook, ...],
        on_batch: Callable[[int], None] = lambda size: None,
    ) -> None:
        self.db, self.keep_raw, self.hooks, self.on_batch = db, keep_raw, hooks, on_batch
        self.threads = STORE_WORKERS.get(db.dialect, 2)
        self.pool = ThreadPoolExecutor(self.threads, thread_name_prefix="wire-store")
        self.queue: deque[tuple[Payload, asyncio.Future[RunStats]]] = deque()
        self.drains: set[asyncio.Task[None]] = set()
        self.draining = 0  # drains running: at most one per store thread
        self.wake = asyncio.Event()  # a short batch can stop waiting (see short_batch)
        self.parsing = 0  # payloads in a parse: they will queue here soon
        self.stopping = False
        self.room = asyncio.Semaphore(STORE_AHEAD)  # payloads admitted (admitted)

    @contextlib.asynccontextmanager
    async def admitted(self, urgent: bool) -> AsyncIterator[None]:
        """A payload's way from its parse to its commit, at most ``STORE_AHEAD`` at a time
        (backpressure: a poll waits with its bytes, unparsed, while the store is behind); a
        push (``urgent``) is never held up by it."""
        if urgent:
            yield
            return
        async with self.room:
            yield

    @contextlib.contextmanager
    def expecting(self) -> Iterator[None]:
        """A parse whose payload will be submitted right after it (no await in between)."""
        self.parsing += 1
        try:
            yield
        except BaseException:
            self.parsing -= 1
            if not self.short_batch():
                self.wake.set()  # the batch can no longer fill
            raise
        self.parsing -= 1  # and submitted next, with no await between: counted as queued

    def submit(self, payload: Payload) -> asyncio.Future[RunStats]:
        """Queue a payload; the future gets its stats after the commit."""
        future: asyncio.Future[RunStats] = asyncio.get_running_loop().create_future()
        if payload.urgent:  # after the urgent ones already waiting, before the rest
            at = next((i for i, (p, _) in enumerate(self.queue) if not p.urgent), len(self.queue))
            self.queue.insert(at, (payload, future))
        else:
            self.queue.append((payload, future))
        if not self.short_batch():
            self.wake.set()  # full, or it can no longer fill
        # One drain gathers batches; another starts only for a full batch beside it, or for a
        # push when a store thread is free (PostgreSQL): it need not wait for a batch's commit.
        beside = len(self.queue) >= STORE_BATCH or payload.urgent
        if self.draining < self.threads and (not self.draining or beside):
            self.draining += 1  # counted down by the drain itself, before it ends
            task = asyncio.create_task(self._drain())
            self.drains.add(task)  # a reference, so the task is not collected
            task.add_done_callback(self.drains.discard)
        return future

    def short_batch(self) -> bool:
        """Whether the next batch is short of ``STORE_BATCH`` payloads while enough are being
        parsed to fill it: only then is it worth waiting for them."""
        queued = len(self.queue)
        if queued and self.queue[0][0].urgent:
            return False  # a push waits for no batch
        return queued < STORE_BATCH <= queued + self.parsing

    def batch_size(self) -> int:
        """Payloads the next batch takes: ``STORE_BATCH``, or this store thread's share of
        the queue when the store is behind, up to ``STORE_BATCH_MAX``."""
        if self.queue and self.queue[0][0].urgent:
            return STORE_BATCH
        share = len(self.queue) // self.threads
        return max(STORE_BATCH, min(STORE_BATCH_MAX, share))

    def stop(self) -> None:
        """No batch waits to fill any more; stores in flight finish."""
        self.stopping = True
        self.wake.set()

    def close(self) -> None:
        self.pool.shutdown(wait=False)

    async def _drain(self) -> None:
        """One store thread's loop: batches off the queue until it is empty."""
        loop = asyncio.get_running_loop()
        try:
            while self.queue:
                if self.short_batch() and not self.stopping:
                    self.wake.clear()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self.wake.wait(), STORE_LINGER)
                    if not self.queue:
                        break  # another drain took them
                size = min(self.batch_size(), len(self.queue))
                self.on_batch(size)
                batch = [self.queue.popleft() for _ in range(size)]
                call = functools.partial(
                    store_payloads,
                    self.db,
                    [payload for payload, _ in batch],
                    keep_raw=self.keep_raw,
                    hooks=self.hooks,
                )
                outcomes: list[RunStats | Exception]
                try:
                    outcomes, seconds, cpu = await loop.run_in_executor(
                        self.pool, _store_timed, call
                    )
                except Exception as exc:  # the commit failed: nothing of the batch is stored
                    outcomes = [exc] * len(batch)
                else:
                    stage_log.info(
                        "stored",
                        extra={"payloads": size, "queued": len(self.queue),
                               "items": sum(len(p.results) for p, _ in batch),
                               "duration": round(seconds, 4), "cpu": round(cpu, 4)},
                    )  # fmt: skip
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
            self.draining -= 1


def _store_timed(
    call: Callable[[], list[RunStats | Exception]],
) -> tuple[list[RunStats | Exception], float, float]:
    """``call`` in a store thread, with its wall and CPU seconds: the "stored" event's
    ``duration`` and ``cpu`` (the gap is time the thread waited for the interpreter lock, a
    core or the disk)."""
    wall, cpu = time.monotonic(), time.thread_time()
    outcomes = call()
    return outcomes, time.monotonic() - wall, time.thread_time() - cpu


async def checkpoints(db: Database, every: float = CHECKPOINT_SECONDS) -> None:
    """Checkpoint the SQLite write-ahead log every ``every`` seconds in a thread of its own,
    until cancelled (the daemon, whose ``db`` has ``background_checkpoints``). A checkpoint
    that fails (the database is down, the disk full) is logged once and tried again at the
    next turn; the store's commits checkpoint by themselves past a backstop meanwhile."""
    pool = ThreadPoolExecutor(1, thread_name_prefix="wire-checkpoint")
    loop = asyncio.get_running_loop()
    failing = False
    try:
        while True:
            await asyncio.sleep(every)
            try:
                await loop.run_in_executor(pool, db.checkpoint)
            except Exception as exc:
                if not failing:
                    log.warning("write-ahead log checkpoint failed", extra={"error": str(exc)})
                failing = True
                continue
            if failing:
                log.info("write-ahead log checkpoints work again")
            failing = False
    finally:
        pool.shutdown(wait=False)
