"""A killed (or withheld) article never gets into a story cluster, whichever way it arrives.

Clustering has overlapping guards: a killed version is not signed; stored signatures of killed
articles are not loaded; a kill another process stored takes the article out of this
process's index; a candidate is checked against the database before a join. Each test below
fails when one guard is dropped, even though the others still stand.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.ingest.test_dedup import STORY, T0, cluster_rows, ingest, ninjs, rewrite
from wire.config import Config
from wire.ingest.dedup import Clusterer
from wire.ingest.hooks import store_hooks
from wire.ingest.pipeline import StoreHook
from wire.record import make_id
from wire.storage import clusters as store
from wire.storage.db import Database


def clusterer_of(hooks: tuple[StoreHook, ...]) -> Clusterer:
    [found] = [h for h in hooks if isinstance(h, Clusterer)]
    return found


def test_an_article_killed_at_first_sight_joins_no_cluster(db: Database) -> None:
    """Guard: a killed version gets no signature, so it never looks for a match."""
    hooks = store_hooks(Config(), db)
    story = STORY["de-bundesrat-ahv"]
    ingest(db, [ninjs("sda-1", story)], hooks)
    killed = ninjs("dpa-1", rewrite(story, 3), when=T0 + timedelta(hours=1), pubstatus="canceled")
    withheld = ninjs("afp-1", rewrite(story, 4), when=T0 + timedelta(hours=1),
                     pubstatus="withheld")  # fmt: skip
    ingest(db, [killed], hooks, "dpa", "dpa")
    ingest(db, [withheld], hooks, "afp", "afp")
    assert cluster_rows(db) == {"sda-1": None, "dpa-1": None, "afp-1": None}
    # a usable rewrite does join: rewrites of this story really are a match
    ingest(db, [ninjs("reu-1", rewrite(story, 5), when=T0 + timedelta(hours=1))], hooks,
           "reuters", "reuters")  # fmt: skip
    rows = cluster_rows(db)
    assert rows["reu-1"] == rows["sda-1"] is not None and rows["dpa-1"] is None


def test_a_candidate_killed_behind_the_index_is_checked_in_the_database(
    db: Database, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Guard: the join re-reads each candidate; a kill the index has not seen still counts.

    Another process's kill commits right after this process caught up with the change feed
    (its catch-up is skipped here to pin that moment): only the database check can see it.
    """
    other = Database(db_url)
    try:
        hooks, theirs = store_hooks(Config(), db), store_hooks(Config(), other)
        story = STORY["en-ecb-cut"]
        first = ingest(db, [ninjs("reu-1", story)], hooks, "reuters", "reuters").stored[0]
        clusterer = clusterer_of(hooks)
        assert first.article_id in clusterer.index
        ingest(other, [ninjs("reu-1", story, pubstatus="canceled", when=T0 + timedelta(hours=1))],
               theirs, "reuters", "reuters")  # fmt: skip
        monkeypatch.setattr(clusterer, "sync", lambda: None)
        ingest(db, [ninjs("afp-1", rewrite(story, 4), when=T0 + timedelta(hours=2))], hooks,
               "afp", "afp")  # fmt: skip
        assert cluster_rows(db) == {"reu-1": None, "afp-1": None}
        assert first.article_id not in clusterer.index  # and the stale entry is dropped
    finally:
        other.dispose()


def test_a_kill_stored_by_another_process_leaves_this_index(db: Database, db_url: str) -> None:
    """Guard: catching up with the change feed removes killed articles from the index."""
    other = Database(db_url)
    try:
        mine, theirs = store_hooks(Config(), db), store_hooks(Config(), other)
        story = STORY["fr-incendies"]
        a = ingest(db, [ninjs("afp-1", story)], mine, "afp", "afp").stored[0]
        index = clusterer_of(mine).index
        assert a.article_id in index
        ingest(other, [ninjs("afp-1", story, pubstatus="canceled", when=T0 + timedelta(hours=1))],
               theirs, "afp", "afp")  # fmt: skip
        clusterer_of(mine).sync()  # what the next batch does first
        assert a.article_id not in index
        ingest(db, [ninjs("ats-1", rewrite(story, 2), when=T0 + timedelta(hours=2))], mine)
        assert a.article_id not in index
        assert cluster_rows(db) == {"afp-1": None, "ats-1": None}
    finally:
        other.dispose()


def test_signatures_of_killed_articles_are_not_loaded_after_a_restart(
    db: Database, db_url: str
) -> None:
    """Guard: the index a restarted process loads holds usable articles only."""
    now = datetime.now(UTC).replace(microsecond=0)
    hooks = store_hooks(Config(), db)
    for uri, key in (("sda-1", "de-bundesrat-ahv"), ("sda-2", "de-ezb-zins")):
        ingest(db, [ninjs(uri, STORY[key], when=now)], hooks)
    ingest(db, [ninjs("sda-2", STORY["de-ezb-zins"], pubstatus="canceled",
                      when=now + timedelta(minutes=5))], hooks)  # fmt: skip
    killed = make_id("keystone-sda", "sda-2")
    with db.reader() as s:
        loaded = store.load_signatures(s, since=now - timedelta(days=1))
    assert [row.article_id for row in loaded] == [make_id("keystone-sda", "sda-1")]
    restarted = Database(db_url)
    try:
        fresh = store_hooks(Config(), restarted)
        later = now + timedelta(minutes=10)
        ingest(restarted, [ninjs("dpa-2", rewrite(STORY["de-ezb-zins"], 5), when=later)], fresh,
               "dpa", "dpa")  # fmt: skip
        assert killed not in clusterer_of(fresh).index
    finally:
        restarted.dispose()
    assert cluster_rows(db)["dpa-2"] is None and cluster_rows(db)["sda-2"] is None
