"""``wire parse`` and ``wire run --once`` on a 2,000-item agency feed, against feedparser alone.

    python bench/parse/run.py [--items 2000] [--rounds 5] [--language de]

Every figure is a whole process, as a user runs it (interpreter start, imports, output):

- baseline: ``python -c "feedparser.parse(...)"`` on the same bytes (the fair baseline: the
  parser wire used to run on every feed, with nothing else);
- ``wire parse FEED --format rss`` (records printed as JSON lines to /dev/null), through the
  ``wire`` command's entry point (``wire.ingest.entry``); it parses the feed in two halves on
  two cores when the machine's 1-minute load leaves a core idle (``wire.ingest.parse_halves``),
  so the load average is printed before and after the rounds;
- ``wire run --once`` with one file source, into a fresh SQLite file each round (store,
  version records, full-text index, change feed, story clustering: the whole pipeline); it
  parses and signs in a worker process under the same rule as the halves (a core idle by
  the 1-minute load, ``wire.ingest.parse_halves.idle_core``), else in one process;
- beside them, for readers: fastfeedparser and feedparser-rs on the same bytes, when installed
  (they are not wire's dependencies).

The feed is ``bench/parse/feed.py``'s: real-shaped de/fr/it/en wire copy with pictures and
credits, and no declared language unless ``--language`` (then nothing is detected). Rounds are
interleaved, so every command sees the same machine load; the table gives the median and the
range of the ratios to the baseline of the same round, by wall time and by CPU time (user +
system of the process: the steadier figure on a shared machine). Targets (issue 20): wire parse
<= 0.2x, wire run --once <= 1.0x.

The children run with bytecode caches, as an installed wire and feedparser do (pip compiles
them): a shell that sets ``PYTHONDONTWRITEBYTECODE`` made every wire process compile its own
source (0.05 s for ``wire parse``, ~0.3 s for ``run --once``) while feedparser's caches came
with it. The caches go to a temporary ``PYTHONPYCACHEPREFIX``, written by one untimed warm-up
round. ``PYTHONPATH`` keeps what the shell gave, after this tree.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))

from feed import make_feed  # noqa: E402

BASELINE = (
    "import io, sys, feedparser; feedparser.parse(io.BytesIO(open(sys.argv[1], 'rb').read()))"
)
READ = "open(sys.argv[1], 'rb').read()"
FAST = {
    "fastfeedparser": f"import sys, fastfeedparser; fastfeedparser.parse({READ})",
    "feedparser-rs": f"import sys, feedparser_rs; feedparser_rs.parse({READ})",
}
MODULES = {"fastfeedparser": "fastfeedparser", "feedparser-rs": "feedparser_rs"}


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _load() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--items", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--language", help="declare this channel language (nothing is detected)")
    args = ap.parse_args()
    started_load = _load()
    data, _langs = make_feed(args.items)
    if args.language:
        data = data.replace(
            b"<channel>", f"<channel><language>{args.language}</language>".encode(), 1
        )
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        feed = Path(tmp) / "agency.rss"
        feed.write_bytes(data)
        commands: dict[str, list[str]] = {
            "feedparser.parse (baseline)": [py, "-c", BASELINE, str(feed)]
        }
        for name, code in FAST.items():
            if importlib.util.find_spec(MODULES[name]) is not None:
                commands[name] = [py, "-c", code, str(feed)]
        commands["wire parse"] = [
            py,
            "-m",
            "wire.ingest.entry",  # the `wire` command's entry point
            "parse",
            str(feed),
            "--format",
            "rss",
        ]
        print(f"feed: {args.items} items, {len(data) / 1e6:.1f} MB, language "
              f"{args.language or 'not declared'}; {args.rounds} rounds")  # fmt: skip
        stemmer = subprocess.run(
            [py, "-c", "import snowballstemmer as s; print(s.stemmer.__module__)"],
            env=env, capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
        print(f"search stemmer: {'PyStemmer (C)' if stemmer == 'Stemmer' else 'Python'}")
        results: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        results["wire run --once (fresh SQLite)"] = []
        for round_no in range(-1, args.rounds):  # round -1: the untimed warm-up
            for name, cmd in commands.items():
                took = timed(cmd, env)
                if round_no >= 0:
                    results[name].append(took)
            store = Path(tmp) / f"round{round_no + 1}"
            store.mkdir()
            config = store / "config.toml"
            config.write_text(
                f'[storage]\nurl = "sqlite:///{store}/wire.db"\n\n[[sources]]\nname = "agency"\n'
                f'location = "{feed}"\nformat = "rss"\nsource = "keystone-sda"\n'
            )
            once = [py, "-m", "wire.ingest.entry", "run", "--once", "--config", str(config)]
            took = timed(once, env)
            if round_no >= 0:
                results["wire run --once (fresh SQLite)"].append(took)
    base = results["feedparser.parse (baseline)"]
    print(f"{'command':32s} {'wall s (median)':>16s} {'CPU s':>7s}  {'ratio by wall':>22s}  "
          f"{'ratio by CPU':>22s}")  # fmt: skip
    for name, runs in results.items():
        wall = [w / b[0] for (w, _), b in zip(runs, base, strict=True)]
        cpu = [c / b[1] for (_, c), b in zip(runs, base, strict=True)]
        print(
            f"{name:32s} {statistics.median(w for w, _ in runs):16.2f} "
            f"{statistics.median(c for _, c in runs):7.2f}  "
            f"{statistics.median(wall):6.2f}x ({min(wall):.2f}-{max(wall):.2f})      "
            f"{statistics.median(cpu):6.2f}x ({min(cpu):.2f}-{max(cpu):.2f})"
        )
    print("targets: wire parse <= 0.2x, wire run --once <= 1.0x the baseline")
    print(f"load average (1, 5, 15 min): before {started_load}, after {_load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
