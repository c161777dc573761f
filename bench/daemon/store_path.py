"""The daemon's store path alone: the steady cycle's changed payloads stored into a copy of
the cold cycle's store, in the daemon's batches, with the clusterer; one process, no fetch.

    python bench/daemon/store_path.py prepare --workdir /tmp/store-path   # once, 1-3 minutes
    python bench/daemon/store_path.py run --workdir /tmp/store-path       # each measurement
    python bench/daemon/store_path.py run --cold --workdir /tmp/store-path  # the cold store

``prepare`` serves the bench's feeds (``server.py``), parses the 2,000 cold bodies in two
worker processes (signed, as the parse workers do), stores them in batches of 8 into
``cold.db``, then parses the 500 fresh feeds' next bodies against their item memory (5 new
items each) and pickles them (the cold payloads too). ``run`` copies ``cold.db`` and stores
those 500 payloads as the store thread would (``store_payloads``, the signatures handed to
the clusterer first) and prints its wall and CPU seconds; ``PROFILE=out.prof`` writes a
cProfile of it. With ``--background-checkpoints`` the store is opened as the daemon opens it
on SQLite and a thread checkpoints every second, as ``wire.ingest.storequeue.checkpoints``
does. ``run --cold`` stores the 2,000 cold payloads (11,500 new articles) into a new, empty
store instead: the cold cycle's store thread. ``--no-hooks`` leaves the clusterer out: the
store path alone. ``--batch`` sets the payloads a transaction (8, ``STORE_BATCH``; a daemon
whose store is behind takes up to ``STORE_BATCH_MAX``, 32). ``prepare --feeds vocabulary``
serves the feeds of sessions 1-13 instead of the real-shaped ones (``run.py --feeds``; use
another workdir for each).

Far less noisy than a whole daemon cycle on a shared machine: no event loop, no scheduler, no
parse worker competes for the core (session 12: the steady cycle's pace is this path's).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pickle
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(HERE))

from server import FEEDS, feed_language  # noqa: E402

from wire.adapters.base import FeedSettings  # noqa: E402
from wire.config import Config, DedupConfig, load_config  # noqa: E402
from wire.ingest import parsing  # noqa: E402
from wire.ingest.dedup import Clusterer  # noqa: E402
from wire.ingest.hooks import store_hooks  # noqa: E402
from wire.ingest.parsing import Parsed, parse_and_sign  # noqa: E402
from wire.ingest.pipeline import Payload, StoreHook, settings_for, store_payloads  # noqa: E402
from wire.ingest.signing import MinHasher  # noqa: E402
from wire.storage.db import Database  # noqa: E402

SOURCES, FRESH_EVERY, BATCH = 2000, 4, 8


def _init() -> None:
    parsing._hasher = MinHasher(DedupConfig())  # signing, as a daemon's parse worker


def _parse(job: tuple[bytes, FeedSettings, frozenset[str]]) -> Parsed:
    data, settings, known = job
    return parse_and_sign(data, settings, "rss", None, known)


def _config(workdir: Path) -> Config:
    return load_config(workdir / "bench.toml")


def _settings(config: Config, i: int) -> FeedSettings:
    source = config.source(f"feed-{i:04d}")
    return settings_for(source, source.location, config.agencies)


def _store(
    db: Database,
    hooks: tuple[StoreHook, ...],
    items: list[tuple[bytes, FeedSettings, Parsed]],
    bare: bool = False,
    batch: int = BATCH,
) -> int:
    """``items`` (body, settings, Parsed) stored in batches of ``batch`` payloads; new
    articles. ``bare``: without the store hooks (the clusterer), the store path alone."""
    clusterer = hooks[0]
    assert isinstance(clusterer, Clusterer)
    signer = clusterer.signer
    new = 0
    for b in range(0, len(items), batch):
        payloads = []
        for data, settings, parsed in items[b : b + batch]:
            signer.give(parsed.signatures)
            payloads.append(Payload(data, settings, parsed.results, False, parsed.text_hashes))
        for outcome in store_payloads(db, payloads, hooks=() if bare else hooks):
            assert not isinstance(outcome, Exception), outcome
            new += outcome.new
    return new


def prepare(workdir: Path, feeds: str = "wire") -> None:
    workdir.mkdir(parents=True, exist_ok=True)
    server = subprocess.Popen(
        [sys.executable, str(HERE / "server.py"), "--latency-ms", "0", "--feeds", feeds],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline().split()[1])

        def get(i: int) -> bytes:
            with urllib.request.urlopen(f"http://127.0.0.2:{port}/feed/{i}") as resp:
                return bytes(resp.read())

        cold = [get(i) for i in range(SOURCES)]
        urllib.request.urlopen(f"http://127.0.0.2:{port}/_phase/2").read()
        fresh = {i: get(i) for i in range(0, SOURCES, FRESH_EVERY)}
    finally:
        server.terminate()
        server.wait(10)
    lines = ["[storage]", f'url = "sqlite:///{workdir / "cold.db"}"', ""]
    for i in range(SOURCES):
        url = f"http://127.0.0.{2 + i % 20}/feed/{i}"
        lines += ["[[sources]]", f'name = "feed-{i:04d}"', f'location = "{url}"']
        lines += ['format = "rss"', 'source = "keystone-sda"']
        lines += [f'language = "{feed_language(i, feeds)}"', ""]
    (workdir / "bench.toml").write_text("\n".join(lines))
    for leftover in ("cold.db", "cold.db-wal", "cold.db-shm"):
        (workdir / leftover).unlink(missing_ok=True)
    config = _config(workdir)
    settings = [_settings(config, i) for i in range(SOURCES)]
    with ProcessPoolExecutor(2, initializer=_init) as pool:
        jobs: list[tuple[bytes, FeedSettings, frozenset[str]]] = [
            (cold[i], settings[i], frozenset()) for i in range(SOURCES)
        ]
        parsed = list(pool.map(_parse, jobs, chunksize=20))
        keys = sorted(fresh)
        jobs = [(fresh[i], settings[i], frozenset(parsed[i].digests)) for i in keys]
        steady = dict(zip(keys, pool.map(_parse, jobs), strict=True))
    db = Database(config.storage.url)
    started = time.process_time()
    new = _store(db, store_hooks(config, db), list(zip(cold, settings, parsed, strict=True)))
    print(f"cold store: {new} new articles, CPU {time.process_time() - started:.2f} s")
    db.dispose()
    with open(workdir / "steady.pkl", "wb") as f:
        pickle.dump({"bodies": fresh, "parsed": steady}, f)
    with open(workdir / "cold.pkl", "wb") as f:
        pickle.dump({"bodies": dict(enumerate(cold)), "parsed": dict(enumerate(parsed))}, f)


def run(
    workdir: Path, background: bool, cold: bool = False, bare: bool = False, batch: int = BATCH
) -> None:
    for ext in ("", "-wal", "-shm"):
        (workdir / f"run.db{ext}").unlink(missing_ok=True)
    if not cold:
        shutil.copyfile(workdir / "cold.db", workdir / "run.db")
    config = _config(workdir)
    with open(workdir / ("cold.pkl" if cold else "steady.pkl"), "rb") as f:
        steady = pickle.load(f)
    kw = {"background_checkpoints": True} if background else {}
    db = Database(f"sqlite:///{workdir / 'run.db'}", **kw)
    hooks = store_hooks(config, db)
    clusterer = hooks[0]
    assert isinstance(clusterer, Clusterer)
    clusterer.sync()  # the index loaded before the clock starts
    keys = sorted(steady["bodies"])
    items = [(steady["bodies"][i], _settings(config, i), steady["parsed"][i]) for i in keys]
    stop = threading.Event()
    if background:

        def checkpoints() -> None:
            while not stop.wait(1.0):
                db.checkpoint()

        threading.Thread(target=checkpoints, daemon=True).start()
    profile = None
    if os.environ.get("PROFILE"):
        profile = cProfile.Profile()
        profile.enable()
    wall, cpu = time.monotonic(), time.thread_time()
    new = _store(db, hooks, items, bare, batch)
    wall, cpu = time.monotonic() - wall, time.thread_time() - cpu
    if profile is not None:
        profile.disable()
        profile.dump_stats(os.environ["PROFILE"])
    stop.set()
    db.dispose()
    load = os.getloadavg()[0]
    print(json.dumps({"step": "cold" if cold else "steady", "hooks": not bare,
                      "payloads": len(items), "new": new, "batch": batch, "wall": round(wall, 3),
                      "cpu": round(cpu, 3), "background_checkpoints": background,
                      "load": round(load, 2)}))  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("step", choices=("prepare", "run"))
    ap.add_argument("--workdir", type=Path, required=True)
    ap.add_argument("--background-checkpoints", action="store_true")
    ap.add_argument("--cold", action="store_true", help="store the cold payloads, new store")
    ap.add_argument("--no-hooks", action="store_true", help="without the clusterer")
    ap.add_argument("--batch", type=int, default=BATCH, help="payloads a transaction")
    ap.add_argument("--feeds", choices=FEEDS, default="wire", help="prepare: run.py's --feeds")
    args = ap.parse_args()
    if args.step == "prepare":
        prepare(args.workdir, args.feeds)
    else:
        run(args.workdir, args.background_checkpoints, args.cold, args.no_hooks, args.batch)


if __name__ == "__main__":
    main()
