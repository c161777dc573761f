"""The desk's pure parts: rows, version diffs, the hourly chart, URL filters, CSRF tokens; and
the type filter as the server renders it (both stores)."""

from __future__ import annotations

import re
from typing import Any

from starlette.datastructures import QueryParams
from starlette.requests import Request

from tests.api.factory import client
from tests.api.test_updates import load
from wire.api.auth import Principal, TokenStore, hash_token
from wire.api.desk.filters import DeskFilters
from wire.api.desk.live import resume_from
from wire.api.desk.session import COOKIE, DeskAuth
from wire.api.desk.views import diff_records, hourly_chart, media_card, row_of
from wire.storage.db import Database
from wire.storage.filters import urgencies


def request(headers: dict[str, str] | None = None, query: str = "") -> Request:
    raw = [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    return Request({"type": "http", "headers": raw, "query_string": query.encode()})


def test_a_row_marks_flash_kills_and_counts_its_cluster() -> None:
    row = row_of(
        {
            "id": "a1",
            "versioncreated": "2024-10-08T06:05:00Z",
            "urgency": 1,
            "agencies": ["keystone-sda", "dpa"],
            "kicker": "Weissrussland",
            "headline": "Lukaschenko will Putin in Moskau treffen",
            "language": "de",
            "version": 3,
            "pubstatus": "canceled",
        },
        cluster_size=2,
    )
    assert (row.time, row.date, row.urgency_label, row.mark) == (
        "06:05",
        "2024-10-08",
        "flash",
        "KILLED",
    )
    assert row.version == 3 and row.cluster_size == 2 and row.agencies == ["keystone-sda", "dpa"]
    plain = row_of({"id": "b", "source": "afp", "urgency": 4, "pubstatus": "withheld"})
    assert plain.urgency_label is None and plain.mark == "WITHHELD" and plain.agencies == ["afp"]


def test_the_diff_shows_removed_and_added_words_per_field() -> None:
    old = {
        "headline": "Heavy snowfall cuts off Zermatt",
        "lead": "Trains stopped.",
        "body_text": "x",
    }
    new = {"headline": "Snowbound Zermatt to reopen rail link", "lead": "Trains stopped.",
           "body_text": "x"}  # fmt: skip
    fields = {f.name: f for f in diff_records(old, new)}
    assert fields["headline"].changed and not fields["lead"].changed
    parts = fields["headline"].parts
    assert ("del", "Heavy snowfall cuts off") in parts and ("same", " Zermatt") in parts
    assert "".join(t for op, t in parts if op != "del") == new["headline"]
    assert "".join(t for op, t in parts if op != "ins") == old["headline"]


def test_the_chart_has_a_bar_per_hour_scaled_to_the_busiest() -> None:
    svg = str(hourly_chart([0] * 22 + [2, 4], height=28))
    assert svg.count("<rect") == 24
    assert 'height="26.0"' in svg and 'height="13.0"' in svg
    assert "6 items in the last 24 hours" in svg


def test_filters_round_trip_through_the_url() -> None:
    params = QueryParams(
        "q=Putin+Moskau&agency=dpa,afp&agency=reuters&language=de&pubstatus=canceled"
        "&pubstatus=bogus&urgency=2&subject=Politik"
    )
    filters = DeskFilters.from_params(params)
    assert filters.agency == ("dpa", "afp", "reuters") and filters.pubstatus == ("canceled",)
    assert DeskFilters.from_params(QueryParams(filters.url().split("?", 1)[1])) == filters
    query = filters.query()
    assert query.q == "Putin Moskau" and query.effective_sort == "relevance"
    assert filters.query(newest=True).effective_sort == "newest"
    assert query.urgency == 2 and DeskFilters().query().urgency is None  # filtered in SQL
    assert urgencies(2) == [1, 2] and urgencies(9) == list(range(1, 10))  # an equality list
    assert filters.query(ids=("a1", "a1", "b2")).ids == ("a1", "b2")
    assert DeskFilters().query().pubstatus == ("usable", "withheld", "canceled")
    assert DeskFilters.from_params(QueryParams("urgency=9")).urgency == ""


def test_csrf_tokens_belong_to_their_session_and_process() -> None:
    tokens = TokenStore([(hash_token("secret-a"), Principal("ops", frozenset({"admin"})))])
    auth = DeskAuth(tokens, required=True)
    a = request({"cookie": f"{COOKIE}=secret-a"})
    b = request({"cookie": f"{COOKIE}=secret-b"})
    assert auth.principal(a) == Principal("ops", frozenset({"admin"}))
    assert auth.principal(b) is None and auth.principal(request()) is None
    assert auth.csrf_ok(a, auth.csrf_token(a))
    assert not auth.csrf_ok(a, auth.csrf_token(b))
    assert not auth.csrf_ok(a, None) and not auth.csrf_ok(a, "")
    assert not DeskAuth(tokens, required=True).csrf_ok(a, auth.csrf_token(a))  # another start


def test_a_stream_resumes_after_the_last_event_id() -> None:
    assert resume_from(request({"Last-Event-ID": "42"}, "after=7")) == 42
    assert resume_from(request(query="after=7")) == 7
    assert resume_from(request({"Last-Event-ID": "x"})) is None


def test_a_media_card_shows_a_preview_caption_credit_and_rights() -> None:
    picture: dict[str, Any] = {
        "id": "p1",
        "type": "picture",
        "pubstatus": "usable",
        "headline": "Schneechaos in Zermatt",
        "body_text": "Schneeräumung am Bahnhof von Zermatt.",
        "copyright_notice": "© KEYSTONE",
        "renditions": [
            {"href": "https://media.example.ch/77/highres.jpg", "name": "highRes"},
            {"href": "https://media.example.ch/77/thumb.jpg", "name": "thumbnail"},
            {"href": "https://media.example.ch/77/preview.jpg", "name": "preview"},
        ],
        "images": [
            {
                "href": "https://media.example.ch/77/highres.jpg",
                "caption": "Schneeräumung am Bahnhof von Zermatt am Dienstag.",
                "credit": "KEYSTONE/Lea Muster",
                "copyright_holder": "Keystone",
                "copyright_notice": None,
                "usage_terms": None,
            }
        ],
    }
    card = media_card(picture)
    assert card.src == "https://media.example.ch/77/preview.jpg"
    assert card.caption == "Schneeräumung am Bahnhof von Zermatt am Dienstag."
    assert (card.credit, card.copyright, card.mark) == ("KEYSTONE/Lea Muster", "© KEYSTONE", None)
    other = media_card({**picture, "copyright_notice": "(c) 2024 Agentur", "images": [
        {**picture["images"][0], "caption": None}]})  # fmt: skip
    assert other.copyright == "© Keystone · (c) 2024 Agentur"
    assert other.caption == "Schneeräumung am Bahnhof von Zermatt."  # the record's own text
    tombstone = {"id": "p2", "type": "graphic", "pubstatus": "canceled", "headline": "Grafik"}
    killed = media_card(tombstone)
    assert (killed.src, killed.mark, killed.caption, killed.type) == (None, "KILLED", "", "graphic")


def test_the_type_filter_lives_in_the_url_and_narrows_the_rendered_list(db: Database) -> None:
    """Pictures, graphics and stories side by side; ``type`` narrows the page (in the store)."""
    filters = DeskFilters.from_params(QueryParams("type=Picture,movie&type=graphic&type=picture"))
    assert filters.type == ("picture", "graphic") and filters.active  # unknown words dropped
    assert DeskFilters.from_params(QueryParams(filters.url().split("?", 1)[1])) == filters
    assert filters.query().type == ("picture", "graphic") and DeskFilters().query().type == ()

    load(db, "ninjs_picture_3x_en.json", "ninjs")
    load(db, "ninjs_graphic_2x_de.json", "ninjs")
    load(db, "newsml_update_en.xml", "newsml")
    c = client(db)
    row = re.compile(r'<li class="row[^"]*" data-id="([0-9a-f]+)"')

    def page(query: str) -> tuple[str, list[str]]:
        r = c.get(f"/desk?{query}")
        assert r.status_code == 200, r.text
        return r.text, row.findall(r.text)

    listing = c.get("/articles", params={"format": "wire", "pubstatus": "all"}).json()["items"]
    by_type: dict[str, set[str]] = {}
    for item in listing:
        by_type.setdefault(item["type"], set()).add(item["id"])
    assert set(by_type) == {"text", "picture", "graphic"}
    everything, ids = page("")
    assert set(ids) == {i["id"] for i in listing}
    assert '<select name="type"><option value="">any</option>' in everything
    for kind in ("text", "picture", "graphic"):
        assert f'<option value="{kind}">{kind}</option>' in everything
    html, ids = page("type=picture")
    assert set(ids) == by_type["picture"]
    assert '<option value="picture" selected>picture</option>' in html
    assert "/desk/events?type=picture&amp;after=" in html  # the live list keeps the filter
    _, ids = page("type=picture&type=graphic")
    assert set(ids) == by_type["picture"] | by_type["graphic"]
    _, ids = page("type=text&q=Zermatt")
    assert ids and set(ids) <= by_type["text"]
