"""Run ``wire`` under tracemalloc and keep a snapshot of the daemon's heap at its peak.

    python bench/daemon/memtrace.py OUT run --config bench.toml
    python bench/daemon/memtrace.py --report OUT      # what the snapshot holds

``run.py`` uses it with ``WIRE_BENCH_MEMTRACE=cold`` (or ``steady``): the daemon's RSS and
traced heap are sampled every half second (the timeline is written to OUT at exit); a
snapshot is dumped (OUT.snapshot) each time RSS reaches a new high, at most every 10 s.
``WIRE_MEMTRACE_FRAMES`` frames per allocation (default 1: more makes a cycle crawl).
tracemalloc slows the daemon down (wall times of such a run mean nothing); it shows where
the Python heap is, not the allocator's free pages.
"""

from __future__ import annotations

import atexit
import os
import runpy
import sys
import threading
import time
import tracemalloc

SAMPLE = 0.5
SNAPSHOT_EVERY = 10.0
FRAMES = int(os.environ.get("WIRE_MEMTRACE_FRAMES", "1"))  # more makes a cycle crawl


def _rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    out, args = sys.argv[1], sys.argv[2:]
    tracemalloc.start(FRAMES)
    started = time.monotonic()
    timeline: list[tuple[float, float, float]] = []
    best = {"rss": 0.0, "at": 0.0}
    snap_at = 0.0

    def sample() -> None:
        nonlocal snap_at
        while True:
            time.sleep(SAMPLE)
            rss = _rss_mb()
            traced = tracemalloc.get_traced_memory()[0] / 2**20
            now = time.monotonic() - started
            timeline.append((now, rss, traced))
            if rss > best["rss"] + 2 and now - snap_at > SNAPSHOT_EVERY:
                tracemalloc.take_snapshot().dump(out + ".snapshot")  # read by --report
                best.update(rss=rss, at=now)
                snap_at = time.monotonic() - started

    def timeline_out() -> None:
        lines = [f"peak snapshot at {best['at']:.1f} s, RSS {best['rss']:.1f} MB"]
        lines.append("-- timeline: seconds, RSS MB, traced MB")
        lines.extend(f"{t:7.1f} {r:7.1f} {m:7.1f}" for t, r, m in timeline)
        with open(out, "w") as f:
            f.write("\n".join(lines) + "\n")

    atexit.register(timeline_out)
    threading.Thread(target=sample, daemon=True).start()
    sys.argv = ["wire", *args]
    runpy.run_module("wire.ingest.cli", run_name="__main__")


def report(path: str) -> None:
    """What the last snapshot holds (``python memtrace.py --report OUT``)."""
    snap = tracemalloc.Snapshot.load(path + ".snapshot")
    snap = snap.filter_traces([tracemalloc.Filter(False, tracemalloc.__file__)])
    by_file = snap.statistics("filename")
    lines = [f"traced {sum(s.size for s in by_file) / 2**20:.1f} MB", "-- by file"]
    lines += [f"{s.size / 2**20:8.2f} MB {s.count:8d}  {s.traceback}" for s in by_file[:40]]
    lines.append("-- by line")
    for stat in snap.statistics("lineno")[:50]:
        lines.append(f"{stat.size / 2**20:8.2f} MB {stat.count:8d}  {stat.traceback}")
    if FRAMES > 1:
        lines.append("-- by traceback (top 12)")
        for stat in snap.statistics("traceback")[:12]:
            lines.append(f"{stat.size / 2**20:8.2f} MB {stat.count:8d}")
            lines.extend("        " + ln for ln in stat.traceback.format()[-16:])
    print("\n".join(lines))


if __name__ == "__main__":
    if sys.argv[1] == "--report":
        report(sys.argv[2])
    else:
        main()
