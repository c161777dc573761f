"""The daemon's parse workers: stage 1 of the pipeline (parse and normalise) on other cores.

Parsing is the CPU cost of a poll. The daemon's event loop and its store thread share one
interpreter lock, so payloads are parsed in worker processes (``[daemon].parse_workers``),
which also sign the articles for clustering (``wire.ingest.parsing.parse_and_sign``): CPU the
store thread then does not spend. Workers fork from a server that imported the parsers only.
A pool that broke (a worker killed) or a daemon without workers parses in a thread instead,
so a parse never fails for the pool's sake.

Stopping ends the workers at once (a parse in flight is abandoned work: nothing of it is
stored) through an event each worker watches: no reach into the executor's private state.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.synchronize import Event

from wire.config import DedupConfig
from wire.errors import ConfigError
from wire.ingest.parsing import Parsed, parse_and_sign, parse_worker_init
from wire.ingest.pipeline import Fetched, ThreadParser

log = logging.getLogger("wire.daemon")

MAX_PARSE_WORKERS = 4  # processes parsing payloads when [daemon].parse_workers = "auto"


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
        self._ctx = multiprocessing.get_context("forkserver")
        self._stop: Event | None = None

    async def parse(self, fetched: Fetched, *, sign: bool) -> Parsed:
        if not self.workers or self.stopping:
            return await self._in_thread.parse(fetched, sign=sign)
        executor = self.executor or self._start()
        f = fetched
        job = functools.partial(parse_and_sign, f.data, f.settings, f.fmt, f.filename, f.known)
        try:
            return await asyncio.get_running_loop().run_in_executor(executor, job)
        except BrokenProcessPool:
            log.warning("parse worker died; parsing in a thread", extra={"source": f.settings.feed})
            if self.executor is executor:
                self.executor = None  # the next payload starts a new pool
            return await self._in_thread.parse(fetched, sign=sign)

    def _start(self) -> ProcessPoolExecutor:
        # Workers fork from a server that imported the parsers only (not the CLI, the store or
        # the cluster index): small, and their pages are shared.
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

    def stop(self) -> None:
        """End the workers now; later parses run in a thread."""
        self.stopping = True
        if self._stop is not None:
            self._stop.set()  # each worker's watch thread exits its process
        if self.executor is not None:
            self.executor.shutdown(wait=False, cancel_futures=True)
