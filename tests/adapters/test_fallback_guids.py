"""Items without an id get a guid hashed from their content, the same in every release.

Guids are stored: a changed fallback would make every such item new again. These values were
taken before the fallbacks were moved into ``wire.adapters.base.fallback_guid``, and pin them.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from wire.adapters import html, iptc7901, nitf, rss, text
from wire.adapters.base import Adapter, FeedSettings, fallback_guid
from wire.record import Article

CASES = Path(__file__).parent / "cases"

RSS_NO_ID = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Ticker</title><link>https://t.example.ch/</link>
<item><title>Rhein f\xc3\xbchrt Hochwasser</title>
<pubDate>Sun, 30 Aug 2020 09:15:00 +0200</pubDate>
<description>Der Rhein f\xc3\xbchrt bei Basel Hochwasser.</description></item>
<item><title>Ohne Datum</title><description>Text ohne Zeit.</description></item>
</channel></rss>"""

NITF_NO_ID = b"""<nitf><head><title>Ohne Kennung</title>
  <docdata><date.issue norm="20240301T120000"/></docdata></head>
  <body><body.content><p>Text.</p></body.content></body></nitf>"""

HTML_NO_URL = b"""<html><head><title>Velostation in Luzern</title></head><body><article>
<h1>Luzern erh\xc3\xa4lt eine neue Velostation</h1>
<p>Die Stadt Luzern baut beim Bahnhof eine Velostation mit 1200 Pl\xc3\xa4tzen, die im
Herbst 2025 er\xc3\xb6ffnet werden soll. Das Parlament hat den Kredit am Donnerstag bewilligt.</p>
<p>Die Kosten belaufen sich auf rund 14 Millionen Franken, wie die Stadt mitteilte.</p>
</article></body></html>"""

TEXT_NO_LOCATION = (
    b"Gotthard wieder offen\n\n"
    b"Der Gotthard-Strassentunnel ist nach der Sperrung am Morgen wieder in beiden "
    b"Richtungen befahrbar.\n\n"
    b"Die Polizei meldete am Mittag freie Fahrt.\n"
)


def _iptc(header: str, text_: str, post: str = "") -> bytes:
    return f"\x01{header}\n\x02{text_}\n\x03{post}\n\x04".encode()


def _guids(adapter: Adapter, data: bytes) -> list[str]:
    results = adapter.parse(data, FeedSettings(feed="pin"))
    return [r.guid for r in results if isinstance(r, Article)]


@pytest.mark.parametrize(
    ("adapter", "data", "expected"),
    [
        (
            rss.ADAPTER,
            RSS_NO_ID,
            [
                "rss:abdd34004738ec2776ea401ca69d1185798110a4",
                "rss:70bf52215a2f4068a9ea4553ae926e1fb9589137",
            ],
        ),
        (nitf.ADAPTER, NITF_NO_ID, ["nitf:d8b3e3a5093097966e947fc8"]),
        (html.ADAPTER, HTML_NO_URL, ["html:2215e51128427fa07620e44c"]),
        (text.ADAPTER, TEXT_NO_LOCATION, ["text:04382d9e695da3ac9cb63247"]),
        (iptc7901.ADAPTER, _iptc("EILMELDUNG", "Titel\n\nText."), ["iptc7901-30da29afaf762a4b"]),
        (
            iptc7901.ADAPTER,
            _iptc("bdt0000 3 pl 3  dpa 0000", "Erster Titel\n\nText eins.", "121200 Mär 24"),
            ["bdt0000-20240312-c8938a55"],
        ),
    ],
    ids=["rss", "nitf", "html", "text", "iptc7901-no-header", "iptc7901-unnumbered"],
)
def test_fallback_guids_are_unchanged(adapter: Adapter, data: bytes, expected: list[str]) -> None:
    assert _guids(adapter, data) == expected


def test_fallback_guid_is_prefix_plus_hash_of_the_fields() -> None:
    sha1 = hashlib.sha1(b"Titel\x1fText").hexdigest()
    assert fallback_guid("x:", "Titel", "Text") == "x:" + sha1[:24]
    assert fallback_guid("x:", "Titel", "Text", length=None) == "x:" + sha1
    sha256 = hashlib.sha256(b"Titel\nText").hexdigest()
    assert fallback_guid("", "Titel", "Text", sep="\n", algorithm="sha256") == sha256[:24]
