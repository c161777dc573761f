"""API tokens: hashed at rest, compared in constant time, each with scopes (read, admin).

Tokens come from ``[api].tokens`` (``{name, sha256, scopes}``: only the SHA-256 of the secret
is in the file) and ``[api].token_envs`` (``{env, scopes}``: the secret is in an environment
variable, read once at start). A request presents ``Authorization: Bearer <token>``; the
token's hash is compared with every known hash (no early exit), so timing tells nothing
about which or how much of a hash matched.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from wire.config import ApiConfig
from wire.errors import ConfigError

SCOPES = ("read", "admin")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


def hash_token(token: str) -> str:
    """The form a token is stored in: lowercase hex SHA-256 of its UTF-8 bytes."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    """A fresh random token (256 bits, URL-safe)."""
    return "wire_" + secrets.token_urlsafe(32)


@dataclass(frozen=True)
class Principal:
    """Who a request is: the token's name and what it may do."""

    name: str
    scopes: frozenset[str]

    def allows(self, scope: str) -> bool:
        # admin includes read: an operator's token can do everything a reader's can.
        return scope in self.scopes or "admin" in self.scopes


ANONYMOUS = Principal("anonymous", frozenset(SCOPES))  # when [api].auth = false


def _scopes(raw: object, where: str) -> frozenset[str]:
    if raw is None:
        return frozenset({"read"})
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list | tuple) or not all(isinstance(s, str) for s in raw):
        raise ConfigError(f"{where}: scopes must be a list of names ({', '.join(SCOPES)})")
    unknown = sorted(set(raw) - set(SCOPES))
    if unknown:
        raise ConfigError(f"{where}: unknown scope {unknown[0]!r}; known: {', '.join(SCOPES)}")
    return frozenset(raw)


class TokenStore:
    """Every accepted token hash with its principal."""

    def __init__(self, entries: list[tuple[str, Principal]]) -> None:
        self._entries = entries

    def __len__(self) -> int:
        return len(self._entries)

    @classmethod
    def from_config(cls, api: ApiConfig, environ: Mapping[str, str] | None = None) -> TokenStore:
        env = os.environ if environ is None else environ
        entries: list[tuple[str, Principal]] = []
        for i, raw in enumerate(api.tokens):
            where = f"[api].tokens[{i}]"
            if not isinstance(raw, dict):
                raise ConfigError(f"{where} must be a table {{name, sha256, scopes}}")
            unknown = sorted(set(raw) - {"name", "sha256", "scopes"})
            if unknown:
                raise ConfigError(
                    f"{where}: unknown key {unknown[0]!r}; known: name, sha256, scopes"
                )
            digest = str(raw.get("sha256") or "").strip().lower()
            if not _HEX64.match(digest):
                raise ConfigError(
                    f"{where}: sha256 must be 64 hex digits (make one with `wire token hash`)"
                )
            name = str(raw.get("name") or f"token{i + 1}")
            entries.append((digest, Principal(name, _scopes(raw.get("scopes"), where))))
        for i, raw in enumerate(api.token_envs):
            where = f"[api].token_envs[{i}]"
            if not isinstance(raw, dict) or not isinstance(raw.get("env"), str):
                raise ConfigError(f"{where} must be a table {{env, scopes}}")
            unknown = sorted(set(raw) - {"env", "scopes", "name"})
            if unknown:
                known = "env, scopes, name"
                raise ConfigError(f"{where}: unknown key {unknown[0]!r}; known: {known}")
            secret = env.get(raw["env"], "")
            if not secret.strip():
                raise ConfigError(f"{where}: environment variable {raw['env']} is not set")
            name = str(raw.get("name") or raw["env"])
            principal = Principal(name, _scopes(raw.get("scopes"), where))
            entries.append((hash_token(secret.strip()), principal))
        return cls(entries)

    def check(self, token: str) -> Principal | None:
        """The principal of a presented token, or None; constant time over all entries."""
        presented = hash_token(token)
        found: Principal | None = None
        for digest, principal in self._entries:
            if hmac.compare_digest(presented, digest) and found is None:
                found = principal
        return found


def bearer_token(header: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, or None."""
    if not header:
        return None
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()
