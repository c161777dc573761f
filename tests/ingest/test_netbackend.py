"""The asyncio network backend under httpcore, against real loopback servers.

Through the daemon's transport (``HostPools`` -> ``AsyncioTransport``) where the behaviour is
httpx's (reuse, errors, timeouts, TLS, proxies), and on the stream itself where it is the
backend's own contract (``b""`` at the end, flow control, cancellation, closing). Servers that
must misbehave in ways ``TestServer`` cannot (close an idle keep-alive connection, reset, never
answer, never read) are small asyncio servers in the test's own loop.
"""

from __future__ import annotations

import asyncio
import datetime
import ipaddress
import socket
import ssl
import struct
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpcore
import httpx
import pytest

from tests.ingest.servers import ConditionalFeed, Reply, TestServer, rss
from wire.config import HttpConfig, SourceConfig
from wire.errors import FetchError
from wire.ingest.fetch import Fetcher
from wire.ingest.netbackend import BACKEND, AsyncioStream, AsyncioTransport
from wire.ingest.pools import HostPools

FEED = rss([("g1", "Eins", "Erste Meldung")])
OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
FAST = HttpConfig(connect_timeout=1.0, read_timeout=0.3, total_timeout=3.0, retries=0)

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@dataclass
class Raw:
    """A raw asyncio server's address and the connections it accepted."""

    port: int = 0
    conns: list[asyncio.StreamWriter] = field(default_factory=list)

    def url(self, path: str = "/", scheme: str = "http") -> str:
        return f"{scheme}://127.0.0.1:{self.port}{path}"


@asynccontextmanager
async def serving(
    handle: Handler, *, tls: ssl.SSLContext | None = None, unix: str | None = None
) -> AsyncIterator[Raw]:
    """Run ``handle`` for each connection to a server on 127.0.0.1 (or a unix socket)."""
    raw = Raw()
    handlers: set[asyncio.Task[None]] = set()

    async def on_connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        raw.conns.append(writer)
        task = asyncio.current_task()
        assert task is not None
        handlers.add(task)
        try:
            await handle(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError, ssl.SSLError):
            pass
        except asyncio.CancelledError:
            pass  # the test is over (ending quietly: asyncio 3.11 logs cancelled handlers)
        finally:
            writer.close()

    if unix is not None:
        server = await asyncio.start_unix_server(on_connect, unix)
    else:
        server = await asyncio.start_server(on_connect, "127.0.0.1", 0, ssl=tls)
        raw.port = server.sockets[0].getsockname()[1]
    try:
        yield raw
    finally:
        server.close()
        for task in handlers:
            task.cancel()
        await asyncio.gather(*handlers)
        await server.wait_closed()


def answer(times: int | None = None, reply: bytes = OK) -> Handler:
    """Answer ``times`` requests on each connection (None: any number), then close it."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        n = 0
        while times is None or n < times:
            await reader.readuntil(b"\r\n\r\n")
            writer.write(reply)
            await writer.drain()
            n += 1

    return handle


async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Accept, then neither read nor answer."""
    await asyncio.sleep(30)


async def readable(stream: AsyncioStream, want: bool = True) -> bool:
    """Whether ``is_readable`` becomes ``want`` within a second (the loop has to see the FIN)."""
    for _ in range(100):
        if stream.get_extra_info("is_readable") == want:
            return True
        await asyncio.sleep(0.01)
    return False


def client(**options: object) -> httpx.AsyncClient:
    """A client over the daemon's transport: a pool per host, on the asyncio backend."""
    timeout = options.pop("timeout", httpx.Timeout(2.0))
    return httpx.AsyncClient(transport=HostPools(2, 4, **options), timeout=timeout)  # type: ignore[arg-type]


def network_stream(resp: httpx.Response) -> AsyncioStream:
    stream = resp.extensions["network_stream"]
    assert isinstance(stream, AsyncioStream)  # not anyio's: the backend is in use
    return stream


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- through the transport --------------------------------------------------------------------


async def test_200_and_304_come_over_the_asyncio_backend_on_one_connection() -> None:
    with TestServer() as server:
        server.route("/feed", ConditionalFeed(FEED))
        async with client() as c:
            first = await c.get(server.url("/feed"))
            assert first.status_code == 200 and first.content == FEED
            first_stream = network_stream(first)
            for _ in range(3):
                again = await c.get(
                    server.url("/feed"), headers={"If-None-Match": first.headers["etag"]}
                )
                assert again.status_code == 304
                assert network_stream(again) is first_stream
                assert not first_stream.get_extra_info("is_readable")  # idle, open, nothing sent
            assert first_stream.get_extra_info("server_addr") == ("127.0.0.1", server.port)
            assert first_stream.get_extra_info("client_addr")[0] == "127.0.0.1"
            assert first_stream.get_extra_info("ssl_object") is None
        assert len({r.peer for r in server.hits("/feed")}) == 1


async def test_the_daemons_fetcher_uses_the_asyncio_backend() -> None:
    fetcher = Fetcher(HttpConfig())
    try:
        pools = fetcher.transport
        assert isinstance(pools, HostPools)
        with TestServer() as server:
            server.route("/feed", Reply(200, FEED))
            src = SourceConfig(name="s", location=server.url("/feed"))
            assert (await fetcher.get(src, src.location)).body == FEED
        (pool,) = pools._pools.values()
        assert isinstance(pool.transport, AsyncioTransport)
        assert isinstance(pool.transport.pool, httpcore.AsyncConnectionPool)
    finally:
        await fetcher.aclose()


async def test_a_server_closing_an_idle_connection_is_noticed_before_reuse() -> None:
    async with serving(answer(times=1)) as raw, client() as c:
        first = await c.get(raw.url())
        stream = network_stream(first)
        assert await readable(stream)  # the server's FIN, seen without a system call
        second = await c.get(raw.url())  # no "server disconnected" error: a new connection
        assert second.status_code == 200 and second.content == b"ok"
        assert network_stream(second) is not stream
    assert len(raw.conns) == 2


async def test_an_idle_connection_the_server_keeps_is_reused() -> None:
    async with serving(answer()) as raw, client() as c:
        stream = network_stream(await c.get(raw.url()))
        await asyncio.sleep(0.05)
        assert not stream.get_extra_info("is_readable")
        assert network_stream(await c.get(raw.url())) is stream
    assert len(raw.conns) == 1


async def test_no_answer_is_a_read_timeout() -> None:
    async with serving(silent) as raw:
        async with client(timeout=httpx.Timeout(2.0, read=0.2)) as c:
            with pytest.raises(httpx.ReadTimeout):
                await c.get(raw.url())
        fetcher = Fetcher(FAST)
        try:
            src = SourceConfig(name="s", location=raw.url("/feed"))
            with pytest.raises(FetchError, match=r"timed out \(ReadTimeout\) \(after 1 try\)"):
                await fetcher.get(src, src.location)
        finally:
            await fetcher.aclose()


async def test_a_stalled_body_is_a_read_timeout() -> None:
    async def stall(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789")
        await asyncio.sleep(30)

    async with (
        serving(stall) as raw,
        client(timeout=httpx.Timeout(2.0, read=0.2)) as c,
        c.stream("GET", raw.url()) as resp,
    ):
        assert resp.status_code == 200
        with pytest.raises(httpx.ReadTimeout):
            await resp.aread()


async def test_connection_refused_is_a_connect_error() -> None:
    port = free_port()
    async with client() as c:
        with pytest.raises(httpx.ConnectError):
            await c.get(f"http://127.0.0.1:{port}/feed")
    fetcher = Fetcher(FAST)
    try:
        src = SourceConfig(name="s", location=f"http://127.0.0.1:{port}/feed")
        with pytest.raises(FetchError, match="ConnectError"):
            await fetcher.get(src, src.location)
    finally:
        await fetcher.aclose()


async def test_a_reset_mid_body_is_a_read_error() -> None:
    async def reset(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + b"x" * 1000)
        await writer.drain()
        await asyncio.sleep(0.05)
        sock = writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        writer.transport.abort()  # linger 0: an RST, not a FIN

    async with serving(reset) as raw, client() as c:
        with pytest.raises(httpx.ReadError):
            await c.get(raw.url())


async def test_a_body_far_larger_than_a_read_arrives_whole_with_reading_paused() -> None:
    body = bytes(range(256)) * 12_000  # about 3 MB: many 64 KiB reads, over the high-water mark
    with TestServer() as server:
        server.route("/big", Reply(200, body))
        async with client() as c, c.stream("GET", server.url("/big")) as resp:
            stream = network_stream(resp)
            for _ in range(100):  # nobody reads yet: the transport stops reading
                if stream._protocol.reading_paused:
                    break
                await asyncio.sleep(0.01)
            assert stream._protocol.reading_paused
            assert len(stream._protocol.buffer) < 1_000_000
            assert await resp.aread() == body
            assert not stream._protocol.reading_paused


async def test_gzip_chunked_body_and_the_size_cap_through_the_fetcher() -> None:
    with TestServer() as server:
        big = FEED * 2_000  # about 600 KB decoded
        server.route("/gz", Reply(200, big, gzip=True, chunked=True, chunk_size=4096))
        server.route("/cap", Reply(200, b"y" * 3_000_000, chunked=True))
        fetcher = Fetcher(FAST)
        try:
            gz = SourceConfig(name="gz", location=server.url("/gz"))
            assert (await fetcher.get(gz, gz.location)).body == big
            cap = SourceConfig(name="cap", location=server.url("/cap"), max_bytes=1_000_000)
            with pytest.raises(FetchError, match="over the cap of 1000000 bytes"):
                await fetcher.get(cap, cap.location)
            # The capped body's connection was dropped; the next poll of the host is fine.
            assert (await fetcher.get(gz, gz.location)).body == big
        finally:
            await fetcher.aclose()


async def test_a_large_upload_is_sent_whole() -> None:
    body = b"z" * 8_000_000  # more than the kernel buffers: the transport pauses the writer
    with TestServer() as server:
        server.route("/up", Reply(200, b"thanks"))
        async with client() as c:
            resp = await c.post(server.url("/up"), content=body)
        assert resp.content == b"thanks"
        (hit,) = server.hits("/up")
        assert hit.body == body


async def test_a_server_that_never_reads_is_a_write_timeout() -> None:
    small_sndbuf = [(socket.SOL_SOCKET, socket.SO_SNDBUF, 16_384)]
    async with serving(silent) as raw:
        opts = {"socket_options": small_sndbuf, "timeout": httpx.Timeout(2.0, write=0.3)}
        async with client(**opts) as c:
            with pytest.raises(httpx.WriteTimeout):
                await c.post(raw.url(), content=b"z" * 8_000_000)


async def test_local_address_and_socket_options_are_applied() -> None:
    keepalive = [(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)]
    async with (
        serving(answer()) as raw,
        client(local_address="127.0.0.1", socket_options=keepalive) as c,
    ):
        stream = network_stream(await c.get(raw.url()))
        sock = stream.get_extra_info("socket")
        assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 1
        assert stream.get_extra_info("client_addr")[0] == "127.0.0.1"


async def test_a_unix_socket(tmp_path: Path) -> None:
    path = str(tmp_path / "s.sock")
    async with (
        serving(answer(), unix=path),
        httpx.AsyncClient(transport=AsyncioTransport(uds=path)) as c,
    ):
        resp = await c.get("http://feeds.example/feed")
        assert resp.content == b"ok"
        network_stream(resp)


async def test_a_proxy_goes_through_an_httpcore_proxy_pool_on_the_backend() -> None:
    with TestServer() as proxy:
        # A forward proxy sees the absolute URL; this one answers it itself (no internet).
        proxy.route("http://feeds.example/feed", Reply(200, FEED))
        transport = AsyncioTransport(proxy=proxy.url(""))
        assert isinstance(transport.pool, httpcore.AsyncHTTPProxy)
        async with httpx.AsyncClient(transport=transport) as c:
            assert (await c.get("http://feeds.example/feed")).content == FEED
        async with client(proxy=proxy.url("")) as c:  # the daemon's transport passes it on
            assert (await c.get("http://feeds.example/feed")).content == FEED
        assert len(proxy.hits("http://feeds.example/feed")) == 2


# --- TLS ---------------------------------------------------------------------------------------


@dataclass
class Certs:
    server: ssl.SSLContext  # presents a certificate for 127.0.0.1 and localhost
    client: ssl.SSLContext  # trusts only the test CA


@pytest.fixture(scope="module")
def certs() -> Iterator[Certs]:
    """A throwaway CA and server certificate, made with ``cryptography``."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "wire test CA")])
    ca_ski = x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key())
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(ca_ski, critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        cert_file, key_file = Path(tmp, "cert.pem"), Path(tmp, "key.pem")
        cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        key_file.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        server.load_cert_chain(cert_file, key_file)
    trusting = ssl.create_default_context(
        cadata=ca.public_bytes(serialization.Encoding.PEM).decode()
    )
    yield Certs(server, trusting)


async def test_tls_requests_share_one_connection(certs: Certs) -> None:
    async with serving(answer(), tls=certs.server) as raw, client(verify=certs.client) as c:
        first = await c.get(raw.url(scheme="https"))
        stream = network_stream(first)
        assert isinstance(stream.get_extra_info("ssl_object"), ssl.SSLObject)
        assert stream.get_extra_info("server_addr") == ("127.0.0.1", raw.port)
        assert stream.get_extra_info("socket") is not None
        second = await c.get(raw.url(scheme="https"))
        assert second.content == b"ok" and network_stream(second) is stream
    assert len(raw.conns) == 1


async def test_tls_server_closing_an_idle_connection_is_noticed(certs: Certs) -> None:
    async with serving(answer(times=1), tls=certs.server) as raw, client(verify=certs.client) as c:
        stream = network_stream(await c.get(raw.url(scheme="https")))
        assert await readable(stream)
        assert (await c.get(raw.url(scheme="https"))).content == b"ok"
    assert len(raw.conns) == 2


async def test_tls_body_far_larger_than_a_read_with_reading_paused(certs: Certs) -> None:
    body = bytes(range(256)) * 12_000
    head = b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body)
    async with (
        serving(answer(reply=head + body), tls=certs.server) as raw,
        client(verify=certs.client) as c,
        c.stream("GET", raw.url(scheme="https")) as resp,
    ):
        stream = network_stream(resp)
        for _ in range(100):
            if stream._protocol.reading_paused:
                break
            await asyncio.sleep(0.01)
        assert stream._protocol.reading_paused
        assert await resp.aread() == body


async def test_tls_certificate_not_trusted_is_a_connect_error(certs: Certs) -> None:
    async with serving(answer(), tls=certs.server) as raw, client() as c:  # certifi's CAs
        with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
            await c.get(raw.url(scheme="https"))


async def test_tls_handshake_without_answer_is_a_connect_timeout() -> None:
    async with serving(silent) as raw, client(timeout=httpx.Timeout(2.0, connect=0.3)) as c:
        with pytest.raises(httpx.ConnectTimeout):
            await c.get(raw.url(scheme="https"))


# --- the stream's own contract ----------------------------------------------------------------


async def test_read_returns_what_arrived_then_empty_bytes_at_the_end() -> None:
    async def hello(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(b"hello")
        await writer.drain()

    async with serving(hello) as raw:
        stream = await BACKEND.connect_tcp("127.0.0.1", raw.port, timeout=1.0)
        assert await stream.read(3, timeout=1.0) == b"hel"
        assert await stream.read(100, timeout=1.0) == b"lo"
        assert await stream.read(100, timeout=1.0) == b""
        assert await stream.read(100) == b""  # and again: the end stays the end
        assert stream.get_extra_info("is_readable")
        await stream.aclose()
        await stream.aclose()  # twice is fine
        with pytest.raises(httpcore.ReadError):
            await stream.read(100)
        with pytest.raises(httpcore.WriteError):
            await stream.write(b"x")


async def test_a_cancelled_or_timed_out_read_leaves_the_stream_usable() -> None:
    async def echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while line := await reader.readline():
            writer.write(line.upper())
            await writer.drain()

    async with serving(echo) as raw:
        stream = await BACKEND.connect_tcp("127.0.0.1", raw.port, timeout=1.0)
        assert isinstance(stream, AsyncioStream)
        reading = asyncio.create_task(stream.read(100))
        await asyncio.sleep(0.05)
        reading.cancel()
        with pytest.raises(asyncio.CancelledError):
            await reading
        with pytest.raises(httpcore.ReadTimeout):
            await stream.read(100, timeout=0.05)
        assert stream._protocol.read_waiter is None
        await stream.write(b"ping\n", timeout=1.0)
        assert await stream.read(100, timeout=1.0) == b"PING\n"
        await stream.aclose()


async def test_write_waits_for_the_peer_and_times_out() -> None:
    small_sndbuf = [(socket.SOL_SOCKET, socket.SO_SNDBUF, 16_384)]
    async with serving(silent) as raw:
        stream = await BACKEND.connect_tcp(
            "127.0.0.1", raw.port, timeout=1.0, socket_options=small_sndbuf
        )
        assert isinstance(stream, AsyncioStream)
        with pytest.raises(httpcore.WriteTimeout):
            await stream.write(b"z" * 8_000_000, timeout=0.2)
        assert stream._protocol.writing_paused and stream._protocol.drain_waiter is None
        await stream.aclose()


async def test_connect_errors_are_httpcore_errors() -> None:
    with pytest.raises(httpcore.ConnectError):
        await BACKEND.connect_tcp("127.0.0.1", free_port(), timeout=1.0)
    with pytest.raises(httpcore.ConnectError):
        await BACKEND.connect_unix_socket("/nonexistent/wire.sock", timeout=1.0)
    await BACKEND.sleep(0.01)  # what httpcore waits with between connect retries
    # A listener whose backlog is full leaves the handshake unanswered: a connect timeout.
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        port = listener.getsockname()[1]
        fillers = []
        try:
            with pytest.raises(httpcore.ConnectTimeout):
                for _ in range(8):
                    filler = socket.socket()
                    filler.setblocking(False)
                    fillers.append(filler)
                    filler.connect_ex(("127.0.0.1", port))
                    await asyncio.sleep(0.01)
                await BACKEND.connect_tcp("127.0.0.1", port, timeout=0.3)
        finally:
            for filler in fillers:
                filler.close()
