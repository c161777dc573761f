"""Text search on SQLite: the token tree as an FTS5 expression, and the plans that page it.

The FTS5 index ``articles_search`` is keyed by ``article_keys.key`` (migration 0004) and its
headline, lead and body columns hold the article's search tokens (:mod:`.tokens`, migration
i17); a ``tags`` column holds each article's filter values as tokens, and ``article_keys``
carries the columns searches sort by. So a match is filtered, ranked and ordered without
reading any article row.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from wire.errors import QueryError
from wire.record import PUBSTATUSES, iso
from wire.storage.filters import ArticleQuery, urgencies
from wire.storage.models import ArticleRow
from wire.storage.paging import BAD_CURSOR, IdPage, encode_cursor, key_number, newest_key
from wire.storage.search.matching import AnyOf, Match, Tokens, all_tokens, to_match
from wire.storage.visibility import Viewer, sqlite_released

RANK_WINDOW = 10_000  # relevance ranks at most the newest this many matches
# ... and this many when tags filter (language, source, agency, has_images): bm25 then reads
# the tags' long doclists for their weights too, so each scored match costs more
RANK_WINDOW_FILTERED = 2_000
NEWEST_SCAN_FROM = 2_000  # more matches: newest-first walks the time index instead of sorting


def filter_tag(prefix: str, value: str) -> str:
    """The index token of one filter value (migration 0004 writes the same: hex of UTF-8)."""
    return f"z{prefix}{value.encode().hex()}"


_HEX_TAGS = ("zlg", "zso", "zps", "zag")  # + hex of the value (may be empty); and zim0, zim1
_HEX = frozenset("0123456789abcdef")


def may_reach_tag(prefix: str) -> bool:
    """Whether a prefix search for ``prefix`` could match a filter tag. Only such a prefix
    has to be held to the text (FTS5's columns, PostgreSQL's weights A-C), which checks every
    match's positions (on PostgreSQL: reads each match's TOASTed vector); "zimme*" or
    "zuri*" can never reach ``zim0``/``zim1`` or a tag of hex digits."""
    if len(prefix) <= 3:
        return any(head.startswith(prefix) for head in (*_HEX_TAGS, "zim"))
    head, rest = prefix[:3], prefix[3:]
    if head == "zim":
        return rest in ("0", "1")
    return head in _HEX_TAGS and set(rest) <= _HEX


def render(match: Match) -> str:
    """An FTS5 expression of a token tree; every token quoted (never FTS5 syntax)."""
    if isinstance(match, Tokens):
        quoted = '"' + " ".join(match.tokens) + '"'
        return quoted + " *" if match.prefix else quoted
    if isinstance(match, AnyOf):
        if len(match.items) == 1:
            return render(match.items[0])
        return "(" + " OR ".join(render(m) for m in match.items) + ")"
    must = " AND ".join(render(m) for m in match.must)
    if not match.must_not:
        return must if len(match.must) == 1 else f"({must})"
    return f"(({must}) NOT ({' OR '.join(render(m) for m in match.must_not)}))"


def fts_query(query: ArticleQuery) -> str:
    """The FTS5 expression of a query: its text ANDed with the filter tags (language,
    source, agency, has_images; pubstatus: the rare ones asked, or NOT those not asked). No
    column filter unless needed: it costs a position-list check per match, and tag tokens
    (``z`` + letters + hex) never occur in text; only a prefix of their shape could reach
    them (:func:`may_reach_tag`)."""
    assert query.parsed is not None
    match = to_match(query.parsed, query.stem_languages)
    text = render(match)
    if any(t.prefix and may_reach_tag(t.tokens[-1]) for t in all_tokens(match)):
        text = f"{{headline lead body}} : ({text})"
    parts = [text]
    for prefix, values in (
        ("lg", query.language),
        ("so", query.source),
        ("ag", query.agency),
    ):
        if values:
            parts.append("(" + " OR ".join(filter_tag(prefix, v) for v in values) + ")")
    if query.has_images is not None:
        parts.append(f"zim{int(query.has_images)}")
    if "usable" not in query.pubstatus:  # only the rare withheld or canceled: a tag narrows
        parts.append("(" + " OR ".join(filter_tag("ps", s) for s in query.pubstatus) + ")")
    expression = " AND ".join(parts)
    if _leaves_out_some(query):  # usable and not every rare status: NOT the rare ones
        rare = [filter_tag("ps", s) for s in PUBSTATUSES if s not in query.pubstatus]
        expression = f"({expression}) NOT ({' OR '.join(rare)})"
    return expression


def _leaves_out_some(query: ArticleQuery) -> bool:
    """Usable stories and not every other status: the index leaves out the rare statuses.

    ``NOT (zps<withheld> OR zps<canceled>)`` reads only those tags' short doclists, where a
    check of ``article_keys.pubstatus`` per match was a random row read each (most of a
    common word's search time on a large store); a positive tag for "usable" would be
    nearly the whole index.
    """
    return "usable" in query.pubstatus and set(query.pubstatus) != set(PUBSTATUSES)


def _sqlite_filters(query: ArticleQuery) -> tuple[list[str], dict[str, Any]]:
    """SQL conditions on ``article_keys k`` for the filters the index has no tag for."""
    conds: list[str] = []
    params: dict[str, Any] = {}
    if query.subject:
        for i, value in enumerate(query.subject):
            params[f"sub{i}"] = value
            params[f"sublow{i}"] = value.lower()
        codes = ", ".join(f":sub{i}" for i in range(len(query.subject)))
        lowered = ", ".join(f":sublow{i}" for i in range(len(query.subject)))
        conds.append(
            "EXISTS (SELECT 1 FROM article_subjects s WHERE s.article_id = k.article_id"
            f" AND (s.code IN ({codes}) OR lower(s.code) IN ({lowered})"
            f" OR lower(s.name) IN ({lowered})))"
        )
    if query.type:
        for i, value in enumerate(query.type):
            params[f"ty{i}"] = value
        types = ", ".join(f":ty{i}" for i in range(len(query.type)))
        conds.append(
            f"EXISTS (SELECT 1 FROM articles a WHERE a.id = k.article_id AND a.type IN ({types}))"
        )
    if query.cluster:
        conds.append("k.cluster_id = :cluster")
        params["cluster"] = query.cluster
    if query.urgency is not None:  # not on article_keys: the article row, by primary key
        values = ", ".join(str(int(u)) for u in urgencies(query.urgency))  # ints 1..9
        conds.append(
            "EXISTS (SELECT 1 FROM articles a WHERE a.id = k.article_id"
            f" AND a.urgency IN ({values}))"
        )
    if query.ids:
        for i, value in enumerate(query.ids):
            params[f"id{i}"] = value
        conds.append(f"k.article_id IN ({', '.join(f':id{i}' for i in range(len(query.ids)))})")
    dates, dated = _date_filters(query)
    return conds + dates, {**params, **dated}


def _date_filters(query: ArticleQuery) -> tuple[list[str], dict[str, Any]]:
    """The ``since``/``until`` conditions on ``article_keys k``: they bound the relevance
    window itself (the newest matches within the dates), not only the page drawn from it."""
    conds: list[str] = []
    params: dict[str, Any] = {}
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


def text_page(
    session: Session,
    query: ArticleQuery,
    limit: int,
    key: list[Any] | None,
    fp: str,
    viewer: Viewer,
) -> IdPage:
    """One page of a text query on SQLite that ``viewer`` may see now, ranked or newest
    first (embargoes: a condition on the index key, :func:`sqlite_released`)."""
    conds, params = _sqlite_filters(query)
    held, held_params = sqlite_released(viewer)
    params = {**params, **held_params, "match": fts_query(query)}
    where = "".join(f" AND {c}" for c in conds)
    if query.effective_sort == "relevance":
        tagged = bool(query.language or query.source or query.agency) or (
            query.has_images is not None
        )
        assert query.parsed is not None
        words = render(to_match(query.parsed, query.stem_languages))
        params["in_headline"] = f"{{headline}} : ({words})"
        params["in_lead"] = f"{{lead}} : ({words})"
        restrict = ""  # a cluster or named articles: a handful, ranked all, never a window
        if query.cluster:
            restrict = " AND {r} IN (SELECT key FROM article_keys WHERE cluster_id = :cluster)"
        elif query.ids:
            marks = ", ".join(f":id{i}" for i in range(len(query.ids)))
            restrict = f" AND {{r}} IN (SELECT key FROM article_keys WHERE article_id IN ({marks}))"
        return _sqlite_relevance(
            session,
            where,
            params,
            restrict,
            limit,
            key,
            fp,
            held.format("s.rowid"),
            tagged,
            window=not restrict,
            dates=_date_filters(query),
        )
    return _sqlite_newest(session, query, where + held.format("k.key"), params, limit, key, fp)


def _sqlite_relevance(
    session: Session,
    where: str,
    params: dict[str, Any],
    restrict: str,
    limit: int,
    key: list[Any] | None,
    fp: str,
    held: str = "",
    tagged: bool = False,
    *,
    window: bool = True,
    dates: tuple[list[str], dict[str, Any]] = ([], {}),
) -> IdPage:
    """Where the words occur first (headline, then lead, then body only), newest first
    within each, over a window of the newest matches.

    The window (the ``RANK_WINDOW`` -- ``RANK_WINDOW_FILTERED`` with tagged filters -- most
    recently stored articles matching the words and the tagged filters, fixed for all pages
    of one query by the cursor) keeps a very common word about as fast as a rare one.
    Subject filters apply within the window; ``dates`` (``since``/``until``) bound the
    window itself, so it is the newest matches of that time and an old range is not empty
    because newer matches filled the window (walking the newer matches to find it costs
    tens of milliseconds for a very common word at a million articles). Each tier is a
    match expression of its own (the query AND the words in the headline; in the lead NOT
    in the headline; NOT in either), walked newest first over the window's key range until
    the page is full: a word in the headlines of 51 stories in the window never reads the
    rest. Unlike bm25, whose weights read every match of every word and tag in the whole
    index for each query, they cost at most the window.
    """
    join = " JOIN article_keys k ON k.key = s.rowid" if where else ""
    after_tier, after_key = 0, 0
    if key is None:
        # The window: matches keyed cut..top. Articles stored later (higher keys) stay out of
        # this query's later pages, so its pages neither repeat nor skip a match.
        top = session.execute(text("SELECT coalesce(max(key), 0) FROM article_keys")).scalar_one()
        cut = 0
        if window:  # the key of the window-th newest match (none: fewer)
            size = RANK_WINDOW_FILTERED if tagged else RANK_WINDOW
            date_conds, date_params = dates
            dated = "".join(f" AND {c}" for c in date_conds)
            few = _keys_within(session, dated, date_params, size) if dated else None
            if few is not None:  # the dates hold fewer stories than a window: their keys
                window, cut, top = False, few[1], min(top, few[2])
        if window:
            cut = (
                session.execute(
                    _bind(
                        "SELECT s.rowid FROM articles_search s"
                        + (" JOIN article_keys k ON k.key = s.rowid" if dated else "")
                        + f" WHERE articles_search MATCH :match{dated}"
                        f" ORDER BY s.rowid DESC LIMIT 1 OFFSET {size - 1}",
                        {"match": params["match"], **(date_params if dated else {})},
                    )
                ).scalar()
                or 0
            )
    else:
        if len(key) != 4:
            raise QueryError(BAD_CURSOR)
        after_tier, after_key = key_number(key[0], int), key_number(key[1], int)
        cut, top = key_number(key[2], int), key_number(key[3], int)
    params = {**params, "cut": cut, "top": top}
    in_headline, in_lead = params.pop("in_headline"), params.pop("in_lead")
    match = params.pop("match")
    # Tier by tier, each its own match expression walked newest first by key: a page whose
    # tier 0 (the words in the headline) is full reads no further, and no match in the
    # window is tiered that the page does not show.
    tiers = (
        f"({match}) AND ({in_headline})",
        f"(({match}) AND ({in_lead})) NOT ({in_headline})",
        f"({match}) NOT (({in_headline}) OR ({in_lead}))",
    )
    found: list[tuple[int, int]] = []
    for tier, expression in enumerate(tiers):
        if key is not None and tier < after_tier:
            continue
        keyset = " AND s.rowid < :after_key" if key is not None and tier == after_tier else ""
        extra = {"after_key": after_key} if keyset else {}
        found += [
            (r, tier)
            for (r,) in session.execute(
                _bind(
                    f"SELECT s.rowid FROM articles_search s{join} WHERE articles_search MATCH "
                    f":match AND s.rowid BETWEEN :cut AND :top{restrict.format(r='s.rowid')}"
                    f"{where}{held}{keyset} ORDER BY s.rowid DESC LIMIT :n",
                    {**params, **extra, "match": expression, "n": limit + 1 - len(found)},
                )
            )
        ]
        if len(found) > limit:
            break
    more = len(found) > limit
    found = found[:limit]
    ids = _ids_of_keys(session, [r for r, _ in found])
    nxt = None
    if more:
        nxt = encode_cursor("relevance", [found[-1][1], found[-1][0], cut, top], fp)
    return IdPage([ids[r] for r, _ in found if r in ids], nxt)


def _keys_within(
    session: Session, dated: str, params: dict[str, Any], most: int
) -> tuple[int, int, int] | None:
    """The count, lowest and highest key of the stories within the dates, from the time
    index, when there are at most ``most`` (else None): such a range needs no window, and
    its keys bound the walk (a window's cut would walk every match of the words)."""
    inner = f"SELECT k.key FROM article_keys k WHERE 1 = 1{dated} LIMIT {int(most) + 1}"
    n, low, high = session.execute(
        _bind(f"SELECT count(*), min(key), max(key) FROM ({inner})", params)
    ).one()
    return None if n > most else (int(n), int(low or 0), int(high or 0))


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
    after = newest_key(key) if key else None
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
