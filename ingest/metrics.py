"""Prometheus metrics of the daemon and the tiny HTTP server for ``/healthz`` and ``/metrics``.

The server runs on the daemon's own event loop (no thread, no web framework): a blocked loop
then shows as a failing health check, which is what a liveness probe should see.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

from wire.ingest.health import Outcome
from wire.ingest.pipeline import RunStats
from wire.ingest.websub import CALLBACK_PREFIX

log = logging.getLogger("wire.daemon")

# Fetch latency buckets, seconds: loopback and CDN answers up to slow agency servers.
FETCH_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0)
STORE_BATCH_BUCKETS = (1, 2, 4, 8, 16, 32)
# Publish-to-commit latency buckets, seconds: pushed items (under a second) to quiet feeds.
LATENCY_BUCKETS = (0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 900.0, 1800.0, 3600.0)


class Metrics:
    """Every metric the daemon exports, in a registry of its own (several daemons per test)."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        r = self.registry
        by_source = ("source",)

        def counter(name: str, doc: str, labels: tuple[str, ...] = by_source) -> Counter:
            return Counter(name, doc, labels, registry=r)

        def gauge(name: str, doc: str, labels: tuple[str, ...] = by_source) -> Gauge:
            return Gauge(name, doc, labels, registry=r)

        def histogram(name: str, doc: str, buckets: tuple[float, ...], **kw: Any) -> Histogram:
            return Histogram(name, doc, buckets=buckets, registry=r, **kw)

        self.polls = counter(
            "wire_polls",
            "Polls by source and result (fetched, not_modified, same_body, failed, empty,"
            " store_failed).",
            ("source", "result"),
        )
        self.not_modified = counter(
            "wire_not_modified", "HTTP 304 answers (no parsing, no writes)."
        )
        self.items = counter(
            "wire_items",
            "Items by source and outcome (new, updated, unchanged, rejected).",
            ("source", "outcome"),
        )
        self.errors = counter("wire_errors", "Failed polls by source.")
        self.acks = counter("wire_acks", "Entries acknowledged to pull APIs after commit.")
        self.fetch_seconds = histogram(
            "wire_fetch_seconds", "Time to fetch one payload, retries included.", FETCH_BUCKETS
        )
        self.last_success = gauge(
            "wire_last_success_timestamp_seconds", "Unix time of the last successful poll."
        )
        self.failing = gauge("wire_source_failing", "1 when a source is marked failing.")
        self.store_batch = histogram(
            "wire_store_batch_payloads",
            "Payloads stored together in one transaction.",
            STORE_BATCH_BUCKETS,
        )
        self.leases = gauge("wire_leases_held", "Sources this daemon holds a lease on.", ())
        self.store_paused = gauge(
            "wire_store_paused",
            "1 while storing is paused because the database could not be used.",
            (),
        )
        self.store_failures = counter(
            "wire_store_failures", "Payloads the database could not take (refetched later).", ()
        )
        self.latency = histogram(
            "wire_item_latency_seconds",
            "Seconds from an item's versioncreated (or first sighting) to its commit.",
            LATENCY_BUCKETS,
            labelnames=by_source,
        )
        self.pushes = counter("wire_pushes", "Payloads WebSub hubs pushed and wire stored.")
        self.interval = gauge(
            "wire_poll_interval_seconds", "Seconds between polls of a source now."
        )
        self._children: dict[tuple[Any, ...], Any] = {}

    def child(self, metric: Any, *labels: str) -> Any:
        """``metric.labels(*labels)``, looked up once per series.

        prometheus_client's ``labels()`` checks the values and takes a lock on every call
        (~1 us; a poll made six such calls on the event loop; a dict lookup is half that). A
        series is never removed here, so the child it returned first is the one it returns.
        """
        key = (metric, *labels)
        found = self._children.get(key)
        if found is None:
            found = self._children[key] = metric.labels(*labels)
        return found

    def set_interval(self, name: str, seconds: float) -> None:
        self.child(self.interval, name).set(seconds)

    def set_failing(self, name: str, failing: bool) -> None:
        self.child(self.failing, name).set(1 if failing else 0)

    def observe_poll(self, name: str, outcome: Outcome, failing: bool, now: datetime) -> None:
        """Everything one finished poll of source ``name`` counts for."""
        child = self.child
        child(self.polls, name, outcome.result).inc()
        if outcome.result == "not_modified":
            child(self.not_modified, name).inc()
        self._count_items(name, outcome.stats)
        if outcome.fetch_seconds is not None:
            self.fetch_seconds.observe(outcome.fetch_seconds)
        if outcome.acked:
            child(self.acks, name).inc(outcome.acked)
        if outcome.result == "store_failed":
            self.store_failures.inc()  # the store's fault: not counted against the source
        elif outcome.error is None:
            child(self.last_success, name).set(now.timestamp())
        else:
            child(self.errors, name).inc()
        self.set_failing(name, failing)

    def observe_push(self, name: str, stats: RunStats) -> None:
        """A payload a WebSub hub pushed: its items, and the push itself."""
        self.child(self.pushes, name).inc()
        self._count_items(name, stats)

    def _count_items(self, name: str, stats: RunStats) -> None:
        for key in ("new", "updated", "unchanged", "rejected"):
            if getattr(stats, key):
                self.child(self.items, name, key).inc(getattr(stats, key))

    def observe_latencies(self, name: str, latencies: list[float]) -> None:
        histogram = self.child(self.latency, name)
        for seconds in latencies:
            histogram.observe(seconds)

    def render(self) -> bytes:
        return generate_latest(self.registry)


HealthFn = Callable[[], tuple[bool, dict[str, Any]]]
# (method, path, query, headers with lower-case names, body) -> (status, body): WebSub callbacks.
CallbackFn = Callable[
    [str, str, dict[str, str], dict[str, str], bytes], Awaitable[tuple[int, bytes]]
]
MAX_CALLBACK_BYTES = 20_000_000  # a pushed payload, as [[sources]].max_bytes


class HealthServer:
    """GET /healthz (JSON, 200 or 503) and GET /metrics (Prometheus text) on one port, and
    the WebSub callbacks (``/websub/...``) when ``callbacks`` is given."""

    def __init__(
        self,
        metrics: Metrics,
        health: HealthFn,
        host: str,
        port: int,
        callbacks: CallbackFn | None = None,
    ) -> None:
        self.metrics, self.health, self.host, self.port = metrics, health, host, port
        self.callbacks = callbacks
        self.server: asyncio.Server | None = None

    async def start(self) -> int:
        """Listen; returns the bound port (useful when asked for port 0 in tests)."""
        self.server = await asyncio.start_server(self._handle, self.host, self.port)
        return int(self.server.sockets[0].getsockname()[1])

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5.0)
            request_line, *lines = head.decode("latin-1").split("\r\n")
            method, _, rest = request_line.partition(" ")
            target = rest.split(" ", 1)[0]
            path, _, query = target.partition("?")
            if self.callbacks is not None and path.startswith(CALLBACK_PREFIX):
                headers = {
                    k.strip().lower(): v.strip()
                    for k, _, v in (line.partition(":") for line in lines if line)
                }
                length = min(int(headers.get("content-length") or 0), MAX_CALLBACK_BYTES)
                data = await asyncio.wait_for(reader.readexactly(length), 30.0)
                code, out = await self.callbacks(
                    method, path, dict(parse_qsl(query)), headers, data
                )
                status = f"{code} {HTTPStatus(code).phrase}"
                ctype, body = "text/plain", out
            else:
                status, ctype, body = self._route(method, path)
            writer.write(
                f"HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
                + (body if method != "HEAD" else b"")
            )
            await writer.drain()
        except (TimeoutError, ValueError, asyncio.IncompleteReadError, asyncio.LimitOverrunError,
                OSError):  # fmt: skip
            pass
        finally:
            writer.close()

    def _route(self, method: str, path: str) -> tuple[str, str, bytes]:
        if method not in ("GET", "HEAD"):
            return "405 Method Not Allowed", "text/plain", b"GET only\n"
        if path == "/metrics":
            return "200 OK", CONTENT_TYPE_LATEST, self.metrics.render()
        if path in ("/healthz", "/health"):
            ok, info = self.health()
            body = json.dumps(info, default=str).encode() + b"\n"
            return ("200 OK" if ok else "503 Service Unavailable"), "application/json", body
        return "404 Not Found", "text/plain", b"try /healthz or /metrics\n"
