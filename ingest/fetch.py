"""Fetching payloads over HTTP: one shared async client for the daemon and ``wire run --once``.

The :class:`Fetcher` owns one ``httpx.AsyncClient`` (gzip, bounded redirects, a small
connection pool per host: :mod:`wire.ingest.pools`) and adds what polling agencies needs:

- timeouts for connecting, for the gap between bytes and for a whole fetch;
- a body-size cap enforced while streaming (a lying or missing Content-Length changes nothing);
- at most ``[http].per_host_limit`` requests per host at once, so one agency is never hammered;
- conditional GET (``If-None-Match`` / ``If-Modified-Since``): a 304 is a cheap result;
- retries with exponential backoff and jitter on network errors, 5xx and 429; ``Retry-After``
  (seconds or an HTTP date) is honoured, and one longer than ``[http].backoff_max`` ends the
  poll with :class:`RetryLater` so the scheduler waits instead of the poll.

The event loop is CPU bound when thousands of feeds are polled, so the per-request work is
trimmed: httpcore runs on plain asyncio (:mod:`wire.ingest.netbackend`), the client's cookie jar
skips responses without ``Set-Cookie`` (:class:`_Cookies`) and poll URLs are parsed once
(:func:`_parse_url`).
"""

from __future__ import annotations

import asyncio
import functools
import os
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any

import httpx

from wire.config import HttpConfig, SourceConfig
from wire.errors import ConfigError, FetchError, RetryLater
from wire.ingest.pools import HostPools

if TYPE_CHECKING:
    from httpx._types import CookieTypes

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# kept: freshness hints (wire.ingest.freshness) and the WebSub hub (wire.ingest.websub)
CACHE_HEADERS = ("cache-control", "expires", "link")


def auth_headers(source: SourceConfig) -> tuple[dict[str, str], httpx.Auth | None]:
    """Headers and auth for a source; secrets come from the environment variables it names."""
    headers = dict(source.headers)
    auth: httpx.Auth | None = None

    def env(name: str | None, what: str) -> str:
        if not name:
            raise ConfigError(f"source {source.name!r}: auth = {source.auth!r} needs {what}")
        value = os.environ.get(name)
        if value is None:
            raise ConfigError(f"source {source.name!r}: environment variable {name} is not set")
        return value

    if source.auth == "basic":
        auth = httpx.BasicAuth(source.username or "", env(source.password_env, "password_env"))
    elif source.auth == "bearer":
        headers["Authorization"] = f"Bearer {env(source.token_env, 'token_env')}"
    elif source.auth == "header":
        headers[source.header_name or "X-Api-Key"] = env(source.token_env, "token_env")
    elif source.auth is not None:
        raise ConfigError(
            f"source {source.name!r}: unknown auth {source.auth!r} (basic, bearer or header)"
        )
    return headers, auth


# --- the fetcher ---------------------------------------------------------------------------


class _Retryable(Exception):
    """One attempt failed in a way worth another try."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class FetchResult:
    """What one poll's GET came back with; ``status`` is 200 or 304."""

    status: int
    body: bytes
    etag: str | None
    last_modified: str | None
    attempts: int
    elapsed: float  # seconds, retries and waits included
    # The response's freshness headers (Cache-Control, Expires) and Link, names lower-case.
    cache_headers: Mapping[str, str] = field(default_factory=dict)

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def backoff_delay(attempt: int, base: float, cap: float, rnd: Callable[[], float]) -> float:
    """Exponential backoff with jitter: half the step fixed, half random (never zero)."""
    step = min(cap, base * (2 ** (attempt - 1)))
    return step / 2 + rnd() * step / 2


def host_pools(http: HttpConfig) -> HostPools:
    """A pool of ``per_host_limit`` connections per host, for as many hosts as
    ``max_connections`` covers: idle sockets stay bounded by ``max_connections``."""
    per_host = max(1, http.per_host_limit)
    return HostPools(per_host, max(1, http.max_connections // per_host))


class _Cookies(httpx.Cookies):
    """A cookie jar that looks at a response only when it sets a cookie.

    httpx's client calls ``extract_cookies`` on every response, and the stdlib jar first wraps
    request and response in urllib lookalikes (URL parsing, header copies): 0.1-0.2 ms per
    response, for the daemon's polls nearly always a response without ``Set-Cookie``. The
    ones that have it (a pull API's session cookie) go through httpx as before.
    """

    def extract_cookies(self, response: httpx.Response) -> None:
        headers = response.headers
        if "set-cookie" in headers or "set-cookie2" in headers:
            super().extract_cookies(response)


class _Client(httpx.AsyncClient):
    """``httpx.AsyncClient`` whose cookies are a :class:`_Cookies`.

    The client reads its jar only through the public ``cookies`` property (``_send_single_request``
    extracts into ``self.cookies``, requests and redirects copy from it), so overriding the
    property, setter included (``client.cookies = {...}`` stays a ``_Cookies``), is enough.
    """

    def __init__(self, *, cookies: CookieTypes | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.cookies = cookies

    @property
    def cookies(self) -> httpx.Cookies:
        return self._jar

    @cookies.setter
    def cookies(self, cookies: CookieTypes | None) -> None:
        self._jar = _Cookies(cookies)


def _host_key(url: httpx.URL) -> str:
    return f"{url.scheme}://{url.host}:{url.port or ''}"


@functools.lru_cache(maxsize=8192)
def _parse_url(url: str) -> tuple[httpx.URL, str]:
    """A poll URL parsed once, with its host key.

    The daemon polls the same few thousand URLs over and over, and each poll parsed its URL
    twice (host slot, then the client): about 0.05 ms of CPU. Bounded, so URLs that come and
    go cannot grow it; an ``httpx.URL`` is immutable, so one object serves every request.
    """
    parsed = httpx.URL(url)
    return parsed, _host_key(parsed)


class Fetcher:
    """The daemon's HTTP side: one pooled client, per-host limits, retries and size caps."""

    def __init__(
        self,
        http: HttpConfig,
        *,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
        rnd: Callable[[], float] = random.random,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.http = http
        self._sleep = sleep
        self._rnd = rnd
        self._hosts: dict[str, asyncio.Semaphore] = {}
        # not `transport or ...`: an empty HostPools is falsy (it has a __len__)
        self.transport = transport if transport is not None else host_pools(http)
        self.client = _Client(
            timeout=httpx.Timeout(
                connect=http.connect_timeout,
                read=http.read_timeout,
                write=http.read_timeout,
                pool=http.total_timeout,
            ),
            limits=httpx.Limits(
                max_connections=http.max_connections,
                max_keepalive_connections=http.max_connections,
            ),
            follow_redirects=True,
            max_redirects=http.max_redirects,
            headers={"User-Agent": http.user_agent},
            transport=self.transport,
        )

    async def aclose(self) -> None:
        await self.client.aclose()

    def host_slot(self, key: str) -> asyncio.Semaphore:
        """The semaphore that bounds concurrent requests to one host (``_host_key``)."""
        sem = self._hosts.get(key)
        if sem is None:
            sem = self._hosts[key] = asyncio.Semaphore(max(1, self.http.per_host_limit))
        return sem

    async def get(
        self,
        source: SourceConfig,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        hold: float = 0.0,
    ) -> FetchResult:
        """GET with validators; a 200 body is capped at ``source.max_bytes``. ``hold``:
        seconds the server may keep the request open before it answers (long-poll), added
        to the read and total timeouts."""
        headers, auth = auth_headers(source)
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        started = time.monotonic()
        parsed, host = _parse_url(url)

        async def attempt() -> FetchResult:
            extra: dict[str, Any] = {}
            if hold:
                http = self.http
                extra["timeout"] = httpx.Timeout(
                    connect=http.connect_timeout,
                    read=http.read_timeout + hold,
                    write=http.read_timeout,
                    pool=http.total_timeout,
                )
            async with self.client.stream(
                "GET", parsed, headers=headers, auth=auth, **extra
            ) as resp:
                _check_status(resp, url)
                new_etag = resp.headers.get("etag") or etag
                new_lm = resp.headers.get("last-modified") or last_modified
                cache = {k: resp.headers[k] for k in CACHE_HEADERS if k in resp.headers}
                if resp.status_code == 304:
                    await resp.aread()  # read to its end, the connection is kept for reuse
                    return FetchResult(304, b"", new_etag, new_lm, 0, 0.0, cache)
                body = await _read_capped(resp, url, source.max_bytes)
                return FetchResult(resp.status_code, body, new_etag, new_lm, 0, 0.0, cache)

        result, attempts = await self._with_retries(url, host, attempt, hold)
        return FetchResult(
            result.status,
            result.body,
            result.etag,
            result.last_modified,
            attempts,
            time.monotonic() - started,
            result.cache_headers,
        )

    async def send(
        self, source: SourceConfig, method: str, url: str, *, json_body: Any = None
    ) -> int:
        """A small request (an acknowledgement) with the source's auth and the same retries."""
        headers, auth = auth_headers(source)
        parsed = httpx.URL(url)  # not cached: acknowledgement URLs are often one-off

        async def attempt() -> int:
            resp = await self.client.request(
                method, parsed, headers=headers, auth=auth, json=json_body
            )
            if method == "DELETE" and resp.status_code in (404, 410):
                return resp.status_code  # already acknowledged: acks are idempotent
            _check_status(resp, url)
            return resp.status_code

        status, _ = await self._with_retries(url, _host_key(parsed), attempt)
        return status

    async def _with_retries(
        self, url: str, host: str, attempt: Callable[[], Awaitable[Any]], hold: float = 0.0
    ) -> tuple[Any, int]:
        http = self.http
        for n in range(1, http.retries + 2):
            try:
                async with self.host_slot(host), asyncio.timeout(http.total_timeout + hold):
                    try:
                        return await attempt(), n
                    except httpx.TimeoutException as exc:
                        raise _Retryable(f"{url}: timed out ({type(exc).__name__})") from None
                    except httpx.TooManyRedirects:
                        raise FetchError(
                            f"{url}: more than {http.max_redirects} redirects"
                        ) from None
                    except httpx.TransportError as exc:
                        raise _Retryable(f"{url}: {type(exc).__name__}: {exc}") from None
            except TimeoutError:
                err = _Retryable(
                    f"{url}: no complete answer within {http.total_timeout + hold:g} s"
                )
            except _Retryable as exc:
                err = exc
            except httpx.HTTPError as exc:  # anything else httpx raises: not worth a retry
                raise FetchError(f"{url}: {type(exc).__name__}: {exc}") from None
            if err.retry_after is not None and err.retry_after > http.backoff_max:
                raise RetryLater(f"{err}; asked to wait {err.retry_after:g} s", err.retry_after)
            if n > http.retries:
                if err.retry_after is not None:
                    raise RetryLater(str(err), err.retry_after)
                tries = "try" if n == 1 else "tries"
                raise FetchError(f"{err} (after {n} {tries})")
            delay = err.retry_after
            if delay is None:
                delay = backoff_delay(n, http.backoff_base, http.backoff_max, self._rnd)
            await self._sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover


def _check_status(resp: httpx.Response, url: str) -> None:
    code = resp.status_code
    if code in RETRY_STATUSES:
        wait = parse_retry_after(resp.headers.get("retry-after")) if code in (429, 503) else None
        raise _Retryable(f"{url} answered HTTP {code}", wait)
    if code >= 400:
        raise FetchError(f"{url} answered HTTP {code}")


async def _read_capped(resp: httpx.Response, url: str, cap: int) -> bytes:
    declared = resp.headers.get("content-length")
    if (
        declared
        and declared.isdigit()
        and int(declared) > cap
        and "content-encoding" not in resp.headers
    ):
        raise FetchError(f"{url}: body of {declared} bytes is over the cap of {cap} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in resp.aiter_bytes():
        size += len(chunk)
        if size > cap:
            raise FetchError(f"{url}: body over the cap of {cap} bytes")
        chunks.append(chunk)
    return b"".join(chunks)
