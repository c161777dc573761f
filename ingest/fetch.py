"""Fetching payloads over HTTP with a streamed size cap."""

from __future__ import annotations

import os

import httpx

from ingest.config import Config, SourceConfig
from ingest.errors import ConfigError, FetchError


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


def fetch_once(config: Config, source: SourceConfig) -> bytes:
    """GET a source's URL once, refusing bodies over its size cap (used by ``run --once``)."""
    headers, auth = auth_headers(source)
    headers.setdefault("User-Agent", config.http.user_agent)
    timeout = httpx.Timeout(config.http.read_timeout, connect=config.http.connect_timeout)
    try:
        with (
            httpx.Client(
                timeout=timeout, follow_redirects=True, max_redirects=config.http.max_redirects
            ) as client,
            client.stream("GET", source.location, headers=headers, auth=auth) as resp,
        ):
            if resp.status_code >= 400:
                raise FetchError(f"{source.location} answered HTTP {resp.status_code}")
            chunks: list[bytes] = []
            size = 0
            for chunk in resp.iter_bytes():
                size += len(chunk)
                if size > source.max_bytes:
                    raise FetchError(
                        f"{source.location}: body over the cap of {source.max_bytes} bytes"
                    )
                chunks.append(chunk)
            return b"".join(chunks)
    except httpx.HTTPError as exc:
        raise FetchError(f"{source.location}: {type(exc).__name__}: {exc}") from None
