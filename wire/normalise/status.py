"""Status words in agency headlines: "1ST LEAD", "UPDATE 2-", "REFILE-", "EIL:", "(Eds: ...)".

Agencies print the state of a story in front of its headline (Reuters "UPDATE 2-", dpa
"ROUNDUP:", AP "BULLETIN", AFP "URGENT"); they tell editors what the item is, they are not
the headline. :func:`split_status` takes them off, names them as signals ("lead:1",
"update:2", "refile", ...) and reads an urgency from FLASH/BULLETIN/URGENT/EIL.

A word only counts in the agency's own spelling: upper case ("EXTRA Peace talks"), or
capitalised with a colon ("Eil: ..."). In an all-capitals headline a word needs a separator
("FLASH-", "FLASH:"), so "FLASH FLOODS HIT TEXAS" keeps its first word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# (pattern of the printed word, signal, urgency it implies). The pattern may capture a
# number ("UPDATE 2", "2ND LEAD"), which becomes part of the signal ("update:2").
_UPDATE = (
    r"AKTUALISIERT|MISE À JOUR|ACTUALIZACIÓN|AGGIORNAMENTO|UPPDATERAD|OPPDATERT|OPDATERET|"
    r"PÄIVITETTY"
)
_CORRECTION = (
    r"CORRECTED|CORRECTION|KORRIGIERT|KORREKTUR|BERICHTIGUNG|CORRIGÉ|RECTIFICATIF|"
    r"CORRECCIÓN|CORREZIONE|KORRIGERAD|KORRIGERT|KORRIGERET|KORJATTU"
)
_WORDS: tuple[tuple[str, str, int | None], ...] = (
    (r"FLASH|BLITZ|BLITZMELDUNG", "flash", 1),
    (r"BULLETIN", "bulletin", 2),
    (r"EIL|EILMELDUNG|URGENT|URGENTE|ALERTE|ULTIM'ORA|ÚLTIMA HORA|ULTIMA HORA", "urgent", 2),
    (r"(\d+)(?:ST|ND|RD|TH|ER|RE|E|ÈME|EME)\s+LEAD|LEAD", "lead", None),
    (r"UPDATE\s*(\d+)|UPDATE", "update", None),
    (_UPDATE, "update", None),
    (r"REFILE|RPT|WDH|WIEDERHOLUNG", "refile", None),
    (_CORRECTION, "correction", None),
    (r"EXTRA", "extra", None),
    (r"WRAPUP\s*(\d+)|WRAPUP|ROUNDUP\s*(\d+)|ROUNDUP|ZUSAMMENFASSUNG|AMPLIACIÓN", "wrapup", None),
    (r"ADVISORY|HINWEIS", "advisory", None),
)
_COMPILED = [(re.compile(rf"(?:{p})", re.IGNORECASE), s, u) for p, s, u in _WORDS]
_ANY_WORD = "|".join(f"(?:{p})" for p, _, _ in _WORDS)
# One status word at the start and what follows it: a separator ("-", ":", "–", "+++") or
# plain space. Group "word" is the word as printed, "sep" the separator.
_LEADING = re.compile(
    rf"^\s*(?:\+{{2,3}}\s*)?(?P<word>{_ANY_WORD})(?P<sep>\s*(?:\+{{2,3}}|[-–—:/|])\s*|\s+)",
    re.IGNORECASE,
)
_EDS = re.compile(
    r"\s*[(\[]\s*(?:eds?|editors?|anm\.?\s*d\.?\s*red|n\.?\s*d\.?\s*l\.?\s*r)\.?\s*(?:note)?\s*:"
    r"\s*(?P<note>[^)\]]*?)\s*[)\]]",
    re.IGNORECASE,
)
_TRAILING = re.compile(
    r"\s*[(\[]\s*(?P<word>corrected|refiled|updated|update\s*\d+|korrigiert|aktualisiert|"
    r"wiederholung|corrigé)\s*[)\]]\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Status:
    """A headline without its status words, and what they said."""

    headline: str
    signals: tuple[str, ...] = ()  # "lead:1", "update:2", "refile", "correction", ...
    notes: tuple[str, ...] = field(default=())  # as printed: "REFILE", "1ST LEAD", "Eds: ..."
    urgency: int | None = None  # 1 flash, 2 bulletin/urgent/EIL; None when no word says

    @property
    def ednote(self) -> str | None:
        return "; ".join(self.notes) or None


def _classify(word: str) -> tuple[str, int | None]:
    for pattern, signal, urgency in _COMPILED:
        m = pattern.fullmatch(word.strip())
        if m:
            number = next((g for g in m.groups() if g), None)
            return (f"{signal}:{number}" if number else signal), urgency
    raise ValueError(word)  # unreachable: _LEADING only matches listed words


def _counts(word: str, sep: str, rest: str) -> bool:
    """Whether a leading match is a status word and not the headline's own first word."""
    if not rest.strip():
        return False  # a headline that is only "FLASH" keeps it
    has_sep = bool(sep.strip())
    if word.isupper():
        shouting = rest.upper() == rest and any(c.isalpha() for c in rest)
        return has_sep or not shouting
    return ":" in sep  # "Eil: ...", "Urgent: ...", "Correction: ..."


def split_status(headline: str) -> Status:
    """Status words off the start (and a bracketed one off the end) of a headline, and
    "(Eds: ...)" notes from anywhere in it."""
    text = headline or ""
    # A note and a trailing word are bracketed: most headlines hold no bracket to look at.
    bracketed = "(" in text or "[" in text
    notes_found = _EDS.finditer(text) if bracketed else ()
    eds = [f"Eds: {m.group('note')}" if m.group("note") else "Eds" for m in notes_found]
    if eds:
        text = _EDS.sub("", text)
    notes: list[str] = []
    signals: list[str] = []
    urgencies: list[int] = []
    while m := _LEADING.match(text):
        word, rest = m.group("word"), text[m.end() :]
        if not _counts(word, m.group("sep"), rest):
            break
        signal, urgency = _classify(word)
        signals.append(signal)
        notes.append(" ".join(word.split()))
        if urgency:
            urgencies.append(urgency)
        text = rest
    if bracketed and (m := _TRAILING.search(text)):
        signal, _ = _classify(_trailing_word(m.group("word")))
        signals.append(signal)
        notes.append(m.group("word"))
        text = text[: m.start()]
    return Status(
        headline=text.strip(),
        signals=tuple(dict.fromkeys(signals)),
        notes=tuple(notes + eds),
        urgency=min(urgencies) if urgencies else None,
    )


_PAST = {"corrected": "CORRECTED", "refiled": "REFILE", "updated": "UPDATE"}


def _trailing_word(word: str) -> str:
    return _PAST.get(word.casefold(), word)
