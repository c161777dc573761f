"""Rights on the API: embargoes kept back, kills withdrawn, usage terms shown; admins audit."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from lxml import etree
from sqlalchemy import update

from tests.api.factory import BODY_DE, T0, client, english, make_article, put
from tests.api.test_auth import ADMIN, READER, TOKENS, bearer
from tests.api.test_formats import check_ninjs
from wire.record import Article, compute_content_hash
from wire.storage.clusters import join_cluster, split_member
from wire.storage.db import Database
from wire.storage.models import ArticleRow, HeldChange

ATOM = "{http://www.w3.org/2005/Atom}"


def with_rights(a: Article, **kw: Any) -> Article:
    b = replace(a, **kw)
    b.content_hash = compute_content_hash(b)
    return b


def uri_ids(body: dict[str, Any]) -> list[str]:
    return [i["uri"].rsplit(":", 1)[1] for i in body["items"]]


def test_embargoed_story_is_kept_back_until_its_time(db: Database) -> None:
    until = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=1)
    public = put(db, english(1)).article_id
    held = put(db, with_rights(make_article(2), embargoed=until)).article_id
    c = client(db, auth=True, tokens=TOKENS)
    reader, admin = bearer(READER), bearer(ADMIN)
    assert uri_ids(c.get("/articles", headers=reader).json()) == [public]
    assert uri_ids(c.get("/articles", headers=reader, params={"q": "Lukaschenko"}).json()) == []
    assert c.get(f"/articles/{held}", headers=reader).status_code == 404
    assert c.get(f"/articles/{held}/versions/1", headers=reader).status_code == 404
    atom = c.get("/articles", headers=reader, params={"format": "atom"}).content
    assert b"Lukaschenko" not in atom
    refused = c.get("/articles", headers=reader, params={"audit": "true"})
    assert refused.status_code == 403 and "'admin'" in refused.json()["error"]
    # An admin sees it only when asking explicitly.
    assert held not in uri_ids(c.get("/articles", headers=admin).json())
    audited = c.get("/articles", headers=admin, params={"audit": "true"}).json()
    assert held in uri_ids(audited)
    shown = c.get(f"/articles/{held}", headers=admin, params={"audit": "true"}).json()
    assert shown["item"]["embargoed"] == until.isoformat().replace("+00:00", "Z")
    feed = c.get("/changes", headers=reader).json()
    assert [i["article_id"] for i in feed["items"]] == [public]
    # Its time comes (the clock is moved by moving the stored times: what a store looks like
    # an hour later): readable, and its change appears once, after the cursor.
    now = datetime.now(UTC)
    with db.session() as s:
        s.execute(update(ArticleRow).where(ArticleRow.id == held).values(embargoed=now))
        s.execute(update(HeldChange).values(visible_at=now))
    deadline = time.monotonic() + 20
    released = c.get("/changes", headers=reader, params={"after": feed["next"], "wait": 10})
    while not released.json()["items"] and time.monotonic() < deadline:
        released = c.get("/changes", headers=reader, params={"after": feed["next"], "wait": 5})
    items = released.json()["items"]
    assert [(i["article_id"], i["kind"]) for i in items] == [(held, "new")]
    assert c.get(f"/articles/{held}", headers=reader).status_code == 200
    again = c.get("/changes", headers=reader, params={"after": 0}).json()["items"]
    assert [i["article_id"] for i in again] == [public, held]


def test_kill_leaves_a_tombstone_for_readers_and_the_text_for_audit(db: Database) -> None:
    first = put(db, make_article(1))
    put(db, make_article(1, headline="Lukaschenko trifft Putin", versioncreated=T0 + timedelta(1)))
    kill = make_article(
        1,
        pubstatus="canceled",
        ednote="KILL - Bitte nicht verwenden. Rechtliche Gründe.",
        versioncreated=T0 + timedelta(2),
    )
    put(db, kill)
    aid = first.article_id
    c = client(db, auth=True, tokens=TOKENS)
    reader, admin = bearer(READER), bearer(ADMIN)
    # The kill's own URL: 410 Gone, the tombstone and a notice.
    gone = c.get(f"/articles/{aid}", headers=reader, params={"format": "wire"})
    assert gone.status_code == 410 and "killed" in gone.json()["notice"]
    shown = gone.json()["item"]
    assert shown["pubstatus"] == "canceled"
    assert shown["headline"] == "Lukaschenko will Putin in Moskau treffen (1)"
    assert shown["ednote"] == "KILL - Bitte nicht verwenden. Rechtliche Gründe."
    assert shown["versioncreated"] == "2024-10-10T06:00:00Z"
    assert shown["body_text"] == "" and shown["lead"] is None and shown["images"] == []
    ninjs = c.get(f"/articles/{aid}", headers=reader).json()["item"]
    check_ninjs(ninjs)
    assert "bodies" not in ninjs and ninjs["ednote"].startswith("KILL")
    for version in (1, 2):
        old = c.get(
            f"/articles/{aid}/versions/{version}", headers=reader, params={"format": "wire"}
        )
        assert old.status_code == 410 and old.json()["item"]["body_text"] == ""
        assert old.json()["item"]["pubstatus"] == "canceled"
    # Lists leave the kill out by default; asked for, it is its tombstone.
    assert c.get("/articles", headers=reader).json()["items"] == []
    kills = {"format": "wire", "pubstatus": "canceled"}
    listed = c.get("/articles", headers=reader, params=kills).json()["items"]
    assert [i["body_text"] for i in listed] == [""]
    kills_atom = {"format": "atom", "pubstatus": "canceled"}
    atom = etree.fromstring(c.get("/articles", headers=reader, params=kills_atom).content)
    assert len(atom.findall(f"{ATOM}entry")) == 1
    assert atom.find(f"{ATOM}entry/{ATOM}content") is None  # no text; its link stands for it
    changes = c.get("/changes", headers=reader, params={"format": "wire"}).json()["items"]
    assert [i["kind"] for i in changes] == ["new", "update", "kill"]
    assert all(i["item"]["body_text"] == "" for i in changes)
    # Admins keep the text for audit, when they ask.
    audit = {"format": "wire", "audit": "true"}
    old = c.get(f"/articles/{aid}/versions/2", headers=admin, params=audit)
    assert old.status_code == 200  # an earlier version as it was, not the kill
    assert old.json()["item"]["headline"] == "Lukaschenko trifft Putin"
    assert old.json()["item"]["body_text"]
    audited_kill = c.get(f"/articles/{aid}", headers=admin, params=audit)
    assert audited_kill.status_code == 410 and "killed" in audited_kill.json()["notice"]
    audited = c.get("/changes", headers=admin, params=audit).json()["items"]
    assert audited[0]["item"]["body_text"]


def test_usage_terms_in_ninjs_atom_and_the_canonical_record(db: Database) -> None:
    a = with_rights(
        english(1),
        usage_terms="Editorial use only. No archive.",
        copyright_notice="Copyright 2024 Thomson Reuters",
    )
    aid = put(db, a).article_id
    c = client(db)
    ninjs = c.get(f"/articles/{aid}").json()["item"]
    check_ninjs(ninjs)
    assert ninjs["usageterms"] == "Editorial use only. No archive."
    assert ninjs["copyrightnotice"] == "Copyright 2024 Thomson Reuters"
    entry = etree.fromstring(c.get(f"/articles/{aid}", params={"format": "atom"}).content)
    rights = entry.find(f"{ATOM}rights")
    assert rights is not None
    assert rights.text == "Copyright 2024 Thomson Reuters; Editorial use only. No archive."
    record = c.get(f"/articles/{aid}", params={"format": "wire"}).json()["item"]
    assert record["usage_terms"] == "Editorial use only. No archive."


def test_picture_usage_terms_in_ninjs(db: Database) -> None:
    a = make_article(1)
    a.images = [replace(a.images[0], usage_terms="No sales", copyright_notice="(c) EPA")]
    a = with_rights(a)
    aid = put(db, a).article_id
    [pic] = client(db).get(f"/articles/{aid}").json()["item"]["associations"]
    check_ninjs(pic, association=True)
    assert (pic["usageterms"], pic["copyrightnotice"]) == ("No sales", "(c) EPA")


def test_cluster_size_and_explanation_leave_out_stories_under_embargo(db: Database) -> None:
    until = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=1)
    a = put(db, english(1)).article_id
    b = put(db, english(3)).article_id
    held = put(db, with_rights(make_article(2), embargoed=until)).article_id
    split = put(db, with_rights(english(4), embargoed=until)).article_id
    with db.session() as s:
        join_cluster(s, b, a, 0.8, cluster_id=None, language="en")
        for member in (held, split):
            join_cluster(s, member, a, 0.8, cluster_id=a, language="en")
        split_member(s, split, editor="desk")
    c = client(db, auth=True, tokens=TOKENS)
    reader, admin = bearer(READER), bearer(ADMIN)
    shown = c.get(f"/clusters/{a}", headers=reader, params={"explain": "1"}).json()
    assert shown["size"] == len(shown["members"]) == len(shown["items"]) == 2
    assert shown["corrections"] == []  # the split names a story still under embargo
    assert [x["id"] for x in c.get("/clusters", headers=reader).json()["items"]] == [a]
    assert c.get("/clusters", headers=reader).json()["items"][0]["size"] == 2
    assert held not in str(c.get("/clusters", headers=reader).json())
    audited = c.get(
        f"/clusters/{a}", headers=admin, params={"explain": "1", "audit": "true"}
    ).json()
    assert audited["size"] == 3
    assert [(x["kind"], x["article_id"]) for x in audited["corrections"]] == [("split", split)]


def test_a_kill_takes_its_text_out_of_search_for_every_reader(db: Database) -> None:
    """The kill re-sends the story's text (as agencies often do): from that version on no
    search matches it by the words it withdrew, whatever the token asks; the headline its
    tombstone shows still finds it. The text stays for admins' audit, by id."""
    aid = put(db, make_article(1)).article_id
    other = put(db, english(2)).article_id  # a live story, found as before
    c = client(db, auth=True, tokens=TOKENS)
    reader, admin = bearer(READER), bearer(ADMIN)
    every = {"pubstatus": "all", "format": "wire"}

    def found(q: str, headers: dict[str, str], **extra: str) -> list[str]:
        got = c.get("/articles", headers=headers, params={**every, "q": q, **extra})
        assert got.status_code == 200, got.text
        return [i["id"] for i in got.json()["items"]]

    body_words = ("Wirtschaftshilfen", "Opposition Proteste", "Kreml", "Wirtschaftshilf*")
    for q in body_words:
        assert found(q, reader) == [aid], q  # usable: its text is searched
    kill = make_article(
        1,
        pubstatus="canceled",
        ednote="KILL - Rechtliche Gründe.",
        versioncreated=T0 + timedelta(1),
    )
    assert kill.body_text  # the kill carries the full text again
    put(db, kill)
    for q in body_words:
        assert found(q, reader) == [], q
        assert found(q, admin) == [], q
        assert found(q, admin, audit="true") == [], q  # the index no longer holds it at all
        assert found(q, reader, sort="newest") == [], q
    for q in ("Lukaschenko", "Moskau treffen"):  # the tombstone's headline
        assert found(q, reader) == [aid], q
    assert found("Weissrussland", reader) == []  # the kicker is no part of the tombstone
    assert found("barrier", reader) == [other]  # live stories as before
    audited = c.get(f"/articles/{aid}", headers=admin, params={"audit": "true", "format": "wire"})
    assert "Wirtschaftshilfen" in audited.json()["item"]["body_text"]  # kept for audit


def test_a_story_that_comes_back_after_a_kill_is_searched_again(db: Database) -> None:
    aid = put(db, make_article(1)).article_id
    put(db, make_article(1, pubstatus="canceled", versioncreated=T0 + timedelta(1)))
    c = client(db)
    params = {"q": "Wirtschaftshilfen", "pubstatus": "all", "format": "wire"}
    assert c.get("/articles", params=params).json()["items"] == []
    put(db, make_article(1, body_text=BODY_DE + " Neu.", versioncreated=T0 + timedelta(2)))
    assert [i["id"] for i in c.get("/articles", params=params).json()["items"]] == [aid]
