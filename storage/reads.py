"""Reads shared by the CLI and the HTTP API: a page of articles for a query, article views.

Every list first finds a page of ids (:func:`find_ids`: the text search of the store's
dialect, :mod:`wire.storage.search`, or a filtered newest-first list), then loads those rows
only: as ORM objects (:func:`find_articles`) or as canonical records (:func:`find_records`).
What a reader may see (statuses, embargoes, kills as tombstones) is decided by
:mod:`wire.storage.visibility`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select, text
from sqlalchemy.orm import Session, selectinload

from wire.record import iso
from wire.storage.filters import ArticleQuery, filter_conditions
from wire.storage.media import linked_media, linking_stories
from wire.storage.models import (
    ArticleRow,
    ArticleVersion,
    Cluster,
    ClusterMember,
)
from wire.storage.paging import IdPage, decode_cursor, newest_key, newest_page, ranked_page
from wire.storage.records import (
    IMAGE_COLUMNS,
    RECORD_COLUMNS,
    SIGHTING_COLUMNS,
    load_records,
)
from wire.storage.search import fts5, pgnewest, pgwindow, postgres
from wire.storage.search.matching import all_tokens, to_match
from wire.storage.updates import Item, updated_story, updating_stories
from wire.storage.visibility import (
    READER,
    Viewer,
    is_released,
    killed_view,
    released,
    visible_pubstatuses,
    withdrawn,
)


@dataclass
class Page:
    rows: list[ArticleRow]
    next_cursor: str | None


def find_articles(
    session: Session,
    query: ArticleQuery,
    *,
    limit: int = 50,
    cursor: str | None = None,
    load_children: bool = True,
    viewer: Viewer = READER,
) -> Page:
    """One page of articles (ORM rows) matching ``query``, and the next page's cursor."""
    page = find_ids(session, query, limit=limit, cursor=cursor, viewer=viewer)
    return Page(_load_rows(session, page.ids, load_children), page.next_cursor)


def find_records(
    session: Session,
    query: ArticleQuery,
    *,
    limit: int = 50,
    cursor: str | None = None,
    viewer: Viewer = READER,
) -> tuple[list[dict[str, Any]], str | None]:
    """One page as canonical records (what the API renders), and the next page's cursor;
    a killed story is its tombstone unless ``viewer`` audits."""
    page = find_ids(session, query, limit=limit, cursor=cursor, viewer=viewer)
    records = [withdrawn(r, viewer) for r in load_records(session, page.ids)]
    return records, page.next_cursor


def find_ids(
    session: Session,
    query: ArticleQuery,
    *,
    limit: int = 50,
    cursor: str | None = None,
    viewer: Viewer = READER,
) -> IdPage:
    """The ids of one page of articles matching ``query`` that ``viewer`` may see now (no
    story still under embargo unless it audits), in order, and the next cursor."""
    sort = query.effective_sort
    fp = query.fingerprint()
    key = decode_cursor(cursor, sort, fp) if cursor else None
    if query.parsed is not None and session.get_bind().dialect.name == "sqlite":
        return fts5.text_page(session, query, limit, key, fp, viewer)
    stmt: Select[Any] = select(ArticleRow.id, ArticleRow.versioncreated)  # type: ignore[assignment]
    score = None
    prefix = False
    if query.parsed is not None:
        match = to_match(query.parsed, query.stem_languages)
        spelt = postgres.prefix_terms(session, match)
        # A prefix spelt out as whole tokens costs a probe what words cost; another one
        # unites its tokens' postings over all time at every probe.
        prefix = any(t.prefix and t.tokens[-1] not in spelt for t in all_tokens(match))
        cond, score = postgres.text_condition(match, postgres.tag_query(query), spelt)
        stmt = stmt.where(cond)
    tagged = query.parsed is not None  # the text query carries the tag filters
    stmt = stmt.where(*filter_conditions(query, tagged=tagged), *released(viewer))
    if sort == "newest":
        after = newest_key(key) if key else None
        if query.parsed is not None and not (query.cluster or query.ids):
            return pgnewest.newest_text_page(
                session, stmt, limit, after, fp, since=query.since, until=query.until
            )
        return newest_page(session, stmt, limit, after, fp)
    assert score is not None
    if query.cluster or query.ids:  # a handful of articles: rank them all, never a window
        return ranked_page(session, stmt, score, limit, key, fp)
    return pgwindow.windowed_page(
        session, stmt, score, limit, key, fp, prefix=prefix, since=query.since, until=query.until
    )


def _load_rows(session: Session, ids: Sequence[str], load_children: bool) -> list[ArticleRow]:
    """The articles with these ids, in this order."""
    if not ids:
        return []
    stmt = select(ArticleRow).where(ArticleRow.id.in_(ids))
    if load_children:
        stmt = stmt.options(selectinload(ArticleRow.images), selectinload(ArticleRow.sightings))
    by_id = {row.id: row for row in session.scalars(stmt)}
    return [by_id[i] for i in ids if i in by_id]


def count_articles(session: Session) -> int:
    """How many articles the store holds (current versions)."""
    return session.scalar(select(func.count()).select_from(ArticleRow)) or 0


def refresh_planner_stats(session: Session, *, min_articles: int = 1000) -> bool:
    """Gather SQLite's planner statistics when missing or when the store doubled since.

    Without them SQLite guesses that every indexed equality is selective and, at a million
    articles, sorts half the table for ``language=de``; with them it walks the time index.
    ``analysis_limit`` samples each index, so this takes milliseconds at any size. Returns
    whether statistics were gathered (always False on PostgreSQL: autovacuum does it).
    """
    if session.get_bind().dialect.name != "sqlite":
        return False
    count = session.execute(text("SELECT coalesce(max(key), 0) FROM article_keys")).scalar_one()
    if count < min_articles:
        return False
    has_stats = session.execute(
        text("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
    ).scalar()
    if has_stats:
        stat = session.execute(
            text("SELECT stat FROM sqlite_stat1 WHERE idx = 'ix_articles_versioncreated_id'")
        ).scalar()
        analysed = int(str(stat).split()[0]) if stat else 0
        if analysed and count < 2 * analysed:
            return False
    session.execute(text("PRAGMA analysis_limit = 1000"))
    session.execute(text("ANALYZE"))
    return True


# --- whole-article views ------------------------------------------------------------------


def record_of(
    row: Any, images: Sequence[Any] = (), sightings: Sequence[Any] = ()
) -> dict[str, Any]:
    """The canonical record from an article row (ORM object or mapping) and its children."""
    get = row.get if isinstance(row, Mapping) else row.__getattribute__
    data: dict[str, Any] = {name: get(name) for name in RECORD_COLUMNS}
    for name in (
        "agencies",
        "producers",
        "key_points",
        "subjects",
        "signals",
        "renditions",
        "links",
    ):
        data[name] = list(data[name] or [])
    data["unresolved_agencies"] = dict(data["unresolved_agencies"] or {})
    data["type"] = data["type"] or "text"
    for name in ("firstcreated", "versioncreated", "ingested_at", "embargoed"):
        data[name] = iso(data[name])
    data["images"] = [image_dict(i) for i in images]
    data["sightings"] = [
        {**{k: _get(s, k) for k in SIGHTING_COLUMNS}, "seen_at": iso(_get(s, "seen_at"))}
        for s in sightings
    ]
    # Key order of Article.to_dict(): images before content_hash, sightings last.
    order = [*RECORD_COLUMNS[:-2], "images", "content_hash", "cluster_id", "sightings"]
    return {k: data[k] for k in order}


def _get(obj: Any, name: str) -> Any:
    return obj[name] if isinstance(obj, Mapping) else getattr(obj, name)


def article_dict(row: ArticleRow) -> dict[str, Any]:
    """The canonical record of the current version, as stored."""
    return record_of(row, row.images, row.sightings)


def image_dict(img: Any) -> dict[str, Any]:
    data = {k: _get(img, k) for k in IMAGE_COLUMNS}
    data["agencies"] = list(data["agencies"] or [])
    return data


def get_article(
    session: Session, article_id: str, viewer: Viewer = READER
) -> dict[str, Any] | None:
    """One article with its version history and cluster membership, or None (also while
    under embargo for ``viewer``; a killed one is its tombstone)."""
    row = session.get(ArticleRow, article_id)
    if row is None or not is_released(row, viewer):
        return None
    data = withdrawn(article_dict(row), viewer)
    data["media"] = linked_media(session, article_id)
    data["linked_by"] = linking_stories(session, row.guid)
    # The story this lead/update/correction updates, and the later takes that update it.
    item = Item.of(row)
    data["updates"] = updated_story(session, item)
    data["updated_by"] = updating_stories(session, item)
    data["versions"] = [
        {
            "version": v.version,
            "pubstatus": v.pubstatus,
            "versioncreated": iso(v.versioncreated),
            "ingested_at": iso(v.ingested_at),
            "content_hash": v.content_hash,
            "headline": (v.record or {}).get("headline"),
        }
        for v in row.versions
    ]
    member = session.get(ClusterMember, article_id)
    data["cluster"] = None
    if row.cluster_id:
        members = session.execute(
            select(ClusterMember, ArticleRow.headline, ArticleRow.source)
            .join(ArticleRow, ArticleRow.id == ClusterMember.article_id)
            .where(ClusterMember.cluster_id == row.cluster_id, *released(viewer))
            .order_by(ClusterMember.joined_at)
        ).all()
        data["cluster"] = {
            "id": row.cluster_id,
            "similarity": member.similarity if member else None,
            "matched": member.matched_article_id if member else None,
            "members": [
                {
                    "id": m.article_id,
                    "headline": headline,
                    "source": source,
                    "similarity": m.similarity,
                    "matched": m.matched_article_id,
                }
                for m, headline, source in members
            ],
        }
    return data


def get_version(
    session: Session, article_id: str, version: int, viewer: Viewer = READER
) -> dict[str, Any] | None:
    """One stored version, or None (also while the story is under embargo for ``viewer``);
    every version of a killed story is its tombstone."""
    row = session.get(ArticleRow, article_id)
    if row is None or not is_released(row, viewer):
        return None
    v = session.scalar(
        select(ArticleVersion).where(
            ArticleVersion.article_id == article_id, ArticleVersion.version == version
        )
    )
    if v is None:
        return None
    if row.pubstatus == "canceled" and not viewer.audit:
        return killed_view(article_dict(row), dict(v.record))
    return dict(v.record)


def get_cluster(
    session: Session,
    cluster_id: str,
    *,
    pubstatus: Sequence[str] = (),
    limit: int = 500,
    viewer: Viewer = READER,
) -> dict[str, Any] | None:
    """A story cluster with its visible members (newest first) and why each joined, or None.

    ``pubstatus`` as in :func:`wire.storage.visibility.visible_pubstatuses`; members under
    embargo for ``viewer`` are left out; callers render killed members with
    :func:`wire.storage.visibility.withdrawn`.
    """
    cluster = session.get(Cluster, cluster_id)
    members = session.execute(
        select(ArticleRow, ClusterMember)
        .outerjoin(ClusterMember, ClusterMember.article_id == ArticleRow.id)
        .where(
            ArticleRow.cluster_id == cluster_id,
            ArticleRow.pubstatus.in_(visible_pubstatuses(pubstatus)),
            *released(viewer),
        )
        .options(selectinload(ArticleRow.images), selectinload(ArticleRow.sightings))
        .order_by(ArticleRow.versioncreated.desc(), ArticleRow.id.desc())
        .limit(limit)
    ).all()
    # the size counts what the viewer may see; a cluster of embargoed stories only is none
    visible = session.scalar(
        select(func.count()).where(ArticleRow.cluster_id == cluster_id, *released(viewer))
    )
    if not members and (cluster is None or (cluster.size and not visible)):
        return None
    return {
        "id": cluster_id,
        "language": cluster.language if cluster else None,
        "size": visible,
        "created_at": iso(cluster.created_at) if cluster else None,
        "updated_at": iso(cluster.updated_at) if cluster else None,
        "members": [
            {
                "id": row.id,
                "similarity": m.similarity if m else None,
                "matched": m.matched_article_id if m else None,
                "joined_at": iso(m.joined_at) if m else None,
            }
            for row, m in members
        ],
        "rows": [row for row, _ in members],
    }
