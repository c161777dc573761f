"""Two PostgreSQL writers putting articles into the same story clusters at once.

The writers of ``storage/clusters.py`` take row locks in one order (each statement's rows by
primary key; articles' rows before the clusters' sizes, as ``join_cluster`` and the store's own
``SELECT ... FOR UPDATE`` do), so two daemons storing overlapping stories never deadlock:
one waits for the other, and a row the other made sends the batch join by join (``Replay``).
Each test makes the crossing happen for sure: a third connection (or one writer) holds the
rows where the writers would otherwise meet, until both wait.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Connection, insert, select, text

from wire.record import Article, compute_content_hash, make_id
from wire.storage import clusters as store
from wire.storage.db import Database
from wire.storage.models import ArticleRow, Cluster, ClusterMember
from wire.storage.writer import lock_articles, store_articles

T0 = datetime(2024, 6, 30, 8, 0, tzinfo=UTC)
Join = tuple[str, str, str | None]  # article, the article it matched, that one's cluster


@pytest.fixture
def pg(pg_url: str) -> Any:
    database = Database(pg_url)
    try:
        yield database
    finally:
        database.dispose()


def stored(db: Database, tag: str, n: int) -> list[str]:
    """``n`` stored articles (one batch), their ids."""
    items: list[tuple[Article, str | None]] = []
    for i in range(n):
        a = Article(
            guid=f"urn:{tag}:{i}", feed="sda", source="sda", agencies=["sda"],
            headline=f"{tag} {i}", body_text=f"Meldung {i} von {tag}.", language="de",
            firstcreated=T0, versioncreated=T0, ingested_at=T0,
        )  # fmt: skip
        a.id = make_id("sda", a.guid)
        a.content_hash = compute_content_hash(a)
        items.append((a, None))
    with db.session() as s:
        store_articles(s, items)
    return [a.id for a, _ in items]


def place(session: Any, joins: Sequence[Join]) -> None:
    """What the clusterer does with a batch: its joins kept and written at the end; on a row
    another writer made (``Replay``), each join again, reading the matched article's cluster
    now."""
    batch = store.JoinBatch()
    for article, matched, cluster in joins:
        batch.join(article, matched, 0.8, cluster_id=cluster, language="de")
    try:
        batch.write(session)
    except store.Replay:
        for article, matched, _ in joins:
            now = store.cluster_of(session, matched)
            store.join_cluster(session, article, matched, 0.8, cluster_id=now, language="de")


def in_thread(work: Callable[[], None], errors: list[BaseException]) -> threading.Thread:
    def run() -> None:
        try:
            work()
        except BaseException as exc:  # the test reports it
            errors.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def wait_blocked(db: Database, blocker: int, count: int) -> None:
    """Until ``count`` sessions wait for a lock the backend ``blocker`` holds."""
    sql = text("SELECT count(*) FROM pg_stat_activity WHERE :pid = ANY(pg_blocking_pids(pid))")
    deadline = time.monotonic() + 30
    with db.engine.connect() as conn:
        while conn.scalar(sql, {"pid": blocker}) != count:
            assert time.monotonic() < deadline, "the writers never waited"
            time.sleep(0.01)
            conn.rollback()


def pid(conn: Connection) -> int:
    return int(conn.scalar(text("SELECT pg_backend_pid()")) or 0)


def clusters_of(db: Database) -> tuple[dict[str, int], dict[str, str], dict[str, str | None]]:
    with db.reader() as s:
        sizes = {c.id: c.size for c in s.scalars(select(Cluster))}
        members = {m.article_id: m.cluster_id for m in s.scalars(select(ClusterMember))}
        placed = {a: c for a, c in s.execute(select(ArticleRow.id, ArticleRow.cluster_id))}
    return sizes, members, placed


def test_two_writers_making_the_same_clusters_in_opposite_orders_never_deadlock(
    pg: Database,
) -> None:
    """Each writer's batch makes the same 60 new clusters (its articles match the same stored
    stories), one in the stories' order, the other in reverse. A third connection holds the
    first cluster of each order until both writers wait, then lets them go together: their
    inserts, taken in batch order, would meet in the middle and deadlock. In key order one
    waits for the other, meets its rows and places its batch join by join."""
    stories = sorted(stored(pg, "story", 60))
    first, second, middle = stories[0], stories[1], stories[2:]
    mine = stored(pg, "a", 60)
    theirs = stored(pg, "b", 60)
    order_a = [first, *middle, second]
    order_b = [second, *reversed(middle), first]
    joins_a: list[Join] = [(x, m, None) for x, m in zip(mine, order_a, strict=True)]
    joins_b: list[Join] = [(x, m, None) for x, m in zip(theirs, order_b, strict=True)]

    errors: list[BaseException] = []
    with pg.engine.connect() as gate:
        gate.execute(
            insert(Cluster),
            [{"id": c, "language": "de", "created_at": T0, "updated_at": T0, "size": 0}
             for c in (first, second)],
        )  # fmt: skip
        gate_pid = pid(gate)

        def writer(joins: list[Join]) -> Callable[[], None]:
            def work() -> None:
                with pg.session() as s:
                    place(s, joins)

            return work

        threads = [in_thread(writer(joins_a), errors), in_thread(writer(joins_b), errors)]
        wait_blocked(pg, gate_pid, 2)
        gate.rollback()
    for thread in threads:
        thread.join(60)
    assert errors == [] and not any(t.is_alive() for t in threads)

    sizes, members, placed = clusters_of(pg)
    assert sizes == dict.fromkeys(stories, 3)
    for x, m, _ in joins_a + joins_b:
        assert members[x] == members[m] == m
        assert placed[x] == placed[m] == m


def test_a_batch_making_clusters_of_articles_another_writer_versions_never_deadlocks(
    pg: Database,
) -> None:
    """Writer B stores new versions of stories M1 < M2 (``store_articles`` locks their rows
    in id order: M1 is locked, M2 next). Writer A's batch makes a cluster of M2, then of M1:
    its membership rows take a key-share lock on each article. In batch order, A would hold
    M2 and wait for M1 while B waits for M2; in key order, A waits for M1 holding nothing of
    B's, and B goes on."""
    m1, m2 = sorted(stored(pg, "story", 2))
    x, y = stored(pg, "new", 2)

    errors: list[BaseException] = []
    with pg.session() as b:
        lock_articles(b, [m1])
        b_pid = pid(b.connection())

        def writer_a() -> None:
            with pg.session() as s:
                place(s, [(x, m2, None), (y, m1, None)])

        thread = in_thread(writer_a, errors)
        wait_blocked(pg, b_pid, 1)
        lock_articles(b, [m2])
    thread.join(60)
    assert errors == [] and not thread.is_alive()

    sizes, members, placed = clusters_of(pg)
    assert sizes == {m1: 2, m2: 2}
    assert members == {x: m2, m2: m2, y: m1, m1: m1}
    assert all(placed[k] == v for k, v in members.items())
