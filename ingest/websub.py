"""WebSub push (W3C WebSub, formerly PubSubHubbub): a feed that names a hub pushes its changes.

The daemon that holds a source's lease subscribes to the hub the feed advertises
(an HTTP ``Link: <...>; rel="hub"`` header, ``<link rel="hub">`` in Atom,
``<atom:link rel="hub">`` in RSS), with a callback on the
daemon's own HTTP port (``[websub].public_url`` when the hub must reach it through a proxy)
and a secret of its own per subscription. The hub verifies the intent (a GET echoing
``hub.challenge``), then POSTs the feed's new content, signed with ``X-Hub-Signature``
(HMAC-SHA1 or -SHA256 of the body with that secret): a bad or missing signature is refused
(403), a good one is stored at once through the pipeline and answered after the commit (a
failed store answers 503, so the hub delivers it again). Subscriptions are renewed before
their ``hub.lease_seconds`` run out and follow the source's lease: a daemon handing a source
back unsubscribes, and the new owner subscribes when its first poll sees the hub. Polling
goes on slowly (``[websub].poll_interval``) as a safety net.
"""

from __future__ import annotations

import asyncio
import collections
import hashlib
import hmac
import logging
import re
import secrets
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from wire.config import WebSubConfig

if TYPE_CHECKING:  # loaded by whoever makes the client: hub discovery needs no HTTP stack
    import httpx

log = logging.getLogger("wire.websub")

CALLBACK_PREFIX = "/websub/"
_LINK = re.compile(rb"<(?:atom:|atom10:)?link\b[^>]*>", re.I)
_ATTR = re.compile(rb"""([\w:-]+)\s*=\s*("[^"]*"|'[^']*')""")
HUB_SCAN_BYTES = 32768  # feed-level links sit before the items


@dataclass(frozen=True)
class Hub:
    """A feed's hub and the topic (its ``rel="self"`` URL) to subscribe to there."""

    url: str
    topic: str


_LINK_VALUE = re.compile(r"""<([^>]*)>((?:\s*;\s*[\w*-]+\s*(?:=\s*(?:"[^"]*"|[^;,]*))?)*)""")
_LINK_PARAM = re.compile(r"""([\w*-]+)\s*=\s*("[^"]*"|[^;,]*)""")


def header_links(value: str | None, location: str) -> dict[str, str]:
    """The first URL per relation of an HTTP ``Link`` header (RFC 8288: ``<url>; rel="hub"``,
    several values comma-separated, a rel may name several relations), resolved against
    ``location``."""
    found: dict[str, str] = {}
    for url, params in _LINK_VALUE.findall(value or ""):
        attrs = {k.lower(): v.strip().strip('"') for k, v in _LINK_PARAM.findall(params)}
        for rel in attrs.get("rel", "").lower().split():
            if url.strip():
                found.setdefault(rel, urljoin(location, url.strip()))
    return found


def discover_hub(body: bytes, location: str, link_header: str | None = None) -> Hub | None:
    """The hub a feed advertises, with its self URL as the topic (the feed's location when
    it names none); relative URLs are resolved against ``location``.

    The HTTP ``Link`` header comes first (WebSub 4: publishers may advertise there only, and
    a header is seen even when the body is not a feed wire can scan); ``<link>`` elements in
    the feed fill in what the header leaves out.
    """
    links = header_links(link_header, location)
    hub, topic = links.get("hub"), links.get("self")
    for tag in _LINK.findall(body[:HUB_SCAN_BYTES]):
        if hub is not None and topic is not None:
            break
        attrs = {k.lower(): v[1:-1] for k, v in _ATTR.findall(tag)}
        rels = attrs.get(b"rel", b"").lower().split()
        href = attrs.get(b"href", b"").decode("utf-8", "replace").strip()
        if not href:
            continue
        if b"hub" in rels and hub is None:
            hub = urljoin(location, href)
        elif b"self" in rels and topic is None:
            topic = urljoin(location, href)
    return Hub(hub, topic or location) if hub else None


def signature_ok(secret: str, body: bytes, header: str | None) -> bool:
    """Whether ``X-Hub-Signature`` (``sha1=<hex>`` or ``sha256=<hex>``) signs ``body``."""
    if not header or "=" not in header:
        return False
    method, _, given = header.strip().partition("=")
    digest = {"sha1": hashlib.sha1, "sha256": hashlib.sha256}.get(method.lower())
    if digest is None:
        return False
    wanted = hmac.new(secret.encode(), body, digest).hexdigest()
    return hmac.compare_digest(wanted, given.strip().lower())


@dataclass
class Subscription:
    source: str
    hub: Hub
    token: str  # the callback's last path segment: which subscription a request is for
    secret: str
    state: str = "pending"  # pending | active | unsubscribing
    expires: float | None = None  # monotonic; set when the hub verified


Reply = tuple[int, bytes]
PushFn = Callable[[str, bytes], Awaitable[bool]]  # stored? (False: the store failed)


class WebSub:
    """This daemon's subscriptions: subscribe, verify, take pushes, renew, unsubscribe."""

    def __init__(
        self,
        config: WebSubConfig,
        client: httpx.AsyncClient,
        callback_base: Callable[[], str],
        on_push: PushFn,
        on_change: Callable[[str], None] = lambda name: None,
    ) -> None:
        self.config, self.client = config, client
        self.callback_base, self.on_push, self.on_change = callback_base, on_push, on_change
        self.by_token: dict[str, Subscription] = {}
        self.by_source: dict[str, Subscription] = {}
        self.requests = 0  # requests sent to hubs
        # and per source (the daemon's account of requests: they leave with the source)
        self.asked: collections.Counter[str] = collections.Counter()

    def active(self, name: str) -> bool:
        sub = self.by_source.get(name)
        return sub is not None and sub.state == "active"

    def wants(self, name: str, hub: Hub) -> bool:
        """Whether a poll that saw ``hub`` should subscribe (not yet, or the hub moved)."""
        sub = self.by_source.get(name)
        return sub is None or sub.hub != hub

    async def subscribe(self, name: str, hub: Hub) -> None:
        old = self.by_source.get(name)
        if old is not None and old.hub != hub:
            await self.unsubscribe(name)
        sub = Subscription(name, hub, secrets.token_urlsafe(18), secrets.token_hex(20))
        self.by_token[sub.token] = sub
        self.by_source[name] = sub
        await self._ask(sub, "subscribe")

    async def unsubscribe(self, name: str) -> None:
        """Hand the subscription back (the lease went): pushes are refused from now on."""
        sub = self.by_source.pop(name, None)
        if sub is None:
            return
        was_active = sub.state == "active"
        sub.state = "unsubscribing"
        if was_active:
            self.on_change(name)
        await self._ask(sub, "unsubscribe")

    async def unsubscribe_all(self) -> None:
        await asyncio.gather(*(self.unsubscribe(n) for n in list(self.by_source)))

    async def _ask(self, sub: Subscription, mode: str) -> None:
        form = {
            "hub.mode": mode,
            "hub.topic": sub.hub.topic,
            "hub.callback": self.callback_base().rstrip("/") + CALLBACK_PREFIX + sub.token,
        }
        if mode == "subscribe":
            form["hub.secret"] = sub.secret
            form["hub.lease_seconds"] = str(int(self.config.lease_seconds))
        self.requests += 1
        self.asked[sub.source] += 1
        import httpx

        try:
            resp = await self.client.post(sub.hub.url, data=form, timeout=10.0)
            ok = resp.status_code in (202, 204)
            error = None if ok else f"HTTP {resp.status_code}"
        except httpx.HTTPError as exc:
            ok, error = False, f"{type(exc).__name__}: {exc}"
        level = logging.INFO if ok else logging.WARNING
        log.log(level, "websub " + mode,
                extra={"source": sub.source, "hub": sub.hub.url, "error": error})  # fmt: skip
        if not ok and mode == "subscribe" and sub.state == "pending":
            self._drop(sub)  # the next poll that sees the hub tries again

    def _drop(self, sub: Subscription) -> None:
        self.by_token.pop(sub.token, None)
        if self.by_source.get(sub.source) is sub:
            del self.by_source[sub.source]

    async def handle(
        self, method: str, path: str, query: Mapping[str, str], headers: Mapping[str, str],
        body: bytes,
    ) -> Reply:  # fmt: skip
        """A request to a callback URL: the hub's verification (GET) or a push (POST)."""
        sub = self.by_token.get(path[len(CALLBACK_PREFIX) :])
        if sub is None:
            return 404, b"no such subscription\n"
        if method == "GET":
            return self._verify(sub, query)
        if method != "POST":
            return 405, b"GET or POST\n"
        if not signature_ok(sub.secret, body, headers.get("x-hub-signature")):
            log.warning("websub push refused: bad signature", extra={"source": sub.source})
            return 403, b"bad signature\n"
        if sub.state != "active":
            return 410, b"not subscribed here\n"
        stored = await self.on_push(sub.source, body)
        return (200, b"stored\n") if stored else (503, b"store failed, send again\n")

    def _verify(self, sub: Subscription, query: Mapping[str, str]) -> Reply:
        mode, challenge = query.get("hub.mode"), query.get("hub.challenge", "")
        if query.get("hub.topic") != sub.hub.topic:
            return 404, b"topic does not match\n"
        if mode == "denied":
            reason = query.get("hub.reason")
            log.warning("websub denied", extra={"source": sub.source, "reason": reason})
            self._drop(sub)
            return 200, b""
        if mode == "subscribe" and sub.state in ("pending", "active"):
            lease = float(query.get("hub.lease_seconds") or self.config.lease_seconds)
            sub.expires = time.monotonic() + lease
            became_active = sub.state != "active"
            sub.state = "active"
            if became_active:
                log.info("websub active", extra={"source": sub.source, "lease_seconds": lease})
                self.on_change(sub.source)
            return 200, challenge.encode()
        if mode == "unsubscribe" and sub.state == "unsubscribing":
            self.by_token.pop(sub.token, None)
            return 200, challenge.encode()
        return 404, b"not expected\n"

    def due(self, now: float) -> list[Subscription]:
        """Active subscriptions whose lease ends within ``[websub].renew_before`` of its length."""
        margin = self.config.renew_before
        return [
            s
            for s in self.by_source.values()
            if s.state == "active" and s.expires is not None and s.expires - now < margin
        ]

    async def renew_loop(self) -> None:
        """Renew subscriptions before their lease ends, until cancelled."""
        while True:
            await asyncio.sleep(self.config.check_every)
            for sub in self.due(time.monotonic()):
                sub.expires = None  # asked once; the hub's verification sets it again
                await self._ask(sub, "subscribe")
