"""Query benchmark: the API's searches, filters and /changes pages on a large embedded store.

    python bench/query/run.py                 # 1,000,000 articles (builds once, ~10 min)
    python bench/query/run.py --n 50000       # a quick run
    python bench/query/run.py --db /tmp/x.db --rebuild --repeat 100

1. Build: the schema comes from the real migrations; then generated, real-shaped articles
   (bench/query/corpus.py) are bulk-inserted straight into every table the writer fills
   (articles, agencies, subjects, images, versions with their JSON records, the change feed,
   clusters, the FTS5 index) -- the pipeline is not in the loop. 5 % of articles get a second
   version, 2 % are killed, 15 % sit in story clusters. The FTS index is optimised and the
   planner statistics gathered (ANALYZE), as a maintained production store would be.
2. Measure: each query runs --repeat times with varying values, over HTTP against the API
   served by uvicorn in its own process as ``wire serve`` runs it (keep-alive client; auth
   off; routing, query layer, ninjs rendering, JSON) and, in the same run, as the
   equivalent raw SQL on a plain sqlite3 connection (the baseline: same rows, same order,
   same page size). p50/p95 in milliseconds and their ratio.

Target: p95 under 50 ms for a search on 1M articles.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from bench.query.corpus import LAST, TOPICS, Corpus, GenArticle  # noqa: E402

BATCH = 5000
PAGE = 50


def ts(dt: datetime) -> str:
    """The text SQLAlchemy stores for a naive-UTC datetime on SQLite."""
    return dt.strftime("%Y-%m-%d %H:%M:%S.%f")


def iso(dt: datetime) -> str:
    return dt.replace(tzinfo=UTC).isoformat().replace("+00:00", "Z")


def record(a: GenArticle, version: int, pubstatus: str, when: datetime) -> dict[str, Any]:
    """The canonical record (Article.to_dict() shape) of one version."""
    return {
        "guid": a.guid, "feed": f"{a.source}-feed", "id": a.id, "source": a.source,
        "agencies": a.agencies, "url": f"https://www.example-wire.test/{a.n}", "version": version,
        "pubstatus": pubstatus, "kicker": a.kicker, "headline": a.headline, "lead": a.lead,
        "key_points": [], "body_text": a.body, "body_html": None, "language": a.language,
        "dateline": a.dateline, "byline": a.byline, "subjects": a.subjects,
        "urgency": a.urgency, "firstcreated": iso(a.versioncreated), "versioncreated": iso(when),
        "ingested_at": iso(when), "images": [a.image] if a.image else [],
        "content_hash": f"{a.id}{version:040d}", "cluster_id": None, "sightings": [],
    }  # fmt: skip


def build(
    path: Path, n: int, seed: int, pg_url: str | None = None, distinct: int | None = None
) -> None:
    """The SQLite store at ``path`` and, with ``pg_url``, the same articles in PostgreSQL.

    With ``distinct`` < ``n``, that many stories are generated and the store is filled up to
    ``n`` with copies of them (new ids, times shifted by k * 37 minutes) made in SQL: the
    index and match counts of ``n`` articles, at a fraction of the build time.
    """
    distinct = min(n, distinct or n)
    copies = -(-n // distinct)
    from bench.query.pg import PgLoader
    from wire.storage.db import Database
    from wire.storage.search.tokens import search_document

    pg = PgLoader(pg_url) if pg_url else None

    if path.exists():
        path.unlink()
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    Database(f"sqlite:///{path}").dispose()  # the schema, by the real migrations
    con = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-2000000",
                   "temp_store=MEMORY", "foreign_keys=OFF"):  # fmt: skip
        con.execute(f"PRAGMA {pragma}")
    corpus = Corpus(seed)
    rng = random.Random(seed + 1)
    events: list[tuple[str, str, int, str, str, str]] = []  # (at, id, version, kind, status, src)
    open_clusters: dict[tuple[str, int], tuple[str, datetime, int]] = {}
    started = time.perf_counter()
    rows: dict[str, list[tuple[Any, ...]]] = defaultdict(list)

    def flush() -> None:
        con.execute("BEGIN")
        for sql, key in (
            ("INSERT INTO articles (id, source, agencies, feed, guid, url, version, pubstatus, "
             "kicker, headline, lead, key_points, body_text, body_html, language, dateline, "
             "byline, subjects, urgency, firstcreated, versioncreated, ingested_at, updated_at, "
             "content_hash, text_hash, cluster_id, has_images) VALUES "
             "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", "articles"),
            ("INSERT INTO article_agencies (article_id, position, agency) VALUES (?,?,?)",
             "agencies"),
            ("INSERT INTO article_subjects (article_id, position, code, name) VALUES (?,?,?,?)",
             "subjects"),
            ("INSERT INTO images (article_id, position, href, alt, caption, credit, creator, "
             "agencies, copyright_holder) VALUES (?,?,?,?,?,?,?,?,?)", "images"),
            ("INSERT INTO article_versions (article_id, version, content_hash, pubstatus, "
             "versioncreated, ingested_at, record) VALUES (?,?,?,?,?,?,?)", "versions"),
            ("INSERT INTO articles_fts (article_id, headline, lead, body) VALUES (?,?,?,?)",
             "fts"),
            ("INSERT OR REPLACE INTO clusters (id, language, created_at, updated_at, size) "
             "VALUES (?,?,?,?,?)", "clusters"),
            ("INSERT INTO cluster_members (article_id, cluster_id, matched_article_id, similarity, "
             "joined_at) VALUES (?,?,?,?,?)", "members"),
        ):  # fmt: skip
            con.executemany(sql, rows[key])
        con.execute("COMMIT")
        rows.clear()
        if pg:
            pg.flush()

    for i in range(distinct):
        a = corpus.article(i, distinct)
        vc = a.versioncreated
        fate = rng.random()
        versions = [(1, "usable", vc)]
        if fate < 0.05:
            versions.append((2, "usable", vc + timedelta(minutes=rng.randint(5, 240))))
        elif fate < 0.07:
            versions.append((2, "canceled", vc + timedelta(minutes=rng.randint(5, 600))))
        elif fate < 0.08:
            versions[0] = (1, "withheld", vc)
        last_v, status, last_at = versions[-1]
        cluster_id = None
        key = (a.language, a.topic)
        if rng.random() < 0.15:
            current = open_clusters.get(key)
            if current and vc - current[1] < timedelta(days=1) and current[2] < 6:
                cluster_id = current[0]
                open_clusters[key] = (cluster_id, current[1], current[2] + 1)
                rows["members"].append((a.id, cluster_id, current[0][2:], 0.6, ts(vc)))
            else:
                cluster_id = f"c-{a.id}"
                open_clusters[key] = (cluster_id, vc, 1)
                rows["members"].append((a.id, cluster_id, None, None, ts(vc)))
            size = open_clusters[key][2]
            rows["clusters"].append((cluster_id, a.language, ts(vc), ts(vc), size))
        rows["articles"].append((
            a.id, a.source, json.dumps(a.agencies), f"{a.source}-feed", a.guid,
            f"https://www.example-wire.test/{a.n}", last_v, status, a.kicker, a.headline, a.lead,
            "[]", a.body, None, a.language, a.dateline, a.byline, json.dumps(a.subjects),
            a.urgency, ts(vc), ts(last_at), ts(last_at), ts(last_at), f"{a.id}{last_v:040d}",
            f"{a.id:0<64}", cluster_id, int(a.image is not None),
        ))  # fmt: skip
        rows["agencies"] += [(a.id, p, code) for p, code in enumerate(a.agencies)]
        rows["subjects"] += [(a.id, p, s["code"], s["name"]) for p, s in enumerate(a.subjects)]
        if a.image:
            img = a.image
            rows["images"].append((a.id, 0, img["href"], img["alt"], img["caption"],
                                   img["credit"], img["creator"], json.dumps(img["agencies"]),
                                   img["copyright_holder"]))  # fmt: skip
        for version, pubstatus, when in versions:
            rec = record(a, version, pubstatus, when)
            rows["versions"].append((a.id, version, rec["content_hash"], pubstatus, ts(when),
                                     ts(when), json.dumps(rec, ensure_ascii=False)))  # fmt: skip
            kind = "new" if version == 1 else ("kill" if pubstatus == "canceled" else "update")
            if pubstatus == "withheld":
                kind = "withhold"
            events.append((ts(when), a.id, version, kind, pubstatus, a.source))
        doc = search_document(kicker=a.kicker, headline=a.headline, lead=a.lead, key_points=[],
                              body=a.body, language=a.language)  # fmt: skip
        rows["fts"].append((a.id, *doc.fts5_columns()))
        if pg:
            pg.add(a, doc, last_v, status, last_at, cluster_id)
        if (i + 1) % BATCH == 0:
            flush()
            if (i + 1) % (BATCH * 20) == 0:
                rate = (i + 1) / (time.perf_counter() - started)
                print(f"  {i + 1:>9,} articles  {rate:,.0f}/s", flush=True)
    flush()
    events.sort()
    con.execute("BEGIN")
    con.executemany(
        "INSERT INTO changes (seq, article_id, version, kind, pubstatus, source, at) "
        "VALUES (?,?,?,?,?,?,?)",
        ((seq, aid, v, kind, st, src, at) for seq, (at, aid, v, kind, st, src) in
         enumerate(events, start=1)),
    )  # fmt: skip
    con.execute("COMMIT")
    print(f"  rows written in {time.perf_counter() - started:.0f} s", flush=True)
    if copies > 1:
        t = time.perf_counter()
        replicate_sqlite(con, copies, n)
        print(f"  SQLite copies to {n:,} in {time.perf_counter() - t:.0f} s", flush=True)
        if pg:
            t = time.perf_counter()
            pg.replicate(copies, n)
            print(f"  PostgreSQL copies to {n:,} in {time.perf_counter() - t:.0f} s", flush=True)
    print("  optimising FTS", flush=True)
    t = time.perf_counter()
    con.execute("INSERT INTO articles_search(articles_search) VALUES ('optimize')")
    print(f"  FTS optimize {time.perf_counter() - t:.0f} s; ANALYZE", flush=True)
    t = time.perf_counter()
    con.execute("ANALYZE")
    print(f"  ANALYZE {time.perf_counter() - t:.0f} s", flush=True)
    con.execute("PRAGMA journal_mode=WAL")
    con.close()
    if pg:
        pg.finish()


COPY_ID = "substr(a.id, 1, 21) || printf('x%02d', :k)"  # x: never a hex digit


def replicate_sqlite(con: sqlite3.Connection, copies: int, n: int) -> None:
    """Copies of the generated stories (articles, agencies, subjects, pictures, search
    tokens) until the store holds ``n``; each copy is newer by k * 37 minutes."""
    con.execute("CREATE TEMP TABLE orig AS SELECT id FROM articles ORDER BY versioncreated")
    distinct = con.execute("SELECT count(*) FROM orig").fetchone()[0]
    for k in range(1, copies):
        take = min(distinct, n - k * distinct)
        if take <= 0:
            break
        new = COPY_ID.replace(":k", str(k))
        shift = f"'+{k * 37} minutes'"
        when = "strftime('%Y-%m-%d %H:%M:%S', a.{c}, " + shift + ") || substr(a.{c}, 20)"
        src = f"FROM (SELECT id FROM orig LIMIT {take}) o JOIN articles a ON a.id = o.id"
        con.execute("BEGIN")
        con.execute(
            f"INSERT INTO articles (id, source, agencies, feed, guid, url, version, pubstatus, "
            f"kicker, headline, lead, key_points, body_text, body_html, language, dateline, "
            f"byline, subjects, urgency, firstcreated, versioncreated, ingested_at, updated_at, "
            f"content_hash, text_hash, cluster_id, has_images) "
            f"SELECT {new}, a.source, a.agencies, a.feed, a.guid || '#{k}', a.url, a.version, "
            f"a.pubstatus, a.kicker, a.headline, a.lead, a.key_points, a.body_text, "
            f"a.body_html, a.language, a.dateline, a.byline, a.subjects, a.urgency, "
            f"{when.format(c='firstcreated')}, {when.format(c='versioncreated')}, "
            f"{when.format(c='ingested_at')}, {when.format(c='updated_at')}, "
            f"{new} || substr(a.content_hash, 25), {new} || substr(a.text_hash, 25), NULL, "
            f"a.has_images {src}"
        )
        for table, cols in (
            ("article_agencies", "position, agency"),
            ("article_subjects", "position, code, name"),
            ("images", "position, href, alt, caption, credit, creator, agencies, "
                       "copyright_holder"),
        ):  # fmt: skip
            picked = ", ".join(f"c.{c.strip()}" for c in cols.split(","))
            con.execute(
                f"INSERT INTO {table} (article_id, {cols}) SELECT {new}, {picked} "
                f"{src} JOIN {table} c ON c.article_id = a.id"
            )
        con.execute(
            f"INSERT INTO articles_fts (article_id, headline, lead, body) "
            f"SELECT {new}, f.headline, f.lead, f.body {src} JOIN articles_fts f "
            f"ON f.article_id = a.id"
        )
        con.execute("COMMIT")
        print(f"  copy {k}: {distinct * k + take:,} articles", flush=True)


# --- measuring ----------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed_pairs(
    pairs: list[tuple[Callable[[], Any], Callable[[], Any]]],
) -> tuple[list[float], list[float]]:
    """Milliseconds of each (API call, SQL call) pair, interleaved in alternating order.

    Both sides of a pair read the same rows; alternating who goes first gives neither a
    warmer cache. The first pair only warms up and is not timed.
    """
    api_ms: list[float] = []
    sql_ms: list[float] = []
    for i, (api, sql) in enumerate(pairs):
        order = [(api, api_ms), (sql, sql_ms)]
        for call, out in order if i % 2 else reversed(order):
            t = time.perf_counter()
            call()
            if i:
                out.append((time.perf_counter() - t) * 1000)
    return api_ms, sql_ms


NEWEST_SQL = (
    "SELECT a.* FROM articles a WHERE a.versioncreated IS NOT NULL AND a.pubstatus = 'usable' "
    "{where} "
    "ORDER BY a.versioncreated DESC, a.id DESC LIMIT ?"
)
AGENCY = "EXISTS (SELECT 1 FROM article_agencies g WHERE g.article_id = a.id AND g.agency = ?)"
SUBJECT = "EXISTS (SELECT 1 FROM article_subjects s WHERE s.article_id = a.id AND s.code = ?)"
CHANGES_SQL = (
    "SELECT c.*, v.record FROM changes c LEFT JOIN article_versions v "
    "ON v.article_id = c.article_id AND v.version = c.version "
    "WHERE c.seq > ? ORDER BY c.seq LIMIT ?"
)
# The naive ranked search (every match scored, joined and sorted with its row): for contrast.
NAIVE_SQL = (
    "SELECT a.* FROM (SELECT rowid AS r, bm25(articles_search, 10, 4, 1, 0) AS score "
    "FROM articles_search WHERE articles_search MATCH ?) f JOIN article_keys k ON k.key = f.r "
    "JOIN articles a ON a.id = k.article_id ORDER BY f.score, f.r LIMIT ?"
)
Baseline = Callable[[sqlite3.Connection], list[Any]]
Case = tuple[dict[str, Any], Baseline]  # API parameters, the same query in raw SQL


def fts(q: str, **filters: Any) -> str:
    """The FTS5 expression the query layer builds (words in the text, filters as tags,
    usable stories only)."""
    from wire.storage.filters import ArticleQuery
    from wire.storage.search.fts5 import fts_query

    return fts_query(ArticleQuery(q=q, **{k: (v,) for k, v in filters.items()}))


def words(q: str, **filters: Any) -> str:
    """The FTS5 expression of the words alone (what the tiers match by column)."""
    from wire.storage.filters import ArticleQuery
    from wire.storage.search.fts5 import render
    from wire.storage.search.matching import to_match

    query = ArticleQuery(q=q, **{k: (v,) for k, v in filters.items()})
    assert query.parsed is not None
    return render(to_match(query.parsed, query.stem_languages))


def rows_of_keys(raw: sqlite3.Connection, keys: list[int]) -> list[Any]:
    marks = ",".join("?" * len(keys))
    return raw.execute(
        f"SELECT a.* FROM article_keys k JOIN articles a ON a.id = k.article_id "
        f"WHERE k.key IN ({marks})", keys
    ).fetchall()  # fmt: skip


def relevance_sql(match: str, words: str, tagged: bool = False) -> Baseline:
    """The plan wire.storage.search.fts5 runs for ranked search on SQLite, as plain statements:
    the window's cut, then each tier (headline; lead only; body only) newest first until
    the page is full."""
    from wire.storage.search.fts5 import RANK_WINDOW, RANK_WINDOW_FILTERED

    window = RANK_WINDOW_FILTERED if tagged else RANK_WINDOW
    head, lead = f"{{headline}} : ({words})", f"{{lead}} : ({words})"
    tiers = (
        f"({match}) AND ({head})",
        f"(({match}) AND ({lead})) NOT ({head})",
        f"({match}) NOT (({head}) OR ({lead}))",
    )

    def run(raw: sqlite3.Connection) -> list[Any]:
        top = raw.execute("SELECT max(key) FROM article_keys").fetchone()[0]
        row = raw.execute(
            "SELECT rowid FROM articles_search WHERE articles_search MATCH ? "
            f"ORDER BY rowid DESC LIMIT 1 OFFSET {window - 1}", (match,)
        ).fetchone()  # fmt: skip
        cut = row[0] if row else 0
        keys: list[int] = []
        for tier in tiers:
            keys += [r for (r,) in raw.execute(
                "SELECT rowid FROM articles_search WHERE articles_search MATCH ? "
                "AND rowid BETWEEN ? AND ? ORDER BY rowid DESC LIMIT ?",
                (tier, cut, top, PAGE + 1 - len(keys)),
            )]  # fmt: skip
            if len(keys) > PAGE:
                break
        return rows_of_keys(raw, keys)

    return run


def newest_text_sql(match: str) -> Baseline:
    """Newest-first text search as wire.storage.search.fts5 plans it (time-index walk or
    join+sort)."""
    from wire.storage.search.fts5 import NEWEST_SCAN_FROM

    def run(raw: sqlite3.Connection) -> list[Any]:
        many = raw.execute(
            "SELECT rowid FROM articles_search WHERE articles_search MATCH ? "
            f"LIMIT 1 OFFSET {NEWEST_SCAN_FROM}", (match,)
        ).fetchone()  # fmt: skip
        if many is not None:
            source = (
                "FROM article_keys k INDEXED BY ix_article_keys_versioncreated WHERE k.key "
                "IN (SELECT rowid FROM articles_search WHERE articles_search MATCH ?)"
            )
        else:
            source = ("FROM articles_search s JOIN article_keys k ON k.key = s.rowid "
                      "WHERE articles_search MATCH ?")  # fmt: skip
        keys = [r[0] for r in raw.execute(
            f"SELECT k.key {source} AND k.versioncreated IS NOT NULL AND k.pubstatus = 'usable' "
            f"ORDER BY k.versioncreated DESC, k.article_id DESC LIMIT {PAGE + 1}", (match,)
        )]  # fmt: skip
        return rows_of_keys(raw, keys)

    return run


def plain_sql(sql: str, args: tuple[Any, ...]) -> Baseline:
    return lambda raw: raw.execute(sql, args).fetchall()


class Cases:
    """Query generators: each call gives the API parameters and the same query in raw SQL."""

    def __init__(self, raw: sqlite3.Connection, seed: int) -> None:
        self.raw = raw
        self.rng = random.Random(seed)
        self.people = Corpus(seed).people
        self.surnames = LAST[:60]
        self.de_topic = [w for t in TOPICS["de"] for w in t.split()]
        self.en_topic = [w for t in TOPICS["en"] for w in t.split()]
        self.clusters = [r[0] for r in raw.execute(
            "SELECT id FROM clusters WHERE size >= 3 ORDER BY id LIMIT 500")]  # fmt: skip
        lo, hi = raw.execute(
            "SELECT min(versioncreated), max(versioncreated) FROM articles"
        ).fetchone()
        self.first = datetime.fromisoformat(lo)
        self.span = datetime.fromisoformat(hi) - self.first

    def _search(self, q: str) -> Case:
        return {"q": q}, relevance_sql(fts(q), words(q))

    def rare_name(self) -> Case:  # a full name far down the Zipf curve: a few stories
        return self._search(f'"{self.rng.choice(self.people[len(self.people) // 3 :])}"')

    def surname(self) -> Case:
        return self._search(self.rng.choice(self.surnames))

    def topic_word(self) -> Case:
        return self._search(self.rng.choice(self.de_topic))

    def two_words(self) -> Case:
        return self._search(f"{self.rng.choice(self.de_topic)} {self.rng.choice(self.surnames)}")

    def common_word(self) -> Case:
        return self._search(self.rng.choice(["Regierung", "Bundesrat", "Prozent", "Schweiz"]))

    def word_language_agency(self) -> Case:
        q = self.rng.choice(self.en_topic)
        params = {"q": q, "language": "en", "agency": "reuters"}
        return params, relevance_sql(fts(q, language="en", agency="reuters"), words(q), tagged=True)

    def search_newest(self) -> Case:
        q = self.rng.choice(self.surnames)
        return {"q": q, "sort": "newest"}, newest_text_sql(fts(q))

    def newest(self) -> Case:
        return {}, plain_sql(NEWEST_SQL.format(where=""), (PAGE + 1,))

    def agency(self) -> Case:
        g = self.rng.choice(["dpa", "afp", "reuters", "apa"])
        return {"agency": g}, plain_sql(NEWEST_SQL.format(where=f"AND {AGENCY}"), (g, PAGE + 1))

    def subject_language(self) -> Case:
        sql = NEWEST_SQL.format(where=f"AND a.language = ? AND {SUBJECT}")
        params = {"subject": "medtop:04000000", "language": "fr"}
        return params, plain_sql(sql, ("fr", "medtop:04000000", PAGE + 1))

    def one_day(self) -> Case:
        start = self.first + self.span * self.rng.random()
        end = start + timedelta(days=1)
        sql = NEWEST_SQL.format(where="AND a.versioncreated >= ? AND a.versioncreated < ?")
        params = {"since": iso(start), "until": iso(end)}
        return params, plain_sql(sql, (ts(start), ts(end), PAGE + 1))

    def cluster(self) -> Case:
        c = self.rng.choice(self.clusters)
        sql = NEWEST_SQL.format(where="AND a.cluster_id = ?")
        return {"cluster": c}, plain_sql(sql, (c, PAGE + 1))

    def deep_page(self) -> Case:
        """The next page after a random point of the newest-first order (a real cursor)."""
        from wire.storage.filters import ArticleQuery
        from wire.storage.paging import encode_cursor

        when = self.first + self.span * self.rng.random()
        vc, aid = self.raw.execute(
            "SELECT versioncreated, id FROM articles WHERE versioncreated <= ? "
            "ORDER BY versioncreated DESC, id DESC LIMIT 1", (ts(when),)
        ).fetchone()  # fmt: skip
        key = [iso(datetime.fromisoformat(vc)), aid]
        cursor = encode_cursor("newest", key, ArticleQuery().fingerprint())
        sql = NEWEST_SQL.format(where="AND (a.versioncreated, a.id) < (?, ?)")
        return {"cursor": cursor}, plain_sql(sql, (vc, aid, PAGE + 1))


def serve(url: str, port: int) -> None:
    """The API over the bench store, as ``wire serve`` runs it (a separate process)."""
    import logging

    import uvicorn

    from wire.api.app import create_app
    from wire.config import ApiConfig, Config, StorageConfig
    from wire.storage.db import Database

    config = Config(storage=StorageConfig(url=url), api=ApiConfig(auth=False))
    logging.disable(logging.INFO)
    # The store as the build left it: serving it never migrates it (another checkout, at
    # another revision, may be measuring the same store).
    app = create_app(config, Database(url, create=False))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


@contextmanager
def server(url: str, root: str | None = None) -> Iterator[httpx.Client]:
    """A uvicorn process serving the API on a free loopback port, and a keep-alive client;
    ``root``: another checkout's code (bench/query/render.py serves an older commit)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    script = f"{root}/bench/query/run.py" if root else __file__
    proc = subprocess.Popen(
        [sys.executable, script, "--serve", url, "--port", str(port)],
        cwd=root or ROOT,
        env={**os.environ, "PYTHONPATH": root or str(ROOT)},
    )
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60)
    try:
        for _ in range(600):
            try:
                if client.get("/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise RuntimeError("the API server did not start")
        yield client
    finally:
        client.close()
        proc.terminate()
        proc.wait(timeout=30)


def measure(path: Path, repeat: int, seed: int) -> None:
    with server(f"sqlite:///{path}") as client:
        run_cases(client, path, repeat, seed)


def run_cases(client: httpx.Client, path: Path, repeat: int, seed: int) -> None:
    from wire.api.app import SQLITE_CACHE_KIB, SQLITE_MMAP_BYTES

    raw = sqlite3.connect(path)
    # The baseline connection gets the same cache and memory map as the API's connections.
    raw.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    raw.execute(f"PRAGMA mmap_size = {SQLITE_MMAP_BYTES}")
    n = raw.execute("SELECT count(*) FROM articles").fetchone()[0]
    latest = raw.execute("SELECT max(seq) FROM changes").fetchone()[0]
    cases = Cases(raw, seed)
    plan: list[tuple[str, Callable[[], Case]]] = [
        ("search: rare full name (phrase)", cases.rare_name),
        ("search: surname", cases.surname),
        ("search: topic word", cases.topic_word),
        ("search: two words", cases.two_words),
        ("search: word + language + agency", cases.word_language_agency),
        ("search: very common word", cases.common_word),
        ("search: surname, newest first", cases.search_newest),
        ("list: newest", cases.newest),
        ("filter: agency", cases.agency),
        ("filter: subject + language", cases.subject_language),
        ("filter: one day (since/until)", cases.one_day),
        ("filter: cluster", cases.cluster),
        ("page: keyset deep in the archive", cases.deep_page),
    ]
    print(f"\n{n:,} articles, {latest:,} changes; {repeat} runs per query, page size {PAGE}")
    print("API: HTTP to uvicorn (wire serve); SQL: the same plan as raw sqlite3 statements")
    header = f"{'query':36} {'rows':>5} {'API p50':>8} {'p95':>7} {'SQL p50':>8} {'p95':>7}"
    print(f"{header} {'ratio p50':>9} {'p95':>6}")
    for name, make in plan:
        made = [make() for _ in range(repeat + 1)]
        time_articles(client, name, [(p, lambda b=b: b(raw)) for p, b in made])

    for name, pick, limit in (
        ("changes: page of 100 anywhere", lambda: random.randrange(latest - 100), 100),
        ("changes: tail (last 20)", lambda: latest - 20, 50),
    ):
        afters = [pick() for _ in range(repeat + 1)]
        api_ms, sql_ms = timed_pairs([
            (lambda a=a, n=limit: client.get("/changes", params={"after": a, "limit": n}),
             lambda a=a, n=limit: raw.execute(CHANGES_SQL, (a, n)).fetchall())
            for a in afters
        ])  # fmt: skip
        report(name, limit if "anywhere" in name else 20, api_ms, sql_ms)

    print("\nfor contrast, the naive ranked query (every match scored, joined and sorted):")
    for name, words in (("topic word", cases.de_topic), ("very common word", ["Regierung"])):
        picks = [fts(cases.rng.choice(words)) for _ in range(min(repeat, 10) + 1)]
        raw.execute(NAIVE_SQL, (picks[0], PAGE + 1)).fetchall()  # warm-up
        ms = []
        for m in picks[1:]:
            t = time.perf_counter()
            raw.execute(NAIVE_SQL, (m, PAGE + 1)).fetchall()
            ms.append((time.perf_counter() - t) * 1000)
        print(f"  {name:34} p50 {percentile(ms, 0.5):7.1f} ms  p95 {percentile(ms, 0.95):7.1f} ms")
    raw.close()


def time_articles(
    client: httpx.Client, name: str, cases: list[tuple[dict[str, Any], Callable[[], Any]]]
) -> None:
    """Time ``/articles`` with each case's parameters beside its baseline call; report."""
    rows: list[int] = []

    def api(params: dict[str, Any]) -> None:
        r = client.get("/articles", params={**params, "limit": PAGE})
        assert r.status_code == 200, r.text
        rows.append(len(r.json()["items"]))

    api_ms, base_ms = timed_pairs([(lambda p=p: api(p), base) for p, base in cases])
    report(name, statistics.mean(rows), api_ms, base_ms)


def measure_pg(url: str, repeat: int, seed: int) -> None:
    """PostgreSQL: the API over HTTP beside the query layer's own id query (same SQL, no
    loading, rendering or HTTP) on a session of its own, each query --repeat times."""
    from sqlalchemy import text

    from wire.storage.db import Database
    from wire.storage.filters import ArticleQuery
    from wire.storage.reads import find_ids

    corpus = Corpus(seed)
    rng = random.Random(seed)
    surnames, people = LAST[:60], corpus.people
    de_topic = [w for t in TOPICS["de"] for w in t.split()]
    en_topic = [w for t in TOPICS["en"] for w in t.split()]
    plan: list[tuple[str, Callable[[], dict[str, Any]]]] = [
        ("word: surname (~1 %)", lambda: {"q": rng.choice(surnames)}),
        ("word: topic word (~4 %)", lambda: {"q": rng.choice(de_topic)}),
        ("word: very common (~16 %)", lambda: {"q": rng.choice(["Regierung", "Prozent"])}),
        ("phrase: rare full name", lambda: {"q": f'"{rng.choice(people[len(people) // 3 :])}"'}),
        ("phrase: common full name", lambda: {"q": f'"{rng.choice(people[:20])}"'}),
        ("prefix: surname start*", lambda: {"q": rng.choice(surnames)[:5] + "*"}),
        ("two words", lambda: {"q": f"{rng.choice(de_topic)} {rng.choice(surnames)}"}),
        ("filtered: word + language + agency",
         lambda: {"q": rng.choice(en_topic), "language": "en", "agency": "reuters"}),
        ("filtered: surname + language", lambda: {"q": rng.choice(surnames), "language": "fr"}),
        ("word OR word NOT word",
         lambda: {"q": f"({rng.choice(surnames)} OR {rng.choice(surnames)}) -Regierung"}),
        ("surname, newest first", lambda: {"q": rng.choice(surnames), "sort": "newest"}),
        ("list: newest", lambda: {}),
    ]  # fmt: skip
    db = Database(url, create=False)
    with db.reader() as s:
        n = s.execute(text("SELECT count(*) FROM articles")).scalar_one()
    print(f"\nPostgreSQL: {n:,} articles; {repeat} runs per query, page size {PAGE}")
    print("API: HTTP to uvicorn (wire serve); ids: the query layer's id query alone")
    header = f"{'query':36} {'rows':>5} {'API p50':>8} {'p95':>7} {'ids p50':>8} {'p95':>7}"
    print(f"{header} {'ratio p50':>9} {'p95':>6}")

    def ids(params: dict[str, Any]) -> None:
        query = ArticleQuery(**{k: (v,) if k in ("language", "agency") else v
                                for k, v in params.items()})  # fmt: skip
        with db.reader() as s:
            find_ids(s, query, limit=PAGE)

    with server(url) as client:
        for name, make in plan:
            made = [make() for _ in range(repeat + 1)]
            time_articles(client, name, [(p, lambda p=p: ids(p)) for p in made])
    db.dispose()


def report(name: str, rows: float, api_ms: list[float], sql_ms: list[float]) -> None:
    a50, a95 = percentile(api_ms, 0.5), percentile(api_ms, 0.95)
    s50, s95 = percentile(sql_ms, 0.5), percentile(sql_ms, 0.95)
    print(
        f"{name:36} {rows:5.0f} {a50:8.1f} {a95:7.1f} {s50:8.1f} {s95:7.1f} "
        f"{a50 / s50 if s50 else 0:8.1f}x {a95 / s95 if s95 else 0:5.1f}x",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="articles to generate")
    parser.add_argument("--db", type=Path, help="database file (default: /tmp/wire-bench-N.db)")
    parser.add_argument("--rebuild", action="store_true", help="build even if the file exists")
    parser.add_argument("--repeat", type=int, default=50, help="runs per query")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--pg", help="also build and measure PostgreSQL at this URL (its tables are replaced)"
    )
    parser.add_argument("--only-pg", action="store_true", help="measure PostgreSQL only")
    parser.add_argument(
        "--distinct", type=int, help="generate this many stories, copy them up to --n"
    )
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.port)
        return
    path = args.db or Path(f"/tmp/wire-bench-query-{args.n}.db")
    if args.rebuild or not path.exists():
        print(f"building {path} with {args.n:,} articles", flush=True)
        t = time.perf_counter()
        build(path, args.n, args.seed, args.pg, args.distinct)
        size = path.stat().st_size / 2**30
        print(f"built in {time.perf_counter() - t:.0f} s, SQLite {size:.1f} GiB", flush=True)
    if not args.only_pg:
        measure(path, args.repeat, args.seed)
    if args.pg:
        measure_pg(args.pg, args.repeat, args.seed)


if __name__ == "__main__":
    main()
