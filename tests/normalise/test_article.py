"""normalise() end to end on a hand-built raw record, as an adapter would leave it."""

from __future__ import annotations

from datetime import UTC, datetime

from wire.adapters.base import FeedSettings
from wire.normalise.article import normalise
from wire.record import Article, Image, Subject, compute_content_hash, make_id

NOW = datetime(2020, 9, 14, 13, 0, tzinfo=UTC)
CAPTION = (
    "Wladimir Putin (l), Präsident von Russland, und Alexander Lukaschenko, "
    "Präsident von Weissrussland."
)


def raw_article(**overrides: object) -> Article:
    fields: dict[str, object] = {
        "guid": " sda-2020-09-14-putin ",
        "kicker": " Russland&nbsp;/ Weissrussland ",
        "headline": "Putin sichert Lukaschenko\u00a0Unterstützung zu",
        "lead": "Der russische Präsident hat seinem weissrussischen Amtskollegen in Sotschi "
        "einen Kredit über 1,5 Milliarden Dollar zugesagt.",
        "body_text": "Wladimir Putin empfing Alexander Lukaschenko am Montag in Sotschi.\n\n"
        "Die beiden  sprachen\u00ad über die Proteste in Minsk.\n\n\n\n  ",
        "dateline": "Sotschi -",
        "subjects": [Subject("medtop:11000000", "Politik")],
        "firstcreated": datetime(2020, 9, 14, 14, 5),  # naive: Europe/Zurich, summer time
        "versioncreated": datetime(2020, 9, 14, 15, 30),
        "images": [
            Image(href="https://img.example/putin.jpg", caption=f"{CAPTION} - dpa"),
            Image(href="https://img.example/minsk.jpg", caption="Minsk. (KEYSTONE/EPA/John Doe)"),
        ],
        "credit_strings": ["Keystone-SDA"],
    }
    fields.update(overrides)
    return Article(**fields)  # type: ignore[arg-type]


def test_normalise_cleans_and_resolves() -> None:
    a = normalise(raw_article(), FeedSettings(feed="sda-de"), NOW)
    assert a.guid == "sda-2020-09-14-putin"
    assert a.feed == "sda-de"
    assert a.kicker == "Russland / Weissrussland"
    assert a.headline == "Putin sichert Lukaschenko Unterstützung zu"
    assert a.body_text == (
        "Wladimir Putin empfing Alexander Lukaschenko am Montag in Sotschi.\n\n"
        "Die beiden sprachen über die Proteste in Minsk."
    )
    assert a.dateline == "Sotschi"
    assert a.source == "keystone-sda"
    assert a.agencies == ["keystone-sda"]
    assert a.language == "de"
    assert a.ingested_at == NOW


def test_normalise_images() -> None:
    a = normalise(raw_article(), FeedSettings(feed="sda-de"), NOW)
    putin, minsk = a.images
    assert putin.caption == CAPTION
    assert putin.credit == "dpa"
    assert putin.agencies == ["dpa"]
    assert minsk.caption == "Minsk."
    assert minsk.credit == "KEYSTONE/EPA/John Doe"
    assert minsk.creator == "John Doe"
    assert minsk.agencies == ["keystone-sda", "epa"]
    assert minsk.copyright_holder == "Keystone-SDA"


def test_normalise_dates_to_utc() -> None:
    a = normalise(raw_article(), FeedSettings(feed="sda-de"), NOW)
    assert a.firstcreated == datetime(2020, 9, 14, 12, 5, tzinfo=UTC)
    assert a.versioncreated == datetime(2020, 9, 14, 13, 30, tzinfo=UTC)
    winter = normalise(
        raw_article(firstcreated=datetime(2020, 1, 14, 14, 5), versioncreated=None),
        FeedSettings(feed="sda-de"),
        NOW,
    )
    assert winter.firstcreated == datetime(2020, 1, 14, 13, 5, tzinfo=UTC)
    assert winter.versioncreated == winter.firstcreated


def test_normalise_compound_credit_and_default_source() -> None:
    a = normalise(raw_article(credit_strings=["sda/dpa"]), FeedSettings(feed="x"), NOW)
    assert a.agencies == ["keystone-sda", "dpa"]
    assert a.source == "keystone-sda"
    b = normalise(raw_article(credit_strings=[]), FeedSettings(feed="x", source="AFP"), NOW)
    assert b.agencies == ["afp"]
    assert b.source == "afp"


def test_normalise_language_from_settings_wins_over_detection() -> None:
    a = normalise(raw_article(), FeedSettings(feed="x", language="fr"), NOW)
    assert a.language == "fr"


def test_normalise_body_html() -> None:
    html = '<p onclick="x()">Erster Absatz.</p><script>evil()</script><p>Zweiter&nbsp;Absatz.</p>'
    a = normalise(raw_article(body_text="", body_html=html), FeedSettings(feed="x"), NOW)
    assert a.body_html is not None
    assert "script" not in a.body_html
    assert "onclick" not in a.body_html
    assert a.body_text == "Erster Absatz.\n\nZweiter Absatz."


def test_normalise_id_and_hash() -> None:
    a = normalise(raw_article(), FeedSettings(feed="sda-de", source="sda"), NOW)
    assert a.id == make_id("sda", "sda-2020-09-14-putin")
    assert a.content_hash == compute_content_hash(a)
    again = normalise(raw_article(), FeedSettings(feed="sda-de", source="sda"), NOW)
    assert again.content_hash == a.content_hash


def test_normalise_does_not_mutate_input() -> None:
    raw = raw_article()
    normalise(raw, FeedSettings(feed="x"), NOW)
    assert raw.guid == " sda-2020-09-14-putin "
    assert raw.images[0].caption == f"{CAPTION} - dpa"


def test_status_words_go_to_signals_ednote_and_urgency() -> None:
    settings = FeedSettings(feed="rtr", source="reuters", timezone="UTC")
    raw = raw_article(
        headline="REFILE-UPDATE 2-Putin pledges loan (Eds: adds Kremlin quote)",
        ednote="Corrects spelling of Sochi in paragraph 2",
        urgency=4,
        credit_strings=["Reuters"],
    )
    a = normalise(raw, settings, NOW)
    assert a.headline == "Putin pledges loan"
    assert a.signals == ["refile", "update:2"]
    assert a.ednote == (
        "REFILE; UPDATE 2; Eds: adds Kremlin quote; Corrects spelling of Sochi in paragraph 2"
    )
    assert a.urgency == 4  # no word about urgency: the item's own stays
    eil = normalise(
        raw_article(headline="EIL: Putin empfängt Lukaschenko", urgency=3), settings, NOW
    )
    assert (eil.headline, eil.signals, eil.urgency) == (
        "Putin empfängt Lukaschenko",
        ["urgent"],
        2,
    )
    flash = normalise(raw_article(headline="FLASH: Putin stirbt", urgency=None), settings, NOW)
    assert flash.urgency == 1
    assert flash.content_hash == compute_content_hash(flash)


def test_attribution_kinds_in_the_record() -> None:
    settings = FeedSettings(feed="ap", timezone="UTC")
    a = normalise(
        raw_article(credit_strings=["Automated Insights", "AP Business", "Lokalagentur Muster"]),
        settings,
        NOW,
    )
    assert a.agencies == ["ap", "x-lokalagentur-muster"]
    assert a.source == "ap"
    assert a.producers == ["automated-insights"]
    assert a.unresolved_agencies == {"x-lokalagentur-muster": "Lokalagentur Muster"}
    by_url = normalise(
        raw_article(credit_strings=[], url="https://www.ansa.it/sito/notizie/x.html"),
        settings,
        NOW,
    )
    assert by_url.agencies == ["ansa"]
    unknown_only = normalise(raw_article(credit_strings=["Agência Pública"]), settings, NOW)
    assert unknown_only.source == "x-agencia-publica"
    assert unknown_only.unresolved_agencies == {"x-agencia-publica": "Agência Pública"}
