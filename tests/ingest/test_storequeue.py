"""The store queue alone: batches, the linger while payloads are being parsed, no payload lost."""

from __future__ import annotations

import asyncio
import json

import pytest
from sqlalchemy import func, select

from wire.adapters.base import FeedSettings
from wire.ingest import storequeue
from wire.ingest.parsing import Parsed, parse_payload
from wire.ingest.pipeline import Fetched, Payload, Pipeline
from wire.ingest.storequeue import StoreQueue
from wire.storage.db import Database
from wire.storage.models import ArticleRow

SETTINGS = FeedSettings(feed="q", source="keystone-sda", timezone="UTC")


def payload(n: int) -> Payload:
    data = json.dumps([{"uri": f"urn:q:{n}", "headline": f"Meldung {n}"}]).encode()
    return Payload(data, SETTINGS, parse_payload(data, SETTINGS))


def count(db: Database) -> int:
    with db.reader() as s:
        return int(s.scalar(select(func.count()).select_from(ArticleRow)) or 0)


async def test_store_queue_stores_every_payload_once(db: Database) -> None:
    queue = StoreQueue(db, keep_raw=True, hooks=())
    futures = []
    for n in range(40):
        futures.append(queue.submit(payload(n)))
        if n % 3 == 0:
            await asyncio.sleep(0)  # drains start, finish and restart while payloads arrive
    stats = await asyncio.wait_for(asyncio.gather(*futures), 20)
    assert [s.new for s in stats] == [1] * 40
    assert count(db) == 40 and queue.draining == 0
    queue.close()


async def test_a_short_batch_waits_for_payloads_being_parsed(db: Database) -> None:
    sizes: list[int] = []
    queue = StoreQueue(db, keep_raw=True, hooks=(), on_batch=sizes.append)
    queue.parsing = 7  # enough payloads on their way to fill a batch: it waits for them
    futures = [queue.submit(payload(0))]
    for n in (1, 2):
        await asyncio.sleep(0.01)
        queue.parsing -= 1
        futures.append(queue.submit(payload(n)))
    queue.parsing = 0  # the other parses failed: the batch can no longer fill
    queue.wake.set()  # what the end of a failed parse does
    await asyncio.wait_for(asyncio.gather(*futures), 20)
    assert sizes == [3]
    # Nothing being parsed: a payload is stored at once, in a batch of its own.
    await asyncio.wait_for(queue.submit(payload(3)), 20)
    await asyncio.wait_for(queue.submit(payload(4)), 20)
    assert sizes == [3, 1, 1]
    # A trickle (too few parses to fill a batch) waits neither: a payload stored alone, the
    # next one queued while it is stored goes in the next batch.
    queue.parsing = 2
    first = queue.submit(payload(5))
    await asyncio.sleep(0.01)
    second = queue.submit(payload(6))
    await asyncio.wait_for(asyncio.gather(first, second), 20)
    assert sizes == [3, 1, 1, 1, 1]
    assert count(db) == 7
    queue.close()


async def test_a_failed_parse_stops_the_wait(db: Database) -> None:
    sizes: list[int] = []
    queue = StoreQueue(db, keep_raw=True, hooks=(), on_batch=sizes.append)
    queue.parsing = 7
    first = queue.submit(payload(0))  # waits: seven more are on their way
    try:
        with queue.expecting():
            raise ValueError("the parse broke")
    except ValueError:
        pass
    queue.parsing = 0
    queue.wake.set()
    await asyncio.wait_for(first, 20)
    assert sizes == [1] and count(db) == 1
    queue.close()


async def test_a_push_goes_first_and_waits_for_no_batch(db: Database) -> None:
    """An urgent payload (a WebSub push) is stored before the polls' payloads queued ahead of
    it, and its batch leaves at once although more payloads are being parsed."""
    sizes: list[int] = []
    queue = StoreQueue(db, keep_raw=True, hooks=(), on_batch=sizes.append)
    queue.parsing = 7  # enough on their way to fill a batch: a poll's payload would wait
    polled = [queue.submit(payload(n)) for n in (0, 1)]
    urgent = payload(2)
    pushed = queue.submit(Payload(urgent.data, urgent.settings, urgent.results, urgent=True))
    assert [p.urgent for p, _ in queue.queue] == [True, False, False]
    await asyncio.wait_for(pushed, 20)  # no wait for the seven being parsed
    assert sizes == [3]  # the push took the polls' payloads along in its batch
    await asyncio.wait_for(asyncio.gather(*polled), 20)
    assert count(db) == 3
    queue.close()


async def test_a_store_behind_takes_bigger_batches(db: Database) -> None:
    """A backlog (more queued than a batch per store thread) goes in batches of up to
    STORE_BATCH_MAX payloads, each store thread taking its share; every payload is stored
    once. A push at the head keeps its batch at STORE_BATCH."""
    sizes: list[int] = []
    queue = StoreQueue(db, keep_raw=True, hooks=(), on_batch=sizes.append)
    backlog = storequeue.STORE_BATCH_MAX + 5
    futures = [queue.submit(payload(n)) for n in range(backlog)]  # queued before any drain
    stats = await asyncio.wait_for(asyncio.gather(*futures), 30)
    assert [s.new for s in stats] == [1] * backlog and count(db) == backlog
    assert sum(sizes) == backlog and max(sizes) <= storequeue.STORE_BATCH_MAX
    if queue.threads == 1:  # SQLite: one store thread takes what it can
        assert sizes == [storequeue.STORE_BATCH_MAX, 5]
    else:  # each of the store threads its share of the queue, at least a batch
        assert sizes[0] == max(storequeue.STORE_BATCH, backlog // queue.threads)
    for n in range(3 * storequeue.STORE_BATCH):
        queue.queue.append((payload(100 + n), asyncio.get_running_loop().create_future()))
    assert queue.batch_size() == max(
        storequeue.STORE_BATCH, min(storequeue.STORE_BATCH_MAX, len(queue.queue) // queue.threads)
    )
    pushed = payload(99)
    queue.queue.appendleft((Payload(pushed.data, pushed.settings, pushed.results, urgent=True),
                            asyncio.get_running_loop().create_future()))  # fmt: skip
    assert queue.batch_size() == storequeue.STORE_BATCH
    queue.queue.clear()
    queue.close()


class CountingParser:
    """Parses like a parse worker would, counting the payloads parsed and not yet committed
    (their articles are what a slow store makes the daemon hold)."""

    def __init__(self) -> None:
        self.live = self.most = 0

    async def parse(self, fetched: Fetched, *, sign: bool) -> Parsed:
        await asyncio.sleep(0)
        self.live += 1
        self.most = max(self.most, self.live)
        return Parsed(parse_payload(fetched.data, fetched.settings))


async def test_parsed_payloads_waiting_for_the_store_are_bounded(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Backpressure: a poll is parsed only when the store has room for it (STORE_AHEAD
    payloads from their parse to their commit); the others wait as bytes. None is lost."""
    monkeypatch.setattr(storequeue, "STORE_AHEAD", 3)
    queue = StoreQueue(db, keep_raw=True, hooks=())
    parser = CountingParser()
    pipeline = Pipeline(parser, queue)

    async def poll(n: int) -> int:
        p = payload(n)
        done = await pipeline.ingest(Fetched(p.data, p.settings))
        parser.live -= 1  # committed
        return done.stats.new

    new = await asyncio.wait_for(asyncio.gather(*(poll(n) for n in range(30))), 30)
    assert new == [1] * 30 and count(db) == 30
    assert parser.most == 3
    queue.close()


async def test_a_push_is_not_held_up_by_a_full_store(db: Database) -> None:
    queue = StoreQueue(db, keep_raw=True, hooks=())
    pipeline = Pipeline(CountingParser(), queue)
    for _ in range(storequeue.STORE_AHEAD):  # the room is taken
        await queue.room.acquire()
    p = payload(1)
    pushed = pipeline.ingest(Fetched(p.data, p.settings, urgent=True))
    assert (await asyncio.wait_for(pushed, 20)).stats.new == 1
    p = payload(2)
    polled = asyncio.ensure_future(pipeline.ingest(Fetched(p.data, p.settings)))
    await asyncio.sleep(0.3)
    assert not polled.done()  # a poll waits for room
    queue.room.release()
    assert (await asyncio.wait_for(polled, 20)).stats.new == 1
    queue.close()


async def test_each_batch_logs_its_stored_event(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    """One "stored" event per batch (the store stage's timings in the daemon's log)."""
    caplog.set_level("INFO", logger="wire.pipeline")
    sizes: list[int] = []
    queue = StoreQueue(db, keep_raw=True, hooks=(), on_batch=sizes.append)
    await asyncio.wait_for(asyncio.gather(*(queue.submit(payload(n)) for n in range(11))), 20)
    stored = [vars(r) for r in caplog.records if r.getMessage() == "stored"]
    # (in commit order: on PostgreSQL batches are stored side by side)
    assert sorted(e["payloads"] for e in stored) == sorted(sizes) and sum(sizes) == 11
    assert sum(e["items"] for e in stored) == 11
    assert all(e["duration"] >= 0 and e["cpu"] >= 0 for e in stored)
    queue.close()


class FlakyCheckpoints:
    """A database whose checkpoint fails once, as while the disk is full."""

    def __init__(self) -> None:
        self.calls = 0

    def checkpoint(self) -> tuple[int, int, int]:
        self.calls += 1
        if self.calls == 2:
            raise OSError("disk full")
        return (0, 10, 10)


async def test_checkpoints_run_in_a_thread_of_their_own_and_outlive_a_failure(
    caplog: pytest.LogCaptureFixture,
) -> None:
    db = FlakyCheckpoints()
    loop = asyncio.create_task(storequeue.checkpoints(db, every=0.01))  # type: ignore[arg-type]
    for _ in range(500):
        await asyncio.sleep(0.01)
        if db.calls >= 4:
            break
    loop.cancel()
    with pytest.raises(asyncio.CancelledError):
        await loop
    assert db.calls >= 4  # the failed one was tried again at the next turn
    warned = [r for r in caplog.records if "checkpoint failed" in r.getMessage()]
    assert len(warned) == 1 and "disk full" in str(warned[0].__dict__.get("error"))
