"""Per-host connection pools against real loopback servers: reuse, bounds, closing idle pools."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import pytest

from tests.ingest.servers import ConditionalFeed, Reply, TestServer, rss
from wire.config import HttpConfig, SourceConfig
from wire.ingest.fetch import Fetcher
from wire.ingest.pools import HostPools

FEED = rss([("g1", "Eins", "Erste Meldung")])


@pytest.fixture
def servers() -> Iterator[tuple[TestServer, TestServer]]:
    with TestServer() as a, TestServer() as b:
        for srv in (a, b):
            srv.route("/feed", Reply(200, FEED))
        yield a, b


def peers(server: TestServer) -> set[str]:
    return {r.peer for r in server.hits("/feed")}


async def test_304_answers_keep_the_connection_for_the_next_poll(
    servers: tuple[TestServer, TestServer],
) -> None:
    server, _ = servers
    server.route("/feed", ConditionalFeed(FEED))
    src = SourceConfig(name="s", location=server.url("/feed"))
    fetcher = Fetcher(HttpConfig())
    try:
        first = await fetcher.get(src, src.location)
        for _ in range(5):
            again = await fetcher.get(src, src.location, etag=first.etag)
            assert again.not_modified
    finally:
        await fetcher.aclose()
    assert len(server.hits("/feed")) == 6
    assert len(peers(server)) == 1  # one TCP connection for all six polls


async def test_each_host_gets_its_own_bounded_pool(
    servers: tuple[TestServer, TestServer],
) -> None:
    a, b = servers
    for srv in servers:
        srv.route("/feed", Reply(200, FEED, delay=0.1))
    pools = HostPools(per_host=2, max_pools=4)
    async with httpx.AsyncClient(transport=pools) as client:
        urls = [a.url("/feed")] * 6 + [b.url("/feed")] * 6
        answers = await asyncio.gather(*(client.get(u) for u in urls))
        assert len(pools) == 2
    assert [r.content for r in answers] == [FEED] * 12
    for srv in servers:
        assert srv.max_active == 2  # the pool's own limit, with no semaphore in front of it
        assert len(peers(srv)) == 2  # two connections, each used three times


async def test_idle_pools_beyond_the_cap_are_closed(
    servers: tuple[TestServer, TestServer],
) -> None:
    a, b = servers
    pools = HostPools(per_host=2, max_pools=1)
    async with httpx.AsyncClient(transport=pools) as client:
        assert (await client.get(a.url("/feed"))).content == FEED
        assert (await client.get(b.url("/feed"))).content == FEED
        assert len(pools) == 1  # a's pool was idle: closed
        assert (await client.get(a.url("/feed"))).content == FEED
    assert len(peers(a)) == 2  # a's second request needed a new connection
    assert len(peers(b)) == 1


async def test_a_pool_with_an_open_body_is_not_closed(
    servers: tuple[TestServer, TestServer],
) -> None:
    a, b = servers
    body = FEED * 50
    a.route("/feed", Reply(200, body, chunk_size=512, chunk_delay=0.01))
    pools = HostPools(per_host=2, max_pools=1)
    async with httpx.AsyncClient(transport=pools) as client:
        async with client.stream("GET", a.url("/feed")) as streaming:
            assert (await client.get(b.url("/feed"))).content == FEED
            assert len(pools) == 2  # a's body is still being read: its pool stays
            assert await streaming.aread() == body
        assert (await client.get(b.url("/feed"))).content == FEED
        assert len(pools) == 1  # now a's pool was idle and beyond the cap


async def test_a_redirect_to_another_host_uses_that_hosts_pool(
    servers: tuple[TestServer, TestServer],
) -> None:
    a, b = servers
    a.route("/moved", Reply(301, headers={"Location": b.url("/feed")}))
    src = SourceConfig(name="s", location=a.url("/moved"))
    fetcher = Fetcher(HttpConfig())
    try:
        got = await fetcher.get(src, src.location)
        pools = fetcher.transport
        assert isinstance(pools, HostPools) and len(pools) == 2
    finally:
        await fetcher.aclose()
    assert got.status == 200 and got.body == FEED
    assert len(a.hits("/moved")) == 1 and len(b.hits("/feed")) == 1
