"""RSS 0.9x/1.0/2.0 and Atom: every mapped field, raw and after normalisation, and bad feeds."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

import wire.adapters.rss as rss_adapter
from wire.adapters.base import FeedSettings
from wire.adapters.rss import ADAPTER
from wire.errors import AdapterError
from wire.ingest.parsing import parse_payload
from wire.normalise.article import normalise
from wire.record import Article, Rejected, Subject

ROOT = Path(__file__).resolve().parents[2]
CASES = Path(__file__).parent / "cases"
NOW = datetime(2020, 8, 30, 18, 0, tzinfo=UTC)


def _read(path: Path) -> bytes:
    return path.read_bytes()


def _parse(path: Path, **kw: object) -> list[Article | Rejected]:
    return ADAPTER.parse(_read(path), FeedSettings(**kw))  # type: ignore[arg-type]


def _articles(results: list[Article | Rejected]) -> list[Article]:
    return [r for r in results if isinstance(r, Article)]


def _norm(article: Article, **kw: object) -> Article:
    return normalise(article, FeedSettings(**kw), NOW)  # type: ignore[arg-type]


SDA = ROOT / "samples" / "feeds" / "sda-news.rss"
AFP = ROOT / "samples" / "feeds" / "afp-world.atom"


def test_sniff_recognises_the_three_dialects_and_nothing_else() -> None:
    assert ADAPTER.sniff(_read(SDA), "sda-news.rss") >= 0.9
    assert ADAPTER.sniff(_read(AFP), None) >= 0.9
    assert ADAPTER.sniff(_read(CASES / "rss_rdf10.rdf"), None) >= 0.9
    assert ADAPTER.sniff(_read(CASES / "rss_091.xml"), None) >= 0.9
    assert ADAPTER.sniff(_read(CASES / "rss_not_a_feed.html"), "x.html") == 0.0
    assert ADAPTER.sniff(_read(ROOT / "samples" / "seed-nau-lukaschenko.txt"), "a.txt") == 0.0
    assert ADAPTER.sniff(b'{"uri": "x"}', None) == 0.0
    assert ADAPTER.sniff(b"", None) == 0.0
    # An Atom-looking root without the Atom namespace is not claimed.
    assert ADAPTER.sniff(b"<feed><entry/></feed>", None) == 0.0


def test_rss_item_raw_fields() -> None:
    results = _parse(SDA)
    assert len(results) == 6 and all(isinstance(r, Article) for r in results)
    a = _articles(results)[0]
    assert a.guid == "urn:newsml:sda.ch:20200830:brd0412"
    assert a.url == (
        "https://www.keystone-sda.ch/de/news/2020-08-30/lukaschenko-reist-zu-putin-nach-moskau"
    )
    assert a.headline == "Lukaschenko reist zu Putin nach Moskau"
    # The item's own description, not the picture's media:description.
    assert a.lead is not None and a.lead.startswith("Der unter Druck stehende weissrussische")
    assert a.body_html is not None and a.body_html.startswith("<p>Moskau/Minsk (dpa) - ")
    paragraphs = a.body_text.split("\n\n")
    assert len(paragraphs) == 4  # the closing "(dpa)" signature is attribution, not text
    assert paragraphs[0].startswith("Moskau/Minsk (dpa) - Der unter Druck")
    assert paragraphs[-1].endswith("bereits seit 26 Jahren.")
    assert a.dateline == "Moskau/Minsk"
    assert a.byline is None  # dc:creator "dpa" is an agency, not a person
    assert a.credit_strings[0] == "dpa"
    assert a.subjects == [
        Subject(code="sda-ressort:Ausland", name="Ausland"),
        Subject(code="sda-land:Weissrussland", name="Weissrussland"),
    ]
    assert a.firstcreated == datetime(2020, 8, 30, 12, 5, tzinfo=UTC)
    assert a.language == "de"  # channel <language>de-ch</language>
    [img] = a.images
    assert (
        img.href == "https://media.keystone-sda.ch/bilder/2020/08/30/dpa-lukaschenko-putin-1200.jpg"
    )
    assert img.alt == "Lukaschenko und Putin"
    assert img.caption is not None and img.caption.startswith("Wladimir Putin (r), Präsident")
    assert img.credit == "Alexei Nikolsky/dpa"
    assert img.creator == "Alexei Nikolsky"  # the role="photographer" credit
    assert img.copyright_holder == "dpa/Sputnik Kremlin Pool"


def test_rss_items_normalised_attribution() -> None:
    arts = [_norm(a) for a in _articles(_parse(SDA))]
    luka, bundesrat, fires, ats, kurzarbeit, football = arts
    assert (luka.source, luka.agencies) == ("dpa", ["dpa"])
    assert (bundesrat.source, bundesrat.agencies) == ("keystone-sda", ["keystone-sda"])
    assert fires.agencies == ["keystone-sda", "afp"]  # dc:creator "SDA/AFP"
    assert (ats.source, ats.language) == ("keystone-sda", "fr")  # item dc:language
    assert kurzarbeit.agencies == ["keystone-sda", "dpa"]  # "(sda/dpa)" signature
    assert not kurzarbeit.body_text.endswith("(sda/dpa)")
    assert kurzarbeit.body_text.endswith("kritisierte die hohen Kosten.")
    assert football.byline == "Peter Muster"
    assert football.source == "keystone-sda"  # the <source> element
    for a in arts:
        assert a.id and a.content_hash and a.feed == "adhoc"
        assert a.firstcreated is not None and a.firstcreated.tzinfo is not None


def test_rss_pictures_after_normalisation() -> None:
    arts = [_norm(a) for a in _articles(_parse(SDA))]
    [bundeshaus] = arts[1].images
    assert bundeshaus.credit == "KEYSTONE/Peter Schneider"
    assert bundeshaus.creator == "Peter Schneider"
    assert bundeshaus.agencies == ["keystone-sda"]
    assert bundeshaus.caption == "Das Bundeshaus in Bern am frühen Morgen."
    # Enclosure and media:content of the same URL are one picture; the credit in the
    # description is split off by normalisation.
    [fire] = arts[2].images
    assert fire.href == "https://media.keystone-sda.ch/bilder/2020/08/30/afp-kalifornien-feuer.jpg"
    assert fire.caption == (
        "Ein Feuerwehrmann vor einem brennenden Hang nördlich von San Francisco."
    )
    assert fire.agencies == ["keystone-sda", "afp"]
    assert fire.creator == "JOSH EDELSON"
    # A bare <enclosure type="image/jpeg">.
    [palais] = arts[3].images
    assert palais.href == "https://media.keystone-ats.ch/images/2020/08/30/palais-federal.jpg"
    assert arts[4].images == []
    # An item-level media:credit applies to the item's thumbnail.
    [thumb] = arts[5].images
    assert thumb.href is not None and thumb.href.endswith("yb-luzern-thumb.jpg")
    assert (thumb.creator, thumb.agencies) == ("Anthony Anex", ["keystone-sda"])


def test_atom_entries() -> None:
    results = _parse(AFP)
    assert len(results) == 5
    luka, fires, mali, abe, tennis = (_norm(a) for a in _articles(results))
    assert luka.guid == "tag:afp.com,2020:newsml_AFP_20200830T1152Z_1W80ZK"
    assert luka.url == "https://www.afp.com/en/news/world/belarus-lukashenko-meet-putin-moscow"
    assert luka.headline == "Belarus: Lukashenko to meet Putin in Moscow"
    assert luka.lead is not None and luka.lead.endswith("the Kremlin said on Sunday.")
    assert len(luka.body_text.split("\n\n")) == 3
    assert luka.firstcreated == datetime(2020, 8, 30, 11, 52, tzinfo=UTC)
    assert luka.versioncreated == datetime(2020, 8, 30, 12, 40, tzinfo=UTC)
    assert (luka.language, luka.source) == ("en", "afp")
    assert luka.subjects == [
        Subject(code="medtop:politics", name="Politics"),
        Subject(code=None, name="Belarus"),
    ]
    [img] = luka.images
    assert (img.alt, img.creator, img.copyright_holder) == (
        "Protest in Minsk",
        "Sergei Gapon",
        "AFP",
    )
    assert img.caption == "Opposition supporters march in central Minsk on August 30, 2020."
    assert img.agencies == ["afp"]  # from media:copyright
    # type="xhtml" content and an enclosure link.
    assert fires.body_text.startswith("More than 14,000 firefighters")
    assert fires.agencies == ["afp", "reuters"]
    assert [i.href for i in fires.images] == [
        "https://media.afp.com/photos/2020/08/30/AFP_1W80QB.jpg"
    ]
    # xml:lang on the entry beats the feed's.
    assert (mali.language, mali.dateline) == ("fr", "BAMAKO")
    assert [i.href for i in mali.images] == [
        "https://media.afp.com/photos/2020/08/30/AFP_1W80MN.jpg"
    ]  # media:content wins over the thumbnail of the same picture
    assert (abe.byline, abe.agencies) == ("Kyoko Hasegawa", ["afp", "reuters"])
    assert abe.body_text.endswith("is seen as the frontrunner.")
    # An entry with a summary but no content: the summary is the lead, the body is empty.
    assert tennis.body_text == "" and tennis.lead is not None
    assert tennis.firstcreated == tennis.versioncreated == datetime(2020, 8, 30, 7, 40, tzinfo=UTC)


def test_rss10_rdf() -> None:
    first, second = (_norm(a) for a in _articles(_parse(CASES / "rss_rdf10.rdf")))
    assert first.guid == first.url == "https://www.apa.at/news/20200830-unwetter-steiermark"
    assert (
        first.lead == "Heftige Gewitter haben in der Obersteiermark mehrere Murenabgänge ausgelöst."
    )
    assert first.agencies == ["apa"]  # the "(APA)" signature closing the description
    assert first.firstcreated == datetime(2020, 8, 30, 16, 20, tzinfo=UTC)  # dc:date
    assert first.subjects == [Subject(code=None, name="Unwetter")]
    assert first.language == "de"  # channel dc:language de-AT
    assert second.byline == "Maria Huber"
    assert second.agencies == ["apa"]  # the channel dc:publisher when the item names none
    assert second.dateline == "Salzburg"


def test_rss091_latin1() -> None:
    [a] = [_norm(x) for x in _articles(_parse(CASES / "rss_091.xml"))]
    assert a.headline == "Lugano, il Consiglio comunale approva il preventivo"
    assert a.language == "it"
    assert a.agencies == ["keystone-sda"]  # "(ATS)"
    assert (
        a.lead
        == "Il Consiglio comunale di Lugano ha approvato il preventivo 2021 con 38 voti favorevoli."
    )


def test_edge_cases() -> None:
    results = _parse(CASES / "rss_edge_cases.xml")
    assert [type(r).__name__ for r in results] == ["Article", "Rejected", "Article", "Article"]
    fire, rejected, rhine, gotthard = results
    assert isinstance(fire, Article)
    # media:content before <description> must not steal the lead (a feedparser quirk).
    assert (
        fire.lead == "Bei einem Brand in einem Mehrfamilienhaus sind zwei Personen verletzt worden."
    )
    assert fire.body_text == "" and fire.body_html is None
    assert fire.headline == "Winterthur: Dachstockbrand fordert zwei Verletzte"  # markup stripped
    # A pubDate without a zone is local to the feed.
    assert fire.firstcreated == datetime(2020, 8, 30, 6, 15, tzinfo=UTC)
    utc = _articles(_parse(CASES / "rss_edge_cases.xml", timezone="UTC"))[0]
    assert utc.firstcreated == datetime(2020, 8, 30, 8, 15, tzinfo=UTC)
    nf = _norm(fire)
    assert nf.source == "keystone-sda"  # <author>redaktion@... (SDA)</author>
    [img] = nf.images
    assert img.caption == "Die Feuerwehr löscht den Dachstockbrand."
    assert (img.credit, img.creator) == ("Keystone/Ennio Leanza", "Ennio Leanza")
    assert img.copyright_holder == "Keystone"  # dc:rights
    # An item with neither title nor content is rejected with its own bytes.
    assert isinstance(rejected, Rejected)
    assert rejected.reason == "item has neither a title nor any content"
    assert rejected.guid == "ticker-20200830-0002"
    assert b"ticker-20200830-0002" in rejected.raw and rejected.raw.startswith(b"<item")
    # media:group: the video is not a picture; the group's credit and copyright apply.
    assert isinstance(rhine, Article)
    [pic] = rhine.images
    assert pic.href == "https://img.example-ticker.ch/2020/08/rhein-large.jpg"
    assert (pic.credit, pic.copyright_holder) == ("Georgios Kefalas", "Keystone")
    assert _norm(rhine).source == "keystone-sda"  # item dc:publisher
    # No guid and no link: a stable hash of title and date.
    assert rhine.guid.startswith("rss:")
    assert rhine.guid == _articles(_parse(CASES / "rss_edge_cases.xml"))[1].guid
    # No title: the first sentence stands in; IPTC categories become QCodes.
    assert isinstance(gotthard, Article)
    assert gotthard.headline == (
        "Kurz gemeldet: Der Gotthard-Strassentunnel ist nach einem Unfall wieder offen."
    )
    assert gotthard.subjects == [
        Subject(code="medtop:20000560", name=None),
        Subject(code=None, name="Verkehr"),
        Subject(code=None, name="Gotthard"),
    ]


def test_truncated_feed_keeps_complete_items() -> None:
    results = _parse(CASES / "rss_truncated.xml")
    assert [type(r).__name__ for r in results] == ["Article", "Article", "Rejected"]
    assert [r.headline for r in _articles(results)] == [
        "Rad: Küng gewinnt Zeitfahren der Tour de Romandie",
        "Tennis: Golubic erreicht Viertelfinal",
    ]
    cut = results[2]
    assert isinstance(cut, Rejected)
    assert "cut off" in cut.reason
    assert b"Eishockey: Davos" in cut.raw


def test_entity_declarations_are_refused() -> None:
    with pytest.raises(AdapterError, match="entities"):
        _parse(CASES / "rss_billion_laughs.xml")


@pytest.mark.parametrize(
    "payload",
    [
        (CASES / "rss_not_a_feed.html").read_bytes(),
        b'{"items": []}',
        b"Just some words, no feed here.",
        b"",
        b"   \n",
        # A path as bytes must never be opened as a file by feedparser.
        str(ROOT / "samples" / "feeds" / "sda-news.rss").encode(),
    ],
)
def test_not_a_feed(payload: bytes) -> None:
    with pytest.raises(AdapterError):
        ADAPTER.parse(payload, FeedSettings())


def test_empty_channel_is_no_items() -> None:
    assert (
        ADAPTER.parse(
            b'<rss version="2.0"><channel><title>t</title></channel></rss>', FeedSettings()
        )
        == []
    )


def test_oversized_payload_is_refused() -> None:
    with pytest.raises(AdapterError, match="limit"):
        ADAPTER.parse(_read(SDA), FeedSettings(max_bytes=100))


RELATIVE = b"""<?xml version="1.0"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>t</title><link>https://news.example.ch/</link><description>d</description>
<item><title>Relativ</title><link>/artikel/1</link><guid>a-1</guid>
<content:encoded><![CDATA[<p>Siehe <a href="/dossier/wahlen">Dossier</a>.</p>]]></content:encoded>
</item></channel></rss>"""


def test_relative_links_resolve_against_the_feed_location() -> None:
    [a] = ADAPTER.parse(RELATIVE, FeedSettings(location="https://news.example.ch/feed.xml"))
    assert isinstance(a, Article)
    assert a.url == "https://news.example.ch/artikel/1"
    assert (
        a.body_html is not None and 'href="https://news.example.ch/dossier/wahlen"' in a.body_html
    )
    [b] = ADAPTER.parse(RELATIVE, FeedSettings(location="/srv/feeds/feed.xml"))
    assert isinstance(b, Article) and b.body_html is not None
    assert 'href="/dossier/wahlen"' in b.body_html  # a file path is no base for links


@pytest.mark.parametrize(
    ("html", "relative"),
    [
        (b'<a href="https://x.example/a">', False),
        (b"&lt;img src=&quot;http://x.example/a.jpg&quot;&gt;", False),
        (b'<div data-id="7">', False),
        (b'<a href="/dossier">', True),
        (b"&lt;a href=&quot;dossier.html&quot;&gt;", True),
        (b"<img src='//cdn.example/a.jpg'>", True),  # scheme-relative
        (b"<img src=a.jpg>", True),
        (b"<A HREF  =  '/dossier'>", True),
        (b'<x xhref="/dossier" version="1.0">', False),  # no attribute feedparser resolves
        (b'<a href=" https://x.example/a">', True),  # unsure: resolved
        ('<a href="https://x.example/a">'.encode("utf-16"), True),  # not scanned: resolved
    ],
)
def test_a_payload_without_relative_uris_skips_the_resolving_pass(
    html: bytes, relative: bool
) -> None:
    assert rss_adapter._may_hold_relative_uris(html) is relative


@pytest.mark.parametrize(
    "name", ["relative", *(p.name for p in [SDA, AFP, *sorted(CASES.glob("rss_*"))])]
)
def test_skipping_the_resolving_pass_changes_no_record(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = FeedSettings(location="https://news.example.ch/feeds/feed.xml")
    paths = {p.name: p for p in [SDA, AFP, *CASES.glob("rss_*")]}
    data = RELATIVE if name == "relative" else paths[name].read_bytes()

    def outcome() -> list[Article | Rejected] | str:
        """The records, or the refusal's reason for a payload that is no feed."""
        try:
            return ADAPTER.parse(data, settings)
        except AdapterError as exc:
            return f"AdapterError: {exc}"

    skipping = outcome()
    monkeypatch.setattr(rss_adapter, "_may_hold_relative_uris", lambda data: True)
    resolving = outcome()
    assert resolving == skipping
    # The cases that are no feed are refused either way, for the same reason; every other
    # one gives records or item rejects.
    refused = {"rss_billion_laughs.xml": "refused: the XML declares entities",
               "rss_not_a_feed.html": "not an RSS or Atom feed"}  # fmt: skip
    if name in refused:
        assert isinstance(skipping, str) and refused[name] in skipping
    else:
        assert isinstance(skipping, list) and skipping


def test_normalised_body_html_is_sanitised() -> None:
    feed = b"""<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>t</title><item><title>X</title><guid>x</guid>
<content:encoded><![CDATA[<p onclick="steal()">Text.</p><script>alert(1)</script>]]>
</content:encoded>
</item></channel></rss>"""
    [a] = ADAPTER.parse(feed, FeedSettings())
    assert isinstance(a, Article)
    n = _norm(a)
    assert n.body_html is not None
    assert "script" not in n.body_html and "onclick" not in n.body_html
    assert n.body_text == "Text."


def test_lukaschenko_rewrite_overlaps_the_seed() -> None:
    """The dpa rewrite in the sample feed shares most of its text with the seed page."""
    from wire.adapters.text import ADAPTER as TEXT

    rss = _articles(_parse(SDA))[0]
    [seed] = TEXT.parse(
        (ROOT / "samples" / "seed-nau-lukaschenko.txt").read_bytes(), FeedSettings()
    )
    assert isinstance(seed, Article)

    def shingles(text: str) -> set[tuple[str, ...]]:
        words = re.findall(r"\w+", text.casefold())
        return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}

    a, b = shingles(rss.body_text), shingles(seed.body_text)
    assert len(a & b) / len(a | b) > 0.5
    assert rss.headline != seed.headline


def test_netscape_dtd_entities_are_read_not_fetched() -> None:
    """RSS 0.91 names an external DTD for its HTML entities; the DTD is never loaded."""
    [a] = _articles(_parse(CASES / "rss_netscape_entities.xml"))
    assert a.headline == "Le café du Palais fédéral rouvre"
    assert a.lead == "Le café du Palais fédéral rouvre ses portes lundi après six mois de travaux."
    assert _norm(a).agencies == ["keystone-sda"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32", "utf-8-sig"])
def test_a_wide_encoded_feed_is_sniffed_and_read(encoding: str) -> None:
    feed = (
        f'<?xml version="1.0" encoding="{encoding.upper().replace("-SIG", "")}"?>\n'
        '<rss version="2.0"><channel><title>SDA</title><item><title>Zürich: Stadtrat tagt'
        "</title><guid>sda-1</guid><description>Zürich - Der Stadtrat hat am Mittwoch getagt."
        "</description></item></channel></rss>"
    ).encode(encoding)
    assert ADAPTER.sniff(feed) == 0.95
    [article] = parse_payload(feed, FeedSettings(feed="sda"), "auto")
    assert isinstance(article, Article) and article.headline == "Zürich: Stadtrat tagt"


def test_status_words_leave_rss_titles() -> None:
    oil, budget, cup = (_norm(a) for a in _articles(_parse(CASES / "rss_status_words.xml")))
    assert oil.headline == "Oil jumps as OPEC+ extends output cuts"
    assert (oil.signals, oil.ednote, oil.source) == (["update:2"], "UPDATE 2", "reuters")
    assert budget.headline == "Bundesregierung einigt sich auf Haushalt"
    assert (budget.signals, budget.urgency, budget.source) == (["urgent"], 2, "dpa")
    assert cup.headline == "Extra time decides the cup final"  # a word, not the status EXTRA
    assert (cup.signals, cup.ednote) == ([], None)
    assert cup.source == "pa"  # "PA Sport": a desk of PA Media


def test_a_media_copyright_with_a_url_in_an_ill_formed_feed_is_no_holder() -> None:
    """An ill-formed feed goes through feedparser, which gives ``<media:copyright url=...>`` as
    its attributes (a dict; the text is lost): the picture gets no holder from it, not the
    dict (the property test found it: normalisation then failed on the dict)."""
    feed = (
        b'<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>t'
        b"</title><item><title>Klima</title><guid>urn:x:1</guid><description>Der Bundesrat"
        b' beschliesst neue Ziele.</description><media:content url="http://x/a.jpg"'
        b' medium="image"><media:credit>KEYSTONE/Peter Schneider</media:credit></media:content>'
        b'<media:copyright url="http://x/rights">Keystone</media:copyright>'
        b"<media:thumbnail>Cl\xed\xa0\x80imate</media:thumbnail></item></channel></rss>"
    )  # (the undecodable bytes make it ill-formed)
    (article,) = _articles(ADAPTER.parse(feed, FeedSettings(feed="f")))
    (image,) = article.images
    assert image.copyright_holder is None and image.credit == "KEYSTONE/Peter Schneider"
    normalised = _norm(article, feed="f")
    assert normalised.images[0].credit == "KEYSTONE/Peter Schneider"
