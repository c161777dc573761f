"""Real HTTP servers on 127.0.0.1 for the fetch and daemon tests (no mocks on the wire).

``TestServer`` is a threaded HTTP/1.1 server whose routes are plain functions from a
:class:`Request` to a :class:`Reply`. A reply can be slow, streamed in chunks without a
length, cut off mid-body, gzip-encoded or held until the test releases it, which covers what
agency servers do to a poller. Ready-made behaviours: :class:`ConditionalFeed` (ETag and
Last-Modified, 304s) and :class:`PullQueue` (a wireQ-style queue that forgets entries only
when they are acknowledged).
"""

from __future__ import annotations

import gzip
import hashlib
import hmac
import json
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    at: float
    peer: str = ""  # the client's address and port: one per connection


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before the status line
    chunked: bool = False  # stream without Content-Length
    chunk_size: int = 64 * 1024
    chunk_delay: float = 0.0  # seconds between chunks
    drop_after: int | None = None  # close the connection after this many body bytes
    gzip: bool = False
    hold: threading.Event | None = None  # wait for this before answering


Handler = Callable[[Request], Reply]


class TestServer:
    """A threaded loopback server; use as a context manager."""

    __test__ = False  # not a pytest class

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.routes: dict[str, Handler] = {}
        self.requests: list[Request] = []
        self.lock = threading.Lock()
        self.active = 0
        self.max_active = 0
        self.active_by_path: dict[str, int] = {}
        self.max_by_path: dict[str, int] = {}  # most requests in flight at once, per path
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                req = Request(
                    self.command,
                    self.path,
                    {k.lower(): v for k, v in self.headers.items()},
                    body,
                    time.monotonic(),
                    f"{self.client_address[0]}:{self.client_address[1]}",
                )
                path = self.path.split("?", 1)[0]
                with server.lock:
                    server.requests.append(req)
                    server.active += 1
                    server.max_active = max(server.max_active, server.active)
                    now = server.active_by_path[path] = server.active_by_path.get(path, 0) + 1
                    server.max_by_path[path] = max(server.max_by_path.get(path, 0), now)
                try:
                    handler = server.routes.get(path)
                    reply = handler(req) if handler else Reply(404, b"not found")
                    self._reply(reply)
                finally:
                    with server.lock:
                        server.active -= 1
                        server.active_by_path[path] -= 1

            def _reply(self, reply: Reply) -> None:
                if reply.hold is not None:
                    reply.hold.wait(30)
                if reply.delay:
                    time.sleep(reply.delay)
                body = gzip.compress(reply.body) if reply.gzip else reply.body
                self.send_response(reply.status)
                for k, v in reply.headers.items():
                    self.send_header(k, v)
                if reply.gzip:
                    self.send_header("Content-Encoding", "gzip")
                if reply.chunked:
                    self.send_header("Transfer-Encoding", "chunked")
                else:
                    self.send_header("Content-Length", str(len(body)))
                if reply.drop_after is not None:
                    self.send_header("Connection", "close")
                self.end_headers()
                if self.command == "HEAD" or reply.status == 304:
                    return
                sent = 0
                for i in range(0, max(len(body), 1), reply.chunk_size):
                    chunk = body[i : i + reply.chunk_size]
                    if reply.drop_after is not None and sent + len(chunk) > reply.drop_after:
                        self.wfile.write(chunk[: reply.drop_after - sent])
                        self.wfile.flush()
                        self.close_connection = True
                        self.connection.shutdown(2)
                        return
                    if reply.chunked:
                        self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                    else:
                        self.wfile.write(chunk)
                    self.wfile.flush()
                    sent += len(chunk)
                    if reply.chunk_delay:
                        time.sleep(reply.chunk_delay)
                if reply.chunked:
                    self.wfile.write(b"0\r\n\r\n")

            do_GET = do_POST = do_DELETE = do_HEAD = _serve

        class _Server(ThreadingHTTPServer):
            request_queue_size = 128  # a daemon's first round connects to hundreds of routes

            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # clients that hang up (timeouts, cancelled polls) are expected here

        self.httpd = _Server((host, 0), _Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def port(self) -> int:
        return int(self.httpd.server_address[1])

    def url(self, path: str) -> str:
        host = self.httpd.server_address[0]
        return f"http://{host!s}:{self.port}{path}"

    def route(self, path: str, handler: Handler | Reply) -> None:
        if isinstance(handler, Reply):
            reply = handler
            self.routes[path] = lambda _req: reply
        else:
            self.routes[path] = handler

    def hits(self, path: str, method: str | None = None) -> list[Request]:
        with self.lock:
            return [
                r
                for r in self.requests
                if r.path.split("?", 1)[0] == path and (method is None or r.method == method)
            ]

    def __enter__(self) -> TestServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def sequence(*replies: Reply) -> Handler:
    """Answer with each reply in turn, then keep answering with the last one."""
    lock = threading.Lock()
    calls = [0]

    def handler(_req: Request) -> Reply:
        with lock:
            i = min(calls[0], len(replies) - 1)
            calls[0] += 1
        return replies[i]

    return handler


class ConditionalFeed:
    """A feed with an ETag and a Last-Modified; 304 when the client already has it."""

    def __init__(self, body: bytes, *, etag: bool = True, last_modified: bool = True) -> None:
        self.lock = threading.Lock()
        self.use_etag, self.use_lm = etag, last_modified
        self.version = 0
        self.set(body)

    def set(self, body: bytes) -> None:
        with self.lock:
            self.body = body
            self.version += 1
            self.etag = f'"v{self.version}"'
            self.last_modified = formatdate(1_600_000_000 + self.version * 60, usegmt=True)

    def __call__(self, req: Request) -> Reply:
        with self.lock:
            headers = {"Content-Type": "application/rss+xml"}
            if self.use_etag:
                headers["ETag"] = self.etag
            if self.use_lm:
                headers["Last-Modified"] = self.last_modified
            fresh = False
            if (self.use_etag and req.headers.get("if-none-match") == self.etag) or (
                not self.use_etag
                and self.use_lm
                and req.headers.get("if-modified-since") == self.last_modified
            ):
                fresh = True
            if fresh:
                return Reply(304, headers=headers)
            return Reply(200, self.body, headers)


class PullQueue:
    """A wireQ-style queue: GET delivers unacknowledged entries, POST ``/ack`` removes them.

    ``on_ack(entry_ids)`` runs before the queue forgets anything (tests check the database
    there); ``hold_get``/``hold_ack`` keep a request open until the test releases (or kills).
    """

    def __init__(self, entries: list[dict[str, Any]], batch: int = 100) -> None:
        self.lock = threading.Lock()
        self.entries = list(entries)
        self.batch = batch
        self.acked: list[str] = []
        self.ack_checks: list[Any] = []
        self.on_ack: Callable[[list[str]], Any] | None = None
        self.get_reply: Callable[[bytes], Reply] = lambda body: Reply(
            200, body, {"Content-Type": "application/json"}
        )
        self.ack_reply: Reply | None = None

    def get(self, _req: Request) -> Reply:
        with self.lock:
            batch = self.entries[: self.batch]
        return self.get_reply(json.dumps({"entries": batch}).encode())

    def ack(self, req: Request) -> Reply:
        doc = json.loads(req.body or b"{}")
        ids = [i for i in doc.get("entry_ids", []) if i]
        if self.on_ack is not None:
            self.ack_checks.append(self.on_ack(ids))
        if self.ack_reply is not None:
            return self.ack_reply
        with self.lock:
            self.acked.extend(ids)
            self.entries = [e for e in self.entries if e.get("entry_id") not in set(ids)]
        return Reply(200, b'{"ok": true}', {"Content-Type": "application/json"})

    def mount(self, server: TestServer, prefix: str = "/queue") -> tuple[str, str]:
        server.route(prefix, self.get)
        server.route(prefix + "/ack", self.ack)
        return server.url(prefix), server.url(prefix + "/ack")


def rss(items: list[tuple[str, str, str]], title: str = "Test feed") -> bytes:
    """A small RSS 2.0 document from (guid, title, body) triples."""
    parts = [
        f"<item><title>{t}</title><link>https://example.org/{g}</link>"
        f'<guid isPermaLink="false">{g}</guid>'
        f"<pubDate>Sun, 30 Aug 2020 12:00:00 +0200</pubDate>"
        f"<description>{b}</description></item>"
        for g, t, b in items
    ]
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>https://example.org/</link><description>t</description>"
        + "".join(parts)
        + "</channel></rss>"
    ).encode()


def digitalwires_entry(n: int, receipt: bool = True) -> dict[str, Any]:
    """One dpa-digitalwires style entry with a stable urn and entry id."""
    entry: dict[str, Any] = {
        "entry_id": f"entry-{n}",
        "urn": f"urn:newsml:dpa.com:20090101:test-{n}",
        "version": 1,
        "version_created": "2024-10-15T10:02:11+02:00",
        "pubstatus": "usable",
        "language": "de",
        "headline": f"Meldung Nummer {n} aus dem Testbetrieb",
        "article_html": f"<section class='main'><p>Text der Meldung {n}. "
        + "Ein zweiter Satz mit mehr Inhalt für die Meldung. " * 3
        + "</p></section>",
        "creditline": "dpa",
    }
    if receipt:
        entry["_wireq_receipt"] = f"rcpt-{n}"
    return entry


@contextmanager
def serving() -> Iterator[TestServer]:
    with TestServer() as server:
        yield server


class LocalHub:
    """A WebSub hub (W3C WebSub 5-7): takes (un)subscription requests, verifies the intent
    with a GET to the callback in a thread of its own, and pushes signed content to its
    verified subscribers with :meth:`publish`. Mount it with ``server.route("/hub", hub)``."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.subscribers: dict[str, dict[str, str]] = {}  # callback -> {topic, secret}
        self.asked: list[dict[str, str]] = []  # every request's form, in order

    def __call__(self, req: Request) -> Reply:
        form = dict(urllib.parse.parse_qsl(req.body.decode()))
        with self.lock:
            self.asked.append(form)
        if form.get("hub.mode") not in ("subscribe", "unsubscribe") or not form.get("hub.callback"):
            return Reply(400, b"bad request")
        threading.Thread(target=self._verify, args=(form,), daemon=True).start()
        return Reply(202)

    def _verify(self, form: dict[str, str]) -> None:
        challenge = secrets.token_hex(8)
        query = {
            "hub.mode": form["hub.mode"],
            "hub.topic": form.get("hub.topic", ""),
            "hub.challenge": challenge,
            "hub.lease_seconds": form.get("hub.lease_seconds", ""),
        }
        url = form["hub.callback"] + "?" + urllib.parse.urlencode(query)
        try:
            with urllib.request.urlopen(url, timeout=5) as resp:
                echoed = resp.status == 200 and resp.read().decode() == challenge
        except OSError:
            echoed = False
        with self.lock:
            if echoed and form["hub.mode"] == "subscribe":
                self.subscribers[form["hub.callback"]] = {
                    "topic": form.get("hub.topic", ""), "secret": form.get("hub.secret", "")
                }  # fmt: skip
            elif echoed:
                self.subscribers.pop(form["hub.callback"], None)

    def subscribed(self, topic: str) -> bool:
        with self.lock:
            return any(s["topic"] == topic for s in self.subscribers.values())

    def modes(self) -> list[str]:
        with self.lock:
            return [f.get("hub.mode", "") for f in self.asked]

    def publish(
        self, topic: str, body: bytes, *, secret: str | None = None, algorithm: str = "sha256"
    ) -> list[int]:
        """POST ``body`` to every verified subscriber of ``topic``, signed with its secret
        (or with ``secret``, to forge a bad signature); returns the status codes."""
        with self.lock:
            targets = [(cb, s) for cb, s in self.subscribers.items() if s["topic"] == topic]
        codes = []
        for callback, sub in targets:
            key = (secret if secret is not None else sub["secret"]).encode()
            signature = hmac.new(key, body, getattr(hashlib, algorithm)).hexdigest()
            req = urllib.request.Request(
                callback, data=body, method="POST",
                headers={"Content-Type": "application/rss+xml",
                         "X-Hub-Signature": f"{algorithm}={signature}"},
            )  # fmt: skip
            try:
                with urllib.request.urlopen(req, timeout=10) as resp:
                    codes.append(resp.status)
            except urllib.error.HTTPError as exc:
                codes.append(exc.code)
        return codes
