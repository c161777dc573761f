"""Pull-and-acknowledge: acknowledgements follow the commit; repeats are absorbed by dedup."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from tests.ingest.servers import PullQueue, Reply, Request, TestServer, digitalwires_entry
from wire.config import HttpConfig, SourceConfig
from wire.errors import FetchError
from wire.ingest.fetch import Fetcher
from wire.ingest.pipeline import RunStats, ingest_payload, settings_for
from wire.ingest.pull import Batch, PullResult, Store, pull, read_batch
from wire.storage.db import Database
from wire.storage.models import ArticleRow, ArticleVersion, Reject

HTTP = HttpConfig(retries=1, backoff_base=0.01, backoff_max=0.05, read_timeout=2, total_timeout=5)


def stored_guids(db: Database) -> set[str]:
    with db.reader() as s:
        return set(s.scalars(select(ArticleRow.guid)))


def count(db: Database, model: type) -> int:
    with db.reader() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def make_store(db: Database, src: SourceConfig) -> Store:
    async def store(data: bytes, location: str, filename: str | None) -> RunStats:
        return ingest_payload(db, data, settings_for(src, location), fmt="ninjs")

    return store


async def run_pull(db: Database, src: SourceConfig) -> PullResult:
    fetcher = Fetcher(HTTP)
    try:
        return await pull(fetcher, src, src.location, make_store(db, src))
    finally:
        await fetcher.aclose()


async def test_acknowledged_only_after_commit_and_drained(db: Database) -> None:
    entries = [digitalwires_entry(n) for n in range(5)]
    queue = PullQueue(entries, batch=2)
    urns = {e["urn"] for e in entries}
    by_id = {e["entry_id"]: e["urn"] for e in entries}
    # At ack time, every acknowledged entry must already be in the database.
    queue.on_ack = lambda ids: {by_id[i] for i in ids} <= stored_guids(db)
    with TestServer() as server:
        url, ack = queue.mount(server)
        src = SourceConfig(name="dw", location=url, kind="pull", ack_url=ack, format="ninjs")
        result = await run_pull(db, src)
    assert result.batches == 3 and result.acked == 5 and result.error is None
    assert queue.ack_checks == [True, True, True]
    assert queue.entries == [] and sorted(queue.acked) == sorted(by_id)
    assert stored_guids(db) == urns and result.stats.new == 5


async def test_failed_ack_means_redelivery_without_duplicates(db: Database) -> None:
    entries = [digitalwires_entry(n) for n in range(3)]
    queue = PullQueue(entries)
    queue.ack_reply = Reply(500, b"ack store down")
    with TestServer() as server:
        url, ack = queue.mount(server)
        src = SourceConfig(name="dw", location=url, kind="pull", ack_url=ack, format="ninjs")
        first = await run_pull(db, src)
        assert first.error and "acknowledgement failed" in first.error
        assert first.stats.new == 3 and len(queue.entries) == 3  # stored, still queued
        queue.ack_reply = None
        second = await run_pull(db, src)
    assert second.error is None and second.stats.unchanged == 3 and second.stats.new == 0
    assert queue.entries == []
    assert count(db, ArticleRow) == 3 and count(db, ArticleVersion) == 3


async def test_receipt_placeholder_acknowledges_with_delete(db: Database) -> None:
    entries = [digitalwires_entry(n) for n in range(2)]
    deleted: list[str] = []
    with TestServer() as server:
        queue = PullQueue(entries)
        server.route("/queue", queue.get)

        def delete(req: Request) -> Reply:
            receipt = req.path.rsplit("/", 1)[1]
            deleted.append(receipt)
            with queue.lock:
                queue.entries = [e for e in queue.entries if e["_wireq_receipt"] != receipt]
            return Reply(204)

        for e in entries:
            server.route(f"/entry/{e['_wireq_receipt']}", delete)
        src = SourceConfig(
            name="dw",
            location=server.url("/queue"),
            kind="pull",
            ack_url=server.url("/entry/{receipt}"),
            format="ninjs",
        )
        result = await run_pull(db, src)
        assert all(r.method == "DELETE" for r in server.hits("/entry/rcpt-0"))
    assert sorted(deleted) == ["rcpt-0", "rcpt-1"] and result.acked == 2


async def test_an_answer_that_is_no_batch_is_kept_as_a_reject(db: Database) -> None:
    with TestServer() as server:
        server.route("/queue", Reply(200, b"<html>maintenance</html>"))
        src = SourceConfig(
            name="dw", location=server.url("/queue"), kind="pull", ack_url=server.url("/ack")
        )
        with pytest.raises(FetchError, match="not a JSON batch"):
            await run_pull(db, replace(src, format="ninjs"))
        assert server.hits("/ack") == []
    assert count(db, Reject) == 1


async def test_empty_queue_stores_nothing(db: Database) -> None:
    with TestServer() as server:
        url, ack = PullQueue([]).mount(server)
        src = SourceConfig(name="dw", location=url, kind="pull", ack_url=ack, format="ninjs")
        result = await run_pull(db, src)
    assert result.batches == 0 and count(db, Reject) == 0


def test_read_batch_shapes() -> None:
    doc = {"entries": [{"entry_id": "a", "_wireq_receipt": "r"}, {"urn": "u"}, "junk"]}
    assert read_batch(json.dumps(doc).encode()) == Batch(["a", "u", None], ["r", None, None])
    assert read_batch(b'[{"id": 7}]') == Batch(["7"], [None])
    assert len(read_batch(b'{"entries": []}')) == 0
    with pytest.raises(ValueError):
        read_batch(b"<html/>")
