"""HTML article pages: structured data, markup, furniture removal, and fallbacks."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from wire.adapters.base import FeedSettings
from wire.adapters.html import ADAPTER
from wire.errors import AdapterError
from wire.normalise.article import normalise
from wire.record import Article, Rejected, Subject

ROOT = Path(__file__).resolve().parents[2]
CASES = Path(__file__).parent / "cases"
PAGE = ROOT / "samples" / "pages" / "seeblick-tempo30.html"
NOW = datetime(2024, 5, 14, 12, 0, tzinfo=UTC)
CANONICAL = "https://www.seeblick.ch/schweiz/zuerich/tempo-30-auf-40-weiteren-strassen-66012345"


def _one(data: bytes, **kw: object) -> Article:
    results = ADAPTER.parse(data, FeedSettings(**kw))  # type: ignore[arg-type]
    assert len(results) == 1
    [article] = results
    assert isinstance(article, Article)
    return article


def _norm(article: Article) -> Article:
    return normalise(article, FeedSettings(), NOW)


def test_sample_page_raw_fields() -> None:
    a = _one(PAGE.read_bytes())
    assert a.guid == a.url == CANONICAL
    assert a.kicker == "Verkehr"
    assert a.headline == "Zürich: Stadtrat will Tempo 30 auf 40 weiteren Strassen"
    assert a.dateline == "Zürich"
    assert a.lead == (
        "Die Stadt Zürich will auf 40 weiteren Strassenabschnitten Tempo 30 einführen. "
        "Damit sollen die Anwohnerinnen und Anwohner besser vor Lärm geschützt werden."
    )
    assert a.key_points == [
        "Zürich will auf 40 weiteren Strassenabschnitten Tempo 30 einführen.",
        "Die Stadt begründet den Schritt mit dem Lärmschutz.",
        "Gewerbe und bürgerliche Parteien kritisieren die Pläne.",
    ]
    assert a.byline is None  # "Keystone-SDA" is the agency, not a person
    assert "Keystone-SDA" in a.credit_strings
    assert a.firstcreated == datetime(2024, 5, 14, 8, 32, tzinfo=UTC)
    assert a.versioncreated == datetime(2024, 5, 14, 9, 5, tzinfo=UTC)
    assert a.language == "de"
    assert a.subjects == [
        Subject(None, "Schweiz"),
        Subject(None, "Zürich"),
        Subject(None, "Verkehr"),
        Subject(None, "Tempo 30"),
        Subject(None, "Lärmschutz"),
    ]
    [img] = a.images
    assert img.href == "https://www.seeblick.ch/img/2024/05/14/tempo30-hohlstrasse-1200x675.jpg"
    assert img.alt == "Tempo-30-Signal in Zürich"
    assert img.caption == "Ein Tempo-30-Signal an der Hohlstrasse in Zürich."
    assert img.credit == "KEYSTONE/Peter Schneider"


def test_sample_page_body_leaves_the_furniture_out() -> None:
    a = _one(PAGE.read_bytes())
    paragraphs = a.body_text.split("\n\n")
    assert paragraphs[0].startswith("Der Zürcher Stadtrat hat am Dienstag")
    assert "Kritik vom Gewerbe" in paragraphs  # a subheading inside the body stays
    assert paragraphs[-1] == (
        "Die neuen Tempolimiten sollen ab Herbst schrittweise signalisiert werden. "
        "Gegen die Verfügungen können Betroffene Einsprache erheben."
    )  # "(sda)" is attribution
    assert len(paragraphs) == 5
    for furniture in (
        "Weiterlesen", "Velovorzugsrouten", "Anzeige", "Teilen", "Artikel teilen",
        "Kommentare", "Endlich wird es ruhiger", "MEHR ZÜRICH", "Stadelhofen",
        "Impressum", "Startseite", "Zum Inhalt", "Das Wichtigste", "Link kopieren",
    ):  # fmt: skip
        assert furniture not in a.body_text
    assert a.lead is not None and a.lead not in a.body_text
    assert a.body_html is not None and a.body_html.startswith("<p>Der Zürcher Stadtrat")
    assert "<h2>Kritik vom Gewerbe</h2>" in a.body_html
    assert "Anzeige" not in a.body_html and "related" not in a.body_html


def test_sample_page_normalised() -> None:
    a = _norm(_one(PAGE.read_bytes()))
    assert (a.source, a.agencies) == ("keystone-sda", ["keystone-sda"])
    assert a.id and a.content_hash
    [img] = a.images
    assert (img.creator, img.agencies, img.copyright_holder) == (
        "Peter Schneider",
        ["keystone-sda"],
        "Keystone-SDA",
    )
    assert a.body_html is not None and "<script" not in a.body_html


def test_location_is_the_base_for_relative_pictures() -> None:
    a = _one(PAGE.read_bytes(), location="https://mirror.example.org/a/b.html")
    assert (
        a.images[0].href
        == "https://mirror.example.org/img/2024/05/14/tempo30-hohlstrasse-1200x675.jpg"
    )
    assert a.url == CANONICAL  # the page's own canonical address still names it


def test_french_page_without_article_element() -> None:
    url = "https://www.journal-leman.ch/monde/yemen-geneve"
    raw = _one((CASES / "html_fr_afp.html").read_bytes(), location=url)
    assert (raw.guid, raw.url) == (url, url)
    a = _norm(raw)
    assert a.kicker == "Diplomatie"  # a span inside the h1
    assert a.headline == "Genève accueille une conférence sur le Yémen"
    assert a.byline == "Claire Martin"  # "Par Claire Martin, AFP"
    assert a.agencies == ["afp"]  # meta source and the byline's agency
    assert a.lead is not None and a.lead.startswith("Les Nations unies réunissent mardi")
    assert a.key_points == [
        "Les discussions portent sur l'échange de prisonniers.",
        "Une trêve fragile tient depuis un an.",
    ]
    body = a.body_text.split("\n\n")
    assert len(body) == 3
    assert body[0].startswith("GENÈVE - Les discussions")
    assert a.dateline == "GENÈVE"
    assert "Lire aussi" not in a.body_text
    assert "Soyez le premier" not in a.body_text  # after "Commentaires"
    assert a.language == "fr"
    assert a.firstcreated == datetime(2023, 3, 14, 8, 5, tzinfo=UTC)
    assert a.subjects == [Subject(None, "Monde")]
    [img] = a.images
    assert img.href == "https://www.journal-leman.ch/photos/2023/03/14/palais-des-nations.jpg"
    assert img.caption == "Le Palais des Nations à Genève, siège européen de l'ONU."
    assert (img.creator, img.agencies, img.copyright_holder) == ("Fabrice Coffrini", ["afp"], "AFP")


def test_json_ld_only_page() -> None:
    a = _norm(_one((CASES / "html_jsonld_only.html").read_bytes()))
    assert a.guid == "https://www.example-markets.com/2024/02/01/smi-record"
    assert a.headline == "SMI closes at record high as bank shares rally"
    assert a.kicker is None
    assert a.lead == "The Swiss blue-chip index closed at a record high on Thursday."
    assert a.body_text.split("\n\n") == [
        "The Swiss Market Index rose 1.2 percent to close at a record 11,850 points on Thursday.",
        "Bank shares led the gains after strong quarterly results.",
        "Traders said the rally could continue into next week.",
    ]
    assert a.byline == "Tom Baker"
    assert a.agencies == ["reuters"]
    assert a.language == "en"
    assert a.firstcreated == datetime(2024, 2, 1, 17, 45, tzinfo=UTC)
    assert a.versioncreated == datetime(2024, 2, 1, 18, 10, tzinfo=UTC)
    assert [s.name for s in a.subjects] == ["markets", "Switzerland", "banks"]
    [img] = a.images
    assert img.href == "https://www.example-markets.com/img/smi-board.jpg"
    assert img.caption == "A board shows the SMI index in Zurich."
    assert (img.credit, img.creator, img.copyright_holder) == (
        "REUTERS/Denis Balibouse",
        "Denis Balibouse",
        "Reuters",
    )


def test_page_without_article_markup_or_charset() -> None:
    raw = _one((CASES / "html_loose.html").read_bytes())
    assert raw.headline == "Luzern erhält eine neue Velostation"  # UTF-8 without a charset
    assert raw.guid.startswith("html:")
    assert raw.guid == _one((CASES / "html_loose.html").read_bytes()).guid
    a = _norm(raw)
    assert "Velostation beim Bahnhof beschlossen" in a.body_text
    assert a.body_text.endswith("teilen sich Stadt und Kanton.")
    assert "Wetter" not in a.body_text and "Impressum" not in a.body_text
    assert a.agencies == ["keystone-sda"]
    assert a.language == "de"


def test_headline_without_text_is_rejected() -> None:
    page = b"<html><head><title>Nur Titel</title></head><body><h1>Nur Titel</h1></body></html>"
    [r] = ADAPTER.parse(page, FeedSettings(location="https://x.example/nur-titel"))
    assert isinstance(r, Rejected)
    assert "no article text" in r.reason and r.raw == page


@pytest.mark.parametrize("payload", [b"", b"   ", b"<html><body></body></html>"])
def test_unreadable_pages(payload: bytes) -> None:
    with pytest.raises(AdapterError):
        ADAPTER.parse(payload, FeedSettings())


def test_scripts_and_handlers_never_reach_the_record() -> None:
    page = b"""<html><body><article><h1>Titel der Meldung</h1>
<p onclick="steal()">Erster Absatz mit genug Worten, um als Text zu gelten.</p>
<script>document.write('boese')</script>
<p>Zweiter Absatz <a href="javascript:alert(1)">mit Link</a>.</p></article></body></html>"""
    a = _norm(_one(page))
    assert "boese" not in a.body_text
    assert a.body_html is not None
    assert "onclick" not in a.body_html and "javascript" not in a.body_html
    assert "script" not in a.body_html


def test_sniff() -> None:
    assert ADAPTER.sniff(PAGE.read_bytes(), None) == 0.9
    assert ADAPTER.sniff(b"<div><p>x</p></div>", "page.html") == 0.6
    assert ADAPTER.sniff(b"  <head><title>t</title></head>", None) == 0.7
    assert ADAPTER.sniff((ROOT / "samples" / "feeds" / "sda-news.rss").read_bytes(), None) == 0.0
    assert ADAPTER.sniff(b"Kreml\n\nKreml: Lukaschenko", "a.txt") == 0.0
    # An XML <headline> is not an HTML <head>.
    assert ADAPTER.sniff(b'<?xml version="1.0"?><item><headline>x</headline></item>', None) == 0.0
    assert ADAPTER.sniff(b'<?xml version="1.0"?>\n<!DOCTYPE html>\n<html>', None) == 0.7


def test_picture_source_is_not_the_byline() -> None:
    page = """<html lang="de"><body><article>
<h1>Basel: Neue Rheinbrücke eröffnet</h1>
<p class="author">Von Anna Meier</p>
<figure><img src="https://img.example.ch/bruecke.jpg" alt="Brücke">
<figcaption>Die neue Brücke am Eröffnungstag.
<span class="source">Foto: KEYSTONE/Georgios Kefalas</span></figcaption></figure>
<p>Die neue Rheinbrücke in Basel ist am Samstag nach drei Jahren Bauzeit eröffnet worden.</p>
</article></body></html>""".encode()
    a = _norm(_one(page))
    assert a.byline == "Anna Meier"
    assert a.agencies == []
    [img] = a.images
    assert img.caption == "Die neue Brücke am Eröffnungstag."
    assert (img.creator, img.agencies) == ("Georgios Kefalas", ["keystone-sda"])
