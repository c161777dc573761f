"""Canonical records of a page of articles, read cheaply: every list renders 50 of them.

:func:`load_records` makes, byte for byte, what :func:`wire.storage.reads.record_of` makes of
the same rows, without its per-value costs: three statements built once (building a select
costs more than running it), plain tuples of the record's own columns, stored times rewritten
as ISO text instead of parsed and formatted again, and, on SQLite, empty JSON lists taken as
they are instead of decoded.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BindParameter, Select, String, bindparam, select, type_coerce
from sqlalchemy.orm import Session

from wire.record import iso
from wire.storage.models import ArticleRow, ImageRow, SightingRow

RECORD_COLUMNS = (
    "id", "type", "source", "agencies", "unresolved_agencies", "producers", "feed", "guid", "url",
    "version", "pubstatus", "kicker", "headline", "lead", "key_points", "body_text",
    "body_html", "language", "dateline", "byline", "subjects", "urgency", "ednote", "signals",
    "embargoed", "usage_terms", "copyright_notice", "firstcreated", "versioncreated",
    "ingested_at", "renditions", "links", "content_hash", "cluster_id",
)  # fmt: skip
IMAGE_COLUMNS = (
    "href", "alt", "caption", "credit", "creator", "agencies", "copyright_holder", "usage_terms",
    "copyright_notice",
)  # fmt: skip
SIGHTING_COLUMNS = ("source", "feed", "guid", "url", "seen_at")
LIST_COLUMNS = ("agencies", "producers", "key_points", "subjects", "signals", "renditions", "links")
TIME_COLUMNS = ("firstcreated", "versioncreated", "ingested_at", "embargoed")

_IDS: BindParameter[list[str]] = bindparam("ids", expanding=True)
_ARTICLES, _IMAGES, _SIGHTINGS = ArticleRow.__table__, ImageRow.__table__, SightingRow.__table__


def _column(table: Any, name: str, raw_json: bool) -> Any:
    """A column to select: times as stored (text on SQLite), JSON as text with ``raw_json``."""
    column = table.c[name]
    if name in TIME_COLUMNS or name == "seen_at" or (raw_json and isinstance(column.type, JSON)):
        return type_coerce(column, String)
    return column


def _statements(raw_json: bool) -> tuple[Select[Any], Select[Any], Select[Any]]:
    articles = select(*(_column(_ARTICLES, n, raw_json) for n in RECORD_COLUMNS))
    images = select(_IMAGES.c.article_id, *(_column(_IMAGES, n, raw_json) for n in IMAGE_COLUMNS))
    sightings = select(
        _SIGHTINGS.c.article_id, *(_column(_SIGHTINGS, n, raw_json) for n in SIGHTING_COLUMNS)
    )
    return (
        articles.where(_ARTICLES.c.id.in_(_IDS)),
        images.where(_IMAGES.c.article_id.in_(_IDS)).order_by(_IMAGES.c.position),
        sightings.where(_SIGHTINGS.c.article_id.in_(_IDS)).order_by(_SIGHTINGS.c.seen_at),
    )


# SQLite hands JSON over as text (decoded here); PostgreSQL's driver decodes it itself.
_STATEMENTS = {True: _statements(raw_json=True), False: _statements(raw_json=False)}


def load_records(session: Session, ids: Sequence[str]) -> list[dict[str, Any]]:
    """Canonical records of these articles, in this order: three queries, no ORM objects."""
    if not ids:
        return []
    raw_json = session.get_bind().dialect.name == "sqlite"
    by_id, of_images, of_sightings = _STATEMENTS[raw_json]
    as_list = _text_list if raw_json else _as_list
    params = {"ids": list(ids)}
    rows = {r[0]: r for r in session.execute(by_id, params)}
    pictures: dict[str, list[dict[str, Any]]] = {}
    for img in session.execute(of_images, params):
        picture = dict(zip(IMAGE_COLUMNS, img[1:], strict=True))
        picture["agencies"] = as_list(picture["agencies"])
        pictures.setdefault(img[0], []).append(picture)
    seen: dict[str, list[dict[str, Any]]] = {}
    for s in session.execute(of_sightings, params):
        sighting = dict(zip(SIGHTING_COLUMNS, s[1:], strict=True))
        sighting["seen_at"] = stored_iso(sighting["seen_at"])
        seen.setdefault(s[0], []).append(sighting)
    head = _HEAD[raw_json]
    return [_record(head, rows[i], pictures.get(i, []), seen.get(i, [])) for i in ids if i in rows]


def stored_iso(value: Any) -> str | None:
    """:func:`iso` of a stored time, without parsing SQLite's usual text
    ``2024-12-08 01:53:15.970778`` (naive UTC); other text is parsed as SQLAlchemy parses
    it (``fromisoformat``), and PostgreSQL's aware datetimes go to :func:`iso` as they are."""
    if not isinstance(value, str):
        return iso(value)
    if len(value) == 26 and value[4] == "-" and value[10] == " " and value[19] == ".":
        fraction = value[20:]
        return f"{value[:10]}T{value[11:19]}{'' if fraction == '000000' else '.' + fraction}Z"
    return iso(datetime.fromisoformat(value))


def _decoded(value: Any) -> Any:
    """What SQLAlchemy's SQLite JSON type makes of a stored value (numbers pass as they are)."""
    return json.loads(value) if isinstance(value, str | bytes) else value


def _as_list(value: Any) -> list[Any]:
    return list(value or [])


def _text_list(value: Any) -> list[Any]:
    return [] if value is None or value == "[]" else list(_decoded(value) or [])


def _as_dict(value: Any) -> dict[str, Any]:
    return dict(value or {})


def _text_dict(value: Any) -> dict[str, Any]:
    return {} if value is None or value == "{}" else dict(_decoded(value) or {})


def _as_type(value: Any) -> Any:
    return value or "text"


def _head(raw_json: bool) -> tuple[tuple[str, Callable[[Any], Any] | None], ...]:
    """How each of RECORD_COLUMNS but the last two becomes its value, as in record_of."""
    convert: dict[str, Callable[[Any], Any]] = {
        **dict.fromkeys(LIST_COLUMNS, _text_list if raw_json else _as_list),
        "unresolved_agencies": _text_dict if raw_json else _as_dict,
        "type": _as_type,
        **dict.fromkeys(TIME_COLUMNS, stored_iso),
    }
    return tuple((name, convert.get(name)) for name in RECORD_COLUMNS[:-2])


_HEAD = {True: _head(raw_json=True), False: _head(raw_json=False)}


def _record(
    head: tuple[tuple[str, Callable[[Any], Any] | None], ...],
    row: Sequence[Any],
    images: list[dict[str, Any]],
    sightings: list[dict[str, Any]],
) -> dict[str, Any]:
    """One record from a tuple of RECORD_COLUMNS and its ready picture and sighting dicts;
    key order of Article.to_dict(): images before content_hash, sightings last."""
    data: dict[str, Any] = {}
    for (name, convert), value in zip(head, row, strict=False):
        data[name] = value if convert is None else convert(value)
    data["images"] = images
    data["content_hash"] = row[-2]
    data["cluster_id"] = row[-1]
    data["sightings"] = sightings
    return data
