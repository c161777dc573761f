"""Retention: remove what agency contracts no longer let us keep.

An article goes when it is older (since it was first stored) than its source allows
(``retention_days``, else ``[retention].days``) or than any of its agencies allows
(``[retention.agencies]``). Its versions, pictures, sightings, signature and cluster
membership go with it; what stays is a row in ``purged_articles`` (so a feed that still lists
it does not store it again) and a ``purge`` change on the feed (so readers remove it too).
Raw payloads and rejects go by their source's limit. A killed story's text goes after
``killed_text_days``: its versions become tombstones, for admins too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, delete, exists, func, or_, select, update
from sqlalchemy.orm import Session

from wire.config import Config
from wire.record import iso
from wire.storage.db import Database
from wire.storage.models import (
    ArticleAgency,
    ArticleRow,
    ArticleVersion,
    Cluster,
    ClusterMember,
    HeldChange,
    ImageRow,
    PurgedArticle,
    RawItem,
    Reject,
    utcnow,
)
from wire.storage.search.tokens import tombstone_document
from wire.storage.visibility import tombstone
from wire.storage.writer import (
    append_changes,
    core,
    insert_rows,
    lock_changes,
    replace_search_text,
)

BATCH = 500  # rows per transaction step ([retention].batch_size sets the daemon's and CLI's)


@dataclass(frozen=True)
class RetentionRules:
    """Days each kind of copy may be kept; None: for ever."""

    default_days: float | None = None
    by_feed: Mapping[str, float] = field(default_factory=dict)  # a source's own limit
    by_agency: Mapping[str, float] = field(default_factory=dict)
    raw_by_feed: Mapping[str, float] = field(default_factory=dict)  # payloads and rejects
    killed_text_days: float | None = None

    @classmethod
    def from_config(cls, config: Config) -> RetentionRules:
        r = config.retention
        by_feed = {s.name: s.retention_days for s in config.sources if s.retention_days}
        raw: dict[str, float] = {}
        for s in config.sources:
            limits = [by_feed.get(s.name, r.days), r.agencies.get(s.source or "")]
            known = [d for d in limits if d is not None]
            if known:
                raw[s.name] = min(known)
        return cls(r.days, by_feed, dict(r.agencies), raw, r.killed_text_days)

    @property
    def active(self) -> bool:
        return bool(
            self.default_days is not None
            or self.by_feed
            or self.by_agency
            or self.raw_by_feed
            or self.killed_text_days is not None
        )


@dataclass
class PurgeReport:
    """What a purge removed (or, dry, would remove)."""

    articles: list[dict[str, Any]] = field(default_factory=list)
    raw_items: int = 0
    rejects: int = 0
    killed_texts: list[str] = field(default_factory=list)
    dry_run: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "articles": self.articles,
            "raw_items": self.raw_items,
            "rejects": self.rejects,
            "killed_texts": self.killed_texts,
        }


def _older(column: Any, now: datetime, days: float) -> ColumnElement[bool]:
    return column < now - timedelta(days=days)


def expired_articles(rules: RetentionRules, now: datetime) -> ColumnElement[bool] | None:
    """The condition on ``articles`` of what is past retention (None: nothing ever is)."""
    conds: list[ColumnElement[bool]] = []
    for feed, days in rules.by_feed.items():
        conds.append(and_(ArticleRow.feed == feed, _older(ArticleRow.ingested_at, now, days)))
    if rules.default_days is not None:
        others = ArticleRow.feed.not_in(list(rules.by_feed)) if rules.by_feed else None
        old = _older(ArticleRow.ingested_at, now, rules.default_days)
        conds.append(and_(others, old) if others is not None else old)
    for agency, days in rules.by_agency.items():
        tagged = exists().where(
            ArticleAgency.article_id == ArticleRow.id, ArticleAgency.agency == agency
        )
        conds.append(and_(_older(ArticleRow.ingested_at, now, days), tagged))
    return or_(*conds) if conds else None


def _by_feed(model: Any, time_col: Any, rules: RetentionRules, now: datetime) -> Any:
    conds = [
        and_(model.feed == feed, _older(time_col, now, days))
        for feed, days in rules.raw_by_feed.items()
    ]
    if rules.default_days is not None:
        old = _older(time_col, now, rules.default_days)
        conds.append(and_(model.feed.not_in(list(rules.raw_by_feed)), old))
    return or_(*conds) if conds else None


def purge(
    session: Session, rules: RetentionRules, *, now: datetime | None = None, dry_run: bool = False
) -> PurgeReport:
    """Remove everything past retention at ``now`` (or, ``dry_run``, only list it)."""
    now = now or utcnow()
    report = PurgeReport(dry_run=dry_run)
    expired = expired_articles(rules, now)
    if expired is not None:
        rows = list(session.execute(_expired_rows(expired)).all())
        report.articles = [_listed(r) for r in rows]
        if not dry_run:
            for i in range(0, len(rows), BATCH):
                _remove_articles(session, rows[i : i + BATCH], now)
    for model, time_col, attr in (
        (RawItem, RawItem.received_at, "raw_items"),
        (Reject, Reject.received_at, "rejects"),
    ):
        cond = _by_feed(model, time_col, rules, now)
        if cond is None:
            continue
        if dry_run:
            count = session.scalar(select(func.count()).select_from(model).where(cond)) or 0
        else:
            count = len(core(session).execute(delete(model).where(cond).returning(model.id)).all())
        setattr(report, attr, count)
    if rules.killed_text_days is not None:
        report.killed_texts = _purge_killed_text(session, rules.killed_text_days, now, dry_run)
    return report


def _expired_rows(expired: ColumnElement[bool]) -> Select[Any]:
    """The articles past retention, oldest first: what a purge lists and removes."""
    return (
        select(ArticleRow.id, ArticleRow.feed, ArticleRow.source, ArticleRow.version,
               ArticleRow.pubstatus, ArticleRow.agencies, ArticleRow.ingested_at,
               ArticleRow.headline)
        .where(expired)
        .order_by(ArticleRow.ingested_at, ArticleRow.id)
    )  # fmt: skip


def _listed(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "feed": row.feed,
        "agencies": list(row.agencies or []),
        "ingested_at": iso(row.ingested_at),
        "headline": row.headline,
    }


Progress = Callable[[str, int], None]  # (what: articles | raw_items | rejects | killed_texts, n)


def purge_in_batches(
    db: Database,
    rules: RetentionRules,
    *,
    batch_size: int = BATCH,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> PurgeReport:
    """Remove everything past retention at ``now``, ``batch_size`` rows per transaction.

    A first purge of a large store removes much of it; as one transaction it would hold the
    feed's lock and grow the database's undo for its whole length, and an interrupted run
    would undo it all. Here each batch commits on its own (articles with their tombstones
    and ``purge`` changes, then raw payloads, rejects and killed texts), so writers and
    readers go on between batches, and a run stopped midway loses at most its current
    batch: the next run (the selection is by time) takes up what is left. ``progress`` is
    told after each committed batch.
    """
    if batch_size < 1:
        raise ValueError("the purge batch size must be at least 1")
    now = now or utcnow()
    report = PurgeReport()
    expired = expired_articles(rules, now)
    while expired is not None:
        with db.session() as session:
            lock_changes(session)  # first, as every writer: two purgers take turns
            rows = list(session.execute(_expired_rows(expired).limit(batch_size)).all())
            if rows:
                _remove_articles(session, rows, now)
        report.articles += [_listed(r) for r in rows]
        if rows and progress:
            progress("articles", len(rows))
        if len(rows) < batch_size:
            break
    for model, time_col, attr in (
        (RawItem, RawItem.received_at, "raw_items"),
        (Reject, Reject.received_at, "rejects"),
    ):
        cond = _by_feed(model, time_col, rules, now)
        while cond is not None:
            with db.session() as session:
                keys = list(
                    session.scalars(
                        select(model.id).where(cond).order_by(model.id).limit(batch_size)
                    )
                )
                if keys:
                    core(session).execute(delete(model).where(model.id.in_(keys)))
            setattr(report, attr, getattr(report, attr) + len(keys))
            if keys and progress:
                progress(attr, len(keys))
            if len(keys) < batch_size:
                break
    while rules.killed_text_days is not None:
        with db.session() as session:
            ids = _killed_due(session, rules.killed_text_days, now, batch_size)
            if ids:
                _withdraw_text(session, ids, now)
        report.killed_texts += ids
        if ids and progress:
            progress("killed_texts", len(ids))
        if len(ids) < batch_size:
            break
    return report


def _remove_articles(session: Session, rows: list[Any], now: datetime) -> None:
    """Delete these articles (their children cascade), leave their tombstones, tell the feed."""
    conn = core(session)
    lock_changes(session)  # one feed maintenance job at a time (writers never take it)
    ids = [r.id for r in rows]
    for cluster_id, members in conn.execute(
        select(ClusterMember.cluster_id, func.count())
        .where(ClusterMember.article_id.in_(ids))
        .group_by(ClusterMember.cluster_id)
    ).all():
        conn.execute(
            update(Cluster)
            .where(Cluster.id == cluster_id)
            .values(size=Cluster.size - members, updated_at=now)
        )
    conn.execute(delete(ClusterMember).where(ClusterMember.article_id.in_(ids)))
    conn.execute(delete(Cluster).where(Cluster.size <= 0))
    conn.execute(delete(HeldChange).where(HeldChange.article_id.in_(ids)))
    conn.execute(delete(ArticleRow).where(ArticleRow.id.in_(ids)))
    insert_rows(
        conn,
        PurgedArticle,
        [{"id": r.id, "feed": r.feed, "source": r.source, "purged_at": now} for r in rows],
    )
    append_changes(
        session,
        [
            {
                "article_id": r.id,
                "version": r.version,
                "kind": "purge",
                "pubstatus": r.pubstatus,
                "source": r.source,
                "at": now,
            }
            for r in rows
        ],
    )


def _killed_due(session: Session, days: float, now: datetime, limit: int | None) -> list[str]:
    """Killed stories older than ``days`` since the kill whose text is still stored."""
    stmt = (
        select(ArticleRow.id)
        .where(
            ArticleRow.pubstatus == "canceled",
            ArticleRow.text_purged_at.is_(None),
            _older(ArticleRow.updated_at, now, days),
        )
        .order_by(ArticleRow.id)
    )
    return list(session.scalars(stmt if limit is None else stmt.limit(limit)))


def _purge_killed_text(session: Session, days: float, now: datetime, dry_run: bool) -> list[str]:
    """Killed stories older than ``days`` since the kill: text and pictures go for everyone."""
    ids = _killed_due(session, days, now, None)
    if not dry_run and ids:
        _withdraw_text(session, ids, now)
    return ids


def _withdraw_text(session: Session, ids: list[str], now: datetime) -> None:
    """The killed stories' text and pictures go; versions become tombstones."""
    conn = core(session)
    for version_id, record in conn.execute(
        select(ArticleVersion.id, ArticleVersion.record).where(ArticleVersion.article_id.in_(ids))
    ).all():
        conn.execute(
            update(ArticleVersion)
            .where(ArticleVersion.id == version_id)
            .values(record=tombstone(record or {}))
        )
    conn.execute(delete(ImageRow).where(ImageRow.article_id.in_(ids)))
    conn.execute(
        update(ArticleRow)
        .where(ArticleRow.id.in_(ids))
        .values(
            body_text="", body_html=None, lead=None, kicker=None, key_points=[], byline=None,
            dateline=None, has_images=False, text_purged_at=now,
        )
    )  # fmt: skip
    headlines = conn.execute(
        select(ArticleRow.id, ArticleRow.headline, ArticleRow.language).where(
            ArticleRow.id.in_(ids)
        )
    )
    replace_search_text(  # the search index keeps the headline only
        session, [(i, tombstone_document(h, lang)) for i, h, lang in headlines]
    )
