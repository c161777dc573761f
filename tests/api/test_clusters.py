"""Clusters over HTTP: the list (filters, keyset pages), explanations, editors' corrections."""

from __future__ import annotations

from tests.api.factory import client, english, french, make_article, put
from tests.api.test_auth import ADMIN, READER, TOKENS, bearer
from wire.storage import clusters as store
from wire.storage.db import Database

REASON = {"rule": "facts", "similarity": 0.21, "containment": 0.4, "shared_numbers": 4,
          "numbers": 0.8, "shared_names": 6, "names": 0.75}  # fmt: skip


def clustered(db: Database) -> dict[str, str]:
    """Three clusters: German (sda + afp), French (ats + afp), English (reuters + ap)."""
    ids = {}
    for n, (first, second) in enumerate(
        [
            (make_article(1), make_article(2, source="afp", agencies=["afp"], feed="afp")),
            (french(3), french(4, source="afp", agencies=["afp"], feed="afp")),
            (english(5), english(6, source="ap", agencies=["ap"], feed="ap")),
        ]
    ):
        a, b = put(db, first).article_id, put(db, second).article_id
        with db.session() as s:
            store.join_cluster(s, b, a, 0.5 + n / 10, cluster_id=None,
                               language=first.language, reason=REASON)  # fmt: skip
        ids[first.language or ""] = a
    return ids


def test_the_cluster_list_filters_and_pages(db: Database) -> None:
    ids = clustered(db)
    c = client(db)
    seen: list[str] = []
    page = c.get("/clusters", params={"limit": 2})
    while True:
        body = page.json()
        assert page.status_code == 200 and body["count"] == len(body["items"])
        seen += [item["id"] for item in body["items"]]
        if not body["next"]:
            break
        assert page.headers["link"].endswith('rel="next"')
        page = c.get("/clusters", params={"limit": 2, "after": body["next"]})
    assert sorted(seen) == sorted(ids.values())
    assert [i["id"] for i in c.get("/clusters", params={"language": "fr"}).json()["items"]] == [
        ids["fr"]
    ]
    by_agency = c.get("/clusters", params={"agency": "afp"}).json()["items"]
    assert {i["id"] for i in by_agency} == {ids["de"], ids["fr"]}
    assert c.get("/clusters", params={"size": 3}).json()["items"] == []
    assert c.get("/clusters", params={"since": "2999-01-01"}).json()["items"] == []
    assert c.get("/clusters", params={"after": "garbage"}).status_code == 400


def test_a_cluster_explains_why_each_member_joined(db: Database) -> None:
    ids = clustered(db)
    c = client(db)
    plain = c.get(f"/clusters/{ids['de']}").json()
    assert "corrections" not in plain and all("why" not in m for m in plain["members"])
    body = c.get(f"/clusters/{ids['de']}", params={"explain": 1}).json()
    assert len(body["members"]) == 2 and body["corrections"] == []
    for member in body["members"]:
        assert member["reason"] == REASON
        assert member["why"].startswith("same facts in other words")
        assert "4 numbers and 6 names shared" in member["why"]


def test_editors_split_and_merge_with_an_admin_token(db: Database) -> None:
    ids = clustered(db)
    c = client(db, auth=True, tokens=TOKENS)
    with db.reader() as s:
        explained = store.explain_cluster(s, ids["en"])
        assert explained is not None
        members = [m["id"] for m in explained.members]
    second = next(m for m in members if m != ids["en"])
    split = {"article": second}
    assert c.post("/admin/clusters/split", json=split, headers=bearer(READER)).status_code == 403
    res = c.post("/admin/clusters/split", json=split, headers=bearer(ADMIN))
    assert res.status_code == 200 and res.json() == {"article": second, "left": ids["en"]}
    again = c.post("/admin/clusters/split", json=split, headers=bearer(ADMIN))
    assert again.status_code == 404  # the English cluster is gone (one member left)
    merge = {"cluster": ids["fr"], "into": ids["de"], "editor": "night desk"}
    res = c.post("/admin/clusters/merge", json=merge, headers=bearer(ADMIN))
    assert res.status_code == 200 and res.json()["size"] == 4
    body = c.get(f"/clusters/{ids['de']}?explain=1", headers=bearer(READER)).json()
    assert body["size"] == 4
    assert [(x["kind"], x["editor"]) for x in body["corrections"]] == [("merge", "night desk")]
    missing = {"cluster": "nope", "into": ids["de"]}
    assert c.post("/admin/clusters/merge", json=missing, headers=bearer(ADMIN)).status_code == 404
    assert c.post("/admin/clusters/merge", json={}, headers=bearer(ADMIN)).status_code in (400, 422)
