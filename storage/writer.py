"""Writes: articles with their version history, images, sightings, the change feed, raw and rejects.

Every function takes an open session; the caller owns the transaction, so one batch commits
(or rolls back) as a whole and the change-feed rows commit with the changes they describe.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any, Literal

from sqlalchemy import (
    Column,
    Connection,
    Integer,
    MetaData,
    Table,
    bindparam,
    cast,
    delete,
    literal,
    null,
    select,
    text,
    union_all,
    update,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session
from sqlalchemy.sql import sqltypes

from wire.record import Article
from wire.storage import feedseq
from wire.storage.db import dialect_insert
from wire.storage.models import (
    ArticleAgency,
    ArticleLink,
    ArticleRow,
    ArticleSubject,
    ArticleVersion,
    Change,
    HeldChange,
    ImageRow,
    PurgedArticle,
    RawItem,
    Reject,
    SightingRow,
    UTCDateTime,
    utcnow,
)
from wire.storage.search.terms import record_terms
from wire.storage.search.tokens import SearchDocument, search_document, tombstone_document

Outcome = Literal["new", "updated", "unchanged", "duplicate", "stale", "purged"]
# pg advisory lock id of the feed's maintenance (embargo release, retention), never taken by
# writers; the second key is the schema, so stores in other schemas never wait for each other.
CHANGE_LOCK = 727173


@dataclass(frozen=True)
class StoreResult:
    outcome: Outcome
    article_id: str  # the stored article (for a duplicate: the article it duplicates)
    version: int
    seq: int | None = None  # change-feed sequence number, when the store changed (not held)
    # The article this one's guid was first sighted as a copy of, or the same agency's item it
    # re-sent under a new guid and headline: the clusterer puts it in that article's cluster.
    duplicate_of: str | None = None


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def core(executor: Session | Connection) -> Connection:
    """The connection of the caller's transaction, for Core statements.

    Core statements on the connection skip the ORM's per-statement work, which costs several
    times the statement itself for these small writes. A session is flushed first, as an ORM
    statement's autoflush would.
    """
    if isinstance(executor, Connection):
        return executor
    if executor.autoflush:
        executor.flush()
    return executor.connection()


@cache
def _insert_stmt(table: Table) -> Any:
    """A plain INSERT of ``table``, built once (its compiled form is cached by the engine)."""
    return table.insert()


def insert_rows(conn: Connection, model: Any, rows: list[dict[str, Any]]) -> None:
    """One executemany INSERT of ``rows`` (all with the same keys) into ``model``'s table.

    Rows hold a value for every column they name (never None for a column with a default,
    which the ORM's bulk insert would leave to the default). On SQLite the rows go to the
    driver as tuples (:func:`_driver_insert`), with the values SQLAlchemy would have bound.
    """
    if not rows:
        return
    table = model.__table__
    plan = _driver_insert(conn.dialect, table, tuple(rows[0])) if _is_sqlite(conn) else None
    if plan is None:
        conn.execute(_insert_stmt(table), rows)
        return
    sql, bind = plan
    conn.exec_driver_sql(sql, bind(rows))


def _is_sqlite(conn: Connection) -> bool:
    return conn.dialect.name == "sqlite"


Binder = Callable[[list[dict[str, Any]]], list[tuple[Any, ...]]]


@cache
def _driver_insert(
    dialect: Dialect, table: Table, keys: tuple[str, ...]
) -> tuple[str, Binder] | None:
    """The SQL text of ``table``'s INSERT of the columns ``keys`` and the function that makes
    the driver's parameter tuples of a list of rows, both taken from SQLAlchemy's own
    compiled statement (its parameter order, its columns' bind processors), so the driver
    gets the very values ``Connection.execute`` would pass it.

    Why: for a batch's thousands of rows, SQLAlchemy's executemany builds a processed dict
    and then a tuple of every row through its generic machinery (about a third of the store
    path's Python in a fresh ``run --once``); here a row is one tuple display. None when the
    statement needs more than its values (a Python-side default of a column the rows leave
    out, a named or expanding parameter): then the caller goes through SQLAlchemy.
    """
    compiled: Any = _insert_stmt(table).compile(dialect=dialect, column_keys=list(keys))
    positions = compiled.positiontup
    # A private attribute of SQLAlchemy 2.0's compiler: a version without it goes through
    # SQLAlchemy (the tests compare both paths' rows, so a changed meaning shows there).
    bind_processors: dict[str, Callable[[Any], Any]] | None = getattr(
        compiled, "_bind_processors", None
    )
    if (
        bind_processors is None
        or compiled.insert_prefetch
        or not compiled.positional
        or positions is None
        or sorted(positions) != sorted(keys)
        or any(compiled.binds[name].key != name for name in positions)
    ):
        return None
    processors: dict[int, Callable[[Any], Any]] = {}
    for i, name in enumerate(positions):
        process = bind_processors.get(name)
        if process is not None:
            kind = table.c[name].type
            processors[i] = _json_shortcut(dialect, kind, _date_shortcut(dialect, kind, process))
    return compiled.string, _binder(tuple(positions), processors)


def _binder(keys: tuple[str, ...], processors: dict[int, Callable[[Any], Any]]) -> Binder:
    """``rows -> [(P0(row[k0]), row[k1], ...), ...]`` for these keys and processors, made
    once per statement as one list comprehension (the keys are column names, written with
    ``repr``): no loop over the columns in Python for each row."""
    parts = [f"P{i}(r[{k!r}])" if i in processors else f"r[{k!r}]" for i, k in enumerate(keys)]
    code = f"def bind(rows):\n    return [({', '.join(parts)},) for r in rows]\n"
    scope: dict[str, Any] = {f"P{i}": process for i, process in processors.items()}
    exec(code, scope)  # source made here from the table's column names only
    bind: Binder = scope["bind"]
    return bind


# SQLite's DATETIME text (SQLAlchemy's default storage format, microseconds always written)
_SQLITE_DATETIME = (
    "%(year)04d-%(month)02d-%(day)02d %(hour)02d:%(minute)02d:%(second)02d.%(microsecond)06d"
)
_SQLITE_DATETIME_FIELDS = "%04d-%02d-%02d %02d:%02d:%02d.%06d"  # the same, by position


def _date_shortcut(
    dialect: Dialect, kind: Any, process: Callable[[Any], Any]
) -> Callable[[Any], Any]:
    """A UTCDateTime column's processor on SQLite, with a UTC datetime (what the records
    hold) written directly: the type's step (naive UTC) and SQLite's DATETIME text in one,
    a third of the two steps' cost (an article row has five dates). Any other value (None,
    another zone, naive) goes through ``process``."""
    impl = dialect.type_descriptor(kind.impl) if isinstance(kind, UTCDateTime) else None
    if (
        dialect.name != "sqlite"
        or impl is None
        or getattr(impl, "_storage_format", None) != _SQLITE_DATETIME
    ):
        return process

    def write(value: Any) -> Any:
        if type(value) is datetime and value.tzinfo is UTC:
            return _SQLITE_DATETIME_FIELDS % (
                value.year, value.month, value.day,
                value.hour, value.minute, value.second, value.microsecond,
            )  # fmt: skip
        return process(value)

    return write


_ASCII_STRING = json.encoder.encode_basestring_ascii  # json.dumps's own string escaping


def _json_shortcut(
    dialect: Dialect, kind: Any, process: Callable[[Any], Any]
) -> Callable[[Any], Any]:
    """A JSON column's processor, with the values most rows hold written directly: an empty
    list or object, a list of strings (agencies, producers, key points, signals). The text
    is ``json.dumps``'s (its separators, its ASCII escaping), which the processor calls for
    them (SQLite's JSON type, no serializer of the engine's own); ``json.dumps`` costs a few
    microseconds a call, mostly the encoder it makes, and an article row has eight of them."""
    if (
        not isinstance(kind, sqltypes.JSON)
        or dialect._json_serializer is not None
        or kind._str_impl.bind_processor(dialect) is not None
    ):
        return process

    def write(value: Any) -> Any:
        kind_of = type(value)
        if kind_of is list:
            if not value:
                return "[]"
            if all(type(item) is str for item in value):
                return "[" + ", ".join(map(_ASCII_STRING, value)) + "]"
        elif kind_of is dict and not value:
            return "{}"
        return process(value)

    return write


@cache
def _insert_ignore_many_stmt(dialect: str, table: Table) -> Any:
    """INSERT ... ON CONFLICT DO NOTHING of ``table``, for one row or many."""
    return dialect_insert(dialect)(table).on_conflict_do_nothing()


@cache
def _insert_ignore_stmt(dialect: str, table: Table) -> Any:
    # RETURNING, not rowcount: rowcount is unreliable for ON CONFLICT DO NOTHING.
    pk = next(iter(table.primary_key.columns))
    return _insert_ignore_many_stmt(dialect, table).returning(pk)


def insert_ignore(executor: Session | Connection, model: Any, values: dict[str, Any]) -> bool:
    """INSERT ... ON CONFLICT DO NOTHING; True when the row was written.

    Takes a session or, for Core-only callers, a connection in the caller's transaction.
    """
    conn = core(executor)
    stmt = _insert_ignore_stmt(conn.dialect.name, model.__table__)
    return conn.execute(stmt, values).first() is not None


def store_raws(session: Session, payloads: list[tuple[str, bytes, str | None]]) -> None:
    """Keep payloads' bytes once per feed: (feed, bytes, location) each, one statement."""
    if not payloads:
        return
    conn = core(session)
    now = utcnow()
    rows = [
        {
            "feed": feed,
            "sha256": sha256(data),
            "location": location,
            "payload": data,
            "received_at": now,
        }
        for feed, data, location in payloads
    ]
    conn.execute(_insert_ignore_many_stmt(conn.dialect.name, RawItem.__table__), rows)


def store_reject(
    session: Session,
    feed: str,
    reason: str,
    payload: bytes,
    *,
    guid: str | None = None,
    location: str | None = None,
) -> bool:
    """Record a rejected item with its raw bytes for replay; True when it was not known yet."""
    return insert_ignore(
        session,
        Reject,
        {
            "feed": feed,
            "sha256": sha256(payload),
            "reason": reason[:2000],
            "guid": guid,
            "location": location,
            "payload": payload,
            "received_at": utcnow(),
        },
    )


def record_change(session: Session, article: Article, kind: str) -> int:
    """Append one change to the feed (see :func:`record_changes`); returns its sequence number."""
    return record_changes(session, [(article, kind)])[0]


def record_changes(session: Session, changes: list[tuple[Article, str]]) -> list[int]:
    """Append to the change feed with new sequence numbers, in the caller's transaction.

    Numbers come from :mod:`wire.storage.feedseq`: on PostgreSQL writers take them in
    parallel, without a lock, and readers pass only numbers whose transactions are over, so a
    consumer never sees 7 and skips a 6 that commits later. SQLite serialises writers already.
    """
    now = utcnow()
    return append_changes(
        session,
        [
            {
                "article_id": article.id,
                "version": article.version,
                "kind": kind,
                "pubstatus": article.pubstatus,
                "source": article.source,
                "at": now,
            }
            for article, kind in changes
        ],
    )


def append_changes(session: Session, rows: list[dict[str, Any]]) -> list[int]:
    """Append change rows (every column but ``seq``) with new sequence numbers."""
    if not rows:
        return []
    conn = core(session)
    seqs = feedseq.take(session, conn, len(rows))
    insert_rows(conn, Change, [{"seq": seq, **row} for seq, row in zip(seqs, rows, strict=True)])
    return seqs


def record_or_hold(
    session: Session, changes: list[tuple[Article, str]], *, fresh: bool = False
) -> list[int | None]:
    """Append changes to the feed, except a usable version under embargo: its change is held
    (``held_changes``) until the embargo time, then released by ``wire.storage.embargo``.

    A version replaces the article's held change: it moves the embargo, or lifts it (its
    change is appended now). While readers never saw the story, its change stays a ``new``.
    Returns each change's sequence number, None when held. ``fresh``: the articles were
    inserted in this transaction, so none has a held change to look up.

    Held changes are claimed by deleting them (DELETE ... RETURNING): a writer and an embargo
    releaser (``wire.storage.embargo``) racing for one never both get it.
    """
    if not changes:
        return []
    conn = core(session)
    now = utcnow()
    held: dict[str, str] = {}
    if not fresh:
        ids = list(dict.fromkeys(a.id for a, _ in changes))
        held = {
            row.article_id: row.kind
            for row in conn.execute(
                delete(HeldChange)
                .where(HeldChange.article_id.in_(ids))
                .returning(HeldChange.article_id, HeldChange.kind)
            )
        }
    out: list[int | None] = []
    to_append: list[tuple[int, Article, str]] = []
    to_hold: dict[str, dict[str, Any]] = {}
    for i, (article, kind) in enumerate(changes):
        if held.get(article.id) == "new" and kind == "update":
            kind = "new"  # readers never saw an earlier version
        to_hold.pop(article.id, None)
        embargo = article.embargoed
        if article.pubstatus == "usable" and embargo is not None and embargo > now:
            to_hold[article.id] = {
                "article_id": article.id,
                "version": article.version,
                "kind": kind,
                "pubstatus": article.pubstatus,
                "source": article.source,
                "visible_at": embargo,
            }
            held[article.id] = kind
            out.append(None)
        else:
            held.pop(article.id, None)
            to_append.append((i, article, kind))
            out.append(None)
    insert_rows(conn, HeldChange, list(to_hold.values()))
    seqs = record_changes(session, [(a, k) for _, a, k in to_append])
    for (i, _, _), seq in zip(to_append, seqs, strict=True):
        out[i] = seq
    return out


def lock_changes(session: Session) -> None:
    """On PostgreSQL, take the feed's maintenance lock (embargo release, retention), held
    until commit. Writers never take it: they number changes in parallel (``feedseq``).

    Taken again by every batch: a savepoint that rolls back releases a lock taken inside it.
    """
    conn = core(session)
    if conn.dialect.name == "postgresql":
        conn.execute(_CHANGE_LOCK, {"k": CHANGE_LOCK})


def _plain(value: Any) -> dict[str, Any]:
    """A small record dataclass (rendition, link) as a JSON object."""
    return dict(vars(value))


def _change_kind(article: Article, is_new: bool) -> str:
    if article.pubstatus == "canceled":
        return "kill"
    if article.pubstatus == "withheld":
        return "withhold"
    return "new" if is_new else "update"


def _row_values(article: Article, text_hash: str | None) -> dict[str, Any]:
    return {
        "source": article.source,
        "type": article.type,
        "agencies": list(article.agencies),
        "unresolved_agencies": dict(article.unresolved_agencies),
        "producers": list(article.producers),
        "feed": article.feed,
        "guid": article.guid,
        "url": article.url,
        "version": article.version,
        "pubstatus": article.pubstatus,
        "kicker": article.kicker,
        "headline": article.headline,
        "lead": article.lead,
        "key_points": list(article.key_points),
        "body_text": article.body_text,
        "body_html": article.body_html,
        "language": article.language,
        "dateline": article.dateline,
        "byline": article.byline,
        "subjects": [{"code": x.code, "name": x.name} for x in article.subjects],
        "urgency": article.urgency,
        "ednote": article.ednote,
        "embargoed": article.embargoed,
        "usage_terms": article.usage_terms,
        "copyright_notice": article.copyright_notice,
        "signals": list(article.signals),
        "firstcreated": article.firstcreated,
        "versioncreated": article.versioncreated,
        "content_hash": article.content_hash,
        "text_hash": text_hash,
        "has_images": bool(article.images),
        "renditions": [_plain(r) for r in article.renditions],
        "links": [_plain(x) for x in article.links],
        "updated_at": utcnow(),
    }


_CHANGE_LOCK = text("SELECT pg_advisory_xact_lock(:k, hashtext(coalesce(current_schema(), '')))")
# A new search row, written as the view's INSTEAD OF INSERT trigger (articles_fts_insert)
# writes it, in its three steps, each one statement for the whole list. Through the view,
# FTS5 flushed its pending terms to a new segment at every row (the trigger's statement
# savepoint: FTS5 syncs on each), and merged them: 0.8 s of CPU for the cold cycle's 11,500
# articles, against 0.15 s written directly (bench/daemon/README.md, session 14).
_FTS_KEY = "(SELECT key FROM article_keys WHERE article_id = :id)"
# (what the view's INSTEAD OF DELETE trigger, articles_fts_delete, does: one statement)
_FTS_DELETE_SQL = f"DELETE FROM articles_search WHERE rowid = {_FTS_KEY}"
_FTS_DELETE = text(_FTS_DELETE_SQL)
# (SQL text for the driver: sqlite3 binds the named parameters of each row's dict itself, and
# ignores the keys a statement does not name)
_FTS_WRITE = (
    "INSERT OR IGNORE INTO article_keys (article_id) VALUES (:id)",
    _FTS_DELETE_SQL,
    "INSERT INTO articles_search (rowid, headline, lead, body, tags) VALUES "
    f"({_FTS_KEY}, :headline, :lead, :body,"
    " (SELECT tags FROM article_keys WHERE article_id = :id))",
)
_PG_VECTOR = text("UPDATE articles SET search_vector = CAST(:vector AS tsvector) WHERE id = :id")


# The articles table with PostgreSQL's search_vector (a column the ORM model leaves out): new
# rows and new versions carry their tokens, instead of a second UPDATE of every row.
@cache
def _articles_pg() -> Table:
    """The table, built at first use: TSVECTOR is PostgreSQL's dialect, which a SQLite
    process never imports (~35 ms)."""
    from sqlalchemy.dialects.postgresql import TSVECTOR

    return Table(
        "articles",
        MetaData(),
        *(c._copy() for c in ArticleRow.__table__.columns),
        Column("search_vector", TSVECTOR),
    )


def _row_indexed(conn: Connection) -> bool:
    """Whether article rows carry their search tokens (PostgreSQL's ``search_vector``)."""
    return conn.dialect.name == "postgresql"


def _insert_articles(
    conn: Connection, items: list[tuple[Article, str | None]], terms: set[str]
) -> None:
    """One executemany INSERT of new article rows (with their search tokens on PostgreSQL,
    which are added to ``terms``)."""
    rows = [
        {"id": a.id, "ingested_at": a.ingested_at or utcnow(), **_row_values(a, th)}
        for a, th in items
    ]
    if _row_indexed(conn):
        for row, (a, _) in zip(rows, items, strict=True):
            doc = _search_document(a)
            _add_terms(terms, doc)
            row["search_vector"] = doc.tsvector()
        conn.execute(_insert_stmt(_articles_pg()), rows)
    else:
        insert_rows(conn, ArticleRow, rows)


def _search_document(article: Article) -> SearchDocument:
    if article.pubstatus == "canceled":  # a kill withdraws the text from search at once
        return tombstone_document(article.headline, article.language)
    return search_document(
        kicker=article.kicker,
        headline=article.headline,
        lead=article.lead,
        key_points=article.key_points,
        body=article.body_text,
        language=article.language,
    )


def _add_terms(terms: set[str], doc: SearchDocument) -> None:
    """The text tokens of ``doc`` into ``terms``: PostgreSQL's term list must hold every
    token of a ``search_vector`` (wire.storage.search.terms)."""
    terms.update(doc.headline)
    terms.update(doc.lead)
    terms.update(doc.body)


def insert_fts5_rows(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """FTS5 rows (``id``, ``headline``, ``lead``, ``body``: one per article), as an insert
    into the ``articles_fts`` view would write them, in three statements for all rows, each
    handed to the driver as it is (SQLAlchemy's copy of every row's parameters cost ~20 ms of
    CPU for 2,000 articles)."""
    if not rows:
        return
    for statement in _FTS_WRITE:
        conn.exec_driver_sql(statement, rows)


def _index_search(conn: Connection, documents: list[tuple[str, SearchDocument]]) -> None:
    """Write articles' search tokens (wire.storage.search.tokens), the same on both stores:
    FTS5 rows on SQLite (the old ones already gone), ``search_vector`` on PostgreSQL."""
    if not documents:
        return
    if conn.dialect.name == "sqlite":
        # (an article listed twice keeps its last document, as the trigger's delete did)
        insert_fts5_rows(
            conn,
            [
                dict(zip(("headline", "lead", "body"), doc.fts5_columns(), strict=True), id=aid)
                for aid, doc in dict(documents).items()
            ],
        )
    else:
        conn.execute(_PG_VECTOR, [{"id": aid, "vector": doc.tsvector()} for aid, doc in documents])


def replace_search_text(session: Session, documents: list[tuple[str, SearchDocument]]) -> None:
    """Re-index articles whose text changed outside a new version (a purged killed text)."""
    conn = core(session)
    if conn.dialect.name == "sqlite":
        if documents:
            conn.execute(_FTS_DELETE, [{"id": article_id} for article_id, _ in documents])
    else:
        terms: set[str] = set()
        for _, doc in documents:
            _add_terms(terms, doc)
        record_terms(session, conn, terms)
    _index_search(conn, documents)


def _write_children(
    session: Session, articles: list[Article], *, replace: bool, indexed: bool = False
) -> None:
    """Images, agency and subject rows, search tokens and the history row of each article.

    One INSERT per table for the whole list; on a new version (``replace``) the old rows go.
    ``indexed``: the article rows carry their search tokens already (PostgreSQL).
    """
    conn = core(session)
    sqlite_fts = conn.dialect.name == "sqlite"
    ids = [a.id for a in articles]
    if replace:
        for model in (ImageRow, ArticleAgency, ArticleSubject, ArticleLink):
            conn.execute(delete(model).where(model.article_id.in_(ids)))
        if sqlite_fts and ids:
            conn.execute(_FTS_DELETE, [{"id": article_id} for article_id in ids])
    for model, rows in child_rows(articles):
        insert_rows(conn, model, rows)
    if not indexed:
        _index_search(conn, [(a.id, _search_document(a)) for a in articles])


def child_rows(articles: list[Article]) -> list[tuple[Any, list[dict[str, Any]]]]:
    """The rows of the articles' images, agencies, subjects, links and history, by table."""
    return [
        (
            ImageRow,
            [
                {
                    "article_id": a.id,
                    "position": pos,
                    "href": img.href,
                    "alt": img.alt,
                    "caption": img.caption,
                    "credit": img.credit,
                    "creator": img.creator,
                    "agencies": list(img.agencies),
                    "copyright_holder": img.copyright_holder,
                    "usage_terms": img.usage_terms,
                    "copyright_notice": img.copyright_notice,
                }
                for a in articles
                for pos, img in enumerate(a.images)
            ],
        ),
        (
            ArticleAgency,
            [
                {
                    "article_id": a.id,
                    "position": pos,
                    "agency": code,
                    "name": a.unresolved_agencies.get(code),
                }
                for a in articles
                for pos, code in enumerate(a.agencies)
            ],
        ),
        (
            ArticleSubject,
            [
                {"article_id": a.id, "position": pos, "code": subj.code, "name": subj.name}
                for a in articles
                for pos, subj in enumerate(a.subjects)
            ],
        ),
        (
            ArticleLink,
            [
                {"article_id": a.id, "position": pos, "guid": link.guid, "rel": link.rel}
                for a in articles
                for pos, link in enumerate(a.links)
            ],
        ),
        (ArticleVersion, [_version_values(a) for a in articles]),
    ]


def _version_values(article: Article) -> dict[str, Any]:
    return {
        "article_id": article.id,
        "version": article.version,
        "content_hash": article.content_hash,
        "pubstatus": article.pubstatus,
        "versioncreated": article.versioncreated,
        "ingested_at": article.ingested_at or utcnow(),
        "record": article.to_dict(),
    }


def add_sighting(session: Session, article_id: str, article: Article) -> bool:
    """Note that ``article`` (another feed or source) carried the text of ``article_id``.

    The item itself is kept: should a later version of its guid differ, it becomes an article
    whose version 1 is this text (:func:`store_articles`).
    """
    return insert_ignore(session, SightingRow, _sighting_values(article_id, article))


def _sighting_values(article_id: str, article: Article) -> dict[str, Any]:
    """A sighting row, taken as the item is now (a later change to it stays out)."""
    return {
        "article_id": article_id,
        "source": article.source,
        "feed": article.feed,
        "guid": article.guid,
        "url": article.url,
        "seen_at": article.ingested_at or utcnow(),
        "record": article.to_dict(),
    }


def _add_sightings(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Sighting rows (:func:`_sighting_values`) in one INSERT ... ON CONFLICT DO NOTHING, in
    order: what :func:`add_sighting` of each in turn writes."""
    if rows:
        conn.execute(_insert_ignore_many_stmt(conn.dialect.name, SightingRow.__table__), rows)


def _sighted(
    conn: Connection, articles: list[Article], rows: list[tuple[int, str, str, str]]
) -> dict[str, tuple[str, Article | None]]:
    """For articles whose guid (from the same source) was stored as a sighting: the sighted
    article's id and the sighted item (None for a sighting from before items were kept).
    ``rows``: (sighting id, article id, source, guid) of the sightings of their guids. The
    item is read only for the (rare) matches."""
    wanted = {(a.source, a.guid): a.id for a in articles}
    found: dict[str, tuple[int, str]] = {}
    for sighting_id, article_id, source, guid in rows:
        new_id = wanted.get((source, guid))
        if new_id is not None:
            found.setdefault(new_id, (sighting_id, article_id))
    out: dict[str, tuple[str, Article | None]] = {}
    for new_id, (sighting_id, article_id) in found.items():
        record = conn.scalar(select(SightingRow.record).where(SightingRow.id == sighting_id))
        out[new_id] = (article_id, Article.from_dict(record) if record else None)
    return out


# What the writer reads of a stored article: the columns of _KNOWN, or a _Stored after an update.
KnownRow = Any

_KNOWN = select(
    ArticleRow.id,
    ArticleRow.content_hash,
    ArticleRow.feed,
    ArticleRow.version,
    ArticleRow.versioncreated,
    ArticleRow.firstcreated,
).where(ArticleRow.id.in_(bindparam("ids", expanding=True)))
_KNOWN_LOCKED = _KNOWN.order_by(ArticleRow.id).with_for_update()
# What a batch looks up besides its stored rows, in one round trip: its purged ids ("p"),
# the articles holding its texts ("t": hash, id, version, feed, headline) and the sightings of
# its guids ("s": guid, article id, sighting id, source). Built once: building costs more
# than running it.
_LOOKUPS: Any = union_all(
    select(literal("p"), PurgedArticle.id, null(), cast(null(), Integer), null(), null()).where(
        PurgedArticle.id.in_(bindparam("ids", expanding=True))
    ),
    select(
        literal("t"),
        ArticleRow.text_hash,
        ArticleRow.id,
        ArticleRow.version,
        ArticleRow.feed,
        ArticleRow.headline,
    ).where(ArticleRow.text_hash.in_(bindparam("hashes", expanding=True))),
    select(
        literal("s"),
        SightingRow.guid,
        SightingRow.article_id,
        SightingRow.id,
        SightingRow.source,
        null(),
    ).where(SightingRow.guid.in_(bindparam("guids", expanding=True))),
)


@dataclass(frozen=True)
class _Stored:
    """A stored article as :func:`_store_known` left it."""

    id: str
    content_hash: str
    feed: str
    version: int
    versioncreated: datetime | None
    firstcreated: datetime | None


def _known_rows(conn: Connection, ids: list[str], *, lock: bool = False) -> dict[str, KnownRow]:
    """The stored articles among ``ids``; locked until commit on PostgreSQL with ``lock``."""
    stmt = _KNOWN_LOCKED if lock and conn.dialect.name == "postgresql" else _KNOWN
    return {row.id: row for row in conn.execute(stmt, {"ids": ids})}


def lock_articles(session: Session, ids: list[str]) -> None:
    """Lock the stored articles among ``ids`` until commit (PostgreSQL), in id order.

    For callers that then store them one at a time: writers run in parallel, and taking row
    locks in batch order against a batch locking in id order would deadlock.
    """
    conn = core(session)
    if conn.dialect.name == "postgresql" and ids:
        _known_rows(conn, sorted(set(ids)), lock=True)


def _is_older(article: Article, row: KnownRow) -> bool:
    """An older version arriving late: by the source's version number, else by its time."""
    if article.source_version:
        return article.version < row.version
    if article.versioncreated and row.versioncreated:
        return article.versioncreated < row.versioncreated
    return False


def store_article(
    session: Session, article: Article, *, text_hash: str | None = None
) -> StoreResult:
    """Insert, version or ignore one normalised article (see :func:`store_articles`)."""
    return store_articles(session, [(article, text_hash)])[0]


def store_articles(session: Session, items: list[tuple[Article, str | None]]) -> list[StoreResult]:
    """Insert, version or ignore a batch of normalised articles, in order; one result each.

    - a new id whose normalised text (``text_hash``) is already stored under another id:
      a sighting of that article, outcome ``duplicate`` (unless the same feed re-sent it
      under a new headline: then a new article, ``duplicate_of`` that one);
    - a new version of a guid first stored as a sighting, whose text differs: the sighting
      becomes an article (version 1 the sighted item, then this version: ``updated``,
      ``duplicate_of`` the article it copied), never a fresh unlinked version 1;
    - the same content again (current or any earlier version): ``unchanged``;
    - an older version arriving late: kept in history when its number is free, never
      current: ``stale``;
    - an article retention removed (``purged_articles``): ``purged``, not stored again;
    - otherwise ``new`` or ``updated``, with the history row and the change-feed row.

    The batch costs a fixed number of statements for its new articles (one SELECT for the ids
    and text hashes it knows, one INSERT per table), so a fresh feed is cheap to store; known
    articles cost a few statements each. ``Article.version`` is set to the stored version.
    """
    if not items:
        return []
    conn = core(session)
    # No feed-wide lock: writers run in parallel on PostgreSQL (wire.storage.feedseq). The
    # stored rows are locked in id order, so two writers' batches never lock in crossed order.
    ids = list(dict.fromkeys(a.id for a, _ in items))
    known = _known_rows(conn, ids, lock=True)
    fresh = [a for a, _ in items if a.id not in known]
    purged: set[str] = set()  # removed by retention: a feed still listing them can't revive them
    by_text: dict[str, tuple[str, int, str, str]] = {}  # id, version, feed, headline
    sightings: list[tuple[int, str, str, str]] = []
    lookups = {
        "ids": ids,
        "hashes": list({h for _, h in items if h}),
        "guids": list({a.guid for a in fresh}),
    }
    for tag, key, article_id, number, feed, headline in conn.execute(_LOOKUPS, lookups):
        if tag == "p":
            purged.add(key)
        elif tag == "t":
            by_text.setdefault(key, (article_id, number, feed, headline))
        else:
            sightings.append((number, article_id, feed, key))
    sighted = _sighted(conn, fresh, sightings) if sightings else {}

    results: list[StoreResult | None] = [None] * len(items)
    pending: list[tuple[int, Article, str | None, str | None]] = []
    pending_ids: set[str] = set()
    # Sighting rows, written in order after the batch's articles (a sighting may name one of
    # the pending articles): a text repeated in the batch no longer cuts it into small flushes.
    seen_rows: list[dict[str, Any]] = []
    # The text tokens the batch writes to search_vector (PostgreSQL), added to the term list
    # in one statement at the end of the batch.
    terms: set[str] = set()

    def flush_new() -> None:
        if not pending:
            return
        pending_ids.clear()
        articles = [a for _, a, _, _ in pending]
        _insert_articles(conn, [(a, th) for _, a, th, _ in pending], terms)
        _write_children(session, articles, replace=False, indexed=_row_indexed(conn))
        seqs = record_or_hold(
            session, [(a, _change_kind(a, is_new=True)) for a in articles], fresh=True
        )
        for (i, a, _, dup), seq in zip(pending, seqs, strict=True):
            results[i] = StoreResult("new", a.id, a.version, seq, dup)
        pending.clear()

    for i, (article, text_hash) in enumerate(items):
        if article.id in pending_ids:
            # The same article twice in one batch (v1 and v2): store the first, then compare.
            flush_new()
            known.update(_known_rows(conn, [article.id]))
        if article.id in purged:
            results[i] = StoreResult("purged", article.id, article.version)
            continue
        row = known.get(article.id)
        if row is not None:
            results[i], known[article.id] = _store_known(
                session, article, row, text_hash, seen_rows, terms
            )
            continue
        dup = by_text.get(text_hash) if text_hash else None
        duplicate_of = None
        if dup is not None:
            dup_id, dup_version, dup_feed, dup_headline = dup
            if not (dup_feed == article.feed and dup_headline != article.headline):
                seen_rows.append(_sighting_values(dup_id, article))
                sighted.setdefault(article.id, (dup_id, article))
                results[i] = StoreResult("duplicate", dup_id, dup_version)
                continue
            duplicate_of = dup_id  # the same agency re-sent it under a new headline
        if article.id in sighted:
            first_id, first = sighted.pop(article.id)
            if first is not None:
                flush_new()
                results[i], known[article.id] = _store_after_sighting(
                    session, article, text_hash, first_id, first, seen_rows, terms
                )
                continue
            duplicate_of = first_id  # the sighted text is lost: at least keep the link
        if not article.source_version:
            article.version = 1
        pending.append((i, article, text_hash, duplicate_of))
        pending_ids.add(article.id)
        if text_hash:
            by_text[text_hash] = (article.id, article.version, article.feed, article.headline)
    flush_new()
    _add_sightings(conn, seen_rows)
    if terms:
        record_terms(session, conn, terms)
    return [r for r in results if r is not None]


def _store_after_sighting(
    session: Session,
    article: Article,
    text_hash: str | None,
    first_id: str,
    first: Article,
    seen_rows: list[dict[str, Any]],
    terms: set[str],
) -> tuple[StoreResult, KnownRow]:
    """A guid first stored as a sighting of ``first_id`` sends a version that differs: the
    sighted item becomes version 1 of an article of its own, this one its next version."""
    first.id = article.id
    if not first.source_version:
        first.version = 1
    conn = core(session)
    _insert_articles(conn, [(first, None)], terms)
    _write_children(session, [first], replace=False, indexed=_row_indexed(conn))
    record_or_hold(session, [(first, _change_kind(first, is_new=True))], fresh=True)
    row = _Stored(
        first.id, first.content_hash, first.feed, first.version, first.versioncreated,
        first.firstcreated,
    )  # fmt: skip
    result, now = _store_known(session, article, row, text_hash, seen_rows, terms)
    return StoreResult(result.outcome, result.article_id, result.version, result.seq,
                       first_id), now  # fmt: skip


def _store_known(
    session: Session,
    article: Article,
    row: KnownRow,
    text_hash: str | None,
    seen_rows: list[dict[str, Any]],
    terms: set[str],
) -> tuple[StoreResult, KnownRow]:
    """An article whose id is stored: unchanged, stale, or a new version; and the row now.
    A sighting goes to ``seen_rows``, which the batch writes at its end, and the tokens of a
    new version's ``search_vector`` to ``terms``."""
    if article.content_hash == row.content_hash or session.scalar(
        select(ArticleVersion.id).where(
            ArticleVersion.article_id == row.id,
            ArticleVersion.content_hash == article.content_hash,
        )
    ):
        if article.feed != row.feed:
            seen_rows.append(_sighting_values(row.id, article))
        return StoreResult("unchanged", row.id, row.version), row

    if _is_older(article, row):
        taken = session.scalar(
            select(ArticleVersion.id).where(
                ArticleVersion.article_id == row.id, ArticleVersion.version == article.version
            )
        )
        if article.source_version and not taken:
            insert_rows(core(session), ArticleVersion, [_version_values(article)])
        return StoreResult("stale", row.id, row.version), row

    if not (article.source_version and article.version > row.version):
        article.version = row.version + 1
    article.firstcreated = row.firstcreated or article.firstcreated
    values = _row_values(article, text_hash)
    conn = core(session)
    indexed = _row_indexed(conn)
    if indexed:
        doc = _search_document(article)
        _add_terms(terms, doc)
        values["search_vector"] = doc.tsvector()
    _update_row(session, row.id, values)
    _write_children(session, [article], replace=True, indexed=indexed)
    [seq] = record_or_hold(session, [(article, _change_kind(article, is_new=False))])
    now = _Stored(
        row.id,
        article.content_hash,
        article.feed,
        article.version,
        article.versioncreated,
        article.firstcreated,
    )
    return StoreResult("updated", row.id, article.version, seq), now


def _update_row(session: Session, article_id: str, values: dict[str, Any]) -> None:
    """The article's row set to ``values``; a copy the session holds is expired, not stale."""
    table: Any = _articles_pg() if "search_vector" in values else ArticleRow.__table__
    core(session).execute(update(table).where(table.c.id == article_id).values(values))
    held = session.identity_map.get(session.identity_key(ArticleRow, article_id))
    if held is not None:
        session.expire(held)
