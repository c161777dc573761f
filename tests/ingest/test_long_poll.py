"""Long-poll pull sources on loopback: every GET asks the server to hold it (``?wait=N``);
an entry published while a request is held arrives on that request, not a poll interval
later; a server that ignores the parameter is not asked in a tight loop."""

from __future__ import annotations

import asyncio
import json
import threading
import time
import urllib.parse
from dataclasses import replace
from typing import Any

import pytest

from tests.ingest.servers import PullQueue, Reply, Request, TestServer, digitalwires_entry
from tests.ingest.test_daemon import config, eventually
from tests.ingest.test_daemon import running as running_daemon
from tests.ingest.test_pull import HTTP, make_store, stored_guids
from wire.config import SourceConfig
from wire.errors import ConfigError
from wire.ingest.fetch import Fetcher
from wire.ingest.kinds import check_sources
from wire.ingest.pull import long_poll_url, pull
from wire.storage.db import Database


class LongPollQueue(PullQueue):
    """A wireQ-style queue that holds an empty GET until an entry is published or its
    ``wait`` parameter runs out; records which GET delivered which entry."""

    def __init__(self) -> None:
        super().__init__([], batch=10)
        self.arrived = threading.Condition(self.lock)
        self.waits: list[str | None] = []
        self.delivered: dict[str, float] = {}  # entry id -> when the GET carrying it came

    def get(self, req: Request) -> Reply:
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(req.path).query))
        wait = float(query.get("wait", 0))
        with self.arrived:
            self.waits.append(query.get("wait"))
            self.arrived.wait_for(lambda: bool(self.entries), timeout=wait)
            batch = self.entries[: self.batch]
            for entry in batch:
                self.delivered.setdefault(entry["entry_id"], req.at)
        return Reply(200, json.dumps({"entries": batch}).encode(),
                     {"Content-Type": "application/json"})  # fmt: skip

    def publish(self, entry: dict[str, Any]) -> None:
        with self.arrived:
            self.entries.append(entry)
            self.arrived.notify_all()


@pytest.mark.parametrize(
    ("location", "url"),
    [
        ("https://wireq.example/v1/queue", "https://wireq.example/v1/queue?wait=20"),
        ("https://wireq.example/q?max=50", "https://wireq.example/q?max=50&wait=20"),
        ("https://wireq.example/q?wait=5&max=50", "https://wireq.example/q?max=50&wait=20"),
    ],
)
def test_long_poll_url(location: str, url: str) -> None:
    assert long_poll_url(location, "wait", 20) == url


async def test_entry_published_while_a_request_is_held_arrives_on_it(db: Database) -> None:
    """The source's interval is a minute; the entry published while the daemon's GET is held
    arrives on that very GET (it began before the publication), within the bounded wait."""
    queue = LongPollQueue()
    with TestServer() as server:
        url, ack = queue.mount(server)
        src = SourceConfig(name="dw", location=url, kind="pull", ack_url=ack, format="ninjs",
                           interval=60.0, long_poll=10.0)  # fmt: skip
        async with running_daemon(db, config(src)):
            await eventually(lambda: server.active_by_path.get("/queue") == 1, what="held GET")
            await asyncio.sleep(0.3)
            published = time.monotonic()
            queue.publish(digitalwires_entry(1))
            await eventually(
                lambda: "urn:newsml:dpa.com:20090101:test-1" in stored_guids(db),
                timeout=8,
                what="the entry, by the held request",
            )
            assert queue.delivered["entry-1"] < published  # the GET was open before
            await eventually(lambda: queue.acked == ["entry-1"], what="acknowledged")
            # and the daemon is back waiting at once, not a minute later
            await eventually(lambda: server.active_by_path.get("/queue") == 1, what="held again")
            queue.publish(digitalwires_entry(2))
            await eventually(
                lambda: "urn:newsml:dpa.com:20090101:test-2" in stored_guids(db),
                timeout=8,
                what="the second entry",
            )
    assert set(queue.waits) == {"10"}  # every GET asked to be held


async def test_a_server_that_does_not_hold_is_not_asked_again_at_once(db: Database) -> None:
    queue = PullQueue([])  # answers an empty queue at once, whatever ?wait says
    held = LongPollQueue()
    with TestServer() as server:
        url, ack = queue.mount(server)
        held_url, held_ack = held.mount(server, "/held")
        src = SourceConfig(name="dw", location=url, kind="pull", ack_url=ack, format="ninjs",
                           long_poll=2.0)  # fmt: skip
        fetcher = Fetcher(HTTP)
        try:
            quick = await pull(fetcher, src, url, make_store(db, src))
            holder = replace(src, location=held_url, ack_url=held_ack)
            waited = await pull(fetcher, holder, held_url, make_store(db, holder))
        finally:
            await fetcher.aclose()
    assert quick.batches == 0 and not quick.again  # back to the source's interval
    assert waited.batches == 0 and waited.again  # held its 2 s: ask again at once
    assert waited.fetch_seconds >= 1.0  # the server held it


def test_long_poll_is_checked() -> None:
    base = SourceConfig(name="dw", location="https://q.example/", kind="pull",
                        ack_url="https://q.example/ack")  # fmt: skip
    cfg = config(base)
    check_sources(cfg, [replace(base, long_poll=20.0)])
    with pytest.raises(ConfigError, match="long_poll must be"):
        check_sources(cfg, [replace(base, long_poll=0.0)])
    with pytest.raises(ConfigError, match="kind = 'pull' sources only"):
        check_sources(cfg, [SourceConfig(name="rss", location="https://x/", long_poll=20.0)])
