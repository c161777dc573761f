"""The desk's filtered list and its live updates are answered by the store, on SQLite and
PostgreSQL, however many stories it holds: urgency is a SQL filter, and a changed story is
matched against the filters by its id (not looked for among the newest stories)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from tests.api.factory import client, english, make_article
from wire.api.desk.filters import DeskFilters
from wire.api.desk.routes import changed_rows
from wire.api.desk.views import Row
from wire.ingest.fingerprint import text_fingerprint
from wire.record import Article, Image, Link, Rendition
from wire.storage import desk as desk_store
from wire.storage.db import Database
from wire.storage.filters import ArticleQuery
from wire.storage.reads import find_ids
from wire.storage.writer import store_articles

STORIES = 620  # more than any page or window the desk reads
FLASH = range(0, 3)  # the oldest three stories are flashes,
URGENT = range(3, 6)  # the next three urgent; every newer one is routine
ROW_ID = re.compile(r'<li class="row[^"]*" data-id="([0-9a-f]+)"')


def story(n: int, **kw: object) -> Article:
    """Story ``n`` (``n`` minutes after the first): flash, urgent or routine, German or
    English, so text and language filters combine with urgency; ``kw`` makes a later
    version (same guid, same time: a correction that does not move the story up)."""
    kw.setdefault("urgency", 1 if n in FLASH else 2 if n in URGENT else 3 + n % 3)
    return english(n, **kw) if n % 2 else make_article(n, **kw)


def store(db: Database, articles: list[Article]) -> None:
    with db.session() as session:
        store_articles(session, [(a, text_fingerprint(a)) for a in articles])


@pytest.fixture
def crowded(db: Database) -> dict[int, str]:
    """A store of 620 stories whose flashes and urgents are the oldest; ids by number."""
    articles = [story(n) for n in range(STORIES)]
    store(db, articles)
    return {n: a.id for n, a in enumerate(articles)}


def listed(db: Database, query: str) -> list[str]:
    page = client(db).get(f"/desk?{query}")
    assert page.status_code == 200, page.text
    return ROW_ID.findall(page.text)


def test_urgency_narrows_the_list_in_the_store_however_old_the_urgent_stories(
    db: Database, crowded: dict[int, str]
) -> None:
    flash = [crowded[n] for n in reversed(FLASH)]
    urgent = [crowded[n] for n in reversed([*FLASH, *URGENT])]
    assert listed(db, "urgency=1") == flash  # newest first
    assert listed(db, "urgency=2") == urgent
    assert listed(db, "urgency=2&language=en") == [crowded[n] for n in (5, 3, 1)]
    # the text search path (FTS5 on SQLite, tsquery on PostgreSQL) filters urgency too
    assert set(listed(db, "urgency=2&q=Lukaschenko")) == {crowded[n] for n in (0, 2, 4)}
    assert set(listed(db, "urgency=1&q=Rotterdam")) == {crowded[1]}
    assert len(listed(db, "")) == 50  # unfiltered: one page of the newest
    with db.reader() as session:
        ids = find_ids(session, ArticleQuery(urgency=2), limit=100).ids
        routine = find_ids(session, ArticleQuery(urgency=3), limit=STORIES).ids
    assert ids == urgent
    assert len(routine) == 6 + (STORIES - 6 + 2) // 3  # flashes, urgents and urgency 3


def render(rows: list[Row]) -> list[tuple[str, str]]:
    return [(r.id, f"{r.headline}|{r.urgency}|{r.mark or ''}") for r in rows]


def test_a_live_update_is_matched_by_id_whatever_the_stores_size(
    db: Database, crowded: dict[int, str]
) -> None:
    with db.reader() as session:
        latest = max(seq for seq, _ in desk_store.changed_since(session, 0, STORIES + 10))
    # a second version of the oldest flash: far below the newest 500, still a flash
    store(db, [story(0, headline="Lukaschenko in Moskau eingetroffen")])
    flashes = DeskFilters(urgency="1")
    batch = changed_rows(db, flashes, latest, render)
    assert [(i, html) for _, i, html in batch.rows] == [
        (crowded[0], "Lukaschenko in Moskau eingetroffen|1|")
    ]
    assert batch.last_seq > latest
    # the same change, seen by a list of English stories only, is no row of theirs: gone
    english_only = DeskFilters(language=("en",))
    assert [(i, html) for _, i, html in changed_rows(db, english_only, latest, render).rows] == [
        (crowded[0], None)
    ]
    # a routine story that becomes a flash joins the flash list; one killed leaves a list of
    # usable stories and stays, marked, on the desk's default list (every pubstatus)
    promoted = story(10, urgency=1, headline="Eilmeldung: Treffen abgesagt")
    killed = story(11, pubstatus="canceled", ednote="Kill: story withdrawn")
    store(db, [promoted, killed])
    seen = changed_rows(db, flashes, batch.last_seq, render).rows
    assert [(i, html) for _, i, html in seen] == [
        (crowded[10], "Eilmeldung: Treffen abgesagt|1|"),
        (crowded[11], None),
    ]
    assert [s for s, _, _ in seen] == sorted(s for s, _, _ in seen)
    usable = DeskFilters(pubstatus=("usable",))
    assert [html for _, _, html in changed_rows(db, usable, batch.last_seq, render).rows][1] is None
    marked = changed_rows(db, DeskFilters(), batch.last_seq, render).rows
    assert marked[1][2] is not None and marked[1][2].endswith("|KILLED")
    # text search on top: matched in the store's index, by id
    words = DeskFilters(q="Eilmeldung")
    assert [
        (i, h is not None) for _, i, h in changed_rows(db, words, batch.last_seq, render).rows
    ] == [
        (crowded[10], True),
        (crowded[11], False),
    ]
    assert changed_rows(db, flashes, marked[-1][0], render).rows == []


def media(n: int, kind: str = "picture", **kw: object) -> Article:
    """A Keystone picture (or graphic) record: its caption, credit and rights in images[0]."""
    href = f"https://media.example-wire.test/KEY-{n:04d}/highres.jpg"
    defaults: dict[str, object] = {
        "guid": f"urn:newsml:keystone.ch:20241008:KEY-{n:04d}",
        "type": kind,
        "agencies": ["keystone-sda"],
        "kicker": None,
        "headline": f"Treffen in Sotschi ({n})",
        "lead": None,
        "body_text": "Alexander Lukaschenko (links) und Wladimir Putin in Sotschi.",
        "byline": None,
        "urgency": None,
        "subjects": [],
        "copyright_notice": "© KEYSTONE/EPA",
        "renditions": [
            Rendition(href, "highRes", "image/jpeg", 4000, 2667),
            Rendition(href.replace("highres", "preview"), "preview", "image/jpeg", 640, 427),
        ],
        "images": [
            Image(
                href=href,
                caption="Alexander Lukaschenko (links) und Wladimir Putin in Sotschi.",
                credit="KEYSTONE/EPA/Sergei Ilnitsky",
                creator="Sergei Ilnitsky",
                agencies=["keystone", "epa"],
                copyright_holder="EPA",
                usage_terms="Editorial use only",
            )
        ],
    }
    return make_article(n, **{**defaults, **kw})


def test_a_story_view_links_its_media_and_a_picture_its_stories(db: Database) -> None:
    picture, graphic = media(9001), media(9002, "graphic", headline="Grafik: Gasexporte")
    held = media(9003, embargoed=datetime.now(UTC) + timedelta(days=1))
    killed = media(9004)
    text = make_article(
        1,
        images=[],
        links=[Link(m.guid, m.type) for m in (picture, graphic, held, killed)],
    )
    store(db, [picture, graphic, held, killed, text])
    store(db, [replace(killed, pubstatus="canceled", version=2, content_hash="kill")])
    api = client(db)
    page = api.get(f"/desk/story/{text.id}").text
    cards = re.findall(r'<li class="media-card" data-id="([0-9a-f]+)"', page)
    assert cards == [picture.id, graphic.id, killed.id]  # link order; the embargoed one hidden
    assert "Credit: KEYSTONE/EPA/Sergei Ilnitsky" in page
    assert '<span class="copyright">© KEYSTONE/EPA</span>' in page  # holder EPA named in it
    assert "Usage: Editorial use only" in page
    assert "KEY-9001/preview.jpg" in page  # the preview rendition, not the 4000 px original
    assert "KEY-9003" not in page and "KEY-9004/preview.jpg" not in page  # killed: no picture
    assert f'href="/desk/story/{graphic.id}"' in page
    killed_card = page.split(f'data-id="{killed.id}"', 1)[1].split("</li>", 1)[0]
    assert '<span class="mark">KILLED</span>' in killed_card
    shown = api.get(f"/desk/story/{picture.id}").text
    used = re.findall(r'<section class="used-in".*?</section>', shown, re.S)
    assert len(used) == 1 and f'href="/desk/story/{text.id}"' in used[0]
    assert "Stories using this picture" in used[0]
    assert "Lukaschenko will Putin in Moskau treffen (1)" in used[0]
    assert api.get(f"/desk/story/{held.id}").status_code == 404  # under embargo for readers
