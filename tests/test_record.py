"""The canonical record's JSON form."""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from wire.record import Article, Image, Sighting, Subject, has_surrogate, iso, storable_text

T0 = datetime(2020, 8, 30, 12, 0, tzinfo=UTC)


def reference(article: Article) -> dict[str, Any]:
    """What ``to_dict`` stands for: ``asdict``, internal fields dropped, datetimes as ISO."""
    data = asdict(article)
    del data["credit_strings"], data["source_version"]
    return json.loads(json.dumps(data, default=lambda d: iso(d)))


def test_to_dict_is_asdict_made_json_ready() -> None:
    a = Article(
        guid="urn:newsml:sda.ch:20200830:lukaschenko",
        feed="sda",
        source="keystone-sda",
        agencies=["keystone-sda", "dpa"],
        headline="Lukaschenko will Putin in Moskau treffen",
        key_points=["Treffen geplant", "Kreml bestätigt"],
        subjects=[Subject("medtop:11000000", "Politik")],
        versioncreated=T0,
        firstcreated=T0,
        ingested_at=T0,
        images=[Image(href="https://img.example/1.jpg", credit="KEYSTONE/Peter Schneider")],
        credit_strings=["sda/dpa"],
        source_version=True,
        sightings=[Sighting("dpa", "partner", "urn:x", None, T0 + timedelta(hours=1))],
        cluster_id="c1",
    )
    a.images.append(Image(href="https://img.example/2.jpg", agencies=["afp", "dpa"]))
    record = a.to_dict()
    assert record == reference(a)
    assert list(record) == list(reference(a))  # the same JSON text, key for key
    assert record["firstcreated"] == "2020-08-30T12:00:00Z"
    assert record["agencies"] is not a.agencies  # a copy: later changes to the article stay out
    assert Article.from_dict(record).to_dict() == record


def test_to_json_is_json_dumps_of_the_dict() -> None:
    a = Article(
        guid="urn:x:1",
        headline="Zürich «Wahl» \u2028 ok",
        unresolved_agencies={"x-lokal": "Lokal"},
        embargoed=T0,
        images=[Image(href="https://img.example/1.jpg", agencies=["afp"])],
    )
    assert a.to_json() == json.dumps(reference(a), ensure_ascii=False)
    record = a.to_dict()
    assert record["images"][0]["agencies"] is not a.images[0].agencies
    assert record["unresolved_agencies"] is not a.unresolved_agencies


class _Name(str):
    """A str subclass, as a library may hand over (the encoder writes it as a string)."""


def test_to_json_written_as_text_is_the_encoders_text_of_the_dict() -> None:
    """``to_json`` writes the text itself (wire.record._writer): the very text the encoder
    makes of ``to_dict()``, for every kind of value a field may hold."""
    a = Article(
        guid="urn:x:3",
        headline='Zürich «Wahl» "quoted" \\ \u2028 \x1f \ud800 😀',
        lead=None,
        key_points=["eins", _Name("zwei"), 3],  # type: ignore[list-item]
        agencies=("dpa", "afp"),  # type: ignore[arg-type]
        unresolved_agencies={"x-lokal": "Lokal", "y": "Ÿ"},
        subjects=[Subject("medtop:1", None), Subject(None, "Politik")],
        urgency=2,
        source_version=True,
        embargoed=T0,
        firstcreated=datetime(2020, 8, 30, 14, 0, tzinfo=timezone(timedelta(hours=2))),
        versioncreated="2020-08-30T12:00:00Z",  # type: ignore[arg-type]
        ingested_at=datetime(2020, 8, 30, 12, 0),  # naive: taken as UTC
        images=[Image(href="https://img.example/1.jpg", agencies=["afp"], credit=None)],
        sightings=[Sighting("dpa", "partner", "urn:x", None, T0)],
        credit_strings=["sda/dpa"],
    )
    a.body_text = _Name("Text")
    a.urgency = True
    a.images.append({"href": "a dict, not a record"})  # type: ignore[arg-type]
    assert a.to_json() == json.JSONEncoder(ensure_ascii=False).encode(a.to_dict())
    plain = Article(guid="urn:x:4", headline="Eins")
    assert plain.to_json() == json.dumps(reference(plain), ensure_ascii=False)
    del a.images[0].__dict__["alt"]  # a nested record without a field: the dict's way
    assert a.to_json() == json.JSONEncoder(ensure_ascii=False).encode(a.to_dict())


def test_a_record_with_an_attribute_of_its_own_still_gives_its_fields() -> None:
    """The per-class converter reads ``__dict__``; a record whose ``__dict__`` lacks a field
    (deleted) or holds more goes through the field walk and gives the same form."""
    a = Article(guid="urn:x:2", headline="Eins", firstcreated=T0)
    a.extra = "not a field"  # type: ignore[attr-defined]
    assert a.to_dict() == reference(a)
    assert "extra" not in a.to_dict()
    del a.__dict__["lead"]  # getattr then finds the class default, as the field walk does
    assert a.to_dict() == reference(a)
    assert a.to_dict()["lead"] is None


@given(
    st.text(alphabet=st.sampled_from(["a", "ä", "\x00", "\ud800", "\udfff", "\ud83d", "😀", " "]))
)
@settings(max_examples=500, deadline=None)
def test_surrogates_found_by_the_encoder_as_by_a_search(text: str) -> None:
    """``has_surrogate`` and ``storable_text`` (the UTF-8 encoder's answer) against the
    searches they replaced."""
    assert has_surrogate(text) == bool(re.search("[\ud800-\udfff]", text))
    reference = re.sub(
        "[\x00\ud800-\udfff]", lambda m: "" if m.group() == "\x00" else "\ufffd", text
    )
    assert storable_text(text) == reference
