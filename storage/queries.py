"""Reads shared by the CLI and the HTTP API: search with filters, keyset pages, article views.

Pagination is keyset only (never OFFSET): a page ends with an opaque cursor, the base64 of the
last row's sort key, and the next page starts strictly after that key. Ranked search sorts by
(score, id), newest-first lists by (versioncreated, id); both are total orders, so a row is
never shown twice nor skipped while the page boundary moves.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import (
    ColumnElement,
    Float,
    Select,
    String,
    bindparam,
    cast,
    exists,
    false,
    func,
    literal_column,
    or_,
    select,
    text,
    tuple_,
)
from sqlalchemy.dialects.postgresql import DOUBLE_PRECISION
from sqlalchemy.orm import Session, selectinload

from ingest.record import PUBSTATUSES, iso, parse_iso
from storage.models import (
    ArticleAgency,
    ArticleRow,
    ArticleSubject,
    ArticleVersion,
    Cluster,
    ClusterMember,
    ImageRow,
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


def fts_tokens(q: str) -> list[str]:
    """Words of a user query; FTS syntax characters (quotes, *, NEAR, parentheses) are dropped."""
    return _TOKEN.findall(q)


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


def _text_score(
    session: Session, terms: Sequence[Term], languages: Sequence[str] = ()
) -> tuple[Any, ColumnElement[Any] | None, ColumnElement[float]]:
    """(join target, where clause, score) of a text query; a lower score ranks higher."""
    if session.get_bind().dialect.name == "sqlite":
        match = sqlite_match(terms)
        fts = (
            text(
                # Columns: article_id (unindexed), headline, lead, body.
                "SELECT article_id, bm25(articles_fts, 0.0, 10.0, 4.0, 1.0) AS score "
                "FROM articles_fts WHERE articles_fts MATCH :match"
            )
            .columns(article_id=String, score=Float)
            .bindparams(match=match)
            .subquery("fts")
        )
        return fts, None, fts.c.score
    tsq = _pg_tsquery(terms, _pg_configs(languages))
    vector: ColumnElement[Any] = literal_column("articles.search_vector")
    score = cast(-func.ts_rank(vector, tsq, type_=Float), DOUBLE_PRECISION)
    return None, vector.op("@@")(tsq), score


def apply_text_search(stmt: Select[Any], session: Session, q: str) -> Select[Any]:
    """Restrict and rank ``stmt`` (selecting from articles) by the full-text query ``q``."""
    terms = parse_text_query(q, strict=False)
    if not terms:
        return stmt.where(false())
    target, cond, score = _text_score(session, terms)
    if target is not None:
        stmt = stmt.join(target, target.c.article_id == ArticleRow.id)
    if cond is not None:
        stmt = stmt.where(cond)
    return stmt.order_by(score, ArticleRow.id)


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


def encode_cursor(sort: Sort, key: Sequence[Any], fingerprint: str) -> str:
    blob = json.dumps({"v": CURSOR_VERSION, "s": sort, "k": list(key), "f": fingerprint})
    return base64.urlsafe_b64encode(blob.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, sort: Sort, fingerprint: str) -> tuple[Any, str]:
    """The (first key part, id) a cursor holds, after checking it belongs to this query."""
    bad = QueryError("cursor is not valid; use the 'next' value of a previous page as it is")
    if len(cursor) > 1000:
        raise bad
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise bad from None
    if not isinstance(data, dict) or data.get("v") != CURSOR_VERSION:
        raise bad
    key = data.get("k")
    if not (isinstance(key, list) and len(key) == 2 and isinstance(key[1], str)):
        raise bad
    if data.get("s") != sort or data.get("f") != fingerprint:
        raise QueryError(
            "cursor belongs to a different query (filters or sort changed); start without cursor"
        )
    first = key[0]
    if sort == "relevance":
        if not isinstance(first, int | float) or isinstance(first, bool):
            raise bad
        return float(first), key[1]
    if first is None:
        return None, key[1]
    if not isinstance(first, str):
        raise bad
    try:
        return parse_iso(first), key[1]
    except ValueError:
        raise bad from None


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
) -> Page:
    """One page of articles matching ``query``, and the cursor of the next page (or None)."""
    sort = query.effective_sort
    fp = query.fingerprint()
    after = decode_cursor(cursor, sort, fp) if cursor else None
    stmt: Select[Any] = select(ArticleRow)
    if load_children:
        stmt = stmt.options(selectinload(ArticleRow.images), selectinload(ArticleRow.sightings))
    score = None
    if query.terms:
        target, cond, score = _text_score(session, query.terms, query.language)
        if target is not None:
            stmt = stmt.join(target, target.c.article_id == ArticleRow.id)
        if cond is not None:
            stmt = stmt.where(cond)
    stmt = stmt.where(*_filters(query))
    if sort == "relevance":
        assert score is not None
        stmt = stmt.add_columns(score)
        if after is not None:
            stmt = stmt.where(tuple_(score, ArticleRow.id) > tuple_(after[0], after[1]))
        found = [
            (row, float(s))
            for row, s in session.execute(stmt.order_by(score, ArticleRow.id).limit(limit + 1))
        ]
        more = len(found) > limit
        found = found[:limit]
        nxt = encode_cursor(sort, [found[-1][1], found[-1][0].id], fp) if more else None
        return Page([row for row, _ in found], nxt)
    return _newest_page(session, stmt, limit, after, fp)


def _newest_page(
    session: Session, stmt: Select[Any], limit: int, after: tuple[Any, str] | None, fp: str
) -> Page:
    """Newest first, then id; undated rows come last on every backend.

    Two index-friendly range scans instead of one ``NULLS LAST`` sort: dated rows by
    (versioncreated, id) descending, then undated rows by id descending.
    """
    vc, aid = ArticleRow.versioncreated, ArticleRow.id
    rows: list[ArticleRow] = []
    if after is None or after[0] is not None:
        dated = stmt.where(vc.is_not(None))
        if after is not None:
            dated = dated.where(tuple_(vc, aid) < tuple_(after[0], after[1]))
        rows = list(session.scalars(dated.order_by(vc.desc(), aid.desc()).limit(limit + 1)))
    if len(rows) <= limit:
        undated = stmt.where(vc.is_(None))
        if after is not None and after[0] is None:
            undated = undated.where(aid < after[1])
        want = limit + 1 - len(rows)
        rows += list(session.scalars(undated.order_by(aid.desc()).limit(want)))
    more = len(rows) > limit
    rows = rows[:limit]
    nxt = encode_cursor("newest", [iso(rows[-1].versioncreated), rows[-1].id], fp) if more else None
    return Page(rows, nxt)


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
    session: Session, q: str | None = None, *, agency: str | None = None, limit: int = 20
) -> list[Hit]:
    """Full-text search (ranked) or, without ``q``, the newest articles; optional agency filter.

    Lenient about query syntax (a stray quote is dropped); a query with no words finds nothing.
    """
    query = ArticleQuery(q=q, agency=(agency,) if agency else (), strict=False)
    if query.q and not query.terms:
        return []
    page = find_articles(session, query, limit=limit, load_children=False)
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


def article_dict(row: ArticleRow) -> dict[str, Any]:
    """The canonical record of the current version, as stored."""
    return {
        "id": row.id,
        "source": row.source,
        "agencies": list(row.agencies or []),
        "feed": row.feed,
        "guid": row.guid,
        "url": row.url,
        "version": row.version,
        "pubstatus": row.pubstatus,
        "kicker": row.kicker,
        "headline": row.headline,
        "lead": row.lead,
        "key_points": list(row.key_points or []),
        "body_text": row.body_text,
        "body_html": row.body_html,
        "language": row.language,
        "dateline": row.dateline,
        "byline": row.byline,
        "subjects": list(row.subjects or []),
        "urgency": row.urgency,
        "firstcreated": iso(row.firstcreated),
        "versioncreated": iso(row.versioncreated),
        "ingested_at": iso(row.ingested_at),
        "images": [image_dict(i) for i in row.images],
        "content_hash": row.content_hash,
        "cluster_id": row.cluster_id,
        "sightings": [
            {
                "source": s.source,
                "feed": s.feed,
                "guid": s.guid,
                "url": s.url,
                "seen_at": iso(s.seen_at),
            }
            for s in row.sightings
        ],
    }


def image_dict(img: ImageRow) -> dict[str, Any]:
    return {
        "href": img.href,
        "alt": img.alt,
        "caption": img.caption,
        "credit": img.credit,
        "creator": img.creator,
        "agencies": list(img.agencies or []),
        "copyright_holder": img.copyright_holder,
    }


def get_article(session: Session, article_id: str) -> dict[str, Any] | None:
    """One article with its version history and cluster membership, or None."""
    row = session.get(ArticleRow, article_id)
    if row is None:
        return None
    data = article_dict(row)
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
            .where(ClusterMember.cluster_id == row.cluster_id)
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


def get_version(session: Session, article_id: str, version: int) -> dict[str, Any] | None:
    v = session.scalar(
        select(ArticleVersion).where(
            ArticleVersion.article_id == article_id, ArticleVersion.version == version
        )
    )
    return dict(v.record) if v else None


def get_cluster(session: Session, cluster_id: str, *, limit: int = 500) -> dict[str, Any] | None:
    """A story cluster with its members (newest first) and why each joined, or None."""
    cluster = session.get(Cluster, cluster_id)
    members = session.execute(
        select(ArticleRow, ClusterMember)
        .outerjoin(ClusterMember, ClusterMember.article_id == ArticleRow.id)
        .where(ArticleRow.cluster_id == cluster_id)
        .options(selectinload(ArticleRow.images), selectinload(ArticleRow.sightings))
        .order_by(ArticleRow.versioncreated.desc(), ArticleRow.id.desc())
        .limit(limit)
    ).all()
    if cluster is None and not members:
        return None
    return {
        "id": cluster_id,
        "language": cluster.language if cluster else None,
        "size": cluster.size if cluster else len(members),
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
