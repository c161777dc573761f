"""/articles search, filters and keyset pages; one article, its versions, clusters, sources."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx2
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text, update
from typer.testing import CliRunner

from tests.api.factory import T0, client, english, french, make_article, put
from wire.config import SourceConfig
from wire.record import Article, Subject
from wire.storage import reads
from wire.storage.db import Database
from wire.storage.filters import ArticleQuery
from wire.storage.health import SourceHealth, ensure_sources, record_polls
from wire.storage.models import ArticleRow, Cluster, ClusterMember, utcnow
from wire.storage.reads import find_articles
from wire.storage.search import fts5


def ids(response: httpx2.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["uri"].rsplit(":", 1)[1] for item in response.json()["items"]]


def walk(c: TestClient, params: dict[str, Any]) -> list[str]:
    """Every id over all pages, following 'next' cursors."""
    seen: list[str] = []
    cursor = None
    for _ in range(100):
        r = c.get("/articles", params={**params, **({"cursor": cursor} if cursor else {})})
        seen += ids(r)
        cursor = r.json()["next"]
        if cursor is None:
            return seen
        assert r.headers["link"].endswith('rel="next"')
    raise AssertionError("pagination did not end")


def test_search_ranks_headline_matches_first_and_filters(db: Database) -> None:
    body_only = put(
        db,
        make_article(
            1,
            headline="Opposition kündigt Proteste an",
            kicker=None,
            body_text="Bei den Protesten in Minsk wurde auch Lukaschenko kritisiert. " * 3,
        ),
    )
    in_headline = put(db, make_article(2))
    fr = put(db, french(3))
    put(db, english(4))
    c = client(db)
    assert ids(c.get("/articles", params={"q": "Lukaschenko"})) == [
        in_headline.article_id,
        body_only.article_id,
    ]
    assert ids(c.get("/articles", params={"q": "budget", "language": "fr"})) == [fr.article_id]
    assert ids(c.get("/articles", params={"q": "budget", "language": "de"})) == []
    # phrase and prefix syntax
    assert ids(c.get("/articles", params={"q": '"storm barrier"'})) != []
    assert ids(c.get("/articles", params={"q": '"barrier storm"'})) == []
    assert len(ids(c.get("/articles", params={"q": "Lukasch*"}))) == 2
    # the CLI's search runs the same query layer and agrees
    with db.reader() as s:
        assert [r.id for r in find_articles(s, ArticleQuery(q="Lukaschenko")).rows] == [
            in_headline.article_id,
            body_only.article_id,
        ]


def test_relevance_pages_walk_headline_then_lead_then_body_matches(db: Database) -> None:
    """Pages of one ranked search go through the headline matches, then those in the lead
    only, then those in the body only, each once (on SQLite each tier is its own walk)."""
    groups: dict[str, set[str]] = {"headline": set(), "lead": set(), "body": set()}
    for n in range(12):
        where = ("headline", "lead", "body")[n % 3]
        a = make_article(
            n,
            kicker=None,
            headline=f"Zwergflusspferd entdeckt ({n})" if where == "headline" else f"Zoo ({n})",
            lead="Im Zoo lebt ein Zwergflusspferd." if where == "lead" else "Im Zoo.",
            body_text="Das Zwergflusspferd frisst." if where == "body" else "Der Zoo ist offen.",
        )
        groups[where].add(put(db, a).article_id)
    c = client(db)
    one_page = ids(c.get("/articles", params={"q": "Zwergflusspferd", "limit": 50}))
    paged = walk(c, {"q": "Zwergflusspferd", "limit": 2})
    assert paged == one_page
    assert [set(paged[:4]), set(paged[4:8]), set(paged[8:])] == list(groups.values())
    german = walk(c, {"q": "Zwergflusspferd", "language": "de", "agency": "dpa", "limit": 5})
    assert german == one_page


def test_filters_each_and_combined(db: Database) -> None:
    a = put(db, make_article(1))
    b = put(db, make_article(2, images=[], pubstatus="withheld"))
    fr = put(db, french(3))
    en = put(db, english(4, subjects=[Subject("medtop:20000420", "flood"), Subject(None, "Ports")]))
    c = client(db)

    def q(**params: str | list[str]) -> set[str]:  # every status, unless the test asks
        return set(ids(c.get("/articles", params={"pubstatus": "all", **params})))

    assert q(agency="dpa") == {a.article_id, b.article_id}
    assert q(agency="afp,reuters") == {fr.article_id, en.article_id}
    assert q(agency=["afp", "reuters"]) == {fr.article_id, en.article_id}
    assert q(source="keystone-sda") == {a.article_id, b.article_id}
    assert q(language="en") == {en.article_id}
    assert q(subject="medtop:11000000") == {a.article_id, b.article_id}
    assert q(subject="Ports") == {en.article_id}
    assert q(pubstatus="withheld") == {b.article_id}
    assert q(pubstatus="usable", agency="dpa") == {a.article_id}
    assert q(has_images="true") == {a.article_id}
    assert q(has_images="false") == {b.article_id, fr.article_id, en.article_id}
    since = (T0 + timedelta(minutes=2)).isoformat()
    until = (T0 + timedelta(minutes=4)).isoformat()
    assert q(since=since) == {b.article_id, fr.article_id, en.article_id}
    assert q(since=since, until=until) == {b.article_id, fr.article_id}
    assert q(until="2024-10-08") == set()
    assert q(agency="nobody") == set()


def test_newest_pages_cover_everything_once_including_ties_and_undated(db: Database) -> None:
    stored = [put(db, make_article(n)).article_id for n in range(7)]
    # three articles share one timestamp: the id breaks the tie
    tied = [
        put(db, make_article(10 + n, versioncreated=T0 + timedelta(hours=1))).article_id
        for n in range(3)
    ]
    undated = [put(db, english(20 + n)).article_id for n in range(2)]
    with db.session() as s:
        s.execute(
            update(ArticleRow)
            .where(ArticleRow.id.in_(undated))
            .values(versioncreated=None, firstcreated=None)
        )
    c = client(db)
    everything = walk(c, {"limit": 3})
    assert len(everything) == len(set(everything)) == 12
    assert everything[:3] == sorted(tied, reverse=True)
    assert everything[3:10] == list(reversed(stored))
    assert everything[10:] == sorted(undated, reverse=True)
    assert walk(c, {"limit": 1}) == everything
    assert walk(c, {"limit": 500}) == everything


def test_relevance_pages_cover_everything_once(db: Database) -> None:
    for n in range(9):
        put(
            db,
            make_article(
                n, headline="Lukaschenko " * (1 + n % 3) + f"trifft Putin {n}", kicker=None
            ),
        )
    c = client(db)
    one_page = ids(c.get("/articles", params={"q": "Lukaschenko Putin", "limit": 50}))
    assert len(one_page) == 9
    assert walk(c, {"q": "Lukaschenko Putin", "limit": 2}) == one_page
    newest = walk(c, {"q": "Lukaschenko Putin", "limit": 4, "sort": "newest"})
    assert newest == walk(c, {"limit": 4})


def test_pages_stay_consistent_while_articles_arrive(db: Database) -> None:
    for n in range(6):
        put(db, make_article(n))
    c = client(db)
    first = c.get("/articles", params={"limit": 3}).json()
    # a newer article and an older one arrive between the two pages
    put(db, make_article(100))
    older = put(db, make_article(50, versioncreated=T0 - timedelta(days=1)))
    second = c.get("/articles", params={"limit": 3, "cursor": first["next"]}).json()
    third = c.get("/articles", params={"limit": 3, "cursor": second["next"]}).json()
    seen = [i["uri"] for i in first["items"] + second["items"] + third["items"]]
    assert len(seen) == len(set(seen)) == 7
    assert seen[-1].endswith(older.article_id)


def test_article_with_versions_images_and_sightings(db: Database) -> None:
    v1 = put(db, make_article(1))
    put(
        db,
        make_article(
            1, headline="Lukaschenko trifft Putin", versioncreated=T0 + timedelta(hours=1)
        ),
    )
    republished = make_article(
        1, guid="https://www.nau.ch/news/1", feed="nau", source="nau", agencies=["keystone-sda"]
    )
    republished.body_text = make_article(1).body_text
    assert put(db, republished).outcome == "duplicate"
    c = client(db)
    body = c.get(f"/articles/{v1.article_id}").json()
    assert body["item"]["headlines"][0] == {"role": "main", "value": "Lukaschenko trifft Putin"}
    assert body["item"]["version"] == "2"
    assert [v["version"] for v in body["versions"]] == [1, 2]
    assert body["versions"][0]["headline"] == "Lukaschenko will Putin in Moskau treffen (1)"
    assert [s["feed"] for s in body["sightings"]] == ["nau"]
    picture = body["item"]["associations"][0]
    assert picture["type"] == "picture"
    assert picture["by"] == "Sergei Ilnitsky"
    assert picture["copyrightholder"] == "EPA"
    assert {"role": "creditline", "contenttype": "text/plain",
            "value": "KEYSTONE/EPA/Sergei Ilnitsky"} in picture["descriptions"]  # fmt: skip
    assert picture["descriptions"][0]["value"].startswith("Alexander Lukaschenko (links)")
    # the canonical record as stored, and an old version
    wire = c.get(f"/articles/{v1.article_id}", params={"format": "wire"}).json()
    assert wire["item"]["images"][0]["credit"] == "KEYSTONE/EPA/Sergei Ilnitsky"
    assert wire["item"]["headline"] == "Lukaschenko trifft Putin"
    old = c.get(f"/articles/{v1.article_id}/versions/1").json()
    assert old["item"]["headlines"][0]["value"] == "Lukaschenko will Putin in Moskau treffen (1)"
    assert old["version"] == 1
    assert c.get(f"/articles/{v1.article_id}/versions/3").status_code == 404
    missing = c.get("/articles/doesnotexist")
    assert missing.status_code == 404 and "doesnotexist" in missing.json()["error"]


def test_cluster_lists_members_with_similarity(db: Database) -> None:
    a = put(db, make_article(1))
    b = put(db, french(2))
    put(db, english(3))
    with db.session() as s:
        s.add(Cluster(id="c1", language="de", size=2, created_at=utcnow(), updated_at=utcnow()))
        s.flush()
        s.add(ClusterMember(article_id=a.article_id, cluster_id="c1", joined_at=utcnow()))
        s.add(
            ClusterMember(
                article_id=b.article_id,
                cluster_id="c1",
                matched_article_id=a.article_id,
                similarity=0.72,
                joined_at=utcnow(),
            )
        )
        s.execute(
            update(ArticleRow)
            .where(ArticleRow.id.in_([a.article_id, b.article_id]))
            .values(cluster_id="c1")
        )
    c = client(db)
    body = c.get("/clusters/c1").json()
    assert body["size"] == 2
    assert {m["id"]: m["similarity"] for m in body["members"]} == {
        a.article_id: None,
        b.article_id: 0.72,
    }
    assert len(body["items"]) == 2
    assert set(ids(c.get("/articles", params={"cluster": "c1"}))) == {a.article_id, b.article_id}
    assert c.get("/clusters/nope").status_code == 404
    atom = c.get("/clusters/c1", headers={"Accept": "application/atom+xml"})
    assert atom.headers["content-type"].startswith("application/atom+xml")
    assert atom.text.count("<entry") == 2


def test_sources_show_health_without_secrets(db: Database) -> None:
    ok = SourceConfig(name="sda-rss", location="https://user:pw@feeds.example.test/rss?key=s3cret")
    bad = SourceConfig(name="afp-atom", location="samples/feeds/afp-world.atom")
    ensure_sources(db, [ok, bad])
    now = utcnow()
    healthy = SourceHealth(ok.name, last_attempt=now, last_success=now, items_last_seen=12)
    failing = SourceHealth(
        bad.name, last_attempt=now, last_error="HTTP 503", consecutive_failures=2, failing=True
    )
    assert record_polls(db, [healthy, failing]) == 2
    items = client(db).get("/sources").json()["items"]
    by_name = {i["name"]: i for i in items}
    assert by_name["sda-rss"]["status"] == "ok"
    assert by_name["sda-rss"]["items_last_seen"] == 12
    assert by_name["sda-rss"]["location"] == "https://feeds.example.test/rss"
    assert by_name["afp-atom"]["status"] == "failing"
    assert by_name["afp-atom"]["consecutive_failures"] == 2
    assert by_name["afp-atom"]["last_error"] == "HTTP 503"


def test_cli_search_and_show_use_the_same_query_layer(db: Database, tmp_path: Path) -> None:
    from wire.ingest.cli import app

    stored = put(db, make_article(1))
    put(db, french(2))
    config = tmp_path / "config.toml"
    config.write_text(f'[storage]\nurl = "{db.url}"\n', encoding="utf-8")
    runner = CliRunner()
    found = runner.invoke(app, ["search", "Lukaschenko", "--json", "--config", str(config)])
    assert found.exit_code == 0, found.output
    assert stored.article_id in found.output
    with db.reader() as s:
        page = find_articles(s, ArticleQuery(q="Lukaschenko"), limit=20)
    assert [r.id for r in page.rows] == [stored.article_id]
    shown = runner.invoke(app, ["show", stored.article_id, "--json", "--config", str(config)])
    assert shown.exit_code == 0 and '"headline"' in shown.output


def test_both_stores_stem_per_language_and_fold_case_and_accents(db: Database) -> None:
    de = put(db, make_article(1)).article_id  # "... Bei den Gesprächen soll es ..."
    fr = put(db, french(2)).article_id  # "... Les dépenses augmentent ..."
    en = put(db, english(3)).article_id  # "... The two giant arms ... swung shut ..."
    c = client(db)

    def q(**params: str | list[str]) -> list[str]:
        return ids(c.get("/articles", params=params))

    assert q(q="Gespräch*") == [de]  # prefix
    assert q(q="gesprachen") == [de]  # accents and case folded
    assert q(q="Gespräch") == [de]  # German stem of "Gesprächen"
    assert q(q="dépense", language="fr") == [fr]  # French stem of "dépenses"
    assert q(q="DEPENSE") == [fr]
    assert q(q="arm") == [en]  # English stem of "arms"


def test_sqlite_index_follows_inserts_versions_and_deletes(sqlite_url: str) -> None:
    """Migration 0004: the writer's FTS statements land in the keyed index, never drift."""
    db = Database(sqlite_url)
    first = put(db, make_article(1)).article_id
    put(db, make_article(2))
    put(db, make_article(1, headline="Kreml bestätigt Treffen", versioncreated=T0 + timedelta(1)))
    c = client(db)
    assert ids(c.get("/articles", params={"q": "Kreml bestätigt"})) == [first]
    assert ids(c.get("/articles", params={"q": '"Moskau treffen (1)"'})) == []  # old headline
    with db.session() as s:
        s.execute(update(ArticleRow).where(ArticleRow.id == first).values(cluster_id="c9"))
    assert ids(c.get("/articles", params={"q": "Kreml", "cluster": "c9"})) == [first]
    with db.session() as s:
        s.delete(s.get(ArticleRow, first))
    assert ids(c.get("/articles", params={"q": "bestätigt"})) == []
    with db.reader() as s:
        counts = [
            s.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
            for t in ("articles", "article_keys", "articles_search", "articles_fts")
        ]
    assert counts == [1, 1, 1, 1]
    db.dispose()


def test_migration_0004_rekeys_an_existing_store_and_downgrades(sqlite_url: str) -> None:
    from alembic import command

    from wire.storage.db import alembic_config, make_engine

    engine = make_engine(sqlite_url)
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0003")
    # The schema before 0004 (a plain FTS5 table), written as that version's writer did:
    # today's writer knows columns added after 0004.
    stored = [_store_before_0004(engine, make_article(n)) for n in range(3)]
    db = Database(sqlite_url)  # migrates to head
    assert ids(client(db).get("/articles", params={"q": "Lukaschenko", "sort": "newest"})) == (
        list(reversed(stored))
    )
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0003")
        assert conn.execute(text("SELECT count(*) FROM articles_fts")).scalar_one() == 3
        command.upgrade(cfg, "head")
    assert len(ids(client(db).get("/articles", params={"q": "Lukaschenko"}))) == 3
    db.dispose()
    engine.dispose()


def _store_before_0004(engine: Any, a: Article) -> str:
    assert a.versioncreated is not None
    row = {
        "id": a.id, "source": a.source, "agencies": json.dumps(a.agencies), "feed": a.feed,
        "guid": a.guid, "version": a.version, "pubstatus": a.pubstatus, "headline": a.headline,
        "lead": a.lead, "key_points": "[]", "body_text": a.body_text, "language": a.language,
        "subjects": "[]", "versioncreated": a.versioncreated.replace(tzinfo=None).isoformat(" "),
        "ingested_at": "2024-10-08 06:00:00", "updated_at": "2024-10-08 06:00:00",
        "content_hash": a.content_hash, "has_images": 0,
    }  # fmt: skip
    with engine.begin() as conn:
        conn.execute(
            text(f"INSERT INTO articles ({', '.join(row)}) VALUES (:{', :'.join(row)})"), row
        )
        conn.execute(
            text(
                "INSERT INTO articles_fts (article_id, headline, lead, body) "
                "VALUES (:i, :h, :l, :b)"
            ),
            {"i": a.id, "h": a.headline, "l": a.lead, "b": a.body_text},
        )
    return a.id


def test_relevance_window_is_fixed_for_the_pages_of_one_query(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fts5, "RANK_WINDOW", 4)
    db = Database(sqlite_url)
    stored = [put(db, make_article(n)).article_id for n in range(7)]
    c = client(db)
    first = c.get("/articles", params={"q": "Lukaschenko", "limit": 2}).json()
    put(db, make_article(7))  # a newer match arrives between the pages
    rest = walk(c, {"q": "Lukaschenko", "limit": 2, "cursor": first["next"]})
    seen = [i["uri"].rsplit(":", 1)[1] for i in first["items"]] + rest
    assert sorted(seen) == sorted(stored[3:])  # the 4 newest matches when the query started
    db.dispose()


def test_relevance_window_lies_within_the_dates(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An old date range of a common word is not empty because newer matches filled the
    window: the window is the newest matches within ``since``/``until`` (as on PostgreSQL)."""
    monkeypatch.setattr(fts5, "RANK_WINDOW", 2)
    db = Database(sqlite_url)
    stored = [put(db, make_article(n)).article_id for n in range(8)]
    c = client(db)
    until = (T0 + timedelta(minutes=3)).isoformat()
    assert sorted(ids(c.get("/articles", params={"q": "Lukaschenko", "until": until}))) == sorted(
        stored[1:3]
    )  # the two newest matches before ``until``, not the two newest of all
    since = (T0 + timedelta(minutes=1)).isoformat()
    both = {"q": "Lukaschenko", "since": since, "until": until, "limit": 1}
    assert sorted(walk(c, both)) == sorted(stored[1:3])  # and its pages keep that window
    recent = {"q": "Lukaschenko", "since": (T0 + timedelta(minutes=6)).isoformat(), "limit": 1}
    assert sorted(walk(c, recent)) == sorted(stored[6:])  # fewer stories than a window
    db.dispose()


def test_newest_text_search_plans_agree(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    db = Database(sqlite_url)
    for n in range(6):
        put(db, make_article(n, language="de" if n % 2 else "fr"))
    undated = put(db, english(9, body_text="Lukaschenko in Rotterdam.\n\nStory 9.")).article_id
    with db.session() as s:
        s.execute(update(ArticleRow).where(ArticleRow.id == undated).values(versioncreated=None))
    c = client(db)
    params = {"q": "Lukaschenko", "sort": "newest", "limit": 2}
    joined = walk(c, params)
    monkeypatch.setattr(fts5, "NEWEST_SCAN_FROM", 0)
    scanned = walk(c, params)
    assert joined == scanned and len(joined) == 7 and joined[-1] == undated
    assert walk(c, {**params, "language": "de"}) == [i for i in joined if i in set(
        ids(c.get("/articles", params={"language": "de", "limit": 50})))]  # fmt: skip
    db.dispose()


def test_planner_statistics_are_gathered_once_the_store_grows(db: Database) -> None:
    for n in range(12):
        put(db, make_article(n))
    with db.session() as s:
        gathered = reads.refresh_planner_stats(s, min_articles=10)
    if db.dialect == "sqlite":
        assert gathered is True
        with db.session() as s:
            assert reads.refresh_planner_stats(s, min_articles=10) is False  # not doubled
            stats = s.execute(text("SELECT count(*) FROM sqlite_stat1")).scalar_one()
        assert stats > 0
    else:
        assert gathered is False  # PostgreSQL's autovacuum keeps its own statistics


def test_relevance_within_a_cluster_is_never_windowed(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fts5, "RANK_WINDOW", 2)
    db = Database(sqlite_url)
    old = [put(db, make_article(n)).article_id for n in range(3)]
    for n in range(3, 8):
        put(db, make_article(n))
    with db.session() as s:
        s.execute(update(ArticleRow).where(ArticleRow.id.in_(old)).values(cluster_id="c-old"))
    c = client(db)
    assert len(ids(c.get("/articles", params={"q": "Lukaschenko"}))) == 2  # the window
    in_cluster = ids(c.get("/articles", params={"q": "Lukaschenko", "cluster": "c-old"}))
    assert sorted(in_cluster) == sorted(old)
    # filters apply within the window of the newest matches of the words
    assert ids(c.get("/articles", params={"q": "Lukaschenko", "source": "keystone-sda"})) != []
    db.dispose()


def test_text_search_with_each_filter(db: Database) -> None:
    a = put(db, make_article(1)).article_id
    b = put(db, make_article(2, images=[], pubstatus="withheld", agencies=["keystone-sda"]))
    fr = put(db, french(3, headline="Lukaschenko rencontre Poutine")).article_id
    c = client(db)

    def q(**params: str | list[str]) -> set[str]:  # every status, unless the test asks
        return set(
            ids(c.get("/articles", params={"q": "Lukaschenko", "pubstatus": "all", **params}))
        )

    assert q() == {a, b.article_id, fr}
    assert q(language="fr") == {fr}
    assert q(language="de,fr") == {a, b.article_id, fr}
    assert q(agency="dpa") == {a}
    assert q(agency="afp") == {fr}
    assert q(source="keystone-sda") == {a, b.article_id}
    assert q(pubstatus="withheld") == {b.article_id}
    assert q(has_images="true") == {a}
    assert q(has_images="false", language="de") == {b.article_id}
    assert q(subject="Economie") == {fr}
    assert q(since=(T0 + timedelta(minutes=2)).isoformat()) == {b.article_id, fr}
    assert q(agency="dpa", sort="newest") == {a}
    # a filtered column changed without a new version: the index follows (the text keeps
    # its German tokens; "Lukaschenko" stems alike in English)
    with db.session() as s:
        s.execute(update(ArticleRow).where(ArticleRow.id == a).values(language="en"))
    assert q(language="en") == {a}
    assert q(language="de") == {b.article_id}


def test_filter_tags_never_match_words(db: Database) -> None:
    put(db, make_article(1))
    put(db, english(2, headline="Zurich zoo welcomes a zebra"))
    c = client(db)
    # every article carries tag tokens starting with "z" in the index; words never reach them
    assert len(ids(c.get("/articles", params={"q": "z*"}))) == 1
    assert len(ids(c.get("/articles", params={"q": "za*"}))) == 0
    assert len(ids(c.get("/articles", params={"q": "zi*", "language": "en"}))) == 0
    # prefixes of a tag's very shape (hex of "de", "dp", the has_images tag) reach none...
    for shaped in ("zlg6465*", "zag6470*", "zim1*", "zso*", "zps*"):
        assert ids(c.get("/articles", params={"q": shaped})) == [], shaped
    # ... and a "z" word that no tag can start with is matched without that restriction
    assert len(ids(c.get("/articles", params={"q": "zebr*"}))) == 1
    assert len(ids(c.get("/articles", params={"q": "zimbabw* OR zebr*"}))) == 1


def test_urgency_is_this_urgency_or_more_pressing_in_the_api_and_the_cli(
    db: Database, tmp_path: Path
) -> None:
    """The desk's urgency filter on /articles and `wire search`: 1 flash only, 2 urgent too."""
    from wire.ingest.cli import app

    stored = {
        u: put(db, make_article(n, urgency=u)).article_id
        for n, u in enumerate([1, 2, 3, 5, 9, None])
    }
    flash_fr = put(db, french(7, urgency=1)).article_id
    c = client(db)

    def found(**params: Any) -> set[str]:
        return set(ids(c.get("/articles", params=params)))

    assert found(urgency=1) == {stored[1], flash_fr}
    assert found(urgency=2) == {stored[1], stored[2], flash_fr}
    assert found(urgency="5") == {stored[u] for u in (1, 2, 3, 5)} | {flash_fr}
    assert found(urgency=9) == {v for k, v in stored.items() if k is not None} | {flash_fr}
    assert found() == set(stored.values()) | {flash_fr}  # no urgency: every story
    assert found(urgency=1, language="fr") == {flash_fr}
    assert found(urgency=2, q="Lukaschenko") == {stored[1], stored[2]}
    newest_first = [flash_fr, stored[3], stored[2], stored[1]]
    assert walk(c, {"urgency": 3, "limit": 1}) == newest_first  # pages keep the filter
    first = c.get("/articles", params={"urgency": 3, "limit": 1}).json()["next"]
    other = c.get("/articles", params={"urgency": 2, "cursor": first})
    assert other.status_code == 400  # a cursor belongs to the query that made it
    for bad in ("0", "10", "-1", "x", "1.5"):
        r = c.get("/articles", params={"urgency": bad})
        assert r.status_code == 422 and "urgency" in r.json()["error"], (bad, r.text)
    schema = c.get("/openapi.json").json()["paths"]["/articles"]["get"]["parameters"]
    (param,) = [p for p in schema if p["name"] == "urgency"]
    assert "more pressing" in param["description"]
    (number,) = [s for s in param["schema"]["anyOf"] if s.get("type") == "integer"]
    assert (number["minimum"], number["maximum"]) == (1, 9)

    config = tmp_path / "config.toml"
    config.write_text(f'[storage]\nurl = "{db.url}"\n', encoding="utf-8")
    runner = CliRunner()
    hits = runner.invoke(
        app, ["search", "Lukaschenko", "--urgency", "2", "--json", "-c", str(config)]
    )
    assert hits.exit_code == 0, hits.output
    assert {json.loads(line)["id"] for line in hits.output.splitlines()} == {stored[1], stored[2]}
    wrong = runner.invoke(app, ["search", "Lukaschenko", "--urgency", "10", "-c", str(config)])
    assert wrong.exit_code == 2 and "--urgency" in wrong.output
