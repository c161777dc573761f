"""Newest-first text search on PostgreSQL by time-ranged probes (storage/search/pgnewest.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text

from tests.api.factory import english, french, make_article, put
from wire.storage.db import Database
from wire.storage.filters import ArticleQuery
from wire.storage.paging import newest_page
from wire.storage.reads import find_ids
from wire.storage.search import pgnewest, pgwindow


def test_the_percent_newer_than_a_time_inverts_a_probe_slice() -> None:
    hundred = [datetime(2026, 1, 1, tzinfo=UTC) + timedelta(hours=h) for h in range(101)]
    for percent in (0.3, 1.0, 15.5, 99.9):
        lo, _ = pgwindow._slice(hundred, percent)
        assert pgwindow.newer_percent(hundred, lo) == pytest.approx(percent)
    assert pgwindow.newer_percent(hundred, hundred[-1] + timedelta(days=1)) == 0.0
    assert pgwindow.newer_percent(hundred, hundred[0] - timedelta(days=1)) == 100.0


START = datetime(2026, 1, 2, 12, tzinfo=UTC)


def _store(db: Database) -> None:
    """Stories over five months through the writer: German ones every few days, in threes
    at the same second (ties on versioncreated), French and English ones between, a rare
    word in a few old stories, a killed story, and undated stories."""
    n = 0
    for day in range(0, 150, 3):
        at = START + timedelta(days=day, hours=day % 7)
        count = 3 if day % 12 == 0 else 1
        for _ in range(count):
            extra: dict[str, Any] = {}
            if day < 20 and count == 1:
                extra["body_text"] = f"Ein Zwergflusspferd im Zoo. Lukaschenko Nummer {n}."
            if day == 60:
                extra["pubstatus"] = "canceled"
            put(db, make_article(n, versioncreated=at, firstcreated=at, **extra))
            n += 1
        if day % 9 == 0:
            put(db, french(n, versioncreated=at, firstcreated=at))
            n += 1
        if day % 15 == 0:
            put(db, english(n, versioncreated=at + timedelta(minutes=5)))
            n += 1
    for k in range(5):  # no time at all: they come last, by id
        put(db, make_article(n + k, versioncreated=None, firstcreated=None))
    with db.session() as s:
        s.execute(text("ANALYZE articles"))


def _pages(db: Database, query: ArticleQuery, limit: int) -> list[tuple[list[str], str | None]]:
    """Every page of ``query`` newest first, with its cursor, as find_ids gives them."""
    pages: list[tuple[list[str], str | None]] = []
    cursor = None
    for _ in range(200):
        with db.reader() as s:
            page = find_ids(s, query, limit=limit, cursor=cursor)
        pages.append((page.ids, page.next_cursor))
        cursor = page.next_cursor
        if cursor is None:
            return pages
    raise AssertionError("paging did not end")


QUERIES = [
    ArticleQuery(q="Lukaschenko", sort="newest"),
    ArticleQuery(q="Zwergflusspferd", sort="newest"),
    ArticleQuery(q="Moskau OR budget", sort="newest"),
    ArticleQuery(q="Lukaschenko", sort="newest", language=("de",), pubstatus=("all",)),
    ArticleQuery(q="budget", sort="newest", language=("fr",)),
    ArticleQuery(q="Quastenflosser", sort="newest"),
    ArticleQuery(q="Lukaschenko", sort="newest", until=START + timedelta(days=100)),
    ArticleQuery(q="Lukaschenko", sort="newest", since=START + timedelta(days=40)),
    ArticleQuery(
        q="Lukaschenko OR budget",
        sort="newest",
        since=START + timedelta(days=30, hours=6),
        until=START + timedelta(days=90),
    ),
    ArticleQuery(q="Lukaschenko", sort="newest", since=datetime(2026, 3, 1)),  # naive: UTC
]


@pytest.mark.parametrize("on_a_story", [False, True])
def test_probes_give_the_pages_and_cursors_of_the_plain_plan(
    pg_url: str, monkeypatch: pytest.MonkeyPatch, on_a_story: bool
) -> None:
    """All pages of several queries (ties, undated rows, filters, a kill, a rare and an
    absent word), by probes through the day index and by today's plan: the same; also with
    every probe's bound on a story's own time (a histogram bound: a value of the column)."""
    db = Database(pg_url)
    _store(db)
    if on_a_story:
        real_slice = pgwindow._slice

        def snapped(bounds: Any, percent: float, after: float = 0.0) -> Any:
            lo, read = real_slice(bounds, percent, after)
            return max(b for b in bounds if b <= lo), read

        monkeypatch.setattr(pgwindow, "_slice", snapped)
    monkeypatch.setattr(pgwindow, "WINDOW_FROM_ROWS", 0)  # probe on a store this small
    monkeypatch.setattr(pgnewest, "FIRST_SLICE", 1.0)  # a few rows a first probe
    monkeypatch.setattr(pgnewest, "SURE_FROM", 50.0)
    ranged = 0
    real = pgnewest._probe

    rests = set()  # the last probe of a query: a rare one's words, or the oldest rows

    def counted(*args: Any, **kwargs: Any) -> Any:
        nonlocal ranged
        ranged += args[3] is not None and kwargs.get("time_index", False)  # lo, by the days
        if args[3] is None:
            rests.add(kwargs.get("plain", False))
        return real(*args, **kwargs)

    monkeypatch.setattr(pgnewest, "_probe", counted)
    probed = {}
    for query in QUERIES:
        for limit in (2, 7):
            ranged = 0
            probed[query, limit] = _pages(db, query, limit)
            if query.q == "Lukaschenko" and limit == 2:
                assert ranged > 3  # several time-ranged probes, not one walk over all
    assert rests == {True, False}

    def plain(*args: Any, since: Any = None, until: Any = None) -> Any:
        return newest_page(*args)  # today's plan (the time filters are in the statement)

    monkeypatch.setattr(pgnewest, "newest_text_page", plain)
    for (query, limit), pages in probed.items():
        assert pages == _pages(db, query, limit), (query.q, limit)
    lukaschenko = [i for ids, _ in probed[QUERIES[0], 2] for i in ids]
    assert len(lukaschenko) == len(set(lukaschenko)) > 60  # dated and undated, none twice
    assert probed[QUERIES[5], 2] == [([], None)]
    db.dispose()


def test_a_small_store_keeps_the_plain_plan(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    db = Database(pg_url)
    for n in range(6):
        put(db, make_article(n))
    with db.session() as s:
        s.execute(text("ANALYZE articles"))
    probes: list[tuple[object, ...]] = []

    def probe(*a: object, **k: object) -> list[object]:
        probes.append(a)
        return []

    monkeypatch.setattr(pgnewest, "_probe", probe)
    pages = _pages(db, ArticleQuery(q="Lukaschenko", sort="newest"), 4)
    assert [len(ids) for ids, _ in pages] == [4, 2] and probes == []
    db.dispose()
