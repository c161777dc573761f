"""One small connection pool per host behind the daemon's shared httpx client.

httpcore's connection pool walks every connection it holds, and asks the kernel whether each
idle one is still open, each time a request is queued or finishes. With one pool of 100
connections that walk costs more CPU than the request itself once thousands of feeds are
polled (measured in ``bench/daemon``: about 3x the CPU of per-host pools for the same 2,000
requests). wire never sends more than ``[http].per_host_limit`` requests to one host at once, so
a pool per host holds at most that many connections and the walk stays short.

Pools are kept for the most recently used ``max_pools`` hosts; an idle pool beyond that is
closed, so the number of idle sockets stays bounded as it is with one shared pool. A pool is
idle when none of its responses is still open (a streamed body counts until it is closed).

Each pool talks to the network through :class:`wire.ingest.netbackend.AsyncioTransport` (httpcore on
plain asyncio transports instead of anyio; why is said there).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import AsyncIterator
from typing import Any

import httpx

from wire.ingest.netbackend import AsyncioTransport


class _Pool:
    """One host's transport and how many of its responses are still open."""

    def __init__(self, transport: AsyncioTransport) -> None:
        self.transport = transport
        self.open = 0


class _Released(httpx.AsyncByteStream):
    """A response body that marks its pool's response closed when the body is closed."""

    def __init__(self, stream: httpx.AsyncByteStream, pool: _Pool) -> None:
        self._stream = stream
        self._pool = pool
        self._closed = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._stream:
            yield chunk

    async def aclose(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            await self._stream.aclose()
        finally:
            self._pool.open -= 1


class HostPools(httpx.AsyncBaseTransport):
    """Route each request to its origin's own pool of at most ``per_host`` connections."""

    def __init__(self, per_host: int, max_pools: int, **transport_options: Any) -> None:
        self.per_host = max(1, per_host)
        self.max_pools = max(1, max_pools)
        # One TLS context for every pool: loading the CA bundle is most of a new transport's cost.
        transport_options.setdefault("verify", httpx.create_ssl_context())
        self._options = transport_options
        self._pools: OrderedDict[tuple[bytes, str, int | None], _Pool] = OrderedDict()

    def __len__(self) -> int:
        return len(self._pools)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        key = (url.raw_scheme, url.host, url.port)
        pool = self._pools.pop(key, None)
        if pool is None:
            limits = httpx.Limits(
                max_connections=self.per_host, max_keepalive_connections=self.per_host
            )
            pool = _Pool(AsyncioTransport(limits=limits, **self._options))
        self._pools[key] = pool  # most recently used last
        pool.open += 1
        try:
            await self._close_idle_beyond_cap()
            response = await pool.transport.handle_async_request(request)
        except BaseException:
            pool.open -= 1
            raise
        assert isinstance(response.stream, httpx.AsyncByteStream)
        return httpx.Response(
            response.status_code,
            headers=response.headers,
            stream=_Released(response.stream, pool),
            extensions=response.extensions,
        )

    async def _close_idle_beyond_cap(self) -> None:
        """Close least recently used idle pools until at most ``max_pools`` remain."""
        excess = len(self._pools) - self.max_pools
        if excess <= 0:
            return
        idle = [key for key, pool in self._pools.items() if not pool.open][:excess]
        for key in idle:
            await self._pools.pop(key).transport.aclose()

    async def aclose(self) -> None:
        pools = list(self._pools.values())
        self._pools.clear()
        for pool in pools:
            await pool.transport.aclose()
