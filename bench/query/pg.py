"""The PostgreSQL side of the query benchmark: bulk load through COPY, then time the API.

The schema comes from the real migrations; rows are COPYed straight into the tables the
search reads (articles with their ``search_vector`` of wire's own tokens, agencies,
subjects, images). The GIN index is dropped for the load and built once at the end, the
term list (``search_terms``) filled from the vectors, then ANALYZE, as a maintained
production store would be.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from typing import Any

import psycopg

from bench.query.corpus import GenArticle
from wire.storage.search.tokens import SearchDocument

ARTICLE_COLUMNS = (
    "id, source, agencies, feed, guid, url, version, pubstatus, kicker, headline, lead, "
    "key_points, body_text, language, dateline, byline, subjects, urgency, firstcreated, "
    "versioncreated, ingested_at, updated_at, content_hash, text_hash, cluster_id, has_images, "
    "search_vector"
)


# The term list (migration i17e_pg_search_terms) of the COPYed vectors, as the migration
# backfills it: the writer would have listed every token, and a prefix search trusts the list.
TERMS_BACKFILL = (
    "INSERT INTO search_terms (term) SELECT word FROM "
    "ts_stat('SELECT search_vector FROM articles', 'ABC')"
)


def plain_url(url: str) -> str:
    """A libpq URL from an SQLAlchemy one (postgresql+psycopg://...)."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def utc(dt: datetime) -> datetime:
    return dt.replace(tzinfo=UTC)


class PgLoader:
    """Batches of generated articles COPYed into a migrated PostgreSQL store."""

    def __init__(self, url: str) -> None:
        from wire.storage.db import Database

        Database(url).dispose()  # the schema, by the real migrations
        self.conn = psycopg.connect(plain_url(url), autocommit=True)
        for table in ("images", "article_subjects", "article_agencies", "articles"):
            self.conn.execute(f"TRUNCATE {table} CASCADE")
        # The search index as the migrations define it, dropped for the load, built at the end.
        self.search_index = self.conn.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_articles_search'"
            " AND schemaname = current_schema()"
        ).fetchone()[0]  # type: ignore[index]
        self.conn.execute("DROP INDEX IF EXISTS ix_articles_search")
        self.rows: dict[str, list[tuple[Any, ...]]] = {k: [] for k in ("a", "g", "s", "i")}

    def add(
        self,
        a: GenArticle,
        doc: SearchDocument,
        version: int,
        status: str,
        last_at: datetime,
        cluster_id: str | None,
    ) -> None:
        self.rows["a"].append((
            a.id, a.source, json.dumps(a.agencies), f"{a.source}-feed", a.guid,
            f"https://www.example-wire.test/{a.n}", version, status, a.kicker, a.headline,
            a.lead, "[]", a.body, a.language, a.dateline, a.byline, json.dumps(a.subjects),
            a.urgency, utc(a.versioncreated), utc(last_at), utc(last_at), utc(last_at),
            f"{a.id}{version:040d}", f"{a.id:0<64}", cluster_id, a.image is not None,
            doc.tsvector(),
        ))  # fmt: skip
        self.rows["g"] += [(a.id, p, code) for p, code in enumerate(a.agencies)]
        self.rows["s"] += [(a.id, p, s["code"], s["name"]) for p, s in enumerate(a.subjects)]
        if a.image:
            img = a.image
            self.rows["i"].append((a.id, 0, img["href"], img["alt"], img["caption"],
                                   img["credit"], img["creator"], json.dumps(img["agencies"]),
                                   img["copyright_holder"]))  # fmt: skip

    def flush(self) -> None:
        with self.conn.cursor() as cur:
            for table, key, columns in (
                ("articles", "a", ARTICLE_COLUMNS),
                ("article_agencies", "g", "article_id, position, agency"),
                ("article_subjects", "s", "article_id, position, code, name"),
                ("images", "i", "article_id, position, href, alt, caption, credit, creator, "
                 "agencies, copyright_holder"),
            ):  # fmt: skip
                with cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in self.rows[key]:
                        copy.write_row(row)
                self.rows[key].clear()

    def replicate(self, copies: int, n: int) -> None:
        """Copies of the loaded stories up to ``n`` articles, as the SQLite store makes them
        (same ids, times shifted by k * 37 minutes)."""
        conn = self.conn
        conn.execute("CREATE TEMP TABLE orig AS SELECT id FROM articles ORDER BY versioncreated")
        distinct = conn.execute("SELECT count(*) FROM orig").fetchone()[0]  # type: ignore[index]
        cols = [c.strip() for c in ARTICLE_COLUMNS.split(",")]
        for k in range(1, copies):
            take = min(distinct, n - k * distinct)
            if take <= 0:
                break
            new = f"left(a.id, 21) || 'x' || lpad('{k}', 2, '0')"
            shift = f"interval '{k * 37} minutes'"
            src = f"FROM (SELECT id FROM orig LIMIT {take}) o JOIN articles a ON a.id = o.id"
            values = {
                "id": new,
                "guid": f"a.guid || '#{k}'",
                "content_hash": f"{new} || substr(a.content_hash, 25)",
                "text_hash": f"{new} || substr(a.text_hash, 25)",
                "cluster_id": "NULL",
                **{c: f"a.{c} + {shift}" for c in
                   ("firstcreated", "versioncreated", "ingested_at", "updated_at")},
            }  # fmt: skip
            picked = ", ".join(values.get(c, f"a.{c}") for c in cols)
            conn.execute(f"INSERT INTO articles ({ARTICLE_COLUMNS}) SELECT {picked} {src}")
            for table, child in (
                ("article_agencies", "position, agency"),
                ("article_subjects", "position, code, name"),
                ("images", "position, href, alt, caption, credit, creator, agencies, "
                           "copyright_holder"),
            ):  # fmt: skip
                got = ", ".join(f"c.{c.strip()}" for c in child.split(","))
                conn.execute(
                    f"INSERT INTO {table} (article_id, {child}) SELECT {new}, {got} "
                    f"{src} JOIN {table} c ON c.article_id = a.id"
                )

    def finish(self) -> None:
        self.flush()
        t = time.perf_counter()
        self.conn.execute("SET maintenance_work_mem = '512MB'")
        self.conn.execute(self.search_index)
        print(f"  PostgreSQL GIN index {time.perf_counter() - t:.0f} s", flush=True)
        t = time.perf_counter()
        self.conn.execute("TRUNCATE search_terms")
        self.conn.execute(TERMS_BACKFILL)
        print(f"  PostgreSQL search_terms {time.perf_counter() - t:.0f} s; ANALYZE", flush=True)
        t = time.perf_counter()
        self.conn.execute("VACUUM ANALYZE articles")
        self.conn.execute("ANALYZE")
        print(f"  PostgreSQL VACUUM ANALYZE {time.perf_counter() - t:.0f} s", flush=True)
        self.conn.close()
