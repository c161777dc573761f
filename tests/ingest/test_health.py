"""Source health alone: how one poll's outcome moves a source's row."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from wire.ingest.health import HealthWriter, Outcome, apply_outcome, payload_error, reject_reason
from wire.ingest.pipeline import RunStats
from wire.storage.health import SourceHealth

T0 = datetime(2024, 10, 8, 6, 0, tzinfo=UTC)


def test_failures_count_up_mark_failing_and_a_success_clears_them() -> None:
    state = SourceHealth("afp-monde", items_last_seen=40)
    failed = Outcome("failed", error="https://afp.example/monde answered HTTP 503")
    changed = [apply_outcome(state, failed, T0 + timedelta(minutes=i), 1.5, 3) for i in range(4)]
    assert changed == [False, False, True, False]  # failing from the third failure on
    assert (state.consecutive_failures, state.failing) == (4, True)
    assert state.last_error == "https://afp.example/monde answered HTTP 503"
    assert state.last_success is None and state.items_last_seen == 40
    stats = RunStats(new=2, unchanged=10)
    ok = Outcome("fetched", stats, items=12)
    assert apply_outcome(state, ok, T0 + timedelta(hours=1), 0.2, 3) is True  # recovered
    assert (state.consecutive_failures, state.failing, state.last_error) == (0, False, None)
    assert state.last_success == state.last_attempt == T0 + timedelta(hours=1)
    assert state.items_last_seen == 12 and state.last_duration == 0.2


def test_a_304_keeps_the_item_count_and_a_long_error_is_cut() -> None:
    state = SourceHealth("dpa-ticker", items_last_seen=25)
    apply_outcome(state, Outcome("not_modified"), T0, 0.01, 5)
    assert state.items_last_seen == 25
    apply_outcome(state, Outcome("failed", error="x" * 5000), T0, 0.01, 5)
    assert state.last_error is not None and len(state.last_error) == 2000


def test_rejects_make_a_source_rejecting_not_failed() -> None:
    """A payload of rejects (a login page for a feed) is the data's fault: the poll is not
    failed, the source is `rejecting` with the reason, and a clean payload clears it."""
    rejected = RunStats(rejected=2, messages=["nitf: malformed XML", "nitf: malformed XML"])
    assert payload_error(rejected) is None
    assert reject_reason(rejected) == "nitf: malformed XML"
    assert payload_error(RunStats(new=1, rejected=1, messages=["empty payload"])) is None
    state = SourceHealth("agence-login")
    apply_outcome(state, Outcome("fetched", rejected, items=2), T0, 0.1, 3)
    assert (state.consecutive_failures, state.failing) == (0, False)
    assert state.last_reject == "nitf: malformed XML"
    apply_outcome(state, Outcome("same_body"), T0 + timedelta(minutes=1), 0.1, 3)
    assert state.last_reject == "nitf: malformed XML"  # the same page: still rejecting
    apply_outcome(state, Outcome("fetched", RunStats(new=3), items=3), T0, 0.1, 3)
    assert state.last_reject is None
    store = RunStats(errors=1, messages=["store failed: OperationalError: database is locked"])
    assert payload_error(store) == "store failed: OperationalError: database is locked"


async def test_a_flush_cancelled_before_its_write_keeps_the_rows() -> None:
    """At stop the periodic flush is cancelled; if its write was still waiting for the control
    thread it never runs, and its rows (a poll's ETag, its item memory) must go to the stop's
    own flush instead of being dropped."""
    written: list[list[str]] = []
    gate = asyncio.Event()

    async def control(fn: Any, db: Any, batch: list[SourceHealth], owner: Any) -> None:
        await gate.wait()  # the control thread is busy with something else
        written.append([s.name for s in batch])

    writer = HealthWriter(None, "me", control)  # type: ignore[arg-type]
    writer.changed(SourceHealth("feed-a", etag='"a1"'))
    writer.changed(SourceHealth("feed-b", etag='"b1"'))
    flushing = asyncio.create_task(writer.flush())
    await asyncio.sleep(0)
    writer.changed(SourceHealth("feed-b", etag='"b2"'))  # a newer state came meanwhile
    flushing.cancel()
    with pytest.raises(asyncio.CancelledError):
        await flushing
    assert written == []
    gate.set()
    await writer.flush()
    assert written == [["feed-b", "feed-a"]]
    assert not writer.dirty


async def test_a_failed_write_keeps_the_rows_for_the_next_flush() -> None:
    calls = 0

    async def control(fn: Any, db: Any, batch: list[SourceHealth], owner: Any) -> None:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise OSError("database is locked")

    writer = HealthWriter(None, "me", control)  # type: ignore[arg-type]
    writer.changed(SourceHealth("feed-a", etag='"a1"'))
    await writer.flush()
    assert list(writer.dirty) == ["feed-a"]
    await writer.flush()
    assert calls == 2 and not writer.dirty
