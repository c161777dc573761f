"""Every route needs its scope; every parameter is bounded; no input, however long, is a 500.

The routes and parameters come from the app's own OpenAPI schema, so a new endpoint is covered
the day it is added (a route served without its scope, or an unbounded parameter, fails here).
"""

from __future__ import annotations

import http.client
import json
import re
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import httpx2
import pytest
import uvicorn
from fastapi.testclient import TestClient

from tests.api.factory import client, make_article, put
from wire.api.app import create_app
from wire.api.auth import hash_token
from wire.api.server import uvicorn_config
from wire.config import ApiConfig, Config
from wire.storage.db import Database

READER, ADMIN, NOBODY = "reader-token-0123456789", "admin-token-0123456789", "no-scope-token-012345"
TOKENS = (
    {"name": "cms", "sha256": hash_token(READER), "scopes": ["read"]},
    {"name": "ops", "sha256": hash_token(ADMIN), "scopes": ["admin"]},
    {"name": "nobody", "sha256": hash_token(NOBODY), "scopes": []},
)
PUBLIC = {("get", "/healthz")}
SAMPLE_PATH_VALUES = {"article_id": "abc", "cluster_id": "abc", "version": "1"}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def routes(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(method, path template, operation) of every operation in the schema."""
    return [
        (method, path, op)
        for path, ops in schema["paths"].items()
        for method, op in ops.items()
        if method in ("get", "post", "put", "patch", "delete")
    ]


def concrete(path: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: SAMPLE_PATH_VALUES[m[1]], path)


@pytest.fixture
def secured(db: Database) -> TestClient:
    put(db, make_article(1))
    return client(db, auth=True, tokens=TOKENS)


def test_every_route_needs_a_token_with_its_scope(secured: TestClient) -> None:
    schema = secured.get("/openapi.json").json()
    checked = []
    for method, path, _ in routes(schema):
        if (method, path) in PUBLIC:
            continue
        url = concrete(path)
        admin_only = path.startswith("/admin/")
        wrong = READER if admin_only else NOBODY
        missing = secured.request(method, url)
        assert missing.status_code == 401, (method, path, missing.status_code)
        assert missing.headers["www-authenticate"].startswith("Bearer")
        invalid = secured.request(method, url, headers=bearer("not-a-token"))
        assert invalid.status_code == 401, (method, path, invalid.status_code)
        refused = secured.request(method, url, headers=bearer(wrong))
        assert refused.status_code == 403, (method, path, refused.status_code)
        scope = "admin" if admin_only else "read"
        assert f"lacks the {scope!r} scope" in refused.json()["error"]
        allowed = secured.request(method, url, headers=bearer(ADMIN if admin_only else READER))
        assert allowed.status_code not in (401, 403, 500), (method, path, allowed.status_code)
        checked.append(path)
    # the routes whose scope a mutation once removed without any test noticing
    for path in ("/articles/{article_id}", "/articles/{article_id}/versions/{version}",
                 "/clusters/{cluster_id}", "/articles", "/changes", "/sources",
                 "/admin/dead-letters", "/admin/dead-letters/replay"):  # fmt: skip
        assert path in checked
    assert secured.get("/healthz").status_code == 200


def bounded(schema: dict[str, Any]) -> bool:
    """A parameter schema that limits its value's size."""
    if "anyOf" in schema:
        return all(bounded(s) for s in schema["anyOf"])
    kind = schema.get("type")
    if kind in ("null", "boolean") or "enum" in schema or "const" in schema:
        return True
    if kind == "string":
        return "maxLength" in schema
    if kind in ("integer", "number"):
        return "maximum" in schema and "minimum" in schema
    if kind == "array":
        return "maxItems" in schema and bounded(schema["items"])
    return False


def parameters(schema: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for method, path, op in routes(schema):
        for param in op.get("parameters", []):
            yield method, path, param


def test_every_parameter_is_bounded(db: Database) -> None:
    schema = client(db).get("/openapi.json").json()
    params = list(parameters(schema))
    assert len(params) > 20
    unbounded = [(m, p, q["name"]) for m, p, q in params if not bounded(q["schema"])]
    assert unbounded == []


HOSTILE = ["9" * 20, "-" + "9" * 20, "1e400", "nan", "x" * 5000, "%ff", ",,,", "\u202e", ""]


def past_bounds(schema: dict[str, Any]) -> list[Any]:
    """Values just past a parameter's bounds: each must be refused."""
    values: list[Any] = []
    for sub in schema.get("anyOf", [schema]):
        if "maximum" in sub:
            values += [str(int(sub["maximum"]) + 1), str(int(sub["minimum"]) - 1)]
        if "maxLength" in sub:
            values.append("a" * (sub["maxLength"] + 1))
        if sub.get("type") == "array":
            one = "1" if sub["items"].get("type") == "integer" else "dpa"
            values.append([one] * (sub["maxItems"] + 1))  # repeated: agency=dpa&agency=dpa...
            values += past_bounds(sub["items"])
    return values


def call(
    c: TestClient, method: str, path: str, name: str, where: str, value: Any
) -> httpx2.Response:
    if where == "path":
        url = re.sub(r"\{" + name + r"\}", value.replace("%", "%25") or "%20", path)
        return c.request(method, concrete(url))
    return c.request(method, concrete(path), params={name: value})


def test_no_input_makes_a_500_and_values_past_a_bound_are_refused(db: Database) -> None:
    put(db, make_article(1))
    c = client(db, max_limit=100)
    schema = c.get("/openapi.json").json()
    for method, path, param in parameters(schema):
        name, where = param["name"], param["in"]
        for value in HOSTILE:
            r = call(c, method, path, name, where, value)
            assert r.status_code < 500, (path, name, value[:40], r.text)
            if r.status_code >= 400:
                assert r.json()["status"] == r.status_code and r.json()["error"]
        for value in past_bounds(param["schema"]):
            r = call(c, method, path, name, where, value)
            assert r.status_code in (404, 422), (path, name, value[:40], r.text)
            assert r.json()["status"] == r.status_code and r.json()["error"]


@pytest.mark.parametrize("after_id", ["9" * 20, str(2**31), str(2**63), "-1"])
def test_dead_letters_after_an_id_beyond_32_bits_is_422(db: Database, after_id: str) -> None:
    r = client(db).get("/admin/dead-letters", params={"after_id": after_id})
    assert r.status_code == 422 and "after_id" in r.json()["error"]
    ok = client(db).get("/admin/dead-letters", params={"after_id": 2**31 - 1})
    assert ok.status_code == 200 and ok.json()["items"] == []


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"agency": "a" * 1001}, "agency.0: String should have at most 1000 characters"),
        ({"agency": ["dpa"] * 51}, "agency: List should have at most 50 items"),
        ({"since": "2024-10-08" + " " * 40}, "since: String should have at most 40 characters"),
        ({"until": "9" * 41}, "until: String should have at most 40 characters"),
    ],
)
def test_list_and_date_parameters_are_bounded(db: Database, params: dict, message: str) -> None:
    r = client(db).get("/articles", params=params)
    assert r.status_code == 422 and message in r.json()["error"], r.text


@pytest.fixture
def server(db: Database) -> Iterator[str]:
    """The API under uvicorn on loopback, configured as `wire serve` configures it."""
    put(db, make_article(1))
    app = create_app(Config(api=ApiConfig(auth=False)), db)
    config = uvicorn_config(app, "127.0.0.1", 0)
    config.log_level = "warning"
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.02)
    port = srv.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(30)


@pytest.mark.parametrize("size", [9_000, 200_000, 900_000])
def test_an_over_long_url_is_414_from_the_real_server(server: str, size: int) -> None:
    """Not a reset connection: the whole request is read and answered, the connection kept."""
    host, port = server.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        conn.request("GET", "/articles?q=Lukaschenko&agency=" + "a" * size)
        r = conn.getresponse()
        assert r.status == 414
        assert json.loads(r.read()) == {"error": "the URL is longer than 8192 bytes", "status": 414}
        conn.request("GET", "/articles/" + "x" * size)
        r = conn.getresponse()
        assert r.status == 414 and json.loads(r.read())["status"] == 414
        conn.request("GET", "/articles?q=Lukaschenko")  # the same connection still serves
        r = conn.getresponse()
        assert r.status == 200 and json.loads(r.read())["count"] == 1
    finally:
        conn.close()


def test_long_but_allowed_urls_are_served(server: str) -> None:
    with httpx.Client(timeout=30) as http:
        r = http.get(f"{server}/articles", params={"q": "Lukaschenko " + "x" * 480})
        assert r.status_code == 200 and r.json()["items"] == []
        big_header = http.get(f"{server}/healthz", headers={"X-Padding": "p" * 60_000})
        assert big_header.status_code == 200
