"""The benchmark's loopback agency servers: N RSS feeds spread over H loopback addresses.

One asyncio process listens on 127.0.0.2 .. 127.0.0.(H+1), same port, so the daemon sees H
distinct hosts (and its per-host limit applies as it would to H agencies). Feed ``/feed/<i>``
is either *stable* (answers 304 to its ETag) or *fresh* (its 20-item window moves on by
``--new`` items each phase, with a new ETag). ``GET /_phase/<n>`` on any address switches the
phase; ``GET /_stats`` answers the feed requests and body bytes served so far (JSON), so the
bench shows that a baseline read the same bytes as a cycle. Every answer waits
``--latency-ms`` (uniform 0.5x to 1.5x) like a remote server.

What the items say (``--feeds``): ``wire`` (the default since session 14) is real-shaped
agency copy, the dedup speed bench's generator (distinct stories in German, French and
English, a quarter of them rewrites of a recent story; each feed in one language, as
``feed_language`` says, which the bench's sources declare); ``vocabulary`` is the feeds of
sessions 1-13, random draws from 124 mostly capitalised German nouns (``WORDS``).

Run by bench/daemon/run.py; prints ``ready <port>`` when listening.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import socket
import sys
import zlib
from collections.abc import Callable
from email.utils import formatdate
from html import escape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # wire, as run from anywhere

from wire.record import Article

Story = tuple[str, str, list[str]]  # headline, lead, body paragraphs
FEEDS = ("wire", "vocabulary")
WIRE_LANGS = ("de", "fr", "en")  # the speed bench's languages (it has no Italian seed stories)
WIRE_PARAGRAPHS = 3
SEED = 14
RECENT = 500  # a rewrite is of one of the last 500 items of its language

WORDS = (
    "Regierung Bundesrat Parlament Wahl Abstimmung Kanton Gemeinde Wirtschaft Bank Zinsen "
    "Inflation Export Import Industrie Handel Arbeit Streik Gewerkschaft Polizei Gericht Urteil "
    "Klage Unfall Feuer Wetter Sturm Hochwasser Schnee Lawine Verkehr Bahn Flughafen Strasse "
    "Schule Universität Forschung Studie Spital Gesundheit Impfung Virus Sport Fussball Tennis "
    "Ski Rennen Sieg Niederlage Meisterschaft Kultur Theater Konzert Film Museum Ausstellung "
    "Preis Minister Präsident Botschafter Gipfel Treffen Vertrag Abkommen Krieg Frieden Hilfe "
    "Flüchtlinge Grenze Zoll Steuer Budget Defizit Rente Versicherung Energie Strom Gas Öl "
    "Klima Umwelt Wald Wasser Landwirtschaft Bauern Milch Käse Tourismus Hotel Gäste Zahlen "
    "der die das und mit für von auf nach bei über unter gegen ohne wegen seit bis am im "
    "sagte teilte mit erklärte betonte kündigte an forderte warnte bestätigte meldete"
).split()


def vocabulary_story(feed: int, n: int) -> Story:
    """Item ``n`` of feed ``feed`` before session 14: 160 words drawn at random from
    ``WORDS`` (``--feeds vocabulary``). Every story shares most of its capitalised nouns with
    every other, so each is an LSH candidate of hundreds (bench/daemon/README.md)."""
    rnd = random.Random(feed * 100_003 + n)
    words = [rnd.choice(WORDS) for _ in range(160)]
    title = " ".join(words[:7]).capitalize()
    lead = " ".join(words[7:35]) + "."
    return title, lead, [" ".join(words[i : i + 40]) + "." for i in range(35, 160, 40)]


def feed_language(feed: int, feeds: str) -> str:
    """The language a source declares: one language a feed, as agencies send them."""
    return "de" if feeds == "vocabulary" else WIRE_LANGS[feed % len(WIRE_LANGS)]


def wire_stories(
    sources: int, fresh: set[int], size: int, new: int, stable_size: int, seed: int = SEED
) -> dict[tuple[int, int], Story]:
    """Every item the real-shaped feeds serve, keyed (feed, n), from the dedup speed bench's
    generator (``bench/dedup/bench_speed.py``): distinct stories drawn from a Zipf vocabulary
    of real words, and a quarter rewrites of a recent story of the same language (another
    agency's or an update: words swapped, a sentence dropped or added, sentences reordered).
    Items are made in time order: phase 1's windows (item n of every feed before item n + 1),
    then the items phase 2 adds to the fresh feeds, so a steady cycle's items rewrite cold
    ones too. Bodies keep their first ``WIRE_PARAGRAPHS`` paragraphs: items near the size of
    the vocabulary feeds'. Deterministic by ``seed``."""
    # imported here: bench_speed sets OMP/OPENBLAS_NUM_THREADS=1 in os.environ, which
    # run.py (importing this module) would hand on to the daemon it measures
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "dedup"))
    from bench_speed import DUP_SHARE, Generator

    gen = Generator(seed)
    rng = gen.rng
    recent: dict[str, list[Article]] = {lang: [] for lang in WIRE_LANGS}
    slots = [(f, n) for n in range(size) for f in range(sources) if f in fresh or n < stable_size]
    slots += [(f, n) for n in range(size, size + new) for f in sorted(fresh)]
    out: dict[tuple[int, int], Story] = {}
    for k, (f, n) in enumerate(slots):
        lang = feed_language(f, "wire")
        pool = recent[lang]
        if pool and rng.random() < DUP_SHARE:
            article = gen.variant(k, rng.choice(pool[-RECENT:]))
        else:
            article = gen.fresh(k, lang)
        pool.append(article)
        paras = article.body_text.split("\n\n")[:WIRE_PARAGRAPHS]
        out[f, n] = (article.headline or "", article.lead or "", paras)
    return out


def item_xml(feed: int, n: int, story: Story) -> str:
    title, lead, paras = story
    body = "".join(f"<p>{escape(p)}</p>" for p in paras)
    minute = n % 60
    return (
        f"<item><title>{escape(title)}</title>"
        f"<link>https://agency{feed % 97}.example/news/{feed}/{n}</link>"
        f'<guid isPermaLink="false">urn:bench:{feed}:{n}</guid>'
        f"<pubDate>Mon, 02 Sep 2024 {8 + n // 60 % 12:02d}:{minute:02d}:00 +0200</pubDate>"
        f"<dc:creator>sda</dc:creator><description>{escape(lead)}</description>"
        f"<content:encoded><![CDATA[{body}]]></content:encoded></item>"
    )


def feed_xml(feed: int, start: int, size: int, story: Callable[[int, int], Story]) -> bytes:
    newest_first = range(start + size - 1, start - 1, -1)
    items = "".join(item_xml(feed, n, story(feed, n)) for n in newest_first)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
        f"<title>Agency feed {feed}</title><link>https://agency.example/{feed}</link>"
        f"<description>Benchmark feed {feed}</description>{items}</channel></rss>"
    ).encode()


def fresh_feeds(sources: int, fresh: float) -> set[int]:
    """The feeds whose window moves on each phase: every round(1 / fresh)-th."""
    step = max(1, round(1 / fresh)) if fresh > 0 else 0
    return {i for i in range(sources) if step and i % step == 0}


class Feeds:
    def __init__(
        self,
        sources: int,
        fresh: float,
        new: int,
        size: int,
        stable_size: int,
        lowercase: bool,
        feeds: str = "wire",
    ) -> None:
        self.sources, self.new, self.size, self.stable_size = sources, new, size, stable_size
        self.lowercase = lowercase
        self.fresh = fresh_feeds(sources, fresh)
        self.phase = 1
        self.cache: dict[tuple[int, int], tuple[bytes, str]] = {}
        self.stories: dict[tuple[int, int], Story] = {}
        if feeds == "wire":  # phase 2 is the last: its items are all made up front
            self.stories = wire_stories(sources, self.fresh, size, new, stable_size)

    def story(self, feed: int, n: int) -> Story:
        """Headline, lead and paragraphs of item ``n`` of ``feed``."""
        title, lead, paras = self.stories.get((feed, n)) or vocabulary_story(feed, n)
        if self.lowercase:  # no capitalised nouns, so no "names" shared by every story
            return title.lower(), lead.lower(), [p.lower() for p in paras]
        return title, lead, paras

    def get(self, i: int) -> tuple[bytes, str]:
        phase = self.phase if i in self.fresh else 1
        key = (i, phase)
        hit = self.cache.get(key)
        if hit is None:
            if i in self.fresh:
                body = feed_xml(i, (phase - 1) * self.new, self.size, self.story)
            else:
                body = feed_xml(i, 0, self.stable_size, self.story)
            hit = self.cache[key] = (body, f'"{zlib.crc32(body):08x}-{phase}"')
        return hit


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--hosts", type=int, default=20)
    ap.add_argument("--sources", type=int, default=2000)
    ap.add_argument("--fresh", type=float, default=0.25)
    ap.add_argument("--new", type=int, default=5)
    ap.add_argument("--size", type=int, default=20)
    ap.add_argument("--stable-size", type=int, default=1)
    ap.add_argument("--latency-ms", type=float, default=50.0)
    ap.add_argument("--lowercase", action="store_true", help="stories without capitalised words")
    ap.add_argument("--feeds", choices=FEEDS, default="wire", help="what the items say")
    args = ap.parse_args()
    feeds = Feeds(
        args.sources, args.fresh, args.new, args.size, args.stable_size, args.lowercase, args.feeds
    )
    for phase in (1, 2):  # every body built up front: answering costs the same in each run
        feeds.phase = phase
        for i in range(args.sources):
            feeds.get(i)
    feeds.phase = 1
    latency = args.latency_ms / 1000
    modified = formatdate(1_725_000_000, usegmt=True)
    served = {"requests": 0, "bytes": 0}

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                path = lines[0].split(" ")[1]
                inm = next(
                    (
                        ln.split(":", 1)[1].strip()
                        for ln in lines
                        if ln.lower().startswith("if-none-match:")
                    ),
                    None,
                )
                if path.startswith("/_phase/"):
                    feeds.phase = int(path.rsplit("/", 1)[1])
                    status, body, extra = "200 OK", b"ok", ""
                elif path == "/_stats":
                    status, body = "200 OK", json.dumps(served).encode()
                    extra = "Content-Type: application/json\r\n"
                elif path.startswith("/feed/"):
                    if latency:
                        await asyncio.sleep(latency * (0.5 + random.random()))
                    body, etag = feeds.get(int(path.rsplit("/", 1)[1]))
                    extra = f"ETag: {etag}\r\nLast-Modified: {modified}\r\n"
                    if inm == etag:
                        status, body = "304 Not Modified", b""
                    else:
                        status = "200 OK"
                        extra += "Content-Type: application/rss+xml\r\n"
                    served["requests"] += 1
                    served["bytes"] += len(body)
                else:
                    status, body, extra = "404 Not Found", b"", ""
                writer.write(
                    f"HTTP/1.1 {status}\r\n{extra}Content-Length: {len(body)}\r\n\r\n".encode()
                    + body
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    hosts = [f"127.0.0.{2 + i}" for i in range(args.hosts)]
    port = args.port
    if not port:  # one port for every address
        probe = socket.socket()
        probe.bind((hosts[0], 0))
        port = probe.getsockname()[1]
        probe.close()
    server = await asyncio.start_server(handle, hosts, port, backlog=2048)
    port = server.sockets[0].getsockname()[1]
    print(f"ready {port}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
