"""The matching rule shared by both stores: folded, stemmed tokens.

An article's text is split into words (letters and digits), case-folded, stemmed with the
Snowball stemmer of the article's language and stripped of accents. SQLite's FTS5 index and
PostgreSQL's ``search_vector`` (a ``simple`` tsvector) both hold exactly these tokens, and a
query word becomes the same tokens, so a query matches the same articles on either store.

The stems are Snowball's: ``snowballstemmer`` runs them through PyStemmer (the same
algorithms compiled, a dependency) when it is installed, else in Python, a hundred times
slower (``tests/storage/test_stemmer.py`` holds the two equal).

Languages without a stemmer here fall back to folding only. A query word whose language is
not known (no ``language`` filter) may match the stem of any supported language.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

from wire.normalise.stemming import STEMMERS  # other languages are folded, not stemmed
from wire.normalise.stemming import stemmer as _stemmer

UNSTEMMED = ""  # the "language" of folded-only tokens
_WORD = re.compile(r"[^\W_]+")
_ANY_WORD = re.compile(r"\w+")  # (with the underscore)
PG_MAX_POSITION = 16383  # PostgreSQL keeps word positions up to this one
MAX_TOKEN_CHARS = 100  # longer tokens are cut (PostgreSQL refuses lexemes over 2 KiB)
SEEN_WORDS = 500_000  # per language: the words of a corpus' vocabulary, kept to index faster
_seen: dict[str, dict[str, tuple[str, ...]]] = {}  # word -> tokens, per language (a cache)


def base_language(language: str | None) -> str:
    """The stemming language of a language tag ("de-CH" -> "de"); "" when none applies."""
    code = (language or "").split("-")[0].split("_")[0].strip().lower()
    return code if code in STEMMERS else UNSTEMMED


def strip_accents(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _indexed(stem: str) -> str:
    """A folded, stemmed word as indexed: accent-free (ASCII has no accents), cut."""
    return (stem if stem.isascii() else strip_accents(stem))[:MAX_TOKEN_CHARS]


@lru_cache(maxsize=200_000)
def token(word: str, lang: str) -> str:
    """One word as indexed for ``lang`` ("" = fold only): case-folded, stemmed, accent-free."""
    folded = word.casefold()
    if lang:
        folded = _stemmer(lang).stemWord(folded)
    return _indexed(folded)


def words(text: str | None) -> list[str]:
    """The words of a text: runs of letters and digits (what the query language calls words)."""
    return _WORD.findall(text or "")


def _made_tokens(made: str) -> tuple[str, ...]:
    """A stemmed, folded word as its tokens: :func:`token`'s last step, then split into words
    (a folded ligature or compatibility character may make two; a run of letters and digits
    is one word)."""
    made = _indexed(made)
    return (made,) if made.isalnum() else tuple(_WORD.findall(made))


def _learn(seen: dict[str, tuple[str, ...]], found: list[str], lang: str) -> None:
    """The tokens of the words ``found`` not yet in ``seen``, added to it: the words of a text
    stemmed in one call, by a stemmer that keeps no cache of its own (``seen`` is the
    cache; PyStemmer's would hold a second copy as a list per word, and :func:`token`'s LRU
    another, for the garbage collector to walk). The words of :func:`token`, split."""
    new = set(found).difference(seen)  # (in C: a text's words are many, its new ones few)
    if len(seen) + len(new) > SEEN_WORDS:  # bounded: what recurs comes back at once
        seen.clear()
        new = set(found)
    unseen = list(new)
    folded = [w.casefold() for w in unseen]
    made = _stemmer(lang, cached=False).stemWords(folded) if lang else folded
    seen.update(zip(unseen, map(_made_tokens, made), strict=True))


def _text_words(text: str) -> list[str]:
    # ``\w+`` is ``_WORD`` where no underscore can split a run (a fifth faster in ``re``).
    return (_WORD if "_" in text else _ANY_WORD).findall(text)


def tokens(text: str | None, language: str | None) -> list[str]:
    """The tokens of ``text`` in an article of ``language``, in order."""
    lang = base_language(language)
    seen = _seen.setdefault(lang, {})
    found = _text_words(text or "")
    try:
        known = list(map(seen.__getitem__, found))
    except KeyError:  # new words: made once, then every word is known
        _learn(seen, found, lang)
        try:
            known = list(map(seen.__getitem__, found))
        except KeyError:  # another thread emptied the bounded cache in between: this text's own
            mine: dict[str, tuple[str, ...]] = {}
            _learn(mine, found, lang)
            known = list(map(mine.__getitem__, found))
    return list(chain.from_iterable(known))


def variants(word: str, languages: Iterable[str]) -> tuple[str, ...]:
    """The tokens a query word may match in articles of these languages (distinct, ordered)."""
    return tuple(dict.fromkeys(token(word, lang) for lang in languages))


def search_languages(filter_languages: Sequence[str]) -> tuple[str, ...]:
    """The stemming languages a query is matched in: the filtered ones, else all of them."""
    if not filter_languages:
        return (*STEMMERS, UNSTEMMED)
    return tuple(dict.fromkeys(base_language(lang) for lang in filter_languages))


@dataclass(frozen=True)
class SearchDocument:
    """An article's searchable text as tokens, by weight: headline, lead, body."""

    headline: list[str]
    lead: list[str]
    body: list[str]

    def fts5_columns(self) -> tuple[str, str, str]:
        """The three FTS5 column values (tokens separated by spaces)."""
        return " ".join(self.headline), " ".join(self.lead), " ".join(self.body)

    def tsvector(self) -> str:
        """A PostgreSQL tsvector literal of the same tokens, with positions and weights
        (A headline, B lead, C body), as ``to_tsvector('simple', ...)`` of each part joined
        with ``||`` would give: positions run on across the parts."""
        positions: dict[str, list[str]] = {}
        start = 1
        for weight, part in (("A", self.headline), ("B", self.lead), ("C", self.body)):
            end = start + len(part)
            if end > PG_MAX_POSITION:  # rare: long texts only
                labels = [f"{min(pos, PG_MAX_POSITION)}{weight}" for pos in range(start, end)]
            else:
                labels = [f"{pos}{weight}" for pos in range(start, end)]
            for tok, at in zip(part, labels, strict=True):
                slots = positions.get(tok)
                if slots is None:
                    positions[tok] = [at]
                else:
                    slots.append(at)
            start = end
        # PostgreSQL keeps at most 256 positions of a token: the first ones.
        return " ".join(
            [f"'{tok}':{','.join(slots[:256] if len(slots) > 256 else slots)}"
             for tok, slots in positions.items()]
        )  # fmt: skip

    def tsvector_reference(self) -> str:
        """:meth:`tsvector` position by position, as first written (the tests' reference)."""
        positions: dict[str, list[str]] = {}
        start = 1
        for weight, part in (("A", self.headline), ("B", self.lead), ("C", self.body)):
            clip = start + len(part) > PG_MAX_POSITION  # rare: long texts only
            for pos, tok in enumerate(part, start=start):
                at = f"{min(pos, PG_MAX_POSITION) if clip else pos}{weight}"
                slots = positions.get(tok)
                if slots is None:
                    positions[tok] = [at]
                elif len(slots) < 256:  # PostgreSQL's limit of positions per token
                    slots.append(at)
            start += len(part)
        return " ".join([f"'{tok}':{','.join(slots)}" for tok, slots in positions.items()])


def search_document(
    *,
    kicker: str | None,
    headline: str | None,
    lead: str | None,
    key_points: Sequence[str],
    body: str | None,
    language: str | None,
) -> SearchDocument:
    """What both stores index of an article (the kicker counts as headline, points as lead)."""
    return SearchDocument(
        headline=tokens(" ".join(filter(None, [kicker, headline])), language),
        lead=tokens(" ".join(filter(None, [lead, *key_points])), language),
        body=tokens(body, language),
    )


def tombstone_document(headline: str | None, language: str | None) -> SearchDocument:
    """What the index holds of a killed story: the headline its tombstone shows, nothing of
    its text, so no read token can find a kill by words it withdrew (the text itself stays
    stored for admins' audit until ``[retention].killed_text_days``)."""
    return SearchDocument(headline=tokens(headline, language), lead=[], body=[])
