"""Embargoes on both backends: stored but not read before their time, released onto the
change feed exactly once (also by two daemons at the same moment, and after a restart)."""

from __future__ import annotations

import asyncio
import signal
import threading
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.api.factory import english, french, make_article, put
from tests.ingest.test_daemon import eventually, start, stop, write_config
from wire.record import Article, compute_content_hash
from wire.storage import changes as feed
from wire.storage import clusters
from wire.storage.db import Database
from wire.storage.embargo import has_due, release_due, release_due_changes
from wire.storage.filters import ArticleQuery
from wire.storage.models import ArticleRow, Change, DaemonRow, HeldChange
from wire.storage.reads import find_records, get_article, get_cluster, get_version
from wire.storage.visibility import AUDITOR, Viewer


def embargoed(a: Article, until: datetime) -> Article:
    b = replace(a, embargoed=until)
    b.content_hash = compute_content_hash(b)
    return b


def soon() -> datetime:
    return datetime.now(UTC).replace(microsecond=0) + timedelta(hours=2)


def listed(db: Database, viewer: Viewer, query: ArticleQuery | None = None) -> list[str]:
    with db.reader() as s:
        records, _ = find_records(s, query or ArticleQuery(), limit=50, viewer=viewer)
    return [r["id"] for r in records]


def changes(db: Database, after: int = 0) -> list[tuple[str, str, int]]:
    with db.reader() as s:
        return [(e.article_id, e.kind, e.version) for e in feed.read_changes(s, after, 100)]


def test_embargoed_story_is_stored_but_not_read_before_its_time(db: Database) -> None:
    until = soon()
    public = put(db, english(1)).article_id
    held = put(db, embargoed(make_article(2), until))
    assert held.outcome == "new" and held.seq is None  # stored, its change held
    before, after = Viewer(now=until - timedelta(seconds=1)), Viewer(now=until)
    queries = (
        ArticleQuery(),
        ArticleQuery(q="Lukaschenko"),
        ArticleQuery(q="Lukaschenko", sort="newest"),
    )
    for query in queries:
        assert held.article_id not in listed(db, before, query)
        assert held.article_id in listed(db, after, query)
        assert held.article_id in listed(db, AUDITOR, query)
    assert listed(db, before) == [public]
    every_status = ArticleQuery(q="Lukaschenko", pubstatus=("all",))
    assert listed(db, before, every_status) == []  # whatever the status
    with db.reader() as s:
        assert get_article(s, held.article_id, before) is None
        assert get_version(s, held.article_id, 1, before) is None
        shown = get_article(s, held.article_id, after)
        assert shown is not None
        assert shown["embargoed"] == until.isoformat().replace("+00:00", "Z")
        assert get_article(s, held.article_id, AUDITOR) is not None
    assert changes(db) == [(public, "new", 1)]  # nothing of the held story on the feed


def test_release_appears_once_in_order_for_cursor_readers(db: Database) -> None:
    until = soon()
    first = put(db, english(1)).article_id
    held = put(db, embargoed(make_article(2), until)).article_id
    later = put(db, french(3)).article_id  # stored after the held story, before its time
    cursor = feed_latest(db)  # a reader has handled everything so far
    with db.session() as s:
        assert release_due(s, until - timedelta(seconds=1)) == []
    assert [c[0] for c in changes(db)] == [first, later]
    with db.reader() as s:
        assert has_due(s, until) and not has_due(s, until - timedelta(seconds=1))
    with db.session() as s:
        [seq] = release_due(s, until)
    with db.session() as s:
        assert release_due(s, until + timedelta(hours=1)) == []  # already released
    assert seq == cursor + 1  # a new number, after everything readers have seen
    # A reader whose cursor already passed the later change still gets the release, once.
    assert changes(db, cursor) == [(held, "new", 1)]
    with db.reader() as s:
        entry = feed.read_changes(s, seq - 1, 1)[0]
    assert entry.at == until and entry.record and entry.record["embargoed"]
    assert [c[0] for c in changes(db)].count(held) == 1


def feed_latest(db: Database) -> int:
    with db.reader() as s:
        return feed.latest_seq(s)


def test_two_releasers_at_once_release_each_embargo_once(db_url: str) -> None:
    """Two connections releasing at the same moment, after a restart, on both stores (the
    daemon processes themselves: the test below)."""
    first = Database(db_url)
    until = soon()
    ids = [put(first, embargoed(make_article(n), until)).article_id for n in range(5)]
    first.dispose()  # a restart: the held changes are in the store, not in a process
    daemons = [Database(db_url), Database(db_url)]
    start = threading.Barrier(2)
    released: list[list[int]] = [[], []]

    def run(i: int) -> None:
        start.wait()
        for _ in range(5):
            released[i] += release_due_changes(daemons[i], until + timedelta(seconds=5))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(released[0] + released[1]) == [1, 2, 3, 4, 5]
    with daemons[0].reader() as s:
        rows = s.execute(select(Change.article_id, Change.kind).order_by(Change.seq)).all()
        assert s.scalars(select(HeldChange)).all() == []
    assert sorted(aid for aid, _ in rows) == sorted(ids)
    assert {kind for _, kind in rows} == {"new"}
    for d in daemons:
        d.dispose()


def test_a_later_version_moves_or_lifts_the_embargo(db: Database) -> None:
    until = soon()
    a = make_article(1)
    v1 = put(db, embargoed(a, until))
    moved = embargoed(
        replace(a, body_text=a.body_text + " Korrigiert."), until + timedelta(hours=1)
    )
    v2 = put(db, moved)
    assert v2.outcome == "updated" and v2.seq is None
    with db.reader() as s:
        [hold] = s.scalars(select(HeldChange)).all()
        assert (hold.version, hold.kind, hold.visible_at) == (2, "new", until + timedelta(hours=1))
        assert get_article(s, v1.article_id, Viewer(now=until)) is None  # the old time passed
    lifted = replace(moved, embargoed=None, headline="Lukaschenko reist nach Moskau")
    lifted.content_hash = compute_content_hash(lifted)
    v3 = put(db, lifted)
    assert v3.seq is not None  # usable now: its change goes out at once, as the first
    assert changes(db) == [(v1.article_id, "new", 3)]
    with db.reader() as s:
        assert s.scalars(select(HeldChange)).all() == []
        current = get_article(s, v1.article_id)
        assert current is not None and current["headline"] == "Lukaschenko reist nach Moskau"


def test_an_embargo_in_the_past_is_no_embargo(db: Database) -> None:
    past = datetime.now(UTC) - timedelta(minutes=5)
    stored = put(db, embargoed(make_article(1), past))
    assert stored.seq is not None
    assert listed(db, Viewer()) == [stored.article_id]


def test_cluster_members_under_embargo_are_left_out(db: Database) -> None:
    until = soon()
    a = put(db, english(1)).article_id
    b = put(db, embargoed(english(2), until)).article_id
    with db.session() as s:
        for aid in (a, b):
            row = s.get(ArticleRow, aid)
            assert row is not None
            row.cluster_id = "c1"
    with db.reader() as s:
        data = get_cluster(s, "c1", viewer=Viewer(now=until - timedelta(minutes=1)))
        assert data is not None and [m["id"] for m in data["members"]] == [a]
        data = get_cluster(s, "c1", viewer=AUDITOR)
        assert data is not None and len(data["members"]) == 2


def _clustered(db: Database, until: datetime) -> tuple[str, str, str, str]:
    """A cluster of two public stories and one under embargo, plus a held story that an
    editor split out of it (a correction naming it); and a cluster of held stories only."""
    a = put(db, english(1)).article_id
    b = put(db, french(3)).article_id
    held = put(db, embargoed(make_article(2), until)).article_id
    split = put(db, embargoed(english(4), until)).article_id
    h1 = put(db, embargoed(english(5), until)).article_id
    h2 = put(db, embargoed(french(6), until)).article_id
    with db.session() as s:
        for member in (b, held, split):
            clusters.join_cluster(
                s, member, a, 0.8, cluster_id=a if member != b else None, language=None
            )
        clusters.split_member(s, split, editor="desk")
        clusters.join_cluster(s, h2, h1, 0.8, cluster_id=None, language=None)
    return a, b, held, h1


def test_cluster_sizes_count_only_what_the_viewer_may_see(db: Database) -> None:
    until = soon()
    a, b, held, hidden = _clustered(db, until)
    before = Viewer(now=until - timedelta(minutes=1))
    with db.reader() as s:
        data = get_cluster(s, a, viewer=before)
        assert data is not None
        assert (data["size"], [m["id"] for m in data["members"]]) == (2, [b, a])
        full = get_cluster(s, a, viewer=AUDITOR)
        assert full is not None and full["size"] == 3
        assert get_cluster(s, hidden, viewer=before) is None  # nothing of it may be seen
        assert get_cluster(s, hidden, viewer=AUDITOR) is not None
        listed_ = {c.id: c for c in clusters.list_clusters(s, viewer=before)}
        assert list(listed_) == [a]
        assert listed_[a].size == 2 and {m["id"] for m in listed_[a].members} == {a, b}
        assert held not in {m["id"] for m in listed_[a].members}
        assert [c.id for c in clusters.list_clusters(s, min_size=3, viewer=before)] == []
        audited = {c.id: c.size for c in clusters.list_clusters(s, viewer=AUDITOR)}
        assert audited == {a: 3, hidden: 2}
        later = Viewer(now=until)
        assert {c.id: c.size for c in clusters.list_clusters(s, viewer=later)} == audited


def test_cluster_explanation_leaves_out_corrections_of_stories_under_embargo(
    db: Database,
) -> None:
    until = soon()
    a, _, _, hidden = _clustered(db, until)
    before = Viewer(now=until - timedelta(minutes=1))
    with db.reader() as s:
        summary = clusters.explain_cluster(s, a, before)
        assert summary is not None and summary.corrections == []
        assert summary.size == 2
        audited = clusters.explain_cluster(s, a, AUDITOR)
        assert audited is not None and audited.corrections is not None
        assert [c["kind"] for c in audited.corrections] == ["split"]
        assert clusters.explain_cluster(s, hidden, before) is None
        released_ = clusters.explain_cluster(s, a, Viewer(now=until))
        assert released_ is not None and released_.corrections == audited.corrections


@pytest.mark.slow
async def test_two_daemon_processes_release_an_embargo_once_at_its_time(
    tmp_path: Path, pg_url: str
) -> None:
    """Two ``wire run`` processes on one PostgreSQL schema, each looking for ended embargoes
    five times a second: every held story is released onto the change feed once, and not
    before its time."""
    drop = tmp_path / "drop"
    drop.mkdir()
    cfg = write_config(
        tmp_path / "c.toml",
        [{"name": "drop", "location": str(drop), "kind": "folder"}],
        embargo_check=0.2,
    )
    db = Database(pg_url)
    daemons = [start(cfg, pg_url, tmp_path / f"{name}.log") for name in "ab"]
    try:
        await eventually(lambda: live_daemons(db) == 2, 60, "both daemons running")
        public = put(db, english(1)).article_id
        until = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=4)
        held = [put(db, embargoed(make_article(n), until)).article_id for n in range(2, 5)]
        first_seen: dict[str, float] = {}

        def all_released() -> bool:
            for aid, _, _ in changes(db):
                first_seen.setdefault(aid, time.time())
            return set(held) <= set(first_seen)

        await eventually(all_released, 60, "the embargoed stories released")
        assert all(first_seen[aid] >= until.timestamp() for aid in held)  # not before time
        await asyncio.sleep(2)  # ten more looks by each daemon: nothing released twice
        entries = changes(db)
        assert sorted(aid for aid, _, _ in entries) == sorted([public, *held])
        assert {(kind, version) for _, kind, version in entries} == {("new", 1)}
        with db.reader() as s:
            assert s.scalars(select(HeldChange)).all() == []
            ats = {e.article_id: e.at for e in feed.read_changes(s, 0, 10)}
        assert all(ats[aid] == until for aid in held)  # released as of its embargo time
        assert all(d.poll() is None for d in daemons)  # both still running
        for d in daemons:
            d.send_signal(signal.SIGTERM)
        assert [await asyncio.to_thread(d.wait, 20) for d in daemons] == [0, 0]
    finally:
        for d in daemons:
            stop(d)
        db.dispose()


def live_daemons(db: Database) -> int:
    with db.reader() as s:
        return int(s.scalar(select(func.count()).select_from(DaemonRow)) or 0)
