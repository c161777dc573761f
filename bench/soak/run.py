"""Soak benchmark: the daemon over >= 500 loopback sources whose content keeps changing, for
a long while (10 minutes by default), printing memory, open files and cycle time over time.

    python bench/soak/run.py                    # 500 sources, 10 minutes, SQLite in a temp folder
    python bench/soak/run.py --window-days 0.003   # the dedup window full after ~2 minutes
    python bench/soak/run.py --sources 800 --minutes 30 --db-url postgresql://...
    python bench/soak/run.py --sources 150 --minutes 6 --trace 1   # growth by allocation site

Each source is an RSS feed on a loopback server that moves its 20-item window on by one item
every ``--change-seconds`` (a new ETag; 304 otherwise). Its items are stories of their own
(``--copy distinct``, words drawn from the dedup set's de/fr/it/en copy), or the same story in
every source (``--copy same``: the clusterer's worst case). Every ``--sample-seconds`` a line
shows the daemon's RSS and open file descriptors, each as a ratio to the first sample taken
after the first full cycle (the baseline of this run), glibc's heap (in use / held from the
system: held far above in use is fragmentation, not live data), the parse workers' RSS, the
polls and the mean time between two polls of one source (the cycle time) since the previous
sample, the articles stored, the articles in the in-memory cluster index, the rejects stored,
the failed polls (errors), the payloads the store could not take and the polls due while the
source's previous poll still ran (overruns), all cumulative. At the end, the figure for
flat: the RSS after the warm-up (the first half) against the end, and the least-squares
growth in MB/min over the second half.

Story time in the feeds runs at twice the wall clock (an item a minute apart, one every 30 s),
so with the default 7-day ``[dedup].window_days`` the cluster index only fills (it is bounded
by design: the window and ``[dedup].max_indexed``); ``--window-days`` or ``--max-indexed``
make it full early, so that the flat part is visible within minutes. ``--trace FRAMES`` runs
tracemalloc and prints, per sample, the allocation sites that grew most since the baseline.
"""

from __future__ import annotations

import argparse
import asyncio
import ctypes
import logging
import os
import random
import statistics
import sys
import tempfile
import threading
import time
import tracemalloc
from dataclasses import replace
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from prometheus_client import Counter
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.dedup.stories import STORIES
from wire.config import Config, DaemonConfig, DedupConfig, HttpConfig, SourceConfig
from wire.ingest.daemon import Daemon
from wire.ingest.dedup import Clusterer
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


def rss_mb(pid: int | str = "self") -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:  # the process ended meanwhile
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def workers_mb() -> float:
    """The RSS of the daemon's child processes (the parse workers and their fork server)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    family, grew = {os.getpid()}, True
    while grew:
        more = {pid for pid, ppid in parents.items() if ppid in family} - family
        family |= more
        grew = bool(more)
    return sum(rss_mb(pid) for pid in family - {os.getpid()})


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
        "fordblks", "keepcost")]  # fmt: skip


def heap_mb() -> tuple[float, float]:
    """glibc's heap: (bytes in use, bytes held from the system), MB. Held far above in use
    is fragmentation (freed memory the allocator cannot give back), not live data."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallinfo2.restype = _MallInfo2
        info = libc.mallinfo2()
    except (OSError, AttributeError):
        return float("nan"), float("nan")
    return (info.uordblks + info.hblkhd) / 2**20, (info.arena + info.hblkhd) / 2**20


def open_files() -> int:
    return len(os.listdir("/proc/self/fd"))


def slope(points: list[tuple[float, float]]) -> float:
    """Least-squares MB per minute of (minute, MB) points."""
    if len(points) < 2:
        return float("nan")
    return statistics.linear_regression([p[0] for p in points], [p[1] for p in points]).slope


class Tracer:
    """``--trace``: tracemalloc in the daemon's process; each sample prints the allocation
    sites whose live memory grew most since the baseline (the first full cycle), so a growth
    in RSS can be pinned on the code that holds it."""

    def __init__(self, frames: int, top: int) -> None:
        self.frames, self.top = frames, top
        self.base: tracemalloc.Snapshot | None = None
        tracemalloc.start(frames)

    def baseline(self) -> None:
        self.base = self._snapshot()

    def _snapshot(self) -> tracemalloc.Snapshot:
        return tracemalloc.take_snapshot().filter_traces(
            [
                tracemalloc.Filter(False, tracemalloc.__file__),
                tracemalloc.Filter(False, "<unknown>"),
            ]
        )

    def report(self) -> None:
        assert self.base is not None
        snap = self._snapshot()
        key = "traceback" if self.frames > 1 else "lineno"
        diff = snap.compare_to(self.base, key)
        traced, peak = tracemalloc.get_traced_memory()
        print(f"    traced {traced / 2**20:.1f} MB (peak {peak / 2**20:.1f}); top growth since "
              "the baseline:")  # fmt: skip
        for stat in diff[: self.top]:
            where = " <- ".join(  # no source lines: linecache would show as growth itself
                f"{Path(f.filename).name}:{f.lineno}" for f in reversed(stat.traceback)
            )
            print(f"    {stat.size_diff / 2**20:+7.2f} MB {stat.count_diff:+8d} blocks  {where}")


async def soak(args: argparse.Namespace, db: Database, port: int) -> None:
    sources = [
        SourceConfig(name=f"soak-{i:04d}", location=f"http://127.0.0.1:{port}/{i}.rss")
        for i in range(args.sources)
    ]
    daemon_cfg = replace(DaemonConfig(), interval=args.interval, jitter=1.0, health_port=0)
    dedup = replace(DedupConfig(), window_days=args.window_days, max_indexed=args.max_indexed)
    config = Config(http=HttpConfig(), daemon=daemon_cfg, dedup=dedup, sources=tuple(sources))
    daemon = Daemon(config, list(config.sources), db)
    task = asyncio.create_task(daemon.run(install_signals=False))
    clusterer = next((h for h in daemon.hooks if isinstance(h, Clusterer)), None)
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
    tracer = Tracer(args.trace, args.trace_top) if args.trace else None
    if tracer is not None:
        tracer.baseline()
    print(
        f"baseline after the first cycle: RSS {base_rss:.0f} MB, {base_fds} open files; "
        f"{args.sources} sources, [dedup] window_days = {args.window_days:g}, "
        f"max_indexed = {args.max_indexed}"
    )
    print(" minute   RSS MB  ratio  heap use/held  workers MB  files  ratio   polls  cycle s"
          "  articles  indexed  rejects  errors  store fails  overruns")  # fmt: skip
    previous = polls()
    began = time.monotonic()
    deadline = began + args.minutes * 60
    memory: list[tuple[float, float]] = []  # (minutes since the baseline, RSS MB)
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
        used, held = heap_mb()
        indexed = len(clusterer.index) if clusterer else 0
        memory.append(((now - began) / 60, rss))
        cycle = statistics.mean(gaps) if gaps else float("nan")
        print(f"{(time.time() - START) / 60:7.1f}  {rss:7.0f}  {rss / base_rss:5.2f}  "
              f"{used:6.0f}/{held:6.0f}  {workers_mb():10.0f}  "
              f"{fds:5d}  {fds / base_fds:5.2f}  {count - previous:6.0f}  {cycle:7.1f}  "
              f"{articles:8d}  {indexed:7d}  {rejects:7d}  {errors:6.0f}  {store_fails:11.0f}  "
              f"{OVERRUNS.count:8d}",
              flush=True)  # fmt: skip
        previous, gaps = count, []
        if tracer is not None:
            tracer.report()
    daemon.request_stop()
    await asyncio.wait_for(task, 60)
    flatness(memory, base_rss)


def flatness(memory: list[tuple[float, float]], base_rss: float) -> None:
    """The figure for flat: RSS after the warm-up (the first half of the run) against the
    end, and the least-squares growth over the second half."""
    if len(memory) < 4:
        return
    half = memory[-1][0] / 2
    second = [p for p in memory if p[0] >= half]
    warm = second[0][1]
    print(
        f"RSS {base_rss:.0f} MB after the first cycle, {warm:.0f} MB after the warm-up "
        f"(minute {second[0][0]:.1f} of {memory[-1][0]:.1f}), {memory[-1][1]:.0f} MB at the "
        f"end ({memory[-1][1] / warm:.3f}x); min/max over the second half "
        f"{min(p[1] for p in second):.0f}/{max(p[1] for p in second):.0f} MB"
    )
    print(
        f"growth: {slope(second):+.2f} MB/min over the second half "
        f"({len(second)} samples), {slope(memory):+.2f} MB/min over the whole run"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sources", type=int, default=500)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--interval", type=float, default=20.0, help="poll interval, seconds")
    parser.add_argument("--change-seconds", type=float, default=30.0)
    parser.add_argument("--sample-seconds", type=float, default=30.0)
    parser.add_argument("--db-url", default=None)
    parser.add_argument("--copy", choices=("distinct", "same"), default="distinct")
    parser.add_argument(
        "--window-days",
        type=float,
        default=DedupConfig.window_days,
        help="[dedup].window_days of the daemon (short: the window fills early)",
    )
    parser.add_argument(
        "--max-indexed",
        type=int,
        default=DedupConfig.max_indexed,
        help="[dedup].max_indexed of the daemon",
    )
    parser.add_argument(
        "--trace",
        type=int,
        default=0,
        metavar="FRAMES",
        help="tracemalloc with this many frames: top growth by site per sample",
    )
    parser.add_argument("--trace-top", type=int, default=15)
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
