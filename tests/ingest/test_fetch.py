"""The daemon's fetcher against real loopback servers: validators, timeouts, caps, retries."""

from __future__ import annotations

import asyncio
import base64
import itertools
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import pytest

from tests.ingest.servers import ConditionalFeed, Reply, TestServer, rss, sequence
from wire.config import HttpConfig, SourceConfig
from wire.errors import ConfigError, FetchError
from wire.ingest.fetch import (
    Fetcher,
    FetchResult,
    RetryLater,
    _Cookies,
    _parse_url,
    backoff_delay,
    parse_retry_after,
)
from wire.ingest.pools import HostPools

FEED = rss([("g1", "Eins", "Erste Meldung"), ("g2", "Zwei", "Zweite Meldung")])
FAST = HttpConfig(
    connect_timeout=1.0,
    read_timeout=0.5,
    total_timeout=3.0,
    retries=2,
    backoff_base=0.05,
    backoff_max=0.2,
    per_host_limit=2,
)


def source(url: str, **kw: object) -> SourceConfig:
    return replace(SourceConfig(name="s", location=url), **kw)  # type: ignore[arg-type]


@pytest.fixture
def server() -> Iterator[TestServer]:
    with TestServer() as srv:
        yield srv


async def fetcher_get(http: HttpConfig, src: SourceConfig, **kw: Any) -> FetchResult:
    f = Fetcher(http)
    try:
        return await f.get(src, src.location, **kw)
    finally:
        await f.aclose()


async def test_etag_cycle_200_then_304_then_200(server: TestServer) -> None:
    feed = ConditionalFeed(FEED)
    server.route("/feed", feed)
    src = source(server.url("/feed"))
    first = await fetcher_get(FAST, src)
    assert first.status == 200 and first.body == FEED and first.etag == '"v1"'
    again = await fetcher_get(FAST, src, etag=first.etag, last_modified=first.last_modified)
    assert again.not_modified and again.body == b""
    assert server.hits("/feed")[1].headers["if-none-match"] == '"v1"'
    feed.set(FEED + b" ")
    changed = await fetcher_get(FAST, src, etag=first.etag, last_modified=first.last_modified)
    assert changed.status == 200 and changed.etag == '"v2"'


async def test_last_modified_alone_gives_304(server: TestServer) -> None:
    feed = ConditionalFeed(FEED, etag=False)
    server.route("/feed", feed)
    src = source(server.url("/feed"))
    first = await fetcher_get(FAST, src)
    assert first.etag is None and first.last_modified
    again = await fetcher_get(FAST, src, last_modified=first.last_modified)
    assert again.not_modified
    assert server.hits("/feed")[1].headers["if-modified-since"] == first.last_modified


async def test_slow_answer_times_out_and_is_retried(server: TestServer) -> None:
    server.route("/slow", Reply(200, FEED, delay=1.5))
    with pytest.raises(FetchError, match="timed out") as err:
        await fetcher_get(replace(FAST, retries=1), source(server.url("/slow")))
    assert "after 2 tries" in str(err.value)
    assert len(server.hits("/slow")) == 2


async def test_total_timeout_bounds_a_trickling_body(server: TestServer) -> None:
    # Each chunk arrives within the read timeout, but the whole takes too long.
    server.route("/trickle", Reply(200, FEED * 20, chunk_size=200, chunk_delay=0.1))
    http = replace(FAST, retries=0, total_timeout=0.6)
    with pytest.raises(FetchError, match=r"no complete answer within 0\.6 s"):
        await fetcher_get(http, source(server.url("/trickle")))


async def test_connection_dropped_mid_body_is_retried(server: TestServer) -> None:
    server.route(
        "/drop",
        sequence(Reply(200, FEED, drop_after=100, chunk_size=50), Reply(200, FEED)),
    )
    got = await fetcher_get(FAST, source(server.url("/drop")))
    assert got.body == FEED and got.attempts == 2


async def test_connection_always_dropped_fails_after_retries(server: TestServer) -> None:
    server.route("/drop", Reply(200, FEED, drop_after=100, chunk_size=50))
    with pytest.raises(FetchError, match="RemoteProtocolError"):
        await fetcher_get(FAST, source(server.url("/drop")))
    assert len(server.hits("/drop")) == FAST.retries + 1


async def test_oversized_streamed_body_is_cut_off_without_retry(server: TestServer) -> None:
    server.route("/big", Reply(200, b"x" * 3_000_000, chunked=True))
    with pytest.raises(FetchError, match="over the cap of 1000000 bytes"):
        await fetcher_get(FAST, source(server.url("/big"), max_bytes=1_000_000))
    assert len(server.hits("/big")) == 1


async def test_declared_oversized_body_is_refused_unread(server: TestServer) -> None:
    server.route("/big", Reply(200, b"x" * 2_000_000))
    with pytest.raises(FetchError, match="body of 2000000 bytes is over the cap"):
        await fetcher_get(FAST, source(server.url("/big"), max_bytes=1_000))


async def test_gzip_bomb_is_capped_after_decoding(server: TestServer) -> None:
    server.route("/gz", Reply(200, b"a" * 5_000_000, gzip=True))
    with pytest.raises(FetchError, match="over the cap"):
        await fetcher_get(FAST, source(server.url("/gz"), max_bytes=1_000_000))
    server.route("/gz2", Reply(200, FEED, gzip=True))
    assert (await fetcher_get(FAST, source(server.url("/gz2")))).body == FEED


async def test_500_storm_retries_with_backoff_then_fails(server: TestServer) -> None:
    server.route("/storm", Reply(500, b"oops"))
    with pytest.raises(FetchError, match=r"answered HTTP 500 \(after 3 tries\)"):
        await fetcher_get(FAST, source(server.url("/storm")))
    hits = server.hits("/storm")
    assert len(hits) == 3
    gaps = [b.at - a.at for a, b in itertools.pairwise(hits)]
    assert all(g >= 0.02 for g in gaps)  # waited (backoff) between tries


async def test_404_is_not_retried(server: TestServer) -> None:
    with pytest.raises(FetchError, match="answered HTTP 404"):
        await fetcher_get(FAST, source(server.url("/nothing")))
    assert len(server.hits("/nothing")) == 1


async def test_429_retry_after_seconds_is_honoured(server: TestServer) -> None:
    server.route(
        "/limited",
        sequence(Reply(429, headers={"Retry-After": "1"}), Reply(200, FEED)),
    )
    http = replace(FAST, backoff_max=5.0)
    got = await fetcher_get(http, source(server.url("/limited")))
    hits = server.hits("/limited")
    assert got.body == FEED and got.attempts == 2
    assert hits[1].at - hits[0].at >= 0.9


async def test_long_retry_after_ends_the_poll_with_retry_later(server: TestServer) -> None:
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=600), usegmt=True)
    server.route("/busy", Reply(503, headers={"Retry-After": when}))
    with pytest.raises(RetryLater) as err:
        await fetcher_get(FAST, source(server.url("/busy")))
    assert 590 <= err.value.delay <= 601
    assert len(server.hits("/busy")) == 1  # no hammering: the scheduler waits instead


def test_retry_after_forms() -> None:
    now = datetime(2024, 1, 1, 12, 0, tzinfo=UTC)
    assert parse_retry_after("120", now) == 120
    assert parse_retry_after("Mon, 01 Jan 2024 12:00:30 GMT", now) == 30
    assert parse_retry_after("Mon, 01 Jan 2024 11:00:00 GMT", now) == 0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None


def test_backoff_grows_and_is_capped() -> None:
    assert backoff_delay(1, 1.0, 60, lambda: 0.0) == 0.5
    assert backoff_delay(3, 1.0, 60, lambda: 1.0) == 4.0
    assert backoff_delay(10, 1.0, 60, lambda: 1.0) == 60


async def test_per_host_limit_bounds_concurrency(server: TestServer) -> None:
    server.route("/feed", Reply(200, FEED, delay=0.15))
    f = Fetcher(FAST)  # per_host_limit = 2
    try:
        src = source(server.url("/feed"))
        await asyncio.gather(*(f.get(src, src.location) for _ in range(8)))
    finally:
        await f.aclose()
    assert len(server.hits("/feed")) == 8
    assert server.max_active == 2


async def test_redirects_are_followed_and_bounded(server: TestServer) -> None:
    server.route("/moved", Reply(301, headers={"Location": server.url("/feed")}))
    server.route("/feed", Reply(200, FEED))
    server.route("/loop", Reply(302, headers={"Location": server.url("/loop")}))
    assert (await fetcher_get(FAST, source(server.url("/moved")))).body == FEED
    with pytest.raises(FetchError, match="redirects"):
        await fetcher_get(FAST, source(server.url("/loop")))


async def test_auth_secrets_come_from_the_environment(
    server: TestServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.route("/feed", Reply(200, FEED))
    monkeypatch.setenv("WIRE_T_TOKEN", "s3cret")
    monkeypatch.setenv("WIRE_T_PASS", "pa55")
    url = server.url("/feed")
    await fetcher_get(FAST, source(url, auth="bearer", token_env="WIRE_T_TOKEN"))
    await fetcher_get(
        FAST, source(url, auth="header", header_name="X-Key", token_env="WIRE_T_TOKEN")
    )
    await fetcher_get(FAST, source(url, auth="basic", username="u", password_env="WIRE_T_PASS"))
    bearer, key, basic = server.hits("/feed")
    assert bearer.headers["authorization"] == "Bearer s3cret"
    assert key.headers["x-key"] == "s3cret"
    assert basic.headers["authorization"] == "Basic " + base64.b64encode(b"u:pa55").decode()
    with pytest.raises(ConfigError, match="WIRE_T_MISSING is not set"):
        await fetcher_get(FAST, source(url, auth="bearer", token_env="WIRE_T_MISSING"))


async def test_a_session_cookie_is_sent_back(server: TestServer) -> None:
    # The client skips cookie work for responses without Set-Cookie; one with it still counts.
    server.route("/login", Reply(200, b"ok", headers={"Set-Cookie": "session=abc; Path=/"}))
    server.route(
        "/hop",
        Reply(302, headers={"Set-Cookie": "hop=1; Path=/", "Location": server.url("/feed")}),
    )
    server.route("/feed", ConditionalFeed(FEED))
    f = Fetcher(FAST)
    try:
        await f.get(source(server.url("/login")), server.url("/login"))
        first = await f.get(source(server.url("/feed")), server.url("/feed"))
        again = await f.get(source(server.url("/feed")), server.url("/feed"), etag=first.etag)
        assert again.not_modified  # a 304 without Set-Cookie keeps the jar as it is
        await f.get(source(server.url("/hop")), server.url("/hop"))  # set on a redirect
        assert f.client.cookies["session"] == "abc" and f.client.cookies["hop"] == "1"
        f.client.cookies = {"other": "1"}  # the public setter keeps working
        assert isinstance(f.client.cookies, _Cookies)  # and keeps skipping
        await f.get(source(server.url("/feed")), server.url("/feed"))
        await f.get(source(server.url("/login")), server.url("/login"))
        assert dict(f.client.cookies) == {"other": "1", "session": "abc"}
    finally:
        await f.aclose()
    cookies = [h.headers.get("cookie") for h in server.hits("/feed")]
    assert cookies == ["session=abc", "session=abc", "session=abc; hop=1", "other=1"]


async def test_poll_urls_are_parsed_once_and_share_a_host_slot(server: TestServer) -> None:
    url = server.url("/feed?x=1")
    parsed, host = _parse_url(url)
    assert _parse_url(url)[0] is parsed and host == f"http://127.0.0.1:{server.port}"
    assert _parse_url.cache_info().maxsize is not None  # bounded
    server.route("/feed", Reply(200, FEED))
    f = Fetcher(FAST)
    try:
        slot = f.host_slot(host)
        assert slot is f.host_slot(_parse_url(server.url("/other"))[1])
        assert slot is not f.host_slot(_parse_url("http://127.0.0.1:1/feed")[1])
        assert (await f.get(source(url), url)).body == FEED
        assert server.hits("/feed")[0].path == "/feed?x=1"
    finally:
        await f.aclose()


def test_a_given_transport_is_used_even_while_empty() -> None:
    pools = HostPools(2, 4)  # no pool yet: len() == 0, falsy
    assert Fetcher(FAST, transport=pools).transport is pools
