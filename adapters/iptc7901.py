"""IPTC 7901 text wire messages (the agencies' teleprinter-era format) into raw articles.

A message is framed by control characters::

    SOH <header line> [keyword line]  STX <headline block> <body> [signature]  ETX <stamp> EOT

The header line reads ``<service><number> <priority> <category> <word count> [...]``
("bdt0231 3 pl 412  dpa 0231"); the headline block ends at a blank line or at a line ending
in "=" (dpa); the body starts with a dateline ("Bern (sda) - ", "PARIS, 30 août (AFP) - ");
the last line may be a signature ("sda/dpa", "xy/sda", "dpa kre yysw") and the post-text
part a time stamp "DDHHMM Mon YY" ("301405 GMT AOU 24"). A file may hold many messages;
a broken one is rejected on its own. Legacy feeds are often Latin-1: each message is read
as UTF-8 first and falls back to Windows-1252/Latin-1.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

from wire.adapters.base import FeedSettings, decode_text, fallback_guid
from wire.errors import AdapterError
from wire.normalise.agencies import find_signature, is_known, resolve_agency, split_agencies
from wire.normalise.dates import parse_date
from wire.normalise.rights import is_rights_line
from wire.normalise.storykey import story_link
from wire.record import Article, ParseResult, Rejected, Subject

SOH, STX, ETX, EOT = "\x01", "\x02", "\x03", "\x04"
_EXTENSIONS = (".7901", ".ipt", ".iptc")

# "bdt0231 3 pl 412  dpa 0231", "FRA0412 4 POL 389 /AFP-PX12", "sda-0815 2 pol 230"
_HEADER = re.compile(
    r"^(?P<service>[A-Za-z][A-Za-z]*?)[-\s]?(?P<number>\d{3,6})\s+(?P<priority>[1-9a-zA-Z])\s+"
    r"(?P<category>[A-Za-z]{1,6})\s+(?P<words>\d{1,6})\b\s*(?P<rest>.*)$"
)
# ANPA/7901 priority letters: flash, bulletin, urgent, regular, deferred, advance.
_PRIORITY_LETTERS = {"f": 1, "b": 2, "u": 3, "r": 4, "d": 5, "a": 6}
# "Bern (sda) - ", "BERLIN, 30 août (AFP) - ", "Frankfurt/Main (dpa-AFX) – "
_DATELINE = re.compile(
    r"^(?P<place>[^\W\d][^\n(),]{0,50}?)(?:,\s*(?P<date>[^()\n]{1,40}?))?\s*"
    r"\((?P<credit>[^()\n]{1,40})\)\s*[-–—:]\s*"
)
_BYLINE = re.compile(r"^(?:Von|By|Par|Di|Door|Av)\s+\S")
# Post-text time stamp "DDHHMM [zone] Mon YY", e.g. "121405 Mär 24", "301405 GMT AOU 24".
_STAMP = re.compile(
    r"\b(?P<d>[0-3]\d)(?P<h>[0-2]\d)(?P<m>[0-5]\d)\s+(?:(?P<tz>GMT|UTC|MEZ|MESZ|CET|CEST)\s+)?"
    r"(?P<mon>[^\W\d_]{3,9})\.?\s+(?P<y>\d{4}|\d{2})\b",
    re.IGNORECASE,
)
# Month abbreviations wires print that the date parser does not spell that way.
_MONTH_FIXES = {"aou": "aug", "fev": "feb", "fév": "feb", "mae": "mär", "mrz": "mär"}
# A line of editor initials only: "bur-pa/fb/ml", "kr/mg".
_INITIALS_LINE = re.compile(r"^[a-zäöüéè]{1,6}(?:[-/ ][a-zäöüéè]{1,6})+$")
# Notepad or editors' appendix after the body (dpa: "# Notizblock").
_APPENDIX = re.compile(r"^(?:#+\s|\*\s\*\s\*)")
# A closing paragraph longer than this is text, never a stamp or signature line.
_TRAILER_MAX = 80
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class _Message:
    raw: bytes
    text: str = ""
    header: str = ""
    body: str = ""
    post: str = ""
    keywords: list[str] = field(default_factory=list)
    keyword_line: str | None = None  # the line as sent: the story's key across its takes


class _Bad(Exception):
    """One message cannot be read; the message is the reject reason."""


def _clean(text: str) -> str:
    """Line ends unified, teleprinter padding (DEL, BEL, ...) gone, Unicode composed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", _CONTROLS.sub("", text))


def _split_messages(data: bytes) -> list[bytes]:
    if b"\x01" in data:
        return [b"\x01" + part for part in data.split(b"\x01")[1:] if part.strip(b"\x04\x7f \r\n")]
    if b"\x02" in data:
        return [data]
    raise AdapterError("no IPTC 7901 message found: the payload has no SOH or STX characters")


def _frame(raw: bytes) -> _Message:
    msg = _Message(raw=raw, text=decode_text(raw))
    text = msg.text.lstrip(SOH)
    if STX not in text:
        raise _Bad("message has no STX (start of text) character")
    header, _, rest = text.partition(STX)
    if ETX not in rest:
        raise _Bad("message has no ETX (end of text) character")
    body, _, post = rest.partition(ETX)
    lines = [ln.strip() for ln in _clean(header).split("\n")]
    lines = [ln for ln in lines if ln and not ln.startswith(("ZCZC", "NNNN"))]
    msg.header = lines[0] if lines else ""
    for line in lines[1:]:
        msg.keyword_line = msg.keyword_line or line
        msg.keywords += [k.strip() for k in re.split(r"[/;]", line) if k.strip()]
    msg.body = _clean(body)
    msg.post = _clean(post.split(EOT)[0])
    return msg


def _join_lines(lines: list[str]) -> str:
    """One paragraph from wrapped lines; a word broken after its hyphen is joined back."""
    out = ""
    for line in (ln.strip() for ln in lines):
        if not line:
            continue
        if not out:
            out = line
        elif re.search(r"\w-$", out):
            out += line
        else:
            out += " " + line
    return out


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _paragraphs(block: list[str]) -> list[str]:
    """Split a block on indented first lines (the indented-paragraph layout)."""
    paras: list[list[str]] = []
    first_indent = 0
    for line in block:
        indent = _indent(line)
        if not paras or (indent > 0 and (first_indent == 0 or indent <= first_indent)):
            paras.append([line])
            first_indent = indent
        else:
            paras[-1].append(line)
    return [p for p in (_join_lines(x) for x in paras) if p]


def _blocks(text: str) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for line in text.split("\n"):
        if line.strip():
            blocks[-1].append(line.rstrip())
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


def _headline_block(blocks: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    """The headline lines and the remaining body blocks.

    The headline ends at the first blank line, at a line ending in "=" (dpa), or right
    before a dateline when the sender left out the blank line.
    """
    if not blocks:
        return [], []
    first = blocks[0]
    for i, line in enumerate(first):
        if _dateline(line.strip()):
            rest = first[i:]
            return first[:i], [rest, *blocks[1:]]
        if line.rstrip().endswith("="):
            head = [*first[:i], line.rstrip()[:-1]]
            rest = first[i + 1 :]
            return head, ([rest] if rest else []) + blocks[1:]
    return first, blocks[1:]


def _read_headline(lines: list[str]) -> tuple[str, str | None]:
    """(headline, byline): parenthesised notes such as "(Berichtigung: ...)" are dropped."""
    kept: list[str] = []
    byline: str | None = None
    depth = 0
    for line in (ln.strip() for ln in lines):
        if depth > 0:
            depth += line.count("(") - line.count(")")
            continue
        if line.startswith("("):
            opened = line.count("(") - line.count(")")
            if opened > 0 or line.endswith(")"):
                depth = max(opened, 0)
                continue
        if kept and _BYLINE.match(line):
            byline = line
        elif line:
            kept.append(line)
    return _join_lines(kept), byline


def _known(credit: str) -> bool:
    return any(is_known(code) for code in split_agencies(credit))


def _dateline(paragraph: str) -> tuple[str, str, str] | None:
    """(place, agency credit, paragraph without the dateline) when it opens with one."""
    m = _DATELINE.match(paragraph)
    if not m or not _known(m.group("credit")):
        return None
    return m.group("place").strip(), m.group("credit").strip(), paragraph[m.end() :].strip()


def _stamp(text: str, tz: str) -> tuple[datetime | None, str]:
    """The "DDHHMM Mon YY" time stamp in ``text`` and the text without it."""
    m = _STAMP.search(text)
    if not m:
        return None, text
    month = m.group("mon").lower()
    month = _MONTH_FIXES.get(month, month)
    year = int(m.group("y")) + (2000 if len(m.group("y")) == 2 else 0)
    printed = f"{m.group('d')}. {month} {year} {m.group('h')}:{m.group('m')} {m.group('tz') or ''}"
    rest = (text[: m.start()] + text[m.end() :]).strip()
    return parse_date(printed.strip(), tz), rest


def _signature(paragraph: str) -> tuple[str, list[str]] | None:
    """(paragraph without its closing signature, credits) or None when it has none."""
    found = find_signature(paragraph)
    if found:
        return found
    tokens = paragraph.split()
    # A dpa closing line: the agency, then editor initials and codes ("dpa kre/su yysw a3").
    if 1 < len(tokens) <= 10 and len(paragraph) <= 60:
        code = resolve_agency(tokens[0])
        if code and is_known(code) and all(t.islower() or t.isdigit() for t in tokens[1:]):
            return "", [tokens[0]]
    if len(paragraph) <= 40 and _INITIALS_LINE.match(paragraph):
        return "", []
    return None


def _guid(header: re.Match[str] | None, when: datetime | None, headline: str, body: str) -> str:
    """Service + message number (+ day): stable across re-sends of the same message."""
    if header is None:
        return fallback_guid("iptc7901-", headline, body[:500], length=16)
    guid = f"{header.group('service')}{header.group('number')}"
    if when is not None:
        guid += f"-{when:%Y%m%d}"
    if not header.group("number").strip("0"):
        # number 0000 means "not numbered": keep messages apart
        guid += fallback_guid("-", headline, body[:500], length=8)
    return guid


def _reject_guid(raw: bytes) -> str | None:
    """Service + number of a broken message, so the reject log can name it."""
    first = _clean(decode_text(raw).lstrip(SOH).split(STX)[0]).strip().split("\n")[0]
    m = _HEADER.match(first.strip())
    return f"{m.group('service')}{m.group('number')}" if m else None


def _urgency(priority: str) -> int | None:
    if priority.isdigit():
        return int(priority)
    return _PRIORITY_LETTERS.get(priority.lower())


def _article(msg: _Message, settings: FeedSettings) -> Article:
    header = _HEADER.match(msg.header)
    notes, blocks = _rights_notes(_blocks(msg.body))
    head_lines, blocks = _headline_block(blocks)
    headline, byline = _read_headline(head_lines)
    paragraphs: list[str] = []
    for block in blocks:
        if _APPENDIX.match(block[0].strip()):
            break
        paragraphs += _paragraphs(block)
    when, _ = _stamp(msg.post, settings.timezone)
    if when is None and paragraphs and len(paragraphs[-1]) <= _TRAILER_MAX:
        when, rest = _stamp(paragraphs[-1], settings.timezone)
        if when is not None:
            paragraphs[-1:] = [rest] if rest else []
    credits: list[str] = []
    if paragraphs and (sig := _signature(paragraphs[-1])):
        paragraphs[-1:] = [sig[0]] if sig[0] else []
        credits += sig[1]
    dateline = lead = None
    for i, paragraph in enumerate(paragraphs[:2]):
        found = _dateline(paragraph)
        if found:
            dateline, credit, paragraphs[i] = found
            credits.append(credit)
            if i == 1:
                lead = paragraphs.pop(0)
            break
    paragraphs = [p for p in paragraphs if p]
    if not paragraphs:
        raise _Bad("message has no body text")
    if header:
        agency = header.group("rest").split()[:1]
        if agency and _known(agency[0]):
            credits.append(agency[0])
    subjects = [Subject(code=f"cat:{header.group('category').lower()}")] if header else []
    subjects += [Subject(name=k) for k in msg.keywords]
    body_text = "\n\n".join(paragraphs)
    story, signals = story_link(msg.keyword_line)
    return Article(
        guid=_guid(header, when, headline, body_text),
        headline=headline,
        lead=lead,
        body_text=body_text,
        dateline=dateline,
        byline=byline,
        subjects=subjects,
        urgency=_urgency(header.group("priority")) if header else None,
        firstcreated=when,
        credit_strings=list(dict.fromkeys(c.strip() for c in credits if c.strip())),
        ednote="\n".join(notes) or None,
        links=[story] if story else [],
        signals=list(signals),
    )


def _rights_notes(blocks: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    """Embargo and usage lines above the headline ("ACHTUNG: Sperrfrist 18.00 Uhr =") and
    the blocks without them: they are notes to editors, read as rights by normalisation."""
    notes: list[str] = []
    blocks = [list(b) for b in blocks]
    while blocks and is_rights_line(blocks[0][0]):
        notes.append(blocks[0].pop(0).strip().rstrip("=").strip())
        if not blocks[0]:
            blocks.pop(0)
    return notes, blocks


# Control bytes a message holds besides its framing and line ends: a few padding characters
# at most. Binary data (an image, compressed bytes) has SOH and STX too, among many others.
_STRAY_CONTROLS = re.compile(rb"[\x00\x05-\x08\x0b\x0c\x0e-\x15\x17-\x1f]")
_MAX_STRAY_SHARE = 0.02


def _is_text(head: bytes) -> bool:
    return len(_STRAY_CONTROLS.findall(head)) <= _MAX_STRAY_SHARE * len(head)


class Iptc7901Adapter:
    """IPTC 7901 plain-text wire messages."""

    name = "iptc7901"

    def sniff(self, data: bytes, filename: str | None = None) -> float:
        head = data[:4096]
        if filename and filename.lower().endswith(_EXTENSIONS):
            return 0.8
        if not _is_text(head):
            return 0.0
        if b"\x01" in head and b"\x02" in head:
            return 0.95
        if b"\x02" in head and b"\x03" in data:
            return 0.6
        return 0.0

    def parse(self, data: bytes, settings: FeedSettings) -> list[ParseResult]:
        if len(data) > settings.max_bytes:
            raise AdapterError(
                f"the payload is {len(data)} bytes, over the {settings.max_bytes} limit"
            )
        results: list[ParseResult] = []
        for index, raw in enumerate(_split_messages(data)):
            try:
                results.append(_article(_frame(raw), settings))
            except _Bad as exc:
                results.append(Rejected(f"message {index + 1}: {exc}", raw, _reject_guid(raw)))
            except Exception as exc:  # a reading bug costs this message only, never the file
                reason = f"message {index + 1}: unreadable item: {type(exc).__name__}: {exc}"
                results.append(Rejected(reason, raw, _reject_guid(raw)))
        return results


ADAPTER = Iptc7901Adapter()
