"""ninjs 1.x / 2.x and dpa-digitalwires: every mapped field, raw and normalised."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from wire import adapters
from wire.adapters.base import FeedSettings
from wire.adapters.ninjs import ADAPTER
from wire.errors import AdapterError
from wire.normalise.article import normalise
from wire.record import Article, Image, Rejected, Subject

CASES = Path(__file__).parent / "cases"
SETTINGS = FeedSettings(feed="test")
NOW = datetime(2024, 11, 1, 12, 0, tzinfo=UTC)


def _parse(name: str) -> list[Article | Rejected]:
    return ADAPTER.parse((CASES / name).read_bytes(), SETTINGS)


def _one(data: object) -> Article | Rejected:
    results = ADAPTER.parse(json.dumps(data).encode(), SETTINGS)
    assert len(results) == 1
    return results[0]


def _article(result: Article | Rejected) -> Article:
    assert isinstance(result, Article), result
    return result


def _norm(article: Article) -> Article:
    return normalise(article, FeedSettings(feed="test"), NOW)


# --- ninjs 1.x -------------------------------------------------------------------------


def test_1x_raw_fields() -> None:
    [result] = _parse("ninjs_1x_de.json")
    a = _article(result)
    assert a.guid == "urn:newsml:sda.ch:20240312:bsd-7f3a91c2"
    assert a.url is None
    assert (a.version, a.source_version) == (3, True)
    assert a.pubstatus == "usable"
    assert a.urgency == 3
    assert a.kicker == "Verkehr"
    assert a.headline == "Bundesrat will E-Trottinette auf Trottoirs verbieten"
    assert a.lead is not None and a.lead.startswith("Der Bundesrat will das Fahren")
    assert a.body_html is not None and a.body_html.startswith("<p>Der Bundesrat hat am Dienstag")
    assert a.body_text.split("\n\n")[2].startswith("Der Städteverband begrüsst")
    assert a.language == "de"
    assert a.dateline == "Bern"
    assert a.byline == "Von Lea Brunner, Keystone-SDA"
    assert a.firstcreated == datetime(2024, 3, 12, 7, 15, tzinfo=UTC)
    assert a.versioncreated == datetime(2024, 3, 12, 8, 40, tzinfo=UTC)
    assert a.subjects == [
        Subject("medtop:20000587", "Verkehrssicherheit"),
        Subject("subj:11000000", "Politik"),
        Subject("sdaressort:VER", "Verkehr"),
        Subject(None, "Albert Rösti"),
        Subject(None, "Schweizerischer Städteverband"),
        Subject("iso3166-1a2:CH", "Schweiz"),
    ]
    # Originating info source first, the contributing one after; repeats dropped.
    assert a.credit_strings == ["Keystone-SDA", "dpa"]
    assert a.images == [
        Image(
            href="https://images.example-wire.test/552871034/base.jpg",
            alt="E-Trottinette am Bahnhofplatz in Bern",
            caption=(
                "Abgestellte E-Trottinette am Bahnhofplatz in Bern. Der Bundesrat will sie "
                "von den Trottoirs verbannen. (Archivbild)"
            ),
            credit="KEYSTONE/Peter Schneider",
            creator="Peter Schneider",
            copyright_holder="Keystone",
            copyright_notice="KEYSTONE/Peter Schneider",
        )
    ]


def test_1x_normalised() -> None:
    a = _norm(_article(_parse("ninjs_1x_de.json")[0]))
    assert a.feed == "test"
    assert a.agencies == ["keystone-sda", "dpa"]
    assert a.source == "keystone-sda"
    assert a.id and a.content_hash
    assert a.language == "de"
    assert a.dateline == "Bern"
    assert a.body_text.startswith("Der Bundesrat hat am Dienstag eine Änderung")
    assert a.body_html is not None and "<p>" in a.body_html
    assert a.ingested_at == NOW
    [img] = a.images
    assert img.caption is not None and img.caption.endswith("(Archivbild)")
    assert img.credit == "KEYSTONE/Peter Schneider"
    assert img.creator == "Peter Schneider"
    assert img.agencies == ["keystone-sda"]
    assert img.copyright_holder == "Keystone"


# --- ninjs 2.x -------------------------------------------------------------------------


def test_2x_raw_fields() -> None:
    [result] = _parse("ninjs_2x_en.json")
    a = _article(result)
    assert a.guid == "https://newsroom.example-wire.test/ninjs/2024/10/rotterdam-storm-barrier-4411"
    assert (a.version, a.source_version) == (2, True)
    assert a.pubstatus == "usable"
    assert a.urgency == 4
    assert a.headline == "Rotterdam closes its storm barrier for the first time in six years"
    assert a.kicker == "Climate"
    assert a.lead == (
        "Dutch authorities closed the Maeslant barrier on Tuesday as a North Sea storm "
        "pushed water into the port of Rotterdam."
    )
    assert a.body_html is not None and a.body_html.startswith("<p>The two giant arms")
    assert a.body_text.count("\n\n") == 2
    assert a.byline == "By Jane Holloway"
    assert a.dateline == "ROTTERDAM"
    assert a.language == "en"
    assert a.firstcreated == datetime(2024, 10, 8, 6, 2, tzinfo=UTC)
    assert a.versioncreated == datetime(2024, 10, 8, 7, 45, 30, tzinfo=UTC)
    assert a.subjects == [
        Subject("medtop:20000420", "flood"),
        Subject("ENV", "Environment"),
        Subject("https://vocab.example-wire.test/topics/ports", "Ports"),
        Subject("https://vocab.example-wire.test/org/rijkswaterstaat", "Rijkswaterstaat"),
        Subject("NL-ZH", "Rotterdam"),
    ]
    # The originating info source (role originfo) goes before the distributor.
    assert a.credit_strings == ["Reuters", "Thomson Reuters", "AFP"]
    # Only the picture association is an image; the related text is not.
    assert a.images == [
        Image(
            href="https://pix.example-wire.test/rtr-883201/original.jpg",
            alt="Maeslant storm barrier closed",
            caption=(
                "The Maeslant storm surge barrier closes the Nieuwe Waterweg near Rotterdam, "
                "Netherlands, October 7, 2024. REUTERS/Piroschka van de Wouw"
            ),
            copyright_holder="Thomson Reuters",
        )
    ]


def test_2x_normalised_splits_the_caption_credit() -> None:
    a = _norm(_article(_parse("ninjs_2x_en.json")[0]))
    assert a.agencies == ["reuters", "afp"]
    assert a.source == "reuters"
    [img] = a.images
    assert img.caption == (
        "The Maeslant storm surge barrier closes the Nieuwe Waterweg near Rotterdam, "
        "Netherlands, October 7, 2024."
    )
    assert img.credit == "REUTERS/Piroschka van de Wouw"
    assert img.creator == "Piroschka van de Wouw"
    assert img.agencies == ["reuters"]
    assert img.copyright_holder == "Thomson Reuters"


# --- dpa-digitalwires ------------------------------------------------------------------


def test_digitalwires_batch() -> None:
    first, second, canceled = (_article(r) for r in _parse("ninjs_digitalwires_de.json"))
    assert first.guid == second.guid == "urn:newsml:dpa.com:20090101:241015-930-101"
    assert [(a.version, a.source_version) for a in (first, second, canceled)] == [
        (1, True),
        (2, True),
        (3, True),
    ]
    assert second.versioncreated == datetime(2024, 10, 15, 9, 30, 5, tzinfo=UTC)
    assert (
        second.headline == "Hamburger Hafen schlägt weniger Container um - Reedereien weichen aus"
    )
    assert second.kicker == "Hafen"
    assert second.lead is not None and second.lead.endswith(
        "Reedereien steuern häufiger Rotterdam an."
    )
    assert second.byline == "Von Jonas Keller, dpa"
    assert second.dateline == "Hamburg"
    assert second.language == "de"
    assert second.urgency == 3
    # The dateline span is cut from the body: it lives in `dateline`.
    assert second.body_html is not None
    assert "dateline" not in second.body_html and "(dpa)" not in second.body_html
    assert second.body_html.startswith('<section class="main"><p>Im Hamburger Hafen sind')
    assert second.subjects == [
        Subject("dpasubject:620", "Schifffahrt"),
        Subject("medtop:20000344", "Konjunktur"),
        Subject("dpaarea:2", "Hamburg"),
        Subject(None, "Hafen"),
    ]
    assert second.credit_strings == ["dpa"]
    assert second.images == [
        Image(
            href="https://img.example-dw.test/241015-99-555012-v1-s2048.jpeg",
            alt="Containerterminal Burchardkai",
            caption="Containerschiffe liegen am Terminal Burchardkai im Hamburger Hafen.",
            credit="Marcus Brandt/dpa",
        )
    ]
    assert canceled.pubstatus == "canceled"
    assert canceled.guid == "urn:newsml:dpa.com:20090101:241015-930-202"
    assert canceled.body_text == "" and canceled.body_html is None
    assert canceled.dateline == "Bremerhaven"
    assert canceled.urgency == 2
    # The content source (AFP) originates; dpa only distributes.
    assert canceled.credit_strings == ["AFP", "dpa"]


def test_digitalwires_normalised() -> None:
    _first, second, canceled = (_norm(_article(r)) for r in _parse("ninjs_digitalwires_de.json"))
    assert second.body_text.split("\n\n") == [
        "Im Hamburger Hafen sind im dritten Quartal weniger Container umgeschlagen worden als "
        "ein Jahr zuvor. Der Umschlag sank um 4,1 Prozent auf rund 1,9 Millionen "
        "Standardcontainer.",
        "Die Hafen-Marketinggesellschaft nannte die schwache Nachfrage aus Asien als "
        "Hauptgrund. Zudem wichen mehrere Reedereien nach Rotterdam und Antwerpen aus.",
        "Hoffnung auf Elbvertiefung",
        "Der Hafenbetreiber HHLA setzt darauf, dass größere Schiffe nach der Elbvertiefung "
        "wieder häufiger anlegen.",
    ]
    assert (second.agencies, second.source) == (["dpa"], "dpa")
    [img] = second.images
    assert (img.caption, img.credit, img.creator) == (
        "Containerschiffe liegen am Terminal Burchardkai im Hamburger Hafen.",
        "Marcus Brandt/dpa",
        "Marcus Brandt",
    )
    assert img.agencies == ["dpa"]
    assert img.copyright_holder == "dpa"
    assert (canceled.agencies, canceled.source, canceled.pubstatus) == (
        ["afp", "dpa"],
        "afp",
        "canceled",
    )
    assert canceled.firstcreated == canceled.versioncreated


def test_digitalwires_dateline_span_without_dateline_field() -> None:
    html = (
        '<p><span class="dateline">Zürich <span class="credit">(dpa)</span> - </span>'
        "Der Text beginnt hier.</p>"
    )
    a = _article(_one({"urn": "urn:x:1", "headline": "Titel", "article_html": html}))
    assert a.dateline == "Zürich"
    assert a.credit_strings == ["dpa"]
    assert a.body_html == "<p>Der Text beginnt hier.</p>"


# --- rejects and payload shapes ---------------------------------------------------------


def test_bad_types_rejected_good_item_kept() -> None:
    results = _parse("ninjs_bad_types.json")
    assert [type(r).__name__ for r in results] == [
        "Article",
        "Rejected",
        "Rejected",
        "Rejected",
        "Rejected",
    ]
    good = _article(results[0])
    assert good.headline == "Le Conseil fédéral présente son budget 2025"
    assert good.language == "fr"
    assert _norm(good).agencies == ["keystone-sda"]
    rejects = [r for r in results if isinstance(r, Rejected)]
    assert [r.reason for r in rejects] == [
        "item 1: 'headline' must be a string, not a number",
        "item 2: 'associations' must be an object or an array, not a string",
        "item 3: 'version' must be a whole number, not 'abc'",
        "item 4 is a string, not a ninjs object",
    ]
    assert [r.guid for r in rejects] == [
        "urn:newsml:example-wire.test:20240520:bad-headline",
        "urn:newsml:example-wire.test:20240520:bad-associations",
        "urn:newsml:example-wire.test:20240520:bad-version",
        None,
    ]
    # The raw bytes are that item's JSON, not the whole payload.
    assert json.loads(rejects[0].raw) == {
        "uri": "urn:newsml:example-wire.test:20240520:bad-headline",
        "headline": 42,
        "body_text": "Ce texte a un titre numérique.",
    }
    assert json.loads(rejects[3].raw) == "not an object"


@pytest.mark.parametrize(
    ("item", "reason"),
    [
        ({"headline": "Ohne Kennung"}, "has no identifier"),
        ({"uri": "u", "headline": "x", "pubstatus": "deleted"}, "unknown pubstatus 'deleted'"),
        ({"uri": "u", "headline": "x", "versioncreated": "gestern"}, "not a date: 'gestern'"),
        ({"uri": "u", "headline": "x", "versioncreated": 1700000000}, "must be a string"),
        ({"uri": "u", "headline": "x", "urgency": "hoch"}, "'urgency' must be a whole number"),
        ({"uri": "u", "headline": "x", "subject": "Politik"}, "'subject' must be an array"),
        ({"uri": "u", "headline": "x", "subject": [7]}, "subject[0] must be an object"),
        ({"uri": "u", "headlines": [{"value": 5}]}, "'value' must be a string"),
        ({"uri": "u", "headline": "x", "associations": {"a": "b"}}, "association 'a' must be"),
        (
            {
                "uri": "u",
                "headline": "x",
                "associations": {"p": {"type": "picture", "renditions": 3}},
            },
            "'renditions' must be an array",
        ),
        ({"uri": "u", "type": "video", "headline": "Clip"}, "video item is not an article"),
        ({"uri": "u", "type": "picture"}, "picture item has neither a headline, a caption"),
        ({"uri": "u", "version": "-1", "headline": "x"}, "'version' must be a whole number"),
        ({"uri": "u"}, "neither a headline nor a body"),
    ],
)
def test_item_rejects(item: dict[str, object], reason: str) -> None:
    result = _one(item)
    assert isinstance(result, Rejected)
    assert reason in result.reason
    assert json.loads(result.raw) == item


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("usable", "usable"),
        ("withheld", "withheld"),
        ("canceled", "canceled"),
        ("cancelled", "canceled"),
        ("Canceled", "canceled"),
        ("stat:canceled", "canceled"),
        (None, "usable"),
    ],
)
def test_pubstatus_spellings(raw: str | None, expected: str) -> None:
    a = _article(_one({"uri": "u", "headline": "x", "pubstatus": raw}))
    assert a.pubstatus == expected


def test_version_absent_is_ours_and_numeric_strings_count() -> None:
    assert (_article(_one({"uri": "u", "headline": "x"})).version, False) == (1, False)
    assert _article(_one({"uri": "u", "headline": "x"})).source_version is False
    a = _article(_one({"uri": "u", "headline": "x", "version": "7", "urgency": "2"}))
    assert (a.version, a.source_version, a.urgency) == (7, True, 2)


def test_wrappers_and_arrays() -> None:
    item = {"uri": "u1", "headline": "Eins"}
    for payload in (item, [item], {"entries": [item]}, {"items": [item]}):
        [a] = ADAPTER.parse(json.dumps(payload).encode(), SETTINGS)
        assert _article(a).headline == "Eins"
    assert ADAPTER.parse(b"[]", SETTINGS) == []
    assert ADAPTER.parse(b'{"entries": []}', SETTINGS) == []


def test_html_only_description_becomes_the_lead() -> None:
    a = _article(
        _one({"uri": "u", "headline": "x", "description_html": "<p>Kurz <b>und</b> gut.</p>"})
    )
    assert a.lead == "Kurz und gut."


def test_utf8_bom_accepted() -> None:
    [a] = ADAPTER.parse(
        b"\xef\xbb\xbf" + json.dumps({"uri": "u", "headline": "x"}).encode(), SETTINGS
    )
    assert _article(a).headline == "x"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<rss><channel/></rss>", "not valid JSON"),
        (b'{"uri": "u", "headline": ', "not valid JSON"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b"42", "a number in JSON"),
        (b'"text"', "a string in JSON"),
    ],
)
def test_unreadable_payload_raises(data: bytes, message: str) -> None:
    with pytest.raises(AdapterError, match=message):
        ADAPTER.parse(data, SETTINGS)


def test_oversized_payload_raises() -> None:
    with pytest.raises(AdapterError, match="over the 10 limit"):
        ADAPTER.parse(b'{"uri": "u", "headline": "x"}', FeedSettings(max_bytes=10))


# --- sniffing -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["ninjs_1x_de.json", "ninjs_2x_en.json", "ninjs_digitalwires_de.json"]
)
def test_sniff_fixtures(name: str) -> None:
    data = (CASES / name).read_bytes()
    assert ADAPTER.sniff(data, name) >= 0.9
    assert adapters.sniff(data, name) is ADAPTER


def test_sniff_rejects_other_payloads() -> None:
    assert ADAPTER.sniff(b"<?xml version='1.0'?><rss/>") == 0.0
    assert ADAPTER.sniff(b"\x01bdt0001 3 pl 12\x02Titel\x03") == 0.0
    assert ADAPTER.sniff(b'{"version": "https://jsonfeed.org/version/1.1", "items": []}') < 0.2
    assert ADAPTER.sniff(b"") == 0.0


def test_registry_name() -> None:
    assert adapters.get("ninjs") is ADAPTER
    assert ADAPTER.name == "ninjs"


def test_located_with_a_non_agency_parenthesis_stays_whole() -> None:
    a = _article(_one({"uri": "u", "headline": "x", "located": "Paris (France)"}))
    assert (a.dateline, a.credit_strings) == ("Paris (France)", [])
    b = _article(_one({"uri": "u", "headline": "x", "dateline": "Genf (sda/afp) - "}))
    assert (b.dateline, b.credit_strings) == ("Genf", ["sda/afp"])


# --- ninjs 3.x (camelCase keys) -------------------------------------------------------


@pytest.mark.parametrize(
    ("item", "major"),
    [
        ({"uri": "a", "versionCreated": "2024-01-01T00:00:00Z"}, 3),
        ({"uri": "a", "$schema": "http://www.iptc.org/std/ninjs/ninjs-schema_3.0.json"}, 3),
        ({"uri": "a", "standard": {"name": "ninjs", "version": "2.1"}}, 2),
        ({"uri": "a", "headlines": [{"value": "x"}], "versioncreated": "2024"}, 2),
        ({"uri": "a", "headline": "x", "versioncreated": "2024"}, 1),
    ],
)
def test_ninjs_major_version(item: dict[str, object], major: int) -> None:
    from wire.adapters.ninjs import ninjs_major

    assert ninjs_major(item) == major


def test_3x_raw_fields_swedish() -> None:
    [result] = _parse("ninjs_3x_sv.json")
    a = _article(result)
    assert a.guid == "http://tt.se/media/text/2024-11-04-tt-4c1d7e20"
    assert (a.version, a.source_version) == (3, True)
    assert a.pubstatus == "usable"
    assert a.urgency == 3
    assert a.kicker == "Väder"
    assert a.headline == "UPPDATERAD: Snöovädret slår ut tågtrafiken i Norrland"
    assert a.lead == "Kraftigt snöfall har stoppat tågtrafiken mellan Umeå och Luleå."
    assert a.body_html is not None and a.body_html.startswith("<p>Trafikverket stängde")
    assert a.language == "sv"
    assert a.dateline == "Umeå"
    assert a.byline == "Anna Lindqvist/TT"
    assert a.ednote == "Uppdaterad med citat från SMHI."
    assert a.firstcreated == datetime(2024, 11, 4, 5, 10, tzinfo=UTC)
    assert a.versioncreated == datetime(2024, 11, 4, 7, 42, 15, tzinfo=UTC)
    assert [(s.code, s.name) for s in a.subjects] == [
        ("medtop:20000446", "transporthändelse"),
        ("medtop:17000000", "väder"),
        (None, "Umeå"),
    ]
    assert "TT" in a.credit_strings and "TT Nyhetsbyrån" in a.credit_strings
    [image] = a.images
    assert image.href == "https://pix.example-wire.test/tt/sdl4Xc6VqG8/hires.jpg"
    assert image.caption is not None and image.caption.startswith("Snöröjning på E4")
    assert image.copyright_holder == "TT Nyhetsbyrån"


def test_3x_normalised_swedish() -> None:
    [result] = _parse("ninjs_3x_sv.json")
    a = _norm(_article(result))
    assert a.source == "tt"
    assert a.agencies == ["tt"]
    assert a.headline == "Snöovädret slår ut tågtrafiken i Norrland"
    assert a.signals == ["update"]
    assert a.ednote == "UPPDATERAD; Uppdaterad med citat från SMHI."
    assert a.body_text.split("\n\n")[1].startswith("– Vi räknar med")
    [image] = a.images
    assert image.caption == "Snöröjning på E4 utanför Umeå på måndagen."
    assert image.credit == "Erik Abel/TT"
    assert image.creator == "Erik Abel"
    assert image.agencies == ["tt"]


def test_3x_english_producer_desk_and_status() -> None:
    robot, sport = (_norm(_article(r)) for r in _parse("ninjs_3x_en.json"))
    assert robot.agencies == ["ap"]
    assert robot.source == "ap"
    assert robot.producers == ["automated-insights"]
    assert robot.versioncreated == datetime(2024, 10, 24, 20, 5, tzinfo=UTC)
    assert robot.urgency == 5
    assert sport.source == "pa"
    assert sport.headline == "Arsenal held at home by Liverpool"
    assert sport.signals == ["lead:1"]
    assert sport.ednote == "1ST LEAD"
    assert sport.firstcreated == datetime(2024, 10, 24, 20, 0, tzinfo=UTC)
    assert sport.language == "en-GB"


def test_3x_sniffed_as_ninjs() -> None:
    for name in ("ninjs_3x_sv.json", "ninjs_3x_en.json"):
        adapter = adapters.sniff((CASES / name).read_bytes(), name)
        assert adapter is not None and adapter.name == "ninjs"


# --- pictures and graphics as media records -------------------------------------------


def test_picture_only_item_is_a_media_record() -> None:
    [result] = _parse("ninjs_picture_3x_en.json")
    a = _article(result)
    assert a.type == "picture"
    assert a.guid == "http://ninjs.example.com/newsitems/20130709simpPh123"
    assert a.headline == "Costa Concordia cruise ship"
    assert a.body_text == (
        "The Costa Concordia cruise ship lies on its side in the waters of the Tuscan island "
        "of Giglio, Italy, Monday, July 8, 2013."
    )
    assert a.lead is None  # the caption is the body, not also the lead
    assert a.firstcreated == datetime(2013, 7, 8, 7, 30, tzinfo=UTC)  # contentCreated
    assert [(r.name, r.href, r.contenttype, r.width, r.height) for r in a.renditions] == [
        ("main", "http://hosted.ap.org/photos/2/2643c588-big.jpg", "image/jpeg", 429, 281),
        ("small", "http://hosted.ap.org/photos/2/2643c588-small.jpg", "image/jpeg", 179, 117),
    ]
    n = _norm(a)
    [image] = n.images
    assert image.href == "http://hosted.ap.org/photos/2/2643c588-big.jpg"
    assert image.credit == "AP Photo/Paulo Santalucia"
    assert image.creator == "Paulo Santalucia"
    assert image.copyright_holder == "The Associated Press"
    assert image.agencies == ["ap"]
    assert n.source == "ap"


def test_graphic_item_is_a_media_record() -> None:
    a = _norm(_article(_parse("ninjs_graphic_2x_de.json")[0]))
    assert a.type == "graphic"
    assert a.headline == "Grafik: Inflation in Deutschland"
    assert a.body_text.startswith("Die Inflationsrate in Deutschland")
    assert "dpa-infografik" not in a.body_text
    assert a.images[0].credit == "dpa-infografik"
    assert a.images[0].agencies == ["dpa"]
    assert a.renditions[0].contenttype == "image/png"
    assert a.source == "dpa"
    assert a.version == 2


def test_story_associations_become_links() -> None:
    [result] = _parse("ninjs_2x_en.json")
    a = _article(result)
    assert [(x.guid, x.rel) for x in a.links] == [
        ("https://newsroom.example-wire.test/ninjs/pictures/2024/10/rtr-883201", "picture"),
        ("https://newsroom.example-wire.test/ninjs/2024/10/dutch-dikes-explainer-4398", "text"),
    ]


def test_lone_surrogate_escapes_reach_a_storable_record() -> None:
    """A ``"\\ud800"`` escape decodes to a lone surrogate, which no UTF-8 encoder takes (the
    html adapter's JSON-LD once crashed on one): ninjs keeps the item, and normalisation reads
    every such code point, in the body, headline, byline, subjects and pictures, as U+FFFD."""
    doc = (
        b'{"uri": "urn:dpa:\\ud800", "type": "text", "headline": "Klima \\udfff",'
        b' "byline": "Von A\\ud800, dpa", "slugline": "\\ud800slug",'
        b' "body_text": "Cl\\ud800imate: der Bundesrat beschliesst neue Ziele in Bern.",'
        b' "subject": [{"name": "\\ud800"}],'
        b' "associations": {"featureimage": {"type": "picture", "uri": "\\udc00",'
        b' "description_text": "Bild \\ud800 - dpa",'
        b' "renditions": {"original": {"href": "http://x/\\ud800.jpg"}}}}}'
    )
    (result,) = ADAPTER.parse(doc, SETTINGS)
    article = _norm(_article(result))
    assert article.headline == "Klima \ufffd"
    assert article.body_text is not None and "Cl\ufffdimate" in article.body_text
    json.dumps(article.to_dict(), ensure_ascii=False).encode("utf-8")  # encodable throughout
