"""Pure shaping of stored records for the desk's templates: rows, diffs, the hourly chart.

No I/O here: the routes read the store and hand records to these functions, so each can be
tested on its own.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

URGENCY_LABELS = {1: "flash", 2: "urgent"}  # 1..2 stand out; 3..8 are routine
DIFF_FIELDS = ("kicker", "headline", "lead", "body_text", "dateline", "byline")
_WORDS = re.compile(r"\s+|\S+")  # words and the spaces between, each a token


@dataclass(frozen=True)
class Row:
    """One line of the incoming list."""

    id: str
    time: str  # HH:MM (UTC)
    date: str  # YYYY-MM-DD
    urgency: int | None
    urgency_label: str | None  # flash | urgent | None
    agencies: list[str]
    kicker: str
    headline: str
    language: str
    version: int
    mark: str | None  # KILLED | WITHHELD | None
    cluster_size: int


def mark_of(pubstatus: str | None) -> str | None:
    return {"canceled": "KILLED", "withheld": "WITHHELD"}.get(pubstatus or "")


def row_of(record: Mapping[str, Any], cluster_size: int = 1) -> Row:
    when = str(record.get("versioncreated") or record.get("ingested_at") or "")
    urgency = record.get("urgency")
    return Row(
        id=str(record["id"]),
        time=when[11:16],
        date=when[:10],
        urgency=urgency,
        urgency_label=URGENCY_LABELS.get(urgency) if isinstance(urgency, int) else None,
        agencies=list(record.get("agencies") or filter(None, [record.get("source")])),
        kicker=str(record.get("kicker") or ""),
        headline=str(record.get("headline") or "(no headline)"),
        language=str(record.get("language") or ""),
        version=int(record.get("version") or 1),
        mark=mark_of(record.get("pubstatus")),
        cluster_size=max(cluster_size, 1),
    )


RENDITION_ORDER = ("preview", "thumbnail", "thumb", "web", "highres", "hires", "original")


@dataclass(frozen=True)
class MediaCard:
    """A picture or graphic linked to a story, as the story view lists it."""

    id: str
    type: str  # picture | graphic | ...
    headline: str
    src: str | None  # an image to show (a preview rendition when there is one)
    caption: str
    credit: str
    copyright: str
    usage_terms: str
    mark: str | None  # KILLED | WITHHELD | None (a killed picture shows no image)


def _preview(record: Mapping[str, Any]) -> str | None:
    """The smallest useful rendition's address: preview, then thumbnail, ..., then the
    record's own picture."""
    renditions = [r for r in record.get("renditions") or [] if r.get("href")]
    if renditions and not str(renditions[0].get("contenttype") or "image").startswith("image"):
        renditions = []
    ranked = sorted(
        renditions,
        key=lambda r: next(
            (i for i, n in enumerate(RENDITION_ORDER) if n == str(r.get("name") or "").lower()),
            len(RENDITION_ORDER),
        ),
    )
    if ranked:
        return str(ranked[0]["href"])
    images = record.get("images") or []
    return str(images[0]["href"]) if images and images[0].get("href") else None


def media_card(record: Mapping[str, Any]) -> MediaCard:
    """A media record's card: its picture, caption, credit and copyright (the record's own
    picture entry first, the record's fields after)."""
    image: Mapping[str, Any] = (record.get("images") or [{}])[0]
    mark = mark_of(record.get("pubstatus"))
    holder = image.get("copyright_holder")
    notice = image.get("copyright_notice") or record.get("copyright_notice")
    copyright_ = str(notice or "")
    if holder and holder.lower() not in copyright_.lower():  # "Keystone" in "© KEYSTONE"
        copyright_ = " · ".join(filter(None, [f"© {holder}", copyright_]))
    return MediaCard(
        id=str(record["id"]),
        type=str(record.get("type") or "picture"),
        headline=str(record.get("headline") or ""),
        src=None if mark == "KILLED" else _preview(record),
        caption=str(image.get("caption") or record.get("body_text") or record.get("lead") or ""),
        credit=str(image.get("credit") or record.get("byline") or image.get("creator") or ""),
        copyright=copyright_,
        usage_terms=str(image.get("usage_terms") or record.get("usage_terms") or ""),
        mark=mark,
    )


@dataclass(frozen=True)
class FieldDiff:
    """One field of two versions: the words removed, kept and added, in order."""

    name: str
    parts: list[tuple[str, str]]  # (op, text): op is "same", "del" or "ins"
    changed: bool


def diff_records(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[FieldDiff]:
    """Word-level differences between two versions' copy, field by field."""
    out = []
    for name in DIFF_FIELDS:
        a = _WORDS.findall(str(old.get(name) or ""))
        b = _WORDS.findall(str(new.get(name) or ""))
        parts: list[tuple[str, str]] = []
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
            if op == "equal":
                parts.append(("same", "".join(a[i1:i2])))
                continue
            if i2 > i1:
                parts.append(("del", "".join(a[i1:i2])))
            if j2 > j1:
                parts.append(("ins", "".join(b[j1:j2])))
        if parts:
            out.append(FieldDiff(name, parts, any(op != "same" for op, _ in parts)))
    return out


def hourly_chart(counts: Sequence[int], width: int = 144, height: int = 28) -> Markup:
    """Items per hour as a small inline SVG bar chart (oldest hour left)."""
    n = max(len(counts), 1)
    top = max(counts, default=0) or 1
    bar = width / n
    bars = []
    for i, value in enumerate(counts):
        h = round(value / top * (height - 2), 1) if value else 0
        bars.append(
            f'<rect x="{i * bar:.1f}" y="{height - h:.1f}" width="{max(bar - 1, 1):.1f}" '
            f'height="{h}"><title>{value}</title></rect>'
        )
    label = escape(f"{sum(counts)} items in the last {len(counts)} hours, at most {top} an hour")
    return Markup(
        f'<svg class="chart" role="img" aria-label="{label}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}"><line x1="0" y1="{height - 0.5}" x2="{width}" '
        f'y2="{height - 0.5}" />{"".join(bars)}</svg>'
    )


def paragraphs(text: str | None) -> list[str]:
    """Body text paragraphs (separated by a blank line in the canonical record)."""
    return [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]
