"""Tokens (hashed in config or given by environment), scopes, public endpoints, CORS."""

from __future__ import annotations

import hmac

import pytest
import typer
from typer.testing import CliRunner

from tests.api.factory import client, make_article, put
from wire.api import auth
from wire.api.auth import TokenStore, hash_token
from wire.api.cli import register
from wire.config import ApiConfig
from wire.errors import ConfigError
from wire.storage.db import Database

READER = "reader-secret-0123456789"
ADMIN = "admin-secret-9876543210"
TOKENS = (
    {"name": "cms", "sha256": hash_token(READER), "scopes": ["read"]},
    {"name": "ops", "sha256": hash_token(ADMIN).upper(), "scopes": ["admin"]},
)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_requests_need_a_valid_token_with_the_right_scope(db: Database) -> None:
    put(db, make_article(1))
    c = client(db, auth=True, tokens=TOKENS)
    missing = c.get("/articles")
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"].startswith("Bearer")
    assert "bearer token is required" in missing.json()["error"]
    assert c.get("/articles", headers=bearer("guess")).status_code == 401
    assert c.get("/articles", headers={"Authorization": f"Basic {READER}"}).status_code == 401
    assert c.get("/articles", headers=bearer(READER)).status_code == 200
    assert c.get("/changes", headers=bearer(READER)).status_code == 200
    assert c.get("/sources", headers=bearer(READER)).status_code == 200
    refused = c.get("/admin/publishers", headers=bearer(READER))
    assert refused.status_code == 403 and "'admin'" in refused.json()["error"]
    # admin includes read
    assert c.get("/admin/publishers", headers=bearer(ADMIN)).status_code == 200
    assert c.get("/admin/dead-letters", headers=bearer(ADMIN)).status_code == 200
    assert c.get("/articles", headers=bearer(ADMIN)).status_code == 200


def test_token_from_environment(db: Database) -> None:
    c = client(
        db,
        auth=True,
        token_envs=({"env": "WIRE_API_TOKEN", "scopes": ["read"]},),
        environ={"WIRE_API_TOKEN": "from-the-environment"},
    )
    assert c.get("/articles", headers=bearer("from-the-environment")).status_code == 200
    assert c.get("/articles", headers=bearer("from-the-environmen")).status_code == 401


def test_health_and_openapi_are_public(db: Database) -> None:
    c = client(db, auth=True, tokens=TOKENS)
    assert c.get("/healthz").json() == {"status": "ok"}
    doc = c.get("/openapi.json").json()
    for path in ("/articles", "/articles/{article_id}", "/changes", "/clusters/{cluster_id}"):
        assert path in doc["paths"]
    assert doc["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    params = {p["name"] for p in doc["paths"]["/articles"]["get"]["parameters"]}
    assert {"q", "agency", "since", "until", "cursor", "limit", "format"} <= params


def test_auth_off_serves_without_a_token(db: Database) -> None:
    c = client(db, auth=False)
    assert c.get("/articles").status_code == 200
    assert c.get("/admin/publishers").status_code == 200


@pytest.mark.parametrize(
    ("api", "message"),
    [
        ({"tokens": ({"name": "x", "sha256": "abc"},)}, "64 hex digits"),
        ({"tokens": ({"sha256": "a" * 64, "scopes": ["write"]},)}, "unknown scope 'write'"),
        ({"tokens": ({"sha256": "a" * 64, "secret": "x"},)}, "unknown key 'secret'"),
        ({"token_envs": ({"env": "WIRE_NOT_SET_ANYWHERE"},)}, "WIRE_NOT_SET_ANYWHERE is not set"),
    ],
)
def test_bad_token_config_is_one_clear_sentence(api: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        TokenStore.from_config(ApiConfig(**api), environ={})


def test_auth_on_without_tokens_refuses_to_start(db: Database) -> None:
    with pytest.raises(ConfigError, match="no token is configured"):
        client(db, auth=True)


def test_check_compares_every_hash_without_early_exit(monkeypatch: pytest.MonkeyPatch) -> None:
    store = TokenStore.from_config(ApiConfig(tokens=TOKENS), environ={})
    calls: list[tuple[str, str]] = []
    original = hmac.compare_digest

    def counting(a: str, b: str) -> bool:
        calls.append((a, b))
        return original(a, b)

    monkeypatch.setattr(auth.hmac, "compare_digest", counting)
    principal = store.check(READER)
    assert principal is not None and principal.name == "cms"
    assert len(calls) == 2  # the first entry matched, the second was still compared
    assert store.check("nope") is None and len(calls) == 4


def test_cors_allows_only_configured_origins(db: Database) -> None:
    c = client(db, cors_origins=("https://newsroom.example.test",))
    ok = c.get("/articles", headers={"Origin": "https://newsroom.example.test"})
    assert ok.headers["access-control-allow-origin"] == "https://newsroom.example.test"
    other = c.get("/articles", headers={"Origin": "https://evil.example.test"})
    assert "access-control-allow-origin" not in other.headers
    preflight = c.options(
        "/articles",
        headers={
            "Origin": "https://newsroom.example.test",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "Authorization",
        },
    )
    assert preflight.status_code == 200


def test_token_hash_command_makes_a_working_config_entry(db: Database) -> None:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """wire"""

    register(app)
    out = CliRunner().invoke(app, ["token", "hash", "--name", "cms", "--scopes", "read"]).output
    token = out.split("not stored): ", 1)[1].split()[0]
    digest = out.split('sha256 = "', 1)[1].split('"', 1)[0]
    assert digest == hash_token(token)
    c = client(db, auth=True, tokens=({"name": "cms", "sha256": digest, "scopes": ["read"]},))
    assert c.get("/articles", headers=bearer(token)).status_code == 200
    piped = CliRunner().invoke(app, ["token", "hash", "--stdin"], input="abc\n").output
    assert hash_token("abc") in piped and "not stored" not in piped
