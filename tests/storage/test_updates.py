"""A lead/update/correction under a new guid is its own article, linked to the story it
updates and in that story's cluster, on SQLite and PostgreSQL; and the ``type`` filter."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from tests.conftest import ROOT
from wire.adapters.base import FeedSettings
from wire.config import Config
from wire.errors import QueryError
from wire.ingest.hooks import store_hooks
from wire.ingest.pipeline import StoreHook, ingest_payload
from wire.storage.db import Database
from wire.storage.filters import ArticleQuery
from wire.storage.models import ArticleRow, ClusterMember
from wire.storage.reads import find_records, get_article
from wire.storage.updates import Item, add_updates, updated_story

CASES = ROOT / "tests" / "adapters" / "cases"


@pytest.fixture
def hooks(db: Database) -> tuple[StoreHook, ...]:
    return store_hooks(Config(), db)


def ingest(
    db: Database, hooks: tuple[StoreHook, ...], data: bytes, fmt: str, feed: str = "wire"
) -> None:
    settings = FeedSettings(feed=feed, timezone="UTC")
    ingest_payload(db, data, settings, fmt=fmt, hooks=hooks)


def ids(db: Database) -> dict[str, str]:
    with db.reader() as s:
        return {r.guid: r.id for r in s.scalars(select(ArticleRow))}


def article(db: Database, article_id: str) -> dict[str, Any]:
    with db.reader() as s:
        data = get_article(s, article_id)
    assert data is not None
    return data


def test_iptc7901_zusammenfassung_updates_the_first_take(
    db: Database, hooks: tuple[StoreHook, ...]
) -> None:
    ingest(db, hooks, (CASES / "iptc7901_update_de.txt").read_bytes(), "iptc7901")
    found = ids(db)
    first, second = found["bdt0402-20241129"], found["bdt0412-20241129"]
    update = article(db, second)
    assert update["updates"] is not None
    assert update["updates"]["id"] == first and update["updates"]["by"] == "story"
    assert update["updates"]["headline"] == "Bundestag stimmt über Haushalt 2025 ab"
    assert update["updated_by"] == []
    original = article(db, first)
    assert original["updates"] is None
    assert [u["id"] for u in original["updated_by"]] == [second]
    # its own article, in the cluster of the story it updates, and it says why
    assert update["cluster"] is not None and original["cluster"] is not None
    assert update["cluster"]["id"] == original["cluster"]["id"]
    with db.reader() as s:
        member = s.get(ClusterMember, second)
        assert member is not None and member.reason is not None
    assert member.reason["rule"] in ("update", "text", "containment", "facts", "short")


def test_anpa_lead_filed_after_midnight_updates_the_story(
    db: Database, hooks: tuple[StoreHook, ...]
) -> None:
    ingest(db, hooks, (CASES / "anpa1312_lead_fr.txt").read_bytes(), "anpa1312")
    found = ids(db)
    first = found["anpa1312:Neige-Montréal:2024-10-31"]
    lead = found["anpa1312:Neige-Montréal:2024-11-01"]
    data = article(db, lead)
    assert data["updates"]["id"] == first
    assert data["cluster"] is not None
    assert data["cluster"]["id"] == article(db, first)["cluster"]["id"]
    with db.reader() as s:
        member = s.get(ClusterMember, lead)
        assert member is not None and member.reason is not None
        # the texts differ too much to match: the story key put it there
        assert member.reason == {"rule": "update", "similarity": 1.0, "by": "story"}


def newsml(guid: str, headline: str, when: str, extra: str = "") -> bytes:
    return f"""<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" standard="NewsML-G2"
      standardversion="2.33" guid="{guid}" version="1" xml:lang="en">
      <itemMeta><itemClass qcode="ninat:text"/><provider literal="Reuters"/>
        <versionCreated>{when}</versionCreated><firstCreated>{when}</firstCreated>{extra}
      </itemMeta>
      <contentMeta><slugline>SWITZERLAND-WEATHER/ZERMATT</slugline>
        <headline>{headline}</headline></contentMeta>
      <contentSet><inlineData contenttype="text/plain">ZURICH (Reuters) - {headline}: snow
        closed the railway into the valley of Zermatt on Tuesday.</inlineData></contentSet>
    </newsItem>""".encode()


def test_named_previous_version_whichever_arrives_first(
    db: Database, hooks: tuple[StoreHook, ...]
) -> None:
    # the update first: it names a story not stored yet
    ingest(db, hooks, (CASES / "newsml_update_en.xml").read_bytes(), "newsml")
    update_id = ids(db)["tag:example-wire.test,2024:newsml_L8N3F0124"]
    assert article(db, update_id)["updates"] is None
    original = newsml(
        "tag:example-wire.test,2024:newsml_L8N3F0123",
        "Snow cuts off Swiss resort of Zermatt",
        "2024-03-05T07:40:00Z",
    )
    ingest(db, hooks, original, "newsml")
    original_id = ids(db)["tag:example-wire.test,2024:newsml_L8N3F0123"]
    data = article(db, update_id)
    assert data["updates"]["id"] == original_id and data["updates"]["by"] == "guid"
    assert [u["id"] for u in article(db, original_id)["updated_by"]] == [update_id]
    # the named story is not a picture of the update: no media, no linked_by
    assert data["media"] == [] and article(db, original_id)["linked_by"] == []


def test_no_link_without_status_words_other_agency_or_outside_the_window(
    db: Database, hooks: tuple[StoreHook, ...]
) -> None:
    early = newsml("urn:r:1", "Snow cuts off Zermatt", "2024-03-01T07:00:00Z")
    plain = newsml("urn:r:2", "Zermatt hotels full", "2024-03-05T08:00:00Z")
    late = newsml("urn:r:3", "UPDATE 2-Snow cuts off Zermatt", "2024-03-05T09:00:00Z")
    ingest(db, hooks, early, "newsml")
    ingest(db, hooks, plain, "newsml")
    ingest(db, hooks, late, "newsml")
    other = newsml("urn:d:1", "UPDATE 3-Snow cuts off Zermatt", "2024-03-05T10:00:00Z")
    ingest(db, hooks, other.replace(b"Reuters", b"dpa"), "newsml", feed="dpa")
    found = ids(db)
    # "Zermatt hotels full" has no status word: it updates nothing
    assert article(db, found["urn:r:2"])["updates"] is None
    # UPDATE 2 updates the newest earlier take of the same agency (urn:r:2), not urn:r:1
    assert article(db, found["urn:r:3"])["updates"]["id"] == found["urn:r:2"]
    # the same slug from dpa is another agency's story
    assert article(db, found["urn:d:1"])["updates"] is None
    with db.reader() as s:
        row = s.get(ArticleRow, found["urn:r:3"])
        assert row is not None
        item = Item.of(row)
        # a four-day-old take is out of a one-day window
        story = updated_story(s, item, timedelta(days=1))
        assert story is not None and story["id"] == found["urn:r:2"]
        row2 = s.get(ArticleRow, found["urn:r:2"])
        assert row2 is not None
        as_update = Item.of(
            {**{k: getattr(row2, k) for k in ("id", "guid", "source", "feed", "type")},
             "links": row2.links, "signals": ["update:1"], "firstcreated": row2.firstcreated}
        )  # fmt: skip
        assert updated_story(s, as_update, timedelta(days=1)) is None
        story = updated_story(s, as_update, timedelta(days=7))
        assert story is not None and story["id"] == found["urn:r:1"]
        records, _ = find_records(s, ArticleQuery(q="Zermatt"), limit=10)
        add_updates(s, records)
    by_id = {r["id"]: r["updates"] for r in records}
    assert by_id[found["urn:r:3"]]["id"] == found["urn:r:2"]
    assert by_id[found["urn:r:1"]] is None


def test_type_filter_with_and_without_text(db: Database, hooks: tuple[StoreHook, ...]) -> None:
    ingest(db, hooks, (CASES / "ninjs_picture_3x_en.json").read_bytes(), "ninjs")
    ingest(db, hooks, (CASES / "ninjs_graphic_2x_de.json").read_bytes(), "ninjs")
    ingest(db, hooks, (CASES / "newsml_update_en.xml").read_bytes(), "newsml")
    with db.reader() as s:
        every = {r["id"]: r["type"] for r in find_records(s, ArticleQuery(), limit=50)[0]}
        assert sorted(every.values()) == ["graphic", "picture", "text"]

        def types(**kw: Any) -> list[str]:
            return sorted(r["type"] for r in find_records(s, ArticleQuery(**kw), limit=50)[0])

        assert types(type=("picture",)) == ["picture"]
        assert types(type=("PHOTO", "graphic")) == ["graphic", "picture"]  # any case, aliases
        assert types(type=("text",)) == ["text"]
        assert types(type=("video",)) == []  # a ninjs type wire stores none of
        assert types(q="Zermatt", type=("text",)) == ["text"]
        assert types(q="Zermatt", type=("picture",)) == []
    with pytest.raises(QueryError, match="unknown type 'movie'"):
        ArticleQuery(type=("movie",))


def test_type_is_part_of_the_cursor() -> None:
    assert ArticleQuery().fingerprint() != ArticleQuery(type=("picture",)).fingerprint()
    assert ArticleQuery(type=("photo",)) == ArticleQuery(type=("picture",))
    assert json.dumps(ArticleQuery(type=("Picture",)).type) == '["picture"]'


def test_rebuild_puts_updates_back_and_leaves_pictures_out(
    db: Database, hooks: tuple[StoreHook, ...]
) -> None:
    from tests.storage.test_media import CAPTION, picture, put, story
    from wire.ingest.dedup import rebuild

    ingest(db, hooks, (CASES / "anpa1312_lead_fr.txt").read_bytes(), "anpa1312")
    put(db, hooks, picture("urn:pix:KEY-0009", CAPTION))
    put(db, hooks, story("urn:story:sda-9", "urn:pix:KEY-0009"))
    put(db, hooks, story("urn:story:sda-10", "urn:pix:KEY-0009") | {"headline": "Tessin"})
    stats = rebuild(db, Config().dedup)
    assert stats.articles == 5
    found = ids(db)
    first = found["anpa1312:Neige-Montréal:2024-10-31"]
    lead = found["anpa1312:Neige-Montréal:2024-11-01"]
    with db.reader() as s:
        rows = {r.id: r for r in s.scalars(select(ArticleRow))}
        member = s.get(ClusterMember, lead)
        assert member is not None and member.reason == {"rule": "update", "similarity": 1.0}
    assert rows[lead].cluster_id == rows[first].cluster_id is not None
    assert rows[found["urn:pix:KEY-0009"]].cluster_id is None  # a picture is no story
    assert rows[found["urn:story:sda-9"]].cluster_id is not None  # the two stories match


def test_update_stored_before_its_story_joins_the_story_cluster(
    db: Database, hooks: tuple[StoreHook, ...]
) -> None:
    first, lead = (CASES / "anpa1312_lead_fr.txt").read_bytes().split(b"\x04")[:2]
    ingest(db, hooks, lead + b"\x04", "anpa1312")  # the lead arrives first: no story yet
    found = ids(db)
    lead_id = found["anpa1312:Neige-Montréal:2024-11-01"]
    assert article(db, lead_id)["cluster"] is None
    ingest(db, hooks, first + b"\x04", "anpa1312")
    first_id = ids(db)["anpa1312:Neige-Montréal:2024-10-31"]
    data = article(db, lead_id)
    assert data["updates"]["id"] == first_id
    assert data["cluster"] is not None
    assert data["cluster"]["id"] == article(db, first_id)["cluster"]["id"]
    with db.reader() as s:
        member = s.get(ClusterMember, lead_id)
        assert member is not None
        assert member.reason == {"rule": "update", "similarity": 1.0, "by": "story"}
