"""Relevance on PostgreSQL within a window of the newest matches, found without visiting
every match.

Ranking has to score every candidate, and scoring means a visit to the candidate's table row:
a word found in one story in six at a million articles is 160,000 row visits, seconds. So a
ranked search on a large store scores only the newest ``RANK_WINDOW`` matches (by
``versioncreated``, then id), as the embedded store does with its own window.

The window is found by probing time ranges from the newest end, sized by the planner
statistics' histogram of ``versioncreated`` (~100 slices of equal row counts). A probe asks for
the matches newer than a bound through the days and 32-day blocks of its range, the second
column of the GIN index (``wire_time_buckets``, migration i17d_pg_search_days): GIN intersects
them with the words inside the index, so only matches inside the range are visited and no
bitmap of the words' matches over all time is built. The first probe reads the newest 0.7 %
of the table, where a word in one story in six fills the window; a rarer word's density
there sizes the next probe (at most ``GROWTH`` times the range so far, anywhere inside a
histogram slice), and so on until the window is full (:func:`_first_window`). A query
estimated to have fewer matches than the window ranks every match, as on a small store.
Later pages of one query keep its window (the cursor carries its bounds), so pages neither
repeat nor skip a match.

The time filters bound the probes (:func:`probe_span`, shared with :mod:`.pgnewest`): the
window is the newest matches within ``since`` and ``until``, so the first probe starts at
``until`` and the last ends at ``since``; a probe from the newest story found nothing in a
range the filter excludes, and the query ranked every match over all time (``Regierung``
until ten months back: 360 ms at a million articles).
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    DateTime,
    Integer,
    Select,
    String,
    bindparam,
    func,
    literal_column,
    text,
    tuple_,
    type_coerce,
)
from sqlalchemy.orm import Session

from wire.errors import QueryError
from wire.record import iso, parse_iso
from wire.storage.models import ArticleRow
from wire.storage.paging import BAD_CURSOR, IdPage, encode_cursor, key_number, ranked_page

RANK_WINDOW = 1_000  # relevance ranks at most the newest this many matches
WINDOW_FROM_ROWS = 50_000  # a smaller store (planner estimate) ranks every match
# Percent of the table, newest first, the first probe reads: at a million articles 7,000
# rows, where a word in one story in six fills the window of 1,000 (reading 1 % visited
# 1,600 of its rows for those 1,000).
FIRST_SLICE = 0.7
MARGIN = 1.15  # a later probe spans this many times the missing matches, at the density so far
MIN_STEP = 0.05  # percent of the table a later probe adds at least
# A query is taken to have fewer matches than the window (and ranks them all) only when
# the density says so over at least this percent of the table: the first probe's few
# thousand rows often hold no match, or one burst of copies, of a word with thousands.
SURE_FROM = 5.0
# A later probe reads at most this many times the range read so far: a density measured on
# a handful of matches (a burst of copies of one story) once sized a probe over most of the
# table, visiting 4,000 rows for a window of 1,000.
GROWTH = 8.0
# Probes before a query whose window is still short ranks every match. A later probe often
# falls a few matches short of the window (the density varies); one more small probe costs a
# few milliseconds, ranking every match of a word thousands of row visits.
PROBES = 8
BOUNDS_TTL = 60.0  # seconds a process reuses the table's row count and time histogram
# Estimated matches up to which a later probe reads every row of the words (the GIN index
# without the days) rather than intersect them with the days of its range: a range of most
# of the table costs more index entries than a rare word has rows.
WORDS_ONLY_BELOW = 2_000
TIME_INDEX_UP_TO = 10.0  # ... but a probe over at most this percent of the table uses the days
# Memory for the bitmaps of one search (this transaction only): a common word's bitmap of
# 150,000 rows outgrows PostgreSQL's default 4 MB, turns lossy, and every row of its pages is
# then re-checked by reading its whole TOASTed vector.
SEARCH_WORK_MEM = "64MB"

_BOUNDS = text(
    "SELECT c.reltuples, s.histogram_bounds::text,"
    " (SELECT max(versioncreated) FROM articles) FROM pg_class c"
    " JOIN pg_namespace n ON n.oid = c.relnamespace"
    " LEFT JOIN pg_stats s ON s.schemaname = n.nspname AND s.tablename = 'articles'"
    " AND s.attname = 'versioncreated'"
    " WHERE c.relname = 'articles' AND n.nspname = current_schema()"
)


def histogram(raw: str | None) -> list[datetime]:
    """The bounds of a ``histogram_bounds`` text ("{"2026-01-01 00:00:00",...}"), ascending."""
    if not raw or len(raw) < 2:
        return []
    out = []
    for part in raw[1:-1].split(","):
        try:
            out.append(datetime.fromisoformat(part.strip().strip('"')))
        except ValueError:
            return []
    return out


def slice_bound(bounds: Sequence[datetime], percent: float) -> datetime:
    """The lower time bound of the newest ``percent`` of the rows, by the histogram."""
    n = len(bounds) - 1
    return bounds[max(0, n - math.ceil(min(percent, 100.0) * n / 100))]


_NEWEST = text("SELECT max(versioncreated) FROM articles")
# Per engine: (monotonic time read, histogram) of a store large enough for a window.
_bounds_cache: WeakKeyDictionary[Any, tuple[float, list[datetime]]] = WeakKeyDictionary()


def store_bounds(session: Session) -> tuple[list[datetime], datetime | None]:
    """The histogram of ``versioncreated`` (none when the store is small enough to rank
    every match, or has no statistics yet) and the newest ``versioncreated`` now.

    The histogram changes only when autovacuum analyses the table, and sizes probes only
    (never which matches a page shows), so a process reads it from the catalogue (pg_stats,
    ~1 ms) at most once per ``BOUNDS_TTL`` per engine; the newest time is read every time.
    """
    engine = session.get_bind()
    cached = _bounds_cache.get(engine)
    if cached is not None and time.monotonic() - cached[0] < BOUNDS_TTL:
        return cached[1], session.execute(_NEWEST).scalar()
    row = session.execute(_BOUNDS).first()
    if row is None or (row[0] or 0) < WINDOW_FROM_ROWS:
        return [], None
    bounds = histogram(row[1])
    if len(bounds) < 2:
        return [], None
    _bounds_cache[engine] = (time.monotonic(), bounds)
    return bounds, row[2]


BLOCK_DAYS = 32  # days per coarse bucket of wire_time_buckets (migration i17d)


def day_number(value: datetime) -> int:
    """Days since 1970-01-01 UTC (naive times are UTC), as ``wire_time_buckets`` counts."""
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return math.floor(aware.timestamp() / 86400)


def time_buckets(lo: datetime, hi: datetime) -> list[int]:
    """The buckets of ``wire_time_buckets`` that cover the days ``lo`` to ``hi``: whole
    32-day blocks (``-1 - day // 32``) where they fit, single days at the edges (at least
    the day of ``lo``)."""
    day = day_number(lo)
    last = max(day, day_number(hi))
    out: list[int] = []
    while day <= last:
        if day % BLOCK_DAYS == 0 and day + BLOCK_DAYS - 1 <= last:
            out.append(-1 - day // BLOCK_DAYS)
            day += BLOCK_DAYS
        else:
            out.append(day)
            day += 1
    return out


def in_buckets(lo: datetime, hi: datetime) -> ColumnElement[bool]:
    """``versioncreated`` within the days ``lo`` to ``hi`` (whole days), as the GIN index's
    second column: an intersection inside the index with the words."""
    buckets = func.wire_time_buckets(ArticleRow.versioncreated, type_=ARRAY(Integer))
    return buckets.op("&&")(bindparam(None, time_buckets(lo, hi), ARRAY(Integer)))


def windowed_page(
    session: Session,
    stmt: Select[Any],
    score: ColumnElement[float],
    limit: int,
    key: list[Any] | None,
    fp: str,
    *,
    prefix: bool = False,
    since: datetime | None = None,
    until: datetime | None = None,
) -> IdPage:
    """One relevance page (best score first, then id) within the window of the newest
    matches; the whole match set when it is smaller than the window. ``prefix``: the text
    has a prefix term, whose every probe costs index work of its own (:func:`_first_window`).
    ``since`` and ``until``, the query's time filters (already in ``stmt``), bound the
    probes: the window is the newest matches within them."""
    session.execute(text(f"SET LOCAL work_mem = '{SEARCH_WORK_MEM}'"))
    if key is not None and len(key) == 2:  # a query that ranked every match
        return _ranked_all(session, stmt, score, limit, key, fp, since, until)
    vc, aid = ArticleRow.versioncreated, ArticleRow.id
    if key is None:
        found = _first_window(session, stmt, score, prefix=prefix, since=since, until=until)
        if found is None:
            return _ranked_all(session, stmt, score, limit, None, fp, since, until)
        window, whole = found
        rows = sorted(((i, s) for i, _, s in window), key=lambda r: (r[1], r[0]))[: limit + 1]
        if whole:  # every match of the query, fewer than the window: ranked as ranked_page
            nxt = None
            if len(rows) > limit:
                nxt = encode_cursor("relevance", [rows[limit - 1][1], rows[limit - 1][0]], fp)
            return IdPage([i for i, _ in rows[:limit]], nxt)
        cut_vc, cut_id = window[-1][1], window[-1][0]
        top = max(r[1] for r in window)
    else:
        if len(key) != 5:
            raise QueryError(BAD_CURSOR)
        after = (float(key_number(key[0], int | float)), key_number(key[1], str))
        cut_vc, cut_id, top = _time(key[2]), key_number(key[3], str), _time(key[4])
        page = (
            stmt.add_columns(score)
            .where(
                tuple_(vc, aid) >= tuple_(time_bind(cut_vc), bindparam(None, cut_id, String)),
                vc <= time_bind(top),
                in_buckets(cut_vc, top),
                tuple_(score, aid) > tuple_(*after),
            )
            .order_by(score, aid)
            .limit(limit + 1)
        )
        rows = [(i, float(s)) for i, _, s in session.execute(page)]
    more = len(rows) > limit
    rows = rows[:limit]
    nxt = None
    if more:
        nxt = encode_cursor(
            "relevance", [rows[-1][1], rows[-1][0], iso(cut_vc), cut_id, iso(top)], fp
        )
    return IdPage([i for i, _ in rows], nxt)


def _ranked_all(
    session: Session,
    stmt: Select[Any],
    score: ColumnElement[float],
    limit: int,
    key: list[Any] | None,
    fp: str,
    since: datetime | None,
    until: datetime | None,
) -> IdPage:
    """Every match ranked (:func:`~wire.storage.paging.ranked_page`); within a ``since``
    filter over at most ``TIME_INDEX_UP_TO`` percent of the table, through the GIN index's
    days of the filter (whole days: the same rows), so only matches inside it are visited
    (the 465 of ``Regierung`` in the last two days at a million articles, 1 ms, where the
    bitmap of all its 158,000 rows took 26)."""
    if since is not None:
        bounds, newest = store_bounds(session)
        if bounds and newest is not None:
            _, start, stop = probe_span(bounds, newest, since, until)
            if stop - start <= TIME_INDEX_UP_TO:
                # Up to a day past the newest story: one arriving meanwhile stays in.
                upper = utc(newest) + timedelta(days=1)
                upper = min(upper, utc(until)) if until is not None else upper
                stmt = stmt.where(in_buckets(utc(since), upper))
    return ranked_page(session, stmt, score, limit, key, fp)


Match = tuple[str, datetime, float]  # id, versioncreated, score


def _first_window(
    session: Session,
    stmt: Select[Any],
    score: ColumnElement[float],
    *,
    prefix: bool = False,
    since: datetime | None = None,
    until: datetime | None = None,
) -> tuple[list[Match], bool] | None:
    """The newest ``RANK_WINDOW`` matches (id, versioncreated, score), newest first, and
    False; every match and True when the probes read all of ``since`` to ``until`` and found
    fewer; None when the density of matches so far estimates fewer than the window in the
    table or the time filters' range (or, in a pathological spread, ``PROBES`` probes did not
    fill the window).

    The first probe reads the newest ``FIRST_SLICE`` percent of the table (from ``until``
    when that is older than the newest story); a common word fills the window there.
    Otherwise the density of matches so far sizes the next probe, which reads only the older
    range it adds: ``MARGIN`` times the matches still missing. Each match's row is visited
    once, and the rows visited stay near the window's size (a row visit is most of a probe's
    cost). An estimate under one window, once at least ``SURE_FROM`` percent of the table is
    read, ranks every match; a probe that reaches ``since`` is the last.

    With a ``prefix`` term every probe first unions the postings of every lexeme that starts
    with it, over all time ("pop*": ~60 ms at a million articles), so a prefix search probes
    as few times as it can: no ``GROWTH`` cap, and the first estimate decides.
    """
    growth, sure_from = (math.inf, 0.0) if prefix else (GROWTH, SURE_FROM)
    bounds, newest = store_bounds(session)
    if not bounds or newest is None:
        return None
    hi, start, stop = probe_span(bounds, newest, since, until)
    floor = utc(since) if since is not None else None
    if floor is None and start >= stop:  # only rows older than the histogram: a few
        return None
    if floor is not None and floor > hi:  # after the newest story (or ``until``): none
        return [], True
    span = stop - start  # percent of the table within the time filters
    found: list[Match] = []
    upper: datetime | None = None  # the previous probe's lower bound (exclusive)
    read = 0.0  # percent of the table probed from ``start``
    wanted = FIRST_SLICE
    estimate = math.inf  # matches in the table, at the density so far
    for _ in range(PROBES):
        lo, end = _slice(bounds, start + wanted, after=start + read)
        last = floor is not None and (end >= stop or lo <= floor)
        if last:
            assert floor is not None
            lo, end = floor, max(end, stop)
        found += _probe(
            session,
            stmt,
            score,
            lo,
            hi if upper is None else upper,
            below=upper is not None,
            time_index=estimate >= WORDS_ONLY_BELOW or end - start - read <= TIME_INDEX_UP_TO,
        )
        upper, read = lo, end - start
        if len(found) >= RANK_WINDOW:
            return found[:RANK_WINDOW], False
        if last:
            return found, True
        if read >= span:
            break
        estimate = len(found) * 100 / read
        if len(found) * span / read < RANK_WINDOW and read >= sure_from:
            return None
        wanted = read * growth
        if estimate >= RANK_WINDOW:
            wanted = min(wanted, read + MARGIN * (RANK_WINDOW - len(found)) * 100 / estimate)
    return None


def probe_span(
    bounds: Sequence[datetime],
    newest: datetime,
    since: datetime | None,
    until: datetime | None,
    before: datetime | None = None,
) -> tuple[datetime, float, float]:
    """Where a query's probes start (the newest story, ``until`` or ``before``, whichever is
    oldest) and the percents of the table newer than that and than ``since`` (100 without):
    the range the probes read, by the histogram."""
    hi = min(utc(t) for t in (newest, until, before) if t is not None)
    stop = newer_percent(bounds, utc(since)) if since is not None else 100.0
    return hi, newer_percent(bounds, hi), stop


def newer_percent(bounds: Sequence[datetime], at: datetime) -> float:
    """The percent of the table newer than ``at``, interpolated in the histogram (the
    inverse of :func:`_slice`)."""
    n = len(bounds) - 1
    if at >= bounds[-1]:
        return 0.0
    if at < bounds[0]:
        return 100.0
    lo, hi = 0, n  # the last bound <= at
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if bounds[mid] <= at else (lo, mid)
    span = (bounds[lo + 1] - bounds[lo]).total_seconds()
    frac = (at - bounds[lo]).total_seconds() / span if span > 0 else 0.0
    return (n - lo - frac) * 100 / n


def utc(value: datetime) -> datetime:
    """A naive time as UTC (the API's rule for naive times); an aware one as it is."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _slice(
    bounds: Sequence[datetime], percent: float, after: float = 0.0
) -> tuple[datetime, float]:
    """The time from which the newest ``percent`` of the table lies, interpolated linearly
    between the histogram's bounds (a slice holds ~1 % of the rows; a probe that needs
    fifty more matches of a common word then reads fifty-odd rows, not a whole slice), and
    that percent: at least ``MIN_STEP`` more than ``after``, at most 100."""
    n = len(bounds) - 1
    percent = min(100.0, max(percent, after + MIN_STEP))
    at = n - percent * n / 100  # fractional index into the ascending bounds
    if at <= 0:
        return bounds[0], 100.0
    i = math.floor(at)
    return bounds[i] + (bounds[i + 1] - bounds[i]) * (at - i), percent


def _probe(
    session: Session,
    stmt: Select[Any],
    score: ColumnElement[float],
    lo: datetime,
    hi: datetime,
    *,
    below: bool = False,
    time_index: bool,
) -> list[tuple[str, datetime, float]]:
    """The newest ``RANK_WINDOW`` matches since ``lo``, up to ``hi`` (the newest
    ``versioncreated`` in the store; with ``below``, the start of the previous probe, which
    this one then leaves out). With ``time_index`` the GIN index intersects the words with
    the range's days; without, the time is checked on the words' rows."""
    vc, aid = ArticleRow.versioncreated, ArticleRow.id
    # Ordered by an expression, not the column, so the planner never walks the time index
    # testing each row's vector; the same expression in the condition keeps the time index
    # out of the plan altogether: the days narrow the rows, the expression cuts at the bounds.
    shifted = vc.op("+")(literal_column("interval '0 s'"))
    conds = [shifted >= time_bind(lo)]
    if below:
        conds.append(shifted < time_bind(hi))
    if time_index:
        conds.append(in_buckets(lo, hi))
    # The driver's aware datetimes as they come (iso() and the binds convert to UTC), on the
    # Core connection: up to 1,600 rows a probe, where the ORM's result handling and the
    # column type's conversion per row cost milliseconds of the API's CPU.
    raw_vc = type_coerce(vc, DateTime(timezone=True))
    probe = (
        stmt.with_only_columns(aid, raw_vc, score)
        .where(*conds)
        .order_by(shifted.desc(), aid.desc())
        .limit(RANK_WINDOW)
    )
    return [(i, t, float(s)) for i, t, s in session.connection().execute(probe).all()]


def time_bind(value: datetime) -> Any:
    """``value`` bound as ``versioncreated`` stores it (UTC)."""
    return bindparam(None, value, ArticleRow.versioncreated.type)


def _time(value: Any) -> datetime:
    if not isinstance(value, str):
        raise QueryError(BAD_CURSOR)
    try:
        return parse_iso(value)
    except ValueError:
        raise QueryError(BAD_CURSOR) from None
