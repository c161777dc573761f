"""A lead/update/correction under a new guid names the story it updates: every format's key
(NewsML-G2 irel:previousVersion and slugline, ninjs evolvedfrom and slugline, NITF du-key,
IPTC 7901 keyword line, ANPA keyword), in English, French and German fixtures."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from wire import adapters
from wire.adapters.base import FeedSettings
from wire.normalise.article import normalise
from wire.record import Article, Link

CASES = Path(__file__).parent / "cases"
SETTINGS = FeedSettings(feed="test", timezone="UTC")
NOW = datetime(2024, 12, 1, tzinfo=UTC)


def records(name: str) -> list[Article]:
    data = (CASES / name).read_bytes()
    adapter = adapters.sniff(data, name)
    assert adapter is not None
    parsed = adapter.parse(data, SETTINGS)
    articles = [r for r in parsed if isinstance(r, Article)]
    assert len(articles) == len(parsed)  # no rejects
    return [normalise(a, SETTINGS, NOW) for a in articles]


def test_newsml_previous_version_and_slugline_en() -> None:
    (a,) = records("newsml_update_en.xml")
    assert a.links == [
        Link("tag:example-wire.test,2024:newsml_L8N3F0123", "updates"),  # irel:previousVersion
        Link("story:switzerland-weather-zermatt", "story"),  # the slugline without "(UPDATE 1)"
    ]
    assert a.headline == "Snow cuts off Swiss resort of Zermatt, thousands of tourists stuck"
    assert a.signals == ["update:1"]  # from the slugline and the headline's "UPDATE 1-"
    assert a.source == "reuters"


def test_ninjs_evolvedfrom_and_slugline_fr() -> None:
    (a,) = records("ninjs_update_fr.json")
    assert a.links == [
        Link("urn:newsml:example-afp.test:20240305:AFP-FR-8790", "updates"),  # evolvedfrom
        Link("story:suisse-meteo-neige", "story"),  # accents folded, "(1er LEAD)" gone
    ]
    assert a.headline == "Zermatt coupée du monde par la neige, 13.000 touristes bloqués"
    assert a.signals == ["lead:1"]  # "1er LEAD" in the slugline, "1ER LEAD" in the headline
    assert a.ednote == "1ER LEAD"


def test_nitf_du_key_de() -> None:
    (a,) = records("nitf_update_de.xml")
    assert a.links == [Link("story:bundestag-haushalt", "story")]  # du-key/@key
    assert a.headline == "Bundestag beschliesst Haushalt 2025 nach langer Debatte"
    assert set(a.signals) == {"wrapup:1", "wrapup"}  # "(1. Zusammenfassung)", "ROUNDUP:"


def test_iptc7901_keyword_line_de() -> None:
    first, second = records("iptc7901_update_de.txt")
    key = Link("story:deutschland-bundestag-haushalt", "story")
    assert first.links == second.links == [key]  # one story, two takes
    assert first.guid != second.guid
    assert first.signals == []
    assert second.signals == ["wrapup:1"]  # "(1. Zusammenfassung)" on the keyword line


def test_anpa_keyword_across_midnight_fr() -> None:
    first, lead = records("anpa1312_lead_fr.txt")
    assert first.guid == "anpa1312:Neige-Montréal:2024-10-31"
    assert lead.guid == "anpa1312:Neige-Montréal:2024-11-01"  # a new filing date: a new guid
    assert first.links == lead.links == [Link("story:neige-montreal", "story")]
    assert lead.signals == ["urgent", "lead:1"]  # priority "u", version "1erLd"
    assert (first.urgency, lead.urgency) == (5, 3)
    assert first.source == lead.source == "cp"
