"""The story key an agency gives a story across its leads, updates and corrections.

Agencies file a LEAD, UPDATE or CORRECTION of a story under a new id but keep the story's
keyword: the AP/ANPA keyword ("BC-US--Flood-Relief, 2nd Writethru"), the IPTC 7901 keyword
line ("Bundestag-Haushalt (1. Zusammenfassung)"), the NewsML-G2/ninjs slugline, the NITF
``du-key``. :func:`story_key` takes the status words and take markers off such a line and
folds the rest into one comparable key ("us-flood-relief"), so a later item of the story
finds the earlier one (:mod:`wire.storage.updates`); the words it took off are signals
("lead:2", "update:2", "correction") like the headline's (:mod:`wire.normalise.status`).

The key travels as a :class:`~wire.record.Link` with ``rel="story"`` (its guid is
``story:<key>``), so it is stored and resolved like every other link, whichever item arrives
first.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from wire.record import Link

STORY_REL = "story"  # Link.rel of a story key
UPDATES_REL = "updates"  # Link.rel naming the story this item updates, by its guid
STORY_PREFIX = "story:"

# Signals that mark an item as a later take of a story: it updates the story's earlier item.
UPDATE_SIGNALS = ("lead", "update", "correction", "refile", "wrapup", "writethru", "add")

_ORDINAL = r"(\d+)\s*(?:st|nd|rd|th|e|er|re|ème|eme|\.)?"
# (pattern, signal): status words in a slug line. A number becomes part of the signal.
_SLUG_WORDS: tuple[tuple[str, str], ...] = (
    (rf"{_ORDINAL}\s*(?:lead|ld)\b|\blead\b|\bld\b", "lead"),
    (rf"{_ORDINAL}\s*writethru\b|\bwritethru\b|\bwrite-thru\b", "writethru"),
    (r"\bupdate\s*(\d+)|\bupdate\b|\bupd\b|\baktualisiert\b|\bmise à jour\b", "update"),
    (rf"{_ORDINAL}\s*(?:zusammenfassung|zus)\b|\b(?:roundup|wrapup|zusammenfassung)\b", "wrapup"),
    (r"\b(?:corrected|correction|corr|korrigiert|korrektur|berichtigung|corrigé)\b", "correction"),
    (r"\b(?:refile|rpt|wdh|wiederholung)\b", "refile"),
    (rf"{_ORDINAL}\s*add\b|\badd\b", "add"),
    (r"\b(?:urgent|eil|bulletin|flash|advisory)\b", ""),
)
_COMPILED = [(re.compile(p, re.IGNORECASE), s) for p, s in _SLUG_WORDS]
# "BC-", "AM-", "PM-", "AP-": the news cycle designator in front of an AP keyword.
_CYCLE = re.compile(r"^(?:BC|AM|PM|AP)-", re.IGNORECASE)
# ",212" or " 0212": the word count after an ANPA keyword; "take 2", "2. Teil".
_COUNT = re.compile(r"(?:,\s*\d+\s*$)|\b(?:take|teil|part)\s*\d+\b", re.IGNORECASE)
_BRACKETS = re.compile(r"[(\[]\s*([^)\]]*)\s*[)\]]")


@dataclass(frozen=True)
class StoryKey:
    """A slug line's key and what its status words said."""

    key: str
    signals: tuple[str, ...] = ()

    @property
    def link(self) -> Link:
        return Link(STORY_PREFIX + self.key, STORY_REL)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^\w]+", "-", text).strip("-_")


def _words(text: str) -> tuple[str, list[str]]:
    """The text without its status words, and their signals."""
    signals: list[str] = []
    for pattern, signal in _COMPILED:

        def take(m: re.Match[str], signal: str = signal) -> str:
            if signal:
                number = next((g for g in m.groups() if g), None)
                signals.append(f"{signal}:{int(number)}" if number else signal)
            return " "

        text = pattern.sub(take, text)
    return text, signals


def story_key(slug: str | None) -> StoryKey | None:
    """The key of a slug or keyword line ("BC-US--Flood-Relief, 2nd Writethru" ->
    "us-flood-relief" with signal "writethru:2"); None when nothing is left of it."""
    if not slug or not slug.strip():
        return None
    text = _CYCLE.sub("", slug.strip())
    inner: list[str] = []

    def bracket(m: re.Match[str]) -> str:
        inner.append(m.group(1))
        return " "

    text = _BRACKETS.sub(bracket, text)
    text, signals = _words(text)
    for part in inner:
        rest, more = _words(part)
        signals += more
        if _fold(rest) and not more:
            text += " " + rest  # "(Wahl)" is part of the key; "(1. Zusammenfassung)" is not
    text = _COUNT.sub(" ", text)
    text = re.sub(r"\s*,\s*", " ", text)
    key = _fold(text)
    if not key or key.isdigit():
        return None
    return StoryKey(key, tuple(dict.fromkeys(signals)))


def story_link(slug: str | None) -> tuple[Link | None, tuple[str, ...]]:
    """The ``rel="story"`` link of a slug line and the signals of its status words."""
    found = story_key(slug)
    return (found.link, found.signals) if found else (None, ())


def is_update(signals: list[str] | tuple[str, ...]) -> bool:
    """Whether an item's signals make it a later take of a story (a lead, update,
    correction, refile, wrapup, writethru or add)."""
    return any(s.split(":", 1)[0] in UPDATE_SIGNALS for s in signals)
