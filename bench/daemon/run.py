"""Benchmark: one polling cycle of the daemon over 2,000 loopback sources, against a bare loop.

    python bench/daemon/run.py                       # SQLite in a temp folder
    python bench/daemon/run.py --db-url postgresql://postgres@127.0.0.1:5432/test
    python bench/daemon/run.py --latency-ms 0 --fresh 0.5

Sources are spread over 20 loopback addresses (20 "agencies"). A quarter are *fresh* (their
20-item RSS window moves on by 5 items between cycles, new ETag), the rest *stable* (304).
``--feeds`` says what the items are: real-shaped agency copy (``wire``, the default: distinct
de/fr/en stories, a quarter rewrites of another) or the 124-word vocabulary of sessions 1-13
(``vocabulary``, for figures comparable with theirs); see server.py.

1. cold cycle: a new daemon process polls everything once (fresh feeds store 20 items each,
   stable feeds 1) and is stopped with SIGTERM. Its baseline: the same URLs fetched without
   ETags (so the same bodies, byte for byte; the server counts them) by the bare loop over
   the daemon's per-host pools, same limits, fetch only, once before and once after the
   cycle (the mean);
2. the server moves the fresh feeds on; the same requests (same URLs, same ETags, same
   client limits) are made by a bare httpx loop (bench/daemon/bare.py): the one-pool
   baseline; then once more through the daemon's own transport (a pool per host);
3. steady cycle: a new daemon process polls everything once more: 304s for stable feeds,
   5 new + 15 known items for each fresh one;
4. both bare loops again: each baseline is the mean of its runs before and after the cycle.

Cycle time is from the daemon's "daemon started" log event to its last "poll" event (each
poll's event is written after its commit); the store thread's busy time and CPU are summed
from its "stored" events (one per batch); peak RSS is the larger of the daemon's VmHWM and
the summed PSS of the daemon and its parse-worker processes (sampled every 0.1 s). Targets
(issue 20): steady cycle within 1.5x of the bare loop over per-host pools, cold cycle within
4x of that loop's fetch of the same fresh feeds, peak RSS under 300 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))

from server import FEEDS, feed_language  # noqa: E402


def _hwm_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def _pss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _stat_cpu(stat: str) -> float:
    """User + system CPU seconds from a /proc .../stat file."""
    fields = Path(stat).read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def thread_cpu_seconds(pid: int, tid: int) -> float:
    """User + system CPU of one thread of a process (the main thread's id is the pid)."""
    return _stat_cpu(f"/proc/{pid}/task/{tid}/stat")


def cpu_seconds(pid: int) -> tuple[float, float]:
    """User + system CPU of a process, and of its live descendants (the parse workers)."""
    totals = []
    for pids in ([pid], _descendants(pid)):
        total = 0.0
        for p in pids:
            try:
                total += _stat_cpu(f"/proc/{p}/stat")
            except OSError:
                continue
        totals.append(total)
    return totals[0], totals[1]


def peak_rss_mb(pid: int) -> tuple[float, float]:
    """Memory of the daemon and its parse workers: the daemon's own peak RSS, and the sum of
    the whole process tree's proportional set size (shared pages counted once) now. Called
    every 0.1 s, the larger of the two maxima is the run's peak."""
    tree = _pss_mb(pid) + sum(_pss_mb(child) for child in _descendants(pid))
    return _hwm_mb(pid), tree


def write_config(path: Path, db_url: str, urls: list[str], args: argparse.Namespace) -> None:
    lines = [
        "[storage]",
        f'url = "{db_url}"',
        "",
        "[http]",
        f"per_host_limit = {args.per_host}",
        f"max_connections = {args.max_connections}",
        "",
        "[daemon]",
        "interval = 3600",
        "jitter = 0",
        "health_port = 0",
        'log_format = "json"',
        f"parse_workers = {json.dumps(args.parse_workers)}",
    ]
    for i, url in enumerate(urls):
        lines += ["", "[[sources]]", f'name = "feed-{i:04d}"', f'location = "{url}"']
        lines += ['format = "rss"', 'source = "keystone-sda"']
        lines += [f'language = "{feed_language(i, args.feeds)}"']
    path.write_text("\n".join(lines) + "\n")


def ts(event: dict[str, Any]) -> float:
    return datetime.fromisoformat(event["ts"]).timestamp()


def daemon_cycle(
    config: Path, workdir: Path, label: str, n: int, env: dict[str, str]
) -> dict[str, Any]:
    """Start a daemon, wait for n polls, note time and peak RSS, stop it with SIGTERM."""
    log = workdir / f"{label}.log"
    profile = os.environ.get("WIRE_BENCH_PROFILE") == label
    prof_args = ["-m", "cProfile", "-o", str(workdir / f"{label}.prof")] if profile else []
    entry = ["-m", "wire.ingest.cli"]
    if os.environ.get("WIRE_BENCH_MEMTRACE") == label:  # what holds memory at the peak
        entry = [str(HERE / "memtrace.py"), str(workdir / f"{label}.mem")]
    proc = subprocess.Popen(
        [sys.executable, *prof_args, *entry, "run", "--config", str(config)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("wb"),
    )
    spy = None
    if os.environ.get("WIRE_BENCH_PYSPY") == label:  # a sampled profile of the whole tree
        spy = subprocess.Popen(
            ["py-spy", "record", "--pid", str(proc.pid), "--gil", "--threads",
             "-r", "200", "-f", "raw", "-o", str(workdir / f"{label}.spy")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
    events: list[dict[str, Any]] = []
    offset = 0
    polls = 0
    hwm = tree = 0.0
    start_cpu = start_loop = 0.0  # the process start's CPU (imports, config, lease round)
    deadline = time.monotonic() + 900
    try:
        while polls < n:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"{label}: daemon ended early; see {log}")
            time.sleep(0.1)
            hwm, tree = map(max, zip((hwm, tree), peak_rss_mb(proc.pid), strict=True))
            with log.open("rb") as f:
                f.seek(offset)
                chunk = f.read()
            cut = chunk.rfind(b"\n") + 1
            offset += cut
            for line in chunk[:cut].splitlines():
                try:
                    event = json.loads(line)
                except ValueError:
                    continue
                events.append(event)
                polls += event.get("event") == "poll"
                if event.get("event") == "daemon started":  # read within 0.1 s of it
                    start_cpu = cpu_seconds(proc.pid)[0]
                    start_loop = thread_cpu_seconds(proc.pid, proc.pid)
        hwm, tree = map(max, zip((hwm, tree), peak_rss_mb(proc.pid), strict=True))
        cpu = cpu_seconds(proc.pid)
        loop_cpu = thread_cpu_seconds(proc.pid, proc.pid)
        proc.send_signal(signal.SIGTERM)
        sent = time.monotonic()
        rc = proc.wait(30)
        stop_seconds = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            proc.kill()
        if spy is not None:
            spy.wait(30)
    started = next(ts(e) for e in events if e.get("event") == "daemon started")
    poll_events = [e for e in events if e.get("event") == "poll"]
    results: dict[str, int] = {}
    for e in poll_events:
        results[e["result"]] = results.get(e["result"], 0) + 1
    stored = [e for e in events if e.get("event") == "stored"]  # one per store batch
    return {
        "store": (len(stored), sum(e["duration"] for e in stored), sum(e["cpu"] for e in stored)),
        "cycle": max(ts(e) for e in poll_events) - started,
        "rss": max(hwm, tree),
        "hwm": hwm,
        "tree": tree,
        "results": results,
        "new": sum(e.get("new", 0) for e in poll_events),
        "unchanged": sum(e.get("unchanged", 0) for e in poll_events),
        "errors": sum(1 for e in poll_events if e.get("error")),
        "exit": rc,
        "stop_seconds": stop_seconds,
        "cpu": cpu,
        "loop_cpu": loop_cpu,
        "start_cpu": start_cpu,
        "start_loop": start_loop,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sources", type=int, default=2000)
    ap.add_argument("--hosts", type=int, default=20)
    ap.add_argument("--fresh", type=float, default=0.25, help="share of sources with new items")
    ap.add_argument("--new", type=int, default=5, help="new items per fresh feed per cycle")
    ap.add_argument("--latency-ms", type=float, default=50.0, help="server think time")
    ap.add_argument("--per-host", type=int, default=4)
    ap.add_argument("--max-connections", type=int, default=100)
    ap.add_argument("--db-url", default=None, help="default: SQLite in a temp folder")
    ap.add_argument(
        "--feeds",
        choices=FEEDS,
        default="wire",
        help="what the items say: real-shaped agency copy (wire, the default since session "
        "14: bench/dedup's speed-bench generator, de/fr/en, a quarter rewrites) or the feeds "
        "of sessions 1-13 (vocabulary: 124 mostly capitalised nouns, every story a candidate "
        "of hundreds)",
    )
    ap.add_argument(
        "--lowercase",
        action="store_true",
        help="a diagnostic: stories in lower case. The vocabulary feeds draw ~100 capitalised "
        "German nouns from one small list, which the clusterer read as shared names before "
        "session 9 (every article joined one cluster; bench/daemon/clusters.py)",
    )
    ap.add_argument(
        "--parse-workers",
        type=lambda v: v if v == "auto" else int(v),
        default="auto",
        help='[daemon].parse_workers ("auto", or a number of processes; 0: none)',
    )
    args = ap.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="wire-bench-"))
    schema = None
    server = subprocess.Popen(
        [sys.executable, str(HERE / "server.py"), "--sources", str(args.sources),
         "--hosts", str(args.hosts), "--fresh", str(args.fresh), "--new", str(args.new),
         "--latency-ms", str(args.latency_ms), "--feeds", args.feeds,
         *(["--lowercase"] if args.lowercase else [])],
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline().split()[1])
        urls = [f"http://127.0.0.{2 + i % args.hosts}:{port}/feed/{i}" for i in range(args.sources)]
        db_url = args.db_url or f"sqlite:///{workdir / 'bench.db'}"
        if args.db_url and args.db_url.startswith("postgresql"):
            schema = f"wire_bench_{uuid.uuid4().hex[:8]}"
            db_url = _pg_schema(args.db_url, schema, create=True)
        config = workdir / "bench.toml"
        write_config(config, db_url, urls, args)
        env = {**os.environ}
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        env.pop("WIRE_DATABASE_URL", None)

        def bare_loop(requests: str, *flags: str) -> dict[str, Any]:
            server_cpu = cpu_seconds(server.pid)[0]
            out = subprocess.run(
                [sys.executable, str(HERE / "bare.py"), str(workdir / requests),
                 "--per-host", str(args.per_host), "--max-connections",
                 str(args.max_connections), *flags],
                capture_output=True, text=True, check=True, env=env,
            )  # fmt: skip
            result: dict[str, Any] = json.loads(out.stdout)
            result["server_cpu"] = cpu_seconds(server.pid)[0] - server_cpu
            return result

        def served() -> dict[str, int]:
            with urllib.request.urlopen(f"http://127.0.0.2:{port}/_stats") as resp:
                return dict(json.loads(resp.read()))

        # the cold cycle's own requests: every URL without an ETag, in phase 1 (same bytes)
        (workdir / "cold.json").write_text(json.dumps([[url, None] for url in urls]))
        cold_bare = [bare_loop("cold.json", "--host-pools")]
        before = served()
        cold = daemon_cycle(config, workdir, "cold", args.sources, env)
        after = served()
        cold["served"] = {k: after[k] - before[k] for k in after}
        cold_bare.append(bare_loop("cold.json", "--host-pools"))  # still phase 1

        sys.path.insert(0, str(ROOT))
        from sqlalchemy import select, update

        from wire.storage.db import Database
        from wire.storage.models import SourceRow

        db = Database(db_url, create=False)
        with db.session() as s:  # the next daemon polls at once instead of in an hour
            s.execute(update(SourceRow).values(next_poll=None))
        with db.reader() as s:
            etags = dict(s.execute(select(SourceRow.name, SourceRow.etag)).all())
        db.dispose()
        urllib.request.urlopen(f"http://127.0.0.2:{port}/_phase/2").read()

        todo = [[url, etags.get(f"feed-{i:04d}")] for i, url in enumerate(urls)]
        (workdir / "requests.json").write_text(json.dumps(todo))

        bare = bare_loop("requests.json")
        pooled = bare_loop("requests.json", "--host-pools")
        server_cpu = cpu_seconds(server.pid)[0]
        steady = daemon_cycle(config, workdir, "steady", args.sources, env)
        steady["server_cpu"] = cpu_seconds(server.pid)[0] - server_cpu
        bare_after = bare_loop("requests.json")  # the same requests again: the noise, bracketed
        pooled_after = bare_loop("requests.json", "--host-pools")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(10)
        if schema and args.db_url:
            _pg_schema(args.db_url, schema, create=False)

    fresh = (
        sum(
            1
            for i in range(args.sources)
            if round(1 / args.fresh) and i % round(1 / args.fresh) == 0
        )
        if args.fresh
        else 0
    )
    print(f"wire daemon benchmark: {args.sources} sources on {args.hosts} loopback hosts, "
          f"{fresh} fresh (+{args.new} items/cycle) and {args.sources - fresh} stable (304), "
          f"server latency {args.latency_ms:g} ms, {args.feeds} feeds, {os.cpu_count()} CPUs, "
          f"{'PostgreSQL' if db_url.startswith('postgresql') else 'SQLite'}")  # fmt: skip
    print(f"  cold cycle    {cold['cycle']:7.2f} s  peak RSS {cold['rss']:6.1f} MB  "
          f"new items {cold['new']}, polls {cold['results']}, errors {cold['errors']}")  # fmt: skip
    print(f"                memory: the daemon's peak RSS {cold['hwm']:.1f} MB, the tree's "
          f"PSS at most {cold['tree']:.1f} MB (steady: {steady['hwm']:.1f} / "
          f"{steady['tree']:.1f} MB)")  # fmt: skip
    print(f"                CPU daemon {cold['cpu'][0]:.2f} s (event loop "
          f"{cold['loop_cpu']:.2f} s), its parse workers {cold['cpu'][1]:.2f} s")  # fmt: skip
    cold_base = sum(b["seconds"] for b in cold_bare) / len(cold_bare)
    cold_ratio = cold["cycle"] / cold_base
    print(f"  cold baseline {cold_base:7.2f} s  the bare loop over per-host pools fetching the "
          f"same fresh feeds ({cold_bare[0]['seconds']:.2f} s before, "
          f"{cold_bare[1]['seconds']:.2f} s after the cycle; CPU {cold_bare[0]['cpu']:.2f} s, "
          f"peak RSS {cold_bare[0]['peak_rss_mb']:.1f} MB)")  # fmt: skip
    print(f"                bytes read: bare loop {cold_bare[0]['bytes']:,} "
          f"({dict(cold_bare[0]['statuses'])}); served during the cold cycle "
          f"{cold['served']['bytes']:,} in {cold['served']['requests']} requests")  # fmt: skip
    baseline = (bare["seconds"] + bare_after["seconds"]) / 2
    print(f"  bare loop     {baseline:7.2f} s  peak RSS {bare['peak_rss_mb']:6.1f} MB  "
          f"answers {bare['statuses']}; one httpx client, one pool: {bare['seconds']:.2f} s "
          f"before and {bare_after['seconds']:.2f} s after the steady cycle")  # fmt: skip
    pooled_base = (pooled["seconds"] + pooled_after["seconds"]) / 2
    print(f"  bare loop over the daemon's per-host pools (ingest/pools.py) {pooled_base:.2f} s "
          f"({pooled['seconds']:.2f} s before and {pooled_after['seconds']:.2f} s after the "
          f"steady cycle; CPU {pooled['cpu']:.2f} s)")  # fmt: skip
    print(f"  steady cycle  {steady['cycle']:7.2f} s  peak RSS {steady['rss']:6.1f} MB  "
          f"new {steady['new']}, unchanged {steady['unchanged']}, polls {steady['results']}, "
          f"errors {steady['errors']}")  # fmt: skip
    print(f"  CPU           steady daemon {steady['cpu'][0]:.2f} s (process start included), "
          f"its parse workers {steady['cpu'][1]:.2f} s; bare loop {bare['cpu']:.2f} s")  # fmt: skip
    print(f"                of the daemon's: event loop (fetches, scheduling) "
          f"{steady['loop_cpu']:.2f} s, other threads (stores, health) "
          f"{steady['cpu'][0] - steady['loop_cpu']:.2f} s")  # fmt: skip
    print(f"                in the cycle (from 'daemon started', read within 0.1 s of it): "
          f"daemon {steady['cpu'][0] - steady['start_cpu']:.2f} s, event loop "
          f"{steady['loop_cpu'] - steady['start_loop']:.2f} s; before it (imports, "
          f"config, lease round) the event loop thread {steady['start_loop']:.2f} s")  # fmt: skip
    for label, cycle in (("cold", cold), ("steady", steady)):
        batches, busy, store_cpu = cycle["store"]
        print(f"  store thread  {label}: {batches} batches, busy {busy:.2f} s of the cycle's "
              f"{cycle['cycle']:.2f} s, CPU {store_cpu:.2f} s (the rest: waiting for the "
              f"interpreter lock, a core or the disk)")  # fmt: skip
    print(f"  server CPU    during the steady cycle {steady['server_cpu']:.2f} s (daemon start "
          f"included), during the bare loop {bare['server_cpu']:.2f} s")  # fmt: skip
    ratio = steady["cycle"] / baseline
    pooled_ratio = steady["cycle"] / pooled_base
    rss_ratio = steady["rss"] / bare["peak_rss_mb"]
    peak = max(cold["rss"], steady["rss"])
    print(f"  ratios        steady cycle {pooled_ratio:.2f}x the per-host-pool loop "
          f"(target <= 1.5x), {ratio:.2f}x the one-pool loop; cold cycle {cold_ratio:.2f}x "
          f"the per-host-pool fetch of the same fresh feeds (target <= 4x); steady RSS "
          f"{rss_ratio:.2f}x bare")  # fmt: skip
    print(
        f"  targets       steady within 1.5x: {'yes' if pooled_ratio <= 1.5 else 'NO'}; "
        f"cold within 4x: {'yes' if cold_ratio <= 4 else 'NO'} "
        f"({cold['cycle']:.1f} s against {cold_base:.2f} s); "
        f"peak RSS under 300 MB: {'yes' if peak < 300 else 'NO'} ({peak:.0f} MB)"
    )
    print(
        f"  stop          SIGTERM to exit: {cold['stop_seconds']:.2f} s / "
        f"{steady['stop_seconds']:.2f} s, exit codes {cold['exit']}/{steady['exit']}"
    )
    print(f"  logs{'' if schema else ' and database'} in {workdir}")


def _pg_schema(url: str, schema: str, *, create: bool) -> str:
    """Create (or drop) a schema of its own; returns the URL whose connections live in it."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}" if create else f"DROP SCHEMA {schema} CASCADE")
    base = url.replace("postgresql://", "postgresql+psycopg://", 1)
    return f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"


if __name__ == "__main__":
    main()
