"""A 2,000-item agency RSS feed for ``bench/parse``: real-shaped wire copy, no declared language.

The texts are the dedup evaluation set's (``bench/dedup/pairs.jsonl``: German, French, Italian
and English agency copy with datelines, trailers and rewrites by several desks), each text once,
in the order of the set. Each item carries what agency feeds carry: guid, link, title,
description (the lead), ``content:encoded`` (the body as HTML paragraphs), ``dc:creator``
(agency credits), a category, ``pubDate`` and a Media RSS picture with caption and credit. The
channel declares no language, so every item's language is detected (the costly case).
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

PAIRS = Path(__file__).resolve().parent.parent / "dedup" / "pairs.jsonl"
AGENCIES = ["SDA", "sda/dpa", "SDA/AFP", "Keystone-SDA", "awp/sda", "sda/Reuters", "ANSA", "dpa"]
CREDITS = [
    "KEYSTONE/Peter Schneider",
    "dpa",
    "AFP PHOTO / FABRICE COFFRINI",
    "REUTERS/Denis Balibouse",
]
CATEGORIES = ["Schweiz", "International", "Wirtschaft", "Sport", "Kultur", "Vermischtes"]


def texts() -> list[dict[str, str]]:
    """Every distinct text of the evaluation set, with its language, in file order."""
    seen: set[str] = set()
    out = []
    for line in PAIRS.read_text(encoding="utf-8").splitlines():
        pair = json.loads(line)
        for side in ("a", "b"):
            text = pair[side]
            key = text["headline"] + text["body"]
            if key not in seen:
                seen.add(key)
                out.append({**text, "lang": pair["lang"]})
    return out


def make_feed(items: int = 2000, seed: int = 7) -> tuple[bytes, list[str]]:
    """The feed's bytes and each item's true language."""
    rng = random.Random(seed)
    pool = texts()
    start = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/">',
        "<channel><title>Agentur-Feed</title><link>https://wire.example/</link>"
        "<description>Nachrichten aus aller Welt</description>",
    ]
    langs = []
    for i in range(items):
        text = pool[i % len(pool)]
        langs.append(text["lang"])
        paras = "".join(f"<p>{escape(p)}</p>" for p in text["body"].split("\n\n") if p)
        when = (start - timedelta(minutes=i)).strftime("%a, %d %b %Y %H:%M:%S +0000")
        parts.append(
            "<item>"
            f'<guid isPermaLink="false">urn:newsml:wire.example:2026:{i}</guid>'
            f"<title>{escape(text['headline'])}</title>"
            f"<link>https://wire.example/story/{i}</link>"
            f"<description>{escape(text['lead'])}</description>"
            f"<content:encoded><![CDATA[{paras}]]></content:encoded>"
            f"<dc:creator>{rng.choice(AGENCIES)}</dc:creator>"
            f"<category>{rng.choice(CATEGORIES)}</category>"
            f"<pubDate>{when}</pubDate>"
            f'<media:content url="https://img.wire.example/{i}.jpg" medium="image" '
            'type="image/jpeg">'
            f"<media:description>{escape(text['headline'])}</media:description>"
            f"<media:credit>{rng.choice(CREDITS)}</media:credit></media:content>"
            "</item>"
        )
    parts.append("</channel></rss>")
    return "\n".join(parts).encode(), langs


if __name__ == "__main__":
    import sys

    data, _ = make_feed(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
    sys.stdout.buffer.write(data)
