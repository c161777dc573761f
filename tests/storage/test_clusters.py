"""Cluster storage on both backends: signatures, membership, the recent list, rebuild swaps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from wire.ingest.dedup import Assignment
from wire.record import Article, compute_content_hash, make_id
from wire.storage import clusters as store
from wire.storage.db import Database
from wire.storage.models import ArticleRow, Cluster, ClusterMember, Signature
from wire.storage.writer import store_article

T0 = datetime(2024, 6, 30, 8, 0, tzinfo=UTC)


def put(db: Database, guid: str, source: str, *, hours: float = 0, **kw: object) -> str:
    a = Article(
        guid=guid,
        feed=source,
        source=source,
        agencies=[source],
        headline=str(kw.get("headline", f"Headline {guid}")),
        body_text=str(kw.get("body", f"Body of {guid}.")),
        language=str(kw.get("language", "de")),
        pubstatus=kw.get("pubstatus", "usable"),  # type: ignore[arg-type]
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
