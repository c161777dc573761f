"""The desk's urgency filter: a page of flashes when they are rare and old, and when common.

    python bench/desk/urgency.py                      # SQLite and PostgreSQL, 30,000 stories
    python bench/desk/urgency.py --stories 100000 --stores sqlite

Two stores per kind, filled through the writer: "old flashes" (20 flashes, the oldest
stories; the rest routine) and "5 % urgent" (the same flashes, and every 20th story urgent).
For each, one newest-first page of 50 for urgency <= 1, <= 2 and <= 3 is timed (best of
--repeat) in two forms: the desk's (``filter_conditions``: ``urgency IN (1, 2)``, an equality
per value on the (urgency, versioncreated, id) index) and the baseline measured in the same
run, the plain ``urgency <= 2`` comparison (which SQLite's planner, without a histogram, runs
by walking the time index or the pubstatus index through the routine copy). Printed:
milliseconds and the ratio desk / baseline (below 1: the desk's form is faster).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import psycopg
from sqlalchemy import select, text

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.api.factory import make_article  # noqa: E402
from tests.conftest import PG_ADMIN, pg_schema_url  # noqa: E402
from wire.ingest.fingerprint import text_fingerprint  # noqa: E402
from wire.storage.db import Database  # noqa: E402
from wire.storage.filters import ArticleQuery, filter_conditions  # noqa: E402
from wire.storage.models import ArticleRow  # noqa: E402
from wire.storage.paging import newest_page  # noqa: E402
from wire.storage.reads import refresh_planner_stats  # noqa: E402
from wire.storage.visibility import READER, released  # noqa: E402
from wire.storage.writer import store_articles  # noqa: E402

SHAPES = {"old flashes": 0, "5 % urgent": 20}  # every n-th story urgent (0: none)


@contextmanager
def store(kind: str) -> Iterator[Database]:
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            db = Database(f"sqlite:///{Path(tmp) / 'bench.db'}")
            try:
                yield db
            finally:
                db.dispose()
        return
    schema = f"wire_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    db = Database(pg_schema_url(schema))
    try:
        yield db
    finally:
        db.dispose()
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


def fill(db: Database, stories: int, every: int) -> None:
    def urgency(n: int) -> int:
        if n < 20:
            return 1
        return 2 if every and n % every == 0 else 3 + n % 3

    for start in range(0, stories, 2000):
        batch = [
            make_article(n, urgency=urgency(n), images=[])
            for n in range(start, min(stories, start + 2000))
        ]
        with db.session() as session:
            store_articles(session, [(a, text_fingerprint(a)) for a in batch])
    with db.session() as session:
        if db.engine.dialect.name == "sqlite":
            refresh_planner_stats(session, min_articles=0)
        else:
            session.execute(text("ANALYZE"))


def best_ms(db: Database, highest: int, plain: bool, repeat: int) -> tuple[float, int]:
    query = ArticleQuery(urgency=highest, pubstatus=("all",))
    conds = filter_conditions(query)
    if plain:  # the baseline: the same filters with urgency as a plain comparison
        conds = [*filter_conditions(replace(query, urgency=None)), ArticleRow.urgency <= highest]
    stmt = select(ArticleRow.id, ArticleRow.versioncreated).where(*conds, *released(READER))
    best, found = float("inf"), 0
    with db.reader() as session:
        for _ in range(repeat):
            start = time.perf_counter()
            found = len(newest_page(session, stmt, 50, None, "bench").ids)  # type: ignore[arg-type]
            best = min(best, time.perf_counter() - start)
    return best * 1000, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stories", type=int, default=30_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--stores", default="sqlite,postgresql")
    args = parser.parse_args()
    print(f"{'store':<11}{'shape':<13}{'filter':<13}{'rows':>5}{'desk ms':>9}{'base ms':>9}"
          f"{'ratio':>7}")  # fmt: skip
    for kind in args.stores.split(","):
        for shape, every in SHAPES.items():
            with store(kind) as db:
                fill(db, args.stories, every)
                for highest in (1, 2, 3):
                    desk, rows = best_ms(db, highest, False, args.repeat)
                    base, _ = best_ms(db, highest, True, args.repeat)
                    print(f"{kind:<11}{shape:<13}{f'urgency<={highest}':<13}{rows:>5}"
                          f"{desk:>9.1f}{base:>9.1f}{desk / base:>7.2f}")  # fmt: skip
    print(f"({args.stories:,} stories per store; load {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
