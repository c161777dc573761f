"""What a newsroom client relies on: forgiving filters, unknown parameters named, kills never
served by default (but on the change feed and, said as such, at their own URL), offline docs."""

from __future__ import annotations

import httpx2
import pytest
from lxml import etree

from tests.api.factory import client, english, french, make_article, put
from wire.api.formats import ATOM_NS, WIRE_NS
from wire.storage.db import Database


def ids(response: httpx2.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["uri"].rsplit(":", 1)[1] for item in response.json()["items"]]


@pytest.fixture
def stories(db: Database) -> dict[str, str]:
    return {
        "sda": put(db, make_article(1)).article_id,  # keystone-sda + dpa, de, Politik
        "killed": put(db, make_article(2, pubstatus="canceled", body_text="")).article_id,
        "withheld": put(db, make_article(3, pubstatus="withheld")).article_id,
        "afp": put(db, french(4)).article_id,  # afp, fr, Economie
        "reuters": put(db, english(5)).article_id,
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"agency": "DPA"}, {"sda"}),
        ({"agency": "sda"}, {"sda"}),
        ({"agency": "Keystone-SDA"}, {"sda"}),
        ({"agency": "Agence France-Presse"}, {"afp"}),
        ({"source": "SDA"}, {"sda"}),
        ({"language": "DE"}, {"sda"}),
        ({"language": "Fr"}, {"afp"}),
        ({"subject": "politik"}, {"sda"}),
        ({"subject": "POLITIK"}, {"sda"}),
        ({"subject": "MEDTOP:04000000"}, {"afp"}),
        ({"q": "lukaschenko", "agency": "DPA", "language": "DE"}, {"sda"}),
        ({"q": "Lukaschenko", "subject": "politik"}, {"sda"}),
        ({"agency": "nobody"}, set()),
    ],
)
def test_filters_forgive_case_and_agency_aliases(
    db: Database, stories: dict[str, str], params: dict[str, str], expected: set[str]
) -> None:
    by_id = {v: k for k, v in stories.items()}
    assert {by_id[i] for i in ids(client(db).get("/articles", params=params))} == expected


@pytest.mark.parametrize(
    ("path", "params", "named", "hint"),
    [
        ("/articles", {"lang": "de"}, "lang", "language"),
        ("/articles", {"foo": "1"}, "foo", None),
        ("/articles", {"q": "x", "agencies": "dpa"}, "agencies", "agency"),
        ("/articles/abc", {"foramt": "atom"}, "foramt", "format"),
        ("/articles/abc/versions/1", {"x": "1"}, "x", None),
        ("/clusters/c1", {"limit": "5"}, "limit", None),
        ("/changes", {"since": "5"}, "since", None),
        ("/sources", {"name": "x"}, "name", None),
        ("/healthz", {"verbose": "1"}, "verbose", None),
        ("/admin/publishers", {"x": "1"}, "x", None),
        ("/admin/dead-letters", {"after": "1"}, "after", "after_id"),
    ],
)
def test_an_unknown_parameter_is_a_400_that_names_it(
    db: Database, path: str, params: dict[str, str], named: str, hint: str | None
) -> None:
    r = client(db).get(path, params=params)
    assert r.status_code == 400, r.text
    message = r.json()["error"]
    assert f"unknown query parameter {named!r}" in message
    if hint:
        assert f"did you mean {hint!r}" in message


def test_lists_serve_usable_stories_unless_pubstatus_asks(
    db: Database, stories: dict[str, str]
) -> None:
    c = client(db)
    by_id = {v: k for k, v in stories.items()}

    def found(**params: str) -> set[str]:
        return {by_id[i] for i in ids(c.get("/articles", params=params))}

    usable = {"sda", "afp", "reuters"}
    assert found() == usable
    assert found(q="Lukaschenko") == {"sda"}
    assert found(q="Lukaschenko", sort="newest") == {"sda"}
    assert found(pubstatus="canceled") == {"killed"}
    assert found(pubstatus="withheld,canceled") == {"killed", "withheld"}
    assert found(pubstatus="ALL") == usable | {"killed", "withheld"}
    assert found(q="Lukaschenko", pubstatus="all") == {"sda", "killed", "withheld"}
    atom = c.get("/articles", params={"format": "atom"})
    entries = etree.fromstring(atom.content).findall(f"{{{ATOM_NS}}}entry")
    assert {e.findtext(f"{{{WIRE_NS}}}pubstatus") for e in entries} == {"usable"}
    # kills still travel on the change feed
    kinds = [i["kind"] for i in c.get("/changes", params={"limit": 50}).json()["items"]]
    assert "kill" in kinds and "withhold" in kinds


def test_a_killed_article_says_so_at_its_own_url(db: Database, stories: dict[str, str]) -> None:
    c = client(db)
    killed = c.get(f"/articles/{stories['killed']}")
    assert killed.status_code == 410
    body = killed.json()
    assert body["pubstatus"] == "canceled" and "killed" in body["notice"]
    assert body["item"]["pubstatus"] == "canceled"
    withheld = c.get(f"/articles/{stories['withheld']}")
    assert withheld.status_code == 200 and "withheld" in withheld.json()["notice"]
    assert "notice" not in c.get(f"/articles/{stories['sda']}").json()


def test_atom_entries_of_kills_are_valid_rfc_4287(db: Database, stories: dict[str, str]) -> None:
    """4.1.1: an entry without atom:content has a link rel=alternate."""
    c = client(db)
    bare = make_article(9, pubstatus="canceled", body_text="", url=None, lead=None)
    put(db, bare)
    feeds = [
        c.get("/articles", params={"format": "atom", "pubstatus": "all"}).content,
        c.get("/changes", params={"format": "atom", "limit": 50}).content,
    ]
    entries = [e for f in feeds for e in etree.fromstring(f).findall(f"{{{ATOM_NS}}}entry")]
    assert len(entries) > 6
    for entry in entries:
        content = entry.find(f"{{{ATOM_NS}}}content")
        alternate = [
            link
            for link in entry.findall(f"{{{ATOM_NS}}}link")
            if link.get("rel", "alternate") == "alternate"
        ]
        assert content is not None or alternate, etree.tostring(entry)
    one = c.get(f"/articles/{bare.id}", params={"format": "atom"})
    assert one.status_code == 410
    content = etree.fromstring(one.content).find(f"{{{ATOM_NS}}}content")
    assert content is not None and "killed" in (content.text or "")


def test_an_article_is_found_by_the_ninjs_uri_the_api_emits(
    db: Database, stories: dict[str, str]
) -> None:
    c = client(db)
    uri = c.get(f"/articles/{stories['sda']}").json()["item"]["uri"]
    assert uri == f"urn:wire:article:{stories['sda']}"
    by_uri = c.get(f"/articles/{uri}")
    assert by_uri.status_code == 200 and by_uri.json()["item"]["uri"] == uri
    assert c.get(f"/articles/{uri}/versions/1").json()["version"] == 1


def test_an_unreadable_query_is_a_400(db: Database) -> None:
    r = client(db).get("/articles", params={"q": '"unterminated'})
    assert r.status_code == 400
    assert r.json()["error"] == (
        "q: the double quote at position 1 is never closed; close the phrase or remove the quote"
    )


def test_docs_are_served_from_bundled_assets(db: Database) -> None:
    c = client(db)
    page = c.get("/docs")
    assert page.status_code == 200
    assert "cdn" not in page.text.lower() and "https://" not in page.text
    assets = [
        a for a in ("swagger-ui-bundle.js", "swagger-ui.css") if f"/docs/assets/{a}" in page.text
    ]
    assert len(assets) == 2
    for asset in assets:
        r = c.get(f"/docs/assets/{asset}")
        assert r.status_code == 200 and len(r.content) > 10_000
