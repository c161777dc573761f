"""What tells two stories apart: their numbers, names and headline words, beside shingles.

Template copy (one company's earnings for two quarters, two games' previews, two days'
weather or markets) shares its boilerplate word for word, so shingle similarity alone joins
it; what differs are the figures, the names, the dates and the headline's own words. A
rewrite by another agency is the opposite: other words, the same figures and names. So each
signed article also carries small sets of hashed tokens (:class:`Evidence`), and
:func:`wire.ingest.matching.judge` weighs them beside the similarity.

The extractor is deliberately cheap: a figure is read as its runs of digits ("1'250,5",
"1,250.5" and "1.250,5" all give "1", "250", "5"), a name is a capitalised word that is no stop
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

# A figure is its digit runs: "24'512", "24.512" and "24 512" all read "24", "512".
_DIGITS = re.compile(r"\d+")
# A capitalised word (Latin upper case: the languages wire reads; a plain class keeps the scan
# fast), and one that starts a sentence (or a line).
_CAPITAL = re.compile(r"[A-ZÀ-ÖØ-Þ][\w'’-]+")
_INITIAL = re.compile(r"[.!?:;»«\"\n][ \t]*([A-ZÀ-ÖØ-Þ][\w'’-]+)")
# Both in one scan: (the sentence end before it, if any; the capitalised word).
_NAME = re.compile(r"([.!?:;»«\"\n][ \t]*)?([A-ZÀ-ÖØ-Þ][\w'’-]+)")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
MAX_CHARS = 6000  # text read: evidence is in the first paragraphs
MAX_KEEP = 64  # hashed tokens kept per set (the first ones: headline and lead come first)


def _hashes(tokens: list[str]) -> frozenset[int]:
    return frozenset(map(zlib.crc32, map(str.encode, tokens[:MAX_KEEP])))


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


def _figures(runs: list[str]) -> list[str]:
    return [t.lstrip("0") or "0" for t in dict.fromkeys(runs)]


def _names(text: str, stops: frozenset[str]) -> list[str]:
    """Capitalised words; one that starts a sentence only when the text never writes it in
    lower case ("Wayfair agrees ...", but not "Police said ..." beside "police")."""
    found = _NAME.findall("\n" + text)
    initial = {w for start, w in found if start}
    words = [
        w
        for w in dict.fromkeys(w for _, w in found)
        if w not in initial or f" {w.lower()}" not in text
    ]
    folded = fold("\n".join(words)).split("\n")  # one fold for all: accents off, lower case
    return [w for w in dict.fromkeys(folded) if w not in stops]


def evidence(
    headline: str | None,
    lead: str | None,
    body: str | None,
    language: str | None,
    *,
    clean: bool = True,
    digit_runs: list[str] | None = None,
) -> Evidence:
    """The numbers, names and headline words of an article (trailers and datelines off;
    ``clean=False``: the parts went through :func:`wire.ingest.fingerprint.clean_parts`).

    ``digit_runs``: the text's runs of digits in order, when the caller has read them already
    (the signer reads them from the tokens it shingles: one scan of the text fewer)."""
    stops = stop_words(language)
    if clean:
        lead, body = clean_lead(lead), strip_boilerplate(body or "")
    text = "\n".join(p for p in (headline, lead, body) if p)[:MAX_CHARS]
    numbers = _figures(_DIGITS.findall(text) if digit_runs is None else digit_runs)
    head = [w for w in _WORD.findall(fold(headline or "")) if w not in stops and len(w) > 1]
    head += _figures(_DIGITS.findall(headline or ""))
    return Evidence(_hashes(numbers), _hashes(_names(text, stops)), _hashes(head))
