"""An httpcore network backend on plain asyncio transports, and the httpx transport that uses it.

httpcore's default backend on asyncio is anyio. Measured on the daemon's 304 polls, anyio's
per-call machinery cost about a fifth of the fetch CPU: a cancel scope (``fail_after``) entered
and left around every read and write, sniffio and current-task look-ups, and above all
``get_extra_info("is_readable")``, which httpcore asks of every connection in a pool each time a
request is assigned or released, and for which anyio builds a dict of lambdas and then makes a
``poll()`` system call.

Here an :class:`asyncio.Protocol` keeps what the transport delivered (bytes, end of stream, the
error that ended the connection), so a read that finds data does no waiting and creates no
timer, a write is ``transport.write`` (it waits only when the transport asked to pause), and
"is readable" is a look at that state. It relies on the event loop having seen the server's
FIN, which it has by the time an idle connection is picked again (the loop reads every open
socket); a server that closes at the very moment a request goes out is a race either way.

The contract (``httpcore.AsyncNetworkBackend``/``AsyncNetworkStream``) is the one of httpcore's
own backends (``httpcore/_backends/anyio.py``): ``read`` returns ``b""`` at the end of the
stream, errors become ``httpcore.ReadError``/``WriteError``/``ConnectError`` and timeouts
``ReadTimeout``/``WriteTimeout``/``ConnectTimeout``.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import socket
import ssl
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Iterable, Iterator
from typing import Any

import httpcore
import httpx

# Reading pauses when this much arrived unread, and resumes once a read leaves no more than
# _LOW_WATER. httpcore reads 64 KiB at a time.
_HIGH_WATER = 256 * 1024
_LOW_WATER = 64 * 1024
# Happy eyeballs (RFC 8305) delay between connection attempts, as anyio's connect_tcp.
_HAPPY_EYEBALLS_DELAY = 0.25


def _wake(waiter: asyncio.Future[bool] | None, value: bool) -> None:
    if waiter is not None and not waiter.done():
        waiter.set_result(value)


class _StreamProtocol(asyncio.Protocol):
    """What the transport delivered, for :class:`AsyncioStream` to read without a system call."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.eof = False  # the peer finished sending
        self.lost = False  # the connection is gone (connection_lost ran)
        self.error: Exception | None = None  # why, when it was not a clean close
        self.reading_paused = False
        self.writing_paused = False
        self.read_waiter: asyncio.Future[bool] | None = None
        self.drain_waiter: asyncio.Future[bool] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        _wake(self.read_waiter, True)
        if not self.reading_paused and len(self.buffer) > _HIGH_WATER:
            assert self.transport is not None
            self.transport.pause_reading()
            self.reading_paused = True

    def eof_received(self) -> bool:
        self.eof = True
        _wake(self.read_waiter, True)
        return False  # close our side too: HTTP never writes after the server is done

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost = True
        self.error = exc
        _wake(self.read_waiter, True)
        _wake(self.drain_waiter, True)

    def pause_writing(self) -> None:
        self.writing_paused = True

    def resume_writing(self) -> None:
        self.writing_paused = False
        _wake(self.drain_waiter, True)


async def _wait(
    loop: asyncio.AbstractEventLoop, waiter: asyncio.Future[bool], timeout: float | None
) -> bool:
    """Wait for ``waiter``; False when ``timeout`` passed first. A timer on the future is
    cheaper than ``asyncio.timeout`` (no task cancel and uncancel) and is all a wait needs."""
    if timeout is None:
        return await waiter
    timer = loop.call_later(timeout, _wake, waiter, False)
    try:
        return await waiter
    finally:
        timer.cancel()


class AsyncioStream(httpcore.AsyncNetworkStream):
    """One connection: a transport and the :class:`_StreamProtocol` that receives for it."""

    def __init__(self, transport: asyncio.Transport, protocol: _StreamProtocol) -> None:
        self._transport = transport
        self._protocol = protocol
        self._loop = asyncio.get_running_loop()
        self._closed = False

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        p = self._protocol
        if not p.buffer:
            if self._closed:
                raise httpcore.ReadError("the connection was closed")
            if not (p.eof or p.lost):
                if not await self._wait_for("read_waiter", timeout):
                    raise httpcore.ReadTimeout(f"no data within {timeout} s")
                if self._closed:
                    raise httpcore.ReadError("the connection was closed")
            if not p.buffer:
                if p.error is not None:
                    raise httpcore.ReadError(p.error)
                return b""
        buffer = p.buffer
        if len(buffer) <= max_bytes:
            data = bytes(buffer)
            buffer.clear()
        else:
            data = bytes(buffer[:max_bytes])
            del buffer[:max_bytes]
        if p.reading_paused and len(buffer) <= _LOW_WATER:
            p.reading_paused = False
            self._transport.resume_reading()
        return data

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        p = self._protocol
        if self._closed or p.lost or self._transport.is_closing():
            raise httpcore.WriteError(p.error or "the connection was closed")
        self._transport.write(buffer)
        if not p.writing_paused:
            return
        if not await self._wait_for("drain_waiter", timeout):
            raise httpcore.WriteTimeout(f"could not send within {timeout} s")
        if p.lost:
            raise httpcore.WriteError(p.error or "the connection was closed")

    async def _wait_for(self, waiter_name: str, timeout: float | None) -> bool:
        """Wait until the protocol wakes its ``read_waiter`` or ``drain_waiter``; False when
        ``timeout`` passed first. One waiter of each kind at a time, as httpcore never reads
        (or writes) one connection from two tasks."""
        p = self._protocol
        if getattr(p, waiter_name) is not None:
            raise RuntimeError(f"another task waits on this connection ({waiter_name})")
        waiter = self._loop.create_future()
        setattr(p, waiter_name, waiter)
        try:
            return await _wait(self._loop, waiter, timeout)
        finally:
            setattr(p, waiter_name, None)

    async def aclose(self) -> None:
        """Close without waiting; a TLS connection gets its close_notify sent, not answered
        (as anyio does: close, one loop turn, abort)."""
        if self._closed:
            return
        self._closed = True
        transport = self._transport
        _wake(self._protocol.read_waiter, True)
        _wake(self._protocol.drain_waiter, True)
        if not transport.is_closing():
            transport.close()
            if transport.get_extra_info("ssl_object") is not None:
                self._loop.call_soon(transport.abort)

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """The TLS handshake on this connection; the new stream replaces this one."""
        protocol = self._protocol
        try:
            async with asyncio.timeout(timeout):
                transport = await self._loop.start_tls(
                    self._transport,
                    protocol,
                    ssl_context,
                    server_hostname=server_hostname,
                    # Our own timeout decides (ConnectTimeout); asyncio's is a backstop.
                    ssl_handshake_timeout=None if timeout is None else timeout + 1.0,
                )
        except BaseException as exc:
            self._abort()  # a half-done handshake leaves nothing usable
            if isinstance(exc, TimeoutError):
                raise httpcore.ConnectTimeout(f"TLS handshake took over {timeout} s") from exc
            if isinstance(exc, OSError):  # ssl.SSLError (failed verification) is an OSError
                raise httpcore.ConnectError(exc) from exc
            raise
        if transport is None:  # the connection went away during the handshake
            self._abort()
            raise httpcore.ConnectError("the connection was closed during the TLS handshake")
        self._closed = True  # this stream's transport now belongs to the TLS stream
        protocol.transport = transport
        return AsyncioStream(transport, protocol)

    def _abort(self) -> None:
        self._closed = True
        self._transport.abort()

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":
            # httpcore asks this of idle connections: anything but "nothing happened" (data,
            # the end of the stream, an error) means the server is done with it.
            p = self._protocol
            return bool(p.buffer) or p.eof or p.lost or self._transport.is_closing()
        if info == "ssl_object":
            return self._transport.get_extra_info("ssl_object")
        if info == "client_addr":
            return self._transport.get_extra_info("sockname")
        if info == "server_addr":
            return self._transport.get_extra_info("peername")
        if info == "socket":
            # asyncio hands out a TransportSocket: options and names, no I/O.
            return self._transport.get_extra_info("socket")
        return None


def _set_options(
    transport: asyncio.Transport, socket_options: Iterable[httpcore.SOCKET_OPTION] | None
) -> None:
    """Socket options on the connected socket, as httpcore's anyio backend applies them."""
    if not socket_options:
        return
    sock = transport.get_extra_info("socket")
    for option in socket_options:
        sock.setsockopt(*option)


def _family(local_address: str | None) -> int:
    """The address family ``local_address`` implies ("0.0.0.0" IPv4, "::" IPv6), as httpx
    documents; 0 (any) when there is none or it is a name."""
    if not local_address:
        return 0
    try:
        version = ipaddress.ip_address(local_address).version
    except ValueError:
        return 0
    return socket.AF_INET6 if version == 6 else socket.AF_INET


class AsyncioBackend(httpcore.AsyncNetworkBackend):
    """Connections as plain asyncio transports (see the module docstring for why)."""

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        opening = asyncio.get_running_loop().create_connection(
            _StreamProtocol,
            host,
            port,
            family=_family(local_address),
            local_addr=(local_address, 0) if local_address else None,
            happy_eyeballs_delay=_HAPPY_EYEBALLS_DELAY,
        )
        return await _connect(opening, timeout, socket_options)

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        opening = asyncio.get_running_loop().create_unix_connection(_StreamProtocol, path)
        return await _connect(opening, timeout, socket_options)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


async def _connect(
    opening: Awaitable[tuple[asyncio.BaseTransport, _StreamProtocol]],
    timeout: float | None,
    socket_options: Iterable[httpcore.SOCKET_OPTION] | None,
) -> AsyncioStream:
    """A connection being opened, with httpcore's errors for a timeout or a failure."""
    try:
        async with asyncio.timeout(timeout):
            transport, protocol = await opening
    except TimeoutError as exc:
        raise httpcore.ConnectTimeout(f"no connection within {timeout} s") from exc
    except OSError as exc:  # refused, unreachable, name not resolved
        raise httpcore.ConnectError(exc) from exc
    return _stream(transport, protocol, socket_options)


def _stream(
    transport: asyncio.BaseTransport,
    protocol: _StreamProtocol,
    socket_options: Iterable[httpcore.SOCKET_OPTION] | None,
) -> AsyncioStream:
    assert isinstance(transport, asyncio.Transport)
    try:
        _set_options(transport, socket_options)
    except OSError as exc:
        transport.abort()
        raise httpcore.ConnectError(exc) from exc
    return AsyncioStream(transport, protocol)


BACKEND = AsyncioBackend()  # stateless: one for every pool


# httpcore's exceptions as httpx's, the most specific first (what httpx's own transport does).
_HTTPX_ERRORS: tuple[tuple[type[Exception], type[httpx.HTTPError]], ...] = (
    (httpcore.ConnectTimeout, httpx.ConnectTimeout),
    (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout),
    (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.TimeoutException, httpx.TimeoutException),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError),
    (httpcore.NetworkError, httpx.NetworkError),
    (httpcore.ProxyError, httpx.ProxyError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.ProtocolError, httpx.ProtocolError),
)


@contextlib.contextmanager
def _as_httpx_errors() -> Iterator[None]:
    try:
        yield
    except Exception as exc:
        for core, mapped in _HTTPX_ERRORS:
            if isinstance(exc, core):
                raise mapped(str(exc)) from exc
        raise


class _Body(httpx.AsyncByteStream):
    """An httpcore response body as httpx reads it, its errors as httpx's."""

    def __init__(self, stream: AsyncIterable[bytes]) -> None:
        self._stream = stream

    async def __aiter__(self) -> AsyncIterator[bytes]:
        with _as_httpx_errors():
            async for part in self._stream:
                yield part

    async def aclose(self) -> None:
        close = getattr(self._stream, "aclose", None)
        if close is not None:
            await close()


class AsyncioTransport(httpx.AsyncBaseTransport):
    """An httpx transport over an httpcore connection pool it owns, on :class:`AsyncioBackend`.

    It does what ``httpx.AsyncHTTPTransport`` does, through public API only: the pool is built
    with httpcore's own constructor (``network_backend=BACKEND``); each httpx request becomes
    an httpcore request, and the response and httpcore's exceptions become httpx's. With an
    http(s) ``proxy`` the pool is an ``httpcore.AsyncHTTPProxy`` on the same backend.
    """

    def __init__(
        self,
        verify: ssl.SSLContext | str | bool = True,
        cert: Any = None,
        trust_env: bool = True,
        http1: bool = True,
        http2: bool = False,
        limits: httpx.Limits = httpx.Limits(max_connections=100, max_keepalive_connections=20),
        proxy: httpx.Proxy | httpx.URL | str | None = None,
        uds: str | None = None,
        local_address: str | None = None,
        retries: int = 0,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> None:
        # One SSL context (loading the CA bundle is costly), as httpx builds it.
        ssl_context = httpx.create_ssl_context(verify=verify, cert=cert, trust_env=trust_env)
        common: dict[str, Any] = {
            "ssl_context": ssl_context,
            "max_connections": limits.max_connections,
            "max_keepalive_connections": limits.max_keepalive_connections,
            "keepalive_expiry": limits.keepalive_expiry,
            "http1": http1,
            "http2": http2,
            "retries": retries,
            "local_address": local_address,
            "network_backend": BACKEND,
            "socket_options": socket_options,
        }
        self.pool: httpcore.AsyncConnectionPool
        if proxy is None:
            self.pool = httpcore.AsyncConnectionPool(uds=uds, **common)
            return
        proxy = httpx.Proxy(proxy) if isinstance(proxy, str | httpx.URL) else proxy
        if proxy.url.scheme not in ("http", "https"):
            raise ValueError(f"only http(s) proxies are supported, not {proxy.url.scheme!r}")
        self.pool = httpcore.AsyncHTTPProxy(
            proxy_url=_core_url(proxy.url),
            proxy_auth=proxy.raw_auth,
            proxy_headers=proxy.headers.raw,
            proxy_ssl_context=proxy.ssl_context,
            **common,
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.AsyncByteStream)
        core = httpcore.Request(
            method=request.method,
            url=_core_url(request.url),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        with _as_httpx_errors():
            resp = await self.pool.handle_async_request(core)
        assert isinstance(resp.stream, AsyncIterable)
        return httpx.Response(
            status_code=resp.status,
            headers=resp.headers,
            stream=_Body(resp.stream),
            extensions=resp.extensions,
        )

    async def aclose(self) -> None:
        await self.pool.aclose()


def _core_url(url: httpx.URL) -> httpcore.URL:
    return httpcore.URL(
        scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path
    )
