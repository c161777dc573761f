"""The canonical record's JSON form."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, datetime, timedelta

from wire.record import Article, Image, Sighting, Subject, iso

T0 = datetime(2020, 8, 30, 12, 0, tzinfo=UTC)


def reference(article: Article) -> dict:  # type: ignore[type-arg]
    """What ``to_dict`` stands for: ``asdict``, internal fields dropped, datetimes as ISO."""
    data = asdict(article)
    del data["credit_strings"], data["source_version"]
    return json.loads(json.dumps(data, default=lambda d: iso(d)))  # type: ignore[no-any-return]


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
