"""/changes: every insert, version and kill once, in order, resumable, under concurrent writers."""

from __future__ import annotations

import multiprocessing
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from lxml import etree
from sqlalchemy import func, select

from tests.api.factory import T0, client, english, make_article, put
from wire.api.formats import ATOM_NS, WIRE_NS
from wire.ingest.fingerprint import text_fingerprint
from wire.storage.db import Database
from wire.storage.models import Change
from wire.storage.writer import store_article

MAX_PAGES = 2000  # a consumer reading more pages than this is looping: fail, do not hang
MAX_SECONDS = 60.0


def advance(after: int, body: dict[str, Any]) -> int:
    """The next cursor of a page, checked: past every item of the page, never backwards."""
    if body["items"]:
        assert body["next"] == body["items"][-1]["seq"] > after, (after, body["next"])
    else:
        assert body["next"] == after, (after, body["next"])
    return int(body["next"])


def consume(c: TestClient, after: int = 0, limit: int = 50) -> tuple[list[dict[str, Any]], int]:
    """Page through /changes from ``after`` until an empty page; (entries, last cursor)."""
    entries: list[dict[str, Any]] = []
    deadline = time.monotonic() + MAX_SECONDS
    for _ in range(MAX_PAGES):
        assert time.monotonic() < deadline, f"the feed did not end within {MAX_SECONDS} s"
        r = c.get("/changes", params={"after": after, "limit": limit})
        assert r.status_code == 200, r.text
        body = r.json()
        if not body["items"]:
            return entries, advance(after, body)
        entries += body["items"]
        after = advance(after, body)
    raise AssertionError(f"the feed did not end after {MAX_PAGES} pages")


def test_insert_version_and_kill_each_a_change_with_its_own_record(db: Database) -> None:
    first = put(db, make_article(1))
    put(db, make_article(1, headline="Lukaschenko trifft Putin", versioncreated=T0 + timedelta(1)))
    put(db, make_article(1, pubstatus="canceled", versioncreated=T0 + timedelta(2)))
    put(db, make_article(1, pubstatus="canceled", versioncreated=T0 + timedelta(2)))  # repeat
    put(db, english(2))
    entries, cursor = consume(client(db))
    assert [(e["seq"], e["kind"], e["version"]) for e in entries] == [
        (1, "new", 1),
        (2, "update", 2),
        (3, "kill", 3),
        (4, "new", 1),
    ]
    assert cursor == 4
    assert {e["article_id"] for e in entries[:3]} == {first.article_id}
    # each change carries the record of its own version, not the current one
    heads = [e["item"]["headlines"][0]["value"] for e in entries[:3]]
    assert heads == [
        "Lukaschenko will Putin in Moskau treffen (1)",
        "Lukaschenko trifft Putin",
        "Lukaschenko will Putin in Moskau treffen (1)",
    ]
    assert entries[2]["pubstatus"] == "canceled" == entries[2]["item"]["pubstatus"]
    assert entries[3]["source"] == "reuters"
    wire = client(db).get("/changes", params={"format": "wire"}).json()["items"]
    assert wire[1]["item"]["headline"] == "Lukaschenko trifft Putin"
    assert wire[1]["item"]["version"] == 2


def test_consumer_resumes_from_its_cursor_across_restarts(db_url: str) -> None:
    db = Database(db_url)
    for n in range(5):
        put(db, make_article(n))
    page = client(db).get("/changes", params={"after": 0, "limit": 3}).json()
    assert [e["seq"] for e in page["items"]] == [1, 2, 3]
    assert page["more"] is True and page["latest"] == 5
    cursor = page["next"]
    db.dispose()
    # the daemon restarts and writes more; the API restarts too; the consumer resumes
    db2 = Database(db_url)
    for n in range(5, 8):
        put(db2, make_article(n))
    entries, last = consume(client(db2), after=cursor, limit=2)
    assert [e["seq"] for e in entries] == [4, 5, 6, 7, 8]
    assert last == 8
    again = client(db2).get("/changes", params={"after": last}).json()
    assert again["items"] == [] and again["next"] == 8 and again["more"] is False
    db2.dispose()


def _run_consumer(
    c: TestClient,
    stop: threading.Event,
    seen: list[int],
    restart_after: int,
    make_client: Callable[[], TestClient],
    failed: list[BaseException],
) -> None:
    """Pages the feed while writers write; 'restarts' (a new app) once, keeping its cursor.

    Bounded in pages and time; what went wrong lands in ``failed`` for the test to report.
    """
    after = 0
    restarted = False
    deadline = time.monotonic() + 4 * MAX_SECONDS
    try:
        for _ in range(50 * MAX_PAGES):
            assert time.monotonic() < deadline, "the consumer did not finish"
            done = stop.is_set()  # read before the page: an empty page after this is the end
            r = c.get("/changes", params={"after": after, "limit": 7})
            assert r.status_code == 200, r.text
            body = r.json()
            seen += [e["seq"] for e in body["items"]]
            after = advance(after, body)
            if not restarted and len(seen) >= restart_after:
                c, restarted = make_client(), True
            if done and not body["items"]:
                return
            if not body["items"]:
                time.sleep(0.005)
        raise AssertionError("the consumer read too many pages")
    except BaseException as exc:
        failed.append(exc)


def _assert_exactly_once_in_order(db: Database, seen: list[int], expected_total: int) -> None:
    with db.reader() as s:
        total = s.scalar(select(func.count()).select_from(Change))
        latest = s.scalar(select(func.max(Change.seq)))
    assert total == latest == expected_total
    assert seen == list(range(1, expected_total + 1))


def test_concurrent_writer_threads_consumer_sees_every_change_once_in_order(db: Database) -> None:
    writers, per = 4, 15
    stop = threading.Event()
    seen: list[int] = []
    failed: list[BaseException] = []

    def write(w: int) -> None:
        for i in range(per):
            n = 1000 * (w + 1) + i
            put(db, make_article(n))
            if i % 3 == 0:  # every third gets a second version
                put(
                    db,
                    make_article(n, headline=f"Update {n}", versioncreated=T0 + timedelta(days=30)),
                )

    consumer = threading.Thread(
        target=_run_consumer, args=(client(db), stop, seen, 20, lambda: client(db), failed)
    )
    consumer.start()
    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seen_while_writing = len(seen)
    stop.set()
    consumer.join(timeout=4 * MAX_SECONDS + 10)
    assert not consumer.is_alive() and failed == []
    _assert_exactly_once_in_order(db, seen, writers * (per + per // 3))
    assert seen_while_writing > 0  # the consumer really paged while the writers wrote


def _write_process(url: str, w: int, per: int) -> None:
    """One 'daemon' process storing its own articles (run via multiprocessing spawn)."""
    db = Database(url, create=False)
    try:
        for i in range(per):
            put(db, make_article(5000 * (w + 1) + i))
    finally:
        db.dispose()


def test_concurrent_writer_processes_consumer_sees_every_change_once(db: Database) -> None:
    procs_n, per = 3, 12
    stop = threading.Event()
    seen: list[int] = []
    failed: list[BaseException] = []
    consumer = threading.Thread(
        target=_run_consumer, args=(client(db), stop, seen, 10, lambda: client(db), failed)
    )
    consumer.start()
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_write_process, args=(db.url, w, per)) for w in range(procs_n)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
        assert p.exitcode == 0
    stop.set()
    consumer.join(timeout=4 * MAX_SECONDS + 10)
    assert not consumer.is_alive() and failed == []
    _assert_exactly_once_in_order(db, seen, procs_n * per)


def test_long_poll_returns_when_a_change_arrives(db: Database) -> None:
    put(db, make_article(1))
    c = client(db)
    timer = threading.Timer(0.5, lambda: put(db, make_article(2)))
    started = time.monotonic()
    timer.start()
    body = c.get("/changes", params={"after": 1, "wait": 10}).json()
    elapsed = time.monotonic() - started
    timer.join()
    assert [e["seq"] for e in body["items"]] == [2]
    assert 0.4 <= elapsed < 5


def test_long_poll_ends_empty_after_the_wait_capped_by_max_wait(db: Database) -> None:
    put(db, make_article(1))
    started = time.monotonic()
    body = client(db).get("/changes", params={"after": 1, "wait": 0.6}).json()
    assert body["items"] == [] and body["next"] == 1
    assert time.monotonic() - started >= 0.55
    started = time.monotonic()
    capped = client(db, max_wait=0.3).get("/changes", params={"after": 1, "wait": 30})
    assert capped.status_code == 200 and capped.json()["items"] == []
    assert time.monotonic() - started < 3


def test_changes_as_atom_carry_seq_and_next_link(db: Database) -> None:
    put(db, make_article(1))
    put(db, make_article(1, pubstatus="canceled", versioncreated=T0 + timedelta(1)))
    r = client(db).get("/changes", params={"format": "atom", "limit": 1})
    assert r.headers["content-type"].startswith("application/atom+xml")
    feed = etree.fromstring(r.content)
    entries = feed.findall(f"{{{ATOM_NS}}}entry")
    assert [e.findtext(f"{{{WIRE_NS}}}seq") for e in entries] == ["1"]
    assert entries[0].findtext(f"{{{WIRE_NS}}}kind") == "new"
    nxt = feed.find(f"{{{ATOM_NS}}}link[@rel='next']")
    assert nxt is not None and "after=1" in nxt.get("href")


def test_an_uncommitted_change_hides_later_ones_until_it_commits(db: Database) -> None:
    """A reader never sees seq 3 while 2 is in flight: on SQLite the second writer waits for
    the write lock; on PostgreSQL it does not wait, commits 3 first, and 3 stays behind the
    feed's horizon until 2 commits."""
    put(db, make_article(1))
    c = client(db)
    second = threading.Thread(target=lambda: put(db, make_article(3)))
    with db.session() as s:
        store_article(s, make_article(2), text_hash=text_fingerprint(make_article(2)))
        second.start()
        if db.dialect == "sqlite":
            time.sleep(0.5)
            assert second.is_alive()  # one writer at a time
        else:
            second.join(timeout=30)
            assert not second.is_alive()  # writers no longer queue on a feed lock
        body = c.get("/changes", params={"after": 1}).json()
        assert body["items"] == [] and body["latest"] == 1
    second.join(timeout=30)
    entries, _ = consume(c, after=1)
    assert [(e["seq"], e["item"]["headlines"][0]["value"]) for e in entries] == [
        (2, "Lukaschenko will Putin in Moskau treffen (2)"),
        (3, "Lukaschenko will Putin in Moskau treffen (3)"),
    ]
