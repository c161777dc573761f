"""ninjs 2.x (strict property names, read back by our own ninjs adapter), Atom 1.0, wire JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import feedparser
import pytest
from lxml import etree

from tests.api.factory import client, make_article, put
from wire.adapters.base import FeedSettings
from wire.adapters.ninjs import ADAPTER as NINJS
from wire.api.formats import ATOM_NS, MEDIA_NS, WIRE_NS, atom_entry, atom_feed, negotiate, to_ninjs
from wire.normalise.article import normalise
from wire.record import Article
from wire.storage.db import Database
from wire.storage.reads import get_article

# ninjs 2.1 property names (http://www.iptc.org/std/ninjs/ninjs-schema_2.1.json), whose objects
# all forbid other properties (additionalProperties / unevaluatedProperties: false).
ROOT = {
    "uri", "type", "representationtype", "profile", "version", "firstcreated", "versioncreated",
    "contentcreated", "embargoed", "pubstatus", "urgency", "copyrightholder", "copyrightnotice",
    "usageterms", "ednote", "language", "descriptions", "bodies", "headlines", "people",
    "organisations", "places", "subjects", "events", "objects", "infosources", "title", "by",
    "slugline", "located", "renditions", "associations", "altids", "trustindicators",
    "standard", "genres", "expires", "rightsinfo",
}  # fmt: skip
PARTS = {
    "headlines": {"role", "contenttype", "value"},
    "descriptions": {"role", "contenttype", "value"},
    "bodies": {"role", "contenttype", "charcount", "wordcount", "value"},
    "subjects": {"name", "rel", "uri", "literal", "creator", "relevance", "confidence"},
    "infosources": {"name", "role", "uri", "literal", "contactinfo"},
    "renditions": {"name", "href", "contenttype", "title", "height", "width", "sizeinbytes",
                   "duration", "format"},
    "altids": {"role", "value"},
}  # fmt: skip
REQUIRED = {"headlines": "value", "descriptions": "value", "bodies": "value", "renditions": "name"}


def check_ninjs(obj: dict[str, Any], *, association: bool = False) -> None:
    """Asserts ``obj`` uses only ninjs 2.1 properties with the schema's types."""
    allowed = ROOT | {"name"} if association else ROOT
    assert set(obj) <= allowed, set(obj) - allowed
    assert isinstance(obj["uri"], str) and ":" in obj["uri"]
    if association:
        assert isinstance(obj["name"], str)
    if "version" in obj:
        assert isinstance(obj["version"], str)
    if "urgency" in obj:
        assert isinstance(obj["urgency"], int) and 1 <= obj["urgency"] <= 9
    if "pubstatus" in obj:
        assert obj["pubstatus"] in ("usable", "withheld", "canceled")
    if "type" in obj:
        assert obj["type"] in ("text", "audio", "video", "picture", "graphic", "composite")
    for key in ("firstcreated", "versioncreated"):
        if key in obj:
            datetime.fromisoformat(obj[key].replace("Z", "+00:00"))
    if "standard" in obj:
        assert set(obj["standard"]) <= {"name", "version", "schema"}
    for key, names in PARTS.items():
        for part in obj.get(key, []):
            assert set(part) <= names, (key, set(part) - names)
            if key in REQUIRED:
                assert REQUIRED[key] in part
            for value in part.values():
                assert value is not None
    for assoc in obj.get("associations", []):
        check_ninjs(assoc, association=True)


def record(**kw: Any) -> dict[str, Any]:
    a = make_article(1, **kw)
    a.ingested_at = datetime(2024, 10, 8, 6, 5, tzinfo=UTC)
    return a.to_dict()


def test_ninjs_uses_only_schema_properties() -> None:
    doc = to_ninjs(record(key_points=["Treffen in Moskau", "Opposition protestiert"]))
    check_ninjs(doc)
    assert doc["standard"]["version"].startswith("2.")
    assert doc["headlines"] == [
        {"role": "main", "value": "Lukaschenko will Putin in Moskau treffen (1)"},
        {"role": "kicker", "value": "Weissrussland"},
    ]
    assert doc["descriptions"][0]["value"] == "Ein Treffen in Moskau ist geplant."
    assert "<li>Opposition protestiert</li>" in doc["descriptions"][1]["value"]
    html_body, text_body = doc["bodies"]
    assert html_body["contenttype"] == "text/html" and html_body["value"].startswith("<p>")
    assert text_body["contenttype"] == "text/plain" and "Lukaschenko" in text_body["value"]
    assert doc["subjects"] == [
        {"name": "Politik", "uri": "http://cv.iptc.org/newscodes/mediatopic/11000000"}
    ]
    assert [i["literal"] for i in doc["infosources"]] == ["keystone-sda", "dpa"]
    assert doc["by"] == "Anna Muster" and doc["located"] == "Minsk" and doc["urgency"] == 3
    picture = doc["associations"][0]
    assert picture["renditions"] == [
        {
            "name": "original",
            "href": "https://pix.example-wire.test/1/original.jpg",
            "contenttype": "image/jpeg",
        }
    ]
    assert [i["literal"] for i in picture["infosources"]] == ["keystone", "epa"]
    # no nulls and no empty lists anywhere
    assert "null" not in json.dumps(doc) and "[]" not in json.dumps(doc)


def test_ninjs_of_a_bare_kill_is_still_valid() -> None:
    a = Article(guid="x", id="abc", headline="", pubstatus="canceled", version=4)
    doc = to_ninjs(a.to_dict())
    check_ninjs(doc)
    assert doc["pubstatus"] == "canceled" and doc["version"] == "4"


def test_ninjs_output_reads_back_through_the_ninjs_adapter() -> None:
    original = record()
    payload = json.dumps(to_ninjs(original)).encode()
    settings = FeedSettings(feed="roundtrip")
    [parsed] = NINJS.parse(payload, settings)
    assert isinstance(parsed, Article)
    back = normalise(parsed, settings, datetime.now(UTC))
    for key in ("kicker", "headline", "lead", "body_text", "language", "dateline", "byline"):
        assert getattr(back, key) == original[key], key
    assert (back.version, back.pubstatus, back.urgency) == (1, "usable", 3)
    assert back.agencies == ["keystone-sda", "dpa"]
    assert [(s.code, s.name) for s in back.subjects] == [("medtop:11000000", "Politik")]
    assert back.versioncreated == datetime(2024, 10, 8, 6, 1, tzinfo=UTC)
    image = back.images[0]
    assert image.href == original["images"][0]["href"]
    assert image.caption == original["images"][0]["caption"]
    assert (image.creator, image.copyright_holder) == ("Sergei Ilnitsky", "EPA")


def test_atom_feed_is_valid_and_readable_by_a_feed_reader() -> None:
    rec = record(headline="Lukaschenko \x0bwill\x00 Putin treffen")
    body = atom_feed(
        title="wire: articles",
        feed_id="urn:wire:articles:test",
        self_url="http://localhost/articles?format=atom",
        records=[(rec, None)],
        next_url="http://localhost/articles?format=atom&cursor=abc",
    )
    root = etree.fromstring(body)
    assert root.tag == f"{{{ATOM_NS}}}feed"
    entry = root.find(f"{{{ATOM_NS}}}entry")
    assert entry is not None
    assert entry.findtext(f"{{{ATOM_NS}}}title") == "Lukaschenko will Putin treffen"
    assert entry.findtext(f"{{{ATOM_NS}}}id") == f"urn:wire:article:{rec['id']}"
    assert entry.findtext(f"{{{WIRE_NS}}}pubstatus") == "usable"
    media = entry.find(f"{{{MEDIA_NS}}}content")
    assert media is not None and media.get("url").endswith("original.jpg")
    credits = [(c.text, c.get("role")) for c in media.findall(f"{{{MEDIA_NS}}}credit")]
    assert credits == [
        ("KEYSTONE/EPA/Sergei Ilnitsky", None),
        ("Sergei Ilnitsky", "photographer"),
    ]
    assert media.findtext(f"{{{MEDIA_NS}}}copyright") == "EPA"

    parsed = feedparser.parse(body)
    assert not parsed.bozo, parsed.get("bozo_exception")
    e = parsed.entries[0]
    assert e.title == "Lukaschenko will Putin treffen"
    assert e.summary == "Ein Treffen in Moskau ist geplant."
    assert e.media_content[0]["url"] == rec["images"][0]["href"]
    assert e.media_credit[0]["content"] == "KEYSTONE/EPA/Sergei Ilnitsky"
    assert "medtop:11000000" in [t.term for t in e.tags]
    assert e.published == "2024-10-08T06:01:00Z"
    assert [link.rel for link in parsed.feed.links] == ["self", "next"]


def test_atom_entry_document() -> None:
    root = etree.fromstring(atom_entry(record()))
    assert root.tag == f"{{{ATOM_NS}}}entry"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "de"
    content = root.find(f"{{{ATOM_NS}}}content")
    assert content is not None and content.get("type") == "html"


@pytest.mark.parametrize(
    ("fmt", "accept", "expected"),
    [
        (None, None, "ninjs"),
        (None, "application/json", "ninjs"),
        (None, "application/atom+xml", "atom"),
        (None, "application/atom+xml;q=0.9, */*;q=0.1", "atom"),
        ("atom", "application/json", "atom"),
        ("ninjs", "application/atom+xml", "ninjs"),
        ("WIRE", None, "wire"),
        ("json", None, "ninjs"),
    ],
)
def test_negotiation(fmt: str | None, accept: str | None, expected: str) -> None:
    assert negotiate(fmt, accept) == expected


def test_formats_over_http(db: Database) -> None:
    stored = put(db, make_article(1))
    c = client(db)
    ninjs = c.get("/articles", headers={"Accept": "application/json"})
    assert ninjs.headers["content-type"] == "application/json"
    check_ninjs(ninjs.json()["items"][0])
    atom = c.get("/articles", headers={"Accept": "application/atom+xml"})
    assert atom.headers["content-type"] == "application/atom+xml; charset=utf-8"
    assert atom.headers["vary"] == "Accept"
    assert feedparser.parse(atom.content).entries[0].id == f"urn:wire:article:{stored.article_id}"
    wire = c.get(f"/articles/{stored.article_id}", params={"format": "wire"}).json()["item"]
    with db.reader() as s:
        expected = get_article(s, stored.article_id)
    assert expected is not None
    for extra in ("versions", "cluster", "media", "linked_by", "updated_by"):
        expected.pop(extra)
    assert wire == expected
    entry = c.get(f"/articles/{stored.article_id}", params={"format": "atom"})
    assert etree.fromstring(entry.content).tag == f"{{{ATOM_NS}}}entry"
    bad = c.get("/articles", params={"format": "pdf"})
    assert bad.status_code == 400 and "unknown format 'pdf'" in bad.json()["error"]


def test_ninjs_output_round_trips_picture_credits_through_the_ninjs_adapter() -> None:
    from wire.adapters.base import FeedSettings
    from wire.adapters.ninjs import ADAPTER
    from wire.api.formats import to_ninjs
    from wire.record import Article, Image

    record = Article(
        guid="urn:test:1",
        id="abc",
        headline="Lukaschenko will Putin treffen",
        body_text="Angesichts des Machtkampfes will sich Lukaschenko mit Putin treffen.",
        images=[
            Image(
                href="https://img.example/1.jpg",
                caption="Putin und Lukaschenko.",
                credit="KEYSTONE/Peter Schneider",
                creator="Peter Schneider",
                agencies=["keystone-sda"],
                copyright_holder="Keystone-SDA",
            )
        ],
    ).to_dict()
    data = json.dumps(to_ninjs(record)).encode()
    [back] = ADAPTER.parse(data, FeedSettings(feed="t"))
    assert isinstance(back, Article)
    [img] = back.images
    assert (img.caption, img.credit) == ("Putin und Lukaschenko.", "KEYSTONE/Peter Schneider")
