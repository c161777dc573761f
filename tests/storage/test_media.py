"""Pictures and graphics as media records in the store: versions, kills, the change feed,
search, links to stories whichever arrives first, and never a story cluster."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select

from tests.api.factory import client
from tests.conftest import ROOT
from wire.adapters.base import FeedSettings
from wire.config import Config
from wire.ingest.cli import render_article
from wire.ingest.hooks import store_hooks
from wire.ingest.pipeline import RunStats, StoreHook, ingest_payload
from wire.storage.db import Database
from wire.storage.filters import ArticleQuery
from wire.storage.models import ArticleRow, Change
from wire.storage.reads import find_records, get_article

CASES = ROOT / "tests" / "adapters" / "cases"
G2 = 'xmlns="http://iptc.org/std/nar/2006-10-01/" standard="NewsML-G2" standardversion="2.29"'
CAPTION = (
    "Rettungskräfte suchen am Dienstag im Maggiatal nach Vermissten, nachdem heftige "
    "Unwetter mit Starkregen und Erdrutschen mehrere Dörfer im Tessin von der Aussenwelt "
    "abgeschnitten und Strassen, Brücken und Stromleitungen zerstört haben."
)

MORE = (
    "Die Armee fliegt mit Helikoptern Trinkwasser, Lebensmittel und Medikamente in die "
    "abgeschnittenen Weiler. Der Kanton hat den Notstand ausgerufen und bittet die "
    "Bevölkerung, unnötige Fahrten zu vermeiden. Meteorologen erwarten bis Donnerstag "
    "weitere heftige Gewitter über dem Südtessin und dem Misox."
)


def picture(uri: str, caption: str, *, version: int = 1, status: str = "usable") -> dict[str, Any]:
    return {
        "uri": uri,
        "type": "picture",
        "version": str(version),
        "versioncreated": f"2024-07-02T1{version}:00:00Z",
        "pubstatus": status,
        "language": "de",
        "headlines": [{"role": "main", "value": "Unwetter im Tessin"}],
        "descriptions": [{"role": "caption", "value": caption}],
        "renditions": [
            {"name": "hires", "href": f"https://pix.example-wire.test/{uri[-4:]}.jpg",
             "width": 4000, "height": 2667, "contenttype": "image/jpeg"}
        ],
    }  # fmt: skip


def story(uri: str, picture_uri: str) -> dict[str, Any]:
    return {
        "uri": uri,
        "type": "text",
        "versioncreated": "2024-07-02T12:30:00Z",
        "language": "de",
        "headline": "Unwetter schneidet Dörfer im Maggiatal ab",
        "body_text": CAPTION + " " + MORE,
        "associations": [{"uri": picture_uri, "type": "picture"}],
    }


@pytest.fixture
def hooks(db: Database) -> tuple[StoreHook, ...]:
    """The clusterer, one for the test (the daemon keeps one for its life)."""
    return store_hooks(Config(), db)


def put(
    db: Database,
    hooks: tuple[StoreHook, ...],
    *items: dict[str, Any],
    feed: str = "ks",
    source: str = "keystone-sda",
) -> RunStats:
    settings = FeedSettings(feed=feed, source=source, timezone="UTC")
    return ingest_payload(db, json.dumps(list(items)).encode(), settings, fmt="ninjs", hooks=hooks)


def ids_by_guid(db: Database) -> dict[str, str]:
    with db.reader() as s:
        return {r.guid: r.id for r in s.scalars(select(ArticleRow))}


def test_picture_before_its_story_is_linked(db: Database, hooks: tuple[StoreHook, ...]) -> None:
    put(db, hooks, picture("urn:pix:KEY-0001", CAPTION))
    put(db, hooks, story("urn:story:sda-1", "urn:pix:KEY-0001"))
    ids = ids_by_guid(db)
    with db.reader() as s:
        text = get_article(s, ids["urn:story:sda-1"])
        pic = get_article(s, ids["urn:pix:KEY-0001"])
    assert text is not None and pic is not None
    assert text["type"] == "text" and pic["type"] == "picture"
    assert [m["id"] for m in text["media"]] == [ids["urn:pix:KEY-0001"]]
    assert text["media"][0]["type"] == "picture"
    assert [m["id"] for m in pic["linked_by"]] == [ids["urn:story:sda-1"]]
    assert text["links"] == [{"guid": "urn:pix:KEY-0001", "rel": "picture"}]
    assert pic["renditions"] == [
        {"href": "https://pix.example-wire.test/0001.jpg", "name": "hires",
         "contenttype": "image/jpeg", "width": 4000, "height": 2667}
    ]  # fmt: skip
    assert pic["images"][0]["href"] == "https://pix.example-wire.test/0001.jpg"


def test_story_before_its_picture_is_linked(db: Database, hooks: tuple[StoreHook, ...]) -> None:
    newsml_story = f"""<newsItem {G2} guid="urn:story:ats-2" version="1">
      <itemMeta><itemClass qcode="ninat:text"/>
        <versionCreated>2024-07-02T12:00:00Z</versionCreated>
        <link rel="irel:seeAlso" residref="urn:pix:KEY-0002"/>
      </itemMeta>
      <contentMeta><headline>Orages au Tessin</headline></contentMeta>
      <contentSet><inlineData contenttype="text/plain">Des villages sont coupés du monde.</inlineData></contentSet>
    </newsItem>""".encode()  # noqa: E501
    settings = FeedSettings(feed="ks", source="keystone-sda", timezone="UTC")
    ingest_payload(db, newsml_story, settings, fmt="newsml")
    with db.reader() as s:
        alone = get_article(s, ids_by_guid(db)["urn:story:ats-2"])
    assert alone is not None and alone["media"] == []  # not there yet
    ingest_payload(db, (CASES / "newsml_picture_de.xml").read_bytes(), settings, fmt="newsml")
    put(db, hooks, picture("urn:pix:KEY-0002", "Orages au Tessin, mardi."))
    ids = ids_by_guid(db)
    with db.reader() as s:
        text = get_article(s, ids["urn:story:ats-2"])
        pic = get_article(s, ids["urn:pix:KEY-0002"])
    assert text is not None and pic is not None
    assert [m["id"] for m in text["media"]] == [ids["urn:pix:KEY-0002"]]
    assert [m["id"] for m in pic["linked_by"]] == [ids["urn:story:ats-2"]]


def test_picture_versions_kill_change_feed_and_search(
    db: Database, hooks: tuple[StoreHook, ...]
) -> None:
    put(db, hooks, picture("urn:pix:KEY-0003", CAPTION))
    put(db, hooks, picture("urn:pix:KEY-0003", CAPTION.replace("Dienstag", "Mittwoch"), version=2))
    put(db, hooks, picture("urn:pix:KEY-0003", CAPTION, version=3, status="canceled"))
    [pid] = ids_by_guid(db).values()
    with db.reader() as s:
        data = get_article(s, pid)
        kinds = [c.kind for c in s.scalars(select(Change).order_by(Change.seq))]
        hits, _ = find_records(s, ArticleQuery(q="Tessin", pubstatus=("all",)))
        # A kill takes the caption out of search: its tombstone's headline still finds it.
        caption_hits, _ = find_records(s, ArticleQuery(q="Maggiatal", pubstatus=("all",)))
    assert caption_hits == []
    assert data is not None
    assert [v["version"] for v in data["versions"]] == [1, 2, 3]
    assert data["pubstatus"] == "canceled"
    assert kinds == ["new", "update", "kill"]
    assert [h["id"] for h in hits] == [pid]


def test_pictures_never_join_story_clusters(db: Database, hooks: tuple[StoreHook, ...]) -> None:
    put(db, hooks, picture("urn:pix:KEY-0004", CAPTION))
    put(db, hooks, picture("urn:pix:AFP-0004", CAPTION), feed="afp", source="afp")
    put(db, hooks, story("urn:story:sda-4", "urn:pix:KEY-0004"))
    rewrite = CAPTION.replace("Rettungskräfte", "Helfer") + " " + MORE + " Mehr folgt."
    put(db, hooks, {**story("urn:story:afp-4", "urn:pix:AFP-0004"), "body_text": rewrite},
        feed="afp", source="afp")  # fmt: skip
    with db.reader() as s:
        rows = {r.guid: (r.type, r.cluster_id) for r in s.scalars(select(ArticleRow))}
    assert rows["urn:pix:KEY-0004"] == ("picture", None)
    assert rows["urn:pix:AFP-0004"] == ("picture", None)
    # The two stories (same text) do cluster: the guard is for media records only.
    assert rows["urn:story:sda-4"][1] is not None
    assert rows["urn:story:sda-4"][1] == rows["urn:story:afp-4"][1]


def test_wire_show_lists_media_and_linking_stories(
    db: Database, hooks: tuple[StoreHook, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    put(db, hooks, picture("urn:pix:KEY-0005", CAPTION))
    put(db, hooks, story("urn:story:sda-5", "urn:pix:KEY-0005"))
    ids = ids_by_guid(db)
    with db.reader() as s:
        text = get_article(s, ids["urn:story:sda-5"])
        pic = get_article(s, ids["urn:pix:KEY-0005"])
    assert text is not None and pic is not None
    render_article(text)
    render_article(pic)
    shown = capsys.readouterr().out
    assert f"media: {ids['urn:pix:KEY-0005']} picture Unwetter im Tessin" in shown
    assert f"linked_by: {ids['urn:story:sda-5']} text" in shown
    assert "type: picture" in shown


def test_api_shows_media_links_and_unresolved_agencies(
    db: Database, hooks: tuple[StoreHook, ...]
) -> None:
    put(db, hooks, picture("urn:pix:KEY-0006", CAPTION))
    put(db, hooks, {**story("urn:story:lokal-6", "urn:pix:KEY-0006"),
                    "copyrightholder": "Nachrichtenbüro Beispiel"})  # fmt: skip
    ids = ids_by_guid(db)
    api = client(db)
    wire = {"format": "wire"}
    text = api.get(f"/articles/{ids['urn:story:lokal-6']}", params=wire).json()
    pic = api.get(f"/articles/{ids['urn:pix:KEY-0006']}", params=wire).json()
    assert text["media"] == [
        {"id": ids["urn:pix:KEY-0006"], "type": "picture", "headline": "Unwetter im Tessin",
         "source": "keystone-sda"}
    ]  # fmt: skip
    assert [s["id"] for s in pic["linked_by"]] == [ids["urn:story:lokal-6"]]
    assert text["item"]["source"] == "x-nachrichtenburo-beispiel"
    assert text["item"]["unresolved_agencies"] == {
        "x-nachrichtenburo-beispiel": "Nachrichtenbüro Beispiel"
    }
    assert pic["item"]["type"] == "picture" and pic["item"]["renditions"][0]["width"] == 4000
