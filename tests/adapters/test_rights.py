"""Embargo, usage terms and copyright notices, read by every format that carries them."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from wire.adapters.base import Adapter, FeedSettings
from wire.adapters.iptc7901 import ADAPTER as IPTC7901
from wire.adapters.newsml import ADAPTER as NEWSML
from wire.adapters.ninjs import ADAPTER as NINJS
from wire.adapters.nitf import ADAPTER as NITF
from wire.adapters.rss import ADAPTER as RSS
from wire.normalise.article import normalise
from wire.record import Article

CASES = Path(__file__).parent / "cases"
SETTINGS = FeedSettings(feed="test")
NOW = datetime(2026, 12, 6, 9, 40, tzinfo=UTC)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def read(adapter: Adapter, name: str) -> Article:
    [result] = adapter.parse((CASES / name).read_bytes(), SETTINGS)
    assert isinstance(result, Article), result
    return normalise(result, SETTINGS, NOW)


@pytest.mark.parametrize(
    ("adapter", "name", "embargoed", "usage", "notice"),
    [
        (
            NEWSML,
            "newsml_embargo_de.xml",
            utc(2026, 12, 6, 17, 0),
            "Nur zur redaktionellen Verwendung. Keine Archivierung.",  # the item's language
            "Copyright 2026 dpa Deutsche Presse-Agentur GmbH",
        ),
        (
            NEWSML,
            "newsml_embargo_en.xml",
            utc(2026, 12, 7, 0, 1),
            "No archive. No sales.",
            "Copyright 2026 AFP. All rights reserved.",
        ),
        (
            NINJS,
            "ninjs_embargo_en.json",
            utc(2026, 12, 6, 15, 0),
            "This content is intended for editorial use only.",
            "Copyright 2026 The Associated Press. All rights reserved.",
        ),
        (
            NINJS,
            "ninjs_embargo_fr.json",
            utc(2026, 12, 6, 19, 0),
            "Usage éditorial uniquement. Pas d'archivage.",
            "© 2026 AFP. Tous droits réservés.",
        ),
        (
            NITF,
            "nitf_embargo_de.xml",
            utc(2026, 12, 6, 16, 30),  # ed-msg "Sperrfrist 17.30 Uhr", Zurich time
            "Nur für Abonnenten; keine Weitergabe an Dritte",
            "© 2026 Keystone-SDA",
        ),
        (NITF, "nitf_withheld.xml", utc(2024, 3, 7, 6, 0), None, None),  # date.release
        (
            RSS,
            "rss_rights_de.xml",
            utc(2026, 12, 6, 17, 0),
            None,
            "Nur zur redaktionellen Verwendung",  # dc:rights
        ),
        (RSS, "rss_rights_fr.xml", utc(2026, 12, 7, 0, 1), None, "© 2026 AFP"),
        (
            IPTC7901,
            "iptc7901_embargo_de.txt",
            utc(2026, 12, 6, 17, 0),
            "Nur zur redaktionellen Verwendung",
            None,
        ),
        (
            IPTC7901,
            "iptc7901_embargo_fr.txt",
            utc(2026, 12, 6, 17, 0),
            "Utilisation éditoriale uniquement",
            None,
        ),
        (IPTC7901, "iptc7901_embargo_it.txt", utc(2026, 12, 6, 17, 0), None, None),
    ],
)
def test_rights_fields(
    adapter: Adapter, name: str, embargoed: datetime, usage: str | None, notice: str | None
) -> None:
    a = read(adapter, name)
    assert a.embargoed == embargoed
    assert a.pubstatus == "usable"  # usable from its embargo time, not withheld for ever
    assert a.usage_terms == usage
    assert a.copyright_notice == notice


def test_picture_rights_ninjs() -> None:
    a = read(NINJS, "ninjs_embargo_en.json")
    [img] = a.images
    assert img.usage_terms == "Not for sale in Sweden"
    assert img.copyright_notice == "Copyright 2026 AP Photo"


def test_picture_rights_rss_media_copyright_and_credit() -> None:
    a = read(RSS, "rss_rights_de.xml")
    [img] = a.images
    assert img.copyright_notice == "Keystone"
    assert img.credit == "KEYSTONE/Anthony Anex"


def test_picture_rights_newsml() -> None:
    # The story and (issue 14) its pictures as media records, each picture with its terms.
    story, picture, _ = NEWSML.parse((CASES / "newsml_package_fr.xml").read_bytes(), SETTINGS)
    assert isinstance(story, Article) and isinstance(picture, Article)
    assert story.images[0].usage_terms == "Usage éditorial uniquement."
    assert picture.type == "picture"
    assert picture.images[0].usage_terms == "Usage éditorial uniquement."


def test_7901_embargo_line_is_a_note_not_the_headline() -> None:
    raw = IPTC7901.parse((CASES / "iptc7901_embargo_de.txt").read_bytes(), SETTINGS)[0]
    assert isinstance(raw, Article)
    assert raw.headline == "Seco erwartet 2027 ein Wachstum von 1,4 Prozent"
    assert raw.ednote == "ACHTUNG: Sperrfrist 18.00 Uhr\nNur zur redaktionellen Verwendung"


def test_nitf_embargo_without_any_time_stays_withheld() -> None:
    doc = (CASES / "nitf_embargo_de.xml").read_bytes().replace(b"Sperrfrist 17.30 Uhr", b"Bitte")
    [raw] = NITF.parse(doc, SETTINGS)
    assert isinstance(raw, Article)
    assert raw.pubstatus == "withheld" and raw.embargoed is None


def test_moving_the_embargo_is_a_new_version() -> None:
    a = read(NINJS, "ninjs_embargo_fr.json")
    data = (CASES / "ninjs_embargo_fr.json").read_bytes().replace(b"20:00:00", b"22:00:00")
    [moved] = NINJS.parse(data, SETTINGS)
    assert isinstance(moved, Article)
    b = normalise(moved, SETTINGS, NOW)
    assert b.embargoed == utc(2026, 12, 6, 21, 0)
    assert a.content_hash != b.content_hash


def test_ninjs_3_rights_in_camel_case() -> None:
    """ninjs 3 spells them ``usageTerms``/``copyrightNotice`` (Swedish TT item)."""
    a = read(NINJS, "ninjs_3x_sv.json")
    assert a.usage_terms == "Får publiceras av TT:s kunder."
    assert a.copyright_notice == "© TT Nyhetsbyrån 2024"


def _ninjs3(**extra: object) -> bytes:
    item: dict[str, object] = {
        "$schema": "http://www.iptc.org/std/ninjs/ninjs-schema_3.0.json",
        "uri": "urn:example-wire:afp:2026:tx-par-rights",
        "type": "text",
        "versionCreated": "2026-12-06T09:00:00Z",
        "language": "fr",
        "headlines": [{"role": "main", "value": "La grève paralyse le trafic ferroviaire"}],
        "bodies": [{"value": "Paris (AFP) - La grève a paralysé lundi le trafic ferroviaire."}],
        "associations": [
            {
                "name": "photo1",
                "uri": "urn:example-wire:afp:2026:photo-gare",
                "type": "picture",
                "headline": "Gare de Lyon",
                "copyrightNotice": "© AFP 2026",
                "rightsInfo": {
                    "langId": "http://w3.org/ns/odrl/2/",
                    "linkedRights": "https://www.afp.com/droits/usage-editorial",
                },
                "renditions": [{"name": "main", "href": "https://img.example/gare.jpg"}],
            }
        ],
        **extra,
    }
    return json.dumps(item).encode()


def _parse_one(adapter: Adapter, data: bytes) -> Article:
    [result] = adapter.parse(data, SETTINGS)
    assert isinstance(result, Article), result
    return normalise(result, SETTINGS, NOW)


def test_ninjs_3_rights_info_linked_rights_are_the_usage_terms_when_none_are_stated() -> None:
    linked = {"langId": "http://w3.org/ns/odrl/2/", "linkedRights": "https://afp.example/cgu"}
    a = _parse_one(NINJS, _ninjs3(rightsInfo=linked))
    assert a.usage_terms == "https://afp.example/cgu"
    [img] = a.images
    assert (img.usage_terms, img.copyright_notice) == (
        "https://www.afp.com/droits/usage-editorial",
        "© AFP 2026",
    )
    stated = _parse_one(NINJS, _ninjs3(rightsInfo=linked, usageTerms="Usage éditorial seul."))
    assert stated.usage_terms == "Usage éditorial seul."
    # an encoded (ODRL) expression is for machines: no usage terms to show
    encoded = {"langId": "http://w3.org/ns/odrl/2/", "encodedRights": '{"policytype": "x"}'}
    assert _parse_one(NINJS, _ninjs3(rightsInfo=encoded)).usage_terms is None


@pytest.mark.parametrize("name", ["nitf_de.xml", "nitf_en.xml"])
def test_nitf_release_after_issue_is_an_embargo_without_the_embargoed_status(name: str) -> None:
    """NITF's date.release is when the document "is available to be released"; a usable
    document whose release is after its issue is embargoed until then."""
    doc = (CASES / name).read_bytes()
    same = _parse_one(NITF, doc)
    assert same.embargoed is None  # release == issue: usable on receipt
    issued = same.firstcreated
    assert issued is not None
    later = issued.replace(hour=issued.hour + 2)
    norm = later.strftime("%Y%m%dT%H%M%SZ").encode()
    start = doc.index(b"<date.release")
    end = doc.index(b"/>", start) + 2
    moved = doc[:start] + b'<date.release norm="' + norm + b'"/>' + doc[end:]
    a = _parse_one(NITF, moved)
    assert a.embargoed == later
    assert a.pubstatus == "usable"
    assert a.firstcreated == issued  # the issue date still says when it was written
    earlier = issued.replace(hour=issued.hour - 1).strftime("%Y%m%dT%H%M%SZ").encode()
    back = doc[:start] + b'<date.release norm="' + earlier + b'"/>' + doc[end:]
    assert _parse_one(NITF, back).embargoed is None
