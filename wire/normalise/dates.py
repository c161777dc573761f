"""Every date a feed can print, as an aware UTC datetime (or None; never an exception).

Naive times are local to the feed (``tz``, Europe/Zurich by default), which is how most
agency feeds print them; zoneinfo resolves the DST offset for the exact day.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# Zone abbreviations that RFC 822 parsers do not know but Central European feeds print.
_ABBREVIATIONS = {
    "CET": 1, "MEZ": 1, "CEST": 2, "MESZ": 2, "WET": 0, "WEST": 1, "BST": 1, "EET": 2,
    "EEST": 3, "UTC": 0, "GMT": 0, "UT": 0, "Z": 0, "EST": -5, "EDT": -4, "CST": -6,
    "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
}  # fmt: skip

_MONTHS = {
    # German
    "januar": 1, "jänner": 1, "jan": 1, "februar": 2, "feb": 2, "märz": 3, "maerz": 3,
    "mär": 3, "mrz": 3, "april": 4, "apr": 4, "mai": 5, "juni": 6, "jun": 6, "juli": 7,
    "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9, "oktober": 10,
    "okt": 10, "november": 11, "nov": 11, "dezember": 12, "dez": 12,
    # French
    "janvier": 1, "janv": 1, "février": 2, "fevrier": 2, "févr": 2, "mars": 3, "avril": 4,
    "avr": 4, "juin": 6, "juillet": 7, "juil": 7, "août": 8, "aout": 8, "septembre": 9,
    "octobre": 10, "oct": 10, "novembre": 11, "décembre": 12, "decembre": 12, "déc": 12,
    # Italian
    "gennaio": 1, "febbraio": 2, "marzo": 3, "aprile": 4, "maggio": 5, "giugno": 6,
    "luglio": 7, "agosto": 8, "settembre": 9, "ottobre": 10, "dicembre": 12,
    # English
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7,
    "october": 10, "december": 12, "dec": 12, "mar": 3,
}  # fmt: skip

# "30.08.2020, 14:05", "30.8.2020 14.05 Uhr", "30.08.20"
_NUMERIC = re.compile(
    r"^(?:\w+,?\s+)?(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4}|\d{2})"
    r"(?:\s*,?\s*(?:um\s+|à\s+|-\s*)?(\d{1,2})[:.h](\d{2})(?:[:.](\d{2}))?)?"
    r"\s*(?:uhr|h)?\s*([A-Za-z]{1,5}|[+-]\d{2}:?\d{2})?$",
    re.IGNORECASE,
)
# "30. August 2020 14:05", "le 30 août 2020 à 14h05", "August 30, 2020 2:05"
_LONG = re.compile(
    r"^(?:[^\W\d]+,?\s+)?(?:le\s+|il\s+)?(?:(\d{1,2})\.?\s+([^\W\d]+)\.?|([^\W\d]+)\.?\s+(\d{1,2}),?)"
    r"\s+(\d{4})(?:\s*,?\s*(?:um\s+|à\s+|at\s+|alle\s+|ore\s+|-\s*)?(\d{1,2})[:.h](\d{2})"
    r"(?:[:.](\d{2}))?)?\s*(?:uhr|h)?\s*([A-Za-z]{1,5}|[+-]\d{2}:?\d{2})?$",
    re.IGNORECASE,
)
_LONG_FRACTION = re.compile(r"(\.\d{6})\d+")
_OFFSET = re.compile(r"^([+-])(\d{2}):?(\d{2})$")  # "-0000" is UTC too (RFC 2822 3.3)


def _zone(tz: str | None) -> tzinfo:
    try:
        return ZoneInfo(tz) if tz else UTC
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def _aware(dt: datetime, tz: str | None) -> datetime:
    """Naive -> local to ``tz``; then UTC."""
    if dt.tzinfo is None or dt.tzinfo.utcoffset(dt) is None:
        dt = dt.replace(tzinfo=_zone(tz))
    return dt.astimezone(UTC)


def to_utc(value: datetime | str | None, tz: str) -> datetime | None:
    """Any date value as aware UTC; naive values are taken as local time in ``tz``."""
    if value is None:
        return None
    if isinstance(value, datetime):
        try:
            return _aware(value, tz)
        except (OverflowError, ValueError):
            return None
    if isinstance(value, str):
        return parse_date(value, tz)
    return None


def _zone_suffix(text: str | None) -> tzinfo | None:
    if not text:
        return None
    hours = _ABBREVIATIONS.get(text.upper())
    if hours is not None:
        return timezone(timedelta(hours=hours))
    m = _OFFSET.match(text)
    if m:
        delta = timedelta(hours=int(m.group(2)), minutes=int(m.group(3)))
        return timezone(-delta if m.group(1) == "-" else delta)
    return None


def _build(
    y: str, mo: int, d: str, h: str | None, mi: str | None, s: str | None, zone: str | None
) -> datetime | None:
    year = int(y)
    if year < 100:
        year += 2000
    tzi = _zone_suffix(zone)
    if zone and tzi is None:
        return None
    try:
        return datetime(year, mo, int(d), int(h or 0), int(mi or 0), int(s or 0), tzinfo=tzi)
    except ValueError:
        return None


def _parse_iso(text: str) -> datetime | None:
    candidate = text
    # Nanoseconds and other over-long fractions: Python keeps microseconds.
    if "." in candidate:
        candidate = _LONG_FRACTION.sub(r"\1", candidate)
    try:
        return datetime.fromisoformat(candidate)
    except ValueError:
        return None


# The form nearly every RSS feed prints ("Wed, 25 Nov 2026 12:00:00 +0000"): read by one
# expression into what ``parsedate_tz`` gives for it (its tokenizer cost more than the rest
# of an item's dates; tests/normalise/test_fast_paths.py compares the two on many dates).
# ISO 8601 cannot read such a text, so it is not tried first.
_RFC822_COMMON = re.compile(
    r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?(\d{1,2}) "
    r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([1-9]\d{3}) "
    r"(\d{2}):(\d{2}):(\d{2}) [+-]\d{4}"
)
_MONTH_NUMBERS = {
    name: i + 1 for i, name in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split())
}


def _rfc822_parts(text: str) -> tuple[int, ...] | None:
    """(year, month, day, hour, minute, second) as ``parsedate_tz`` reads them, or None."""
    m = _RFC822_COMMON.fullmatch(text)
    if m is not None:
        d, mon, y, h, mi, s = m.groups()
        return int(y), _MONTH_NUMBERS[mon], int(d), int(h), int(mi), int(s)
    from email.utils import parsedate_tz  # socket and more: only for the rarer forms

    parts = parsedate_tz(text)
    return None if parts is None else tuple(parts[:6])


def _parse_rfc822(text: str) -> datetime | None:
    parts = _rfc822_parts(text)
    if parts is None:
        return None
    y, mo, d, h, mi, s = parts
    # parsedate_tz reports a missing or unknown zone as +0000; read the zone ourselves so a
    # zone-less date stays local to the feed and "CEST" counts.
    zone = text.rsplit(None, 1)[-1]
    tzi = _zone_suffix(zone)
    try:
        return datetime(y, mo, d, h, mi, s, tzinfo=tzi)
    except ValueError:
        return None


def _parse_numeric(text: str) -> datetime | None:
    m = _NUMERIC.match(text)
    if not m:
        return None
    d, mo, y, h, mi, s, zone = m.groups()
    return _build(y, int(mo), d, h, mi, s, zone)


def _parse_long(text: str) -> datetime | None:
    m = _LONG.match(text)
    if not m:
        return None
    d1, month1, month2, d2, y, h, mi, s, zone = m.groups()
    month = _MONTHS.get((month1 or month2 or "").lower().rstrip("."))
    if month is None:
        return None
    return _build(y, month, d1 or d2, h, mi, s, zone)


def _parse_epoch(text: str) -> datetime | None:
    if not re.fullmatch(r"\d{10}(?:\d{3})?", text):
        return None
    seconds = int(text) / (1000 if len(text) == 13 else 1)
    return datetime.fromtimestamp(seconds, UTC)


def parse_date(text: str, tz: str) -> datetime | None:
    """A printed date as aware UTC: ISO 8601, RFC 822/2822, NITF, German/French/Italian."""
    if not isinstance(text, str):
        return None
    text = " ".join(text.split())
    if not text:
        return None
    common = _RFC822_COMMON.fullmatch(text) is not None
    for parse in _AFTER_ISO if common else _PARSERS:
        try:
            dt = parse(text)
        except (ValueError, OverflowError, TypeError, IndexError):
            dt = None
        if dt is not None:
            try:
                return _aware(dt, tz)
            except (OverflowError, ValueError):
                return None
    return None


_PARSERS = (_parse_iso, _parse_rfc822, _parse_numeric, _parse_long, _parse_epoch)
_AFTER_ISO = _PARSERS[1:]


# Month and day names beyond _MONTHS (Spanish, Portuguese, Dutch, Nordic), weekday names and
# the small words of written dates ("15 de marzo de 2024", "le 4 mars", "den 4 mars").
_DATE_WORDS = {
    *_MONTHS,
    "enero", "ene", "febrero", "abril", "abr", "mayo", "junio", "julio", "septiembre",
    "setiembre", "octubre", "noviembre", "diciembre", "dic", "janeiro", "fevereiro", "março",
    "maio", "junho", "julho", "setembro", "outubro", "novembro", "dezembro", "januari",
    "februari", "maart", "mei", "augustus", "juni", "juli", "oktober", "januar", "februar",
    "mars", "mai", "desember", "december", "maj", "augusti", "okt",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon",
    "tue", "wed", "thu", "fri", "sat", "sun", "montag", "dienstag", "mittwoch", "donnerstag",
    "freitag", "samstag", "sonntag", "lundi", "mardi", "mercredi", "jeudi", "vendredi",
    "samedi", "dimanche", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado",
    "domingo", "lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica",
    "de", "del", "of", "the", "le", "den", "am", "el", "il", "uhr", "h", "gmt", "utc", "cet",
    "mez", "th", "st", "nd", "rd", "er",
}  # fmt: skip
_WORD = re.compile(r"[^\W\d_]+")


def looks_like_date(text: str | None) -> bool:
    """Whether a short text is a date and nothing else ("15 mar", "4. März 2024",
    "2024-03-15", "Friday, March 15"): such a dateline names no place."""
    if not text or not text.strip():
        return False
    words = [w.casefold().rstrip(".") for w in _WORD.findall(text)]
    has_digit = any(c.isdigit() for c in text)
    if not all(w in _DATE_WORDS for w in words):
        return False
    return has_digit or any(w in _MONTHS for w in words)
