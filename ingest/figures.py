"""A text's figures in the forms another agency may write them: rounded, or a count in words.

The judge compares figures as digit runs (:mod:`wire.ingest.evidence`), so an APA brief's
"ÖVP 37,9 Prozent" and dpa's "die ÖVP kam auf knapp 38 Prozent" share no figure, nor do PA's
"Fire rips through east London tower block, 2 dead" and Reuters' "Two killed in blaze at
London apartment block": each counts as a figure the other text lacks. So each text also
keeps the other forms of its figures, as the digit strings they stand for
(:func:`figure_forms`):

- its one-place decimals rounded half up ("37,9" -> "38"; rounded down, a decimal is its
  integer part, a digit run of the text already): agencies round a result, a share or a rate
  as often as they give its decimal;
- the counts its headline writes in words ("Two killed", "deux disparus", "Vier von fünf
  Fernzügen": 2 to 12; not "one", "un", "ein", "uno", as often an article): the story's key
  figure, which another agency gives in digits.

They are found only against the other's figures (:func:`wire.ingest.matching.numbers`): a
figure the other text gives in this form is shared, and a form never counts as a figure the
other lacks. A single digit is among most texts' digit runs (every decimal, time and score
gives some), so a count (2 to 9) finds only a figure of the other's headline ("2 dead"), and a
decimal rounded to a single digit ("0,6" as "1") is no form: found anywhere, they found digits
that meant something else (another week's strike brief, "Zwei von drei Fernzügen", found
the story's "5,2 Prozent" and joined it; docs/dedup-history.md, session 12).
"""

from __future__ import annotations

import re

# Counts in words, folded (accents off, lower case), per language: one language's count is
# another's word ("due" in English; "sept" an English month's abbreviation).
_COUNTS = {
    "de": "zwei drei vier funf sechs sieben acht neun zehn elf zwolf",
    "en": "two three four five six seven eight nine ten eleven twelve",
    "fr": "deux trois quatre cinq six sept huit neuf dix onze douze",
    "it": "due tre quattro cinque sei sette otto nove dieci undici dodici",
}
COUNTS = {
    language: {word: str(n) for n, word in enumerate(words.split(), start=2)}
    for language, words in _COUNTS.items()
}
# A decimal with one decimal place, comma or point ("37,9", "12.5"), found by its separator
# (a pattern that opens on a literal set is searched several times faster than one on digits)
# and read around it: not a time ("9.40 Uhr", two places), not a thousands group ("1.250"),
# not part of a longer figure ("1.250,5", "2'345.5"), not a German date ("am 12.6.").
_SEPARATOR = re.compile(r"[.,]\d")
_DIGITS = frozenset("0123456789")
_SEPARATORS = frozenset(".,")
_BEFORE = _DIGITS | _SEPARATORS | frozenset("'’")
SMALLEST = 10  # rounded figures from this (a single digit finds chance digit runs) ...
LARGEST = 1000  # ... and below this (shares, rates, scores: what copy rounds)


def figure_forms(
    text: str, headline: list[str], language: str | None, runs: list[str] | None = None
) -> list[str]:
    """The digit strings the text's figures stand for in other forms: the counts its
    headline's words (folded) give in words, then the whole numbers its one-place decimals
    round to where that is not their integer part ("37,9" -> "38", "11.8" -> "12").

    ``runs``: the text's runs of digits (``\\d+``), when the caller has them. A decimal that
    rounds up has a decimal place of 5 or more and no second place, so some run then opens on
    a digit from 5 and has no second ASCII digit: without one, the text is not scanned."""
    counts = COUNTS.get((language or "")[:2].lower())
    out = dict.fromkeys(counts[w] for w in headline if w in counts) if counts else {}
    if runs is not None and not any(r >= "5" and r[1:2] not in _DIGITS for r in runs):
        return list(out)
    for m in _SEPARATOR.finditer(text):
        at = m.start()
        if text[at + 1] < "5" or text[at + 2 : at + 3] in _DIGITS:
            continue  # rounds to its integer part (a digit run already), or two places
        if text[at + 2 : at + 3] in _SEPARATORS and (
            text[at + 3 : at + 4] in _DIGITS or text[at] == "."
        ):
            continue  # a thousands group ("1.250.000"), a German date ("am 12.6.")
        start = at
        while start and text[start - 1] in _DIGITS:
            start -= 1
        if not 0 < at - start <= 3 or (start and text[start - 1] in _BEFORE):
            continue  # no figure before it, or part of a longer one
        if SMALLEST <= int(text[start:at]) + 1 < LARGEST:
            out[str(int(text[start:at]) + 1)] = None
    return list(out)
