"""PostgreSQL relevance within a window of the newest matches (storage/search/pgwindow.py)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import text, update

from tests.api.factory import client, make_article, put
from tests.api.test_articles import walk
from wire.storage.db import Database
from wire.storage.models import ArticleRow
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
