"""The RSS adapter's tree reader (``wire.adapters.feedtree``) against feedparser, the reference.

Every RSS/Atom fixture in the repository (tests/adapters/cases, samples/feeds, the inline feeds
of test_rss.py's shape, the benchmark feeds) is parsed twice: once with the tree reader on (the
default) and once with feedparser reading every feed; the records must be equal, field for
field, rejects included. Hypothesis then does the same on generated RSS documents.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given

from bench.ingest.run import make_feed as ingest_feed
from bench.parse.feed import make_feed as parse_feed
from tests.adapters import strategies as shaped
from wire.adapters import feedtree
from wire.adapters.base import FeedSettings
from wire.adapters.rss import ADAPTER, RssAdapter
from wire.adapters.xmlsafe import parse_xml
from wire.errors import AdapterError
from wire.record import Article, Rejected

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = FeedSettings(feed="tree", source="sda")
WEB = FeedSettings(feed="tree", location="https://www.example-wire.test/news/feed.xml")


def fixtures() -> Iterator[Path]:
    """Every file in the repository's fixture folders that the RSS adapter claims."""
    for folder in (ROOT / "tests" / "adapters" / "cases", ROOT / "samples"):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and ADAPTER.sniff(path.read_bytes()[:4096], path.name) >= 0.6:
                yield path


def reference() -> RssAdapter:
    adapter = RssAdapter()
    adapter.tree = False
    return adapter


def both(data: bytes, settings: FeedSettings) -> tuple[object, object]:
    """(tree path, feedparser path): each the records, or the AdapterError's message."""
    out: list[object] = []
    for adapter in (RssAdapter(), reference()):
        try:
            out.append(_comparable(adapter.parse(data, settings)))
        except AdapterError as exc:
            out.append(str(exc))
    return out[0], out[1]


def _comparable(results: list[Article | Rejected]) -> list[object]:
    return [r.to_dict() if isinstance(r, Article) else (r.reason, r.raw, r.guid) for r in results]


FIXTURES = list(fixtures())


def test_the_fixtures_are_found() -> None:
    names = {p.name for p in FIXTURES}
    assert {"sda-news.rss", "afp-world.atom", "rss_rdf10.rdf", "rss_091.xml"} <= names
    assert len(FIXTURES) >= 10


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
@pytest.mark.parametrize("settings", [SETTINGS, WEB], ids=["file", "web"])
def test_tree_and_feedparser_give_equal_records(path: Path, settings: FeedSettings) -> None:
    tree, fp = both(path.read_bytes(), settings)
    assert tree == fp


def _bench_feeds() -> list[bytes]:
    return [
        parse_feed(60)[0],
        ingest_feed(random.Random(3), 1, 20, datetime(2026, 11, 25, tzinfo=UTC)),
    ]


@pytest.mark.parametrize("data", _bench_feeds(), ids=["bench-parse", "bench-ingest"])
def test_benchmark_feeds_take_the_tree_path_with_equal_records(data: bytes) -> None:
    assert feedtree.read(parse_xml(data), None) is not None  # the fast path is what is timed
    tree, fp = both(data, SETTINGS)
    assert tree == fp


def test_the_agency_samples_take_the_tree_path() -> None:
    for name in ("sda-news.rss", "afp-world.atom"):
        root = parse_xml((ROOT / "samples" / "feeds" / name).read_bytes())
        assert feedtree.read(root, None) is not None, name


TRICKY = [
    # guid as link, no link element; isPermaLink false keeps the link empty
    b'<rss version="2.0"><channel><item><title>A</title><guid>https://x.test/a</guid></item>'
    b'<item><title>B</title><guid isPermaLink="false">urn:b</guid></item></channel></rss>',
    # link after guid wins; query ampersands; an e-mail author; categories with a domain
    b'<rss version="2.0"><channel><language>fr-CH</language><copyright>AFP</copyright><item>'
    b"<guid>https://x.test/c</guid><link>https://x.test/c?a=1&amp;b=2</link><title>C</title>"
    b'<author>jean@afp.test (Jean Dupont, AFP)</author><category domain="iptc">15000000'
    b"</category><category>Sport</category><pubDate>Mon, 30 Nov 2026 08:00:00 +0100</pubDate>"
    b"</item></channel></rss>",
    # Atom: alternate link, html title, text content, categories with labels, a dc:creator
    b'<feed xmlns="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    b'xml:lang="de"><title>F</title><entry><id>urn:e1</id><title type="html">'
    b'&lt;b&gt;Fett&lt;/b&gt; und mager</title><link rel="alternate" href="https://x.test/e1"/>'
    b'<updated>2026-11-30T08:00:00Z</updated><content type="text">Absatz eins.\n\nAbsatz zwei.'
    b'</content><category term="medtop:04000000" scheme="http://cv.iptc.org/newscodes/mediatopic/"'
    b' label="Wirtschaft"/><dc:creator>sda/dpa</dc:creator></entry></feed>',
    # Media RSS categories and keywords, a picture with credit
    b'<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><item><title>M'
    b'</title><media:content url="https://x.test/p.jpg" medium="image"><media:credit>KEYSTONE/'
    b"Peter Schneider</media:credit><media:keywords>Bern, Politik</media:keywords></media:content>"
    b'<media:category scheme="urn:s">Politik</media:category></item></channel></rss>',
    # Windows-1252 controls and double-encoded UTF-8 in a UTF-8 feed
    '<rss version="2.0"><channel><item><title>Z\u00c3\u00bcrich \x93zitiert\x94</title>'
    "</item></channel></rss>".encode(),
    # relative link against the feed's address
    b'<rss version="2.0"><channel><item><title>R</title><link>/r/1</link></item></channel></rss>',
    # an unknown element: feedparser reads the feed
    b'<rss version="2.0" xmlns:x="urn:x"><channel><item><title>U</title><x:y>1</x:y></item>'
    b"</channel></rss>",
]


@pytest.mark.parametrize("data", TRICKY, ids=range(len(TRICKY)))
@pytest.mark.parametrize("settings", [SETTINGS, WEB], ids=["file", "web"])
def test_tricky_feeds_give_equal_records(data: bytes, settings: FeedSettings) -> None:
    tree, fp = both(data, settings)
    assert tree == fp


def test_unknown_elements_leave_the_feed_to_feedparser() -> None:
    assert feedtree.read(parse_xml(TRICKY[-1]), None) is None
    assert feedtree.read(parse_xml(TRICKY[0]), None) is not None


@given(data=shaped.rss_documents)
def test_generated_feeds_give_equal_records(data: bytes) -> None:
    tree, fp = both(data, SETTINGS)
    assert tree == fp


def test_non_ascii_attributes_are_read_as_the_document_encodes_them() -> None:
    """The one difference known: given response headers without a Content-Type (as the
    adapter passes a feed's address), feedparser decodes attribute values as Latin-1;
    the tree reader reads them as the document says (UTF-8 here)."""
    data = (
        '<rss version="2.0"><channel><item><title>t</title><category domain="urn:ressort">'
        'Économie</category><category domain="urn:r\u00e9gion">Genève</category></item>'
        "</channel></rss>"
    ).encode()
    (article,) = ADAPTER.parse(data, WEB)
    assert isinstance(article, Article)
    assert [s.code for s in article.subjects] == ["urn:ressort:Économie", "urn:région:Genève"]
