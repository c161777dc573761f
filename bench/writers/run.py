"""Parallel writers on PostgreSQL: the share of store time spent waiting on the other writer.

    python bench/writers/run.py [--articles 1000] [--batch 50] [--runs 3] [--pg URL]

Two writer processes store different fresh feeds into one PostgreSQL store at the same time,
one ``store_articles`` transaction per batch, as two daemons do. A sampler polls
``pg_stat_activity`` every few milliseconds: of the samples where a writer is inside a
transaction, the share where it waits for a lock (``wait_event_type = 'Lock'``) is the time
lost to the other writer. The baseline, measured in the same run on a fresh store each, is the
change feed as it was: every batch holding the feed's advisory lock from its start to commit.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "store"))

from run import PG_ADMIN, make_feed  # bench/store/run.py

from wire.adapters.base import FeedSettings
from wire.ingest.fingerprint import text_fingerprint
from wire.ingest.parsing import parse_payload
from wire.record import Article
from wire.storage.db import Database
from wire.storage.writer import CHANGE_LOCK, store_articles

OLD_LOCK = text("SELECT pg_advisory_xact_lock(:k, hashtext(coalesce(current_schema(), '')))")
APP = "wire-bench-writer"


def corpus(n: int, first_feed: int) -> list[tuple[Article, str | None]]:
    rng = random.Random(first_feed)
    out: list[tuple[Article, str | None]] = []
    feed_no = first_feed
    while len(out) < n:
        settings = FeedSettings(feed=f"feed{feed_no}", source="keystone-sda")
        for item in parse_payload(make_feed(rng, feed_no, 50), settings, fmt="rss"):
            if isinstance(item, Article):
                out.append((item, text_fingerprint(item)))
        feed_no += 1
    return out[:n]


def writer(url: str, index: int, args: Any, locked: bool, start: Any, result: Any) -> None:
    items = corpus(args.articles, 1000 * (index + 1))
    db = Database(f"{url}&application_name={APP}-{index}", create=False)
    db.ping()  # connected (the pool keeps it): the sampler sees both writers before the start
    start.wait()
    t0 = time.perf_counter()
    for i in range(0, len(items), args.batch):
        with db.session() as session:
            if locked:  # the feed as it was: one lock from the batch's start to commit
                session.execute(OLD_LOCK, {"k": CHANGE_LOCK})
            store_articles(session, items[i : i + args.batch])
    result.put(time.perf_counter() - t0)
    db.dispose()


def one_run(args: Any, locked: bool) -> tuple[float, float, int]:
    """(share of in-transaction samples waiting on a lock, wall seconds, samples)."""
    schema = f"wire_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(args.pg, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
    base = args.pg.replace("postgresql://", "postgresql+psycopg://", 1)
    url = f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
    Database(url).dispose()  # migrated once, before the writers start
    ctx = multiprocessing.get_context("spawn")
    start, result = ctx.Event(), ctx.Queue()
    procs = [
        ctx.Process(target=writer, args=(url, i, args, locked, start, result)) for i in range(2)
    ]
    for p in procs:
        p.start()
    busy = waiting = 0
    try:
        with psycopg.connect(args.pg, autocommit=True) as conn:
            while sum(1 for row in _writers(conn)) < 2:  # both connected and ready
                time.sleep(0.01)
            time.sleep(0.5)
            start.set()
            t0 = time.perf_counter()
            while any(p.is_alive() for p in procs):
                for state, wait_type in _writers(conn):
                    if state in ("active", "idle in transaction"):
                        busy += 1
                        waiting += wait_type == "Lock"
                time.sleep(0.002)
            wall = time.perf_counter() - t0
    finally:
        for p in procs:
            p.join()
        with psycopg.connect(args.pg, autocommit=True) as admin:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")
    return waiting / max(busy, 1), wall, busy


def _writers(conn: psycopg.Connection) -> list[tuple[str, str | None]]:
    rows = conn.execute(
        "SELECT state, wait_event_type FROM pg_stat_activity WHERE application_name LIKE %s",
        (f"{APP}-%",),
    ).fetchall()
    return [(r[0], r[1]) for r in rows]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1000, help="per writer")
    ap.add_argument("--batch", type=int, default=50)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--pg", default=PG_ADMIN)
    args = ap.parse_args()
    print(f"2 writers x {args.articles} articles, {args.batch} per transaction")
    shares: dict[bool, list[float]] = {True: [], False: []}
    for run in range(args.runs):
        for locked in (True, False) if run % 2 == 0 else (False, True):
            share, wall, samples = one_run(args, locked)
            shares[locked].append(share)
            name = "feed lock (before)" if locked else "parallel (now)    "
            print(
                f"run {run + 1} {name}: waiting on a lock {100 * share:5.1f}% of store time "
                f"({samples} samples), both writers done in {wall:5.1f} s"
            )
    for locked, label in ((True, "feed lock (before)"), (False, "parallel (now)")):
        values = shares[locked]
        print(
            f"{label:18s}: lock waits {100 * min(values):.1f}-{100 * max(values):.1f}% "
            "of store time (target < 5%)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
