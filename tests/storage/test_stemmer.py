"""The stemmer the search tokens use stems as Snowball's Python modules do.

``snowballstemmer.stemmer`` is PyStemmer's compiled Snowball when it is installed (a
dependency: the store path stems every new word of every article), else the Python modules;
a stem that differed would make a query miss what the index holds.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import snowballstemmer
from hypothesis import given, settings
from hypothesis import strategies as st
from snowballstemmer.english_stemmer import EnglishStemmer
from snowballstemmer.french_stemmer import FrenchStemmer
from snowballstemmer.german_stemmer import GermanStemmer
from snowballstemmer.italian_stemmer import ItalianStemmer

from wire.normalise.stemming import stemmer
from wire.storage.search.tokens import STEMMERS

ROOT = Path(__file__).resolve().parents[2]
PYTHON = {"german": GermanStemmer, "french": FrenchStemmer, "italian": ItalianStemmer,
          "english": EnglishStemmer}  # fmt: skip


def _vocabulary() -> list[str]:
    """Every word of the dedup evaluation set (de/fr/it/en agency copy), case-folded."""
    words: set[str] = set()
    for line in (ROOT / "bench" / "dedup" / "pairs.jsonl").read_text("utf-8").splitlines():
        pair = json.loads(line)
        for side in ("a", "b"):
            for key in ("headline", "lead", "body"):
                words.update(w.casefold() for w in re.findall(r"[^\W_]+", pair[side][key] or ""))
    return sorted(words)


@pytest.mark.parametrize("algorithm", sorted(STEMMERS.values()))
def test_agency_copy_stems_as_snowballs_python_modules(algorithm: str) -> None:
    used = snowballstemmer.stemmer(algorithm)
    reference = PYTHON[algorithm]()
    words = _vocabulary()
    assert len(words) > 3000
    assert [used.stemWord(w) for w in words] == [reference.stemWord(w) for w in words]


@given(
    st.sampled_from(sorted(STEMMERS.values())),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöüßéèêàùçëïîôœæíóúñ'", max_size=16),
)
@settings(max_examples=2000, deadline=None)
def test_any_word_stems_as_snowballs_python_modules(algorithm: str, word: str) -> None:
    assert snowballstemmer.stemmer(algorithm).stemWord(word) == PYTHON[algorithm]().stemWord(word)


def test_a_stemmer_without_its_own_cache_stems_as_the_cached_one() -> None:
    """``stemmer(lang, cached=False)`` (the dedup's subjects, which keep their own cache) is
    another instance, keeps no stems of its own, and stems every word as the cached one."""
    words = ["Häuser", "Polizei", "gouvernements", "Bundesratswahl", "elezioni", "running"]
    for lang in ("de", "fr", "it", "en"):
        cached, uncached = stemmer(lang), stemmer(lang, cached=False)
        assert uncached is not cached and uncached is stemmer(lang, cached=False)
        assert uncached.stemWords(words) == cached.stemWords(words)
        assert getattr(uncached, "maxCacheSize", 0) == 0
