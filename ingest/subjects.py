"""A headline's subjects found in another text however it inflects or compounds them.

The judge asks how much of each headline's subjects (its words that are names or figures in
its own text) the other text names (:func:`wire.ingest.matching._told`). Compared whole, a
subject is missed where two agencies write it otherwise: inflected ("Deutschlands" and
"Deutschland", "Fernzügen" and "Fernzug"), hyphenated ("GDL-Streik" against "GDL" and
"Streik"), or compounded ("Bundesratswahl" against "Wahl in den Bundesrat"). So each text
also carries (:class:`wire.ingest.evidence.Evidence`):

- ``forms``: the other forms of its names, what another headline's subject may be found as:
  each name's Snowball stem, the parts of a hyphenated name and their stems;
- for each headline subject, what finds it besides itself among the other's names
  (:func:`needs`): its stem among the other's names and their forms ("Graz" is the stem of
  "Grazer"; stems are compared with stems: "Schweizer", stem "schweiz", is not found in
  "Schweizerische", stem "schweizer"); for a
  hyphenated subject the stems of its parts that are no common noun ("GDL" of "GDL-Streik";
  "Vorarlberg-Wahl" against another election's "Wahl" is not found); for a German compound
  whose head is a common noun, the stems of its modifier and head together ("Bahnstreik":
  "Bahn" and "Streik", both).

A generic part alone never finds a subject: what tells one story from another of its kind is
the modifier ("Vorarlberg-Wahl", "Salzburg-Wahl"), not the head they share.

Some headline subjects tell a story from another of its kind (:func:`distinct`): the place,
team or company a templated report is about ("Glarus-Wahl" and "Uri-Wahl", "il Lugano supera
lo Zugo" and "l'Ambrì cade a Berna"). Two texts whose headlines each name one the other text
never names are two reports of one kind, however many names they share (the parties of two
cantons' elections, the league of one matchday): :func:`wire.ingest.matching.judged`.
"""

from __future__ import annotations

from typing import cast

import snowballstemmer

from wire.normalise.stemming import STEMMERS, stemmer

PART = 2  # letters a hyphenated name's part needs to count ("s-bahn": "s" is none)
HEAD = 4  # letters a German compound's head needs (a common noun: "Wahl", "Streik") ...
MODIFIER = 3  # ... and its modifier ("Zug" of "Zugausfälle", "Bundesrat" of "Bundesratswahl")


def _stemmer(language: str | None) -> snowballstemmer.stemmer | None:
    """This thread's stemmer of ``language``, None for a language without one."""
    code = (language or "")[:2].lower()
    return stemmer(code) if code in STEMMERS else None


# The stems of the words stemmed before, per language: names recur from article to article,
# and a lookup costs a sixth of the stemmer's call (which encodes each word). Bounded: emptied
# when full (what recurs comes back at once). The stemmer it calls keeps no cache of its own
# (PyStemmer's would hold a second copy, a list per word, for the garbage collector to walk).
_STEMS_MAX = 1 << 15
_stems: dict[str, dict[str, str]] = {}


def _stem_words(language: str | None, words: list[str]) -> list[str] | None:
    """``_stemmer(language).stemWords(words)``; None for a language without a stemmer."""
    code = (language or "")[:2].lower()
    cache = _stems.get(code)
    if cache is None:
        if code not in STEMMERS:
            return None
        cache = _stems.setdefault(code, {})
    out = list(map(cache.get, words))
    if None not in out:
        return cast(list[str], out)
    missing = [w for w, stem in zip(words, out, strict=True) if stem is None]
    made = iter(stemmer(code, cached=False).stemWords(missing))  # (this cache is the one)
    if len(cache) + len(missing) > _STEMS_MAX:
        cache.clear()
    stems = [stem if stem is not None else next(made) for stem in out]
    cache.update(zip(words, stems, strict=True))
    return stems


def _parts(word: str) -> list[str]:
    return [p for p in word.split("-") if len(p) >= PART and not p.isdigit()]


def forms(names: list[str], language: str | None) -> list[str]:
    """The other forms of a text's names (folded): each one's stem, the parts of a hyphenated
    name and their stems; none that is a name already."""
    words = [w for w in names if w[:1].isalpha()]
    words += [p for w in words if "-" in w for p in _parts(w)]
    out = dict.fromkeys(words[len(names) :])  # the parts
    stems = _stem_words(language, words)
    if stems is not None:
        out.update(dict.fromkeys(stems))
    own = set(names)
    return [w for w in out if w not in own]


def needs(subject: str, language: str | None, nouns: frozenset[str]) -> list[tuple[str, ...]]:
    """What finds a headline subject (folded) in another text besides itself: each tuple is
    one way, every word of it among the other's names or their forms. Its stem (the subject
    itself where it is its own stem: found as the stem of another form); the stems of a
    hyphenated subject's parts that are no common noun (all its parts when each is one); a
    German compound (``nouns``: the language's common nouns) by its modifier and head."""
    if not subject[:1].isalpha():
        return []  # a figure: found as itself only
    stemmer = _stemmer(language)

    def stem(word: str) -> str:
        return stemmer.stemWord(word) if stemmer is not None else word

    out: list[tuple[str, ...]] = [(stem(subject),)]
    if "-" in subject:
        parts = _parts(subject)
        own = [p for p in parts if p not in nouns] or parts
        if own:
            out.append(tuple(dict.fromkeys(map(stem, own))))
    elif nouns:
        split = _compound(subject, nouns)
        if split is not None:
            out.append(tuple(map(stem, split)))
    # (its stem even where it is the subject itself: "Graz" is found as the stem of "Grazer")
    return list(dict.fromkeys(out))


def _compound(word: str, nouns: frozenset[str]) -> tuple[str, str] | None:
    """A German compound's modifier and head: the longest common noun that ends the word (at
    least ``HEAD`` letters) after a modifier of at least ``MODIFIER`` letters ("Bahnstreik"
    -> "bahn", "streik"; a linking "s" stays on the modifier, which its stem takes off:
    "Bundesratswahl" -> "bundesrats", "wahl"); None for no compound."""
    for cut in range(MODIFIER, len(word) - HEAD + 1):
        if word[cut:] in nouns:
            return word[:cut], word[cut:]
    return None


# What ends a sentence or opens one (a headline's kicker, a quote, a bracket, a dash): a capital
# after it tells no name.
_OPENERS = frozenset('.!?:;«»"“”„(–—-\n')


def distinct(words: list[tuple[str, str]], text: str, nouns: frozenset[str]) -> list[str]:
    """The headline subjects (folded) that tell the story from another of its kind: of
    ``words``, each headline subject as written and folded, those that are a name (a place, a
    team, a company, a person), not a word that is capitalised only where a sentence (or the
    headline, a kicker, a quote) opens ("Calcio:", "Regionali in Liguria", «"Sconfitta di
    misura"») nor a common noun (``nouns``: German) or a German compound on one
    ("Busunglück", "Notenbank"). A name is written with a capital inside a sentence of
    ``text`` (headline, lead and body): "il Lugano supera lo Zugo", "l'Ambrì". A hyphenated
    subject on a common noun whose other part is none ("Glarus-Wahl", "Uri-Wahl",
    "GDL-Streik") tells which one by its modifier, wherever it stands."""
    out = []
    for written, subject in words:
        if subject in nouns or not subject[:1].isalpha():
            continue
        if "-" in subject and nouns:
            parts = _parts(subject)
            generic = [p in nouns or _compound(p, nouns) is not None for p in parts]
            if any(generic) and not all(generic):
                out.append(subject)
                continue
        elif nouns and _compound(subject, nouns) is not None:
            continue
        if _inside(written, text):
            out.append(subject)
    return list(dict.fromkeys(out))


def _inside(word: str, text: str) -> bool:
    """Whether ``text`` writes ``word`` (as capitalised) inside a sentence at least once."""
    at = text.find(word)
    while at >= 0:
        end = at + len(word)
        if (not at or not _joined(text[at - 1])) and (end == len(text) or not _joined(text[end])):
            i = at - 1
            while i >= 0 and text[i] in " \t":
                i -= 1
            if i >= 0 and text[i] not in _OPENERS:
                return True  # (after an elided article too: "l'Ambrì", "d'Uri")
        at = text.find(word, end)
    return False


def _joined(char: str) -> bool:
    """Whether ``char`` makes a word part of a longer one (a letter, a digit, a hyphen)."""
    return char.isalnum() or char in "_-"
