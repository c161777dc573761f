"""PostgreSQL relevance within a window of the newest matches (storage/search/pgwindow.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import DateTime, text, type_coerce, update

from tests.api.factory import client, make_article, put
from tests.api.test_articles import walk
from tests.storage.test_pgnewest import START, _pages, _store
from wire.storage.db import Database
from wire.storage.filters import ArticleQuery
from wire.storage.models import ArticleRow
from wire.storage.paging import ranked_page
from wire.storage.search import pgwindow


def test_histogram_bounds_are_read_and_slices_counted_from_the_newest_end() -> None:
    raw = '{"2026-01-01 00:00:00","2026-01-02 00:00:00","2026-01-03 06:30:00"}'
    bounds = pgwindow.histogram(raw)
    assert bounds == [
        datetime(2026, 1, 1),
        datetime(2026, 1, 2),
        datetime(2026, 1, 3, 6, 30),
    ]
    assert pgwindow.histogram(None) == [] and pgwindow.histogram("{garbage}") == []
    hundred = [datetime(2026, 1, 1) + timedelta(hours=h) for h in range(101)]
    assert pgwindow.slice_bound(hundred, 1) == hundred[99]
    assert pgwindow.slice_bound(hundred, 15.5) == hundred[84]
    assert pgwindow.slice_bound(hundred, 250) == hundred[0]  # at most the whole table
    assert pgwindow.slice_bound(bounds, 1) == bounds[1]  # few bounds: the newest slice


def test_a_probe_range_is_interpolated_within_a_slice_and_always_moves_on() -> None:
    hundred = [datetime(2026, 1, 1) + timedelta(hours=h) for h in range(101)]
    assert pgwindow._slice(hundred, 0.5) == (hundred[99] + timedelta(minutes=30), 0.5)
    assert pgwindow._slice(hundred, 1.0) == (hundred[99], 1.0)
    lo, read = pgwindow._slice(hundred, 0.0, after=2.0)  # at least MIN_STEP further
    assert read == pytest.approx(2.0 + pgwindow.MIN_STEP) and lo < hundred[98]
    assert pgwindow._slice(hundred, 250) == (hundred[0], 100.0)


def test_time_buckets_cover_exactly_the_days_of_a_range() -> None:
    lo = datetime(2026, 3, 1, 23, 59)
    for days in (0, 1, 31, 32, 70, 400):
        hi = lo + timedelta(days=days, minutes=2)
        buckets = pgwindow.time_buckets(lo, hi)
        covered: list[int] = []
        for b in buckets:  # a block -1 - k is the days 32k .. 32k + 31
            covered += [b] if b >= 0 else list(range((-1 - b) * 32, (-1 - b) * 32 + 32))
        first = pgwindow.day_number(lo)
        assert sorted(covered) == list(range(first, pgwindow.day_number(hi) + 1))
        assert len(buckets) < 70  # whole blocks inside, days only at the edges
    assert pgwindow.time_buckets(lo, lo - timedelta(days=3)) == [pgwindow.day_number(lo)]


def test_the_index_function_counts_days_and_blocks_as_python_does(pg_url: str) -> None:
    db = Database(pg_url)
    zurich = timezone(timedelta(hours=1))
    with db.session() as s:
        s.execute(text("SET LOCAL TIME ZONE 'Europe/Zurich'"))  # the epoch ignores it
        for at in (
            datetime(2026, 1, 1, 0, 30, tzinfo=zurich),  # still 31 December in UTC
            datetime(2026, 1, 1, 0, 30, tzinfo=UTC),
            datetime(1999, 12, 31, 23, 59, 59, tzinfo=UTC),
        ):
            got = s.execute(text("SELECT wire_time_buckets(:at)"), {"at": at}).scalar_one()
            day = pgwindow.day_number(at)
            assert got == [day, -1 - day // 32]
            assert pgwindow.time_buckets(at, at) == [day]
    db.dispose()


def test_a_probe_finds_the_newest_matches_across_days_and_blocks(
    pg_url: str, windowed: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stories a week apart over five months: the window is the newest 4, found by probes
    whose ranges span single days and whole 32-day blocks."""
    monkeypatch.setattr(pgwindow, "WORDS_ONLY_BELOW", 0)  # the second probe by time too
    db = Database(pg_url)
    start = datetime(2026, 1, 2, 12, tzinfo=UTC)
    stored = []
    for n in range(20):
        at = start + timedelta(days=8 * n, hours=n)
        a = make_article(n, versioncreated=at, firstcreated=at, ingested_at=at)
        stored.append(put(db, a).article_id)
    _analyzed(db)
    c = client(db)
    assert sorted(walk(c, {"q": "Lukaschenko", "limit": 3})) == sorted(stored[-4:])
    assert sorted(walk(c, {"q": "Nummer 3", "limit": 3})) == [stored[3]]  # one old match
    db.dispose()


@pytest.fixture
def windowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """A window of 4 matches on any store size, probing from the newest tenth."""
    monkeypatch.setattr(pgwindow, "RANK_WINDOW", 4)
    monkeypatch.setattr(pgwindow, "WINDOW_FROM_ROWS", 0)
    monkeypatch.setattr(pgwindow, "FIRST_SLICE", 10.0)


def _analyzed(db: Database) -> None:
    with db.session() as s:
        s.execute(text("ANALYZE articles"))


@pytest.mark.parametrize("words_only_below", [0, 10_000])  # second probe: time index or not
def test_relevance_ranks_the_newest_matches_and_keeps_the_window_across_pages(
    pg_url: str, windowed: None, words_only_below: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pgwindow, "WORDS_ONLY_BELOW", words_only_below)
    db = Database(pg_url)
    stored = [put(db, make_article(n)).article_id for n in range(12)]
    _analyzed(db)
    c = client(db)
    first = c.get("/articles", params={"q": "Lukaschenko", "limit": 2}).json()
    assert first["next"] is not None
    put(db, make_article(20))  # a newer match arrives between the pages
    rest = walk(c, {"q": "Lukaschenko", "limit": 2, "cursor": first["next"]})
    seen = [i["uri"].rsplit(":", 1)[1] for i in first["items"]] + rest
    assert len(seen) == len(set(seen))  # no page repeats a match
    assert sorted(seen) == sorted(stored[-4:])  # the 4 newest when the query started
    db.dispose()


def test_a_window_still_short_after_a_few_probes_is_probed_on_not_ranked_whole(
    pg_url: str, windowed: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each later probe may read only a little more than the range so far, so a window of 6
    takes 4 probes: the query still ranks its window, not every match (it used to give up
    after 3 and rank all 30)."""
    monkeypatch.setattr(pgwindow, "RANK_WINDOW", 6)
    monkeypatch.setattr(pgwindow, "GROWTH", 1.2)
    db = Database(pg_url)
    stored = [put(db, make_article(n)).article_id for n in range(30)]
    _analyzed(db)
    probes = 0
    real = pgwindow._probe

    def counted(*args: object, **kwargs: object) -> object:
        nonlocal probes
        probes += 1
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pgwindow, "_probe", counted)
    c = client(db)
    assert sorted(walk(c, {"q": "Lukaschenko", "limit": 3})) == sorted(stored[-6:])
    assert probes > 3
    db.dispose()


def test_no_match_in_the_newest_rows_is_no_proof_of_a_rare_word(
    pg_url: str, windowed: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The newest rows hold none of a word that older stories carry 25 times: the search
    reads on and ranks its window of 4, not all 25 (a first probe's density decided that)."""
    monkeypatch.setattr(pgwindow, "SURE_FROM", 50.0)
    db = Database(pg_url)
    older = [
        put(db, make_article(n, body_text=f"Zwergflusspferd Nummer {n}.")).article_id
        for n in range(25)
    ]
    for n in range(25, 30):
        put(db, make_article(n))
    _analyzed(db)
    c = client(db)
    assert sorted(walk(c, {"q": "Zwergflusspferd", "limit": 3})) == sorted(older[-4:])
    db.dispose()


def test_the_histogram_is_reused_but_the_newest_story_is_read_every_time(
    pg_url: str, windowed: None
) -> None:
    db = Database(pg_url)
    stored = [put(db, make_article(n)).article_id for n in range(12)]
    _analyzed(db)
    c = client(db)
    assert sorted(walk(c, {"q": "Lukaschenko", "limit": 3})) == sorted(stored[-4:])
    with db.reader() as s:
        assert pgwindow._bounds_cache.get(s.get_bind()) is not None  # read once, kept
    newer = put(db, make_article(12)).article_id  # newer than the cached histogram's end
    assert sorted(walk(c, {"q": "Lukaschenko", "limit": 3})) == sorted([*stored[-3:], newer])
    db.dispose()


def test_fewer_matches_than_the_window_ranks_every_match(pg_url: str, windowed: None) -> None:
    db = Database(pg_url)
    rare = [put(db, make_article(n, body_text=f"Zwergflusspferd Nummer {n}.")).article_id
            for n in range(3)]  # fmt: skip
    for n in range(3, 12):
        put(db, make_article(n))
    _analyzed(db)
    c = client(db)
    assert sorted(walk(c, {"q": "Zwergflusspferd", "limit": 2})) == sorted(rare)
    assert len(walk(c, {"q": "Lukaschenko", "limit": 3})) == 4  # the window of the common word
    db.dispose()


def test_filters_apply_before_the_window_and_a_cluster_is_never_windowed(
    pg_url: str, windowed: None
) -> None:
    db = Database(pg_url)
    stored = [put(db, make_article(n, language="de" if n % 2 else "fr")).article_id
              for n in range(10)]  # fmt: skip
    with db.session() as s:
        s.execute(
            update(ArticleRow).where(ArticleRow.id.in_(stored[:5])).values(cluster_id="c-old")
        )
    _analyzed(db)
    c = client(db)
    german = walk(c, {"q": "Lukaschenko", "language": "de", "limit": 2})
    newest = walk(c, {"q": "Lukaschenko", "sort": "newest", "language": "de", "limit": 50})
    assert len(newest) == 5 and sorted(german) == sorted(newest[:4])  # the 4 newest German
    in_cluster = walk(c, {"q": "Lukaschenko", "cluster": "c-old", "limit": 2})
    assert sorted(in_cluster) == sorted(stored[:5])
    db.dispose()


def test_a_cursor_from_another_window_is_refused(pg_url: str, windowed: None) -> None:
    db = Database(pg_url)
    for n in range(8):
        put(db, make_article(n))
    _analyzed(db)
    c = client(db)
    r = c.get("/articles", params={"q": "Lukaschenko", "limit": 2, "cursor": "eyJ2IjoxfQ"})
    assert r.status_code == 400
    db.dispose()


def test_time_filters_bound_the_probes_and_keep_the_plain_plans_pages(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ranked searches with ``since``/``until`` over five months of stories (ties, a kill,
    undated stories, a rare word; tests/storage/test_pgnewest.py's store): every page and
    cursor by probes is that of the plain plan (the window = the newest matches within the
    filters, found by one ordered query; fewer: every match ranked without the days), and
    no probe reads a range the filters exclude."""
    db = Database(pg_url)
    _store(db)
    monkeypatch.setattr(pgwindow, "WINDOW_FROM_ROWS", 0)  # probe on a store this small
    monkeypatch.setattr(pgwindow, "RANK_WINDOW", 6)
    monkeypatch.setattr(pgwindow, "FIRST_SLICE", 2.0)
    monkeypatch.setattr(pgwindow, "SURE_FROM", 100.0)  # no estimate stops short of the window
    day = timedelta(days=1)
    queries = [
        ArticleQuery(q="Lukaschenko", until=START + 100 * day),
        ArticleQuery(q="Lukaschenko", since=START + 40 * day),
        ArticleQuery(
            q="Moskau OR budget",
            since=START + 30 * day + timedelta(hours=6),
            until=START + 90 * day,
        ),
        ArticleQuery(q="Lukaschenko", since=datetime(2026, 3, 1)),  # naive: UTC
        ArticleQuery(q="Lukaschenko", since=START + 140 * day),  # fewer than the window
        ArticleQuery(q="Lukaschenko", since=START + 50 * day, until=START + 56 * day),
        ArticleQuery(q="Zwergflusspferd", until=START + 10 * day),
        ArticleQuery(q="Lukaschenko", since=START + 400 * day),  # after every story
        ArticleQuery(q="Lukaschenko", until=START - day),  # before every story
        ArticleQuery(q="budget", language=("fr",), until=START + 120 * day),
        ArticleQuery(q="Lukaschenko"),
    ]
    ranges: list[tuple[datetime, datetime]] = []
    real = pgwindow._probe

    def recorded(*args: Any, **kwargs: Any) -> Any:
        ranges.append((args[3], args[4]))  # lo, hi
        return real(*args, **kwargs)

    monkeypatch.setattr(pgwindow, "_probe", recorded)
    probed = {}
    for query in queries:
        for limit in (2, 5):
            ranges.clear()
            probed[query, limit] = _pages(db, query, limit)
            since, until = query.since, query.until
            for lo, hi in ranges:
                assert until is None or lo < pgwindow.utc(until)
                assert since is None or hi >= pgwindow.utc(since)
            if until is not None and until > START:
                assert ranges and ranges[0][1] == pgwindow.utc(until)  # starts at until

    def plain_window(session: Any, stmt: Any, score: Any, **_: Any) -> Any:
        vc, aid = ArticleRow.versioncreated, ArticleRow.id
        newest = stmt.with_only_columns(aid, type_coerce(vc, DateTime(timezone=True)), score)
        dated = newest.where(vc.is_not(None)).order_by(vc.desc(), aid.desc())
        rows = session.execute(dated.limit(6)).all()
        return ([(i, t, float(s)) for i, t, s in rows], False) if len(rows) == 6 else None

    def plain_all(session: Any, stmt: Any, score: Any, limit: int, key: Any, fp: str,
                  *_: Any) -> Any:  # fmt: skip
        return ranked_page(session, stmt, score, limit, key, fp)

    monkeypatch.setattr(pgwindow, "_first_window", plain_window)
    monkeypatch.setattr(pgwindow, "_ranked_all", plain_all)
    for (query, limit), pages in probed.items():
        assert pages == _pages(db, query, limit), (query.q, query.since, query.until, limit)

    def count(query: ArticleQuery) -> int:
        return sum(len(ids) for ids, _ in probed[query, 2])

    assert count(queries[0]) == count(queries[1]) == 6  # windows of the 6 newest
    assert 0 < count(queries[4]) < 6  # all since day 140
    assert probed[queries[7], 2] == [([], None)] and probed[queries[8], 2] == [([], None)]
    assert count(queries[6]) == 3  # the rare word before day 10
    db.dispose()
