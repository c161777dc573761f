"""The parse pool alone: worker count, parsing and signing in a worker, stopping it."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT
from wire.adapters.base import FeedSettings
from wire.config import DedupConfig
from wire.errors import ConfigError
from wire.ingest.parsepool import EXTRA_IN_HAND, ParsePool, parse_worker_count
from wire.ingest.parsing import parse_payload
from wire.ingest.pipeline import Fetched
from wire.record import Article


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


SDA = ROOT / "samples" / "feeds" / "sda-news.rss"


def test_parse_worker_count() -> None:
    assert [parse_worker_count("auto", cores) for cores in (1, 2, 4, 16)] == [0, 1, 3, 4]
    assert parse_worker_count(0) == 0 and parse_worker_count(3) == 3
    for bad in (-1, "two", True, 1.5):
        with pytest.raises(ConfigError, match="parse_workers must be"):
            parse_worker_count(bad)  # type: ignore[arg-type]


async def test_a_worker_parses_and_signs_as_the_thread_would_and_stops() -> None:
    settings = FeedSettings(feed="sda", source="keystone-sda", location=str(SDA))
    fetched = Fetched(SDA.read_bytes(), settings, "rss")
    pool = ParsePool(1, DedupConfig())
    try:
        parsed = await pool.parse(fetched, sign=True)
        assert pool.executor is not None
        worker = [r.guid for r in parsed.results]
        assert worker == [r.guid for r in parse_payload(fetched.data, settings, "rss")]
        usable = [r for r in parsed.results if isinstance(r, Article) and r.pubstatus == "usable"]
        assert usable and len(parsed.signatures) == len(usable)
        worker_pid = pool.executor.submit(os.getpid).result(10)
        assert worker_pid != os.getpid()
    finally:
        pool.stop()
    deadline = time.monotonic() + 10  # the worker ends at once, not at the next parse
    while time.monotonic() < deadline and alive(worker_pid):
        time.sleep(0.05)
    assert not alive(worker_pid)
    # A stopped pool still parses, in a thread (a stop never fails a parse in flight).
    again = await pool.parse(fetched, sign=False)
    assert [r.guid for r in again.results] == worker


async def test_a_push_is_parsed_before_the_polls_payloads_waiting() -> None:
    """A WebSub push waits for the parses already with the workers, not for the queue of
    polls' payloads behind them (a start-up reads 200 feeds' backlogs at once)."""
    settings = FeedSettings(feed="sda", source="keystone-sda", location=str(SDA))
    polled = Fetched(SDA.read_bytes(), settings, "rss")
    pushed = Fetched(SDA.read_bytes(), settings, "rss", urgent=True)
    pool = ParsePool(1)
    done: list[str] = []

    async def parse(fetched: Fetched, name: str) -> None:
        parsed = await pool.parse(fetched, sign=False)
        assert len(parsed.results) == 6
        done.append(name)

    try:
        await pool.parse(polled, sign=False)  # the worker started
        polls = [asyncio.ensure_future(parse(polled, f"poll {i}")) for i in range(8)]
        await asyncio.sleep(0)  # every poll has asked for its turn
        assert pool.in_hand == 1 + EXTRA_IN_HAND and len(pool.waiting) == 8 - pool.in_hand
        await asyncio.wait_for(asyncio.gather(parse(pushed, "push"), *polls), 60)
    finally:
        pool.stop()
    assert sorted(done) == sorted(["push"] + [f"poll {i}" for i in range(8)])
    assert done.index("push") <= pool.workers + EXTRA_IN_HAND  # after those in hand only
    assert pool.in_hand == 0 and not pool.waiting


async def test_no_workers_parses_in_a_thread() -> None:
    settings = FeedSettings(feed="sda", source="keystone-sda", location=str(SDA))
    pool = ParsePool(0)
    parsed = await pool.parse(Fetched(SDA.read_bytes(), settings, "rss"), sign=True)
    assert pool.executor is None and len(parsed.results) == 6
    assert parsed.signatures == {}


STOP_THEN_EXIT = """
import asyncio, os, sys
from pathlib import Path
from wire.adapters.base import FeedSettings
from wire.config import DedupConfig
from wire.ingest.parsepool import ParsePool
from wire.ingest.pipeline import Fetched

async def main() -> None:
    feed = Path(sys.argv[1])
    settings = FeedSettings(feed="sda", source="keystone-sda", location=str(feed))
    fetched = Fetched(feed.read_bytes(), settings, "rss")
    pool = ParsePool(2, DedupConfig())
    await pool.parse(fetched, sign=True)
    busy = [asyncio.ensure_future(pool.parse(fetched, sign=True)) for _ in range(20)]
    await asyncio.sleep(0.05)
    pool.stop()  # with parses in flight and queued
    for task in busy:
        task.cancel()
    await asyncio.gather(*busy, return_exceptions=True)
    print("stopped", flush=True)

asyncio.run(main())
os._exit(0)  # as the daemon's hard exits do: no interpreter exit, no atexit finalizers
"""


def test_a_stopped_pool_leaves_no_semaphores_behind_even_on_a_hard_exit() -> None:
    """Stopping winds the pool down and lets go of its queues and event: their semaphores
    are unlinked at the stop, so the resource tracker finds nothing to warn about, even when
    the process then leaves with ``os._exit`` (a stop timeout, a second signal)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", STOP_THEN_EXIT, str(SDA)],
        capture_output=True, text=True, env=env, timeout=120, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "stopped" in done.stdout
    assert "leaked semaphore" not in done.stderr
    assert "Traceback" not in done.stderr


HEAVY_MAIN = """
import asyncio
import sys
from pathlib import Path

import wire.ingest.cli  # the daemon's main module: the CLI, typer, rich


async def main() -> None:
    from wire.adapters.base import FeedSettings
    from wire.ingest.parsepool import ParsePool
    from wire.ingest.pipeline import Fetched

    pool = ParsePool(1)
    settings = FeedSettings(feed="x", source="keystone-sda", language="de")
    await pool.parse(Fetched(Path(sys.argv[1]).read_bytes(), settings, "rss"), sign=False)
    found = pool.executor.submit(eval, "sorted(__import__('sys').modules)").result()
    print(" ".join(m for m in ("typer", "rich", "wire.ingest.cli") if m in found) or "-")
    pool.stop()


if __name__ == "__main__":
    asyncio.run(main())
"""


def test_workers_do_not_run_the_daemons_main_module(tmp_path: Path) -> None:
    """multiprocessing runs the parent's main module in each new process; the daemon's is the
    CLI, which a worker never needs."""
    main = tmp_path / "heavymain.py"
    main.write_text(HEAVY_MAIN)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, str(main), str(SDA)], env=env, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["-"]
