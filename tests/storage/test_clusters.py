"""Cluster storage on both backends: signatures, membership, the recent list, rebuild swaps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from wire.record import Article, PubStatus, compute_content_hash, make_id
from wire.storage import clusters as store
from wire.storage.clusters import Assignment
from wire.storage.db import Database
from wire.storage.models import ArticleRow, Cluster, ClusterCorrection, ClusterMember, Signature
from wire.storage.writer import store_article

T0 = datetime(2024, 6, 30, 8, 0, tzinfo=UTC)


def put(
    db: Database,
    guid: str,
    source: str,
    *,
    hours: float = 0,
    headline: str | None = None,
    language: str = "de",
    pubstatus: PubStatus = "usable",
) -> str:
    a = Article(
        guid=guid,
        feed=source,
        source=source,
        agencies=[source],
        headline=headline or f"Headline {guid}",
        body_text=f"Body of {guid}.",
        language=language,
        pubstatus=pubstatus,
        firstcreated=T0 + timedelta(hours=hours),
        versioncreated=T0 + timedelta(hours=hours),
        ingested_at=T0 + timedelta(hours=hours),
    )
    a.id = make_id(source, guid)
    a.content_hash = compute_content_hash(a)
    with db.session() as s:
        store_article(s, a)
    return a.id


def count(db: Database, model: type) -> int:
    with db.reader() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_signatures_are_saved_replaced_and_loaded_for_usable_recent_articles(
    db: Database,
) -> None:
    a = put(db, "a", "sda")
    b = put(db, "b", "afp", hours=1)
    old = put(db, "old", "dpa", hours=-24 * 30)
    killed = put(db, "k", "ap", hours=2, pubstatus="canceled")
    with db.session() as s:
        for key in (a, b, old, killed):
            store.save_signature(s, key, "de", 128, b"sig-" + key.encode())
        store.save_signature(s, a, "de", 128, b"new")  # a re-signed version replaces it
    assert count(db, Signature) == 4
    with db.reader() as s:
        rows = store.load_signatures(s, since=T0 - timedelta(days=7))
        assert [(r.article_id, r.minhash) for r in rows] == [(a, b"new"), (b, b"sig-" + b.encode())]
        assert rows[1].when == T0 + timedelta(hours=1) and rows[1].pubstatus == "usable"
        signed = {c.article_id: c.signature for c in store.changes_since(s, 0)}
        assert {k for k, sig in signed.items() if sig is not None} == {a, b, old, killed}
        assert signed[killed] == store.SignatureRow(
            killed, "de", b"sig-" + killed.encode(), "canceled", T0 + timedelta(hours=2)
        )
    with db.session() as s:
        store.delete_signature(s, a)
    assert count(db, Signature) == 3


def test_join_creates_a_cluster_named_after_the_matched_article(db: Database) -> None:
    a, b, c = put(db, "a", "sda"), put(db, "b", "afp", hours=1), put(db, "c", "dpa", hours=2)
    with db.session() as s:
        cid = store.join_cluster(s, b, a, 0.8, cluster_id=None, language="de")
        assert cid == a
        assert store.join_cluster(s, c, b, 0.6, cluster_id=a, language="de") == a
    with db.reader() as s:
        cluster = s.get(Cluster, a)
        assert cluster is not None and cluster.size == 3 and cluster.language == "de"
        members = {m.article_id: m for m in s.scalars(select(ClusterMember))}
        assert (members[a].matched_article_id, members[a].similarity) == (b, 0.8)
        assert (members[b].matched_article_id, members[b].similarity) == (a, 0.8)
        assert (members[c].matched_article_id, members[c].similarity) == (b, 0.6)
        assert {r.cluster_id for r in s.scalars(select(ArticleRow))} == {a}
        assert store.cluster_of(s, c) == a
        states = store.article_states(s, [a, c, "missing"])
        assert set(states) == {a, c} and states[c].cluster_id == a


def test_join_is_idempotent_and_follows_a_cluster_made_meanwhile(db: Database) -> None:
    a, b, c = put(db, "a", "sda"), put(db, "b", "afp", hours=1), put(db, "c", "dpa", hours=2)
    with db.session() as s:
        store.join_cluster(s, b, a, 0.8, cluster_id=None, language="de")
        # The same join again (a retried savepoint) adds nobody.
        assert store.join_cluster(s, b, a, 0.8, cluster_id=None, language="de") == a
        # Another process saw `a` without a cluster: the join still lands in a's cluster.
        assert store.join_cluster(s, c, a, 0.7, cluster_id=None, language="de") == a
    with db.reader() as s:
        assert s.scalar(select(Cluster.size)) == 3
    assert count(db, Cluster) == 1 and count(db, ClusterMember) == 3


def test_recent_clusters_lists_headline_agencies_and_members(db: Database) -> None:
    a = put(db, "a", "keystone-sda", headline="Unwetter im Maggiatal")
    b = put(db, "b", "afp", hours=1, headline="Erdrutsche im Tessin")
    c = put(db, "c", "dpa", hours=3, headline="Bundesrat beschliesst Budget")
    d = put(db, "d", "reuters", hours=4, headline="Budget beschlossen", language="fr")
    with db.session() as s:
        store.join_cluster(s, b, a, 0.71, cluster_id=None, language="de")
        store.join_cluster(s, d, c, 0.5, cluster_id=None, language="fr")
    with db.reader() as s:
        found = store.recent_clusters(s, since=datetime.now(UTC) - timedelta(hours=1))
        assert {f.id for f in found} == {a, c}
        maggia = next(f for f in found if f.id == a)
        assert maggia.headline == "Unwetter im Maggiatal"
        assert maggia.agencies == ["keystone-sda", "afp"] and maggia.size == 2
        assert [m["similarity"] for m in maggia.members] == [0.71, 0.71]
        data = maggia.to_dict()
        assert data["members"][1]["matched"] == a and data["updated_at"].endswith("Z")
        assert [f.id for f in store.recent_clusters(s, since=T0, language="fr")] == [c]
        assert store.recent_clusters(s, since=datetime.now(UTC) + timedelta(hours=1)) == []


def test_changes_are_read_in_sequence(db: Database) -> None:
    a, b = put(db, "a", "sda"), put(db, "b", "afp", hours=1)
    with db.reader() as s:
        assert store.max_change_seq(s) == 2
        assert [(c.seq, c.article_id, c.kind) for c in store.changes_since(s, 0)] == [
            (1, a, "new"),
            (2, b, "new"),
        ]
        assert [c.article_id for c in store.changes_since(s, 1)] == [b]
        assert store.changes_since(s, 2) == []


def test_iter_articles_pages_in_story_time_order(db: Database) -> None:
    ids = [put(db, f"g{i}", "sda", hours=(i * 7) % 11) for i in range(11)]
    by_time = sorted(ids, key=lambda i: (ids.index(i) * 7) % 11)
    with db.reader() as s:
        got = [a.id for a in store.iter_articles(s, chunk=3)]
    assert got == by_time


def test_replace_all_swaps_every_signature_and_cluster(db: Database) -> None:
    a, b, c = put(db, "a", "sda"), put(db, "b", "afp", hours=1), put(db, "c", "dpa", hours=2)
    with db.session() as s:
        store.save_signature(s, a, "de", 128, b"old")
        store.join_cluster(s, b, a, 0.8, cluster_id=None, language="de")
    with db.session() as s:
        store.replace_all(
            s,
            [
                {
                    "article_id": k,
                    "language": "de",
                    "num_perm": 128,
                    "minhash": b"x",
                    "created_at": T0,
                }
                for k in (b, c)
            ],
            [Assignment(b, b, c, 0.9), Assignment(c, b, b, 0.9)],
            {b: "de", c: "de"},
        )
    with db.reader() as s:
        assert {r.article_id for r in s.scalars(select(Signature))} == {b, c}
        assert [(x.id, x.size) for x in s.scalars(select(Cluster))] == [(b, 2)]
        assert {r.id: r.cluster_id for r in s.scalars(select(ArticleRow))} == {a: None, b: b, c: b}


REASON = {"rule": "text", "similarity": 0.8, "shared_numbers": 3, "shared_names": 4}


def test_reasons_are_kept_with_each_member(db: Database) -> None:
    a, b = put(db, "a", "sda"), put(db, "b", "afp", hours=1)
    with db.session() as s:
        store.join_cluster(s, b, a, 0.8, cluster_id=None, language="de", reason=REASON)
    with db.reader() as s:
        summary = store.explain_cluster(s, a)
        assert summary is not None and summary.corrections == []
        assert {m["id"]: m["reason"] for m in summary.members} == {a: REASON, b: REASON}
        assert store.explain_cluster(s, "missing") is None


def test_split_takes_a_member_out_and_a_lone_member_leaves_too(db: Database) -> None:
    a, b, c = put(db, "a", "sda"), put(db, "b", "afp", hours=1), put(db, "c", "dpa", hours=2)
    with db.session() as s:
        store.join_cluster(s, b, a, 0.8, cluster_id=None, language="de")
        store.join_cluster(s, c, a, 0.7, cluster_id=a, language="de")
        assert store.split_member(s, c, editor="desk") == a
    with db.reader() as s:
        assert s.scalar(select(Cluster.size).where(Cluster.id == a)) == 2
        assert store.article_states(s, [c])[c] == store.ArticleState(None, "usable", split=True)
        assert store.article_states(s, [b])[b].split is False
        summary = store.explain_cluster(s, a)
        assert summary is not None and summary.corrections is not None
        assert [(x["kind"], x["article_id"], x["editor"]) for x in summary.corrections] == [
            ("split", c, "desk")
        ]
    with db.session() as s:
        assert store.split_member(s, b) == a  # one member left: no cluster any more
        with pytest.raises(store.CorrectionError):
            store.split_member(s, b)
    assert count(db, Cluster) == 0 and count(db, ClusterMember) == 0
    with db.reader() as s:
        assert store.load_corrections(s) == [
            store.Correction("split", c, a, None),
            store.Correction("split", b, a, None),
        ]


def test_merge_moves_every_member_and_keeps_their_reasons(db: Database) -> None:
    a, b = put(db, "a", "sda"), put(db, "b", "afp", hours=1)
    c, d = put(db, "c", "dpa", hours=2), put(db, "d", "ap", hours=3)
    with db.session() as s:
        store.join_cluster(s, b, a, 0.8, cluster_id=None, language="de", reason=REASON)
        store.join_cluster(s, d, c, 0.6, cluster_id=None, language="de")
        assert store.merge_clusters(s, c, a, editor="desk") == 4
        with pytest.raises(store.CorrectionError):
            store.merge_clusters(s, c, a)  # c is gone
        with pytest.raises(store.CorrectionError):
            store.merge_clusters(s, a, a)
    assert count(db, Cluster) == 1 and count(db, ClusterCorrection) == 1
    with db.reader() as s:
        assert {r.cluster_id for r in s.scalars(select(ArticleRow))} == {a}
        members = {m.article_id: m for m in s.scalars(select(ClusterMember))}
        assert members[b].reason == REASON and members[d].matched_article_id == c
        assert store.load_corrections(s) == [store.Correction("merge", None, c, a)]


def test_cluster_list_filters_and_pages_by_keyset(db: Database) -> None:
    ids = []
    for n in range(5):
        x = put(db, f"x{n}", "keystone-sda", hours=n)
        y = put(db, f"y{n}", "afp" if n % 2 else "dpa", hours=n, language="de")
        with db.session() as s:
            store.join_cluster(s, y, x, 0.5, cluster_id=None, language="fr" if n == 4 else "de")
        ids.append(x)
    lone = put(db, "lone", "ap", hours=9)
    with db.session() as s:
        store.join_cluster(s, put(db, "lone2", "ap", hours=9), lone, 0.9, cluster_id=None,
                           language="de")  # fmt: skip
        store.merge_clusters(s, lone, ids[0])  # ids[0] now has 4 members
    with db.reader() as s:
        seen: list[str] = []
        after = None
        while True:
            page = store.list_clusters(s, after=after, limit=2)
            if not page:
                break
            seen += [c.id for c in page]
            after = (page[-1].updated_at, page[-1].id)
        assert sorted(seen) == sorted(ids) and len(seen) == len(set(seen))
        assert {c.id for c in store.list_clusters(s, agency="afp")} == {ids[1], ids[3]}
        assert [c.id for c in store.list_clusters(s, language="fr")] == [ids[4]]
        assert [c.id for c in store.list_clusters(s, min_size=3)] == [ids[0]]
        assert store.list_clusters(s, since=datetime.now(UTC) + timedelta(hours=1)) == []


def test_a_join_batch_writes_what_join_by_join_writes(db: Database) -> None:
    """A cluster made and grown within the batch, and a join into a stored cluster."""
    a, b, c, d, e, f = (put(db, g, "sda", hours=i) for i, g in enumerate("abcdef"))
    with db.session() as s:
        store.join_cluster(s, b, a, 0.8, cluster_id=None, language="de")
    batch = store.JoinBatch()
    assert batch.join(d, c, 0.6, cluster_id=None, language="de", reason=REASON) == c
    assert batch.join(e, d, 0.7, cluster_id=c, language="de") == c
    assert batch.join(f, a, 0.5, cluster_id=a, language="de") == a
    with db.session() as s:
        batch.write(s)
    with db.reader() as s:
        sizes = {c.id: c.size for c in s.scalars(select(Cluster))}
        members = {m.article_id: (m.cluster_id, m.matched_article_id, m.similarity, m.reason)
                   for m in s.scalars(select(ClusterMember))}  # fmt: skip
        states = store.article_states(s, [a, b, c, d, e, f])
    assert sizes == {a: 3, c: 3}
    assert members[c] == (c, d, 0.6, REASON) and members[d] == (c, c, 0.6, REASON)
    assert members[e] == (c, d, 0.7, None) and members[f] == (a, a, 0.5, None)
    assert {k: v.cluster_id for k, v in states.items()} == {a: a, b: a, c: c, d: c, e: c, f: a}


def test_a_join_batch_finds_its_own_rows_as_join_cluster_would(db: Database) -> None:
    """A cluster made twice and an article joined twice in one batch: the second join adds
    nothing, as :func:`join_cluster` finds the rows the first one wrote."""
    a, b, c = (put(db, g, "sda", hours=i) for i, g in enumerate("abc"))
    batch = store.JoinBatch()
    assert batch.join(b, a, 0.8, cluster_id=None, language="de") == a
    assert batch.join(c, a, 0.7, cluster_id=None, language="de") == a  # a stale "no cluster"
    assert batch.moved == [c]
    assert batch.join(b, c, 1.0, cluster_id=a, language="de") == a  # a member already
    with db.session() as s:
        batch.write(s)
    with db.reader() as s:
        sizes = {x.id: x.size for x in s.scalars(select(Cluster))}
        members = {m.article_id: m.matched_article_id for m in s.scalars(select(ClusterMember))}
    assert sizes == {a: 3} and members == {a: b, b: a, c: a}


def test_a_join_batch_meeting_a_row_already_there_writes_nothing(db: Database) -> None:
    """A row another writer made raises Replay at the write; what the batch wrote before it
    is rolled back with its savepoint, and the transaction goes on."""
    a, b, c = (put(db, g, "sda", hours=i) for i, g in enumerate("abc"))
    batch = store.JoinBatch()
    batch.join(c, a, 0.8, cluster_id=None, language="de")
    with db.session() as s:
        store.join_cluster(s, b, a, 0.8, cluster_id=None, language="de")  # "another writer"
    with db.session() as s:
        with pytest.raises(store.Replay):
            batch.write(s)
        assert s.scalar(select(func.count()).select_from(ClusterMember)) == 2
    assert count(db, ClusterMember) == 2
    with db.reader() as s:
        assert store.article_states(s, [c])[c].cluster_id is None
