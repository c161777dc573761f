"""What tells two stories apart: their numbers, names and headline words, beside shingles.

Template copy (one company's earnings for two quarters, two games' previews, two days'
weather or markets) shares its boilerplate word for word, so shingle similarity alone joins
it; what differs are the figures, the names, the dates and the headline's own words. A
rewrite by another agency is the opposite: other words, the same figures and names. So each
signed article also carries small sets of hashed tokens (:class:`Evidence`), and
:func:`wire.ingest.matching.judge` weighs them beside the similarity.

The extractor is deliberately cheap: a number is a run of digits (separators dropped:
"1'250,5", "1,250.5" and "1.250,5" are one token), a name is a capitalised word that is no stop
word (in German every noun: still content, never a function word), weekday and
month names count as names (they date a report). A capitalised word that starts a sentence
counts unless the text also writes it in lower case. Tokens are folded and hashed to 32 bits.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

import numpy as np

from wire.ingest.fingerprint import clean_lead, fold, stop_words, strip_boilerplate

# A figure: digits with thousands separators and decimals ("1'250,50", "17.3", "2:1" is two).
_NUMBER = re.compile(r"\d+(?:[.,'’\u00a0 ]\d{3})*(?:[.,]\d+)?")
# A capitalised word (any script's upper case) or an all-caps acronym, not after a sentence end.
_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
_SENTENCE_START = re.compile(r"(?:^|[.!?:;»«\"\n]\s*|\s[-–—]\s)$")
_MAX_TOKENS = 400  # words read per field: evidence is in the first paragraphs
MAX_KEEP = 64  # hashed tokens kept per set (the first ones: headline and lead come first)


def _hash(token: str) -> int:
    return zlib.crc32(token.encode())


@dataclass(frozen=True)
class Evidence:
    """Hashed tokens of one article: its figures, its names, its headline's content words."""

    numbers: frozenset[int]
    names: frozenset[int]
    headline: frozenset[int]

    @classmethod
    def empty(cls) -> Evidence:
        return cls(frozenset(), frozenset(), frozenset())

    def pack(self) -> np.ndarray:
        """As uint32: three counts, then the three sets (the stored form)."""
        parts = [sorted(self.numbers), sorted(self.names), sorted(self.headline)]
        counts = [len(p) for p in parts]
        return np.array([*counts, *parts[0], *parts[1], *parts[2]], dtype="<u4")

    @classmethod
    def unpack(cls, values: np.ndarray) -> Evidence | None:
        if len(values) < 3:
            return None
        n, m, h = (int(x) for x in values[:3])
        if len(values) != 3 + n + m + h:
            return None
        rest = values[3:].tolist()
        return cls(frozenset(rest[:n]), frozenset(rest[n : n + m]), frozenset(rest[n + m :]))


def _numbers(text: str) -> list[str]:
    return [re.sub(r"\D", "", m).lstrip("0") or "0" for m in _NUMBER.findall(text)]


def _names(text: str, stops: frozenset[str]) -> list[str]:
    """Capitalised words; one that starts a sentence only when the text never writes it in
    lower case ("Wayfair agrees ...", but not "Police said ..." beside "police")."""
    out = []
    lower: set[str] | None = None
    for m in _WORD.finditer(text):
        word = m.group()
        if not word[0].isupper() or len(word) < 2:
            continue
        folded = fold(word)
        if folded in stops:
            continue
        if _SENTENCE_START.search(text[max(0, m.start() - 3) : m.start()]):
            if lower is None:
                lower = {w for w in _WORD.findall(text) if w[0].islower()}
            if word.lower() in lower:
                continue
        out.append(folded)
    return out


def evidence(
    headline: str | None, lead: str | None, body: str | None, language: str | None
) -> Evidence:
    """The numbers, names and headline words of an article (trailers and datelines off)."""
    stops = stop_words(language)
    body = strip_boilerplate(body or "")
    text = "\n".join(p for p in (headline, clean_lead(lead), body) if p)
    text = " ".join(text.split(" ")[: _MAX_TOKENS * 3])
    numbers = list(dict.fromkeys(_numbers(text)))[:MAX_KEEP]
    names = list(dict.fromkeys(_names(text, stops)))[:MAX_KEEP]
    head = [w for w in _WORD.findall(fold(headline or "")) if w not in stops and len(w) > 1]
    head += _numbers(headline or "")
    return Evidence(
        frozenset(map(_hash, numbers)),
        frozenset(map(_hash, names)),
        frozenset(map(_hash, head[:MAX_KEEP])),
    )
