"""Soak benchmark: the daemon over >= 500 loopback sources whose content keeps changing, for
a long while (10 minutes by default), printing memory, open files and cycle time over time.

    python bench/soak/run.py                    # 500 sources, 10 minutes, SQLite in a temp folder
    python bench/soak/run.py --sources 800 --minutes 30 --db-url postgresql://...

Each source is an RSS feed on a loopback server that moves its 20-item window on by one item
every ``--change-seconds`` (a new ETag; 304 otherwise). Its items are stories of their own
(``--copy distinct``, words drawn from the dedup set's de/fr/it/en copy), or the same story in
every source (``--copy same``: the clusterer's worst case). Every ``--sample-seconds`` a line
shows the daemon's RSS and open file descriptors, each as a ratio to the first sample taken
after the first full cycle (the baseline of this run), the polls and the mean time between two
polls of one source (the cycle time) since the previous sample, the articles stored, the
rejects stored, the failed polls (errors), the payloads the store could not take and the polls
due while the source's previous poll still ran (overruns), all cumulative. Flat ratios are the
point: a leak shows as a ratio that keeps growing.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import replace
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from prometheus_client import Counter
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.dedup.stories import STORIES
from wire.config import Config, DaemonConfig, HttpConfig, SourceConfig
from wire.ingest.daemon import Daemon
from wire.storage.db import Database
from wire.storage.models import ArticleRow, Reject

START = time.time()
COPY = "distinct"


def _vocabulary() -> list[str]:
    """The words of the dedup set's stories (de/fr/it/en): real wire vocabulary."""
    words: set[str] = set()
    for story in STORIES:
        for text in [story["headline"], story["lead"], *story["body"]]:
            words.update(w.strip(".,:;!?\"'()«»") for w in str(text).split())
    return sorted(w for w in words if len(w) > 2)


WORDS = _vocabulary()


def text(source: int, n: int, words: int) -> str:
    """A story of its own for each source and item (``--copy distinct``), or one text for
    every source (``--copy same``: the same agency story carried by all of them)."""
    seed = n if COPY == "same" else source * 1_000_003 + n
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) for _ in range(words))


def feed(source: int, step: int) -> bytes:
    items = "".join(
        f"<item><guid>urn:soak:{source}:{n}</guid><title>{text(source, n, 8)}</title>"
        f"<description>{text(source, n, 60)}.</description>"
        f"<pubDate>{formatdate(START + n * 60, usegmt=True)}</pubDate></item>"
        for n in range(step, step + 20)
    )
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Quelle {source}</title>{items}</channel></rss>").encode()  # fmt: skip


class Overruns(logging.Filter):
    """Counts (and keeps out of the output) APScheduler's "skipped: maximum number of running
    instances reached": a poll due while the source's previous one still runs."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def filter(self, record: logging.LogRecord) -> bool:
        if "maximum number of running instances" in record.getMessage():
            self.count += 1
            return False
        return True


OVERRUNS = Overruns()


class Feeds(BaseHTTPRequestHandler):
    change_seconds = 30.0

    def do_GET(self) -> None:
        source = int(self.path.strip("/").split(".")[0])
        step = int((time.time() - START + source) // self.change_seconds)
        etag = f'"{source}-{step}"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        body = feed(source, step)
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def open_files() -> int:
    return len(os.listdir("/proc/self/fd"))


async def soak(args: argparse.Namespace, db: Database, port: int) -> None:
    sources = [
        SourceConfig(name=f"soak-{i:04d}", location=f"http://127.0.0.1:{port}/{i}.rss")
        for i in range(args.sources)
    ]
    daemon_cfg = replace(DaemonConfig(), interval=args.interval, jitter=1.0, health_port=0)
    config = Config(http=HttpConfig(), daemon=daemon_cfg, sources=tuple(sources))
    daemon = Daemon(config, list(config.sources), db)
    task = asyncio.create_task(daemon.run(install_signals=False))
    seen: dict[str, object] = {}
    gaps: list[float] = []
    last_poll: dict[str, float] = {}

    def total(counter: Counter) -> float:
        """A counter summed over its labels (sources, results)."""
        return sum(
            s.value for m in counter.collect() for s in m.samples if s.name.endswith("_total")
        )

    def polls() -> float:
        return total(daemon.metrics.polls)

    await asyncio.sleep(args.interval * 2)  # the first full cycle
    base_rss, base_fds = rss_mb(), open_files()
    print(f"baseline after the first cycle: RSS {base_rss:.0f} MB, {base_fds} open files")
    print(" minute   RSS MB  ratio  files  ratio   polls  cycle s  articles  rejects  errors"
          "  store fails  overruns")  # fmt: skip
    previous = polls()
    deadline = time.monotonic() + args.minutes * 60
    while time.monotonic() < deadline and not task.done():
        await asyncio.sleep(args.sample_seconds)
        now = time.monotonic()
        for name, state in daemon.states.items():
            if state.last_attempt is not None and seen.get(name) != state.last_attempt:
                if name in last_poll:
                    gaps.append(now - last_poll[name])
                last_poll[name], seen[name] = now, state.last_attempt
        count = polls()
        with db.reader() as s:
            articles = int(s.scalar(select(func.count()).select_from(ArticleRow)) or 0)
            rejects = int(s.scalar(select(func.count()).select_from(Reject)) or 0)
        errors = total(daemon.metrics.errors)
        store_fails = total(daemon.metrics.store_failures)
        rss, fds = rss_mb(), open_files()
        cycle = statistics.mean(gaps) if gaps else float("nan")
        print(f"{(time.time() - START) / 60:7.1f}  {rss:7.0f}  {rss / base_rss:5.2f}  "
              f"{fds:5d}  {fds / base_fds:5.2f}  {count - previous:6.0f}  {cycle:7.1f}  "
              f"{articles:8d}  {rejects:7d}  {errors:6.0f}  {store_fails:11.0f}  "
              f"{OVERRUNS.count:8d}",
              flush=True)  # fmt: skip
        previous, gaps = count, []
    daemon.request_stop()
    await asyncio.wait_for(task, 60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sources", type=int, default=500)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--interval", type=float, default=20.0, help="poll interval, seconds")
    parser.add_argument("--change-seconds", type=float, default=30.0)
    parser.add_argument("--sample-seconds", type=float, default=30.0)
    parser.add_argument("--db-url", default=None)
    parser.add_argument("--copy", choices=("distinct", "same"), default="distinct")
    args = parser.parse_args()
    global COPY
    COPY = args.copy
    for name in ("apscheduler.scheduler", "apscheduler.executors.default"):
        logging.getLogger(name).addFilter(OVERRUNS)  # a logger's filter sees its own records
    Feeds.change_seconds = args.change_seconds
    server = ThreadingHTTPServer(("127.0.0.1", 0), Feeds)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(args.db_url or f"sqlite:///{tmp}/soak.db")
        try:
            asyncio.run(soak(args, db, server.server_address[1]))
        finally:
            db.dispose()
            server.shutdown()


if __name__ == "__main__":
    main()
