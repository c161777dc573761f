"""Signing without datasketch (what a parse worker does) against the clusterer's own signing."""

from __future__ import annotations

import random
import subprocess
import sys
import zlib
from dataclasses import replace

import numpy as np
import pytest
from datasketch import MinHash

from bench.dedup.stories import STORIES
from tests.ingest.servers import rss
from wire.adapters.base import FeedSettings
from wire.config import DedupConfig
from wire.ingest import parsing
from wire.ingest.dedup import Signer
from wire.ingest.parsing import parse_and_sign
from wire.ingest.signing import (
    SCHEME,
    SEED,
    MinHasher,
    affine32_permutations,
    crc32_joined,
    text_key,
)
from wire.record import Article

CONFIG = DedupConfig()


def article(story: dict[str, object], **kw: object) -> Article:
    base = Article(
        guid=str(story["id"]),
        headline=str(story["headline"]),
        lead=str(story["lead"]),
        body_text="\n\n".join(story["body"]),  # type: ignore[arg-type]
        language="de",
    )
    return replace(base, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize("num_perm", [16, 128, 256])
def test_permutations_are_datasketchs(num_perm: int) -> None:
    theirs = MinHash(num_perm, seed=SEED, scheme=SCHEME).permutations
    assert np.array_equal(affine32_permutations(num_perm), theirs)


def test_parse_workers_sign_without_importing_datasketch() -> None:
    code = (
        "import sys, wire.ingest.parsing, wire.ingest.signing; "
        "print(sorted(m for m in ('datasketch', 'scipy', 'sqlalchemy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_packed_signatures_equal_the_clusterers() -> None:
    hasher, signer = MinHasher(CONFIG), Signer(CONFIG)
    for story in STORIES[:20]:
        a = article(story)
        sig = signer.sign(a)
        assert sig is not None
        assert hasher.packed(a) == signer.pack(sig)
    assert hasher.packed(article(STORIES[0], body_text="", lead="", headline="Kurz")) == b""


def test_given_signatures_are_taken_and_forgotten() -> None:
    signer = Signer(CONFIG)
    a, b = article(STORIES[0]), article(STORIES[1])
    theirs = MinHasher(CONFIG).packed(b)
    signer.give({text_key(a): theirs, text_key(b): b""})
    given = signer.sign(a)
    assert given is not None and signer.pack(given) == theirs  # taken as given, not recomputed
    assert signer.sign(b) is None  # "no signature" is an answer too
    signer.forget([text_key(a), text_key(b)])
    again = signer.sign(a)
    assert again is not None and signer.pack(again) == MinHasher(CONFIG).packed(a)
    assert text_key(a) != text_key(replace(a, language="fr"))  # the language shapes the words


def test_parse_and_sign_signs_the_usable_articles(monkeypatch: pytest.MonkeyPatch) -> None:
    stories = STORIES[:3]
    payload = rss([(str(s["id"]), str(s["headline"]), " ".join(s["body"])) for s in stories])
    settings = FeedSettings(feed="f", source="keystone-sda", language="de")
    assert parse_and_sign(payload, settings, "rss", None, ()).signatures == {}  # no hasher
    monkeypatch.setattr(parsing, "_hasher", MinHasher(CONFIG))
    parsed = parse_and_sign(payload, settings, "rss", None, ())
    articles = [r for r in parsed.results if isinstance(r, Article)]
    assert len(articles) == 3
    signer = Signer(CONFIG)
    expected = {}
    for a in articles:
        sig = signer.sign(a)
        expected[text_key(a)] = signer.pack(sig) if sig is not None else b""
    assert parsed.signatures == expected and all(parsed.signatures.values())


def test_a_worker_makes_its_hasher_at_its_first_signing(monkeypatch: pytest.MonkeyPatch) -> None:
    """A signing worker's first parse does not wait for numpy and the permutations."""
    monkeypatch.setattr(parsing, "_hasher", None)
    monkeypatch.setattr(parsing, "_hasher_config", CONFIG)  # as parse_worker_init leaves it
    stories = STORIES[:2]
    payload = rss([(str(s["id"]), str(s["headline"]), " ".join(s["body"])) for s in stories])
    settings = FeedSettings(feed="f", source="keystone-sda", language="de")
    parsed = parsing.parse_fingerprinted(payload, settings, "rss", None, ())
    assert parsing._hasher is None
    usable = parsing.usable_articles(parsed.results)
    signatures = parsing.sign_usable(usable)
    assert isinstance(parsing._hasher, MinHasher)
    assert signatures == {text_key(a): MinHasher(CONFIG).packed(a) for a in usable}
    assert len(signatures) == 2


def test_a_payload_signed_together_equals_each_article_signed_alone() -> None:
    """sign_many shares the numpy work of a payload; the values must be each text's own,
    whatever else is in the batch: a short item, a table, an empty body, a figure written
    with a superscript (read from the text, not the folded tokens), a text over the
    evidence's length."""
    signer = Signer(CONFIG)
    long_body = "\n\n".join(str(s["lead"]) for s in STORIES) * 3
    articles = [article(s, language=str(s["lang"])) for s in STORIES]
    articles += [
        Article(guid="short", headline="Erdbeben in Japan", lead="Ein Beben der Stärke 6,1 "
                "erschütterte am Morgen die Präfektur Ishikawa.", language="de"),
        Article(guid="table", headline="Resultate", body_text="1. 23 45 2. 67 89 3. 12 34 " * 20),
        Article(guid="empty", headline="", body_text=""),
        Article(guid="super", headline="Neues Naturschutzgebiet", language="de",
                body_text="Das Gebiet umfasst 50 km² Wald und Moor, sagte der Minister am "
                "Montag in Bern. Es ist das grösste Schutzgebiet des Kantons seit 1998, "
                "und es soll in zwei Etappen bis 2030 wachsen, teilte das Amt mit."),
        Article(guid="long", headline="Lange Meldung", body_text=long_body, language="de"),
    ]  # fmt: skip
    together = signer.sign_many(articles)
    alone = [signer.sign(a) for a in articles]
    assert [s is None for s in together] == [s is None for s in alone]
    assert together[-4] is None and together[-3] is None  # the table, the empty item
    assert together[-5] is not None and together[-5].traits.short
    for mine, theirs in zip(together, alone, strict=True):
        if mine is not None and theirs is not None:
            assert signer.pack(mine) == signer.pack(theirs)
    superscript = together[-2]
    assert superscript is not None and superscript.parts is not None
    found = superscript.parts.evidence
    # Folding reads "km²" as "km2": the figures come from the text, which has no "2".
    assert found.numbers == {zlib.crc32(n.encode()) for n in ("50", "1998", "2030")}


def test_given_signatures_in_a_payload_equal_the_signed_ones() -> None:
    """A payload whose every other text a parse worker signed: the clusterer's signatures
    are those of signing all of it (values, band hashes, traits), a given one has the keys
    of that signature read alone, and it is stored as it was given, not packed again."""
    hasher = MinHasher(CONFIG)
    articles = [article(s, language=str(s["lang"])) for s in STORIES[:12]]
    articles.append(article(STORIES[0], guid="kurz", body_text="", lead="", headline="Kurz"))
    given = {text_key(a): hasher.packed(a) for a in articles[::2]}
    signer = Signer(CONFIG)
    signer.give(given)
    mixed = signer.sign_many(articles)
    fresh = Signer(CONFIG).sign_many(articles)
    assert mixed[-1] is None and fresh[-1] is None  # given as "no signature"
    for a, mine, theirs in zip(articles[:-1], mixed[:-1], fresh[:-1], strict=True):
        assert mine is not None and theirs is not None
        assert np.array_equal(mine.row, theirs.row)
        assert np.array_equal(mine.bands, theirs.bands)  # type: ignore[arg-type]
        assert mine.traits == theirs.traits
        assert signer.pack(mine) == signer.pack(theirs)
        if text_key(a) in given:
            assert signer.pack(mine) is given[text_key(a)]
            alone = Signer(CONFIG).unpack(given[text_key(a)])
            assert alone is not None and np.array_equal(mine.keys, alone.keys)
        else:
            assert np.array_equal(mine.keys, theirs.keys)


@pytest.mark.parametrize("seed", range(5))
def test_crc32_joined_is_zlibs(seed: int) -> None:
    """Every token's crc32 as zlib gives it, whatever its length and letters (a payload's
    words are hashed at once): ASCII, accents, other scripts, emoji, empty, long."""
    rng = random.Random(seed)
    alphabet = "abcxyz019_.\n" + "äéßøœ" + "Ωжדع" + "中文" + "😀" + "\u0301"
    tokens = [
        "".join(rng.choice(alphabet) for _ in range(rng.choice((0, 1, 2, 5, 9, 17, 40))))
        for _ in range(rng.randint(0, 300))
    ]
    expected = [zlib.crc32(t.encode()) for t in tokens]
    found = crc32_joined("\0".join(tokens), len(tokens))
    assert found is not None and found.tolist() == expected
    assert found.dtype == np.uint64


def test_crc32_joined_counts_the_tokens() -> None:
    assert crc32_joined("a\0b", 2) is not None
    assert crc32_joined("a\0b", 3) is None  # another number of tokens than NULs say
    assert crc32_joined("", 0) is not None and len(crc32_joined("", 0)) == 0  # type: ignore[arg-type]
    assert crc32_joined("", 1).tolist() == [0]  # type: ignore[union-attr]
