"""Source leases on both backends: fair shares, expiry takeover, concurrent claims, health rows."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import fields
from datetime import UTC, datetime

from sqlalchemy import select

from wire.config import SourceConfig
from wire.storage.db import Database
from wire.storage.health import SourceHealth, ensure_sources, record_polls
from wire.storage.leases import Leaser, live_daemons
from wire.storage.models import SourceRow

NAMES = [f"src-{i}" for i in range(6)]


def setup(db: Database, names: list[str] = NAMES) -> None:
    ensure_sources(db, [SourceConfig(name=n, location=f"https://example.org/{n}") for n in names])


def owners(db: Database) -> dict[str, str | None]:
    with db.reader() as s:
        return {
            name: owner for name, owner in s.execute(select(SourceRow.name, SourceRow.lease_owner))
        }


def test_one_daemon_takes_every_source(db: Database) -> None:
    setup(db)
    a = Leaser(db, "a", NAMES, 60)
    r = a.round(set())
    assert r.peers == 1 and r.held == set(NAMES) and set(r.gained) == set(NAMES)
    assert set(owners(db).values()) == {"a"}
    again = a.round(r.held)
    assert again.held == set(NAMES) and not again.gained and not again.lost


def test_two_daemons_split_the_sources_fairly(db: Database) -> None:
    setup(db)
    a, b = Leaser(db, "a", NAMES, 60), Leaser(db, "b", NAMES, 60)
    ra = a.round(set())
    rb = b.round(set())  # b announces itself; everything is still leased by a
    assert rb.peers == 2 and not rb.held
    ra = a.round(ra.held, busy={"src-5"})  # a marks its surplus: stops polling it first
    assert len(ra.held) == 3 and "src-5" in ra.held and len(ra.to_release) == 3
    assert not ra.released and ra.releasing == ra.to_release
    assert not b.round(rb.held).held  # marked sources are not free yet
    busy = {min(ra.releasing)}  # a poll of one of them is still in flight
    ra = a.round(ra.held, ra.releasing, busy)
    assert len(ra.released) == 2 and not ra.to_release
    assert ra.releasing == busy
    ra = a.round(ra.held, ra.releasing)  # the poll ended: handed back now
    assert ra.released == busy and not ra.releasing
    rb = b.round(rb.held)
    assert len(rb.held) == 3 and not ra.held & rb.held
    assert ra.held | rb.held == set(NAMES)
    assert {d["id"] for d in live_daemons(db, 60)} == {"a", "b"}


def test_a_dead_daemons_sources_are_taken_over_after_expiry(db: Database) -> None:
    setup(db)
    a, b = Leaser(db, "a", NAMES, 0.6), Leaser(db, "b", NAMES, 0.6)
    ra = a.round(set())
    rb = b.round(set())
    assert not rb.held  # a's leases are alive
    time.sleep(0.8)  # a dies: no more rounds, its leases and heartbeat expire
    rb = b.round(rb.held)
    assert rb.peers == 1 and rb.held == set(NAMES)
    assert set(owners(db).values()) == {"b"}
    ra = a.round(ra.held)  # a comes back: it learns what it lost
    assert ra.lost == set(NAMES) and not ra.held & rb.held


def test_gained_sources_bring_their_stored_state(db: Database) -> None:
    setup(db)
    a = Leaser(db, "a", NAMES, 60)
    held = a.round(set()).held
    state = SourceHealth(name="src-1", etag='"v7"', last_modified="x", consecutive_failures=3)
    assert record_polls(db, [state], owner="a") == 1
    a.release_all()
    b = Leaser(db, "b", NAMES, 60)
    gained = b.round(set()).gained
    assert gained["src-1"].etag == '"v7"' and gained["src-1"].consecutive_failures == 3
    assert held == set(NAMES)


def test_every_health_field_is_written_and_read_back(db: Database) -> None:
    """record_polls builds its rows without dataclasses.asdict: each field still lands."""
    setup(db)
    Leaser(db, "a", NAMES, 60).round(set())
    at = datetime(2026, 12, 7, 9, 30, 15, tzinfo=UTC)
    state = SourceHealth(
        name="src-2", last_attempt=at, last_success=at, last_error="timed out",
        consecutive_failures=2, failing=True, next_poll=at, items_last_seen=20,
        last_duration=0.25, etag='"e1"', last_modified="Mon, 07 Dec 2026 09:30:15 GMT",
        item_digests="aa bb cc", last_reject="2 items without a title", item_rate=0.01,
        source_hint=300.0, poll_interval=600.0, latency=42.5, burst_share=0.3,
        burst_decay=120.0,
    )  # fmt: skip
    assert record_polls(db, [state], owner="a") == 1
    with db.reader() as s:
        row = s.get(SourceRow, "src-2")
        assert row is not None
        back = SourceHealth.from_row(row)
    for f in fields(SourceHealth):
        got, want = getattr(back, f.name), getattr(state, f.name)
        if isinstance(want, datetime):  # SQLite hands datetimes back without a zone
            got = got if got.tzinfo else got.replace(tzinfo=UTC)
        assert got == want, f.name


def test_health_rows_are_only_written_by_the_lease_owner(db: Database) -> None:
    setup(db)
    Leaser(db, "a", NAMES, 60).round(set())
    now = datetime.now(UTC)
    assert record_polls(db, [SourceHealth(name="src-0", last_attempt=now, etag='"b"')], "b") == 0
    assert record_polls(db, [SourceHealth(name="src-0", last_attempt=now, etag='"a"')], "a") == 1
    with db.reader() as s:
        row = s.get(SourceRow, "src-0")
        assert row is not None and row.etag == '"a"' and row.last_attempt is not None


def test_release_all_frees_everything_at_once(db: Database) -> None:
    setup(db)
    a = Leaser(db, "a", NAMES, 60)
    a.round(set())
    assert a.release_all() == len(NAMES)
    assert set(owners(db).values()) == {None}
    assert live_daemons(db, 60) == []


def test_concurrent_claims_never_overlap(db: Database) -> None:
    names = [f"n-{i:03d}" for i in range(60)]
    setup(db, names)
    leasers = [Leaser(db, f"d{i}", names, 60) for i in range(4)]
    with db.session() as s:  # all four are registered: each may claim 15
        for lz in leasers:
            lz._heartbeat(s, datetime.now(UTC))
    barrier = threading.Barrier(len(leasers))
    results: dict[str, set[str]] = {}

    def claim(lz: Leaser) -> None:
        barrier.wait()
        results[lz.owner] = lz.round(set()).held

    threads = [threading.Thread(target=claim, args=(lz,)) for lz in leasers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    claimed = [n for held in results.values() for n in held]
    assert len(claimed) == len(set(claimed)) == 60
    assert all(len(held) == 15 for held in results.values())
    assert owners(db) == {n: o for o, held in results.items() for n in held}


TOKEN = "0123456789abcdef"


def test_a_kept_identity_takes_its_leases_back_at_once_from_anywhere(db: Database) -> None:
    """A daemon restarted in a new container: another host name, a pid that proves nothing.
    Under its kept identity it takes its predecessor's live leases back in its first round;
    a daemon of another identity still waits for them to expire."""
    setup(db)
    old = Leaser(db, f"old-container:1:{TOKEN}", NAMES, 600, identity=TOKEN)
    assert old.round(set()).held == set(NAMES)  # then it dies, its leases live for 10 min
    stranger = Leaser(db, f"{socket.gethostname()}:2:fedcba9876543210", NAMES, 600)
    assert stranger.round(set()).held == set()  # remote and alive for all it can tell
    new = Leaser(db, f"{socket.gethostname()}:1:{TOKEN}", NAMES, 600, identity=TOKEN)
    r = new.round(set())
    assert set(owners(db).values()) == {new.owner}  # every lease back in one round
    # The predecessor is no peer any more: the new run and the stranger share fairly.
    assert r.peers == 2 and {d["id"] for d in live_daemons(db, 600)} == {new.owner, stranger.owner}
    assert len(r.held) == 3 and set(r.gained) == r.held and r.held | r.to_release == set(NAMES)
    r = new.round(r.held, r.releasing)  # the surplus handed back ...
    assert stranger.round(set()).held == r.released == set(NAMES) - r.held  # ... to the peer
