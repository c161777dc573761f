"""One version history per guid, fingerprints without trailers, editors' corrections, reasons.

End to end through ``ingest_payload`` with the store hooks, on SQLite and PostgreSQL. An agency
item (keystone-sda) and a partner's copy of it (feed "partner"): the copy is a sighting; when
the partner later corrects its copy (same guid, version 2), the sighting becomes an article of
its own whose version 1 is the sighted text, in the agency item's cluster. Every order of
arrival ends in that one history.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import typer
from sqlalchemy import select
from typer.testing import CliRunner

from tests.ingest.test_dedup import STORY, T0, cluster_rows, hooks, ingest, ninjs, rewrite
from wire.config import Config, DedupConfig
from wire.ingest.dedup import rebuild
from wire.ingest.dedup_cli import register
from wire.ingest.hooks import store_hooks
from wire.ingest.pipeline import StoreHook
from wire.record import make_id
from wire.storage import clusters as store
from wire.storage.db import Database
from wire.storage.models import ArticleRow, ArticleVersion, ClusterMember, SightingRow

__all__ = ["hooks"]  # the fixture, shared with test_dedup

STORYD = STORY["de-unwetter-tessin"]
BODY = list(STORYD["body"])
CORRECTED = [*BODY[:-1], BODY[-1].replace("Tessin", "Kanton Tessin") + " Die Suche geht weiter."]
LATER = T0 + timedelta(hours=1)


def agency_item(version: int = 1, body: list[str] | None = None) -> dict[str, Any]:
    return ninjs("urn:sda:unwetter", STORYD, version=version, body=body or BODY)


def partner_copy(version: int, body: list[str], when: Any = T0) -> dict[str, Any]:
    """The partner's copy: its own headline, the agency's text with a trailer."""
    text = [*body[:-1], body[-1] + " (sda)"]
    return ninjs("partner-77", STORYD, version=version, body=text, when=when,
                 headline="Tote nach Unwetter im Tessin")  # fmt: skip


def partner(db: Database, items: list[dict[str, Any]], hooks: tuple[StoreHook, ...]) -> Any:
    return ingest(db, items, hooks, "partner", "partner")


AGENCY_ID = make_id("keystone-sda", "urn:sda:unwetter")
PARTNER_ID = make_id("partner", "partner-77")


def history(db: Database, article_id: str) -> list[tuple[int, str]]:
    """(version, body) of every stored version, oldest first."""
    with db.reader() as s:
        rows = s.scalars(
            select(ArticleVersion)
            .where(ArticleVersion.article_id == article_id)
            .order_by(ArticleVersion.version)
        )
        return [(v.version, v.record["body_text"]) for v in rows]


def member_reason(db: Database, article_id: str) -> dict[str, Any] | None:
    with db.reader() as s:
        m = s.get(ClusterMember, article_id)
        return m.reason if m else None


def assert_one_history(db: Database) -> None:
    """The partner's guid: one article, v1 the sighted text, v2 its correction, clustered
    with the agency item it copied."""
    versions = history(db, PARTNER_ID)
    assert [v for v, _ in versions] == [1, 2]
    assert "Die Suche geht weiter." not in versions[0][1]
    assert versions[1][1].endswith("Die Suche geht weiter.")
    rows = cluster_rows(db)
    assert rows["partner-77"] == rows["urn:sda:unwetter"] is not None
    with db.reader() as s:
        assert s.scalar(select(ArticleRow.version).where(ArticleRow.id == PARTNER_ID)) == 2


def test_a_sighting_that_gets_a_differing_version_becomes_an_article_in_the_cluster(
    db: Database, hooks: tuple[StoreHook, ...]
) -> None:
    assert ingest(db, [agency_item()], hooks).new == 1
    first = partner(db, [partner_copy(1, BODY)], hooks).stored
    assert [(r.outcome, r.article_id) for r in first] == [("duplicate", AGENCY_ID)]
    again = partner(db, [partner_copy(1, BODY)], hooks).stored  # the same copy again
    assert [r.outcome for r in again] == ["duplicate"]
    second = partner(db, [partner_copy(2, CORRECTED, LATER)], hooks).stored
    assert [(r.outcome, r.article_id, r.version, r.duplicate_of) for r in second] == [
        ("updated", PARTNER_ID, 2, AGENCY_ID)
    ]
    assert_one_history(db)
    assert member_reason(db, PARTNER_ID) == {"rule": "version", "similarity": 1.0}


def test_sighting_and_correction_in_one_payload(db: Database, hooks: tuple[StoreHook, ...]) -> None:
    ingest(db, [agency_item()], hooks)
    stats = partner(db, [partner_copy(1, BODY), partner_copy(2, CORRECTED, LATER)], hooks)
    assert [r.outcome for r in stats.stored] == ["duplicate", "updated"]
    assert_one_history(db)


def test_the_correction_before_the_copy(db: Database, hooks: tuple[StoreHook, ...]) -> None:
    """Version 2 first (a story of its own, clustered by its text), the copy late: stale."""
    ingest(db, [agency_item()], hooks)
    assert partner(db, [partner_copy(2, CORRECTED, LATER)], hooks).new == 1
    assert [r.outcome for r in partner(db, [partner_copy(1, BODY)], hooks).stored] == ["stale"]
    assert_one_history(db)
    with db.reader() as s:
        assert s.scalars(select(SightingRow)).all() == []


def test_the_copy_first_then_the_agency_item_and_its_correction(
    db: Database, hooks: tuple[StoreHook, ...]
) -> None:
    """Roles swapped: the partner's copy came first, so the agency item is the sighting; the
    agency's version 2 then makes it an article in the partner copy's cluster."""
    assert partner(db, [partner_copy(1, BODY)], hooks).new == 1
    assert [r.outcome for r in ingest(db, [agency_item()], hooks).stored] == ["duplicate"]
    later = ninjs("urn:sda:unwetter", STORYD, version=2, body=CORRECTED, when=LATER)
    [result] = ingest(db, [later], hooks).stored
    assert (result.outcome, result.article_id, result.duplicate_of) == (
        "updated", AGENCY_ID, PARTNER_ID,
    )  # fmt: skip
    assert [v for v, _ in history(db, AGENCY_ID)] == [1, 2]
    rows = cluster_rows(db)
    assert rows["partner-77"] == rows["urn:sda:unwetter"] is not None


# --- fingerprints: trailers off, the lead in -------------------------------------------------


def test_a_copy_with_a_reporting_trailer_is_a_sighting(
    db: Database, hooks: tuple[StoreHook, ...]
) -> None:
    story = STORY["en-kremlin-talks"]
    ingest(db, [ninjs("reu-1", story)], hooks, "reuters", "reuters")
    body = list(story["body"])
    body[-1] += " (Reporting by Mark Trevelyan; Editing by Andrew Osborn)"
    for n, trailer in enumerate(["© AFP", "dpa xy yz", "(sda)"]):
        copy = [*body[:-1], body[-1] + "\n\n" + trailer]
        stats = ingest(db, [ninjs(f"web-{n}", story, body=copy, headline=f"Partner title {n}")],
                       hooks, f"web{n}", "partner")  # fmt: skip
        assert [r.outcome for r in stats.stored] == ["duplicate"]


def test_a_new_lead_is_news_and_joins_the_cluster(
    db: Database, hooks: tuple[StoreHook, ...]
) -> None:
    """A 1ST LEAD under a new guid: new headline and lead, the rest unchanged."""
    story = STORY["en-kremlin-talks"]
    ingest(db, [ninjs("reu-1", story)], hooks, "reuters", "reuters")
    lead = "Russia and Ukraine agreed on Friday to resume talks next week, the Kremlin said."
    stats = ingest(db, [ninjs("reu-2", story, headline="UPDATE 1-Kremlin says talks resume",
                              lead=lead, when=LATER)], hooks, "reuters", "reuters")  # fmt: skip
    assert [r.outcome for r in stats.stored] == ["new"]
    rows = cluster_rows(db)
    assert rows["reu-1"] == rows["reu-2"] is not None
    reason = member_reason(db, make_id("reuters", "reu-2"))
    assert reason is not None and reason["rule"] == "text" and reason["similarity"] > 0.5


def test_the_same_feed_resending_under_a_new_headline_is_its_own_article(
    db: Database, hooks: tuple[StoreHook, ...]
) -> None:
    story = STORY["en-kremlin-talks"]
    ingest(db, [ninjs("reu-1", story)], hooks, "reuters", "reuters")
    again = ninjs("reu-9", story, headline="Kremlin: talks to go ahead", when=LATER)
    [result] = ingest(db, [again], hooks, "reuters", "reuters").stored
    assert (result.outcome, result.duplicate_of) == ("new", make_id("reuters", "reu-1"))
    rows = cluster_rows(db)
    assert rows["reu-1"] == rows["reu-9"] is not None
    assert member_reason(db, result.article_id) == {"rule": "resent", "similarity": 1.0}
    same_title = ninjs("reu-10", story, when=LATER)  # only the guid is new: a sighting
    assert [r.outcome for r in ingest(db, [same_title], hooks, "reuters", "reuters").stored] == [
        "duplicate"
    ]


# --- editors' corrections ----------------------------------------------------------------------


def test_corrections_survive_later_arrivals_and_rebuild(
    db: Database, hooks: tuple[StoreHook, ...]
) -> None:
    story, other = STORY["de-putin-lukaschenko"], STORY["de-bundesrat-ahv"]
    ingest(db, [ninjs("sda-1", story)], hooks)
    ingest(db, [ninjs("afp-1", rewrite(story, 1), when=LATER)], hooks, "afp", "afp")
    ingest(db, [ninjs("dpa-1", rewrite(story, 2), when=LATER)], hooks, "dpa", "dpa")
    ingest(db, [ninjs("sda-2", other)], hooks)
    ingest(db, [ninjs("afp-2", rewrite(other, 3), when=LATER)], hooks, "afp", "afp")
    rows = cluster_rows(db)
    putin, ahv = rows["sda-1"], rows["sda-2"]
    assert putin is not None and ahv is not None and putin != ahv
    assert rows["afp-1"] == rows["dpa-1"] == putin and rows["afp-2"] == ahv
    dpa = make_id("dpa", "dpa-1")
    with db.session() as s:
        store.split_member(s, dpa, editor="desk")
        store.merge_clusters(s, ahv, putin, editor="desk")

    # Later arrivals: a rewrite joins the story (never the split article); the split
    # article's own new version stays out.
    ingest(db, [ninjs("ap-1", rewrite(story, 3), when=LATER)], hooks, "ap", "ap")
    ingest(db, [ninjs("dpa-1", rewrite(story, 2), version=2, when=LATER + timedelta(hours=1),
                      headline="Neu")], hooks, "dpa", "dpa")  # fmt: skip
    ingest(db, [ninjs("reu-2", rewrite(other, 4), when=LATER)], hooks, "reuters", "reuters")
    rows = cluster_rows(db)
    assert rows["dpa-1"] is None
    assert rows["ap-1"] == rows["reu-2"] == rows["afp-2"] == rows["sda-1"] == putin

    stats = rebuild(db, DedupConfig())
    assert stats.clusters == 1
    rows = cluster_rows(db)
    assert rows["dpa-1"] is None
    assert {rows[g] for g in ("sda-1", "afp-1", "ap-1", "sda-2", "afp-2", "reu-2")} == {putin}
    with db.reader() as s:
        reasons = {m.article_id: m.reason for m in s.scalars(select(ClusterMember))}
    assert reasons[make_id("keystone-sda", "sda-2")] == {"rule": "editor"}
    assert all(r and r["rule"] for r in reasons.values())


def test_cli_explains_splits_and_merges(tmp_path: Path, sqlite_url: str) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'[storage]\nurl = "{sqlite_url}"\n', encoding="utf-8")
    db = Database(sqlite_url)
    try:
        hooks_ = store_hooks(Config(), db)
        story, other = STORY["fr-incendies"], STORY["fr-budget"]
        ingest(db, [ninjs("ats-1", story)], hooks_, "ats", "keystone-ats")
        ingest(db, [ninjs("afp-1", rewrite(story, 1))], hooks_, "afp", "afp")
        ingest(db, [ninjs("ats-2", other)], hooks_, "ats", "keystone-ats")
        ingest(db, [ninjs("afp-2", rewrite(other, 2))], hooks_, "afp", "afp")
        rows = cluster_rows(db)
    finally:
        db.dispose()
    app = typer.Typer()
    register(app)
    runner = CliRunner()

    def run(*args: str) -> Any:
        res = runner.invoke(app, [*args, "--config", str(config)])
        assert res.exit_code == 0, res.output
        return res

    first, second = rows["ats-1"], rows["ats-2"]
    assert first and second
    text = run("clusters", "--explain", first).stdout
    assert "similar text" in text or "same facts" in text
    data = json.loads(run("clusters", "--explain", first, "--json").stdout)
    assert {m["id"] for m in data["members"]} == {first, make_id("afp", "afp-1")}
    assert all(m["why"] and m["reason"]["rule"] for m in data["members"])
    listed = [
        json.loads(x) for x in run("clusters", "--json", "--agency", "afp").stdout.splitlines()
    ]
    assert {c["id"] for c in listed} == {first, second}
    assert "merged" in run("dedup", "merge", second, first, "--editor", "desk").stdout
    assert "split out" in run("dedup", "split", make_id("afp", "afp-1")).stdout
    data = json.loads(run("clusters", "--explain", first, "--json").stdout)
    assert data["size"] == 3
    assert [c["kind"] for c in data["corrections"]] == ["merge", "split"]
    bad = runner.invoke(app, ["dedup", "split", "nope", "--config", str(config)])
    assert bad.exit_code == 1 and "in no cluster" in bad.output


@pytest.mark.parametrize("rule", ["text", "facts", "containment", "short", "version", "editor"])
def test_every_rule_reads_as_a_sentence(rule: str) -> None:
    from wire.ingest.matching import describe

    line = describe({"rule": rule, "similarity": 0.4, "containment": 0.9, "shared_numbers": 3,
                     "shared_names": 5})  # fmt: skip
    assert " " in line and line != rule
    assert describe(None) == "joined before reasons were kept"
