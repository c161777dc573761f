"""Desk sign-in: the API token in an HttpOnly, SameSite=Strict cookie, and CSRF tokens.

The desk reuses the API's tokens (:class:`wire.api.auth.TokenStore`): the login form posts a
token, which is checked and then kept in the ``wire_desk`` cookie (HttpOnly: page scripts
never read it; SameSite=Strict: other sites' pages never send it). Every request checks the
cookie's token again, so removing a token from the config signs its sessions out.

Forms that change something carry a CSRF token: an HMAC of the session's token under a
key made at start. Another site's page can neither read it nor compute it, and it changes
with the session; with ``[api].auth = false`` it is bound to the process key alone.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from starlette.requests import Request
from starlette.responses import Response

from wire.api.auth import ANONYMOUS, Principal, TokenStore

COOKIE = "wire_desk"
COOKIE_MAX_AGE = 12 * 3600  # seconds: an editor's shift
CSRF_FIELD = "csrf"


class DeskAuth:
    """Who a desk request is, from its cookie; and the CSRF token of that session."""

    def __init__(self, tokens: TokenStore, required: bool) -> None:
        self.tokens = tokens
        self.required = required
        self._key = secrets.token_bytes(32)

    def principal(self, request: Request) -> Principal | None:
        """The signed-in principal, ANONYMOUS when auth is off, else None."""
        if not self.required:
            return ANONYMOUS
        token = request.cookies.get(COOKIE)
        return self.tokens.check(token) if token else None

    def login(self, token: str) -> Principal | None:
        return self.tokens.check(token.strip()) if token.strip() else None

    def set_cookie(self, response: Response, token: str, secure: bool) -> None:
        response.set_cookie(
            COOKIE,
            token.strip(),
            max_age=COOKIE_MAX_AGE,
            httponly=True,
            samesite="strict",
            secure=secure,
            path="/desk",
        )

    def clear_cookie(self, response: Response) -> None:
        response.delete_cookie(COOKIE, path="/desk", httponly=True, samesite="strict")

    def csrf_token(self, request: Request) -> str:
        session = request.cookies.get(COOKIE, "") if self.required else "anonymous"
        digest = hashlib.sha256(session.encode("utf-8")).digest()
        return hmac.new(self._key, digest, hashlib.sha256).hexdigest()

    def csrf_ok(self, request: Request, presented: str | None) -> bool:
        return bool(presented) and hmac.compare_digest(self.csrf_token(request), str(presented))
