"""Writes on both backends: versions, repeats, late versions, kills, sightings, changes, raw."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from tests.api.factory import client
from tests.api.test_changes import consume
from tests.conftest import ROOT as ROOT_DIR
from wire.adapters.base import FeedSettings
from wire.config import parse_config
from wire.ingest.fingerprint import text_fingerprint
from wire.ingest.hooks import store_hooks
from wire.ingest.pipeline import RunStats, store_results
from wire.record import Article, Image, Subject, compute_content_hash, make_id
from wire.storage.db import Database
from wire.storage.filters import ArticleQuery
from wire.storage.models import ArticleVersion, Change, ImageRow, RawItem, Reject, SightingRow
from wire.storage.reads import find_records, get_article, get_version
from wire.storage.search.language import QuerySyntaxError
from wire.storage.writer import StoreResult, store_article, store_raws, store_reject

T0 = datetime(2020, 8, 30, 12, 0, tzinfo=UTC)
BODY = (
    "Angesichts des Machtkampfes in Weissrussland will sich Staatschef Alexander Lukaschenko "
    "mit dem russischen Präsidenten Wladimir Putin treffen. Dazu sei in den kommenden Wochen "
    "ein Treffen in Moskau geplant, teilte der Kreml am Sonntag mit."
)


def article(**kw: object) -> Article:
    base = Article(
        guid="urn:newsml:sda.ch:20200830:lukaschenko",
        feed="sda",
        source="keystone-sda",
        agencies=["keystone-sda", "dpa"],
        headline="Lukaschenko will Putin in Moskau treffen",
        lead="Treffen in Moskau geplant.",
        body_text=BODY,
        language="de",
        subjects=[Subject("medtop:11000000", "Politik")],
        versioncreated=T0,
        firstcreated=T0,
        ingested_at=T0,
        images=[
            Image(
                href="https://img.example/1.jpg",
                caption="Putin und Lukaschenko",
                credit="dpa",
                agencies=["dpa"],
                copyright_holder="dpa",
            )
        ],
    )
    a = replace(base, **kw)  # type: ignore[arg-type]
    a.id = make_id(a.source or a.feed, a.guid)
    a.content_hash = compute_content_hash(a)
    return a


def put(db: Database, a: Article) -> StoreResult:
    with db.session() as s:
        return store_article(s, a, text_hash=text_fingerprint(a))


def count(db: Database, model: type) -> int:
    with db.reader() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_new_then_same_content_is_unchanged(db: Database) -> None:
    first = put(db, article())
    again = put(db, article())
    assert (first.outcome, first.version, first.seq) == ("new", 1, 1)
    assert again.outcome == "unchanged"
    assert count(db, ArticleVersion) == 1
    assert count(db, Change) == 1
    assert count(db, ImageRow) == 1


def test_changed_content_is_new_version_with_history(db: Database) -> None:
    put(db, article())
    v2 = put(
        db, article(headline="Lukaschenko trifft Putin", versioncreated=T0 + timedelta(hours=1))
    )
    assert (v2.outcome, v2.version, v2.seq) == ("updated", 2, 2)
    with db.reader() as s:
        data = get_article(s, v2.article_id)
        assert data is not None
        assert data["headline"] == "Lukaschenko trifft Putin"
        assert data["firstcreated"] == "2020-08-30T12:00:00Z"
        assert [v["version"] for v in data["versions"]] == [1, 2]
        old = get_version(s, v2.article_id, 1)
        assert old is not None and old["headline"] == "Lukaschenko will Putin in Moskau treffen"
    # the first version arriving again changes nothing
    assert put(db, article()).outcome == "unchanged"


def test_source_versions_late_arrival_and_kill(db: Database) -> None:
    v2 = article(
        version=2, source_version=True, headline="v2", versioncreated=T0 + timedelta(hours=2)
    )
    assert put(db, v2).outcome == "new"
    late_v1 = article(version=1, source_version=True, headline="v1")
    assert put(db, late_v1).outcome == "stale"
    kill = article(
        version=3,
        source_version=True,
        headline="v2",
        pubstatus="canceled",
        versioncreated=T0 + timedelta(hours=3),
    )
    res = put(db, kill)
    assert (res.outcome, res.version) == ("updated", 3)
    with db.reader() as s:
        data = get_article(s, res.article_id)
        assert data is not None
        assert data["pubstatus"] == "canceled" and data["headline"] == "v2"
        assert [v["version"] for v in data["versions"]] == [1, 2, 3]
        kinds = [c.kind for c in s.scalars(select(Change).order_by(Change.seq))]
    assert kinds == ["new", "kill"]


def test_same_text_from_another_source_is_a_sighting(db: Database) -> None:
    first = put(db, article())
    other = article(
        guid="https://www.nau.ch/news/lukaschenko",
        feed="nau",
        source="nau",
        agencies=["keystone-sda"],
        headline="Kreml: Lukaschenko will Putin treffen",
        url="https://www.nau.ch/news/lukaschenko",
    )
    res = put(db, other)
    assert res.outcome == "duplicate" and res.article_id == first.article_id
    assert count(db, SightingRow) == 1
    with db.reader() as s:
        data = get_article(s, first.article_id)
    assert data is not None
    assert data["sightings"][0]["feed"] == "nau"
    assert data["sightings"][0]["url"] == "https://www.nau.ch/news/lukaschenko"
    assert put(db, other).outcome == "duplicate"
    assert count(db, SightingRow) == 1


def test_copies_within_one_batch_are_sightings_of_its_new_article(db: Database) -> None:
    """A batch holding an article, two copies of its text from other feeds (one sent twice)
    and the same feed re-sending it under a new headline: the sightings name the article
    stored in the same batch, in order, once each; the re-sent item is an article of its
    own linked to the first; a later batch's copy of the now known article is a sighting too."""
    from wire.storage.writer import store_articles

    first = article()
    copies = [
        article(guid=f"https://partner{n}.example/lukaschenko", feed=f"partner{n}",
                source=f"partner{n}", headline=f"Lukaschenko trifft Putin ({n})")
        for n in (1, 2)
    ]  # fmt: skip
    resent = article(guid="urn:newsml:sda.ch:20200830:lukaschenko-2", headline="Neuer Titel")
    batch = [first, copies[0], copies[1], copies[0], resent]
    with db.session() as s:
        results = store_articles(s, [(a, text_fingerprint(a)) for a in batch])
    assert [r.outcome for r in results] == ["new", "duplicate", "duplicate", "duplicate", "new"]
    assert {r.article_id for r in results[1:4]} == {first.id}
    assert results[4].duplicate_of == first.id
    with db.reader() as s:
        rows = s.execute(select(SightingRow.article_id, SightingRow.feed).order_by(SightingRow.id))
        assert rows.all() == [(first.id, "partner1"), (first.id, "partner2")]
    later = article(guid="https://partner3.example/x", feed="partner3", source="partner3")
    with db.session() as s:
        [again] = store_articles(s, [(later, text_fingerprint(later))])
    assert again.outcome == "duplicate" and again.article_id == first.id
    assert count(db, SightingRow) == 3


def test_raw_and_rejects_are_kept_once(db: Database) -> None:
    with db.session() as s:
        store_raws(s, [("sda", b"<rss/>", "feed.xml"), ("sda", b"<rss/>", "feed.xml")])
        store_raws(s, [("sda", b"<rss/>", "feed.xml")])
        assert store_reject(s, "sda", "malformed XML", b"<rss", guid=None) is True
        assert store_reject(s, "sda", "malformed XML", b"<rss", guid=None) is False
    assert count(db, RawItem) == 1
    with db.reader() as s:
        rej = s.scalars(select(Reject)).one()
    assert (rej.reason, rej.payload) == ("malformed XML", b"<rss")


def test_search_finds_by_words_and_agency(db: Database) -> None:
    put(db, article())
    put(
        db,
        article(
            guid="other",
            headline="Bundesrat beschliesst Budget",
            agencies=["afp"],
            source="afp",
            body_text="Der Bundesrat in Bern hat das Budget beschlossen.",
        ),
    )

    def search(q: str, agency: str | None = None) -> list[dict[str, object]]:
        query = ArticleQuery(q=q, agency=(agency,) if agency else ())
        with db.reader() as s:
            return find_records(s, query)[0]

    hits = search("Lukaschenko Moskau")
    assert [h["headline"] for h in hits] == ["Lukaschenko will Putin in Moskau treffen"]
    assert search("Lukaschenko", agency="dpa")[0]["agencies"] == ["keystone-sda", "dpa"]
    assert search("Lukaschenko", agency="afp") == []
    # FTS5 and tsquery syntax in a query is taken as words, never as store syntax
    assert search("Budget NEAR") == []
    assert len(search('"Budget"')) == 1
    with pytest.raises(QuerySyntaxError):
        search('Budget" OR (NEAR *')


def test_concurrent_writers_with_overlapping_batches_never_deadlock(pg_url: str) -> None:
    """Two writers storing new versions of the same articles, with story clustering on.

    Nothing deadlocks, and the outcome is whole: every stored version is one change, the feed
    has no gap and no repeat, each article's versions count up in feed order, and a consumer
    reading the feed gets every change once, in order.
    """
    db = Database(pg_url)
    hooks = store_hooks(parse_config({}, ROOT_DIR), db)
    errors: list[BaseException] = []
    totals = {"a": RunStats(), "b": RunStats()}

    def writer(tag: str) -> None:
        try:
            for round_ in range(8):
                batch = [
                    article(
                        guid=f"urn:shared:{n}",
                        headline=f"Meldung {n} Runde {round_} {tag}",
                        body_text=f"{BODY} Fassung {round_} von {tag} zu Meldung {n}.",
                        versioncreated=T0 + timedelta(minutes=round_),
                    )
                    for n in range(6)
                ]
                stats = store_results(db, b"x", FeedSettings(feed=tag), list(batch), hooks=hooks)
                totals[tag].add(stats)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(t,)) for t in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    try:
        assert errors == [] and not any(t.is_alive() for t in threads)
        stored = sum(t.new + t.updated for t in totals.values())
        assert sum(t.new for t in totals.values()) == 6
        assert sum(t.new + t.updated + t.unchanged for t in totals.values()) == 2 * 8 * 6
        with db.reader() as s:
            changes = s.execute(
                select(Change.seq, Change.article_id, Change.version).order_by(Change.seq)
            ).all()
            versions = set(s.execute(select(ArticleVersion.article_id, ArticleVersion.version)))
        assert [c.seq for c in changes] == list(range(1, stored + 1))  # no gap, no repeat
        assert {(c.article_id, c.version) for c in changes} == versions
        assert len(versions) == stored
        per_article: dict[str, list[int]] = {}
        for c in changes:
            per_article.setdefault(c.article_id, []).append(c.version)
        assert len(per_article) == 6
        for seen in per_article.values():
            assert seen == list(range(1, len(seen) + 1))  # versions count up in feed order
        entries, last = consume(client(db))
        assert [e["seq"] for e in entries] == list(range(1, stored + 1)) and last == stored
        assert [(e["article_id"], e["version"]) for e in entries] == [
            (c.article_id, c.version) for c in changes
        ]
    finally:
        db.dispose()
