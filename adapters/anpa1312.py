"""ANPA-1312 (the ANPA/NAA wire format of AP, The Canadian Press and others) into raw articles.

A transmission holds one or more messages, each framed by control characters::

    SYN SYN SOH <service level><story number>[<UPI>] US <selector code> CR LF
    <priority> <category><DC3|DC4><DC1|DC2> <keyword> <version> <reference> <filing date MM-DD>
        <word count> CR LF
    STX <text> ETX <time of transmission> EOT

In the text, lines that open with ``^`` are headings (the slug line, the headline, "Eds:"
notes, the byline, the credit) and end with a quad mark (``<``, ``=``, ``@<``); paragraphs
open with a tab. Typewriter conventions are turned into print: `` ``x'' `` into quotes,
`` _ `` into a dash. The first paragraph's "PLACE, Region (AP) _" is the dateline.

The format has no item id: the guid is the keyword (slug) and the filing date, so each
writethru ("2nd Writethru", "7thWritethru") is a new version of the same story; the keyword
is also the story's key (:mod:`wire.normalise.storykey`), so a lead filed under another
keyword date still links to the story it updates.

The header's codes are kept as subject codes, so ``subject=`` filters route by them like the
agencies' clients did: the category (``anpacat:f``, named, and the IPTC Media Topic where
the category has one meaning across AP, CP and AAP), the selector code (``anpasel:apwf``)
and the service level designator (``anpasvc:a``). The priority is the urgency (and the
"flash", "bulletin", "urgent" signals); the format identifier DC2 marks tabular text (agate,
results), whose rows stay rows: one paragraph each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from wire.adapters.base import FeedSettings, decode_text
from wire.errors import AdapterError
from wire.normalise.agencies import is_known, split_agencies
from wire.normalise.dates import to_utc
from wire.normalise.storykey import story_link
from wire.record import Article, ParseResult, Rejected, Subject

SOH, STX, ETX, EOT, US = "\x01", "\x02", "\x03", "\x04", "\x1f"
# SYN SYN SOH, then the service level designator, the story number and the selector code.
_START = re.compile(rb"^[\x16\r\n]*\x01[A-Za-z]?\d{1,4}[^\x1f\r\n]{0,16}\x1f[A-Za-z0-9-]{0,5}")
_HEADER1 = re.compile(
    r"^(?P<sld>[A-Za-z]?)(?P<number>\d{1,4})(?P<upi>[^\x1f\r\n]{0,16})\x1f(?P<selector>[A-Za-z0-9-]*)"
)
_HEADER2 = re.compile(
    r"^(?P<priority>[A-Za-z]) (?P<category>[A-Za-z])(?P<format>[\x13\x14]?[\x11\x12]?)\s*"
    r"(?P<rest>.*)$"
)
_FILING = re.compile(r"^(?P<month>\d{1,2})-(?P<day>\d{1,2})$")
# Priority codes (ANPA-1312 / AP): flash, bulletin, urgent, regular, special, advance, deferred.
_URGENCY = {"f": 1, "b": 2, "u": 3, "r": 5, "s": 5, "a": 6, "d": 7}
_PRIORITY_SIGNALS = {"f": "flash", "b": "bulletin", "u": "urgent"}
# Category codes whose meaning AP, The Canadian Press and AAP share (AP's ANPA category
# codes; AAP's as Superdesk configures them): name and IPTC Media Topic. Other letters mean
# different desks at different agencies and stay bare codes ("anpacat:b").
_CATEGORIES: dict[str, tuple[str, str | None]] = {
    "a": ("General news", None),
    "e": ("Entertainment", "medtop:01000000"),
    "f": ("Financial", "medtop:04000000"),
    "i": ("International", None),
    "p": ("Politics", "medtop:11000000"),
    "s": ("Sports", "medtop:15000000"),
    "v": ("Advisories", None),
}
_WRITETHRU = re.compile(
    r"(\d+)\s*(?:st|nd|rd|th|e|ème|eme)?\s*(?:writethru|ld|lead|add|sub)", re.IGNORECASE
)
# The sending agency in front of the trailer: "AP-WF-07-02-24 1847GMT".
_TRAILER_AGENCY = re.compile(r"^\s*([A-Z]{2,5})-")
# "AP-WF-11-13-13 1509GMT" (month-day-year HHMM GMT) and CP's "16:35ET 31-10-14".
_TRAILER_GMT = re.compile(r"(\d{1,2})-(\d{1,2})-(\d{2,4}) (\d{2})(\d{2}) ?GMT", re.I)
_TRAILER_ET = re.compile(r"(\d{1,2}):(\d{2}) ?E[SD]?T (\d{1,2})-(\d{1,2})-(\d{2,4})", re.I)
_QUAD = re.compile(r"[<=@]+\s*$")
_DATELINE = re.compile(
    r"^(?P<place>[A-ZÀ-Ý][A-ZÀ-Ý .'’-]+(?:, [A-ZÀ-Ý][\w .'’-]*?)?)"
    r"(?: \((?P<credit>[^()]{1,30})\))? (?:_|--|—) "
)
_SLUG = re.compile(r"^(?:[A-Z]{2}-)+|,\s*\d+$")
_BY = re.compile(r"^(?:By|Par|Von)\s+(?P<name>.+)$")
_NOTE = re.compile(r"^(?:Eds?\b\.?:?|EDITOR'S NOTE\s*_?|Update:|NOTE AUX RÉDACTIONS\s*:?)\s*(.*)$")


class _Bad(Exception):
    """A message that cannot be read; the text is the reject reason."""


@dataclass
class _Header:
    level: str
    number: str
    selector: str
    priority: str
    category: str
    keyword: str
    version: str
    filing: str
    tabular: bool = False


@dataclass
class _Text:
    """What the message text says: its slug and headline, its paragraphs, then the rest."""

    slug: str | None = None
    headline: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    byline: str | None = None
    notes: list[str] = field(default_factory=list)
    credits: list[str] = field(default_factory=list)
    index: list[str] = field(default_factory=list)


def _messages(text: str) -> list[str]:
    """Each SOH ... EOT message of a transmission (SYN padding and line breaks dropped)."""
    parts = [p for p in text.split(SOH)[1:] if p.strip()]
    return [p.split(EOT, 1)[0] for p in parts]


def _header(lines: list[str]) -> _Header:
    first = _HEADER1.match(lines[0]) if lines else None
    second = _HEADER2.match(lines[1]) if len(lines) > 1 else None
    if first is None or second is None:
        raise _Bad("no ANPA-1312 header (story number, selector code, priority, category)")
    tokens = second.group("rest").split()
    filing = next((t for t in tokens if _FILING.match(t)), "")
    before = tokens[: tokens.index(filing)] if filing else tokens
    keyword = before[0] if before else ""
    return _Header(
        level=first.group("sld").lower(),
        number=first.group("number"),
        selector=first.group("selector"),
        priority=second.group("priority").lower(),
        category=second.group("category").lower(),
        keyword=keyword,
        version=" ".join(before[1:2]),
        filing=filing,
        tabular="\x12" in second.group("format"),
    )


def _print(text: str) -> str:
    """Typewriter conventions as print: ``x'' -> “x”, " _ " -> " — "."""
    text = text.replace("``", "“").replace("''", "”")
    return re.sub(r"\s+_\s+", " — ", text).strip()


def _heading(line: str, out: _Text, keyword: str) -> None:
    line = _QUAD.sub("", line.lstrip("^")).strip()
    if not line:
        return
    if (
        out.slug is None
        and out.headline is None
        and (_SLUG.search(line) or (keyword and line.startswith(keyword)))
    ):
        out.slug = line
    elif line.upper().startswith("HL:"):
        out.headline = line[3:].strip()
    elif line.upper().startswith("INDEX:"):
        out.index += [p.strip() for p in line[6:].split(",") if p.strip()]
    elif line.upper().startswith(("SYMBOL:", "AP PHOTO", "AP GRAPHIC", "AP VIDEO")):
        return
    elif m := _NOTE.match(line):
        out.notes.append(m.group(1).strip() or line)
    elif m := _BY.match(line):
        out.byline = m.group("name").strip()
    elif all(is_known(c) for c in split_agencies(line)) and split_agencies(line):
        out.credits.append(line)
    elif out.headline is None:
        out.headline = line


def _text(body: str, keyword: str, tabular: bool = False) -> _Text:
    """Headings and paragraphs; in tabular text (DC2) each row is a paragraph of its own,
    never joined to the next."""
    out = _Text()
    current: list[str] = []

    def flush() -> None:
        rows = current if tabular else [" ".join(current)]
        for row in rows:
            para = _print(row)
            if para and para != "___":
                out.paragraphs.append(para)
        current.clear()

    for raw in body.replace("\r", "").split("\n"):
        if raw.startswith("^"):
            flush()
            _heading(raw, out, keyword)
        elif raw.startswith("\t"):
            flush()
            current.append(_QUAD.sub("", raw).strip())
        elif raw.strip() and (current or tabular):
            current.append(_QUAD.sub("", raw).strip())  # a wrapped paragraph line, a row
        else:
            flush()
    flush()
    return out


def _sent(trailer: str) -> datetime | None:
    """The time of transmission after ETX, in UTC."""
    m = _TRAILER_GMT.search(trailer)
    if m:
        month, day, year, hour, minute = (int(g) for g in m.groups())
        year += 2000 if year < 100 else 0
        try:
            return datetime(year, month, day, hour, minute, tzinfo=UTC)
        except ValueError:
            return None
    m = _TRAILER_ET.search(trailer)
    if m:
        hour, minute, day, month, year = (int(g) for g in m.groups())
        year += 2000 if year < 100 else 0
        try:
            return to_utc(datetime(year, month, day, hour, minute), "America/Toronto")
        except ValueError:
            return None
    return None


def _dateline(text: _Text) -> tuple[str | None, str | None]:
    """("BUENOS AIRES, Argentina", "AP") off the first paragraph."""
    if not text.paragraphs:
        return None, None
    m = _DATELINE.match(text.paragraphs[0])
    if not m:
        return None, None
    text.paragraphs[0] = text.paragraphs[0][m.end() :].strip()
    return m.group("place").strip(), m.group("credit")


def _article(message: str, settings: FeedSettings) -> Article:
    head, stx, rest = message.partition(STX)
    if not stx:
        raise _Bad("no text (STX) in the message")
    body, _, trailer = rest.partition(ETX)
    header = _header([line for line in head.replace("\r", "").split("\n") if line.strip()])
    text = _text(body, header.keyword, header.tabular)
    place, dateline_credit = _dateline(text)
    sent = _sent(trailer) or _sent(body[-200:])
    if not (text.headline or text.paragraphs):
        raise _Bad("the message has neither a headline nor text")
    version = _WRITETHRU.search(header.version or text.slug or "")
    year = sent.year if sent else None
    filed = header.filing
    if year and (m := _FILING.match(filed)):
        filed = f"{year}-{int(m.group('month')):02d}-{int(m.group('day')):02d}"
    sender = _TRAILER_AGENCY.match(trailer)
    agency = sender.group(1) if sender else ""
    credits = [c for c in (dateline_credit, *text.credits, agency) if c]
    key, key_signals = story_link(header.keyword or text.slug)
    _, version_signals = story_link(f"x {header.version}") if header.version else (None, ())
    signals = [*key_signals, *version_signals]
    if header.priority in _PRIORITY_SIGNALS:
        signals.insert(0, _PRIORITY_SIGNALS[header.priority])
    return Article(
        guid=f"anpa1312:{header.keyword or header.number}:{filed or header.number}",
        version=int(version.group(1)) if version else 1,
        source_version=bool(version),
        headline=text.headline or "",
        body_text="\n\n".join(text.paragraphs),
        byline=text.byline,
        dateline=place,
        kicker=None,
        ednote="; ".join(text.notes) or None,
        urgency=_URGENCY.get(header.priority),
        subjects=_subjects(header) + [Subject(name=n) for n in text.index],
        signals=list(dict.fromkeys(signals)),
        links=[key] if key else [],
        firstcreated=sent,
        versioncreated=sent,
        credit_strings=credits,
    )


def _subjects(header: _Header) -> list[Subject]:
    """The category (named, with its Media Topic where it has one), selector and service
    level codes, as subject codes."""
    name, topic = _CATEGORIES.get(header.category, (None, None))
    out = [Subject(code=f"anpacat:{header.category}", name=name)]
    if topic:
        out.append(Subject(code=topic, name=name))
    if header.selector:
        out.append(Subject(code=f"anpasel:{header.selector.lower()}"))
    if header.level:
        out.append(Subject(code=f"anpasvc:{header.level}"))
    return out


def _reject_guid(message: str) -> str | None:
    m = _HEADER1.match(message)
    return f"anpa1312:{m.group('number')}" if m else None


class Anpa1312Adapter:
    """ANPA-1312 messages (one or several per payload)."""

    name = "anpa1312"

    def sniff(self, data: bytes, filename: str | None = None) -> float:
        # Above IPTC 7901's SOH/STX guess: the US-separated header is ANPA's own.
        return 1.0 if _START.match(data[:256]) else 0.0

    def parse(self, data: bytes, settings: FeedSettings) -> list[ParseResult]:
        if len(data) > settings.max_bytes:
            raise AdapterError(
                f"the payload is {len(data)} bytes, over the {settings.max_bytes} limit"
            )
        messages = _messages(decode_text(data, ("utf-8",)))
        if not messages:
            raise AdapterError("no ANPA-1312 message (SOH ... EOT) in the payload")
        results: list[ParseResult] = []
        for index, message in enumerate(messages):
            try:
                results.append(_article(message, settings))
            except _Bad as exc:
                raw = message.encode("utf-8")
                results.append(Rejected(f"message {index + 1}: {exc}", raw, _reject_guid(message)))
        return results


ADAPTER = Anpa1312Adapter()
