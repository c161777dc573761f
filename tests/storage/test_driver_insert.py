"""``insert_rows`` on SQLite hands the driver tuples bound by SQLAlchemy's own processors
(``wire.storage.writer._driver_insert``): the stored values are those of SQLAlchemy's
executemany, byte for byte (JSON text, dates, booleans, NULLs)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import text
from sqlalchemy.dialects import sqlite
from sqlalchemy.types import JSON

from wire.storage.db import Database
from wire.storage.models import ArticleAgency, ArticleRow, ArticleVersion
from wire.storage.writer import _date_shortcut, _driver_insert, _json_shortcut, insert_rows

ARTICLES: Any = ArticleRow.__table__
VERSIONS: Any = ArticleVersion.__table__
AGENCIES: Any = ArticleAgency.__table__
T0 = datetime(2026, 12, 7, 9, 30, 15, 123456, tzinfo=UTC)
# The shapes the JSON columns hold: empty, strings (quotes, escapes, non-ASCII, astral,
# control characters), mixed lists, objects, nested records, None.
JSON_VALUES: list[Any] = [
    [],
    {},
    ["keystone-sda", "dpa"],
    ['say "hi"', "back\\slash", "tab\tand\nline", "Zürich «Café» – 3½", "😀", "\x7f\x00"],
    [1, "a", None, True, 2.5],
    [{"code": "medtop:11000000", "name": None}],
    {"xy": "Agence XY", "é": ["ü"]},
    {"headline": "Über", "images": [{"href": "h", "agencies": []}], "urgency": 3},
    None,
]


def _row(i: int, value: Any) -> dict[str, Any]:
    list_value = value if isinstance(value, list) else ["x"]
    return {
        "id": f"a{i}",
        "source": "keystone-sda" if i % 2 else None,
        "type": "text",
        "agencies": list_value,
        "unresolved_agencies": value if isinstance(value, dict) else {},
        "producers": [],
        "feed": "sda",
        "guid": f"g{i}",
        "url": None,
        "version": 1 + i,
        "pubstatus": "usable",
        "kicker": None,
        "headline": f"Schlagzeile {i} «{i}»",
        "lead": None,
        "key_points": list_value,
        "body_text": "Text",
        "body_html": None,
        "language": "de",
        "dateline": None,
        "byline": None,
        "subjects": value,
        "urgency": i if i % 3 else None,
        "ednote": None,
        "embargoed": None if i % 2 else T0.astimezone(timezone(timedelta(hours=2))),
        "usage_terms": None,
        "copyright_notice": None,
        "signals": [],
        "firstcreated": T0.replace(tzinfo=None) if i % 2 else T0,
        "versioncreated": T0 + timedelta(seconds=i),
        "ingested_at": T0,
        "updated_at": T0,
        "content_hash": f"c{i}",
        "text_hash": None,
        "has_images": bool(i % 2),
        "renditions": value,
        "links": [],
    }


def _stored(db: Database, ids: list[str]) -> list[tuple[Any, ...]]:
    """The article rows as the store holds them (no type processing: JSON and, on SQLite,
    dates as their text), in ``ids`` order, every column but the id and the guid."""
    columns = [c.name for c in ArticleRow.__table__.columns if c.name not in ("id", "guid")]
    query = text(f"SELECT id, {', '.join(columns)} FROM articles")
    with db.reader() as s:
        rows = {r[0]: tuple(r[1:]) for r in s.execute(query)}
    return [rows[i] for i in ids]


def test_driver_rows_are_sqlalchemys_rows(db: Database) -> None:
    """The same rows stored through ``insert_rows`` and through SQLAlchemy's executemany
    read back the same, on both stores (only SQLite takes the driver's way)."""
    ours = [_row(i, v) for i, v in enumerate(JSON_VALUES)]
    theirs = [dict(r, id=f"b{i}", guid=f"h{i}") for i, r in enumerate(ours)]
    with db.session() as s:
        conn = s.connection()
        insert_rows(conn, ArticleRow, ours)
        conn.execute(ARTICLES.insert(), theirs)
        if conn.dialect.name == "sqlite":  # the driver's way was taken
            assert _driver_insert(conn.dialect, ARTICLES, tuple(ours[0])) is not None
    stored = _stored(db, [r["id"] for r in ours])
    assert stored == _stored(db, [r["id"] for r in theirs])
    assert len({repr(r) for r in stored}) == len(JSON_VALUES)


def test_child_and_version_rows_are_sqlalchemys_rows(db: Database) -> None:
    """Rows of other tables (a generated key, a JSON record of every shape) likewise."""
    with db.session() as s:
        conn = s.connection()
        insert_rows(conn, ArticleRow, [_row(0, []), dict(_row(1, []), id="b", guid="b")])
        versions = [
            {"article_id": aid, "version": n, "content_hash": "c", "pubstatus": "usable",
             "versioncreated": T0, "ingested_at": T0, "record": v}
            for n, v in enumerate(JSON_VALUES[:-1], start=1)
            for aid in ("a0",)
        ]  # fmt: skip
        insert_rows(conn, ArticleVersion, versions)
        conn.execute(VERSIONS.insert(), [dict(v, article_id="b") for v in versions])
        agencies = [{"article_id": "a0", "position": 0, "agency": "dpa", "name": None}]
        insert_rows(conn, ArticleAgency, agencies)
        conn.execute(AGENCIES.insert(), [dict(agencies[0], article_id="b")])
    with db.reader() as s:
        got = {
            aid: [tuple(r) for r in s.execute(
                text("SELECT version, content_hash, versioncreated, ingested_at, record"
                     " FROM article_versions WHERE article_id = :a ORDER BY version"), {"a": aid}
            )]
            for aid in ("a0", "b")
        }  # fmt: skip
        named = [
            tuple(r)
            for r in s.execute(text("SELECT agency, name FROM article_agencies ORDER BY 1"))
        ]
    assert got["a0"] == got["b"] and len(got["a0"]) == len(JSON_VALUES) - 1
    assert named == [("dpa", None), ("dpa", None)]


def test_the_json_shortcut_is_json_dumps() -> None:
    """The JSON texts written without the encoder are the encoder's."""
    dialect = sqlite.dialect()
    kind = JSON()
    process = kind.bind_processor(dialect)
    assert process is not None
    write = _json_shortcut(dialect, kind, process)
    for value in [*JSON_VALUES, ["\ud800"], ["a" * 1000, ""], [""]]:
        assert write(value) == process(value)
        if value is not None:
            assert write(value) == json.dumps(value)


def test_the_date_shortcut_is_the_types_two_steps() -> None:
    """A UTC datetime written directly is SQLAlchemy's text of it (UTCDateTime's naive UTC,
    then SQLite's DATETIME); every other value goes through the processor."""
    dialect = sqlite.dialect()
    kind = ArticleRow.__table__.c.versioncreated.type
    process = kind._cached_bind_processor(dialect)
    assert process is not None
    write = _date_shortcut(dialect, kind, process)
    assert write is not process  # the shortcut applies to this column
    values = [
        T0,
        T0.replace(microsecond=0),
        datetime(999, 1, 2, 3, 4, 5, 6, tzinfo=UTC),
        datetime(2026, 3, 29, 1, 59, 59, 999999, tzinfo=UTC),
        T0.astimezone(timezone(timedelta(hours=-5))),
        T0.replace(tzinfo=None),
        None,
    ]
    for value in values:
        assert write(value) == process(value), value
    assert write(T0) == "2026-12-07 09:30:15.123456"
