"""Bad input gets 400/422 with one clear sentence: never a 500, never SQL or FTS injection."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from tests.api.factory import client, english, make_article, put
from wire.storage.db import Database
from wire.storage.models import ArticleRow


@pytest.fixture
def c(db: Database) -> TestClient:
    put(db, make_article(1))
    put(db, english(2))
    return client(db, max_limit=100)


def error_of(c: TestClient, path: str, params: dict[str, Any], status: int) -> str:
    r = c.get(path, params=params)
    assert r.status_code == status, (params, r.status_code, r.text)
    body = r.json()
    assert body["status"] == status and isinstance(body["error"], str)
    return body["error"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"limit": 0}, "limit: Input should be greater than or equal to 1"),
        ({"limit": -5}, "limit: Input should be greater than or equal to 1"),
        ({"limit": 10**9}, "limit: Input should be less than or equal to 100"),
        ({"limit": 10**40}, "limit: "),
        ({"limit": "ten"}, "limit: Input should be a valid integer"),
        ({"has_images": "maybe"}, "has_images: Input should be a valid boolean"),
        ({"sort": "best"}, "sort: Input should be 'relevance' or 'newest'"),
        ({"q": "x" * 501}, "q: String should have at most 500 characters"),
        ({"cursor": "A" * 1001}, "cursor: String should have at most 1000 characters"),
    ],
)
def test_malformed_parameters_are_422(c: TestClient, params: dict[str, Any], message: str) -> None:
    assert message in error_of(c, "/articles", params, 422)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"since": "yesterday"}, "since: 'yesterday' is not an ISO 8601 date or time"),
        ({"until": "2024-13-45"}, "until: '2024-13-45' is not an ISO 8601"),
        ({"since": "0001-01-01T00:00:00+05:00"}, "since: "),
        ({"since": "2024-10-09", "until": "2024-10-08"}, "since must be earlier than until"),
        ({"pubstatus": "deleted"}, "unknown pubstatus 'deleted'"),
        ({"sort": "relevance"}, "sort=relevance needs a text query"),
        ({"format": "pdf"}, "unknown format 'pdf'"),
        ({"agency": ",".join(f"a{i}" for i in range(60))}, "agency: at most 50 values"),
    ],
)
def test_bad_values_are_400(c: TestClient, params: dict[str, Any], message: str) -> None:
    assert message in error_of(c, "/articles", params, 400)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        "not a cursor",
        "!!!!",
        b64(b"not json"),
        b64(b"[1, 2]"),
        b64(json.dumps({"v": 99, "s": "newest", "k": [None, "x"], "f": "x"}).encode()),
        b64(json.dumps({"v": 1, "s": "newest", "k": [None], "f": "x"}).encode()),
        b64(b"\xff\xfe\x00"),
        "A" * 999,
    ],
)
def test_unknown_cursor_is_400(c: TestClient, cursor: str) -> None:
    assert "cursor" in error_of(c, "/articles", {"cursor": cursor}, 400)


def test_cursor_from_another_query_is_400(c: TestClient) -> None:
    put_more = c.get("/articles", params={"limit": 1}).json()
    assert put_more["next"]
    message = error_of(
        c, "/articles", {"limit": 1, "q": "Rotterdam", "cursor": put_more["next"]}, 400
    )
    assert "different query" in message
    relevance = c.get("/articles", params={"q": "Lukaschenko OR Rotterdam", "limit": 1}).json()
    forged = json.loads(base64.urlsafe_b64decode(put_more["next"] + "=="))
    forged["k"][0] = "not a date"
    assert "cursor" in error_of(
        c, "/articles", {"limit": 1, "cursor": b64(json.dumps(forged).encode())}, 400
    )
    assert len(relevance["items"]) == 1  # OR is an operator: either word


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ('Putin "in Moskau', "q: the double quote at position 7 is never closed"),
        ("(Putin OR Moskau", "q: the '(' at position 1 is never closed"),
        ("Putin) OR (Moskau", "q: the ')' at position 6 has no matching '('"),
        ("*", "q: the '*' at position 1 must directly follow a word"),
        ("Putin *", "q: the '*' at position 7 must directly follow a word"),
        ('""*', "q: the phrase at position 1 has no words"),
        ("!!! ???", "q: the query has no words to search for"),
        ("Lukaschenko'); DROP TABLE articles; --", "has no matching '('"),
        ("' OR 'x'='x", "q: OR at position 3 needs a word before it"),
        ("Putin OR", "q: OR at position 7 needs a word after it"),
        ("NOT Putin", "q: NOT (or -word) needs a word that must match beside it"),
        ("-Putin -Moskau", "needs a word that must match beside it"),
        ("()", "q: the parentheses at position 1 are empty"),
    ],
)
def test_broken_fts_syntax_is_400(c: TestClient, q: str, message: str) -> None:
    assert message in error_of(c, "/articles", {"q": q}, 400)


@pytest.mark.parametrize(
    ("q", "hits"),
    [
        ("Lukaschenko NEAR Putin", 0),  # NEAR is a word, not an operator
        ("NEAR(Lukaschenko Putin)", 0),
        ("Lukaschenko Putin", 1),
        ('"Putin in Moskau"', 1),
        ("Lukasch*", 1),
        ('"Putin in Mosk"*', 1),
        ("headline:Lukaschenko", 0),  # no column filters: "headline" is a word
        ("Lukaschenko -Putin", 0),  # NOT
        ("Lukaschenko -Rotterdam", 1),
        ("Lukaschenko NOT Rotterdam", 1),
        ("Lukaschenko not Putin", 0),  # operators in capitals only: "not" is a word here
        ("^Lukaschenko", 1),
        ("Lukaschenko'; DROP TABLE articles; --", 0),
        ("Lukaschenko\\", 1),
        ("Lukaschenko_Putin", 0),  # words joined by punctuation are a phrase
        ("Keystone-SDA", 0),
        ("(Lukaschenko) (Putin)", 1),
    ],
)
def test_fts_syntax_characters_are_words_never_syntax(
    c: TestClient, db: Database, q: str, hits: int
) -> None:
    r = c.get("/articles", params={"q": q})
    assert r.status_code == 200, r.text
    assert len(r.json()["items"]) == hits
    with db.reader() as s:
        assert s.scalar(select(func.count()).select_from(ArticleRow)) == 2


@pytest.mark.parametrize(
    "params",
    [
        {"agency": "x' OR '1'='1"},
        {"source": "keystone-sda' --"},
        {"cluster": "' OR 1=1 --"},
        {"subject": "medtop:11000000' OR 'a'='a"},
        {"language": "de') OR ('1'='1"},
    ],
)
def test_filter_values_are_bound_never_sql(c: TestClient, params: dict[str, Any]) -> None:
    r = c.get("/articles", params=params)
    assert r.status_code == 200 and r.json()["items"] == []


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({"after": "-1"}, 400, "after must be a change sequence number"),
        ({"after": "abc"}, 400, "after must be a change sequence number"),
        ({"after": "1e3"}, 400, "after must be a change sequence number"),
        ({"after": "9" * 19}, 400, "after must be a change sequence number"),
        ({"after": "99999"}, 400, "unknown cursor: after=99999 is beyond the newest change (2)"),
        ({"wait": "-1"}, 422, "wait: Input should be greater than or equal to 0"),
        ({"wait": "forever"}, 422, "wait: Input should be a valid number"),
        ({"limit": "1000000"}, 422, "limit: Input should be less than or equal to 100"),
    ],
)
def test_bad_change_feed_parameters(
    c: TestClient, params: dict[str, Any], status: int, message: str
) -> None:
    assert message in error_of(c, "/changes", params, status)


def test_bad_paths(c: TestClient) -> None:
    assert "version" in error_of(c, "/articles/abc/versions/zero", {}, 422)
    assert "version" in error_of(c, "/articles/abc/versions/0", {}, 422)
    assert "has no version 1" in error_of(c, "/articles/abc/versions/1", {}, 404)
    assert error_of(c, "/nowhere", {}, 404)
    assert "article_id" in error_of(c, "/articles/" + "x" * 101, {}, 422)


@pytest.mark.parametrize(
    "url",
    [
        "/articles?q=%00",
        "/articles?agency=dpa%00",
        "/articles?cursor=%00",
        "/articles/abc%00def",
        "/changes?after=%00",
        "/clusters/%00",
    ],
)
def test_nul_characters_are_400(c: TestClient, url: str) -> None:
    r = c.get(url)
    assert r.status_code == 400 and "NUL" in r.json()["error"]


WEIRD = [
    "",
    " ",
    "%",
    "%%",
    "\\",
    "'",
    '"',
    "\u202e",
    "😀",
    "\ufffd",
    "a" * 400,
    "NULL",
    "1/0",
    "${jndi:x}",
    "<script>",
    "--",
    "\n\t",
]


@pytest.mark.parametrize("value", WEIRD)
def test_no_input_makes_a_500(c: TestClient, value: str) -> None:
    for path, names in (
        ("/articles", ["q", "agency", "source", "language", "subject", "cluster", "cursor",
                       "since", "until", "pubstatus", "format", "sort", "has_images", "limit"]),
        ("/changes", ["after", "limit", "wait", "format"]),
        ("/admin/dead-letters", ["after_id", "limit"]),
    ):  # fmt: skip
        for name in names:
            r = c.get(path, params={name: value})
            assert r.status_code in (200, 400, 422), (path, name, value, r.status_code, r.text)
            assert "error" in r.json() or r.status_code == 200
    for path in (f"/articles/{value}", f"/clusters/{value}", f"/articles/{value}/versions/1"):
        r = c.get(path.replace("%", "%25").replace("\n", "%0A").replace("\t", "%09"))
        assert r.status_code in (200, 307, 400, 404, 422), (path, r.status_code, r.text)
