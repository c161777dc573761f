"""Store-path benchmark: ``store_articles`` vs a bare executemany INSERT of the same rows.

    python bench/store/run.py [--articles 2000] [--batch 100] [--runs 5] [--pg URL] [--profile]

Both run in the same process, on the same store kind, into a fresh store each (a new SQLite
file, a new PostgreSQL schema), one transaction per batch, alternating so that machine noise
hits both. The store path writes what a daemon writes for a fresh feed: the article rows,
images, agencies, subjects, links, the version record, the search tokens and the change feed.
Signatures (``text_fingerprint``) are computed beforehand, as the parse workers do.

Two baselines, each one executemany INSERT per table and batch of rows prepared beforehand
(only the database's own work is timed):

- ``same rows``: every row the store path writes -- articles (with their search tokens on
  PostgreSQL), images, agencies, subjects, links, versions, full-text rows (SQLite), the
  batch's tokens not listed yet (PostgreSQL's ``search_terms``), changes;
- ``article rows``: the ``articles`` rows alone, the strictest: the store path also writes
  five more tables and the full-text index.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import psycopg
from sqlalchemy import text

from wire.adapters.base import FeedSettings
from wire.ingest.fingerprint import text_fingerprint
from wire.ingest.parsing import parse_payload
from wire.record import Article
from wire.storage.db import Database
from wire.storage.models import ArticleRow, Change, utcnow
from wire.storage.writer import (
    _articles_pg,
    _row_values,
    _search_document,
    child_rows,
    insert_fts5_rows,
    insert_rows,
    store_articles,
)

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"
WORDS = (
    "Bundesrat Regierung Parlament Kanton Zürich Bern Genf Basel Wirtschaft Franken Prozent "
    "Wahlen Abstimmung Polizei Unfall Gemeinde Schule Spital Bahn Verkehr Wetter Gewitter "
    "Sturm Bauern Export Import Unternehmen Gewinn Verlust Aktien Börse Inflation Zinsen "
    "Nationalbank Präsident Minister Konferenz Gipfel Verhandlungen Abkommen Vertrag Klima"
).split()
AGENCIES = ["SDA", "sda/dpa", "SDA/AFP", "Keystone-SDA", "awp/sda", "sda/Reuters"]


def _sentence(rng: random.Random, n: int = 14) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def make_feed(rng: random.Random, feed_no: int, items: int) -> bytes:
    """An agency RSS feed: headline, lead, five paragraphs, an agency, a picture per item."""
    start = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    parts = [
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:media="http://search.yahoo.com/mrss/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>Feed {feed_no}</title><link>https://wire.example/{feed_no}</link>"
        "<description>Nachrichten</description><language>de-ch</language>"
    ]
    for i in range(items):
        paras = "".join(
            f"<p>{escape(' '.join(_sentence(rng) for _ in range(3)))}</p>" for _ in range(5)
        )
        when = (start - timedelta(minutes=feed_no * items + i)).strftime(
            "%a, %d %b %Y %H:%M:%S +0000"
        )
        parts.append(
            f'<item><guid isPermaLink="false">urn:sda:{feed_no}:{i}</guid>'
            f"<title>{escape(_sentence(rng, 8))}</title>"
            f"<link>https://wire.example/{feed_no}/{i}</link>"
            f"<description>{escape(_sentence(rng, 20))}</description>"
            f"<content:encoded><![CDATA[{paras}]]></content:encoded>"
            f"<dc:creator>{rng.choice(AGENCIES)}</dc:creator>"
            f"<category>{rng.choice(WORDS)}</category><pubDate>{when}</pubDate>"
            f'<media:content url="https://img.wire.example/{feed_no}/{i}.jpg" medium="image">'
            f"<media:description>{escape(_sentence(rng, 10))}</media:description>"
            "<media:credit>KEYSTONE/Peter Schneider</media:credit></media:content></item>"
        )
    parts.append("</channel></rss>")
    return "".join(parts).encode()


def corpus(n: int) -> list[tuple[Article, str | None]]:
    """``n`` parsed articles with their signatures, as the parse workers hand them over."""
    rng = random.Random(7)
    out: list[tuple[Article, str | None]] = []
    feed_no = 0
    while len(out) < n:
        data = make_feed(rng, feed_no, 50)
        settings = FeedSettings(feed=f"feed{feed_no}", source="keystone-sda")
        for item in parse_payload(data, settings, fmt="rss"):
            if isinstance(item, Article):
                out.append((item, text_fingerprint(item)))
        feed_no += 1
    return out[:n]


@contextmanager
def fresh_store(pg: str | None, tmp: Path) -> Iterator[Database]:
    """A new, migrated, empty store: a SQLite file, or a schema of its own on PostgreSQL."""
    if pg is None:
        db = Database(f"sqlite:///{tmp / (uuid.uuid4().hex + '.db')}")
        try:
            yield db
        finally:
            db.dispose()
        return
    schema = f"wire_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(pg, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    base = pg.replace("postgresql://", "postgresql+psycopg://", 1)
    sep = "&" if "?" in base else "?"
    db = Database(f"{base}{sep}options=-csearch_path%3D{schema}")
    try:
        yield db
    finally:
        db.dispose()
        with psycopg.connect(pg, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


def batches(items: list[Any], size: int) -> list[list[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def time_store(db: Database, items: list[tuple[Article, str | None]], size: int) -> float:
    """Seconds for the store path over fresh copies of ``items`` (copied before timing)."""
    copies = [(Article.from_dict(a.to_dict()), th) for a, th in items]
    t0 = time.perf_counter()
    for batch in batches(copies, size):
        with db.session() as session:
            store_articles(session, batch)
    return time.perf_counter() - t0


def time_bare(db: Database, items: list[tuple[Article, str | None]], size: int) -> float:
    """Seconds for one executemany INSERT per batch of the same ``articles`` rows."""
    now = utcnow()
    rows = [{"id": a.id, "ingested_at": now, **_row_values(a, th)} for a, th in items]
    stmt = ArticleRow.__table__.insert()
    t0 = time.perf_counter()
    for batch in batches(rows, size):
        with db.session() as session:
            session.connection().execute(stmt, batch)
    return time.perf_counter() - t0


_TERMS_INSERT = text("INSERT INTO search_terms (term) VALUES (:term)")


def time_bare_all(db: Database, items: list[tuple[Article, str | None]], size: int) -> float:
    """Seconds for one executemany INSERT per table and batch of every row the store path
    writes for these articles (search tokens and change numbers included), prepared first."""
    pg = db.dialect == "postgresql"
    now = utcnow()
    prepared = []
    seq = 0
    listed: set[str] = set()  # PostgreSQL's term list (search_terms) so far
    for batch in batches(items, size):
        articles = [a for a, _ in batch]
        for a in articles:
            a.version = 1
        rows = [{"id": a.id, "ingested_at": now, **_row_values(a, th)} for a, th in batch]
        docs = [_search_document(a) for a in articles]
        fts = []
        terms: list[dict[str, str]] = []
        if pg:
            for row, doc in zip(rows, docs, strict=True):
                row["search_vector"] = doc.tsvector()
            new = {t for d in docs for t in (*d.headline, *d.lead, *d.body)} - listed
            listed |= new
            terms = [{"term": t} for t in sorted(new)]
        else:
            fts = [
                dict(zip(("headline", "lead", "body"), d.fts5_columns(), strict=True), id=a.id)
                for a, d in zip(articles, docs, strict=True)
            ]
        changes = []
        for a in articles:
            seq += 1
            changes.append(
                {"seq": seq, "article_id": a.id, "version": 1, "kind": "new",
                 "pubstatus": a.pubstatus, "source": a.source, "at": now}
            )  # fmt: skip
        prepared.append((rows, child_rows(articles), fts, terms, changes))
    t0 = time.perf_counter()
    for rows, children, fts, terms, changes in prepared:
        with db.session() as session:
            conn = session.connection()
            conn.execute((_articles_pg() if pg else ArticleRow.__table__).insert(), rows)
            for model, child in children:
                insert_rows(conn, model, child)
            if fts:
                insert_fts5_rows(conn, fts)
            if terms:
                conn.execute(_TERMS_INSERT, terms)
            insert_rows(conn, Change, changes)
    return time.perf_counter() - t0


def measure(
    kind: str, pg: str | None, items: list[tuple[Article, str | None]], size: int, runs: int
) -> dict[str, list[float]]:
    """Per run, the store path's time over each baseline's."""
    ratios: dict[str, list[float]] = {"same rows": [], "article rows": []}
    order: list[tuple[str, Callable[..., float]]] = [
        ("article rows", time_bare),
        ("same rows", time_bare_all),
        ("store", time_store),
    ]
    n = len(items)
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(runs):
            timed: dict[str, float] = {}
            for name, fn in order if run % 2 == 0 else order[::-1]:
                with fresh_store(pg, Path(tmp)) as db:
                    timed[name] = fn(db, items, size)
            for name in ratios:
                ratios[name].append(timed["store"] / timed[name])
            print(
                f"{kind:10s} run {run + 1}: store path {n / timed['store']:5.0f} articles/s; "
                f"same rows {n / timed['same rows']:5.0f}/s (ratio "
                f"{ratios['same rows'][-1]:.2f}); article rows {n / timed['article rows']:5.0f}/s "
                f"(ratio {ratios['article rows'][-1]:.2f})"
            )
    return ratios


def profile(pg: str | None, items: list[tuple[Article, str | None]], size: int) -> None:
    prof = cProfile.Profile()
    with tempfile.TemporaryDirectory() as tmp, fresh_store(pg, Path(tmp)) as db:
        prof.enable()
        time_store(db, items, size)
        prof.disable()
    pstats.Stats(prof).sort_stats("tottime").print_stats(25)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--batch", type=int, default=100, help="articles per transaction")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--pg", default=PG_ADMIN, help="PostgreSQL URL ('' to skip PostgreSQL)")
    ap.add_argument("--only", choices=["sqlite", "postgresql"])
    ap.add_argument("--profile", action="store_true", help="print a cProfile of the store path")
    args = ap.parse_args()
    items = corpus(args.articles)
    print(f"{len(items)} articles, {args.batch} per transaction, {args.runs} runs per store")
    kinds = [("sqlite", None), ("postgresql", args.pg or None)]
    for kind, pg in kinds:
        if (kind == "postgresql" and not pg) or (args.only and args.only != kind):
            continue
        if args.profile:
            profile(pg, items, args.batch)
            continue
        for name, values in measure(kind, pg, items, args.batch, args.runs).items():
            print(
                f"{kind:10s} store path / bare INSERT of the {name}: "
                f"{min(values):.2f}-{max(values):.2f}x (median {statistics.median(values):.2f}; "
                "target <= 3x)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
