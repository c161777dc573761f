"""Reads shared by the CLI and the HTTP API: search with filters, keyset pages, article views.

Pagination is keyset only (never OFFSET): a page ends with an opaque cursor, the base64 of the
last row's sort key, and the next page starts strictly after that key. Ranked search sorts by
(score, id) -- (score, index key) on SQLite --, newest-first lists by (versioncreated, id);
both are total orders, so a row is never shown twice nor skipped while the page boundary moves.

Every query first finds a page of ids (:func:`find_ids`), then loads those rows only: as ORM
objects for the CLI (:func:`find_articles`), as canonical records for the API
(:func:`find_records`).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import (
    ColumnElement,
    Float,
    Select,
    String,
    bindparam,
    cast,
    exists,
    func,
    literal_column,
    or_,
    select,
    text,
    tuple_,
)
from sqlalchemy.dialects.postgresql import DOUBLE_PRECISION
from sqlalchemy.orm import Session, selectinload

from wire.record import PUBSTATUSES, iso, parse_iso
from wire.storage.media import linked_media, linking_stories
from wire.storage.models import (
    ArticleAgency,
    ArticleRow,
    ArticleSubject,
    ArticleVersion,
    Cluster,
    ClusterMember,
    ImageRow,
    SightingRow,
)
from wire.storage.visibility import (
    READER,
    Viewer,
    is_released,
    killed_view,
    released,
    sqlite_released,
    withdrawn,
)

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)  # letters and digits: what both FTS engines index
PG_LANGS = ("simple", "german", "french", "english", "italian")
# Language code -> PostgreSQL text-search configuration (the migration's search_vector uses these).
PG_CONFIG = {"de": "german", "fr": "french", "en": "english", "it": "italian"}
CURSOR_VERSION = 1
Sort = Literal["relevance", "newest"]


class QueryError(ValueError):
    """A malformed query (bad cursor, bad text syntax); the message is meant for the user."""


# --- text queries -------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One required term of a text query: a word, a "quoted phrase", or a prefix (``word*``)."""

    words: tuple[str, ...]
    prefix: bool = False


_QUERY_PART = re.compile(
    r'"(?P<phrase>[^"]*)"(?P<pstar>\*?)|(?P<word>[^\W_]+)(?P<star>\*?)|(?P<other>.)'
)


def parse_text_query(q: str, *, strict: bool = True) -> list[Term]:
    """The terms of a user's query; every term must match (AND).

    Supported syntax: words, "exact phrases" and ``prefix*``. FTS operators (NEAR, AND, OR,
    NOT) are ordinary words here, other punctuation separates words. ``strict`` (the HTTP API)
    rejects malformed syntax with a :class:`QueryError`; otherwise (the CLI) it is dropped.
    """
    if strict:
        if q.count('"') % 2:
            raise QueryError('q has an unmatched double quote ("); close the phrase or remove it')
        depth = 0
        for ch in q:
            depth += 1 if ch == "(" else -1 if ch == ")" else 0
            if depth < 0:
                break
        if depth:
            raise QueryError("q has unbalanced parentheses; grouping is not supported")
    elif q.count('"') % 2:
        q = q.replace('"', " ")
    terms: list[Term] = []
    for m in _QUERY_PART.finditer(q):
        if m.group("phrase") is not None:
            words = tuple(_TOKEN.findall(m.group("phrase")))
            if words:
                terms.append(Term(words, prefix=bool(m.group("pstar"))))
            elif strict and m.group("pstar"):
                raise QueryError("q: '*' must directly follow a word (prefix search: Lukasch*)")
        elif m.group("word") is not None:
            terms.append(Term((m.group("word"),), prefix=bool(m.group("star"))))
        elif strict and m.group("other") == "*":
            raise QueryError("q: '*' must directly follow a word (prefix search: Lukasch*)")
    if strict and q.strip() and not terms:
        raise QueryError("q contains no words to search for")
    return terms


def _fts5_term(term: Term) -> str:
    # Tokens are letters and digits only, never a quote: each is a safe FTS5 string.
    quoted = '"' + " ".join(term.words) + '"'
    return quoted + " *" if term.prefix else quoted


def sqlite_match(q: str | Sequence[Term], *, strict: bool = False) -> str | None:
    """An FTS5 MATCH expression that ANDs the query's terms, each quoted (no syntax injection)."""
    terms = parse_text_query(q, strict=strict) if isinstance(q, str) else list(q)
    if not terms:
        return None
    return " ".join(_fts5_term(t) for t in terms)


def _pg_tsquery(terms: Sequence[Term], configs: Sequence[str]) -> ColumnElement[Any]:
    """One tsquery: the terms ANDed within each configuration, the configurations ORed."""
    per_config: list[ColumnElement[Any]] = []
    for cfg in configs:
        regconfig: ColumnElement[Any] = literal_column(
            f"'{cfg}'::regconfig"
        )  # cfg comes from PG_LANGS only
        parts: list[ColumnElement[Any]] = []
        for term in terms:
            if term.prefix:
                # Words are letters/digits (no quotes, no operators): safe in a tsquery literal.
                *head, last = term.words
                value = " <-> ".join([*(f"'{w}'" for w in head), f"'{last}':*"])
                parts.append(func.to_tsquery(regconfig, bindparam(None, value, String)))
            elif len(term.words) > 1:
                value = " ".join(term.words)
                parts.append(func.phraseto_tsquery(regconfig, bindparam(None, value, String)))
            else:
                parts.append(
                    func.plainto_tsquery(regconfig, bindparam(None, term.words[0], String))
                )
        combined = parts[0]
        for part in parts[1:]:
            combined = combined.op("&&")(part)
        per_config.append(combined.self_group())
    query = per_config[0]
    for other in per_config[1:]:
        query = query.op("||")(other)
    return query.self_group()


def _pg_configs(languages: Sequence[str]) -> tuple[str, ...]:
    """Stemming configurations to try: the filtered languages' (plus simple), else all."""
    if languages:
        chosen = [PG_CONFIG[lang] for lang in languages if lang in PG_CONFIG]
        return ("simple", *dict.fromkeys(chosen))
    return PG_LANGS


def _pg_text(
    terms: Sequence[Term], languages: Sequence[str] = ()
) -> tuple[ColumnElement[bool], ColumnElement[float]]:
    """(where clause, score) of a text query on PostgreSQL; a lower score ranks higher."""
    tsq = _pg_tsquery(terms, _pg_configs(languages))
    vector: ColumnElement[Any] = literal_column("articles.search_vector")
    score = cast(-func.ts_rank(vector, tsq, type_=Float), DOUBLE_PRECISION)
    return vector.op("@@")(tsq), score


# --- filters and pages --------------------------------------------------------------------


@dataclass(frozen=True)
class ArticleQuery:
    """What a client asks of ``/articles`` (and ``wire search``); lists are ORed, fields ANDed."""

    q: str | None = None
    agency: tuple[str, ...] = ()
    source: tuple[str, ...] = ()
    language: tuple[str, ...] = ()
    subject: tuple[str, ...] = ()  # a subject code ("medtop:11000000") or name ("Politik")
    pubstatus: tuple[str, ...] = ()
    cluster: str | None = None
    has_images: bool | None = None
    since: datetime | None = None  # versioncreated >= since
    until: datetime | None = None  # versioncreated < until
    sort: Sort | None = None  # default: relevance with q, newest without
    strict: bool = True  # malformed q syntax is an error (API) or dropped (CLI)
    terms: tuple[Term, ...] = field(default=(), compare=False, repr=False)

    def __post_init__(self) -> None:
        bad = [p for p in self.pubstatus if p not in PUBSTATUSES]
        if bad:
            raise QueryError(
                f"unknown pubstatus {bad[0]!r}; expected one of: {', '.join(PUBSTATUSES)}"
            )
        q = (self.q or "").strip() or None
        object.__setattr__(self, "q", q)
        object.__setattr__(
            self, "terms", tuple(parse_text_query(q, strict=self.strict)) if q else ()
        )
        if self.sort == "relevance" and not q:
            raise QueryError("sort=relevance needs a text query (q)")
        if self.since and self.until and self.since >= self.until:
            raise QueryError("since must be earlier than until")

    @property
    def effective_sort(self) -> Sort:
        return self.sort or ("relevance" if self.q else "newest")

    def fingerprint(self) -> str:
        """A short hash of the query, so a cursor is only accepted by the query that made it."""
        data = asdict(self)
        data.pop("terms", None)
        data.pop("strict", None)
        data["sort"] = self.effective_sort
        blob = json.dumps(data, default=str, sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()[:12]


@dataclass
class Page:
    rows: list[ArticleRow]
    next_cursor: str | None


@dataclass
class IdPage:
    """One page as article ids in order, and the cursor of the next page (or None)."""

    ids: list[str]
    next_cursor: str | None


def encode_cursor(sort: Sort, key: Sequence[Any], fingerprint: str) -> str:
    blob = json.dumps({"v": CURSOR_VERSION, "s": sort, "k": list(key), "f": fingerprint})
    return base64.urlsafe_b64encode(blob.encode()).decode().rstrip("=")


_BAD_CURSOR = "cursor is not valid; use the 'next' value of a previous page as it is"


def decode_cursor(cursor: str, sort: Sort, fingerprint: str) -> list[Any]:
    """The sort key a cursor holds, after checking it belongs to this query."""
    if len(cursor) > 1000:
        raise QueryError(_BAD_CURSOR)
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise QueryError(_BAD_CURSOR) from None
    if not isinstance(data, dict) or data.get("v") != CURSOR_VERSION:
        raise QueryError(_BAD_CURSOR)
    key = data.get("k")
    if not isinstance(key, list) or not 2 <= len(key) <= 4:
        raise QueryError(_BAD_CURSOR)
    if data.get("s") != sort or data.get("f") != fingerprint:
        raise QueryError(
            "cursor belongs to a different query (filters or sort changed); start without cursor"
        )
    return key


def _newest_key(key: list[Any]) -> tuple[datetime | None, str]:
    """(versioncreated or None, article id) of a newest-first cursor."""
    first, last = key[0], key[-1]
    if len(key) != 2 or not isinstance(last, str) or not (first is None or isinstance(first, str)):
        raise QueryError(_BAD_CURSOR)
    try:
        return (parse_iso(first) if first is not None else None), last
    except ValueError:
        raise QueryError(_BAD_CURSOR) from None


def _number(value: Any, kind: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, kind):
        raise QueryError(_BAD_CURSOR)
    return value


def _filters(query: ArticleQuery) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if query.agency:
        conds.append(
            exists().where(
                ArticleAgency.article_id == ArticleRow.id, ArticleAgency.agency.in_(query.agency)
            )
        )
    if query.source:
        conds.append(ArticleRow.source.in_(query.source))
    if query.language:
        conds.append(ArticleRow.language.in_(query.language))
    if query.subject:
        conds.append(
            exists().where(
                ArticleSubject.article_id == ArticleRow.id,
                or_(ArticleSubject.code.in_(query.subject), ArticleSubject.name.in_(query.subject)),
            )
        )
    if query.pubstatus:
        conds.append(ArticleRow.pubstatus.in_(query.pubstatus))
    if query.cluster:
        conds.append(ArticleRow.cluster_id == query.cluster)
    if query.has_images is not None:
        conds.append(ArticleRow.has_images.is_(query.has_images))
    if query.since:
        conds.append(ArticleRow.versioncreated >= query.since)
    if query.until:
        conds.append(ArticleRow.versioncreated < query.until)
    return conds


def find_articles(
    session: Session,
    query: ArticleQuery,
    *,
    limit: int = 50,
    cursor: str | None = None,
    load_children: bool = True,
    viewer: Viewer = READER,
) -> Page:
    """One page of articles (ORM rows) matching ``query``, and the next page's cursor."""
    page = find_ids(session, query, limit=limit, cursor=cursor, viewer=viewer)
    return Page(_load_rows(session, page.ids, load_children), page.next_cursor)


def find_records(
    session: Session,
    query: ArticleQuery,
    *,
    limit: int = 50,
    cursor: str | None = None,
    viewer: Viewer = READER,
) -> tuple[list[dict[str, Any]], str | None]:
    """One page as canonical records (what the API renders), and the next page's cursor."""
    page = find_ids(session, query, limit=limit, cursor=cursor, viewer=viewer)
    records = [withdrawn(r, viewer) for r in load_records(session, page.ids)]
    return records, page.next_cursor


def find_ids(
    session: Session,
    query: ArticleQuery,
    *,
    limit: int = 50,
    cursor: str | None = None,
    viewer: Viewer = READER,
) -> IdPage:
    """The ids of one page of articles matching ``query`` that ``viewer`` may see now, in
    order, and the next cursor."""
    sort = query.effective_sort
    fp = query.fingerprint()
    key = decode_cursor(cursor, sort, fp) if cursor else None
    if query.terms and session.get_bind().dialect.name == "sqlite":
        return _sqlite_text_page(session, query, limit, key, fp, viewer)
    stmt: Select[Any] = select(ArticleRow.id, ArticleRow.versioncreated)  # type: ignore[assignment]
    score = None
    if query.terms:
        cond, score = _pg_text(query.terms, query.language)
        stmt = stmt.where(cond)
    stmt = stmt.where(*_filters(query), *released(viewer))
    if sort == "newest":
        return _newest_page(session, stmt, limit, _newest_key(key) if key else None, fp)
    assert score is not None
    stmt = stmt.add_columns(score)
    if key is not None:
        if len(key) != 2:
            raise QueryError(_BAD_CURSOR)
        after = (float(_number(key[0], int | float)), _number(key[1], str))
        stmt = stmt.where(tuple_(score, ArticleRow.id) > tuple_(*after))
    found = [
        (aid, float(s))
        for aid, _, s in session.execute(stmt.order_by(score, ArticleRow.id).limit(limit + 1))
    ]
    more = len(found) > limit
    found = found[:limit]
    nxt = encode_cursor(sort, [found[-1][1], found[-1][0]], fp) if more else None
    return IdPage([aid for aid, _ in found], nxt)


def _newest_page(
    session: Session,
    stmt: Select[Any],
    limit: int,
    after: tuple[datetime | None, str] | None,
    fp: str,
) -> IdPage:
    """Newest first, then id; undated rows come last on every backend.

    Two index-friendly range scans instead of one ``NULLS LAST`` sort: dated rows by
    (versioncreated, id) descending, then undated rows by id descending.
    """
    vc, aid = ArticleRow.versioncreated, ArticleRow.id
    found: list[tuple[str, datetime | None]] = []
    if after is None or after[0] is not None:
        dated = stmt.where(vc.is_not(None))
        if after is not None:
            # Typed binds: the cursor's time is compared as the column stores it (UTC).
            key = tuple_(bindparam(None, after[0], vc.type), bindparam(None, after[1], String))
            dated = dated.where(tuple_(vc, aid) < key)
        found = [
            (i, t)
            for i, t in session.execute(dated.order_by(vc.desc(), aid.desc()).limit(limit + 1))
        ]
    if len(found) <= limit:
        undated = stmt.where(vc.is_(None))
        if after is not None and after[0] is None:
            undated = undated.where(aid < after[1])
        want = limit + 1 - len(found)
        found += [(i, None) for i, _ in session.execute(undated.order_by(aid.desc()).limit(want))]
    more = len(found) > limit
    found = found[:limit]
    nxt = encode_cursor("newest", [iso(found[-1][1]), found[-1][0]], fp) if more else None
    return IdPage([i for i, _ in found], nxt)


# --- text search on SQLite ------------------------------------------------------------------
#
# The FTS5 index ``articles_search`` is keyed by ``article_keys.key`` (migration 0004) and
# holds each article's filter values as tokens; ``article_keys`` carries the columns searches
# sort by. So a match is filtered, ranked and ordered without reading any article row.

RANK_WINDOW = 10_000  # relevance ranks at most the newest this many matches
NEWEST_SCAN_FROM = 2_000  # more matches: newest-first walks the time index instead of sorting


def filter_tag(prefix: str, value: str) -> str:
    """The index token of one filter value (migration 0004 writes the same: hex of UTF-8)."""
    return f"z{prefix}{value.encode().hex()}"


def sqlite_fts_query(query: ArticleQuery) -> str:
    """The FTS5 expression of a query: its words ANDed with the filter tags (language,
    source, pubstatus, agency, has_images). No column filter unless needed: it costs a
    position-list check per match, and tag tokens (``z`` + letters + hex) never occur in text;
    only a prefix search starting with "z" could reach them."""
    words = sqlite_match(query.terms) or '""'
    if any(t.prefix and t.words[-1].lower().startswith("z") for t in query.terms):
        words = f"{{headline lead body}} : ({words})"
    parts = [words]
    for prefix, values in (
        ("lg", query.language),
        ("so", query.source),
        ("ps", query.pubstatus),
        ("ag", query.agency),
    ):
        if values:
            parts.append("(" + " OR ".join(filter_tag(prefix, v) for v in values) + ")")
    if query.has_images is not None:
        parts.append(f"zim{int(query.has_images)}")
    return " AND ".join(parts)


def _sqlite_filters(query: ArticleQuery) -> tuple[list[str], dict[str, Any]]:
    """SQL conditions on ``article_keys k`` for the filters the index has no tag for."""
    conds: list[str] = []
    params: dict[str, Any] = {}
    if query.subject:
        for i, value in enumerate(query.subject):
            params[f"sub{i}"] = value
        codes = ", ".join(f":sub{i}" for i in range(len(query.subject)))
        conds.append(
            "EXISTS (SELECT 1 FROM article_subjects s WHERE s.article_id = k.article_id"
            f" AND (s.code IN ({codes}) OR s.name IN ({codes})))"
        )
    if query.cluster:
        conds.append("k.cluster_id = :cluster")
        params["cluster"] = query.cluster
    if query.since:
        conds.append("k.versioncreated >= :since")
        params["since"] = query.since
    if query.until:
        conds.append("k.versioncreated < :until")
        params["until"] = query.until
    return conds, params


def _bind(sql: str, params: dict[str, Any]) -> Any:
    """A text statement whose datetime parameters are stored-form UTC (as the columns are)."""
    stmt = text(sql)
    binds = [
        bindparam(name, value, ArticleRow.versioncreated.type)
        if isinstance(value, datetime)
        else bindparam(name, value)
        for name, value in params.items()
    ]
    return stmt.bindparams(*binds)


def _sqlite_text_page(
    session: Session,
    query: ArticleQuery,
    limit: int,
    key: list[Any] | None,
    fp: str,
    viewer: Viewer,
) -> IdPage:
    conds, params = _sqlite_filters(query)
    held, held_params = sqlite_released(viewer)  # embargoes, on the index key
    params = {**params, **held_params, "match": sqlite_fts_query(query)}
    where = "".join(f" AND {c}" for c in conds)
    if query.effective_sort == "relevance":
        return _sqlite_relevance(
            session, where, params, limit, key, fp, bool(query.cluster), held.format("s.rowid")
        )
    return _sqlite_newest(session, query, where + held.format("k.key"), params, limit, key, fp)


def _sqlite_relevance(
    session: Session,
    where: str,
    params: dict[str, Any],
    limit: int,
    key: list[Any] | None,
    fp: str,
    cluster: bool,
    held: str = "",
) -> IdPage:
    """bm25 order (headline 10, lead 4, body 1) within a window of the newest matches.

    Ranking needs every candidate's score, so its cost grows with the matches; the window
    (the ``RANK_WINDOW`` most recently stored articles matching the words and the tagged
    filters, fixed for all pages of one query by the cursor) keeps a very common word about
    as fast as a rare one. Subject and date filters apply within the window.
    """
    join = " JOIN article_keys k ON k.key = s.rowid" if where else ""
    if cluster:
        # A cluster has a handful of articles: score just those (by key), never a window.
        where += " AND s.rowid IN (SELECT key FROM article_keys WHERE cluster_id = :cluster)"
    if key is None:
        # The window: matches keyed cut..top. Articles stored later (higher keys) stay out of
        # this query's later pages, so its pages neither repeat nor skip a match.
        top = session.execute(text("SELECT coalesce(max(key), 0) FROM article_keys")).scalar_one()
        cut = 0
        if not cluster:  # the key of the RANK_WINDOW-th newest match (none: fewer matches)
            cut = (
                session.execute(
                    _bind(
                        "SELECT rowid FROM articles_search WHERE articles_search MATCH :match "
                        f"ORDER BY rowid DESC LIMIT 1 OFFSET {RANK_WINDOW - 1}",
                        {"match": params["match"]},
                    )
                ).scalar()
                or 0
            )
        keyset = ""
    else:
        if len(key) != 4:
            raise QueryError(_BAD_CURSOR)
        score, rowid = _number(key[0], int | float), _number(key[1], int)
        cut, top = _number(key[2], int), _number(key[3], int)
        params = {**params, "after_score": float(score), "after_key": rowid}
        keyset = " WHERE (score, r) > (:after_score, :after_key)"
    params = {**params, "cut": cut, "top": top, "n": limit + 1}
    found = session.execute(
        _bind(
            "SELECT r, score FROM (SELECT s.rowid AS r, bm25(articles_search, 10.0, 4.0, 1.0, 0.0) "
            f"AS score FROM articles_search s{join} WHERE articles_search MATCH :match "
            f"AND s.rowid BETWEEN :cut AND :top{where}{held}){keyset} ORDER BY score, r LIMIT :n",
            params,
        )
    ).all()
    more = len(found) > limit
    found = found[:limit]
    ids = _ids_of_keys(session, [r for r, _ in found])
    nxt = None
    if more:
        nxt = encode_cursor("relevance", [found[-1][1], found[-1][0], cut, top], fp)
    return IdPage([ids[r] for r, _ in found if r in ids], nxt)


def _sqlite_newest(
    session: Session,
    query: ArticleQuery,
    where: str,
    params: dict[str, Any],
    limit: int,
    key: list[Any] | None,
    fp: str,
) -> IdPage:
    """Newest first over the matches: join-and-sort when they are few, else walk the time
    index newest-first and keep the rows that match (cheap when matches are common)."""
    after = _newest_key(key) if key else None
    many = session.execute(
        _bind(
            "SELECT rowid FROM articles_search WHERE articles_search MATCH :match "
            f"LIMIT 1 OFFSET {NEWEST_SCAN_FROM}",
            {"match": params["match"]},
        )
    ).scalar()
    if many is not None and not query.cluster:
        source = (
            "FROM article_keys k INDEXED BY ix_article_keys_versioncreated WHERE k.key IN "
            "(SELECT rowid FROM articles_search WHERE articles_search MATCH :match)"
        )
    else:
        source = (
            "FROM articles_search s JOIN article_keys k ON k.key = s.rowid "
            "WHERE articles_search MATCH :match"
        )
    found: list[tuple[str, datetime | None]] = []
    if after is None or after[0] is not None:
        keyset = ""
        extra: dict[str, Any] = {}
        if after is not None:
            keyset = " AND (k.versioncreated, k.article_id) < (:after_vc, :after_id)"
            extra = {"after_vc": after[0], "after_id": after[1]}
        sql = (
            f"SELECT k.article_id, k.versioncreated {source} AND k.versioncreated IS NOT NULL"
            f"{where}{keyset} ORDER BY k.versioncreated DESC, k.article_id DESC LIMIT :n"
        )
        found = [
            (aid, _as_utc(vc))
            for aid, vc in session.execute(_bind(sql, {**params, **extra, "n": limit + 1}))
        ]
    if len(found) <= limit:
        keyset = " AND k.article_id < :after_id" if after and after[0] is None else ""
        extra = {"after_id": after[1]} if keyset and after else {}
        sql = (
            f"SELECT k.article_id, NULL {source} AND k.versioncreated IS NULL"
            f"{where}{keyset} ORDER BY k.article_id DESC LIMIT :n"
        )
        found += [
            (aid, None)
            for aid, _ in session.execute(
                _bind(sql, {**params, **extra, "n": limit + 1 - len(found)})
            )
        ]
    more = len(found) > limit
    found = found[:limit]
    nxt = encode_cursor("newest", [iso(found[-1][1]), found[-1][0]], fp) if more else None
    return IdPage([aid for aid, _ in found], nxt)


def _as_utc(value: Any) -> datetime | None:
    """A stored SQLite datetime (text, naive UTC) read through raw SQL, as an aware time."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _ids_of_keys(session: Session, keys: Sequence[int]) -> dict[int, str]:
    if not keys:
        return {}
    params = {f"k{i}": k for i, k in enumerate(keys)}
    marks = ", ".join(f":k{i}" for i in range(len(keys)))
    sql = f"SELECT key, article_id FROM article_keys WHERE key IN ({marks})"
    return {k: aid for k, aid in session.execute(_bind(sql, params))}


def _load_rows(session: Session, ids: Sequence[str], load_children: bool) -> list[ArticleRow]:
    """The articles with these ids, in this order."""
    if not ids:
        return []
    stmt = select(ArticleRow).where(ArticleRow.id.in_(ids))
    if load_children:
        stmt = stmt.options(selectinload(ArticleRow.images), selectinload(ArticleRow.sightings))
    by_id = {row.id: row for row in session.scalars(stmt)}
    return [by_id[i] for i in ids if i in by_id]


def refresh_planner_stats(session: Session, *, min_articles: int = 1000) -> bool:
    """Gather SQLite's planner statistics when missing or when the store doubled since.

    Without them SQLite guesses that every indexed equality is selective and, at a million
    articles, sorts half the table for ``language=de``; with them it walks the time index.
    ``analysis_limit`` samples each index, so this takes milliseconds at any size. Returns
    whether statistics were gathered (always False on PostgreSQL: autovacuum does it).
    """
    if session.get_bind().dialect.name != "sqlite":
        return False
    count = session.execute(text("SELECT coalesce(max(key), 0) FROM article_keys")).scalar_one()
    if count < min_articles:
        return False
    has_stats = session.execute(
        text("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
    ).scalar()
    if has_stats:
        stat = session.execute(
            text("SELECT stat FROM sqlite_stat1 WHERE idx = 'ix_articles_versioncreated_id'")
        ).scalar()
        analysed = int(str(stat).split()[0]) if stat else 0
        if analysed and count < 2 * analysed:
            return False
    session.execute(text("PRAGMA analysis_limit = 1000"))
    session.execute(text("ANALYZE"))
    return True


# --- the CLI's search ---------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    id: str
    headline: str
    source: str | None
    agencies: list[str]
    language: str | None
    pubstatus: str
    version: int
    versioncreated: datetime | None
    cluster_id: str | None

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "versioncreated": iso(self.versioncreated)}


def search(
    session: Session,
    q: str | None = None,
    *,
    agency: str | None = None,
    limit: int = 20,
    viewer: Viewer = READER,
) -> list[Hit]:
    """Full-text search (ranked) or, without ``q``, the newest articles; optional agency filter.

    Lenient about query syntax (a stray quote is dropped); a query with no words finds nothing.
    """
    query = ArticleQuery(q=q, agency=(agency,) if agency else (), strict=False)
    if query.q and not query.terms:
        return []
    page = find_articles(session, query, limit=limit, load_children=False, viewer=viewer)
    return [_hit(row) for row in page.rows]


def _hit(row: ArticleRow) -> Hit:
    return Hit(
        id=row.id,
        headline=row.headline,
        source=row.source,
        agencies=list(row.agencies or []),
        language=row.language,
        pubstatus=row.pubstatus,
        version=row.version,
        versioncreated=row.versioncreated,
        cluster_id=row.cluster_id,
    )


# --- whole-article views ------------------------------------------------------------------


RECORD_COLUMNS = (
    "id", "type", "source", "agencies", "unresolved_agencies", "producers", "feed", "guid", "url",
    "version", "pubstatus", "kicker", "headline", "lead", "key_points", "body_text",
    "body_html", "language", "dateline", "byline", "subjects", "urgency", "ednote", "signals",
    "embargoed", "usage_terms", "copyright_notice", "firstcreated", "versioncreated",
    "ingested_at", "renditions", "links", "content_hash", "cluster_id",
)  # fmt: skip
IMAGE_COLUMNS = (
    "href", "alt", "caption", "credit", "creator", "agencies", "copyright_holder", "usage_terms",
    "copyright_notice",
)  # fmt: skip
SIGHTING_COLUMNS = ("source", "feed", "guid", "url", "seen_at")


def record_of(
    row: Any, images: Sequence[Any] = (), sightings: Sequence[Any] = ()
) -> dict[str, Any]:
    """The canonical record from an article row (ORM object or mapping) and its children."""
    get = row.get if isinstance(row, Mapping) else row.__getattribute__
    data: dict[str, Any] = {name: get(name) for name in RECORD_COLUMNS}
    for name in (
        "agencies",
        "producers",
        "key_points",
        "subjects",
        "signals",
        "renditions",
        "links",
    ):
        data[name] = list(data[name] or [])
    data["unresolved_agencies"] = dict(data["unresolved_agencies"] or {})
    data["type"] = data["type"] or "text"
    for name in ("firstcreated", "versioncreated", "ingested_at", "embargoed"):
        data[name] = iso(data[name])
    data["images"] = [image_dict(i) for i in images]
    data["sightings"] = [
        {**{k: _get(s, k) for k in SIGHTING_COLUMNS}, "seen_at": iso(_get(s, "seen_at"))}
        for s in sightings
    ]
    # Key order of Article.to_dict(): images before content_hash, sightings last.
    order = [*RECORD_COLUMNS[:-2], "images", "content_hash", "cluster_id", "sightings"]
    return {k: data[k] for k in order}


def _get(obj: Any, name: str) -> Any:
    return obj[name] if isinstance(obj, Mapping) else getattr(obj, name)


def article_dict(row: ArticleRow) -> dict[str, Any]:
    """The canonical record of the current version, as stored."""
    return record_of(row, row.images, row.sightings)


def image_dict(img: Any) -> dict[str, Any]:
    data = {k: _get(img, k) for k in IMAGE_COLUMNS}
    data["agencies"] = list(data["agencies"] or [])
    return data


def load_records(session: Session, ids: Sequence[str]) -> list[dict[str, Any]]:
    """Canonical records of these articles, in this order: three queries, no ORM objects."""
    if not ids:
        return []
    articles, images, sightings = ArticleRow.__table__, ImageRow.__table__, SightingRow.__table__
    rows = {
        r["id"]: r
        for r in session.execute(select(articles).where(articles.c.id.in_(ids))).mappings()
    }
    pictures: dict[str, list[Any]] = {}
    for img in session.execute(
        select(images).where(images.c.article_id.in_(ids)).order_by(images.c.position)
    ).mappings():
        pictures.setdefault(img["article_id"], []).append(img)
    seen: dict[str, list[Any]] = {}
    for sighting in session.execute(
        select(sightings).where(sightings.c.article_id.in_(ids)).order_by(sightings.c.seen_at)
    ).mappings():
        seen.setdefault(sighting["article_id"], []).append(sighting)
    return [record_of(rows[i], pictures.get(i, ()), seen.get(i, ())) for i in ids if i in rows]


def get_article(
    session: Session, article_id: str, viewer: Viewer = READER
) -> dict[str, Any] | None:
    """One article with its version history and cluster membership, or None (also while
    under embargo for ``viewer``; a killed one is its tombstone)."""
    row = session.get(ArticleRow, article_id)
    if row is None or not is_released(row, viewer):
        return None
    data = withdrawn(article_dict(row), viewer)
    data["media"] = linked_media(session, article_id)
    data["linked_by"] = linking_stories(session, row.guid)
    data["versions"] = [
        {
            "version": v.version,
            "pubstatus": v.pubstatus,
            "versioncreated": iso(v.versioncreated),
            "ingested_at": iso(v.ingested_at),
            "content_hash": v.content_hash,
            "headline": (v.record or {}).get("headline"),
        }
        for v in row.versions
    ]
    member = session.get(ClusterMember, article_id)
    data["cluster"] = None
    if row.cluster_id:
        members = session.execute(
            select(ClusterMember, ArticleRow.headline, ArticleRow.source)
            .join(ArticleRow, ArticleRow.id == ClusterMember.article_id)
            .where(ClusterMember.cluster_id == row.cluster_id, *released(viewer))
            .order_by(ClusterMember.joined_at)
        ).all()
        data["cluster"] = {
            "id": row.cluster_id,
            "similarity": member.similarity if member else None,
            "matched": member.matched_article_id if member else None,
            "members": [
                {
                    "id": m.article_id,
                    "headline": headline,
                    "source": source,
                    "similarity": m.similarity,
                    "matched": m.matched_article_id,
                }
                for m, headline, source in members
            ],
        }
    return data


def get_version(
    session: Session, article_id: str, version: int, viewer: Viewer = READER
) -> dict[str, Any] | None:
    """One stored version, or None (also while the story is under embargo for ``viewer``);
    every version of a killed story is its tombstone."""
    row = session.get(ArticleRow, article_id)
    if row is None or not is_released(row, viewer):
        return None
    v = session.scalar(
        select(ArticleVersion).where(
            ArticleVersion.article_id == article_id, ArticleVersion.version == version
        )
    )
    if v is None:
        return None
    if row.pubstatus == "canceled" and not viewer.audit:
        return killed_view(article_dict(row), dict(v.record))
    return dict(v.record)


def get_cluster(
    session: Session, cluster_id: str, *, limit: int = 500, viewer: Viewer = READER
) -> dict[str, Any] | None:
    """A story cluster with its members (newest first) and why each joined, or None.

    Members under embargo for ``viewer`` are left out; callers render killed members with
    :func:`wire.storage.visibility.withdrawn`."""
    cluster = session.get(Cluster, cluster_id)
    members = session.execute(
        select(ArticleRow, ClusterMember)
        .outerjoin(ClusterMember, ClusterMember.article_id == ArticleRow.id)
        .where(ArticleRow.cluster_id == cluster_id, *released(viewer))
        .options(selectinload(ArticleRow.images), selectinload(ArticleRow.sightings))
        .order_by(ArticleRow.versioncreated.desc(), ArticleRow.id.desc())
        .limit(limit)
    ).all()
    # the size counts what the viewer may see; a cluster of embargoed stories only is none
    visible = session.scalar(
        select(func.count()).where(ArticleRow.cluster_id == cluster_id, *released(viewer))
    )
    if not members and (cluster is None or (cluster.size and not visible)):
        return None
    return {
        "id": cluster_id,
        "language": cluster.language if cluster else None,
        "size": visible,
        "created_at": iso(cluster.created_at) if cluster else None,
        "updated_at": iso(cluster.updated_at) if cluster else None,
        "members": [
            {
                "id": row.id,
                "similarity": m.similarity if m else None,
                "matched": m.matched_article_id if m else None,
                "joined_at": iso(m.joined_at) if m else None,
            }
            for row, m in members
        ],
        "rows": [row for row, _ in members],
    }
