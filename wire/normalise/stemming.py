"""Snowball stemmers by language: one home for the search's tokens and the dedup's subjects.

``snowballstemmer`` runs PyStemmer (the same algorithms compiled) when it is installed, else
Python. A stemmer keeps state between calls, so each thread gets its own.
"""

from __future__ import annotations

import threading

import snowballstemmer

# Language code -> Snowball algorithm. Other languages are not stemmed.
STEMMERS: dict[str, str] = {"de": "german", "en": "english", "fr": "french", "it": "italian"}
_local = threading.local()


def stemmer(lang: str, *, cached: bool = True) -> snowballstemmer.stemmer:
    """This thread's stemmer of ``lang``, one of :data:`STEMMERS`. ``cached=False``: one
    without PyStemmer's own cache of stems, for a caller that keeps its own (PyStemmer keeps
    a list per word, 10,000 a language: objects the garbage collector walks at every full
    collection, a quarter of those of a dedup index of 20,000 articles)."""
    stemmers = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = _local.stemmers = {}
    key = lang if cached else f"{lang}/uncached"
    if key not in stemmers:
        made = snowballstemmer.stemmer(STEMMERS[lang])
        if not cached and hasattr(made, "maxCacheSize"):  # (PyStemmer's; Python's has none)
            made.maxCacheSize = 0
        stemmers[key] = made
    return stemmers[key]
