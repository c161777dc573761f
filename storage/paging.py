"""Keyset paging: opaque cursors and the page they lead to.

A page ends with a cursor, the base64 of the last row's sort key, and the next page starts
strictly after that key (never OFFSET). Ranked search sorts by (score, id) -- plus the
bounds of its window of newest matches on a large store --, newest-first lists by
(versioncreated, id); both are total orders, so a row is never shown twice nor skipped
while the page boundary moves. A cursor carries a fingerprint of its query and is refused by
any other query.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import ColumnElement, Select, String, bindparam, tuple_
from sqlalchemy.orm import Session

from wire.errors import QueryError
from wire.record import iso, parse_iso
from wire.storage.models import ArticleRow

CURSOR_VERSION = 1
Sort = Literal["relevance", "newest"]
BAD_CURSOR = "cursor is not valid; use the 'next' value of a previous page as it is"


@dataclass
class IdPage:
    """One page as article ids in order, and the cursor of the next page (or None)."""

    ids: list[str]
    next_cursor: str | None


def encode_cursor(sort: Sort, key: Sequence[Any], fingerprint: str) -> str:
    blob = json.dumps({"v": CURSOR_VERSION, "s": sort, "k": list(key), "f": fingerprint})
    return base64.urlsafe_b64encode(blob.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, sort: Sort, fingerprint: str) -> list[Any]:
    """The sort key a cursor holds, after checking it belongs to this query."""
    if len(cursor) > 1000:
        raise QueryError(BAD_CURSOR)
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise QueryError(BAD_CURSOR) from None
    if not isinstance(data, dict) or data.get("v") != CURSOR_VERSION:
        raise QueryError(BAD_CURSOR)
    key = data.get("k")
    if not isinstance(key, list) or not 2 <= len(key) <= 5:
        raise QueryError(BAD_CURSOR)
    if data.get("s") != sort or data.get("f") != fingerprint:
        raise QueryError(
            "cursor belongs to a different query (filters or sort changed); start without cursor"
        )
    return key


def newest_key(key: list[Any]) -> tuple[datetime | None, str]:
    """(versioncreated or None, article id) of a newest-first cursor."""
    first, last = key[0], key[-1]
    if len(key) != 2 or not isinstance(last, str) or not (first is None or isinstance(first, str)):
        raise QueryError(BAD_CURSOR)
    try:
        return (parse_iso(first) if first is not None else None), last
    except ValueError:
        raise QueryError(BAD_CURSOR) from None


def key_number(value: Any, kind: Any) -> Any:
    """One number of a cursor key, of the expected type (a bool is not a number here)."""
    if isinstance(value, bool) or not isinstance(value, kind):
        raise QueryError(BAD_CURSOR)
    return value


def newest_page(
    session: Session,
    stmt: Select[Any],
    limit: int,
    after: tuple[datetime | None, str] | None,
    fp: str,
) -> IdPage:
    """Newest first, then id; undated rows come last on every backend.

    Two index-friendly range scans instead of one ``NULLS LAST`` sort: dated rows by
    (versioncreated, id) descending, then undated rows by id descending.
    """
    vc, aid = ArticleRow.versioncreated, ArticleRow.id
    found: list[tuple[str, datetime | None]] = []
    if after is None or after[0] is not None:
        dated = stmt.where(vc.is_not(None))
        if after is not None:
            # Typed binds: the cursor's time is compared as the column stores it (UTC).
            key = tuple_(bindparam(None, after[0], vc.type), bindparam(None, after[1], String))
            dated = dated.where(tuple_(vc, aid) < key)
        found = [
            (i, t)
            for i, t in session.execute(dated.order_by(vc.desc(), aid.desc()).limit(limit + 1))
        ]
    return undated_after(session, stmt, found, limit, after, fp)


def undated_after(
    session: Session,
    stmt: Select[Any],
    found: list[tuple[str, datetime | None]],
    limit: int,
    after: tuple[datetime | None, str] | None,
    fp: str,
) -> IdPage:
    """A newest-first page from the dated matches ``found`` (up to ``limit + 1``, newest
    first): undated rows, by id descending, fill what is left; then the page and its cursor."""
    vc, aid = ArticleRow.versioncreated, ArticleRow.id
    if len(found) <= limit:
        undated = stmt.where(vc.is_(None))
        if after is not None and after[0] is None:
            undated = undated.where(aid < after[1])
        want = limit + 1 - len(found)
        found += [(i, None) for i, _ in session.execute(undated.order_by(aid.desc()).limit(want))]
    more = len(found) > limit
    found = found[:limit]
    nxt = encode_cursor("newest", [iso(found[-1][1]), found[-1][0]], fp) if more else None
    return IdPage([i for i, _ in found], nxt)


def ranked_page(
    session: Session,
    stmt: Select[Any],
    score: ColumnElement[float],
    limit: int,
    key: list[Any] | None,
    fp: str,
) -> IdPage:
    """Best score first (a lower score ranks higher), then id."""
    stmt = stmt.add_columns(score)
    if key is not None:
        if len(key) != 2:
            raise QueryError(BAD_CURSOR)
        after = (float(key_number(key[0], int | float)), key_number(key[1], str))
        stmt = stmt.where(tuple_(score, ArticleRow.id) > tuple_(*after))
    found = [
        (aid, float(s))
        for aid, _, s in session.execute(stmt.order_by(score, ArticleRow.id).limit(limit + 1))
    ]
    more = len(found) > limit
    found = found[:limit]
    nxt = encode_cursor("relevance", [found[-1][1], found[-1][0]], fp) if more else None
    return IdPage([aid for aid, _ in found], nxt)
