"""HTML article pages: structured data, markup, furniture removal, and fallbacks."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.adapters.helpers import one_article
from wire.adapters.base import FeedSettings
from wire.adapters.html import ADAPTER
from wire.errors import AdapterError
from wire.ingest.parsing import parse_payload
from wire.normalise.article import normalise
from wire.record import Article, Rejected, Subject

ROOT = Path(__file__).resolve().parents[2]
CASES = Path(__file__).parent / "cases"
PAGE = ROOT / "samples" / "pages" / "seeblick-tempo30.html"
NOW = datetime(2024, 5, 14, 12, 0, tzinfo=UTC)
CANONICAL = "https://www.seeblick.ch/schweiz/zuerich/tempo-30-auf-40-weiteren-strassen-66012345"


def _one(data: bytes, **kw: object) -> Article:
    return one_article(ADAPTER, data, FeedSettings(**kw))  # type: ignore[arg-type]


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


PARTNER = ROOT / "samples" / "pages" / "partner-corona-kredite.html"


def test_partner_page_exactly() -> None:
    a = _one(PARTNER.read_bytes())
    paragraphs = [
        "Bern - Der Bundesrat will missbräuchlich bezogene Covid-19-Kredite schneller "
        "zurückholen. Er hat am Sonntag eine entsprechende Änderung des "
        "Solidarbürgschaftsgesetzes in die Vernehmlassung geschickt, wie das Eidgenössische "
        "Finanzdepartement mitteilte.",
        "Seit März haben Banken gut 136'000 Unternehmen Überbrückungskredite mit einer "
        "Bürgschaft des Bundes gewährt. In rund 600 Fällen besteht nach Angaben der "
        "Bürgschaftsorganisationen der Verdacht auf Missbrauch, etwa weil Umsatzzahlen "
        "geschönt wurden.",
        "Künftig sollen die Kantone Verdachtsfälle direkt an die Strafverfolgungsbehörden "
        "melden können. Die Vernehmlassung dauert bis Ende November.",
    ]
    assert (
        a.guid
        == a.url
        == "https://www.regionalanzeiger.example/schweiz/bundesrat-corona-kredite-71234"
    )
    assert (a.kicker, a.headline) == (
        "Covid-Kredite",
        "Bundesrat will Corona-Kredite schneller zurückholen",
    )
    # The page marks no lead: its og:description is a teaser for sharing that no reader sees.
    assert a.lead is None
    assert a.body_text.split("\n\n") == paragraphs  # the "(sda)" line is attribution
    assert a.body_html == "\n".join(f"<p>{p}</p>" for p in paragraphs)
    assert (a.dateline, a.byline, a.key_points, a.images) == ("Bern", None, [], [])
    assert a.credit_strings == ["Keystone-SDA", "keystone-sda"]
    assert a.firstcreated == datetime(2020, 8, 30, 11, 5, tzinfo=UTC)
    assert a.language == "de"
    assert _norm(a).agencies == ["keystone-sda"]


def test_sample_page_body_html_exactly() -> None:
    a = _one(PAGE.read_bytes())
    assert a.body_html == "\n".join(
        f"<h2>{p}</h2>" if p == "Kritik vom Gewerbe" else f"<p>{p}</p>"
        for p in a.body_text.split("\n\n")
    )  # the "(sda)" signature is in neither text nor HTML
    assert a.credit_strings == ["Keystone-SDA", "keystone-sda"]


BENCH_CASES = sorted(CASES.glob("html_bench_*.html"))


@pytest.mark.parametrize("path", BENCH_CASES, ids=[p.stem[11:] for p in BENCH_CASES])
def test_failure_class_pages(path: Path) -> None:
    """Pages of bench/html's failure classes (de, fr, it, en) against their gold."""
    gold = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    a = _one(path.read_bytes(), location=gold["url"])
    assert a.headline == gold["headline"]
    assert a.lead == gold["lead"]
    assert a.body_text.split("\n\n") == gold["body"]
    credits = {i.href: (i.credit or "").removeprefix("© ") for i in a.images}
    assert {href: credits.get(href) for href in gold["credits"]} == gold["credits"]
    assert a.language == gold["lang"]
    if gold["class"] == "agency_style":
        assert (a.kicker, a.key_points, a.dateline) == (
            gold["kicker"],
            gold["key_points"],
            gold["dateline"],
        )
        assert a.byline is None
        norm = _norm(a)
        assert norm.agencies[:1] == [norm.source] and norm.source is not None
        for img in norm.images:
            assert img.creator and img.agencies


def test_every_failure_class_has_a_test_page() -> None:
    classes = {json.loads(p.with_suffix(".json").read_text("utf-8"))["class"] for p in BENCH_CASES}
    assert classes == {
        "sidebar_paywall", "div_paragraphs", "empty_teasers", "meta_description", "furniture",
        "headline_container", "image_credits", "agency_style",
    }  # fmt: skip
    languages = {json.loads(p.with_suffix(".json").read_text("utf-8"))["lang"] for p in BENCH_CASES}
    assert languages == {"de", "fr", "it", "en"}


def test_attribution_lines_name_the_agency() -> None:
    by_case = {
        "agency_style_de-tempo30": "keystone-sda",  # "... erheben. (sda)"
        "agency_style_de-kurzarbeit": "dpa",  # "Quelle: dpa"
        "agency_style_fr-yemen": "afp",  # "© AFP"
        "agency_style_it-vendemmia": "ansa",  # "© ANSA"
    }
    for name, code in by_case.items():
        a = _norm(_one((CASES / f"html_bench_{name}.html").read_bytes()))
        assert a.agencies == [code], name
        assert "Quelle: " not in a.body_text and "©" not in a.body_text


def test_description_repeating_the_first_paragraph_is_no_lead() -> None:
    gold = json.loads((CASES / "html_bench_meta_description_de-kurzarbeit.json").read_text("utf-8"))
    page = (CASES / "html_bench_meta_description_de-kurzarbeit.html").read_bytes()
    assert b"og:description" in page and "…".encode() in page
    a = _one(page)
    assert a.lead is None
    assert a.body_text.split("\n\n")[0] == gold["body"][0]


def test_json_ld_credit_from_creator_and_rights_holder() -> None:
    a = _norm(_one((CASES / "html_bench_image_credits_de-kurzarbeit.html").read_bytes()))
    hero = next(img for img in a.images if img.href and img.href.endswith("heil-berlin.jpg"))
    assert (hero.creator, hero.copyright_holder, hero.agencies) == (
        "Michael Kappeler",
        "dpa",
        ["dpa"],
    )
    assert hero.caption == "Arbeitsminister Hubertus Heil spricht in Berlin vor den Medien."


@pytest.mark.parametrize(
    ("payload", "what"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), "PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(64), "JPEG image"),
        (b"GIF89a\x01\x00\x01\x00" + bytes(16), "GIF image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF document"),
        (bytes(range(256)) * 4, "binary data"),
        (b"Nur ein Satz ohne jedes Markup, aber mit genug Worten.", "no markup"),
    ],
)
def test_bytes_that_are_no_html_are_a_clean_reject(payload: bytes, what: str) -> None:
    with pytest.raises(AdapterError, match=f"not an HTML page.*{what}"):
        ADAPTER.parse(payload, FeedSettings())


def test_an_image_given_as_html_is_one_reject_not_an_empty_article() -> None:
    image = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200)
    [result] = parse_payload(image, FeedSettings(), fmt="html", now=NOW)
    assert isinstance(result, Rejected)
    assert result.reason == "html: not an HTML page: the bytes are a PNG image"


def _described(description: str, shown: str) -> bytes:
    return f"""<html lang="de"><head><meta property="og:description" content="{description}">
</head><body><article><h1>Neue Velostation in Luzern</h1>{shown}
<p>Der Luzerner Stadtrat hat am Mittwoch den Bau einer neuen Velostation beschlossen.</p>
<p>Die Anlage soll Platz für 1200 Velos bieten und im Frühling 2026 eröffnet werden.</p>
</article></body></html>""".encode()


def test_description_is_a_lead_only_where_the_page_shows_it() -> None:
    summary = "Die Stadt investiert acht Millionen Franken in eine Anlage am Bahnhof."
    marked = _one(_described(summary, f'<h2 class="subtitle">{summary}</h2>'))
    assert marked.lead == summary
    assert summary not in marked.body_text
    page = _described(summary, "").replace(b"<article>", f"<p>{summary}</p><article>".encode())
    shown = _one(page)  # shown above the article, in no element classed as a lead
    assert shown.lead == summary
    assert summary not in shown.body_text
    hidden = _one(_described(summary, ""))
    assert hidden.lead is None
    assert hidden.body_text.startswith("Der Luzerner Stadtrat")
    cut = _one(_described("Der Luzerner Stadtrat hat am Mittwoch den Bau einer neuen …", ""))
    assert cut.lead is None


def test_json_ld_graph_references_rights_notice_and_attribute_credits() -> None:
    """A WordPress/Yoast page: the article's author and pictures are references into the
    graph; AP's rights notice ends the text; an inline picture carries ``data-credit``."""
    a = _norm(_one((CASES / "html_graph_en_ap.html").read_bytes()))
    assert a.headline == "Wildfire forces evacuations near Athens"
    assert a.lead is None  # the description is the first paragraph
    body = a.body_text.split("\n\n")
    assert len(body) == 4
    assert body[0].startswith("ATHENS, Greece (AP) — A wildfire fanned by strong winds")
    assert body[-1] == (
        "Greece has been hit by a series of wildfires this summer after its warmest June on record."
    )
    assert "Copyright" not in a.body_text and "redistributed" not in a.body_text
    assert (a.byline, a.agencies) == ("Derek Gatopoulos", ["ap"])
    assert a.firstcreated == datetime(2024, 7, 20, 14, 2, 11, tzinfo=UTC)
    assert a.language == "en"
    pictures = [
        ((i.href or "").rsplit("/", 1)[-1], i.creator, i.agencies, i.caption) for i in a.images
    ]
    assert pictures == [
        (
            "athens-fire.jpg",
            "Michael Varaklas",
            ["ap"],
            "Flames burn a hillside in Varnavas, north of Athens.",
        ),
        ("smoke-athens.jpg", "Petros Giannakouris", ["ap"], None),
        (
            "water-plane.jpg",
            "Thanassis Stavrakis",
            ["ap"],
            "A firefighting plane drops water over the fire.",
        ),
    ]  # the VideoObject among associatedMedia is no picture


INLINE_PAGE = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">
<title>Le Conseil fédéral relève le taux de TVA</title></head><body>
<article><h1>Le Conseil fédéral relève le taux de TVA</h1>
<p>Le Conseil fédéral a décidé mercredi de relever le taux de TVA de <strong>0,4 point</strong>
pour financer la <a href="/dossiers/avs" onclick="track()">13e rente AVS</a>, a-t-il annoncé
à Berne. La mesure est <em>provisoire</em><br>et doit encore passer devant le Parlement.</p>
<p>Les partis bourgeois ont <b>critiqué</b> la décision, la gauche l'a <i>saluée</i>; le
<a href="javascript:alert(1)">communiqué complet</a> est publié sur le site de la
Confédération depuis mercredi après-midi.</p>
<pre><code>Taux normal:   8,1 % -> 8,5 %
Taux réduit:   2,6 % -> 2,7 %</code></pre>
<p>Le Parlement doit se prononcer lors de la session d'été, a précisé le porte-parole du
gouvernement devant les médias réunis au Palais fédéral.</p>
</article></body></html>"""


def test_body_html_keeps_inline_markup_and_code_line_breaks() -> None:
    """Links (made absolute, js: links dropped), bold, italics and line breaks stay in
    body_html, sanitised; code keeps its lines; body_text is the plain text as before."""
    url = "https://www.journal.example/suisse/tva-avs-4411"
    a = _one(INLINE_PAGE.encode(), location=url)
    assert a.body_text.split("\n\n") == [
        "Le Conseil fédéral a décidé mercredi de relever le taux de TVA de 0,4 point pour "
        "financer la 13e rente AVS, a-t-il annoncé à Berne. La mesure est provisoire et doit "
        "encore passer devant le Parlement.",
        "Les partis bourgeois ont critiqué la décision, la gauche l'a saluée; le communiqué "
        "complet est publié sur le site de la Confédération depuis mercredi après-midi.",
        "Taux normal: 8,1 % -> 8,5 % Taux réduit: 2,6 % -> 2,7 %",
        "Le Parlement doit se prononcer lors de la session d'été, a précisé le porte-parole "
        "du gouvernement devant les médias réunis au Palais fédéral.",
    ]
    rel = 'rel="noopener noreferrer nofollow"'
    expected = "\n".join(
        [
            "<p>Le Conseil fédéral a décidé mercredi de relever le taux de TVA de "
            "<strong>0,4 point</strong> pour financer la "
            f'<a href="https://www.journal.example/dossiers/avs" {rel}>13e rente AVS</a>, '
            "a-t-il annoncé à Berne. La mesure est <em>provisoire</em><br>et doit encore "
            "passer devant le Parlement.</p>",
            "<p>Les partis bourgeois ont <strong>critiqué</strong> la décision, la gauche l'a "
            "<em>saluée</em>; le communiqué complet est publié sur le site de la "
            "Confédération depuis mercredi après-midi.</p>",
            "<pre><code>Taux normal:   8,1 % -&gt; 8,5 %\nTaux réduit:   2,6 % -&gt; 2,7 %"
            "</code></pre>",
            "<p>Le Parlement doit se prononcer lors de la session d'été, a précisé le "
            "porte-parole du gouvernement devant les médias réunis au Palais fédéral.</p>",
        ]
    )
    assert a.body_html == expected
    assert _norm(a).body_html == expected  # normalise's sanitiser keeps it as it is
    assert _norm(a).body_text == a.body_text


def _rights_page(lang: str, head: str, ld: Mapping[str, object]) -> bytes:
    body = " ".join(["Der Regierungsrat hat am Montag das Budget für das kommende Jahr"] * 3)
    return (
        f'<html lang="{lang}"><head><title>T</title>{head}'
        f'<script type="application/ld+json">{json.dumps(ld)}</script></head><body><article>'
        f"<h1>Budget 2025 vorgestellt</h1><p>{body}.</p><p>{body} erneut.</p>"
        "</article></body></html>"
    ).encode()


def test_rights_from_json_ld_article_and_image_objects() -> None:
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Budget 2025 vorgestellt",
        "copyrightHolder": {"@type": "Organization", "name": "Keystone-SDA"},
        "copyrightYear": 2024,
        "license": {"@type": "CreativeWork", "name": "Nur redaktionelle Nutzung"},
        "image": {
            "@type": "ImageObject",
            "url": "https://img.example/budget.jpg",
            "creditText": "KEYSTONE/Peter Klaunzer",
            "copyrightNotice": "© 2024 Keystone",
            "usageInfo": "https://www.keystone-sda.ch/nutzungsbedingungen",
        },
    }
    a = _one(_rights_page("de", "", ld))
    assert (a.usage_terms, a.copyright_notice) == (
        "Nur redaktionelle Nutzung",
        "© 2024 Keystone-SDA",
    )
    [image] = a.images
    assert (image.credit, image.copyright_notice, image.usage_terms) == (
        "KEYSTONE/Peter Klaunzer",
        "© 2024 Keystone",
        "https://www.keystone-sda.ch/nutzungsbedingungen",
    )
    # copyrightNotice as stated wins over one built from the holder
    ld2 = {**ld, "copyrightNotice": "© Keystone-SDA, alle Rechte vorbehalten"}
    assert _one(_rights_page("de", "", ld2)).copyright_notice == (
        "© Keystone-SDA, alle Rechte vorbehalten"
    )


def test_rights_from_meta_copyright_and_dc_rights() -> None:
    """No JSON-LD rights: ``<meta name="copyright">`` is the notice; ``dc.rights`` is the
    usage terms, unless it reads as a notice itself (Italian and French pages)."""
    ld = {"@type": "NewsArticle", "headline": "Budget 2025 vorgestellt"}
    head = (
        '<meta name="copyright" content="© 2024 ANSA">'
        '<meta name="DC.rights" content="Riproduzione riservata, solo uso editoriale">'
    )
    a = _one(_rights_page("it", head, ld))
    assert (a.copyright_notice, a.usage_terms) == (
        "© 2024 ANSA",
        "Riproduzione riservata, solo uso editoriale",
    )
    head = '<meta name="rights" content="Tous droits réservés AFP 2024">'
    a = _one(_rights_page("fr", head, ld))
    assert (a.copyright_notice, a.usage_terms) == ("Tous droits réservés AFP 2024", None)
    plain = _one(_rights_page("de", "", ld))
    assert (plain.copyright_notice, plain.usage_terms) == (None, None)
    assert _norm(a).copyright_notice == "Tous droits réservés AFP 2024"


def test_lone_surrogate_escapes_in_json_ld_become_replacement_characters() -> None:
    """A JSON-LD ``"\\ud800"`` escape decodes to a lone surrogate, which no UTF-8 encoder
    takes: the page still gives its article (hypothesis found both: an author and a body),
    the surrogate read as U+FFFD."""
    page = (
        b'<!DOCTYPE html><html lang="de"><head><script type="application/ld+json">'
        b'{"@type": "NewsArticle", "headline": "Klima", "author": "\\udfff",'
        b' "articleBody": "Cl\\ud800imate: der Bundesrat beschliesst neue Ziele."}'
        b"</script></head><body></body></html>"
    )
    (result,) = ADAPTER.parse(page, FeedSettings(feed="page", source="web"))
    assert isinstance(result, Article), result
    assert result.body_text is not None and "Cl\ufffdimate" in result.body_text
    json.dumps(result.to_dict(), ensure_ascii=False).encode("utf-8")  # encodable throughout
