"""NITF 3.x adapter: every mapped field, raw and normalised, plus broken and hostile input."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.adapters.helpers import one_article, utc
from wire import adapters
from wire.adapters.base import FeedSettings
from wire.adapters.newsml import ADAPTER as NEWSML
from wire.adapters.nitf import ADAPTER, repair_encoding
from wire.errors import AdapterError
from wire.normalise.article import normalise
from wire.record import Article, Image, Rejected, Subject

CASES = Path(__file__).parent / "cases"
SETTINGS = FeedSettings(feed="test")
NOW = datetime(2024, 3, 10, 12, 0, tzinfo=UTC)


def load(name: str) -> bytes:
    return (CASES / name).read_bytes()


def parse(data: bytes, settings: FeedSettings = SETTINGS) -> Article:
    return one_article(ADAPTER, data, settings)


def final(article: Article) -> Article:
    return normalise(article, SETTINGS, NOW)


# --- sniffing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["nitf_de.xml", "nitf_en.xml", "nitf_latin1.xml", "nitf_withheld.xml"]
)
def test_sniff_claims_nitf_and_newsml_does_not(name: str) -> None:
    data = load(name)
    assert ADAPTER.sniff(data, name) == 1.0
    assert NEWSML.sniff(data, name) == 0.0


def test_sniff_ignores_nitf_inside_newsml_and_other_bytes() -> None:
    assert ADAPTER.sniff(load("newsml_story_v1.xml")) == 0.0  # NITF only inline there
    assert ADAPTER.sniff(b"<rss version='2.0'><channel/></rss>") == 0.0
    assert ADAPTER.sniff(b"") == 0.0
    assert ADAPTER.sniff("<nitf/>".encode("utf-16")) == 1.0  # with its BOM


def test_registry_returns_this_adapter() -> None:
    assert adapters.get("nitf") is ADAPTER
    assert ADAPTER.name == "nitf"


# --- German, Keystone-SDA with a dpa picture ----------------------------------------------------


def test_german_story_raw_fields() -> None:
    a = parse(load("nitf_de.xml"))
    assert a.guid == "sda-20240304-bsd-0213"  # doc-id/@id-string
    assert (a.version, a.source_version) == (2, True)  # du-key/@version
    assert a.pubstatus == "usable"
    assert a.urgency == 3
    assert a.firstcreated == a.versioncreated == utc(2024, 3, 4, 6, 15)  # date.issue/@norm
    assert a.headline == "Axpo investiert 300 Millionen Franken in Umspannwerke"
    assert a.kicker is None
    # The abstract is the lead; hl2 (a sub-headline) only stands in when there is none.
    assert a.lead == (
        "Der Energiekonzern Axpo baut bis 2030 zwölf Umspannwerke in der Nordostschweiz aus. "
        "Damit soll das Verteilnetz mehr Strom aus Solaranlagen aufnehmen können."
    )
    assert a.byline == "Von Max Muster, Keystone-SDA"
    assert a.dateline == "Baden AG"  # the date and the agency are not the place
    assert a.language == "de"  # nitf/@baselang "de-CH"
    assert a.subjects == [
        Subject("subj:04000000", "Wirtschaft, Unternehmen und Finanzen"),
        Subject("subj:04005000", "Energie und Rohstoffe"),  # the most specific name
    ]
    # Tagline (in its own order) first, then the rights holder, then the distributor.
    assert a.credit_strings == ["sda/dpa", "Keystone-SDA", "Keystone-SDA"]
    assert a.body_text.split("\n\n") == [
        "Die Investitionen von rund 300 Millionen Franken verteilen sich auf die Kantone "
        "Aargau, Zürich und Thurgau, wie Axpo am Montag mitteilte. Die ersten Arbeiten "
        "beginnen im Sommer in Beznau.",
        "Mehr Rücklieferungen an sonnigen Tagen",
        "An sonnigen Tagen speisen Hausbesitzer mit Photovoltaikanlagen heute schon mehr "
        "Strom ins Netz ein, als lokal verbraucht wird. Die bestehenden Transformatoren seien "
        "dafür nicht ausgelegt, schrieb das Unternehmen.",
        "In Deutschland hätten Netzbetreiber ähnliche Programme bereits 2022 gestartet, sagte "
        "ein Sprecher. Man habe sich an deren Erfahrungen orientiert.",
        "Aargau: fünf Umspannwerke",
        "Zürich: vier Umspannwerke",
        "Thurgau: drei Umspannwerke",
    ]
    html = a.body_html or ""
    assert html.startswith("<p>Die Investitionen")
    assert "<h2>Mehr Rücklieferungen an sonnigen Tagen</h2>" in html
    assert "<li>Aargau: fünf Umspannwerke</li>" in html
    assert "<org>" not in html and "media" not in html and "block" not in html
    assert a.images == [
        Image(
            href="https://media.example.ch/dpa/20240304/umspannwerk-1024.jpg",  # the larger one
            alt="Ein Umspannwerk in der Abenddämmerung",
            caption="Ein Umspannwerk in Süddeutschland: Auch in der Schweiz müssen viele Anlagen "
            "für den Solarstrom ausgebaut werden. Foto: Jana Beispiel/dpa",
            credit="dpa",  # media-producer
        )
    ]


def test_german_story_normalised() -> None:
    a = final(parse(load("nitf_de.xml")))
    assert a.agencies == ["keystone-sda", "dpa"]
    assert a.source == "keystone-sda"
    assert a.language == "de"
    assert a.dateline == "Baden AG"  # the date and the agency are not the place
    assert a.id and a.content_hash and a.ingested_at == NOW
    (image,) = a.images
    assert image.caption == (
        "Ein Umspannwerk in Süddeutschland: Auch in der Schweiz müssen viele Anlagen für den "
        "Solarstrom ausgebaut werden."
    )
    assert image.credit == "dpa"
    assert image.creator == "Jana Beispiel"  # read from the caption's credit
    assert image.agencies == ["dpa"]
    assert image.copyright_holder == "dpa"


# --- English, AFP, external DOCTYPE ------------------------------------------------------------


def test_english_story_with_external_dtd_raw_fields() -> None:
    a = parse(load("nitf_en.xml"))
    assert a.guid == "urn:newsml:afp.com:20240226:CNG.4f1c2a9e8.151"
    assert (a.version, a.source_version) == (1, False)  # no du-key
    assert a.pubstatus == "usable"
    assert a.urgency == 4
    assert a.firstcreated == a.versioncreated == utc(2024, 2, 26, 9, 45)
    assert a.headline == "UN rights council opens session in Geneva"
    assert a.lead == (
        'Secretary-general warns of "a world in turmoil" as five-week session begins'
    )  # no abstract: hl2
    assert a.byline == "By Jane Example"
    assert a.dateline == "Geneva"  # location, not story.date nor "(AFP)"
    assert a.language == "en"  # body/@xml:lang
    assert a.subjects == [
        Subject("subj:11000000", "Politics"),
        Subject("subj:11002000", "diplomacy"),
        Subject("subj:11002001", "summit"),
    ]
    assert a.credit_strings == ["AFP"]  # doc.copyright/@holder
    # &nbsp; from the (never loaded) DTD becomes its character, not a parse error.
    assert "tense debates\xa0over conflicts" in (a.body_html or "")
    assert "tense debates over conflicts" in a.body_text
    assert a.body_text.endswith(
        '"We are living in a world in turmoil," the secretary-general told the assembly.'
    )
    assert a.images == [
        Image(
            href="https://media.example.com/afp/20240226/geneva-hrc.jpg",
            alt="Delegates in the assembly hall of the Palais des Nations",
            caption="Delegates attend the opening of the Human Rights Council session at the "
            "Palais des Nations in Geneva on February 26, 2024.",
            credit="FABRICE EXAMPLE / AFP",  # media-reference/@source-credit
            creator="Fabrice Example",  # media-metadata photographer
            copyright_holder="AFP",  # media-reference/@copyright
        )
    ]


def test_english_story_normalised() -> None:
    a = final(parse(load("nitf_en.xml")))
    assert a.agencies == ["afp"] and a.source == "afp"
    assert a.dateline == "Geneva"
    assert "tense debates over conflicts" in a.body_text  # the no-break space cleaned
    assert len(a.body_text.split("\n\n")) == 3
    assert a.images[0].agencies == ["afp"]
    assert a.images[0].creator == "Fabrice Example"
    assert a.images[0].copyright_holder == "AFP"


# --- status, encodings, fallbacks ---------------------------------------------------------------


def test_embargoed_is_usable_from_its_release_time() -> None:
    a = parse(load("nitf_withheld.xml"))
    assert a.pubstatus == "usable"
    assert a.embargoed == utc(2024, 3, 7, 6, 0)  # date.release 07:00+01:00
    assert a.guid == "awp-20240307-0815"
    assert a.firstcreated == utc(2024, 3, 7, 5, 30)  # date.issue, not the later release
    assert a.language is None  # nothing says; normalisation detects it


def test_latin1_document_and_signature_credit() -> None:
    a = parse(load("nitf_latin1.xml"))
    assert a.headline == "Zürich: Gemeinderat sagt Ja zur Velobrücke"
    # No tagline: the body's closing signature is the signed credit.
    assert a.credit_strings == ["keystone-sda"]
    assert a.firstcreated == utc(2024, 3, 8, 9, 15)  # naive: Europe/Zurich
    n = final(a)
    assert n.source == "keystone-sda"
    assert n.body_text.endswith("18 Millionen Franken.")
    assert n.language == "de"


def test_missing_doc_id_gives_a_stable_fallback_guid() -> None:
    doc = b"""<nitf><head><title>Ohne Kennung</title>
      <docdata><date.issue norm="20240301T120000"/></docdata></head>
      <body><body.content><p>Text.</p></body.content></body></nitf>"""
    a, b = parse(doc), parse(doc)
    assert a.guid == b.guid and a.guid.startswith("nitf:")
    assert (a.version, a.source_version) == (1, False)
    assert a.headline == "Ohne Kennung"  # head/title when there is no hl1


def test_unusable_documents_are_rejected_with_their_bytes() -> None:
    empty = b'<nitf><head><docdata><doc-id id-string="e1"/></docdata></head><body/></nitf>'
    (r,) = ADAPTER.parse(empty, SETTINGS)
    assert isinstance(r, Rejected)
    assert r.reason == "the NITF document has neither a headline nor body text"
    assert (r.guid, r.raw) == ("e1", empty)
    status = b"""<nitf><head><docdata management-status="draft"><doc-id id-string="d1"/>
      </docdata></head><body><body.head><hedline><hl1>T</hl1></hedline></body.head></body></nitf>"""
    (r,) = ADAPTER.parse(status, SETTINGS)
    assert isinstance(r, Rejected) and r.reason == "unknown NITF management-status 'draft'"


def test_namespaced_nitf_reads_the_same() -> None:
    doc = b"""<nitf xmlns="http://iptc.org/std/NITF/2006-10-18/" xml:lang="fr-CH">
      <head><docdata><doc-id id-string="ns1"/><urgency ed-urg="2"/></docdata></head>
      <body><body.head><hedline><hl1>Titre</hl1></hedline></body.head>
      <body.content><p>Un <em>texte</em>.</p></body.content></body></nitf>"""
    a = parse(doc)
    assert (a.guid, a.headline, a.urgency, a.language) == ("ns1", "Titre", 2, "fr")
    assert a.body_html == "<p>Un <em>texte</em>.</p>"
    assert a.body_text == "Un texte."


def test_repair_encoding_leaves_correct_documents_alone() -> None:
    good = '<?xml version="1.0" encoding="ISO-8859-1"?><a>Zürich</a>'.encode("latin-1")
    assert repair_encoding(good) is good
    utf8 = '<?xml version="1.0" encoding="UTF-8"?><a>Zürich</a>'.encode()
    assert repair_encoding(utf8) is utf8
    wide = '<?xml version="1.0" encoding="UTF-16"?><a>Zürich</a>'.encode("utf-16")
    assert repair_encoding(wide) is wide
    mislabelled = '<?xml version="1.0" encoding="utf-8"?><a>Zürich</a>'.encode("latin-1")
    assert (
        repair_encoding(mislabelled)
        == '<?xml version="1.0" encoding="UTF-8"?><a>Zürich</a>'.encode()
    )


# --- broken and hostile payloads ----------------------------------------------------------------


def test_truncated_document_is_an_adapter_error() -> None:
    with pytest.raises(AdapterError, match=r"^malformed XML"):
        ADAPTER.parse(load("nitf_truncated.xml"), SETTINGS)


def test_external_entity_is_refused() -> None:
    with pytest.raises(AdapterError, match="declares entities"):
        ADAPTER.parse(load("nitf_xxe.xml"), SETTINGS)


def test_billion_laughs_is_refused() -> None:
    with pytest.raises(AdapterError, match="declares entities"):
        ADAPTER.parse(load("newsml_billion_laughs.xml").replace(b"newsMessage", b"nitf"), SETTINGS)


def test_other_roots_are_refused() -> None:
    with pytest.raises(
        AdapterError, match=r"not an NITF document: the root element is <newsMessage>"
    ):
        ADAPTER.parse(load("newsml_text_de.xml"), SETTINGS)


def test_ed_msg_becomes_ednote() -> None:
    from wire.adapters.base import FeedSettings
    from wire.adapters.nitf import ADAPTER

    [article] = ADAPTER.parse((CASES / "nitf_de.xml").read_bytes(), FeedSettings(feed="test"))
    assert isinstance(article, Article)
    assert article.ednote == "Mit Bild von dpa"


# --- NITF variants: EFE (date-only dateline), NTB (lead paragraph), Scoop (empty hl1) ---------


def test_efe_dateline_holding_a_date_is_no_place() -> None:
    a = parse(load("nitf_efe_es.xml"))
    assert a.guid == "EFE-20240315-21874563"
    assert a.dateline is None
    assert a.headline == "URGENTE: El Gobierno aprueba el anteproyecto de ley de vivienda"
    assert a.byline == "Redacción"
    assert a.urgency == 3
    assert a.firstcreated == utc(2024, 3, 15, 9, 30)
    assert a.language == "es"
    assert a.subjects == [Subject("subj:11000000", "Política")]
    assert a.body_text.startswith("Madrid, 15 mar (EFE).- El Consejo de Ministros")
    n = final(a)
    assert n.headline == "El Gobierno aprueba el anteproyecto de ley de vivienda"
    assert (n.signals, n.urgency) == (["urgent"], 2)
    assert n.source == "efe"
    assert n.agencies == ["efe"]


def test_ntb_lead_paragraph_is_the_lead() -> None:
    a = parse(load("nitf_ntb_nb.xml"))
    assert a.guid == "NTB-4f9d0c2a-7b1e-4e55-9a51-2c4e0d1b8e11"
    assert (a.version, a.source_version) == (2, True)
    assert a.headline == "Regjeringen legger fram statsbudsjettet"
    assert a.lead == (
        "Finansministeren la mandag fram et budsjett med økt oljepengebruk og skattelette "
        "for barnefamilier."
    )
    assert a.body_text.split("\n\n") == [
        "Budsjettet innebærer en bruk av oljepenger på 2,7 prosent av fondets verdi.",
        "– Dette er et ansvarlig budsjett, sa finansministeren på pressekonferansen.",
    ]
    assert "Finansministeren la mandag" not in (a.body_html or "")
    assert a.byline == "Kari Nordmann"
    assert a.language == "nb"
    assert a.urgency == 4
    assert a.firstcreated == utc(2024, 10, 7, 6, 0)
    assert final(a).source == "ntb"


def test_scoop_headline_from_title_when_hl1_is_empty() -> None:
    a = parse(load("nitf_scoop_en.xml"))
    assert a.guid == "scoop-AK2411/S00231"
    assert a.headline == "Council Approves New Cycleway For Wellington Waterfront"
    assert a.lead == "Construction to start in February after public consultation"  # hl2
    assert a.byline == "Press Release: Wellington City Council"
    assert a.language == "en"
    assert a.firstcreated == utc(2024, 11, 4, 1, 15)
    assert a.body_text.startswith("Wellington City Council has approved")


@pytest.mark.parametrize(
    ("xml", "place", "credits"),
    [
        ("<dateline>15/03/2024 10:30</dateline>", None, []),
        ("<dateline>Madrid, 15 mar (EFE).-</dateline>", "Madrid", ["EFE"]),
        ("<dateline>Baden AG, 4. März 2024 (sda)</dateline>", "Baden AG", ["sda"]),
        ("<dateline><story.date norm='20240226'>Feb 26, 2024</story.date></dateline>", None, []),
        ("<dateline>BERLIN, <story.date>Montag, 4. März</story.date></dateline>", "BERLIN", []),
        ("<dateline><location><city>Geneva</city></location>, Feb 26 (AFP) -</dateline>",
         "Geneva", []),
        ("<dateline>Oslo, mandag 7. oktober 2024</dateline>", "Oslo, mandag 7. oktober 2024",
         []),  # "mandag" is no date word we know: kept as printed
        ("<dateline>São Paulo, 3 de maio de 2024</dateline>", "São Paulo", []),
        ("<dateline>New York (Reuters Breakingviews)</dateline>", "New York",
         ["Reuters Breakingviews"]),
        ("<dateline>Mai 2024 (Tamedia)</dateline>", "Mai 2024 (Tamedia)", []),
    ],
)  # fmt: skip
def test_read_dateline(xml: str, place: str | None, credits: list[str]) -> None:
    from lxml import etree

    from wire.adapters.nitf import read_dateline

    assert read_dateline(etree.fromstring(xml)) == (place, credits)
