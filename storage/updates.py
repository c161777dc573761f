"""Which stored story a LEAD, UPDATE or CORRECTION filed under a new guid updates.

Agencies send a story's later takes under new ids. Two kinds of stored link say which story
one updates (both are ``article_links`` rows, so they hold whichever item arrives first):

- ``rel="updates"``: the format names the earlier item's guid (NewsML-G2
  ``irel:previousVersion``, ninjs ``evolvedfrom``). That item is the target.
- ``rel="story"``: the story key the agency keeps across takes (a slug or keyword line,
  :mod:`wire.normalise.storykey`). An item whose status words make it a later take (a
  "1ST LEAD", "UPDATE 2", "CORRECTED" signal) updates the newest earlier text item of the
  same agency with the same key, filed at most ``window`` before it.

Resolved when read (the article view, ``/articles``) and by the clusterer when the update is
stored, which puts it in the cluster of the story it updates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import Connection, Select, bindparam, func, select
from sqlalchemy.orm import Session

from wire.config import DedupConfig
from wire.normalise.storykey import STORY_REL, UPDATES_REL, is_update
from wire.record import iso, parse_iso
from wire.storage.models import ArticleLink, ArticleRow

_Sel = TypeVar("_Sel", bound="Select[*tuple[Any, ...]]")  # any select()

WINDOW = timedelta(hours=DedupConfig().update_window_hours)
_LATER_LIMIT = 50  # later takes of one story looked at for "updated_by"

Db = Session | Connection


@dataclass(frozen=True)
class Item:
    """What resolving needs of an article: its identity, links, signals and filing time."""

    id: str
    guid: str
    source: str | None
    feed: str
    type: str
    links: tuple[tuple[str, str], ...]  # (guid, rel)
    signals: tuple[str, ...]
    filed: datetime | None  # firstcreated, else versioncreated

    @classmethod
    def of(cls, record: Mapping[str, Any] | Any) -> Item:
        """From a record dict, an :class:`~wire.record.Article` or an ``articles`` row."""
        get = record.get if isinstance(record, Mapping) else record.__getattribute__
        links = []
        for link in get("links") or ():
            if isinstance(link, Mapping):
                links.append((str(link.get("guid") or ""), str(link.get("rel") or "")))
            else:
                links.append((link.guid, link.rel))
        filed = get("firstcreated") or get("versioncreated")
        return cls(
            id=get("id") or "",
            guid=get("guid") or "",
            source=get("source"),
            feed=get("feed") or "",
            type=get("type") or "text",
            links=tuple(links),
            signals=tuple(get("signals") or ()),
            filed=filed if isinstance(filed, datetime) else _parse(filed),
        )

    def rel(self, rel: str) -> list[str]:
        return [guid for guid, r in self.links if r == rel and guid]


def _parse(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return parse_iso(value)
    except ValueError:
        return None


def _conn(db: Db) -> Connection:
    return db.connection() if isinstance(db, Session) else db


_FILED = func.coalesce(ArticleRow.firstcreated, ArticleRow.versioncreated)
_BRIEF = (
    ArticleRow.id,
    ArticleRow.guid,
    ArticleRow.type,
    ArticleRow.headline,
    ArticleRow.source,
    ArticleRow.cluster_id,
    ArticleRow.versioncreated,
)


def _brief(row: Any, how: str) -> dict[str, Any]:
    return {
        "id": row.id,
        "guid": row.guid,
        "headline": row.headline,
        "source": row.source,
        "versioncreated": iso(row.versioncreated),
        "cluster_id": row.cluster_id,
        "by": how,  # "guid": the format named it; "story": same agency and story key
    }


def _agency_column(by_source: bool) -> Any:
    """Where an item's agency is compared: its source code, or its feed for an item without."""
    return ArticleRow.source if by_source else ArticleRow.feed


def _same_agency(item: Item) -> Any:
    return _agency_column(bool(item.source)) == (item.source or item.feed)


def updated_story(db: Db, item: Item, window: timedelta = WINDOW) -> dict[str, Any] | None:
    """The stored story ``item`` updates (see the module), or None."""
    conn = _conn(db)
    named = item.rel(UPDATES_REL)
    if named:
        rows = list(
            conn.execute(
                select(*_BRIEF).where(ArticleRow.guid.in_(named), ArticleRow.id != item.id)
            ).all()
        )
        if rows:
            # The format's own agency first (a guid is unique per agency, not worldwide).
            rows.sort(key=lambda r: (r.source != item.source, named.index(r.guid), r.id))
            return _brief(rows[0], "guid")
    keys = item.rel(STORY_REL)
    if not keys or item.type != "text" or not is_update(item.signals):
        return None
    stmt = (
        _same_story(select(*_BRIEF), item, keys)
        .order_by(_FILED.desc(), ArticleRow.id.desc())
        .limit(1)
    )
    if item.filed is not None:
        stmt = stmt.where(_FILED < item.filed, _FILED >= item.filed - window)
    row = conn.execute(stmt).first()
    return _brief(row, "story") if row else None


def _same_story(stmt: _Sel, item: Item, keys: list[str]) -> _Sel:
    """Other text items of ``item``'s agency filed under one of its story keys."""
    return stmt.join(ArticleLink, ArticleLink.article_id == ArticleRow.id).where(
        ArticleLink.rel == STORY_REL,
        ArticleLink.guid.in_(keys),
        ArticleRow.id != item.id,
        ArticleRow.guid != item.guid,
        ArticleRow.type == "text",
        _same_agency(item),
    )


def _named_updates(by_source: bool) -> Select[*tuple[Any, ...]]:
    """Items of the agency that name ``:guid`` as the one they update (not ``:id`` itself).
    Built once: the clusterer asks this for every new article, and building and keying the
    statement each time cost more than running it (bench/daemon cold cycle)."""
    return (
        select(*_BRIEF)
        .join(ArticleLink, ArticleLink.article_id == ArticleRow.id)
        .where(
            ArticleLink.rel == UPDATES_REL,
            ArticleLink.guid == bindparam("guid"),
            ArticleRow.id != bindparam("id"),
            _agency_column(by_source) == bindparam("agency"),
        )
        .order_by(_FILED, ArticleRow.id)
    )


_NAMED_UPDATES = {True: _named_updates(True), False: _named_updates(False)}  # by source, feed


_NAMING = (
    select(*_BRIEF, ArticleRow.feed, ArticleLink.guid.label("named"))
    .join(ArticleLink, ArticleLink.article_id == ArticleRow.id)
    .where(ArticleLink.rel == UPDATES_REL, ArticleLink.guid.in_(bindparam("guids", expanding=True)))
)


class NamedUpdates:
    """The items naming any of a batch's guids as the one they update, read in one query
    per 500 guids, for :func:`updating_stories` to take its ``named`` rows from (the
    clusterer asks for every new article of a store batch). Exact for as long as no
    article or link is written: the clusterer writes neither."""

    def __init__(self, db: Db, guids: Sequence[str]) -> None:
        self.rows: dict[str, list[Any]] = {}
        self.asked = set(guids)
        wanted = sorted(self.asked)
        conn = _conn(db)
        for start in range(0, len(wanted), 500):
            for row in conn.execute(_NAMING, {"guids": wanted[start : start + 500]}):
                self.rows.setdefault(row.named, []).append(row)

    def of(self, item: Item) -> list[Any] | None:
        """What ``_NAMED_UPDATES`` returns for ``item`` (order aside: the caller sorts),
        or None for a guid not read."""
        if item.guid not in self.asked:
            return None
        by_source = bool(item.source)
        agency = item.source or item.feed
        return [
            row
            for row in self.rows.get(item.guid, ())
            if row.id != item.id and (row.source if by_source else row.feed) == agency
        ]


def updating_stories(
    db: Db, item: Item, window: timedelta = WINDOW, named_updates: NamedUpdates | None = None
) -> list[dict[str, Any]]:
    """The stored items that update ``item`` (the reverse of :func:`updated_story`), oldest
    first: those naming its guid (taken from ``named_updates`` when it read them), and later
    takes of its story whose newest earlier take is ``item``."""
    conn = _conn(db)
    out: dict[str, dict[str, Any]] = {}
    named = named_updates.of(item) if named_updates is not None else None
    if named is None:
        params = {"guid": item.guid, "id": item.id, "agency": item.source or item.feed}
        named = list(conn.execute(_NAMED_UPDATES[bool(item.source)], params).all())
    for row in named:
        out[row.id] = _brief(row, "guid")
    keys = item.rel(STORY_REL)
    if keys and item.type == "text":
        stmt = (
            _same_story(select(ArticleRow.__table__), item, keys)
            .order_by(_FILED, ArticleRow.id)
            .limit(_LATER_LIMIT)
        )
        if item.filed is not None:
            stmt = stmt.where(_FILED > item.filed, _FILED <= item.filed + window)
        later = conn.execute(stmt).all()
        for row in later:
            other = Item.of(row._mapping)
            if other.id in out or not is_update(other.signals):
                continue
            target = updated_story(conn, other, window)
            if target is not None and target["id"] == item.id:
                out[other.id] = _brief(row, "story")
    return sorted(out.values(), key=lambda b: (b["versioncreated"] or "", b["id"]))


def update_targets(db: Db, window: timedelta = WINDOW) -> dict[str, str]:
    """Every usable text item that updates a stored story, and that story's id: what
    ``wire dedup rebuild`` needs to put each update back in its story's cluster."""
    conn = _conn(db)
    linked = conn.execute(
        select(ArticleLink.article_id)
        .where(ArticleLink.rel.in_((UPDATES_REL, STORY_REL)))
        .distinct()
        .order_by(ArticleLink.article_id)
    ).scalars()
    ids = list(linked)
    out: dict[str, str] = {}
    for start in range(0, len(ids), 500):
        rows = conn.execute(
            select(ArticleRow.__table__).where(
                ArticleRow.id.in_(ids[start : start + 500]),
                ArticleRow.type == "text",
                ArticleRow.pubstatus == "usable",
            )
        ).all()
        for row in rows:
            item = Item.of(row._mapping)
            if item.rel(UPDATES_REL) or is_update(item.signals):
                target = updated_story(conn, item, window)
                if target is not None:
                    out[item.id] = target["id"]
    return out


def add_updates(
    db: Db, records: Sequence[dict[str, Any]], window: timedelta = WINDOW
) -> list[dict[str, Any]]:
    """Each record with ``updates``: the story it updates (id, guid, headline, ...) or None.
    Only records that carry such a link or key cost a query."""
    for record in records:
        item = Item.of(record)
        wants = item.rel(UPDATES_REL) or (item.rel(STORY_REL) and is_update(item.signals))
        record["updates"] = updated_story(db, item, window) if wants else None
    return list(records)
