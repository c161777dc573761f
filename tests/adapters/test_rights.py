"""Embargo, usage terms and copyright notices, read by every format that carries them."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from wire.adapters.base import FeedSettings
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


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def read(adapter: object, name: str) -> Article:
    [result] = adapter.parse((CASES / name).read_bytes(), SETTINGS)  # type: ignore[attr-defined]
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
    adapter: object, name: str, embargoed: datetime, usage: str | None, notice: str | None
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
    [story] = [r for r in NEWSML.parse((CASES / "newsml_package_fr.xml").read_bytes(), SETTINGS)]
    assert isinstance(story, Article)
    assert story.images[0].usage_terms == "Usage éditorial uniquement."


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
