"""Ingest benchmark: generated agency RSS through the whole pipeline vs feedparser alone.

    python bench/ingest/run.py [--feeds 200] [--items 50] [--profile]

Prints items per second for (a) ``feedparser.parse`` on the same bytes (the baseline, the
ceiling: the parser dominates) and (b) parse + normalise + dedup + store into a fresh SQLite
file, their ratio, and where the pipeline's time goes (a cProfile summary grouped by module).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

import feedparser

from wire.adapters.base import FeedSettings
from wire.config import parse_config
from wire.ingest.hooks import store_hooks
from wire.ingest.pipeline import ingest_payload
from wire.storage.db import Database

WORDS = (
    "Bundesrat Regierung Parlament Kanton Zürich Bern Genf Basel Wirtschaft Franken Prozent "
    "Wahlen Abstimmung Polizei Unfall Gemeinde Schule Spital Bahn Verkehr Wetter Gewitter "
    "Sturm Bauern Export Import Unternehmen Gewinn Verlust Aktien Börse Inflation Zinsen "
    "Nationalbank Präsident Minister Konferenz Gipfel Verhandlungen Abkommen Vertrag Klima "
    "Energie Strom Gas Preise Mieten Wohnungen Studie Forscher Universität Armee Grenze"
).split()
AGENCIES = ["SDA", "sda/dpa", "SDA/AFP", "Keystone-SDA", "awp/sda", "sda/Reuters"]
CREDITS = [
    "KEYSTONE/Peter Schneider",
    "dpa",
    "AFP PHOTO / FABRICE COFFRINI",
    "REUTERS/Denis Balibouse",
]


def sentence(rng: random.Random, n: int = 14) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def make_feed(rng: random.Random, feed_no: int, items: int, start: datetime) -> bytes:
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/">',
        f"<channel><title>Agentur-Feed {feed_no}</title><link>https://wire.example/{feed_no}</link>"
        "<description>Nachrichten</description><language>de-ch</language>",
    ]
    for i in range(items):
        paras = "".join(
            f"<p>{escape(' '.join(sentence(rng) for _ in range(3)))}</p>" for _ in range(5)
        )
        when = (start - timedelta(minutes=feed_no * items + i)).strftime(
            "%a, %d %b %Y %H:%M:%S +0000"
        )
        parts.append(
            "<item>"
            f'<guid isPermaLink="false">urn:sda:{feed_no}:{i}</guid>'
            f"<title>{escape(sentence(rng, 8))}</title>"
            f"<link>https://wire.example/{feed_no}/{i}</link>"
            f"<description>{escape(sentence(rng, 20))}</description>"
            f"<content:encoded><![CDATA[{paras}]]></content:encoded>"
            f"<dc:creator>{rng.choice(AGENCIES)}</dc:creator>"
            f"<category>{rng.choice(WORDS)}</category>"
            f"<pubDate>{when}</pubDate>"
            f'<media:content url="https://img.wire.example/{feed_no}/{i}.jpg" medium="image">'
            f"<media:description>{escape(sentence(rng, 10))}</media:description>"
            f"<media:credit>{rng.choice(CREDITS)}</media:credit></media:content>"
            "</item>"
        )
    parts.append("</channel></rss>")
    return "\n".join(parts).encode()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--feeds", type=int, default=200)
    ap.add_argument("--items", type=int, default=50)
    ap.add_argument("--profile", action="store_true", help="print a cProfile summary")
    args = ap.parse_args()
    rng = random.Random(7)
    start = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    feeds = [make_feed(rng, n, args.items, start) for n in range(args.feeds)]
    total = args.feeds * args.items
    print(
        f"corpus: {args.feeds} feeds x {args.items} items = {total} items, "
        f"{sum(map(len, feeds)) / 1e6:.1f} MB"
    )

    t0 = time.perf_counter()
    for data in feeds:
        feedparser.parse(data)
    base = time.perf_counter() - t0

    with tempfile.TemporaryDirectory() as tmp:
        full, new = _pipeline(feeds, Path(tmp) / "timed.db", None)
        # A second, profiled pass over a slice of the corpus (profiling slows it down, so
        # its time is not the one reported above).
        prof = cProfile.Profile()
        _pipeline(feeds[: max(1, len(feeds) // 5)], Path(tmp) / "profiled.db", prof)

    print(f"baseline feedparser.parse alone : {total / base:8.0f} items/s")
    print(f"wire pipeline (parse..store)    : {total / full:8.0f} items/s  ({new} stored)")
    print(f"ratio pipeline / feedparser     : {base / full:8.2f}  (1.00 = as fast as the parser)")
    by_module: dict[str, float] = defaultdict(float)
    st = pstats.Stats(prof)
    for (file, _line, fn), (_cc, _nc, tt, _ct, _callers) in st.stats.items():  # type: ignore[attr-defined]
        key = _bucket(file if file != "~" else fn)
        by_module[key] += tt
    own = sum(by_module.values()) or 1.0
    print("where the pipeline's time goes (self time by area):")
    for key, secs in sorted(by_module.items(), key=lambda kv: -kv[1])[:10]:
        print(f"  {key:28s} {100 * secs / own:5.1f}%")
    if args.profile:
        st.sort_stats("cumulative").print_stats(25)
    return 0


def _pipeline(feeds: list[bytes], path: Path, prof: cProfile.Profile | None) -> tuple[float, int]:
    """Seconds to ingest every feed into a fresh SQLite store, and the articles stored."""
    db = Database(f"sqlite:///{path}")
    hooks = store_hooks(parse_config({}, path.parent), db)  # story clustering, as the daemon
    new = 0
    t0 = time.perf_counter()
    if prof:
        prof.enable()
    for n, data in enumerate(feeds):
        stats = ingest_payload(
            db, data, FeedSettings(feed=f"feed{n}", source="keystone-sda"), fmt="rss", hooks=hooks
        )
        new += stats.new
    if prof:
        prof.disable()
    elapsed = time.perf_counter() - t0
    db.dispose()
    return elapsed, new


def _bucket(file: str) -> str:
    markers = {
        "feedparser": "feedparser",
        "sqlalchemy": "sqlalchemy",
        "sqlite3": "sqlite (C)",
        "lxml": "lxml",
        "nh3": "nh3 (sanitiser)",
        "langid": "py3langid (language)",
        "numpy": "numpy",
        "datasketch": "datasketch",
        "/adapters/": "wire adapters",
        "/ingest/": "wire ingest",
        "/storage/": "wire storage",
        "json": "json",
        "re.Pattern": "regular expressions",
        "/re/": "regular expressions",
        "dataclasses": "dataclasses (to_dict)",
        "copy.py": "dataclasses (to_dict)",
    }
    for marker, label in markers.items():
        if marker in file:
            return label
    return "other stdlib and builtins"


if __name__ == "__main__":
    sys.exit(main())
