"""The change feed with parallel writers: PostgreSQL writers number changes without a lock,
commit out of number order, and a reader paging the feed still sees every change exactly
once, in order (``wire.storage.feedseq``)."""

from __future__ import annotations

import multiprocessing
import random
import time
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from tests.storage.test_writer import T0, article
from wire.ingest.fingerprint import text_fingerprint
from wire.storage.changes import has_changes_after, latest_seq, read_changes
from wire.storage.db import Database
from wire.storage.models import Change
from wire.storage.writer import store_articles

WRITERS = 2
BATCHES = 20
PER_BATCH = 3


def _write(url: str, tag: str, seed: int, start: Any) -> None:
    """One writer process: small batches, each held open a random while before its commit,
    so the two writers' numbers commit out of order; a later version of some articles too."""
    rng = random.Random(seed)
    db = Database(url, create=False)
    db.ping()
    start.wait()  # both writers at once
    try:
        for b in range(BATCHES):
            batch = [
                article(
                    guid=f"urn:{tag}:{b}:{n}",
                    feed=tag,
                    headline=f"Meldung {tag} {b} {n}",
                    body_text=f"Fassung von {tag}, Stapel {b}, Meldung {n}. " * 3,
                )
                for n in range(PER_BATCH)
            ]
            if b and b % 4 == 0:  # a new version of an article of the batch before
                batch.append(
                    article(
                        guid=f"urn:{tag}:{b - 1}:0",
                        feed=tag,
                        headline=f"Meldung {tag} {b - 1} 0, ergänzt",
                        body_text=f"Ergänzte Fassung von {tag}, Stapel {b - 1}. " * 3,
                        versioncreated=T0 + timedelta(hours=1),
                    )
                )
            with db.session() as session:
                store_articles(session, [(a, text_fingerprint(a)) for a in batch])
                time.sleep(rng.uniform(0.0, 0.1))  # numbers taken, not yet committed
    finally:
        db.dispose()


def _page(db: Database, after: int, seen: list[tuple[int, str, int]]) -> int:
    """One page of the feed after ``after``, as a publisher reads it; the new cursor."""
    with db.reader() as session:
        entries = read_changes(session, after, 5)
    seen.extend((e.seq, e.article_id, e.version) for e in entries)
    return entries[-1].seq if entries else after


def test_two_writer_processes_and_a_paging_reader_see_every_change_once_in_order(
    db: Database,
) -> None:
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Barrier(WRITERS)
    procs = [ctx.Process(target=_write, args=(db.url, f"w{i}", i, start)) for i in range(WRITERS)]
    for p in procs:
        p.start()
    seen: list[tuple[int, str, int]] = []
    after = 0
    deadline = time.monotonic() + 120
    while any(p.is_alive() for p in procs):
        assert time.monotonic() < deadline, "the writers did not finish"
        after = _page(db, after, seen)
        time.sleep(0.01)
    for p in procs:
        p.join(10)
        assert p.exitcode == 0
    while True:  # the rest, once everything is committed
        before = len(seen)
        after = _page(db, after, seen)
        if len(seen) == before:
            break

    with db.reader() as session:
        stored = session.execute(
            select(Change.seq, Change.article_id, Change.version).order_by(Change.seq)
        ).all()
        assert latest_seq(session) == stored[-1].seq
        assert not has_changes_after(session, after)
    expected = WRITERS * (BATCHES * PER_BATCH + (BATCHES - 1) // 4)
    assert len(stored) == expected
    seqs = [s for s, _, _ in seen]
    assert seqs == sorted(set(seqs))  # in order, no repeat
    assert seen == [tuple(r) for r in stored]  # nothing skipped
    versions: dict[str, list[int]] = {}
    for _, article_id, version in seen:
        versions.setdefault(article_id, []).append(version)
    assert all(v == sorted(v) for v in versions.values())  # an article's versions in order


def test_a_reader_stops_below_a_writer_that_has_not_committed(pg_url: str) -> None:
    """Writer A takes number 1 and stays open; writer B takes 2 and commits: a reader passes
    nothing (2 could come before 1), and both, in order, once A commits."""
    db = Database(pg_url)
    try:
        first = article(guid="urn:a", headline="Erste Meldung", body_text="Eins. " * 20)
        second = article(guid="urn:b", headline="Zweite Meldung", body_text="Zwei. " * 20)
        with db.session() as a:
            [ra] = store_articles(a, [(first, text_fingerprint(first))])
            with db.session() as b:
                [rb] = store_articles(b, [(second, text_fingerprint(second))])
            assert (ra.seq, rb.seq) == (1, 2)
            with db.reader() as r:
                assert read_changes(r, 0, 10) == []
                assert latest_seq(r) == 0 and not has_changes_after(r, 0)
        with db.reader() as r:
            assert [(e.seq, e.article_id) for e in read_changes(r, 0, 10)] == [
                (1, first.id),
                (2, second.id),
            ]
            assert latest_seq(r) == 2
    finally:
        db.dispose()


def test_a_registration_undone_with_its_savepoint_is_made_again(pg_url: str) -> None:
    """A writer whose first numbers went with a rolled-back savepoint (the lock with them)
    registers again for the next ones: the reader still stops below them."""
    db = Database(pg_url)
    try:
        lost = article(guid="urn:lost", headline="Verworfen", body_text="Weg. " * 20)
        first = article(guid="urn:a", headline="Erste Meldung", body_text="Eins. " * 20)
        second = article(guid="urn:b", headline="Zweite Meldung", body_text="Zwei. " * 20)
        with db.session() as a:
            savepoint = a.begin_nested()
            store_articles(a, [(lost, text_fingerprint(lost))])
            savepoint.rollback()
            [ra] = store_articles(a, [(first, text_fingerprint(first))])
            with db.session() as b:
                [rb] = store_articles(b, [(second, text_fingerprint(second))])
            assert (ra.seq, rb.seq) == (2, 3)  # 1 went with the savepoint: a gap
            with db.reader() as r:
                assert read_changes(r, 0, 10) == []
        with db.reader() as r:
            assert [e.seq for e in read_changes(r, 0, 10)] == [2, 3]
    finally:
        db.dispose()
