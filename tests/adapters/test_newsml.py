"""NewsML-G2 adapter: every mapped field, raw and normalised, plus hostile and broken input."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree

from tests.adapters.helpers import utc
from wire import adapters
from wire.adapters.base import FeedSettings
from wire.adapters.newsml import ADAPTER
from wire.adapters.nitf import ADAPTER as NITF
from wire.errors import AdapterError
from wire.normalise.article import normalise
from wire.record import Article, Image, Rejected, Subject

CASES = Path(__file__).parent / "cases"
SETTINGS = FeedSettings(feed="test")
NOW = datetime(2024, 3, 10, 12, 0, tzinfo=UTC)


def load(name: str) -> bytes:
    return (CASES / name).read_bytes()


def articles(name: str, settings: FeedSettings = SETTINGS) -> list[Article]:
    results = ADAPTER.parse(load(name), settings)
    assert all(isinstance(r, Article) for r in results), results
    return [r for r in results if isinstance(r, Article)]


def only(name: str) -> Article:
    (article,) = articles(name)
    return article


def final(article: Article) -> Article:
    return normalise(article, SETTINGS, NOW)


# --- sniffing and the registry ----------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "newsml_text_de.xml",
        "newsml_package_fr.xml",
        "newsml_story_v1.xml",
        "newsml_picture_de.xml",
        "newsml_kill_en.xml",
        "newsml_utf8_declared_utf16.xml",
    ],
)
def test_sniff_claims_newsml_g2_and_nitf_does_not(name: str) -> None:
    data = load(name)
    assert ADAPTER.sniff(data, name) == 1.0
    assert NITF.sniff(data, name) == 0.0


def test_sniff_rejects_other_documents_cheaply() -> None:
    assert ADAPTER.sniff(load("nitf_de.xml")) == 0.0
    assert ADAPTER.sniff(b'{"uri": "x"}') == 0.0
    assert ADAPTER.sniff(b"") == 0.0
    assert ADAPTER.sniff(b"\xff\xfe\x00garbage") == 0.0
    # The right root name in a foreign namespace is not enough to be picked automatically.
    assert ADAPTER.sniff(load("newsml_wrong_ns.xml")) < 0.2


def test_registry_returns_this_adapter() -> None:
    assert adapters.get("newsml") is ADAPTER
    assert ADAPTER.name == "newsml"


# --- a German text story in a newsMessage -------------------------------------------------------


def test_text_story_raw_fields() -> None:
    a = only("newsml_text_de.xml")
    assert a.guid == "urn:newsml:keystone-sda.ch:20240301:bsd-0142"
    assert (a.version, a.source_version) == (2, True)
    assert a.pubstatus == "usable"
    assert a.firstcreated == utc(2024, 3, 1, 8, 2, 11)
    assert a.versioncreated == utc(2024, 3, 1, 9, 14, 37)
    assert a.urgency == 3
    assert a.headline == "Bund und Berlin wollen Stromleitungen am Hochrhein gemeinsam ausbauen"
    # The overline headline is the kicker (the slugline is only a fallback).
    assert a.kicker == "Energiepolitik"
    # The lead paragraph of the XHTML body wins over contentMeta/description.
    assert a.lead is not None and a.lead.startswith("Die Schweiz und Deutschland wollen")
    assert a.byline == "Anna Beispiel, Keystone-SDA"
    assert a.dateline == "Bern/Stuttgart"  # contentMeta/dateline beats located
    assert a.language == "de"  # contentMeta/language tag "de-CH", primary subtag
    assert a.subjects == [
        Subject("medtop:11000000", "Politik"),  # the name in the item's language
        Subject("medtop:06000000", "Umwelt"),
        Subject("subj:04005000", "Energie und Rohstoffe"),
        Subject("geo:2953481", "Baden-Württemberg"),  # not the broader concept's name
    ]
    # Originating source first although dpa comes first in the document, then the
    # creditline's agencies, then the provider.
    assert a.credit_strings == ["Keystone-SDA", "dpa", "keystone-sda", "dpa", "Keystone-SDA"]
    assert a.images == []
    assert a.url is None and a.key_points == []
    # XHTML body: raw HTML without the page header and without the lead paragraph.
    assert a.body_html is not None
    assert a.body_html.startswith("<p>Die beiden Netzbetreiber")
    assert "<h2>Kritik von Umweltverbänden</h2>" in a.body_html
    assert "<h1>" not in a.body_html and "byline" not in a.body_html
    assert "Absichtserklärung" not in a.body_html
    assert "xmlns" not in a.body_html
    assert a.body_text == ""  # normalisation derives it from the HTML


def test_text_story_normalised() -> None:
    a = final(only("newsml_text_de.xml"))
    assert a.feed == "test"
    assert a.agencies == ["keystone-sda", "dpa"]
    assert a.source == "keystone-sda"
    assert a.language == "de"
    assert a.kicker == "Energiepolitik"
    paragraphs = a.body_text.split("\n\n")
    assert paragraphs[0].startswith("Die beiden Netzbetreiber sollen")
    assert paragraphs[1] == "Kritik von Umweltverbänden"
    assert paragraphs[-1].endswith("sollen im Sommer beginnen.")
    assert len(paragraphs) == 4
    assert a.firstcreated == utc(2024, 3, 1, 8, 2, 11)
    assert a.versioncreated == utc(2024, 3, 1, 9, 14, 37)
    assert a.ingested_at == NOW
    assert a.id and a.content_hash
    assert a.version == 2 and a.pubstatus == "usable" and a.urgency == 3


# --- a French package: story + two pictures ------------------------------------------------------


def test_package_emits_the_story_and_its_pictures_as_media_records() -> None:
    results = ADAPTER.parse(load("newsml_package_fr.xml"), SETTINGS)
    assert len(results) == 3  # the story and its two pictures; the package is no record
    a, *pictures = results
    assert isinstance(a, Article)
    assert a.type == "text"
    assert [(x.guid, x.rel) for x in a.links] == [
        *[(p.guid, "picture") for p in pictures if isinstance(p, Article)],
        ("story:vaud-lausanne-climat", "story"),  # the slugline: the story's key
    ]
    assert all(isinstance(p, Article) and p.type == "picture" for p in pictures)
    assert a.guid == "urn:newsml:keystone-sda.ch:20240302:ats-fr-0388"
    assert (a.version, a.source_version, a.pubstatus) == (1, True, "usable")
    assert a.headline == "Lausanne veut planter 2000 arbres sur ses places"
    assert a.kicker == "Vaud/Lausanne/Climat"  # no kicker headline: the slugline
    assert a.lead == (
        "La Ville de Lausanne va transformer cinq places minérales en îlots de fraîcheur "
        "d'ici 2030."
    )  # no lead paragraph: contentMeta/description drol:summary
    assert a.byline == "Camille Exemple"
    assert a.dateline == "Lausanne"  # no dateline element: located/name
    assert a.language == "fr"
    assert a.urgency == 4
    assert a.firstcreated == a.versioncreated == utc(2024, 3, 2, 13, 38, 20)
    assert a.subjects == [
        Subject("medtop:06000000", "environnement"),
        Subject("medtop:11000000", "politique"),
    ]
    assert a.credit_strings == ["Keystone-ATS", "keystone-sda", "Keystone-ATS"]
    assert a.body_html is not None and a.body_html.count("<p>") == 3
    # Package order first, then the story's own irel:seeAlso link.
    assert a.images == [
        Image(
            href="https://media.example.ch/KEY-20240302-0142/highres.jpg",  # largest rendition
            alt="Place de la Riponne",
            caption=(
                "La place de la Riponne à Lausanne, vendredi 1er mars 2024. La Ville veut y "
                "planter des arbres dès 2025. (KEYSTONE/Laurent Gillieron)"
            ),
            credit="KEYSTONE/Laurent Gillieron",
            creator="Laurent Gillieron",
            copyright_holder="Keystone",
            usage_terms="Usage éditorial uniquement.",
        ),
        Image(
            href="https://media.example.ch/KEY-20240302-0150/highres.jpg",  # rnd:highRes
            alt="Marché de la Riponne",
            caption="Des stands du marché sur la place de la Riponne, samedi 2 mars 2024.",
            credit="KEYSTONE/Jean-Christophe Bott",
            creator="Jean-Christophe Bott",  # no `by`: creator/name
            copyright_holder="Keystone",
        ),
    ]


def test_package_normalised_separates_caption_credit_creator_rights() -> None:
    raw, *_ = ADAPTER.parse(load("newsml_package_fr.xml"), SETTINGS)
    assert isinstance(raw, Article)
    a = final(raw)
    assert a.agencies == ["keystone-sda"] and a.source == "keystone-sda"
    assert a.language == "fr"
    assert a.body_text.split("\n\n")[0].startswith("La Municipalité de Lausanne")
    first = a.images[0]
    assert first.caption == (
        "La place de la Riponne à Lausanne, vendredi 1er mars 2024. "
        "La Ville veut y planter des arbres dès 2025."
    )
    assert first.credit == "KEYSTONE/Laurent Gillieron"
    assert first.creator == "Laurent Gillieron"
    assert first.agencies == ["keystone-sda"]
    assert first.copyright_holder == "Keystone"
    assert a.images[1].creator == "Jean-Christophe Bott"
    assert a.images[1].agencies == ["keystone-sda"]


def test_picture_item_is_a_media_record() -> None:
    a = only("newsml_picture_de.xml")
    assert a.type == "picture"
    assert [(r.name, r.href) for r in a.renditions] == [
        ("thumbnail", "https://media.example.ch/KEY-20240305-0077/thumb.jpg"),
        ("preview", "https://media.example.ch/KEY-20240305-0077/preview.jpg"),
        ("highRes", "https://media.example.ch/KEY-20240305-0077/highres.jpg"),
    ]
    assert all(r.contenttype in (None, "image/jpeg") for r in a.renditions)
    assert a.links == []
    assert a.guid == "urn:newsml:keystone.ch:20240305:KEY-20240305-0077"
    assert (a.version, a.source_version, a.pubstatus) == (1, True, "usable")
    assert a.headline == "Schneechaos in Zermatt"
    assert a.body_text == "Schneeräumung am Bahnhof von Zermatt am Dienstag, 5. März 2024."
    assert a.dateline == "Zermatt"
    assert a.language == "de"
    assert a.subjects == [Subject("medtop:17000000", "Wetter")]
    assert a.firstcreated == a.versioncreated == utc(2024, 3, 5, 7, 30, 12)
    assert a.credit_strings == ["keystone-sda", "Keystone"]
    assert a.images == [
        Image(
            # No sizes given: the rendition name decides (highRes over preview and thumbnail).
            href="https://media.example.ch/KEY-20240305-0077/highres.jpg",
            alt="Schneechaos in Zermatt",
            caption="Schneeräumung am Bahnhof von Zermatt am Dienstag, 5. März 2024. "
            "(KEYSTONE/Lea Muster)",
            credit="KEYSTONE/Lea Muster",
            creator="Lea Muster",
            copyright_holder="Keystone",
            copyright_notice="© KEYSTONE",
        )
    ]
    n = final(a)
    assert n.source == "keystone-sda"
    assert n.images[0].caption == "Schneeräumung am Bahnhof von Zermatt am Dienstag, 5. März 2024."
    assert n.images[0].agencies == ["keystone-sda"]


# --- versions of one English story, the last one a kill -----------------------------------------


def test_versions_and_kill_share_one_identity() -> None:
    v1 = only("newsml_story_v1.xml")  # a standalone newsItem
    v2 = only("newsml_story_v2.xml")  # inside a newsMessage
    v3 = only("newsml_kill_en.xml")
    assert v1.guid == v2.guid == v3.guid == "urn:newsml:dpa.com:20240305:240305-99-401233"
    assert [v.version for v in (v1, v2, v3)] == [1, 2, 3]
    assert all(v.source_version for v in (v1, v2, v3))
    assert [v.pubstatus for v in (v1, v2, v3)] == ["usable", "usable", "canceled"]
    assert [v.urgency for v in (v1, v2, v3)] == [2, 3, 1]
    assert v1.firstcreated == v2.firstcreated == v3.firstcreated == utc(2024, 3, 5, 7, 41)
    assert v2.versioncreated == utc(2024, 3, 5, 9, 12, 30)
    assert v3.versioncreated == utc(2024, 3, 5, 11, 2, 58)
    n1, n2, n3 = (final(v) for v in (v1, v2, v3))
    assert n1.id == n2.id == n3.id
    assert len({n1.content_hash, n2.content_hash, n3.content_hash}) == 3
    assert n1.source == n2.source == n3.source == "dpa"


def test_inline_nitf_body_fills_byline_dateline_lead_and_credits() -> None:
    v1 = only("newsml_story_v1.xml")
    assert v1.headline == "Heavy snowfall cuts off Swiss resort of Zermatt"
    assert v1.byline == "By Tom Example, dpa"
    assert v1.dateline == "Geneva"  # "(dpa)" is the agency: a credit, not the place
    assert v1.lead is None
    assert v1.language == "en"
    assert v1.subjects == [Subject("medtop:17000000", "weather")]
    assert v1.body_text.split("\n\n") == [
        "The Swiss ski resort of Zermatt was cut off from the outside world on Tuesday after "
        "heavy overnight snowfall closed the only rail link into the valley.",
        "Around 13,000 guests were staying in the village, a spokeswoman for the tourist "
        "office said. Helicopter flights were suspended because of low cloud.",
    ]
    assert v1.body_html is not None and v1.body_html.count("<p>") == 2
    assert v1.credit_strings == ["dpa", "dpa"]  # tagline, provider literal
    v2 = only("newsml_story_v2.xml")
    assert v2.headline == "Snowbound Zermatt to reopen rail link on Wednesday"
    assert v2.lead == (
        "The rail line into the snowbound Swiss resort of Zermatt is to reopen on Wednesday "
        "morning."
    )  # the NITF abstract
    assert len(v2.body_text.split("\n\n")) == 3


def test_kill_keeps_its_plain_text_notice() -> None:
    a = only("newsml_kill_en.xml")
    assert a.headline == "KILL: Snowbound Zermatt to reopen rail link on Wednesday"
    assert (
        a.body_text == "This story has been withdrawn.\n\nPlease delete it from all your systems."
    )
    assert a.body_html is None
    assert a.credit_strings == ["dpa"]
    assert final(a).pubstatus == "canceled"


# --- one bad item among good ones ---------------------------------------------------------------


def test_bad_items_are_rejected_and_the_rest_parsed() -> None:
    results = ADAPTER.parse(load("newsml_mixed.xml"), SETTINGS)
    assert [type(r).__name__ for r in results] == [
        "Article",
        "Rejected",
        "Rejected",
        "Rejected",
        "Rejected",
        "Article",
    ]  # the conceptItem is not news and is skipped
    good = [r for r in results if isinstance(r, Article)]
    assert [a.guid for a in good] == [
        "urn:newsml:keystone-sda.ch:20240306:bsd-0301",
        "urn:newsml:keystone-sda.ch:20240306:bsd-0306",
    ]
    assert good[0].body_text == (
        "Der Nationalrat hat am Mittwoch einen Verpflichtungskredit für den Ausbau der "
        "Bahninfrastruktur genehmigt.\n\nDie Vorlage geht nun an den Ständerat."
    )
    assert good[1].headline == "EIL: Ständerat lehnt Initiative ab" and good[1].urgency == 1
    bad = [r for r in results if isinstance(r, Rejected)]
    assert [(r.guid, r.reason) for r in bad] == [
        (None, "newsItem has no guid"),
        (
            "urn:newsml:keystone-sda.ch:20240306:bsd-0303",
            "item version 'zwei' is not a whole number of 1 or more",
        ),
        ("urn:newsml:keystone-sda.ch:20240306:bsd-0304", "unknown pubStatus 'stat:pending'"),
        (
            "urn:newsml:keystone-sda.ch:20240306:bsd-0305",
            "the item has neither a headline nor a body",
        ),
    ]
    # Each reject carries its own item's XML, readable on its own for replay.
    for r in bad:
        item = etree.fromstring(r.raw)
        assert etree.QName(item).localname == "newsItem"
        assert item.get("guid") == r.guid
    assert b"Meldung ohne Kennung" in bad[0].raw


def test_unknown_namespaces_do_not_stop_the_known_parts() -> None:
    a = only("newsml_unknown_ns.xml")
    assert a.guid == "urn:newsml:example-agency.ch:20240307:x-0007"
    assert (a.version, a.pubstatus) == (4, "withheld")
    assert a.headline == "Lugano, il Consiglio comunale approva il nuovo piano viario"
    assert a.lead == "Il Consiglio comunale di Lugano ha approvato il piano viario per il centro."
    assert a.subjects == [Subject("medtop:11000000", "politica")]
    assert a.language == "it"
    assert a.credit_strings == ["Keystone-ATS"]
    # The proprietary inline vocabulary is not guessed at.
    assert a.body_text == "" and a.body_html is None
    assert final(a).agencies == ["keystone-sda"]


# --- encodings ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["newsml_latin1_declared_utf8.xml", "newsml_utf8_declared_utf16.xml"]
)
def test_wrong_encoding_declarations_are_read_leniently(name: str) -> None:
    """Decision: a UTF-8 declaration over Windows-1252 bytes, or a UTF-16 declaration over
    8-bit bytes, is repaired (the text then reads right) rather than rejected."""
    a = only(name)
    assert a.headline == "Zürcher Gemeinderat bewilligt Velobrücke über die Sihl"
    assert a.body_text.endswith("Die Brücke soll 2027 eröffnet werden – früher als geplant.")


# --- broken and hostile payloads ----------------------------------------------------------------


def test_truncated_xml_is_one_clear_adapter_error() -> None:
    with pytest.raises(AdapterError, match=r"^malformed XML: Premature end of data"):
        ADAPTER.parse(load("newsml_truncated.xml"), SETTINGS)


@pytest.mark.parametrize("name", ["newsml_billion_laughs.xml", "newsml_xxe.xml"])
def test_entity_declarations_are_refused(name: str) -> None:
    with pytest.raises(AdapterError, match="declares entities"):
        ADAPTER.parse(load(name), SETTINGS)


def test_foreign_root_namespace_is_refused_with_the_reason() -> None:
    with pytest.raises(AdapterError, match=r"not a NewsML-G2 document.*example\.com"):
        ADAPTER.parse(load("newsml_wrong_ns.xml"), SETTINGS)


def test_oversized_payload_is_refused_unread() -> None:
    with pytest.raises(AdapterError, match="above the 100 limit"):
        ADAPTER.parse(load("newsml_text_de.xml"), FeedSettings(feed="test", max_bytes=100))


def test_nitf_payload_is_not_newsml() -> None:
    with pytest.raises(AdapterError, match="root element is <nitf>"):
        ADAPTER.parse(load("nitf_de.xml"), SETTINGS)


# --- smaller rules, on inline items ---------------------------------------------------------------

G2 = 'xmlns="http://iptc.org/std/nar/2006-10-01/"'


def test_relative_links_resolve_against_the_feed_url_and_image_links_count() -> None:
    doc = f"""<newsMessage {G2}><itemSet>
      <newsItem guid="s1" version="1">
        <itemMeta><itemClass qcode="ninat:text"/>
          <versionCreated>2024-03-01T10:00:00</versionCreated>
          <link rel="irel:seeAlso" residref="p1"/>
          <link rel="irel:associatedWith" href="https://img.example.org/x.jpg"
                contenttype="image/jpeg" title="Gleis 7"/>
        </itemMeta>
        <contentMeta><headline>Titel</headline></contentMeta>
      </newsItem>
      <newsItem guid="p1" version="1">
        <itemMeta><itemClass uri="http://cv.iptc.org/newscodes/ninature/picture"/></itemMeta>
        <contentMeta><headline>Bild</headline></contentMeta>
        <contentSet>
          <remoteContent href="media/p1-small.jpg" contenttype="image/jpeg"
                         width="300" height="200"/>
          <remoteContent href="media/p1-big.jpg" contenttype="image/jpeg"
                         width="3000" height="2000"/>
          <remoteContent href="media/p1.mp4" contenttype="video/mp4" width="9000" height="9000"/>
        </contentSet>
      </newsItem>
    </itemSet></newsMessage>""".encode()
    settings = FeedSettings(feed="test", location="https://feeds.example.org/g2/latest.xml")
    a, picture = ADAPTER.parse(doc, settings)
    assert isinstance(a, Article) and isinstance(picture, Article)
    assert [(x.guid, x.rel) for x in a.links] == [("p1", "picture")]
    assert picture.type == "picture"
    assert [(r.href, r.width, r.height) for r in picture.renditions] == [
        ("https://feeds.example.org/g2/media/p1-small.jpg", 300, 200),
        ("https://feeds.example.org/g2/media/p1-big.jpg", 3000, 2000),
    ]  # the video file is no picture rendition
    assert [i.href for i in a.images] == [
        "https://feeds.example.org/g2/media/p1-big.jpg",
        "https://img.example.org/x.jpg",
    ]
    assert a.images[1].alt == "Gleis 7"
    # A naive time is local to the feed (Europe/Zurich: UTC+1 in March).
    assert a.versioncreated == utc(2024, 3, 1, 9, 0)
    assert a.source_version is True


def test_headline_choice_language_rank_and_roles() -> None:
    doc = f"""<newsItem {G2} guid="h1" xml:lang="de">
      <itemMeta><itemClass qcode="ninat:text"/><title>Arbeitstitel</title></itemMeta>
      <contentMeta>
        <headline xml:lang="fr" rank="1">Titre</headline>
        <headline rank="3">Zweitrangig</headline>
        <headline rank="2">Haupttitel</headline>
        <headline role="hlrole:sub">Untertitel als Lead</headline>
        <urgency>12</urgency>
      </contentMeta>
    </newsItem>""".encode()
    (a,) = ADAPTER.parse(doc, SETTINGS)
    assert isinstance(a, Article)
    assert a.headline == "Haupttitel"
    assert a.lead == "Untertitel als Lead"
    assert a.kicker is None
    assert a.urgency is None  # out of the 0-9 range
    assert (a.version, a.source_version) == (1, False)  # no @version: ours, not the source's
    assert a.pubstatus == "usable"  # no pubStatus: the NewsML-G2 default


def test_title_is_the_last_resort_headline_and_info_source_roles_order() -> None:
    doc = f"""<newsItem {G2} guid="t1" version="7">
      <itemMeta><itemClass qcode="ninat:text"/><title>Arbeitstitel</title>
        <provider qcode="nprov:APA"/></itemMeta>
      <contentMeta>
        <infoSource role="dpaisrol:supplier" qcode="dpasupplier:dpa"><name>dpa</name></infoSource>
        <infoSource role="isrol:contentSource"><name>AP</name></infoSource>
      </contentMeta>
      <contentSet>
        <inlineData contenttype="text/html">&lt;p&gt;Eins&lt;/p&gt;</inlineData>
      </contentSet>
    </newsItem>""".encode()
    (a,) = ADAPTER.parse(doc, SETTINGS)
    assert isinstance(a, Article)
    assert a.headline == "Arbeitstitel"
    assert a.body_html == "<p>Eins</p>"
    # Content source before supplier; a provider known only by QCode gives its code.
    assert a.credit_strings == ["AP", "dpa", "APA"]
    assert final(a).agencies == ["ap", "dpa", "apa"]


def test_inline_nitf_credits_follow_the_info_sources_and_media_become_images() -> None:
    doc = f"""<newsItem {G2} guid="n1" version="1" xml:lang="de">
      <itemMeta><itemClass qcode="ninat:text"/><provider literal="Keystone-SDA"/></itemMeta>
      <contentMeta>
        <infoSource role="isrol:originfo"><name>AFP</name></infoSource>
        <headline>Titel aus G2</headline>
      </contentMeta>
      <contentSet><inlineXML contenttype="application/nitf+xml">
        <nitf xmlns="http://iptc.org/std/NITF/2006-10-18/"><body>
          <body.head><hedline><hl1>Titel aus NITF</hl1></hedline>
            <distributor>Keystone-SDA</distributor></body.head>
          <body.content><p>Absatz.</p>
            <media media-type="image"><media-reference source="https://img.example.org/a.jpg"/>
              <media-caption>Bildlegende.</media-caption><media-producer>AFP</media-producer>
            </media></body.content>
          <body.end><tagline>afp/sda</tagline></body.end>
        </body></nitf>
      </inlineXML></contentSet>
    </newsItem>""".encode()
    (a,) = ADAPTER.parse(doc, SETTINGS)
    assert isinstance(a, Article)
    assert a.headline == "Titel aus G2"  # contentMeta beats the NITF hedline
    assert a.credit_strings == ["AFP", "afp/sda", "Keystone-SDA", "Keystone-SDA"]
    assert a.images == [
        Image(href="https://img.example.org/a.jpg", caption="Bildlegende.", credit="AFP")
    ]
    assert a.body_text == "Absatz."
    assert final(a).agencies == ["afp", "keystone-sda"]


def test_ednote_is_kept_on_versions_and_kills() -> None:
    from wire.adapters.base import FeedSettings
    from wire.adapters.newsml import ADAPTER

    settings = FeedSettings(feed="test")
    [kill] = ADAPTER.parse((CASES / "newsml_kill_en.xml").read_bytes(), settings)
    assert isinstance(kill, Article)
    assert kill.ednote is not None and kill.ednote.startswith("KILL - Editors are asked")
    [v2] = ADAPTER.parse((CASES / "newsml_story_v2.xml").read_bytes(), settings)
    assert isinstance(v2, Article)
    assert v2.ednote == "Updates with rail operator saying line to reopen on Wednesday."
