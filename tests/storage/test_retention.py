"""Retention on both backends: dry run and real purge, per source and per agency, tombstones
on the change feed, no re-ingest of purged items, clusters and killed text."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from tests.api.factory import T0, english, french, make_article, put
from wire.config import Config, RetentionConfig, SourceConfig
from wire.storage import changes as feed
from wire.storage.clusters import join_cluster
from wire.storage.db import Database
from wire.storage.filters import ArticleQuery
from wire.storage.models import (
    ArticleRow,
    ArticleVersion,
    Base,
    Cluster,
    ClusterMember,
    ImageRow,
    PurgedArticle,
    RawItem,
    Reject,
)
from wire.storage.reads import find_ids, get_article, get_version
from wire.storage.retention import RetentionRules, purge, purge_in_batches
from wire.storage.visibility import AUDITOR
from wire.storage.writer import store_raws, store_reject

NOW = T0 + timedelta(days=40)


def count(db: Database, model: type[Base]) -> int:
    with db.reader() as s:
        return s.execute(select(func.count()).select_from(model)).scalar_one()


def rules(
    days: float | None = None,
    agencies: dict[str, float] | None = None,
    killed_text_days: float | None = None,
) -> RetentionRules:
    retention = RetentionConfig(
        days=days, agencies=agencies or {}, killed_text_days=killed_text_days
    )
    sources = (
        SourceConfig(name="sda", location="https://sda.example/feed", source="keystone-sda"),
        SourceConfig(
            name="afp-fr", location="https://afp.example/fr", source="afp", retention_days=90
        ),
    )
    return RetentionRules.from_config(Config(retention=retention, sources=sources))


def test_dry_run_lists_and_real_run_removes_with_tombstones(db: Database) -> None:
    old = put(db, make_article(1, feed="sda")).article_id  # 40 days old at NOW
    fresh = put(db, make_article(2, feed="sda", ingested_at=NOW - timedelta(days=2))).article_id
    with db.session() as s:
        store_raws(s, [("sda", b"<rss>old</rss>", None)])
        store_reject(s, "sda", "not XML", b"garbage")
        s.execute(update(RawItem).values(received_at=T0))
        s.execute(update(Reject).values(received_at=T0))
    limits = rules(days=30)
    with db.session() as s:
        dry = purge(s, limits, now=NOW, dry_run=True)
    assert [a["id"] for a in dry.articles] == [old]
    assert (dry.raw_items, dry.rejects) == (1, 1)
    assert count(db, ArticleRow) == 2 and count(db, RawItem) == 1  # nothing removed
    with db.reader() as s:
        latest = feed.latest_seq(s)
    with db.session() as s:
        done = purge(s, limits, now=NOW)
    assert [a["id"] for a in done.articles] == [old] and (done.raw_items, done.rejects) == (1, 1)
    with db.reader() as s:
        assert s.scalars(select(ArticleRow.id)).all() == [fresh]
        assert s.scalar(select(func.count()).where(ArticleVersion.article_id == old)) == 0
        assert s.scalar(select(func.count()).where(ImageRow.article_id == old)) == 0
        assert s.scalars(select(PurgedArticle.id)).all() == [old]
        [tomb] = feed.read_changes(s, latest, 10)
    assert (tomb.article_id, tomb.kind, tomb.record) == (old, "purge", None)
    assert count(db, RawItem) == 0 and count(db, Reject) == 0
    # The feed still lists it: it is not stored again, and nothing new goes on the feed.
    again = put(db, make_article(1, feed="sda"))
    assert again.outcome == "purged" and again.seq is None
    assert count(db, ArticleRow) == 1
    with db.session() as s:
        assert purge(s, limits, now=NOW).articles == []  # nothing left to do


def test_agency_limit_wins_over_a_longer_source_limit(db: Database) -> None:
    afp = put(db, french(1, feed="afp-fr")).article_id  # agencies ["afp"], 40 days old
    other = put(db, english(2, feed="afp-fr")).article_id  # reuters copy through that source
    sda = put(db, make_article(3, feed="sda")).article_id
    with db.session() as s:
        report = purge(s, rules(days=60, agencies={"afp": 30}), now=NOW)
    assert [a["id"] for a in report.articles] == [afp]  # source allows 90, AFP only 30
    with db.reader() as s:
        assert set(s.scalars(select(ArticleRow.id))) == {other, sda}
    with db.session() as s:
        report = purge(s, rules(days=30), now=NOW)  # the source's own 90 days keep reuters
    assert [a["id"] for a in report.articles] == [sda]


def test_purged_articles_leave_their_clusters(db: Database) -> None:
    a = put(db, make_article(1)).article_id
    b = put(db, make_article(2, ingested_at=NOW - timedelta(days=1))).article_id
    c = put(db, english(3)).article_id
    d = put(db, english(4)).article_id
    with db.session() as s:
        shared = join_cluster(s, b, a, 0.8, cluster_id=None, language="de")
        lonely = join_cluster(s, d, c, 0.7, cluster_id=None, language="en")
    with db.session() as s:
        purge(s, rules(days=30), now=NOW)
    with db.reader() as s:
        kept = s.get(Cluster, shared)
        assert kept is not None and kept.size == 1
        assert s.scalars(select(ClusterMember.article_id)).all() == [b]
        assert s.get(Cluster, lonely) is None  # every member went: so did the cluster


def test_killed_text_goes_after_n_days_for_everyone(db: Database) -> None:
    aid = put(db, make_article(1)).article_id
    put(db, make_article(1, pubstatus="canceled", ednote="KILL", versioncreated=T0 + timedelta(1)))
    with db.session() as s:
        s.execute(update(ArticleRow).values(updated_at=NOW - timedelta(days=8)))
    with db.session() as s:
        assert purge(s, rules(killed_text_days=10), now=NOW).killed_texts == []
    with db.reader() as s:
        first = get_version(s, aid, 1, AUDITOR)
        assert first is not None and first["body_text"]
    with db.session() as s:
        dry = purge(s, rules(killed_text_days=7), now=NOW, dry_run=True)
    assert dry.killed_texts == [aid]
    with db.session() as s:
        assert purge(s, rules(killed_text_days=7), now=NOW).killed_texts == [aid]
    with db.reader() as s:
        for version in (1, 2):
            old = get_version(s, aid, version, AUDITOR)
            assert old is not None and old["body_text"] == "" and old["images"] == []
        shown = get_article(s, aid, AUDITOR)
        assert shown is not None and shown["headline"] and shown["body_text"] == ""
        assert shown["ednote"] == "KILL"
    with db.session() as s:
        assert purge(s, rules(killed_text_days=7), now=NOW).killed_texts == []
    # The search index (stemmed tokens on both stores) keeps the headline only.
    with db.reader() as s:

        def found(q: str) -> list[str]:
            query = ArticleQuery(q=q, pubstatus=("canceled",))
            return find_ids(s, query, viewer=AUDITOR).ids

        assert found("Lukaschenko Moskau") == [aid]
        assert found("geplant") == []  # a word of the purged lead


class Stop(Exception):
    """Stands for a purge stopped midway (a SIGKILL, a lost connection)."""


def test_a_purge_goes_in_batches_of_their_own_and_resumes(db: Database) -> None:
    old = [put(db, make_article(n, feed="sda")).article_id for n in range(35)]
    fresh = put(db, make_article(99, feed="sda", ingested_at=NOW - timedelta(days=1))).article_id
    with db.session() as s:
        store_raws(s, [("sda", f"<rss>{n}</rss>".encode(), None) for n in range(23)])
        for n in range(12):
            store_reject(s, "sda", "not XML", f"garbage {n}".encode())
        s.execute(update(RawItem).values(received_at=T0))
        s.execute(update(Reject).values(received_at=T0))
    with db.reader() as s:
        start = feed.latest_seq(s)
    steps: list[tuple[str, int]] = []

    def stop_after_two(what: str, n: int) -> None:
        steps.append((what, n))
        if len(steps) == 2:
            raise Stop

    with pytest.raises(Stop):
        purge_in_batches(db, rules(days=30), batch_size=10, now=NOW, progress=stop_after_two)
    # The two batches before the stop are committed, each with its tombstones and changes.
    assert steps == [("articles", 10), ("articles", 10)]
    assert count(db, ArticleRow) == 16 and count(db, PurgedArticle) == 20
    with db.reader() as s:
        assert sorted(s.scalars(select(PurgedArticle.id))) == sorted(old[:20])
        assert [c.kind for c in feed.read_changes(s, start, 100)] == ["purge"] * 20
    # The next run takes up the rest.
    steps.clear()
    report = purge_in_batches(
        db, rules(days=30), batch_size=10, now=NOW, progress=lambda w, n: steps.append((w, n))
    )
    assert steps == [("articles", 10), ("articles", 5), ("raw_items", 10), ("raw_items", 10),
                     ("raw_items", 3), ("rejects", 10), ("rejects", 2)]  # fmt: skip
    assert sorted(a["id"] for a in report.articles) == sorted(old[20:])
    assert (report.raw_items, report.rejects) == (23, 12)
    with db.reader() as s:
        assert s.scalars(select(ArticleRow.id)).all() == [fresh]
        assert sorted(s.scalars(select(PurgedArticle.id))) == sorted(old)  # every tombstone
        changes = feed.read_changes(s, start, 100)
    assert sorted(c.article_id for c in changes) == sorted(old)  # each purge told once
    assert {c.kind for c in changes} == {"purge"}
    assert count(db, RawItem) == 0 and count(db, Reject) == 0
    assert purge_in_batches(db, rules(days=30), batch_size=10, now=NOW).articles == []
    assert put(db, make_article(3, feed="sda")).outcome == "purged"  # not stored again


def test_killed_texts_go_in_batches_too(db: Database) -> None:
    ids = []
    for n in range(5):
        ids.append(put(db, make_article(n)).article_id)
        put(db, make_article(n, pubstatus="canceled", versioncreated=T0 + timedelta(1)))
    with db.session() as s:
        s.execute(update(ArticleRow).values(updated_at=NOW - timedelta(days=8)))
    steps: list[int] = []
    report = purge_in_batches(
        db, rules(killed_text_days=7), batch_size=2, now=NOW, progress=lambda w, n: steps.append(n)
    )
    assert steps == [2, 2, 1] and sorted(report.killed_texts) == sorted(ids)
    with db.reader() as s:
        assert set(s.scalars(select(ArticleRow.body_text))) == {""}
    with pytest.raises(ValueError, match="at least 1"):
        purge_in_batches(db, rules(days=30), batch_size=0)
