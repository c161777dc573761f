"""Plain-text article pages: a news page copied as text (kicker, headline, agency, lead, ...).

Such copies have no markup, so the parts are told apart by shape: a short kicker line over
the headline, lines that name only agencies, a "Place," dateline, an "alt" line over a caption
ending in a credit, a "key points" heading over bullets, and the page furniture ("Kommentare",
"Weiterlesen", "MEHR ...") where the article ends. The rules are language-neutral apart from
the small marker lists below (German, French, Italian, English).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePath

from wire.adapters.base import FeedSettings, decode_text, fallback_guid
from wire.adapters.rss import split_byline
from wire.errors import AdapterError
from wire.normalise.agencies import find_signature, is_known, split_agencies
from wire.normalise.credits import split_caption
from wire.normalise.dates import parse_date
from wire.normalise.text import clean_text
from wire.record import Article, Image, ParseResult, Rejected

# Headings over the key-points bullets.
KEY_POINT_MARKERS = {
    "das wichtigste in kürze", "das wichtigste", "in kürze", "auf einen blick",
    "key points", "key facts", "the essentials", "in brief", "at a glance",
    "l'essentiel en bref", "l'essentiel", "en bref", "les points clés",
    "in breve", "l'essenziale in breve", "i punti chiave",
}  # fmt: skip
# Lines where the article ends and the page furniture begins.
END_MARKERS = {
    "kommentare", "kommentar schreiben", "weiterlesen", "mehr zum thema",
    "das könnte sie auch interessieren", "comments", "read more", "related",
    "related articles", "more on this story", "you may also like",
    "commentaires", "lire plus", "lire la suite", "à lire aussi", "sur le même sujet",
    "commenti", "leggi di più", "leggi anche",
}  # fmt: skip
# Upper-case section teasers: "MEHR IN NEWS", "MEHR AUS WEISSRUSSLAND", "MORE IN WORLD".
_SECTION_TEASER = re.compile(r"^(?:MEHR|MORE|PLUS|ALTRE|ALTRO|AUCH)\b[^a-z]*$")
# "12 Kommentare", "3 interactions": counters under a story.
_COUNTED = "Interaktionen|Kommentare|interactions|comments|commentaires|commenti"
_INTERACTIONS = re.compile(rf"^\d+\s+(?:{_COUNTED})$", re.IGNORECASE)
_BULLET = re.compile(r"^(?:[•·▪▸►‣◦]\s*|[*–—-]\s+)")
_BYLINE = re.compile(r"^(?:von|by|par|di|de)\s+(?P<name>[^\W\d][^.!?]{1,60})$", re.IGNORECASE)
_DATE_LABEL = re.compile(
    r"^(?P<label>[^\W\d][\w ]{0,25}?)\s*(?::|\bam\b|\ble\b|\bon\b)\s*(?P<date>\d.*)$", re.IGNORECASE
)
_UPDATED_LABELS = ("aktualisiert", "updated", "mis à jour", "modifié", "aggiornato")
_SENTENCE_END = '.!?…»«"“”)'
_PARAGRAPH_END = (".", "!", "?", "…", ":", "»", "«", '"', "“", "”", ")")
_WRAP_WIDTH = 50  # a longer line ending mid-sentence was hard-wrapped, not a paragraph end
_MIN_PROSE_WORDS = 10
_MAX_KICKER_WORDS = 4
_MAX_ALT_WORDS = 10
_MAX_DATELINE_WORDS = 4


class TextAdapter:
    """One article per plain-text page."""

    name = "text"

    def sniff(self, data: bytes, filename: str | None = None) -> float:
        try:
            head = data[:2048]
            if not head.strip() or b"\x00" in head or head[:1] in (b"\x01", b"\x16"):
                return 0.0
            start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
            if start in (b"<", b"{", b"["):
                return 0.0
            if (filename or "").lower().endswith(".txt"):
                return 0.5
            return 0.3
        except Exception:
            return 0.0

    def parse(self, data: bytes, settings: FeedSettings) -> list[ParseResult]:
        if len(data) > settings.max_bytes:
            raise AdapterError(f"text page is larger than the {settings.max_bytes}-byte limit")
        text = _decode(data)
        lines = [clean_text(line) for line in text.splitlines()]
        page = _Page.read(lines, settings.timezone)
        if not page.headline:
            raise AdapterError("no article found in the text: it has no headline line")
        if not page.body and not page.lead:
            return [Rejected("text page has a headline but no article text", data, None)]
        location = settings.location
        url = location if location and location.startswith(("http://", "https://")) else None
        return [
            Article(
                guid=_guid(page, location),
                url=url,
                kicker=page.kicker,
                headline=page.headline,
                lead=page.lead,
                key_points=page.key_points,
                body_text="\n\n".join(page.body),
                dateline=page.dateline,
                byline=page.byline,
                firstcreated=page.published,
                versioncreated=page.updated,
                images=page.images,
                credit_strings=list(dict.fromkeys(page.credits)),
            )
        ]


def _decode(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise AdapterError("not a text page: the payload is binary")
    return decode_text(data, ("utf-8-sig", "cp1252"))


def _guid(page: _Page, location: str | None) -> str:
    """Stable across runs: the page's address when known, else a hash of its first words."""
    if location:
        if location.startswith(("http://", "https://")):
            return f"text:{location}"
        return f"text:{PurePath(location).name}"
    first = page.body[0] if page.body else page.lead or ""
    return fallback_guid("text:", page.headline, first, sep="\n")


def _words(line: str) -> int:
    return len(line.split())


def _is_sentence(line: str) -> bool:
    """Prose: ends like a sentence and is long enough to be one."""
    return line.endswith(tuple(_SENTENCE_END)) and _words(line) >= 6


def _agency_line(line: str) -> bool:
    """A line naming only known agencies ("Keystone-SDA", "sda/dpa", "AFP")."""
    if not line or _words(line) > 5 or line.endswith((".", "!", "?")):
        return False
    codes = split_agencies(line)
    return bool(codes) and all(is_known(c) for c in codes)


def _is_end(line: str) -> bool:
    return (
        line.casefold().rstrip(":") in END_MARKERS
        or bool(_SECTION_TEASER.match(line))
        or bool(_INTERACTIONS.match(line))
    )


def _is_key_marker(line: str) -> bool:
    return line.casefold().rstrip(":").strip() in KEY_POINT_MARKERS


def _caption_credit(line: str) -> bool:
    return _words(line) >= 3 and split_caption(line)[1] is not None


def _is_alt(line: str) -> bool:
    return 0 < _words(line) <= _MAX_ALT_WORDS and not line.endswith(tuple(_SENTENCE_END))


def _dateline(line: str) -> str | None:
    """ "Weissrussland," or "Bern -": a short place line ending in a comma or dash."""
    m = re.fullmatch(r"([^\W\d][\w .'’/()-]*?)\s*[,–—-]", line)
    if m and _words(m.group(1)) <= _MAX_DATELINE_WORDS:
        return m.group(1).strip()
    return None


@dataclass
class _Page:
    kicker: str | None = None
    headline: str = ""
    lead: str | None = None
    dateline: str | None = None
    byline: str | None = None
    published: datetime | None = None
    updated: datetime | None = None
    key_points: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    credits: list[str] = field(default_factory=list)

    @classmethod
    def read(cls, lines: list[str], tz: str) -> _Page:
        page = cls()
        blocks = _blocks(lines)
        rest = page._read_title(blocks)
        rest = page._read_header(rest, tz)
        page._read_body(rest)
        page._sign()
        return page

    def _read_title(self, blocks: list[list[str]]) -> list[list[str]]:
        """Kicker and headline: the first one or two lines of the page."""
        flat = [(i, j, line) for i, b in enumerate(blocks) for j, line in enumerate(b)]
        if not flat:
            return []
        first = flat[0][2]
        second = flat[1][2] if len(flat) > 1 else ""
        if (
            second
            and _words(first) <= _MAX_KICKER_WORDS
            and not first.endswith(tuple(_SENTENCE_END))
            and len(second) > len(first)
            and not _agency_line(second)
            and not _is_end(second)
            and not _is_sentence(second)
        ):
            self.kicker, self.headline = first, second
            used = 2
        else:
            self.headline = first
            prefix, sep, _ = first.partition(":")
            if sep and 0 < _words(prefix) <= 3:
                self.kicker = prefix.strip()
            used = 1
        i, j, _ = flat[used - 1]
        remaining = [blocks[i][j + 1 :], *blocks[i + 1 :]]
        return [b for b in remaining if b]

    def _read_header(self, blocks: list[list[str]], tz: str) -> list[list[str]]:
        """Agency lines, byline, date and dateline up to the first prose paragraph (the lead)."""
        while blocks:
            block = blocks[0]
            line = block[0]
            if _is_end(line) or _is_key_marker(line) or _is_sentence(line):
                break
            if _words(line) >= _MIN_PROSE_WORDS and not _agency_line(line):
                break  # prose, even if hard-wrapped before its full stop
            if len(block) > 1 and _is_alt(line) and _caption_credit(block[1]):
                break  # a picture before the lead: the body reader takes it
            if _agency_line(line):
                self.credits.append(line)
            elif m := _BYLINE.match(line):
                person, agencies = split_byline(m.group("name"))
                self.byline = self.byline or person
                self.credits.extend(agencies)
            elif self._date(line, tz):
                pass
            elif (place := _dateline(line)) and self.dateline is None:
                self.dateline = place
            blocks = [block[1:], *blocks[1:]] if len(block) > 1 else blocks[1:]
        return blocks

    def _date(self, line: str, tz: str) -> bool:
        m = _DATE_LABEL.match(line)
        label, text = (m.group("label").casefold(), m.group("date")) if m else ("", line)
        when = parse_date(text, tz)
        if when is None:
            return False
        if label.startswith(_UPDATED_LABELS):
            self.updated = when
        else:
            self.published = self.published or when
        return True

    def _read_body(self, blocks: list[list[str]]) -> None:
        """Lead, pictures, key points and paragraphs, until the page furniture starts."""
        key_block_next = False
        for block in blocks:
            if _is_end(block[0]):
                return
            if key_block_next:
                key_block_next = False
                bullets = [_BULLET.sub("", x) for x in block]
                if len(block) > 1 or _BULLET.match(block[0]):
                    self.key_points.extend(b for b in bullets if b)
                    continue
            i = 0
            wrapped = False  # the previous line of this block was prose cut mid-sentence
            while i < len(block):
                line = block[i]
                if _is_end(line):
                    return
                nxt = block[i + 1] if i + 1 < len(block) else None
                if nxt and _is_alt(line) and _caption_credit(nxt):
                    self.images.append(Image(alt=line, caption=nxt))
                    i += 2
                    continue
                if _is_key_marker(line):
                    if i + 1 < len(block):
                        self.key_points.extend(_BULLET.sub("", x) for x in block[i + 1 :])
                    else:
                        key_block_next = True
                    break
                if wrapped and not _BULLET.match(line):
                    if self.body:
                        self.body[-1] = f"{self.body[-1]} {line}"
                    else:
                        self.lead = f"{self.lead} {line}"
                elif _agency_line(line) and not self.body and self.lead is None:
                    self.credits.append(line)
                    line = ""
                elif self.lead is None and not self.body and not self.key_points:
                    self.lead = line
                else:
                    self.body.append(_BULLET.sub("• ", line) if _BULLET.match(line) else line)
                wrapped = len(line) >= _WRAP_WIDTH and not line.endswith(_PARAGRAPH_END)
                i += 1

    def _sign(self) -> None:
        """An agency signature closing the text ("... (sda/dpa)") is attribution, not prose."""
        if not self.body:
            return
        found = find_signature(self.body[-1])
        if found:
            rest, codes = found
            self.credits.append("/".join(codes))
            if rest.strip():
                self.body[-1] = rest.strip()
            else:
                self.body.pop()


def _blocks(lines: list[str]) -> list[list[str]]:
    """Runs of non-empty lines; a blank line separates blocks."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if line:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


ADAPTER = TextAdapter()
