"""Newest-first text search on PostgreSQL, found by time-ranged probes.

``WHERE search_vector @@ q ORDER BY versioncreated DESC, id DESC LIMIT 51`` walks the time
index from the newest row and tests each row's TOASTed vector: a surname in one story in a
hundred reads ~5,000 vectors for a page (25-37 ms p50, 51-93 ms p95 at a million articles).
Here the newest ``limit + 1`` matches come from probes through the GIN index's day column, as
relevance finds its window (:mod:`.pgwindow`): the first probe reads a small newest slice of
the table (by the ``versioncreated`` histogram), the density of matches there sizes the
next, older one, and so on; each probe visits only the matches in its range. A query whose
density says it is rare reads every older match by its words in one last probe; the rows
older than the histogram's oldest bound come by the plain plan. Undated rows follow as in
:func:`wire.storage.paging.newest_page`.

The order, ids and cursors are exactly those of :func:`~wire.storage.paging.newest_page`
((versioncreated, id) descending, keyset cursor); a small store (planner estimate under
``pgwindow.WINDOW_FROM_ROWS``) and a cursor inside the undated rows use that plan itself.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    DateTime,
    Select,
    String,
    bindparam,
    literal_column,
    text,
    tuple_,
    type_coerce,
)
from sqlalchemy.orm import Session

from wire.storage.models import ArticleRow
from wire.storage.paging import IdPage, newest_page, undated_after
from wire.storage.search import pgwindow

# Percent of the table the first probe reads for a page of 50: at a million articles 1,000
# rows, where a word in one story in twenty fills the page; a surname (one in a hundred)
# finds ~10 there, enough to size the second probe. Scaled with the page size.
FIRST_SLICE = 0.1
FIRST_FOR = 51  # ... matches wanted
PROBES = 8  # probes sized by the density; later ones grow by pgwindow.GROWTH to the end
MIN_GROW = 0.5  # a later probe reads at least this share of the range read so far
# A query whose density, over at least ``SURE_FROM`` percent of the table, estimates fewer
# than ``RARE`` matches in all reads the rest in one probe of the words: a rare phrase
# otherwise probed four times (9 ms p50 at a million articles, 4.6 by one bitmap of all).
# Higher, a word with a thousand matches read them all where two more probes read ~60.
SURE_FROM = 0.5
RARE = 200


def newest_text_page(
    session: Session,
    stmt: Select[Any],
    limit: int,
    after: tuple[datetime | None, str] | None,
    fp: str,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
) -> IdPage:
    """One newest-first page of a text search (``stmt``: its words, filters and visibility),
    as :func:`~wire.storage.paging.newest_page` gives it, by time-ranged probes. ``since``
    and ``until``, the query's time filters (already in ``stmt``), bound the probes: a search
    until last March starts there, not at the newest story."""
    if after is not None and after[0] is None:  # inside the undated rows: no time to probe
        return newest_page(session, stmt, limit, after, fp)
    bounds, newest = pgwindow.store_bounds(session)
    if not bounds or newest is None:
        return newest_page(session, stmt, limit, after, fp)
    session.execute(text(f"SET LOCAL work_mem = '{pgwindow.SEARCH_WORK_MEM}'"))
    found = _newest_dated(session, stmt, limit + 1, bounds, newest, after, since, until)
    return undated_after(session, stmt, found, limit, after, fp)


def _newest_dated(
    session: Session,
    stmt: Select[Any],
    want: int,
    bounds: Sequence[datetime],
    newest: datetime,
    after: tuple[datetime | None, str] | None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[tuple[str, datetime | None]]:
    """The newest ``want`` dated matches older than the cursor's key (all, without one),
    newest first: probes of growing time ranges going back, sized by the density so far,
    from the cursor or ``until`` to ``since`` (or the oldest rows)."""
    key = (after[0], after[1]) if after is not None and after[0] is not None else None
    hi, start, stop = pgwindow.probe_span(bounds, newest, since, until, key and key[0])
    found: list[tuple[str, datetime | None]] = []
    upper: datetime | None = None  # the previous probe's lower bound (exclusive)
    size = FIRST_SLICE * want / FIRST_FOR
    read = 0.0  # percent of the table probed since ``start``
    rare = False
    for n in itertools.count():
        if start + read >= stop:
            break
        lo, end = pgwindow._slice(bounds, start + read + size, after=start + read)
        estimate = len(found) * 100 / read if read else math.inf
        span = end - start - read
        time_index = estimate >= pgwindow.WORDS_ONLY_BELOW or span <= pgwindow.TIME_INDEX_UP_TO
        found += _probe(
            session, stmt, want - len(found), lo, upper, key if upper is None else None,
            buckets_to=hi if upper is None else upper, time_index=time_index,
        )  # fmt: skip
        upper, read = lo, end - start
        if len(found) >= want:
            return found
        density = len(found) / read  # matches per percent of the table
        if density * 100 < RARE and read >= SURE_FROM:
            rare = True  # the rest in one probe of the words
            break
        grow = read * (pgwindow.GROWTH - 1)
        size = grow
        if density and n + 1 < PROBES:
            # Matches come in bursts (copies of a story, its updates): the missing ones
            # plus twice their square root, and never less than half the range so far,
            # else the last few matches took a probe each (up to 9 at a million articles).
            missing = want - len(found)
            need = missing + 2 * math.sqrt(missing) + 1
            size = max(read * MIN_GROW, min(grow, pgwindow.MARGIN * need / density))
    # The rest, older than the last probe (or than the cursor): a rare query's rows by its
    # words; past the histogram's oldest bound or ``since``, the few rows left as the
    # planner likes.
    rest = _probe(
        session, stmt, want - len(found), None, upper, key if upper is None else None,
        plain=not rare or since is not None,
    )  # fmt: skip
    return found + rest


def _probe(
    session: Session,
    stmt: Select[Any],
    limit: int,
    lo: datetime | None,
    upper: datetime | None,
    key: tuple[datetime, str] | None,
    *,
    buckets_to: datetime | None = None,
    time_index: bool = False,
    plain: bool = False,
) -> list[tuple[str, datetime | None]]:
    """The newest ``limit`` dated matches from ``lo`` (inclusive; none: all time) below
    ``upper`` (exclusive) or the cursor's ``key`` ((versioncreated, id) strictly below); with
    ``time_index`` the GIN index intersects the words with the days ``lo`` to
    ``buckets_to``. ``plain``: by the column itself, so the planner may walk the time index
    (for the few rows older than the histogram)."""
    vc, aid = ArticleRow.versioncreated, ArticleRow.id
    # An expression, not the column, so the planner never walks the time index testing each
    # row's vector (pgwindow._probe): the days or the words narrow the rows.
    shifted: Any = vc if plain else vc.op("+")(literal_column("interval '0 s'"))
    conds: list[ColumnElement[bool]] = [vc.is_not(None)]
    if lo is not None:
        conds.append(shifted >= pgwindow.time_bind(lo))
        if time_index and buckets_to is not None:
            conds.append(pgwindow.in_buckets(lo, buckets_to))
    if upper is not None:
        conds.append(shifted < pgwindow.time_bind(upper))
    if key is not None:
        conds.append(
            tuple_(shifted, aid)
            < tuple_(pgwindow.time_bind(key[0]), bindparam(None, key[1], String))
        )
    raw_vc = type_coerce(vc, DateTime(timezone=True))
    probe = (
        stmt.with_only_columns(aid, raw_vc)
        .where(*conds)
        .order_by(shifted.desc(), aid.desc())
        .limit(limit)
    )
    return [(i, t) for i, t in session.connection().execute(probe).all()]
