"""Embargo and usage lines that agencies write into the copy itself.

IPTC 7901 and many agency RSS feeds have no field for an embargo: the desk reads it in the
first lines or the note to editors ("Sperrfrist 18.00 Uhr", "EMBARGOED UNTIL 0001 GMT",
"embargo jusqu'à 00h01", "embargo fino alle 18"). :func:`embargo_in_line` reads one such
line as a UTC time; :func:`rights_in_text` looks at the lines where agencies put them.

Only lines that *start* with an embargo marker count, so a story about a trade embargo is
not read as one. A time without a date is its next occurrence after the story was written
(allowing an hour for a late repeat); a date without a year is the one nearest ahead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from wire.normalise.dates import _MONTHS, _zone, _zone_suffix

LINES_TO_READ = 6  # embargo and usage lines stand in the first lines of the copy
LATE_REPEAT = timedelta(hours=1)  # a time this much before the story still means that day

_MARKER = re.compile(
    r"""^[\W_]*(?:(?:achtung|attention|attenzione|note|hinweis)\W+)?
    (?:
        sperrfrist(?:\s+bis)?
      | (?:sous\s+)?embargo\s+jusqu\W?\s*(?:à|au|a)(?:\s+l[ae])?
      | embargo\s+fino\s+(?:alle|al|a)(?:\s+ore)?
      | embargo\s+bis
      | (?:hold\s+for\s+release|embargoed|embargo)\s*(?:until|till|to)
      | (?:embargoed|(?P<weak>embargo))\s*:?(?=\s|$|\d)(?!\s+(?:on|against|by|of)\b)
    )[\s:.,-]*(?P<rest>.*)$""",
    re.IGNORECASE | re.VERBOSE,
)
_MONTH_NAMES = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
_DATE_NUMERIC = re.compile(r"\b(\d{1,2})\.\s*(\d{1,2})\.(?:\s*(\d{4}|\d{2})\b)?")
_DATE_DAY_MONTH = re.compile(
    rf"\b(\d{{1,2}})(?:\.|er|st|nd|rd|th)?\s+({_MONTH_NAMES})\.?(?:\s+(\d{{4}}))?\b",
    re.IGNORECASE,
)
_DATE_MONTH_DAY = re.compile(
    rf"\b({_MONTH_NAMES})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?",
    re.IGNORECASE,
)
_DATE_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_TIME_AMPM = re.compile(r"\b(\d{1,2})(?:[:.](\d{2}))?\s*([ap])\.?\s?m\b\.?", re.IGNORECASE)
_TIME_MARKED = re.compile(
    r"\b(\d{1,2})(?:\s*[:.h]\s*(\d{2}))?\s*(?:uhr|h\b|heures?|ore|hrs)|\b(\d{1,2})[:.h](\d{2})\b",
    re.IGNORECASE,
)
_TIME_MILITARY = re.compile(r"\b([01]\d|2[0-3])([0-5]\d)\b(?:\s*(?:hrs|h)\b)?")
_TIME_BARE = re.compile(r"^\s*(\d{1,2})\b(?!\.\d)")
_WORD = re.compile(r"[^\W\d_]{3,}")
WEAK_MARKER_WORDS = 3  # a bare "Embargo:" line with more words is a sentence, not a time
_ZONE = re.compile(r"\b(GMT|UTC|MEZ|MESZ|CET|CEST|BST|EST|EDT|WET|WEST|EET|EEST)\b", re.I)

# Usage lines ("Editorial use only"), by language; matched at the start of a line.
_USAGE = re.compile(
    r"""^[\W_]*(?:
        (?:for\s+)?editorial\s+use\s+only | no\s+archiv | not\s+for\s+sale | no\s+sales
      | no\s+resale | mandatory\s+credit | restricted\s+to\s+editorial
      | (?:nur\s+(?:zur|für\s+die)\s+)?redaktionelle[rn]?\s+(?:verwendung|nutzung)
      | keine\s+archivierung | nicht\s+zum\s+verkauf | honorarpflichtig | verwendung\s+nur
      | (?:usage|utilisation)\s+éditoriale?\s+(?:uniquement|seulement)
      | pas\s+d['’]archiv | ne\s+pas\s+archiver | pas\s+de\s+vente
      | (?:solo|esclusivamente)\s+per\s+uso\s+editoriale | uso\s+editoriale
      | non\s+archiviare | vietata\s+la\s+vendita
    )""",
    re.IGNORECASE | re.VERBOSE,
)


@dataclass(frozen=True)
class TextRights:
    """What the copy's own lines say: an embargo time (UTC) and usage terms."""

    embargoed: datetime | None = None
    usage_terms: str | None = None


def _year(value: str | None) -> int | None:
    if not value:
        return None
    year = int(value)
    return year + 2000 if year < 100 else year


def _find_date(rest: str) -> tuple[tuple[int | None, int, int] | None, str]:
    """((year or None, month, day) or None, the line with the date cut out)."""
    m = _DATE_ISO.search(rest)
    if m:
        return (int(m[1]), int(m[2]), int(m[3])), rest[: m.start()] + rest[m.end() :]
    m = _DATE_NUMERIC.search(rest)
    if m and (m[3] or not re.match(r"\s*(?:uhr|h\b)", rest[m.end() :], re.I)):
        return (_year(m[3]), int(m[2]), int(m[1])), rest[: m.start()] + rest[m.end() :]
    m = _DATE_DAY_MONTH.search(rest)
    if m:
        month = _MONTHS[m[2].lower()]
        return (_year(m[3]), month, int(m[1])), rest[: m.start()] + rest[m.end() :]
    m = _DATE_MONTH_DAY.search(rest)
    if m:
        month = _MONTHS[m[1].lower()]
        return (_year(m[3]), month, int(m[2])), rest[: m.start()] + rest[m.end() :]
    return None, rest


def _find_time(rest: str) -> tuple[time | None, str]:
    """(the time of day or None, the line with it cut out)."""
    m = _TIME_AMPM.search(rest)
    if m:
        hour = int(m[1]) % 12 + (12 if m[3].lower() == "p" else 0)
        clock = _clock(hour, int(m[2] or 0))
    elif m := _TIME_MARKED.search(rest):
        clock = _clock(int(m[1] or m[3]), int(m[2] or m[4] or 0))
    elif m := _TIME_MILITARY.search(rest):
        clock = _clock(int(m[1]), int(m[2]))
    elif m := _TIME_BARE.match(rest):
        clock = _clock(int(m[1]), 0)
    else:
        return None, rest
    return clock, rest[: m.start()] + rest[m.end() :]


def _clock(hour: int, minute: int) -> time | None:
    if hour == 24 and minute == 0:
        hour = 0
    return time(hour, minute) if hour < 24 and minute < 60 else None


def embargo_in_line(line: str, *, reference: datetime, tz: str) -> datetime | None:
    """The embargo time a line states, in UTC, or None when it states none.

    ``reference`` (aware) is when the story was written; ``tz`` the feed's zone for times
    printed without one ("Sperrfrist 18.00 Uhr" from a Swiss feed is Zurich time).
    """
    m = _MARKER.match(line.strip())
    if not m:
        return None
    rest = m["rest"]
    zone_match = _ZONE.search(rest)
    zone: tzinfo = (_zone_suffix(zone_match[1]) if zone_match else None) or _zone(tz)
    found_date, rest = _find_date(rest)
    clock, rest = _find_time(rest)
    if clock is None and found_date is None:
        return None
    if m["weak"] and len(_WORD.findall(_ZONE.sub("", rest))) > WEAK_MARKER_WORDS:
        return None  # "Embargo: 18 Staaten verhängen Sanktionen gegen Iran"
    clock = clock or time(0, 0)
    local_ref = reference.astimezone(zone)
    if found_date is None:
        when = datetime.combine(local_ref.date(), clock, zone)
        if when < local_ref - LATE_REPEAT:
            when = datetime.combine(local_ref.date() + timedelta(days=1), clock, zone)
        return when.astimezone(UTC)
    year, month, day = found_date
    candidates = [year] if year else [local_ref.year, local_ref.year + 1]
    for y in candidates:
        try:
            when = datetime.combine(date(y, month, day), clock, zone)
        except ValueError:
            return None
        if year or when >= local_ref - timedelta(days=180):
            return when.astimezone(UTC)
    return None


def is_rights_line(line: str) -> bool:
    """Whether a line is an embargo or usage line (a note to editors, not story text)."""
    text = line.strip()
    return bool(_MARKER.match(text) or _USAGE.match(text))


def usage_in_line(line: str) -> str | None:
    """The line itself when it states usage terms ("Editorial use only"), else None."""
    text = line.strip()
    return text.strip("*-=# ") or None if _USAGE.match(text) else None


def rights_in_text(texts: Iterable[str | None], *, reference: datetime, tz: str) -> TextRights:
    """The first embargo and the usage lines among the first lines of each text."""
    embargo: datetime | None = None
    usage: list[str] = []
    for text in texts:
        if not text:
            continue
        lines = [ln for ln in text.splitlines() if ln.strip()][:LINES_TO_READ]
        for line in lines:
            if embargo is None:
                embargo = embargo_in_line(line, reference=reference, tz=tz)
            terms = usage_in_line(line)
            if terms and terms not in usage:
                usage.append(terms)
    return TextRights(embargo, "; ".join(usage) or None)
