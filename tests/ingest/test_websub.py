"""WebSub push on loopback: discovery and signatures (tables), then a daemon subscribing to a
local hub (tests.ingest.servers.LocalHub), taking a push straight to the change feed without
a poll, refusing a forged signature, renewing, and unsubscribing when it lets the source go."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import socket
from dataclasses import replace

import pytest

from tests.ingest.servers import LocalHub, Reply, TestServer
from tests.ingest.test_daemon import config, eventually, metric, running
from wire.config import Config, SourceConfig, WebSubConfig
from wire.ingest.websub import Hub, discover_hub, signature_ok
from wire.storage.changes import read_changes
from wire.storage.db import Database

FEED = "https://www.keystone-sda.ch/feeds/de/schweiz.xml"


@pytest.mark.parametrize(
    ("body", "hub"),
    [
        (  # Atom: rel="hub" and rel="self"
            b'<feed xmlns="http://www.w3.org/2005/Atom"><title>AFP</title>'
            b'<link rel="self" href="https://afp.example/feed.atom"/>'
            b'<link rel="hub" href="https://pubsubhubbub.appspot.com/"/><entry/></feed>',
            Hub("https://pubsubhubbub.appspot.com/", "https://afp.example/feed.atom"),
        ),
        (  # RSS with atom:link, attributes in any order, single quotes
            b'<rss xmlns:atom="http://www.w3.org/2005/Atom"><channel>'
            b"<atom:link href='https://hub.example/' rel='hub'/>"
            b'<atom:link type="application/rss+xml" rel="self" href="/feeds/de/schweiz.xml"/>'
            b"</channel></rss>",
            Hub("https://hub.example/", FEED),
        ),
        (  # a hub without a self link: the feed's own location is the topic
            b'<rss><channel><atom10:link rel="hub" href="/hub"/></channel></rss>',
            Hub("https://www.keystone-sda.ch/hub", FEED),
        ),
        (b"<rss><channel><link>https://ansa.it/</link><item/></channel></rss>", None),
        (b'<feed><link rel="alternate" href="https://ansa.it/"/></feed>', None),
    ],
)
def test_discover_hub(body: bytes, hub: Hub | None) -> None:
    assert discover_hub(body, FEED) == hub


RSS_PLAIN = b"<rss><channel><title>SDA</title><item/></channel></rss>"


@pytest.mark.parametrize(
    ("body", "link", "hub"),
    [
        (  # the header alone (WebSub 4: publishers may advertise only there)
            RSS_PLAIN,
            '<https://hub.example/>; rel="hub", <https://sda.example/feed.xml>; rel="self"',
            Hub("https://hub.example/", "https://sda.example/feed.xml"),
        ),
        (  # relative URLs, unquoted rel, other relations and parameters around them
            RSS_PLAIN,
            '</next>; rel=next, </hub>; title="Hub, eins"; rel=hub, </feeds/de/schweiz.xml>;'
            " rel=self",
            Hub("https://www.keystone-sda.ch/hub", FEED),
        ),
        (  # one link with two relations; no self: the feed's location is the topic
            RSS_PLAIN,
            '<https://hub.example/>; rel="hub payment"',
            Hub("https://hub.example/", FEED),
        ),
        (  # the header's hub wins; the body's self fills in what the header leaves out
            b'<rss xmlns:atom="http://www.w3.org/2005/Atom"><channel>'
            b'<atom:link rel="hub" href="https://old-hub.example/"/>'
            b'<atom:link rel="self" href="https://sda.example/self.xml"/></channel></rss>',
            '<https://hub.example/>; rel="hub"',
            Hub("https://hub.example/", "https://sda.example/self.xml"),
        ),
        (RSS_PLAIN, '<https://sda.example/feed.xml>; rel="self"', None),  # a self is no hub
        (RSS_PLAIN, "not a link header", None),
        (RSS_PLAIN, "", None),
    ],
)
def test_discover_hub_from_the_link_header(body: bytes, link: str, hub: Hub | None) -> None:
    assert discover_hub(body, FEED, link) == hub


@pytest.mark.parametrize(
    ("header", "ok"),
    [
        ("sha256=" + hmac.new(b"s3cret", b"<rss/>", hashlib.sha256).hexdigest(), True),
        ("sha1=" + hmac.new(b"s3cret", b"<rss/>", hashlib.sha1).hexdigest(), True),
        ("SHA256=" + hmac.new(b"s3cret", b"<rss/>", hashlib.sha256).hexdigest().upper(), True),
        ("sha256=" + hmac.new(b"other", b"<rss/>", hashlib.sha256).hexdigest(), False),
        ("sha256=" + hmac.new(b"s3cret", b"<rss>", hashlib.sha256).hexdigest(), False),
        ("md5=" + hashlib.md5(b"<rss/>").hexdigest(), False),
        ("", False),
        (None, False),
        ("sha256", False),
    ],
)
def test_signature_ok(header: str | None, ok: bool) -> None:
    assert signature_ok("s3cret", b"<rss/>", header) is ok


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pushed_feed(hub: str, topic: str, *stories: tuple[str, str]) -> bytes:
    items = "".join(
        f"<item><title>{title}</title><guid>{guid}</guid>"
        f"<pubDate>Sun, 06 Dec 2026 09:00:00 +0000</pubDate>"
        f"<description>{title}. Die Meldung im Wortlaut.</description></item>"
        for guid, title in stories
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        'xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>SDA Schweiz</title>'
        f"<link>https://example.org/</link><description>d</description>"
        f'<atom:link rel="hub" href="{hub}"/><atom:link rel="self" href="{topic}"/>'
        f"{items}</channel></rss>"
    ).encode()


def changed_ids(db: Database) -> list[str]:
    with db.reader() as session:
        return [c.article_id for c in read_changes(session, 0, 1000)]


def hub_and_feed(server: TestServer, websub: WebSubConfig) -> tuple[LocalHub, str, Config]:
    """A local hub, a feed advertising it (one story) and a daemon config polling that feed."""
    hub = LocalHub()
    server.route("/hub", hub)
    topic = server.url("/feed")
    first = pushed_feed(server.url("/hub"), topic, ("urn:sda:1", "Bundesrat tagt"))
    server.route("/feed", Reply(200, first))
    src = SourceConfig(name="sda", location=topic, source="sda")
    return hub, topic, replace(config(src, health_port=free_port()), websub=websub)


async def test_pushed_item_reaches_the_change_feed_without_a_poll(db: Database) -> None:
    with TestServer() as server:
        websub = WebSubConfig(poll_interval=60.0, lease_seconds=600)
        hub, topic, cfg = hub_and_feed(server, websub)
        async with running(db, cfg) as d:
            await eventually(
                lambda: hub.subscribed(topic), timeout=20, what="verified subscription"
            )
            await eventually(
                lambda: d.states["sda"].poll_interval == 60.0, timeout=20, what="safety net"
            )
            polls = len(server.hits("/feed"))
            assert len(changed_ids(db)) == 1
            second = pushed_feed(server.url("/hub"), topic, ("urn:sda:2", "Nationalrat stimmt zu"),
                                 ("urn:sda:1", "Bundesrat tagt"))  # fmt: skip
            assert await asyncio.to_thread(hub.publish, topic, second) == [200]
            await eventually(
                lambda: len(changed_ids(db)) == 2, timeout=20, what="pushed item on the feed"
            )
            assert metric(d, "wire_pushes_total", source="sda") == 1
            # a forged signature is refused and stores nothing
            forged = pushed_feed(server.url("/hub"), topic, ("urn:sda:3", "Gefälschte Meldung"))
            assert await asyncio.to_thread(hub.publish, topic, forged, secret="guess") == [403]
            sha1 = pushed_feed(server.url("/hub"), topic, ("urn:sda:4", "Ständerat folgt"))
            assert await asyncio.to_thread(hub.publish, topic, sha1, algorithm="sha1") == [200]
            await eventually(lambda: len(changed_ids(db)) == 3, timeout=20, what="sha1-signed push")
            assert len(server.hits("/feed")) == polls  # every item came by push
        assert hub.modes()[-1] == "unsubscribe"  # the subscription goes with the lease
    assert len(changed_ids(db)) == 3


async def test_subscription_is_renewed_before_it_ends(db: Database) -> None:
    with TestServer() as server:
        websub = WebSubConfig(lease_seconds=2, renew_before=1.5, check_every=0.1)
        hub, topic, cfg = hub_and_feed(server, websub)
        async with running(db, cfg) as d:
            await eventually(
                lambda: hub.modes().count("subscribe") >= 3, timeout=10, what="renewals"
            )
            assert hub.subscribed(topic)
            # each request to the hub is on its source's account of requests (the budget)
            assert d.websub is not None and set(d.websub.asked) == d.held
            assert sum(d.websub.asked.values()) >= 3


async def test_hub_named_only_in_the_link_header_is_subscribed_and_pushes(
    db: Database,
) -> None:
    """A feed whose body names no hub, served with ``Link: <hub>; rel="hub"`` and
    ``rel="self"``: the daemon subscribes to that hub for that topic and takes its push."""
    with TestServer() as server:
        hub = LocalHub()
        server.route("/hub", hub)
        topic = server.url("/topic/sda")  # the self URL differs from where it is polled
        links = {"Link": f'<{server.url("/hub")}>; rel="hub", <{topic}>; rel="self"'}
        plain = pushed_feed("", "", ("urn:sda:1", "Bundesrat tagt")).replace(
            b'<atom:link rel="hub" href=""/><atom:link rel="self" href=""/>', b""
        )
        assert b"rel=" not in plain
        server.route("/feed", Reply(200, plain, links))
        src = SourceConfig(name="sda", location=server.url("/feed"), source="sda")
        websub = WebSubConfig(poll_interval=60.0, lease_seconds=600)
        cfg = replace(config(src, health_port=free_port()), websub=websub)
        async with running(db, cfg) as d:
            await eventually(lambda: hub.subscribed(topic), timeout=20, what="subscription")
            assert hub.asked[0]["hub.topic"] == topic
            await eventually(
                lambda: d.states["sda"].poll_interval == 60.0, timeout=20, what="safety net"
            )
            second = pushed_feed("", "", ("urn:sda:2", "Nationalrat stimmt zu"))
            assert await asyncio.to_thread(hub.publish, topic, second) == [200]
            await eventually(
                lambda: len(changed_ids(db)) == 2, timeout=20, what="pushed item on the feed"
            )


async def test_subscription_moves_with_the_lease_between_two_daemons(db: Database) -> None:
    """Daemon A holds both pushing sources and subscribes to both; daemon B starts, the fair
    split hands one source's lease to B: A unsubscribes it, B subscribes it with its own
    callback, and the hub's next push of that topic reaches B (and the change feed)."""
    with TestServer() as server:
        hub = LocalHub()
        server.route("/hub", hub)
        topics = {name: server.url(f"/feed/{name}") for name in ("sda", "ats")}
        for n, (name, topic) in enumerate(topics.items()):
            body = pushed_feed(server.url("/hub"), topic, (f"urn:{name}:1", f"Meldung {n}"))
            server.route(f"/feed/{name}", Reply(200, body))
        sources = [SourceConfig(name=n, location=t, source="sda") for n, t in topics.items()]
        websub = WebSubConfig(poll_interval=60.0, lease_seconds=600)
        cfg_a = replace(config(*sources, health_port=free_port()), websub=websub)
        cfg_b = replace(config(*sources, health_port=free_port()), websub=websub)
        port_a, port_b = cfg_a.daemon.health_port, cfg_b.daemon.health_port

        def callbacks(port: int) -> set[str]:
            with hub.lock:
                return {s["topic"] for cb, s in hub.subscribers.items() if f":{port}/" in cb}

        async with running(db, cfg_a) as a:
            await eventually(
                lambda: callbacks(port_a) == set(topics.values()), timeout=20, what="A subscribed"
            )
            async with running(db, cfg_b) as b:
                await eventually(
                    lambda: len(a.held) == 1 and len(b.held) == 1, timeout=30, what="split"
                )
                (moved,) = b.held
                (kept,) = a.held
                await eventually(
                    lambda: (
                        callbacks(port_b) == {topics[moved]} and callbacks(port_a) == {topics[kept]}
                    ),
                    timeout=20,
                    what="the moved subscription to be B's alone",
                )
                asked = [(f["hub.mode"], f["hub.topic"], f["hub.callback"]) for f in hub.asked]
                assert any(
                    m == "unsubscribe" and t == topics[moved] and f":{port_a}/" in c
                    for m, t, c in asked
                )  # A let go of it
                before = len(changed_ids(db))
                second = pushed_feed(server.url("/hub"), topics[moved], (f"urn:{moved}:2", "Neu"))
                assert await asyncio.to_thread(hub.publish, topics[moved], second) == [200]
                await eventually(
                    lambda: len(changed_ids(db)) == before + 1, timeout=20, what="pushed item"
                )
                assert metric(b, "wire_pushes_total", source=moved) == 1
                assert metric(a, "wire_pushes_total", source=moved) == 0
