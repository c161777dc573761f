"""A text's figures in the form another agency may round them to: "37,9" as "38".

The judge compares figures as digit runs (:mod:`wire.ingest.evidence`), so an APA brief's
"ÖVP 37,9 Prozent" and dpa's "die ÖVP kam auf knapp 38 Prozent" share no figure, and each
counts as one the other text lacks. Agencies round a result, a share or a rate to the whole
number as often as they give its decimal. So each text also keeps its one-place decimals
rounded half up (:func:`figure_forms`; rounded down, a decimal is its integer part, a digit
run of the text already). They are found only against the other's figures
(:func:`wire.ingest.matching.numbers`): a figure the other text gives rounded is shared, and a
rounded form never counts as a figure the other lacks.

Only forms of two digits or more: a single digit is among any text's digit runs (every decimal
gives one), so "0,6" rounded to "1", or a count written as a word ("two", "quatre") found as
"2" or "4", mostly finds a digit that means something else (tried: a count in words joined
a rewrite and lost another to the template test; docs/dedup-history.md, session 12).
"""

from __future__ import annotations

import re

# A decimal with one decimal place, comma or point ("37,9", "12.5"): not a time ("9.40 Uhr",
# two places), not a thousands group ("1.250"), not part of a longer figure ("1.250,5").
_DECIMAL = re.compile(r"(?<![\d.,'’])(\d{1,3})[.,](\d)(?![\d]|[.,]\d)")
SMALLEST = 10  # rounded figures from this (a single digit finds chance digit runs) ...
LARGEST = 1000  # ... and below this (shares, rates, scores: what copy rounds)


def figure_forms(text: str) -> list[str]:
    """The whole numbers the text's one-place decimals round to, where that is not their
    integer part (a digit run of the text already): "37,9" -> "38", "11.8" -> "12"."""
    out: dict[str, None] = {}
    for whole, tenth in _DECIMAL.findall(text):
        if tenth >= "5" and SMALLEST <= int(whole) + 1 < LARGEST:
            out[str(int(whole) + 1)] = None
    return list(out)
