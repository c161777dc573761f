"""/articles pages render the same bytes on the fast path as on the plain one.

The fast path (wire.storage.records.load_records, orjson for ninjs pages) must not change a
byte: here it is compared with the plain path (ORM rows through reads.record_of, json.dumps
as Starlette writes it) on real-shaped articles with every field filled, on both stores.
"""

from __future__ import annotations

import html
import json
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from tests.api.factory import T0, client, english, french, make_article, put
from wire.api import formats, jsonbody
from wire.record import Image, Link, Rendition, Subject, iso, parse_iso
from wire.storage.db import Database
from wire.storage.models import ArticleRow
from wire.storage.reads import article_dict
from wire.storage.records import load_records, stored_iso
from wire.storage.updates import add_updates
from wire.storage.visibility import READER, withdrawn
from wire.storage.writer import add_sighting


def starlette_bytes(content: Any) -> bytes:
    """What Starlette's JSONResponse writes."""
    return json.dumps(
        content, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":")
    ).encode("utf-8")


def stories(db: Database) -> list[str]:
    """Real-shaped stories with every field a record can carry; their ids, newest first."""
    full = make_article(
        1,
        kicker="Weissrussland & <Russland>",
        key_points=['Treffen in "Moskau"', "Hilfe <geplant> & Kredite"],
        body_text='Er sagte: "Wir & <sie>".\n\n   \n\nZweiter\tAbsatz\u00a0mit\u2028Trennern.\n\n',
        unresolved_agencies={"XY": "xy/sda"},
        producers=["automated-insights"],
        signals=["lead:1"],
        embargoed=T0 - timedelta(hours=1),
        usage_terms="Editorial use only",
        copyright_notice="(c) 2024 Keystone-SDA",
        ednote="Achtung: Name korrigiert",
        subjects=[
            Subject("medtop:11000000", "Politik"),
            Subject("subj:11003000", None),
            Subject("https://example.test/subjects/1", "Diplomatie"),
            Subject(None, "Weissrussland"),
            Subject("local-code", None),
        ],
        urgency=12,  # out of the ninjs range: left out of the item
        versioncreated=T0 + timedelta(minutes=1, microseconds=123456),
        images=[
            make_article(1).images[0],
            Image(
                href="https://pix.example-wire.test/1/second.png?size=large",
                alt="Zweites Bild",
                caption=None,
                credit="dpa",
                creator="dpa",
                agencies=["dpa"],
                usage_terms="No sales",
                copyright_notice="(c) dpa",
            ),
            Image(href=None, alt="Ohne Datei", agencies=[]),
        ],
        renditions=[Rendition(href="https://pix.example-wire.test/r.jpg", width=800, height=600)],
        links=[Link(guid="urn:newsml:sda.ch:20241008:pic-1")],
    )
    stored = [
        put(db, full),
        put(db, french(2, byline=None, url=None)),
        put(db, english(3, body_html="<p>Rotterdam &amp; the <b>barrier</b></p>")),
        put(db, make_article(4, images=[], kicker=None, lead=None, urgency=None)),
    ]
    put(db, make_article(5))
    killed = make_article(5, version=2, pubstatus="canceled", ednote="KILL - do not use")
    put(db, replace(killed, versioncreated=T0 + timedelta(hours=1)))
    with db.session() as s:  # the full story was seen in another feed too
        add_sighting(s, stored[0].article_id, replace(full, feed="sda-2", ingested_at=T0))
    with db.reader() as s:
        rows = s.scalars(select(ArticleRow.id).order_by(ArticleRow.versioncreated.desc()))
        return list(rows)


def plain_records(db: Database, ids: list[str]) -> list[dict[str, Any]]:
    """The records as the ORM rows give them (reads.record_of), in ``ids`` order."""
    out = []
    with db.reader() as s:
        for i in ids:
            row = s.get(ArticleRow, i)
            assert row is not None, i
            out.append(article_dict(row))
    return out


def test_load_records_gives_the_records_of_the_orm_rows_byte_for_byte(db: Database) -> None:
    ids = stories(db)
    with db.reader() as s:
        fast = load_records(s, ids)
    plain = plain_records(db, ids)
    assert len(fast) == len(ids) == 5
    assert starlette_bytes(fast) == starlette_bytes(plain)  # key order included
    full, plainest = fast[-1], fast[-2]  # newest first: stories 1 and 2 are the oldest
    assert full["key_points"] and full["unresolved_agencies"] == {"XY": "xy/sda"}
    assert full["versioncreated"].endswith(".123456Z")
    assert plainest["versioncreated"] == "2024-10-08T06:02:00Z"  # no fraction when none
    assert full["images"][1]["href"].endswith("second.png?size=large")
    assert full["sightings"][0]["feed"] == "sda-2"
    assert full["renditions"][0]["width"] == 800


def test_the_articles_page_is_the_plain_path_byte_for_byte(db: Database) -> None:
    ids = stories(db)
    records = [withdrawn(r, READER) for r in plain_records(db, ids)]
    with db.reader() as s:
        add_updates(s, records)
    items = [formats.to_ninjs(r) for r in records if r["pubstatus"] == "usable"]
    response = client(db).get("/articles", params={"limit": 50})
    assert response.status_code == 200
    assert response.content == starlette_bytes({"items": items, "count": 4, "next": None})
    assert b"&lt;sie&gt;" in response.content and "\u2028".encode() in response.content
    audit = client(db).get("/articles", params={"pubstatus": "all", "format": "wire"})
    assert [r["id"] for r in audit.json()["items"]] == ids
    assert audit.content == starlette_bytes(audit.json())


@pytest.mark.parametrize(
    "text",
    [
        "",
        "One paragraph & <b>",
        "A \"quoted\" 'word'.\n\nSecond & <third>\n\n\n\nFourth",
        "\n\n  \n\nonly one\n\n\t\n\n",
        "Line\nbreak inside\n\n\u00a0\n\nnbsp paragraph",
    ],
)
def test_paragraph_html_escapes_as_each_paragraph_on_its_own(text: str) -> None:
    per_paragraph = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n\n") if p.strip())
    assert formats._paragraphs_html(text) == per_paragraph


def test_the_fast_json_writes_json_dumps_bytes() -> None:
    strings = ["", 'q"uote', "back\\slash", "ctl\x00\x01\x1f\x7f", "tab\tnl\ncr\r", "ä€😀",
               "\u2028\u2029\ufeff", "</script>", "\U0010ffff"]  # fmt: skip
    content = {s: [s, 1, -7, 2**63 - 1, True, False, None, {"k": s}] for s in strings}
    assert jsonbody.dumps(content) == starlette_bytes(content)
    huge = {"n": 2**70}  # beyond orjson: json.dumps writes it
    assert jsonbody.dumps(huge) == starlette_bytes(huge)
    with pytest.raises(UnicodeEncodeError):  # a lone surrogate fails as it did
        jsonbody.dumps({"s": "\ud800"})


@pytest.mark.parametrize(
    "stored",
    [
        "2024-10-08 06:00:00.000000",
        "2024-10-08 06:00:00.000100",
        "2024-10-08 06:00:00",
        "2024-10-08T06:00:00.5",
        "2024-10-08 08:00:00.123456+02:00",
    ],
)
def test_stored_times_read_as_sqlalchemy_parses_them(stored: str) -> None:
    assert stored_iso(stored) == iso(parse_iso(stored))
    assert stored_iso(parse_iso(stored)) == iso(parse_iso(stored))
    assert stored_iso(None) is None
