"""The results list or table a sports report ends on: no evidence of its own story.

Agencies end a game's report on the round's other results or the standings: "Die weiteren
Resultate: Bern - Ambri 4:1, Lugano - Zug 3:2 n.P., ...", "Les autres résultats: ...", "Gli
altri risultati: Berna-Ambrì 4-1, ...", "Other results: ...", "Classement: 1. Servette 36,
...". Every report of the round carries the same list, so each names every team and gives every
score: two reports of two games then share most of their names and figures, and the headline
subjects that tell them apart (:func:`wire.ingest.subjects.distinct`) are all named in the
other text. The list tells what else happened that day, not what the report is about, so the
evidence (:func:`wire.ingest.evidence.evidence`) leaves it out; the shingled text keeps it.

A list is a body paragraph (every line of a cleaned body is one) that comes after the report
has told something (a body paragraph of prose before it) and is either

- opened by a results or standings label ("Die weiteren Resultate:", "Gli altri risultati:",
  "Classement (18 matches):"), the rest names and figures (at least two; a label on a line of
  its own opens the lines below it, each with a score), or
- without a label, at least two "team - team score" entries and names and figures otherwise.

A results table that is the story (a round's results as an item of their own: its body opens
on the list) keeps its list: nothing told comes before it.
"""

from __future__ import annotations

import re

# A label that opens a results list or a standings table, up to its colon: "Die weiteren
# Resultate:", "Les autres résultats:", "Gli altri risultati:", "Other results:", "Rangliste:",
# "Classement (18 matches):", "Risultati della 30/a giornata:".
_LABEL = re.compile(
    r"(?:(?:die|les|gli|le|i|the)\s+)?"
    r"(?:(?:weiteren|weitere|übrigen|anderen|autres|altri|other|further|remaining)\s+)?"
    r"(?:resultate|ergebnisse|spiele|partien|résultats|resultats|matches|rencontres|risultati"
    r"|partite|incontri|results|scores|games|rangliste|tabelle|classement|classifica|standings)"
    r"\b[^:\n]{0,40}:",
    re.IGNORECASE,
)
# A score ("4-1", "3:2", "2 – 3"); and an entry of a list without a label: a team (a word, or
# two joined by a hyphen or a space: "Berna", "Ambri-Piotta", "SCL Tigers"), a dash, a team
# of up to four words, then the score ("Bern - Ambri-Piotta 4:1", "Lugano-Zugo 3-2").
_SCORED = r"\b\d{1,3} ?[-:–] ?\d{1,3}\b"
_SCORE = re.compile(_SCORED)
_HOME = r"[^\W\d_][\w.'’-]*(?: [^\W\d_][\w.'’-]*)?"
_AWAY = r"[^\W\d_][\w.'’-]*(?: [\w.'’-]+){0,3}?"
_ENTRY = re.compile(rf"{_HOME} ?[-–] ?{_AWAY} {_SCORED}")
_DIGITS = re.compile(r"\d+")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
# A score's cheap sign: its separator after a digit ("4-1", "3 : 2", "2 – 3"), one pattern per
# separator, each led by it (the regex engine then skips to each occurrence at C speed; a
# pattern led by a digit class is tried at every position, ten times the cost on a long text).
_SCORE_SIGNS = tuple(
    (sign, re.compile(rf"{sign}(?:(?<=[0-9]{sign})|(?<=[0-9] {sign})) ?[0-9]"))
    for sign in ("-", ":", "–")
)
LISTED = 2  # scores (without a label) or figures (after one) a list has at least
PROSE = 8  # words of a paragraph that tells something (not a list, not a heading) ...
PROSE_LOWER = 1 / 3  # ... this share of them in lower case (German capitalises its nouns)
FIGURES_PER_WORD = 0.5  # a list's figures per word at least
SHORT_WORD = 3  # a lower-case word this short is a list's tag ("dr", "n.V.", "pen", "aet")


def _names_and_figures(text: str) -> bool:
    """Whether ``text`` is names and figures rather than prose: a figure for every two words
    or more (two teams and a score; a rank, a team and its points), and of its words of more
    than ``SHORT_WORD`` letters in lower case (prose: "gewann", "battuto", "beat"), at most
    one for every three capitalised words (a list's "dopo i rigori" among ten teams). German
    prose capitalises its nouns, but gives a figure in a sentence, not one every two words."""
    words = _WORD.findall(text)
    if FIGURES_PER_WORD * len(words) > len(_DIGITS.findall(text)):
        return False
    capitals = sum(1 for w in words if w[0].isupper())
    lower = sum(1 for w in words if w[0].islower() and len(w) > SHORT_WORD)
    return lower <= capitals // 3


def _prose(paragraph: str) -> bool:
    """Whether a paragraph tells something: ``PROSE`` words or more, ``PROSE_LOWER`` of them
    in lower case (a list, a table or a heading has names and figures, hardly a verb)."""
    words = _WORD.findall(paragraph)
    lower = sum(1 for w in words if w[0].islower())
    return len(words) >= PROSE and lower >= PROSE_LOWER * len(words)


def _listed(rest: str, labelled: bool) -> bool:
    """Whether a paragraph (``rest``: after its label, if any) is a list's: names and figures,
    with at least ``LISTED`` figures after a label or ``LISTED`` entries without one."""
    if labelled:
        return len(_DIGITS.findall(rest)) >= LISTED and _names_and_figures(rest)
    return (
        len(_SCORE.findall(rest)) >= LISTED  # (cheap: prose mostly has none)
        and len(_ENTRY.findall(rest)) >= LISTED
        and _names_and_figures(rest)
    )


def _scored(text: str) -> bool:
    """Whether ``text`` gives a score ("4-1", "3:2", "2 – 3"); at C speed where it has none
    of the separators."""
    return any(sign in text and found.search(text) for sign, found in _SCORE_SIGNS)


def _kind(paragraph: str) -> str | None:
    """What a paragraph is to a list: "label" (a label on a line of its own, opening the
    lines below it), "list" (a list's paragraph, with or without its label), else None.
    A paragraph without a label is read further only when it gives a score."""
    label = _LABEL.match(paragraph)
    if label is None:
        return "list" if _scored(paragraph) and _listed(paragraph, labelled=False) else None
    rest = paragraph[label.end() :]
    if not rest.strip():
        return "label"
    return "list" if _listed(rest, labelled=True) else None


def without_lists(body: str) -> str:
    """``body`` (a cleaned body: paragraphs joined by blank lines) without the results lists
    and standings tables it ends on or carries after its prose (see the module's doc); the
    body itself (the same object) when it has none.

    Called for every signed text, so most return at once: a list has a score or a label's
    colon (found at C speed), and follows a paragraph of prose (read only then)."""
    if ":" not in body and not _scored(body):
        return body
    paragraphs = body.split("\n\n")
    first = next((i for i in range(1, len(paragraphs)) if _kind(paragraphs[i])), 0)
    if not first or not any(map(_prose, paragraphs[:first])):
        return body
    kept = paragraphs[:first]
    opened = False  # a label on a line of its own just seen: a game a line below it
    for paragraph in paragraphs[first:]:
        if opened and _listed(paragraph, labelled=True):
            continue  # a line of the list its label opened ("Arsenal 2 Chelsea 1")
        kind = _kind(paragraph)
        opened = kind == "label"
        if kind is None:
            kept.append(paragraph)
    if len(kept) == len(paragraphs):
        return body
    return "\n\n".join(kept)
