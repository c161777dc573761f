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


def stemmer(lang: str) -> snowballstemmer.stemmer:
    """This thread's stemmer of ``lang``, one of :data:`STEMMERS`."""
    stemmers = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = _local.stemmers = {}
    if lang not in stemmers:
        stemmers[lang] = snowballstemmer.stemmer(STEMMERS[lang])
    return stemmers[lang]
