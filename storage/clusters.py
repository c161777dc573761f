"""Story-cluster reads and writes: signatures, membership with its reason, editors'
corrections, and the cluster lists.

The clustering decisions live in ``wire.ingest.dedup`` and ``wire.ingest.matching`` (which
import this module, never the other way round); this module only keeps the tables
(``signatures``, ``clusters``, ``cluster_members``, ``cluster_corrections``,
``articles.cluster_id``) consistent, also when several processes write at once (inserts that
may race are ON CONFLICT DO NOTHING, and a cluster's size only ever moves by ``size + n``
under the row lock).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wire.record import iso
from wire.storage.db import dialect_insert
from wire.storage.feedseq import below_horizon, horizon
from wire.storage.models import (
    ArticleAgency,
    ArticleRow,
    Change,
    Cluster,
    ClusterCorrection,
    ClusterMember,
    Signature,
    utcnow,
)
from wire.storage.visibility import READER, Viewer, is_released, released
from wire.storage.writer import insert_ignore

_CHUNK = 500
_STORY_TIME = func.coalesce(
    ArticleRow.firstcreated, ArticleRow.versioncreated, ArticleRow.ingested_at
)


def _story_time(
    firstcreated: datetime | None, versioncreated: datetime | None, ingested: datetime | None
) -> datetime | None:
    """Same rule as ``wire.ingest.dedup.story_time``: first creation, at most a day after ingest."""
    when = firstcreated or versioncreated or ingested
    if when is not None and ingested is not None:
        when = min(when, ingested + timedelta(days=1))
    return when


Db = Session | Connection


def _core(session: Db) -> Connection:
    """The connection (in the session's transaction): Core statements skip the ORM's
    per-statement work, which is most of the cost of these small writes. The caller has
    flushed the session (``Clusterer`` does, before it writes) and may pass the connection
    itself to save looking it up."""
    return session if isinstance(session, Connection) else session.connection()


# --- signatures -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignatureRow:
    article_id: str
    language: str | None
    minhash: bytes
    pubstatus: str
    when: datetime | None  # the article's story time


@cache
def _upsert_signature(dialect: str) -> Any:
    """INSERT ... ON CONFLICT (article_id) DO UPDATE, built once per dialect."""
    insert_fn: Any = dialect_insert("postgresql" if dialect == "postgresql" else "sqlite")
    stmt = insert_fn(Signature).values(
        article_id=bindparam("article_id"),
        language=bindparam("language"),
        num_perm=bindparam("num_perm"),
        minhash=bindparam("minhash"),
        created_at=bindparam("created_at"),
    )
    return stmt.on_conflict_do_update(
        index_elements=[Signature.article_id],
        set_={
            "language": stmt.excluded.language,
            "num_perm": stmt.excluded.num_perm,
            "minhash": stmt.excluded.minhash,
            "created_at": stmt.excluded.created_at,
        },
    )


def save_signature(
    session: Db, article_id: str, language: str, num_perm: int, minhash: bytes
) -> None:
    """Store (or replace) an article's signature; ``created_at`` is when it was signed."""
    save_signatures(session, [(article_id, language, minhash)], num_perm)


def save_signatures(session: Db, rows: Sequence[tuple[str, str, bytes]], num_perm: int) -> None:
    """Store (or replace) signatures, one (article id, language, minhash) each, in one
    executemany; an article id must appear at most once."""
    if not rows:
        return
    conn = _core(session)
    now = utcnow()
    conn.execute(
        _upsert_signature(conn.dialect.name),
        [
            {
                "article_id": article_id,
                "language": language,
                "num_perm": num_perm,
                "minhash": minhash,
                "created_at": now,
            }
            for article_id, language, minhash in rows
        ],
    )


def delete_signature(session: Db, article_id: str) -> None:
    delete_signatures(session, [article_id])


def delete_signatures(session: Db, article_ids: Sequence[str]) -> None:
    if article_ids:
        _core(session).execute(delete(Signature).where(Signature.article_id.in_(article_ids)))


# What a SignatureRow is read from, after its article id (language, minhash, story-time parts).
_SIGNATURE_COLUMNS = (
    Signature.language,
    Signature.minhash,
    ArticleRow.pubstatus,
    ArticleRow.firstcreated,
    ArticleRow.versioncreated,
    ArticleRow.ingested_at,
)


def _signature_select() -> Any:
    return select(Signature.article_id, *_SIGNATURE_COLUMNS).join(
        ArticleRow, ArticleRow.id == Signature.article_id
    )


def _signature_rows(rows: Iterable[Any]) -> list[SignatureRow]:
    return [
        SignatureRow(r[0], r[1], bytes(r[2]), r[3], _story_time(r[4], r[5], r[6])) for r in rows
    ]


def load_signatures(session: Db, *, since: datetime) -> list[SignatureRow]:
    """Signatures of usable articles whose story is newer than ``since``, oldest first."""
    stmt = (
        _signature_select()
        .where(ArticleRow.pubstatus == "usable", _STORY_TIME >= since)
        .order_by(_STORY_TIME, Signature.article_id)
    )
    return _signature_rows(session.execute(stmt))


# --- the change feed, as the index's clock ------------------------------------------------------


@dataclass(frozen=True)
class ChangeRef:
    seq: int
    article_id: str
    kind: str
    signature: SignatureRow | None  # the article's stored signature now, if it has one


def max_change_seq(session: Db) -> int:
    """The highest final sequence number (see ``wire.storage.feedseq``)."""
    return int(session.scalar(below_horizon(session, select(func.max(Change.seq)))) or 0)


_CHANGES = (
    select(Change.seq, Change.article_id, Change.kind, *_SIGNATURE_COLUMNS)
    .select_from(Change)
    .outerjoin(Signature, Signature.article_id == Change.article_id)
    .outerjoin(ArticleRow, ArticleRow.id == Signature.article_id)
    .where(Change.seq > bindparam("seq"))
    .order_by(Change.seq)
    .limit(bindparam("limit"))
)  # built once: the clusterer reads it before every batch


def changes_since(session: Db, seq: int, limit: int = 5000) -> list[ChangeRef]:
    """Changes after ``seq`` in order (committed ones only, when read outside the writer),
    each with its article's signature: one query, one snapshot."""
    out = []
    limit_seq = horizon(session)
    stmt = _CHANGES if limit_seq is None else _CHANGES.where(Change.seq < limit_seq)
    for s, a, k, language, minhash, status, first, version, ingested in session.execute(
        stmt, {"seq": seq, "limit": limit}
    ):
        sig = None
        if minhash is not None:
            when = _story_time(first, version, ingested)
            sig = SignatureRow(a, language, bytes(minhash), status, when)
        out.append(ChangeRef(int(s), a, k, sig))
    return out


# --- membership ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Assignment:
    """An article's place in a cluster: the cluster, the article it matched, how closely, and
    the judge's reason (``wire.ingest.matching.Reason.to_dict``)."""

    article_id: str
    cluster_id: str
    matched_article_id: str | None
    similarity: float | None
    reason: dict[str, Any] | None = None


@dataclass(frozen=True)
class ArticleState:
    cluster_id: str | None
    pubstatus: str
    split: bool = False  # an editor split it out: it joins nothing and nothing joins it


_SPLIT = (
    select(ClusterCorrection.id)
    .where(ClusterCorrection.kind == "split", ClusterCorrection.article_id == ArticleRow.id)
    .exists()
)


# Statements the clusterer runs for nearly every new article, built once: building and keying
# one each time cost more than running it (bench/daemon cold cycle).
_STATES = select(ArticleRow.id, ArticleRow.cluster_id, ArticleRow.pubstatus, _SPLIT).where(
    ArticleRow.id.in_(bindparam("ids", expanding=True))
)
_SET_CLUSTER = (
    update(ArticleRow)
    .where(ArticleRow.id.in_(bindparam("ids", expanding=True)))
    .values(cluster_id=bindparam("into"))
)
# The same for one article (the usual case): an expanding IN is rendered again at every
# execution (SQLAlchemy's post-compile step cost more than SQLite running the statement).
_STATE = select(ArticleRow.id, ArticleRow.cluster_id, ArticleRow.pubstatus, _SPLIT).where(
    ArticleRow.id == bindparam("article")
)
_SET_CLUSTER_ONE = (
    update(ArticleRow)
    .where(ArticleRow.id == bindparam("article"))
    .values(cluster_id=bindparam("into"))
)
_GROW = (
    update(Cluster)
    .where(Cluster.id == bindparam("into"))
    .values(size=Cluster.size + bindparam("added"), updated_at=bindparam("at"))
)


def article_states(session: Db, article_ids: Sequence[str]) -> dict[str, ArticleState]:
    """Current cluster, status and split mark of articles, as this transaction sees them."""
    out: dict[str, ArticleState] = {}
    ids = list(dict.fromkeys(article_ids))
    if len(ids) == 1:
        rows = _core(session).execute(_STATE, {"article": ids[0]})
        return {a: ArticleState(c, p, bool(x)) for a, c, p, x in rows}
    for i in range(0, len(ids), _CHUNK):
        rows = _core(session).execute(_STATES, {"ids": ids[i : i + _CHUNK]})
        out.update({a: ArticleState(c, p, bool(x)) for a, c, p, x in rows})
    return out


def cluster_of(session: Db, article_id: str) -> str | None:
    return _core(session).scalar(select(ArticleRow.cluster_id).where(ArticleRow.id == article_id))


def join_cluster(
    session: Db,
    article_id: str,
    matched_id: str,
    similarity: float,
    *,
    cluster_id: str | None,
    language: str | None,
    reason: dict[str, Any] | None = None,
) -> str:
    """Put ``article_id`` in the cluster of ``matched_id`` (``cluster_id``; None: it has none).

    A new cluster takes the matched article's id and records it as matched by the new one
    (similarity and reason kept both ways), so every member says why it is there. When
    another process put the matched article in a cluster meanwhile, the article joins that
    one. Returns the cluster id.
    """
    now = utcnow()
    added = 0
    articles = [article_id]

    def add(member: str, cluster: str, *, matched: str) -> bool:
        """One membership row; False when the row is there already."""
        row = {"article_id": member, "cluster_id": cluster, "matched_article_id": matched,
               "similarity": similarity, "joined_at": now, "reason": reason}  # fmt: skip
        return insert_ignore(_core(session), ClusterMember, row)

    if cluster_id is None:
        cluster_id = matched_id
        insert_ignore(
            _core(session),
            Cluster,
            {"id": cluster_id, "language": language, "created_at": now, "updated_at": now,
             "size": 0},
        )  # fmt: skip
        if add(matched_id, cluster_id, matched=article_id):
            added += 1
            articles.append(matched_id)
        else:
            taken = _member_cluster(session, matched_id) or cluster_id
            if taken != cluster_id:
                _core(session).execute(
                    delete(Cluster).where(Cluster.id == cluster_id, Cluster.size == 0)
                )
                cluster_id = taken
    if add(article_id, cluster_id, matched=matched_id):
        added += 1
    else:  # a retried savepoint: it is a member already
        cluster_id = _member_cluster(session, article_id) or cluster_id
    conn = _core(session)
    if len(articles) == 1:
        conn.execute(_SET_CLUSTER_ONE, {"article": article_id, "into": cluster_id})
    else:
        conn.execute(_SET_CLUSTER, {"ids": articles, "into": cluster_id})
    conn.execute(_GROW, {"into": cluster_id, "added": added, "at": now})
    return cluster_id


class Replay(Exception):
    """A batch of joins that cannot be written ahead of time exactly as :func:`join_cluster`
    would write them one by one (a row already there, another writer's row): the caller
    throws the batch's joins away and places its articles again one join at a time."""


class JoinBatch:
    """The joins of one store batch, kept in memory and written at the end in a few
    statements (membership rows, new clusters, cluster sizes, ``articles.cluster_id``),
    with exactly what :func:`join_cluster` would have written for each in turn.

    A row the batch made itself counts as there, as :func:`join_cluster` would find it (an
    update the batch's story adopted, then placed itself: its second join adds nothing). A
    row the batch did not make is taken to be absent: if one is there (another writer's),
    :meth:`write` meets it inside a savepoint, rolls it back and raises :class:`Replay`.
    """

    def __init__(self) -> None:
        self.members: dict[str, dict[str, Any]] = {}  # article id -> its membership row
        self.created: dict[str, dict[str, Any]] = {}  # cluster id -> the new cluster's row
        self.grown: dict[str, tuple[int, datetime]] = {}  # cluster -> (added, last join's time)
        self.placed: dict[str, str] = {}  # article id -> the cluster its row now says
        self.moved: list[str] = []  # the articles the last join put in its cluster

    def join(
        self,
        article_id: str,
        matched_id: str,
        similarity: float,
        *,
        cluster_id: str | None,
        language: str | None,
        reason: dict[str, Any] | None = None,
    ) -> str:
        """What :func:`join_cluster` returns, step by step as it writes (``moved``: the
        articles whose ``cluster_id`` it set), remembered for :meth:`write`."""
        now = utcnow()
        added = 0
        self.moved = [article_id]

        def add(member: str, cluster: str, *, matched: str) -> bool:
            if member in self.members:
                return False
            self.members[member] = {"article_id": member, "cluster_id": cluster,
                                    "matched_article_id": matched, "similarity": similarity,
                                    "joined_at": now, "reason": reason}  # fmt: skip
            return True

        if cluster_id is None:
            cluster_id = matched_id
            if cluster_id not in self.created:  # (INSERT ... ON CONFLICT DO NOTHING)
                self.created[cluster_id] = {"id": cluster_id, "language": language,
                                            "created_at": now, "updated_at": now}  # fmt: skip
            if add(matched_id, cluster_id, matched=article_id):
                added += 1
                self.moved.append(matched_id)
            else:
                taken = self.members[matched_id]["cluster_id"]
                if taken != cluster_id:
                    if self.grown.get(cluster_id, (0, now))[0] == 0:  # its size is 0
                        self.created.pop(cluster_id, None)
                        self.grown.pop(cluster_id, None)
                    cluster_id = taken
        if add(article_id, cluster_id, matched=matched_id):
            added += 1
        else:
            cluster_id = self.members[article_id]["cluster_id"]
        for moved in self.moved:
            self.placed[moved] = cluster_id
        before = self.grown.get(cluster_id, (0, now))[0]
        self.grown[cluster_id] = (before + added, now)
        return cluster_id

    def write(self, session: Session) -> None:
        """The batch's rows, in a savepoint: a row already there (another writer's, say)
        rolls it back and raises :class:`Replay`.

        The statements run in :func:`join_cluster`'s order (new clusters, membership rows,
        the articles' clusters, the sizes), each one's rows in key order, so two writers
        whose batches share rows take their locks in the same order and one waits for the
        other instead of each holding what the other wants: a new cluster's key, or the
        key-share lock a membership row takes on its article, which a writer storing a new
        version of that article holds (``store_articles`` locks its rows in id order).
        """
        if not self.placed:
            return
        new = []
        for cid, row in sorted(self.created.items()):
            added, at = self.grown.pop(cid, (0, row["updated_at"]))
            new.append({**row, "size": added, "updated_at": at})  # size: what the joins added
        grow = [
            {"into": cid, "added": added, "at": at}
            for cid, (added, at) in sorted(self.grown.items())
        ]
        members = [row for _, row in sorted(self.members.items())]
        placed = [{"article": a, "into": c} for a, c in sorted(self.placed.items())]
        try:
            with session.begin_nested():
                conn = session.connection()
                if new:
                    conn.execute(insert(Cluster), new)
                if members:
                    conn.execute(insert(ClusterMember), members)
                conn.execute(_SET_CLUSTER_ONE, placed)
                if grow:
                    conn.execute(_GROW, grow)
        except IntegrityError as exc:
            raise Replay(str(exc.orig)) from exc


def _member_cluster(session: Db, article_id: str) -> str | None:
    return _core(session).scalar(
        select(ClusterMember.cluster_id).where(ClusterMember.article_id == article_id)
    )


# --- rebuild ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArticleText:
    id: str
    language: str | None
    headline: str
    lead: str | None
    body_text: str
    pubstatus: str
    when: datetime | None
    type: str = "text"  # pictures and graphics never join a story cluster


def iter_articles(session: Session, chunk: int = 1000) -> Iterator[ArticleText]:
    """Every stored article's text, in story-time order, read in chunks (keyset pagination)."""
    last: tuple[Any, str] | None = None
    cols = (
        ArticleRow.id,
        ArticleRow.language,
        ArticleRow.headline,
        ArticleRow.lead,
        ArticleRow.body_text,
        ArticleRow.pubstatus,
        ArticleRow.firstcreated,
        ArticleRow.versioncreated,
        ArticleRow.ingested_at,
        _STORY_TIME.label("story"),
        ArticleRow.type,
    )
    story = _STORY_TIME
    while True:
        stmt = select(*cols).order_by(story, ArticleRow.id).limit(chunk)
        if last is not None:
            stmt = stmt.where((story > last[0]) | ((story == last[0]) & (ArticleRow.id > last[1])))
        rows = session.execute(stmt).all()
        if not rows:
            return
        for r in rows:
            yield ArticleText(
                r[0], r[1], r[2], r[3], r[4], r[5], _story_time(r[6], r[7], r[8]), r[10] or "text"
            )
        last = (rows[-1][9], rows[-1][0])


def replace_all(
    session: Session,
    signatures: list[dict[str, Any]],
    assignments: Sequence[Assignment],
    languages: dict[str, str],
) -> None:
    """Swap every signature and cluster for freshly computed ones (``wire dedup rebuild``)."""
    session.execute(
        update(ArticleRow)
        .where(ArticleRow.cluster_id.is_not(None))
        .values(cluster_id=None)
        .execution_options(synchronize_session=False)
    )
    session.execute(delete(ClusterMember))
    session.execute(delete(Cluster))
    session.execute(delete(Signature))
    for i in range(0, len(signatures), _CHUNK):
        session.execute(insert(Signature), signatures[i : i + _CHUNK])
    now = utcnow()
    sizes: dict[str, int] = {}
    for a in assignments:
        sizes[a.cluster_id] = sizes.get(a.cluster_id, 0) + 1
    clusters = [
        {"id": c, "language": languages.get(c), "created_at": now, "updated_at": now, "size": n}
        for c, n in sizes.items()
    ]
    members = [
        {
            "article_id": a.article_id,
            "cluster_id": a.cluster_id,
            "matched_article_id": a.matched_article_id,
            "similarity": a.similarity,
            "joined_at": now,
            "reason": a.reason,
        }
        for a in assignments
    ]
    for i in range(0, len(clusters), _CHUNK):
        session.execute(insert(Cluster), clusters[i : i + _CHUNK])
    for i in range(0, len(members), _CHUNK):
        session.execute(insert(ClusterMember), members[i : i + _CHUNK])
    pairs = [{"id": a.article_id, "cluster_id": a.cluster_id} for a in assignments]
    for i in range(0, len(pairs), _CHUNK):
        session.execute(
            update(ArticleRow).execution_options(synchronize_session=False),
            pairs[i : i + _CHUNK],
        )


# --- the recent-clusters list ---------------------------------------------------------------------


@dataclass
class ClusterSummary:
    id: str
    language: str | None
    size: int
    created_at: datetime
    updated_at: datetime
    headline: str = ""
    agencies: list[str] = field(default_factory=list)
    members: list[dict[str, Any]] = field(default_factory=list)
    corrections: list[dict[str, Any]] | None = None  # explain_cluster only

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "language": self.language,
            "size": self.size,
            "created_at": iso(self.created_at),
            "updated_at": iso(self.updated_at),
            "headline": self.headline,
            "agencies": self.agencies,
            "members": self.members,
            **({"corrections": self.corrections} if self.corrections is not None else {}),
        }


def list_clusters(
    session: Session,
    *,
    since: datetime | None = None,
    language: str | None = None,
    agency: str | None = None,
    min_size: int = 2,
    after: tuple[datetime, str] | None = None,
    limit: int = 50,
    ids: Sequence[str] | None = None,
    viewer: Viewer = READER,
) -> list[ClusterSummary]:
    """Clusters newest first (by last change, then id), with their members: keyset pages.

    ``since``: changed at or after; ``agency``: with a member from that agency; ``min_size``:
    at least that many members; ``after``: the (updated_at, id) of the previous page's last.
    The headline is the first story's (the earliest member); agencies are every member's, in
    order of appearance. Members under embargo for ``viewer`` are neither listed nor counted.
    """
    stmt = select(Cluster).where(Cluster.size >= min_size)
    if not viewer.audit:  # in SQL, so a page still holds ``limit`` clusters
        shown = (
            select(func.count())
            .select_from(ClusterMember)
            .join(ArticleRow, ArticleRow.id == ClusterMember.article_id)
            .where(ClusterMember.cluster_id == Cluster.id, *released(viewer))
            .scalar_subquery()
        )
        stmt = stmt.where((Cluster.size == 0) | (shown >= max(min_size, 1)))
    if ids is not None:
        stmt = stmt.where(Cluster.id.in_(list(ids)))
    if since is not None:
        stmt = stmt.where(Cluster.updated_at >= since)
    if language:
        stmt = stmt.where(Cluster.language == language)
    if agency:
        stmt = stmt.where(
            select(ClusterMember.article_id)
            .join(ArticleAgency, ArticleAgency.article_id == ClusterMember.article_id)
            .where(ClusterMember.cluster_id == Cluster.id, ArticleAgency.agency == agency)
            .exists()
        )
    if after is not None:
        at, last_id = after
        stmt = stmt.where(
            (Cluster.updated_at < at) | ((Cluster.updated_at == at) & (Cluster.id < last_id))
        )
    stmt = stmt.order_by(Cluster.updated_at.desc(), Cluster.id.desc()).limit(limit)
    summaries = {
        c.id: ClusterSummary(c.id, c.language, c.size, c.created_at, c.updated_at)
        for c in session.scalars(stmt)
    }
    if not summaries:
        return []
    rows = session.execute(
        select(
            ClusterMember.cluster_id,
            ClusterMember.article_id,
            ClusterMember.matched_article_id,
            ClusterMember.similarity,
            ClusterMember.reason,
            ArticleRow.headline,
            ArticleRow.source,
            ArticleRow.agencies,
            ArticleRow.pubstatus,
            ArticleRow.versioncreated,
            _STORY_TIME,
        )
        .join(ArticleRow, ArticleRow.id == ClusterMember.article_id)
        .where(ClusterMember.cluster_id.in_(list(summaries)), *released(viewer))
        .order_by(ClusterMember.cluster_id, _STORY_TIME, ClusterMember.article_id)
    )
    for cid, aid, matched, sim, reason, headline, source, agencies, status, vc, _story in rows:
        summary = summaries[cid]
        if not summary.members:
            summary.headline = headline
        for code in agencies or ([source] if source else []):
            if code not in summary.agencies:
                summary.agencies.append(code)
        summary.members.append(
            {
                "id": aid,
                "headline": headline,
                "source": source,
                "agencies": list(agencies or []),
                "pubstatus": status,
                "versioncreated": iso(vc),
                "matched": matched,
                "similarity": sim,
                "reason": reason,
            }
        )
    if not viewer.audit:
        for summary in summaries.values():
            summary.size = len(summary.members)
    return list(summaries.values())


def recent_clusters(
    session: Session, *, since: datetime, limit: int = 50, language: str | None = None
) -> list[ClusterSummary]:
    """Clusters that gained a member since ``since``, newest first, with their members."""
    return list_clusters(session, since=since, limit=limit, language=language, min_size=0)


def explain_cluster(
    session: Session, cluster_id: str, viewer: Viewer = READER
) -> ClusterSummary | None:
    """One cluster with each member's reason, and the editors' corrections that touched it;
    members and corrections of stories under embargo for ``viewer`` left out."""
    cluster = session.get(Cluster, cluster_id)
    if cluster is None:
        return None
    found = list_clusters(session, min_size=0, ids=[cluster_id], limit=1, viewer=viewer)
    if not found and not viewer.audit:
        return None  # every member under embargo
    summary = (
        found[0]
        if found
        else ClusterSummary(
            cluster.id, cluster.language, cluster.size, cluster.created_at, cluster.updated_at
        )
    )
    summary.corrections = [
        {
            "kind": c.kind,
            "article_id": c.article_id,
            "cluster_id": c.cluster_id,
            "into_cluster_id": c.into_cluster_id,
            "editor": c.editor,
            "at": iso(c.created_at),
        }
        for c in session.scalars(
            select(ClusterCorrection)
            .where(
                (ClusterCorrection.cluster_id == cluster_id)
                | (ClusterCorrection.into_cluster_id == cluster_id)
            )
            .order_by(ClusterCorrection.id)
        )
    ]
    touched = {c["article_id"] for c in summary.corrections if c["article_id"]}
    held = {
        row.id
        for row in session.execute(
            select(ArticleRow.id, ArticleRow.embargoed).where(ArticleRow.id.in_(touched))
        )
        if not is_released(row, viewer)
    }
    summary.corrections = [c for c in summary.corrections if c["article_id"] not in held]
    return summary


# --- editors' corrections -------------------------------------------------------------------------


class CorrectionError(LookupError):
    """A correction that cannot apply: no such member or cluster."""


@dataclass(frozen=True)
class Correction:
    kind: str  # split | merge
    article_id: str | None
    cluster_id: str
    into_cluster_id: str | None


def _record_correction(session: Db, correction: Correction, editor: str | None) -> None:
    _core(session).execute(
        insert(ClusterCorrection).values(
            kind=correction.kind,
            article_id=correction.article_id,
            cluster_id=correction.cluster_id,
            into_cluster_id=correction.into_cluster_id,
            editor=editor,
            created_at=utcnow(),
        )
    )


def _dissolve_if_alone(conn: Connection, cluster_id: str) -> None:
    """A cluster left with one member is no cluster: the member goes back to none."""
    size = conn.scalar(
        select(func.count())
        .select_from(ClusterMember)
        .where(ClusterMember.cluster_id == cluster_id)
    )
    if size and size > 1:
        conn.execute(update(Cluster).where(Cluster.id == cluster_id).values(size=size))
        return
    conn.execute(
        update(ArticleRow).where(ArticleRow.cluster_id == cluster_id).values(cluster_id=None)
    )
    conn.execute(delete(ClusterMember).where(ClusterMember.cluster_id == cluster_id))
    conn.execute(delete(Cluster).where(Cluster.id == cluster_id))


def split_member(session: Db, article_id: str, *, editor: str | None = None) -> str:
    """Take ``article_id`` out of its cluster, for good: it joins no cluster by itself again
    and nothing joins it (``wire dedup rebuild`` and later arrivals heed the correction).
    Returns the cluster it left."""
    conn = _core(session)
    cluster_id = _member_cluster(conn, article_id)
    if cluster_id is None:
        raise CorrectionError(f"article {article_id!r} is in no cluster")
    conn.execute(delete(ClusterMember).where(ClusterMember.article_id == article_id))
    conn.execute(update(ArticleRow).where(ArticleRow.id == article_id).values(cluster_id=None))
    conn.execute(update(Cluster).where(Cluster.id == cluster_id).values(updated_at=utcnow()))
    _dissolve_if_alone(conn, cluster_id)
    _record_correction(conn, Correction("split", article_id, cluster_id, None), editor)
    return cluster_id


def merge_clusters(
    session: Db, cluster_id: str, into_cluster_id: str, *, editor: str | None = None
) -> int:
    """Make one cluster of two: every member of ``cluster_id`` moves into ``into_cluster_id``
    (keeping the reason it joined). Returns the merged cluster's size."""
    conn = _core(session)
    if cluster_id == into_cluster_id:
        raise CorrectionError("a cluster cannot be merged into itself")
    found = set(
        conn.scalars(select(Cluster.id).where(Cluster.id.in_([cluster_id, into_cluster_id])))
    )
    for cid in (cluster_id, into_cluster_id):
        if cid not in found:
            raise CorrectionError(f"no cluster with id {cid!r}")
    _move_members(conn, cluster_id, into_cluster_id)
    _record_correction(conn, Correction("merge", None, cluster_id, into_cluster_id), editor)
    return int(conn.scalar(select(Cluster.size).where(Cluster.id == into_cluster_id)) or 0)


def _move_members(conn: Connection, cluster_id: str, into_cluster_id: str) -> None:
    now = utcnow()
    conn.execute(
        update(ClusterMember)
        .where(ClusterMember.cluster_id == cluster_id)
        .values(cluster_id=into_cluster_id)
    )
    conn.execute(
        update(ArticleRow)
        .where(ArticleRow.cluster_id == cluster_id)
        .values(cluster_id=into_cluster_id)
    )
    conn.execute(delete(Cluster).where(Cluster.id == cluster_id))
    size = conn.scalar(
        select(func.count())
        .select_from(ClusterMember)
        .where(ClusterMember.cluster_id == into_cluster_id)
    )
    conn.execute(
        update(Cluster).where(Cluster.id == into_cluster_id).values(size=size, updated_at=now)
    )


def load_corrections(session: Db) -> list[Correction]:
    """Every correction in the order editors made them (for ``wire dedup rebuild``)."""
    rows = _core(session).execute(
        select(
            ClusterCorrection.kind,
            ClusterCorrection.article_id,
            ClusterCorrection.cluster_id,
            ClusterCorrection.into_cluster_id,
        ).order_by(ClusterCorrection.id)
    )
    return [Correction(*r) for r in rows]
