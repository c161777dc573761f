"""The exact-duplicate key: an article's text with case, whitespace, punctuation and credits gone.

Two items whose fingerprints match carry the same story text, whatever the channel: the
second is stored as a sighting of the first, not as a second article.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from ingest.record import Article

_WORD = re.compile(r"\w+", re.UNICODE)
# Trailing agency signatures and credit lines that republishers add or drop.
_SIGNATURE = re.compile(
    r"\(?\b[a-z]{2,4}(?:/[a-z-]{2,12})+\)?\s*$|\((?:sda|dpa|afp|apa|ap|reuters)\)\s*$",
    re.IGNORECASE,
)
MIN_WORDS = 8  # shorter texts are too generic to call duplicates of each other


def normalised_words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text).casefold()
    return _WORD.findall(text)


def text_fingerprint(article: Article) -> str | None:
    """sha256 of the body's words, or None when there is too little text to compare.

    Headlines are left out on purpose: republishers rewrite them, the body stays.
    """
    body = _SIGNATURE.sub("", article.body_text or "")
    words = normalised_words(body)
    if len(words) < MIN_WORDS:
        return None
    return hashlib.sha256(" ".join(words).encode()).hexdigest()
