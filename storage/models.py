"""SQLAlchemy 2 models: the store's tables. The schema itself is created by Alembic migrations."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every engine (SQLite has no time zones: stored as naive UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, list[Any]: JSON}  # noqa: RUF012


class SourceRow(Base):
    """A configured source and its health, ETag cache and lease."""

    __tablename__ = "feeds"
    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    location: Mapped[str] = mapped_column(Text, default="")
    format: Mapped[str] = mapped_column(String(40), default="auto")
    kind: Mapped[str] = mapped_column(String(20), default="poll")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_attempt: Mapped[datetime | None]
    last_success: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    failing: Mapped[bool] = mapped_column(Boolean, default=False)
    next_poll: Mapped[datetime | None]
    items_last_seen: Mapped[int] = mapped_column(Integer, default=0)
    last_duration: Mapped[float | None] = mapped_column(Float)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    # Space-separated digests of the items in the last stored payload (wire.ingest.parsing).
    item_digests: Mapped[str | None] = mapped_column(Text)
    # Why the last poll's payload had rejects (None when it had none): the `rejecting` state.
    last_reject: Mapped[str | None] = mapped_column(Text)
    lease_owner: Mapped[str | None] = mapped_column(String(200), index=True)
    lease_expires: Mapped[datetime | None]
    # Freshness (wire.ingest.freshness): the learned rate of new items (per second), the hint
    # the source gave (seconds), the interval in use and the average publish-to-commit latency.
    item_rate: Mapped[float | None] = mapped_column(Float)
    source_hint: Mapped[float | None] = mapped_column(Float)
    poll_interval: Mapped[float | None] = mapped_column(Float)
    latency: Mapped[float | None] = mapped_column(Float)
    # The source's bursts as its item dates show them (wire.ingest.freshness.Bursts): the
    # follow-ups an item brings on average and their mean delay after it (seconds).
    burst_share: Mapped[float | None] = mapped_column(Float)
    burst_decay: Mapped[float | None] = mapped_column(Float)


class DaemonRow(Base):
    """A running daemon, so each can take a fair share of the sources."""

    __tablename__ = "daemons"
    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    host: Mapped[str] = mapped_column(String(200))
    pid: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime]
    last_seen: Mapped[datetime] = mapped_column(index=True)


class ArticleRow(Base):
    """The current version of each article; history lives in ``article_versions``."""

    __tablename__ = "articles"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    type: Mapped[str] = mapped_column(String(20), default="text", index=True)
    source: Mapped[str | None] = mapped_column(String(100), index=True)
    agencies: Mapped[list[Any]] = mapped_column(JSON, default=list)
    unresolved_agencies: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    producers: Mapped[list[Any]] = mapped_column(JSON, default=list)
    feed: Mapped[str] = mapped_column(String(200), index=True)
    guid: Mapped[str] = mapped_column(Text, index=True)  # links between items resolve by guid
    url: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    pubstatus: Mapped[str] = mapped_column(String(20), default="usable", index=True)
    kicker: Mapped[str | None] = mapped_column(Text)
    headline: Mapped[str] = mapped_column(Text, default="")
    lead: Mapped[str | None] = mapped_column(Text)
    key_points: Mapped[list[Any]] = mapped_column(JSON, default=list)
    body_text: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(16), index=True)
    dateline: Mapped[str | None] = mapped_column(Text)
    byline: Mapped[str | None] = mapped_column(Text)
    subjects: Mapped[list[Any]] = mapped_column(JSON, default=list)
    urgency: Mapped[int | None] = mapped_column(Integer)
    ednote: Mapped[str | None] = mapped_column(Text)
    embargoed: Mapped[datetime | None] = mapped_column(index=True)
    usage_terms: Mapped[str | None] = mapped_column(Text)
    copyright_notice: Mapped[str | None] = mapped_column(Text)
    # When retention removed a killed story's text (its tombstone stays): wire.storage.retention.
    text_purged_at: Mapped[datetime | None]
    signals: Mapped[list[Any]] = mapped_column(JSON, default=list)
    firstcreated: Mapped[datetime | None]
    # Indexed with the id (ix_articles_versioncreated_id, below): the time index.
    versioncreated: Mapped[datetime | None]
    ingested_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    content_hash: Mapped[str] = mapped_column(String(64))
    text_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    cluster_id: Mapped[str | None] = mapped_column(String(64), index=True)
    has_images: Mapped[bool] = mapped_column(Boolean, default=False)
    renditions: Mapped[list[Any]] = mapped_column(JSON, default=list)
    links: Mapped[list[Any]] = mapped_column(JSON, default=list)

    images: Mapped[list[ImageRow]] = relationship(
        back_populates="article", order_by="ImageRow.position", cascade="all, delete-orphan"
    )
    versions: Mapped[list[ArticleVersion]] = relationship(
        back_populates="article", order_by="ArticleVersion.version", cascade="all, delete-orphan"
    )
    sightings: Mapped[list[SightingRow]] = relationship(
        back_populates="article", order_by="SightingRow.seen_at", cascade="all, delete-orphan"
    )


class ArticleAgency(Base):
    """Agency codes of an article, one row each, for indexed ``agency=`` filters."""

    __tablename__ = "article_agencies"
    article_id: Mapped[str] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency: Mapped[str] = mapped_column(String(100), index=True)
    name: Mapped[str | None] = mapped_column(Text)  # the raw name of an unresolved code


class ArticleLink(Base):
    """A guid an article references (a story's pictures), one row each: the other item may
    arrive later, so links resolve against ``articles.guid`` when read."""

    __tablename__ = "article_links"
    article_id: Mapped[str] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    guid: Mapped[str] = mapped_column(Text, index=True)
    rel: Mapped[str] = mapped_column(String(40), default="picture")


class ArticleSubject(Base):
    """Subject codes and names of an article, for indexed ``subject=`` filters."""

    __tablename__ = "article_subjects"
    article_id: Mapped[str] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str | None] = mapped_column(String(200), index=True)
    name: Mapped[str | None] = mapped_column(Text)


class ArticleVersion(Base):
    """Every stored version of an article, the full record kept as JSON."""

    __tablename__ = "article_versions"
    __table_args__ = (UniqueConstraint("article_id", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    pubstatus: Mapped[str] = mapped_column(String(20))
    versioncreated: Mapped[datetime | None]
    ingested_at: Mapped[datetime] = mapped_column(default=utcnow)
    record: Mapped[dict[str, Any]] = mapped_column(JSON)

    article: Mapped[ArticleRow] = relationship(back_populates="versions")


class ImageRow(Base):
    __tablename__ = "images"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_id: Mapped[str] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    href: Mapped[str | None] = mapped_column(Text)
    alt: Mapped[str | None] = mapped_column(Text)
    caption: Mapped[str | None] = mapped_column(Text)
    credit: Mapped[str | None] = mapped_column(Text)
    creator: Mapped[str | None] = mapped_column(Text)
    agencies: Mapped[list[Any]] = mapped_column(JSON, default=list)
    copyright_holder: Mapped[str | None] = mapped_column(Text)
    usage_terms: Mapped[str | None] = mapped_column(Text)
    copyright_notice: Mapped[str | None] = mapped_column(Text)

    article: Mapped[ArticleRow] = relationship(back_populates="images")


class SightingRow(Base):
    """The same normalised text seen again through another source or feed."""

    __tablename__ = "sightings"
    __table_args__ = (UniqueConstraint("article_id", "feed", "guid"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_id: Mapped[str] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    source: Mapped[str | None] = mapped_column(String(100))
    feed: Mapped[str] = mapped_column(String(200))
    guid: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The sighted item itself (Article.to_dict()): its version 1 when a later version of its
    # guid differs and it becomes an article of its own.
    record: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    article: Mapped[ArticleRow] = relationship(back_populates="sightings")


class Cluster(Base):
    """A story cluster: near-duplicate articles about one event."""

    __tablename__ = "clusters"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    language: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    size: Mapped[int] = mapped_column(Integer, default=1)


class ClusterMember(Base):
    """Why an article is in its cluster: the article it matched and the estimated similarity."""

    __tablename__ = "cluster_members"
    article_id: Mapped[str] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    cluster_id: Mapped[str] = mapped_column(ForeignKey("clusters.id"), index=True)
    matched_article_id: Mapped[str | None] = mapped_column(String(64))
    similarity: Mapped[float | None] = mapped_column(Float)
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The judge's reason (wire.ingest.matching.Reason.to_dict): rule, containment, shared
    # numbers and names; None for members joined before it was kept.
    reason: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class ClusterCorrection(Base):
    """An editor's correction, replayed after ``wire dedup rebuild`` and heeded by later
    arrivals: ``split`` takes an article out of its cluster (it never rejoins that story by
    itself), ``merge`` makes one cluster of two (``cluster_id`` goes into ``into_cluster_id``)."""

    __tablename__ = "cluster_corrections"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(10))  # split | merge
    article_id: Mapped[str | None] = mapped_column(String(64), index=True)
    cluster_id: Mapped[str] = mapped_column(String(64), index=True)
    into_cluster_id: Mapped[str | None] = mapped_column(String(64), index=True)
    editor: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Signature(Base):
    """The MinHash signature of an article, so the cluster index survives restarts."""

    __tablename__ = "signatures"
    article_id: Mapped[str] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str | None] = mapped_column(String(16))
    num_perm: Mapped[int] = mapped_column(Integer)
    minhash: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class Change(Base):
    """The publisher change feed: one row per insert, new version or kill, strictly ordered."""

    __tablename__ = "changes"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    article_id: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))  # new | update | kill | withhold | purge
    pubstatus: Mapped[str] = mapped_column(String(20))
    source: Mapped[str | None] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class HeldChange(Base):
    """A change under embargo: it joins the change feed, with the next seq, at ``visible_at``.

    One per article (a later version replaces it, moving or lifting the embargo). Released by
    whoever reads the feed first after that time (``wire.storage.embargo``), under the feed's
    lock and deleted in the same transaction, so it is appended exactly once.
    """

    __tablename__ = "held_changes"
    article_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))  # new | update
    pubstatus: Mapped[str] = mapped_column(String(20))
    source: Mapped[str | None] = mapped_column(String(100))
    visible_at: Mapped[datetime] = mapped_column(index=True)


class PurgedArticle(Base):
    """An article removed by retention: its id stays, so a feed still listing it does not
    store it again, and its removal went out on the change feed (kind ``purge``)."""

    __tablename__ = "purged_articles"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    feed: Mapped[str] = mapped_column(String(200))
    source: Mapped[str | None] = mapped_column(String(100))
    purged_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class PublishCursor(Base):
    """How far a publisher (NATS, a webhook) has pushed the change feed."""

    __tablename__ = "publish_cursors"
    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class DeadLetter(Base):
    """A change a webhook could not deliver after every retry, until a replay delivers it."""

    __tablename__ = "dead_letters"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    target: Mapped[str] = mapped_column(Text)
    seq: Mapped[int] = mapped_column(Integer)
    attempts: Mapped[int] = mapped_column(Integer)
    error: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set by POST /admin/dead-letters/replay: the running `wire publish` sends it again.
    replay_requested_at: Mapped[datetime | None] = mapped_column(default=None)
    # Set once a replay reached the target; such a letter is never sent again.
    redelivered_at: Mapped[datetime | None] = mapped_column(default=None)


class RawItem(Base):
    """The raw bytes of every payload or item stored, for audit and replay."""

    __tablename__ = "raw_items"
    __table_args__ = (UniqueConstraint("feed", "sha256"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    feed: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    location: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    payload: Mapped[bytes] = mapped_column(LargeBinary)


class Reject(Base):
    """An item or payload that could not be read: its raw bytes and the reason."""

    __tablename__ = "rejects"
    __table_args__ = (UniqueConstraint("feed", "sha256"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    feed: Mapped[str] = mapped_column(String(200), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    guid: Mapped[str | None] = mapped_column(Text)
    location: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    payload: Mapped[bytes] = mapped_column(LargeBinary)


Index("ix_articles_versioncreated_id", ArticleRow.versioncreated, ArticleRow.id)
Index(  # the desk's urgency filter (migration i19_desk_urgency)
    "ix_articles_urgency_versioncreated",
    ArticleRow.urgency,
    ArticleRow.versioncreated,
    ArticleRow.id,
)
