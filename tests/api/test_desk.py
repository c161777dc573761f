"""The desk in a real browser: Debian's Chromium under Playwright against ``wire serve``'s
uvicorn on loopback, over a store the real pipeline filled from the bundled samples.

Each test saves a screenshot into tests/api/screenshots/ (not committed; docs/desk.png is).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright
from sqlalchemy import select

from tests.api.desk_site import (
    ADMIN_TOKEN,
    CHROMIUM,
    CHROMIUM_ARGS,
    READ_TOKEN,
    SCREENSHOTS,
    Desk,
    store_url,
)
from wire.storage.models import ArticleRow, ArticleVersion, ImageRow

pytestmark = pytest.mark.skipif(
    not os.path.exists(CHROMIUM), reason="Chromium is not installed (.ci/run installs it)"
)
WAIT_MS = 20_000  # bounded wait for a live update or a page


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def desk(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Desk]:
    """One store of each kind and one server over it, shared by the module's tests (pytest
    runs every test on the SQLite desk, then every test on the PostgreSQL one)."""
    root = tmp_path_factory.mktemp(f"desk-{request.param}")
    with store_url(request.param, root) as url:
        site = Desk(root, url)
        site.start()
        try:
            yield site
        finally:
            site.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def signed_in(browser: Browser, desk: Desk, token: str, **options: object) -> BrowserContext:
    context = browser.new_context(**options)  # type: ignore[arg-type]
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    page.goto(f"{desk.url}/desk", wait_until="domcontentloaded")
    expect(page).to_have_url(re.compile(r"/desk/login"))
    page.fill("#token", token)
    page.click("button[type=submit]")
    expect(page.locator("#incoming")).to_be_visible()
    page.close()
    return context


@pytest.fixture
def admin(browser: Browser, desk: Desk) -> Iterator[Page]:
    context = signed_in(browser, desk, ADMIN_TOKEN, viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


@pytest.fixture
def editor(browser: Browser, desk: Desk) -> Iterator[Page]:
    context = signed_in(browser, desk, READ_TOKEN, viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def shot(page: Page, name: str, desk: Desk) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}-{desk.kind}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def open_desk(page: Page, desk: Desk, path: str = "/desk") -> None:
    page.goto(desk.url + path, wait_until="domcontentloaded")


def article_where(desk: Desk, *conditions: object) -> ArticleRow:
    with desk.db.reader() as session:
        row = session.scalars(select(ArticleRow).where(*conditions).limit(1)).first()  # type: ignore[arg-type]
    assert row is not None
    return row


def test_sign_in_shows_the_bundled_stories_and_keys_move(browser: Browser, desk: Desk) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    open_desk(page, desk)
    expect(page).to_have_url(re.compile(r"/desk/login"))
    page.fill("#token", "not-a-token")
    page.click("button[type=submit]")
    expect(page.get_by_role("alert")).to_contain_text("not valid")
    page.fill("#token", READ_TOKEN)
    page.click("button[type=submit]")
    rows = page.locator("#incoming .row")
    expect(rows.first).to_be_visible()
    # the bundled samples: the Kremlin story (dpa and Keystone-SDA), AFP's feed, a kill
    expect(page.locator(".headline", has_text="Lukaschenko").first).to_be_visible()
    expect(page.locator(".badge.agency", has_text="afp").first).to_be_visible()
    expect(page.locator(".row .mark", has_text="KILLED").first).to_be_visible()
    expect(page.locator(".row .cluster").first).to_contain_text("in cluster")
    expect(page.locator(".row .version").first).to_have_text(re.compile(r"^v\d+$"))
    expect(page.locator("#live")).to_have_text("live")
    cookie = next(c for c in context.cookies() if c["name"] == "wire_desk")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("k")
    expect(page.locator(".row.selected")).to_have_count(1)
    first_id = rows.first.get_attribute("data-id")
    expect(page.locator(".row.selected")).to_have_attribute("data-id", first_id or "")
    page.keyboard.press("/")
    expect(page.locator("#q")).to_be_focused()
    page.keyboard.press("Escape")
    page.keyboard.press("k")  # still the first row
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/desk/story/" + re.escape(first_id or "")))
    shot(page, "sign_in", desk)
    context.close()


def test_a_drop_folder_story_appears_without_reload(admin: Page, desk: Desk) -> None:
    open_desk(admin, desk)
    expect(admin.locator("#live")).to_have_text("live")
    admin.evaluate("window.notReloaded = true")
    assert admin.locator(".headline", has_text="Zermatt").count() == 0
    desk.drop("newsml_story_v1.xml")
    row = admin.locator(".row", has_text="Heavy snowfall cuts off Swiss resort of Zermatt")
    expect(row).to_be_visible(timeout=WAIT_MS)
    expect(row.locator(".version")).to_have_text("v1")
    desk.drop("newsml_story_v2.xml")  # the same story's next version replaces its row
    row = admin.locator(".row", has_text="Snowbound Zermatt to reopen rail link")
    expect(row).to_be_visible(timeout=WAIT_MS)
    expect(row.locator(".version")).to_have_text("v2")
    expect(admin.locator(".row", has_text="Heavy snowfall cuts off")).to_have_count(0)
    assert admin.evaluate("window.notReloaded") is True
    shot(admin, "live_drop", desk)
    # the story view diffs the two versions
    row.locator("a").click()
    expect(admin.locator(".diff ins").first).to_be_visible()
    expect(admin.locator(".diff del").first).to_be_visible()
    expect(admin.locator(".version-list li")).to_have_count(2)
    shot(admin, "version_diff", desk)


def test_filters_and_search_narrow_the_list_and_live_in_the_url(editor: Page, desk: Desk) -> None:
    open_desk(editor, desk)
    everything = editor.locator("#incoming .row").count()
    editor.select_option("select[name=language]", "fr")
    editor.click(".filters button[type=submit]")
    expect(editor).to_have_url(re.compile(r"language=fr"))
    french = editor.locator("#incoming .row")
    expect(french.first).to_be_visible()
    assert 0 < french.count() < everything
    for lang in french.locator(".lang").all_inner_texts():
        assert lang == "fr"
    open_desk(editor, desk)
    editor.keyboard.press("/")
    editor.keyboard.type("Lukaschenko")
    editor.keyboard.press("Enter")
    expect(editor).to_have_url(re.compile(r"q=Lukaschenko"))
    hits = editor.locator("#incoming .row")
    expect(hits.first).to_be_visible()
    assert 0 < hits.count() < everything
    for text in hits.locator(".headline").all_inner_texts():
        assert "Lukaschenko" in text or "Putin" in text or "Kreml" in text
    # the query language: a phrase that is in no story finds nothing
    open_desk(editor, desk, '/desk?q="Lukaschenko+Zermatt+Hafen"')
    expect(editor.locator(".empty")).to_be_visible()
    # the URL alone restores a filtered view (bookmark)
    open_desk(editor, desk, "/desk?agency=afp")
    expect(editor.locator("select[name=agency]")).to_have_value("afp")
    for badges in editor.locator("#incoming .row .agencies").all_inner_texts():
        assert "afp" in badges
    shot(editor, "filters", desk)


def test_the_type_filter_lists_pictures_only(editor: Page, desk: Desk) -> None:
    open_desk(editor, desk)
    editor.select_option("select[name=type]", "picture")
    editor.click(".filters button[type=submit]")
    expect(editor).to_have_url(re.compile(r"type=picture"))
    expect(editor.locator("select[name=type]")).to_have_value("picture")
    rows = editor.locator("#incoming .row")
    expect(rows.first).to_be_visible()
    with desk.db.reader() as session:
        pictures = set(session.scalars(select(ArticleRow.id).where(ArticleRow.type == "picture")))
    shown = {rows.nth(i).get_attribute("data-id") for i in range(rows.count())}
    assert len(shown) >= 2 and shown <= pictures  # the samples' drop folder: two pictures
    shot(editor, "type_filter", desk)


def test_a_story_view_shows_its_picture_credit(editor: Page, desk: Desk) -> None:
    with desk.db.reader() as session:
        image = session.scalars(
            select(ImageRow).where(ImageRow.credit.is_not(None)).limit(1)
        ).first()
    assert image is not None and image.credit
    open_desk(editor, desk, f"/desk/story/{image.article_id}")
    expect(editor.locator("figure .credit").first).to_contain_text(image.credit)
    expect(editor.locator("h1")).not_to_be_empty()
    expect(editor.locator(".story-meta .badge.agency").first).to_be_visible()
    shot(editor, "story_picture", desk)


def sda_story(number: int, headline: str, body: str, picture: str | None = None) -> bytes:
    """A Keystone-SDA NewsML-G2 story, optionally linking a picture by its guid."""
    link = f'<link rel="irel:seeAlso" residref="{picture}"/>' if picture else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" standard="NewsML-G2" standardversion="2.33"
          guid="urn:newsml:sda.ch:20240305:sda-desk-{number:04d}" version="1" xml:lang="de">
  <itemMeta>
    <itemClass qcode="ninat:text"/>
    <provider qcode="nprov:KEYSTONE-SDA"><name>Keystone-SDA</name></provider>
    <versionCreated>2024-03-05T09:{number % 60:02d}:00+01:00</versionCreated>
    <pubStatus qcode="stat:usable"/>
    {link}
  </itemMeta>
  <contentMeta><headline>{headline}</headline></contentMeta>
  <contentSet><inlineData contenttype="text/plain">{body}</inlineData></contentSet>
</newsItem>
""".encode()


def test_a_story_view_links_its_pictures_and_a_picture_its_stories(
    editor: Page, desk: Desk
) -> None:
    zermatt = sda_story(
        78,
        "Zermatt gräbt sich aus dem Schnee",
        "Nach zwei Tagen Schneefall räumen Gemeinde und Bahn in Zermatt die Strassen und "
        "Gleise. Die Matterhorn-Gotthard-Bahn will bis Mittwochabend wieder fahren.",
        picture="urn:newsml:keystone.ch:20240305:KEY-20240305-0077",
    )
    desk.drop("sda-desk-0078.xml", zermatt)  # the story first, its picture later
    desk.drop("newsml_picture_de.xml")
    story = article_where(desk, ArticleRow.guid.endswith("sda-desk-0078"))
    open_desk(editor, desk, f"/desk/story/{story.id}")
    card = editor.locator(".media-card")
    expect(card).to_have_count(1)
    expect(card.locator(".media-type")).to_have_text("picture")
    expect(card.locator(".caption")).to_contain_text("Schneeräumung am Bahnhof von Zermatt")
    expect(card.locator(".credit")).to_have_text("Credit: KEYSTONE/Lea Muster")
    expect(card.locator(".copyright")).to_have_text("© KEYSTONE")
    expect(card.locator("img")).to_have_attribute("src", re.compile(r"/preview\.jpg$"))
    shot(editor, "story_media", desk)
    card.locator("a.media-link").click()
    expect(editor.locator("h1")).to_have_text("Schneechaos in Zermatt")
    used = editor.locator(".used-in a")
    expect(used).to_have_text("Zermatt gräbt sich aus dem Schnee")
    shot(editor, "picture_stories", desk)
    used.click()
    expect(editor).to_have_url(re.compile(r"/desk/story/" + story.id))


def test_a_killed_story_shows_its_banner(editor: Page, desk: Desk) -> None:
    killed = article_where(desk, ArticleRow.pubstatus == "canceled")  # the bundled dpa kill
    open_desk(editor, desk, f"/desk/story/{killed.id}")
    banner = editor.locator(".banner.kill")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("KILLED")
    expect(editor.locator("h1")).not_to_be_empty()
    shot(editor, "killed", desk)


def test_read_tokens_never_see_a_killed_storys_text(editor: Page, admin: Page, desk: Desk) -> None:
    """dpa's Zermatt story, v1 and v2, then killed (v3): its earlier text is withdrawn from
    the story, its versions and their diff for read tokens; an admin's audit view shows it."""
    for case in ("newsml_story_v1.xml", "newsml_story_v2.xml"):
        desk.drop(case)
    # a list of usable stories only, live: the kill takes the story's row off it, no reload
    open_desk(editor, desk, "/desk?pubstatus=usable")
    expect(editor.locator("#live")).to_have_text("live")
    usable = editor.locator(".row", has_text="Snowbound Zermatt to reopen rail link")
    expect(usable).to_have_count(1)
    editor.evaluate("window.notReloaded = true")
    desk.drop("newsml_kill_en.xml")
    expect(usable).to_have_count(0, timeout=WAIT_MS)
    assert editor.evaluate("window.notReloaded") is True
    killed = article_where(desk, ArticleRow.guid == "urn:newsml:dpa.com:20240305:240305-99-401233")
    assert killed.pubstatus == "canceled"
    with desk.db.reader() as session:
        first = session.scalars(
            select(ArticleVersion).where(
                ArticleVersion.article_id == killed.id, ArticleVersion.version == 1
            )
        ).one()
    withdrawn_text = first.record["body_text"].split("\n")[0][:50]
    assert len(withdrawn_text) > 20
    open_desk(editor, desk, f"/desk/story/{killed.id}?a=1&b=2")
    expect(editor.locator(".banner.kill")).to_be_visible()
    expect(editor.locator(".version-list li")).to_have_count(3)
    assert withdrawn_text not in editor.content()  # not in the body, not in the diff
    open_desk(editor, desk, f"/desk/story/{killed.id}?audit=1&a=1&b=2")
    assert withdrawn_text not in editor.content()  # audit is for admins only
    shot(editor, "killed_withdrawn", desk)
    open_desk(admin, desk, f"/desk/story/{killed.id}?audit=1&a=1&b=2")
    expect(admin.locator(".banner.kill")).to_be_visible()
    assert withdrawn_text in admin.content()


def test_the_ops_view_shows_a_failing_source(admin: Page, desk: Desk) -> None:
    open_desk(admin, desk, "/desk/ops")
    down = admin.locator("tr[data-source=wire-down]")
    expect(down.locator(".state")).to_have_text("failing")
    expect(down.locator(".last-error")).not_to_be_empty()
    expect(admin.locator("tr[data-source=broken-drop] .state")).to_have_text("rejecting")
    expect(admin.locator("tr[data-source=paused] .state")).to_have_text("disabled")
    expect(admin.locator("tr[data-source=sda-rss] .state")).to_have_text("ok")
    # items per hour from the stored versions: the samples were stored this hour
    bars = admin.locator("tr[data-source=sda-rss] svg.chart rect")
    assert bars.count() == 24
    assert float(bars.nth(23).get_attribute("height") or 0) > 0
    reject = admin.locator("tr.reject", has_text="broken-drop")
    expect(reject.locator(".reason")).not_to_be_empty()
    with admin.expect_download() as download:
        reject.locator("a.admin-link").click()
    assert Path(download.value.path()).read_bytes().startswith(b"<?xml")
    shot(admin, "ops", desk)


def test_a_read_only_token_sees_no_admin_part(editor: Page, desk: Desk) -> None:
    open_desk(editor, desk, "/desk/ops")
    expect(editor.locator("tr[data-source=wire-down]")).to_be_visible()
    expect(editor.locator(".admin")).to_have_count(0)
    expect(editor.locator(".admin-link")).to_have_count(0)
    expect(editor.locator("form[action='/desk/ops/replay']")).to_have_count(0)
    story = article_where(desk, ArticleRow.pubstatus == "usable")
    open_desk(editor, desk, f"/desk/story/{story.id}")
    expect(editor.locator("h1")).to_be_visible()
    expect(editor.locator(".admin-link")).to_have_count(0)
    assert editor.request.get(f"{desk.url}/desk/story/{story.id}/raw").status == 403
    shot(editor, "read_only", desk)


def test_an_admin_action_without_its_csrf_token_is_refused(admin: Page, desk: Desk) -> None:
    open_desk(admin, desk, "/desk/ops")
    raw = admin.locator(".admin-link").first  # the admin parts are there for an admin
    expect(raw).to_be_visible()
    refused = admin.request.post(f"{desk.url}/desk/ops/replay", form={"note": "no token"})
    assert refused.status == 403
    forged = admin.request.post(f"{desk.url}/desk/ops/replay", form={"csrf": "0" * 64})
    assert forged.status == 403
    admin.click("form[action='/desk/ops/replay'] button")  # the page's own form carries it
    expect(admin.locator(".notice")).to_contain_text("marked for replay")
    shot(admin, "csrf", desk)


def test_the_desk_is_usable_at_phone_width(browser: Browser, desk: Desk) -> None:
    context = signed_in(
        browser,
        desk,
        READ_TOKEN,
        viewport={"width": 375, "height": 740},
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    for path in ("/desk", "/desk/ops"):
        open_desk(page, desk, path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} scrolls sideways at 375 px ({width} px wide)"
    open_desk(page, desk)
    first = page.locator("#incoming .row").first
    box = first.locator(".headline").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375
    shot(page, "phone", desk)
    first.locator("a").tap()
    expect(page.locator("h1")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()


def test_a_dropped_live_connection_resumes_without_losing_a_story(
    browser: Browser, desk: Desk
) -> None:
    context = signed_in(browser, desk, ADMIN_TOKEN, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    open_desk(page, desk)
    expect(page.locator("#live")).to_have_text("live")
    page.evaluate("window.notReloaded = true")
    try:
        desk.stop()  # the connection drops; the page keeps its rows
        expect(page.locator("#live")).to_have_text("reconnecting…")
        desk.drop(  # stored while the desk is cut off
            "sda-desk-0091.xml",
            sda_story(
                91,
                "Lawinengefahr im Oberwallis steigt auf Stufe vier",
                "Das Institut für Schnee- und Lawinenforschung hat die Warnstufe für das "
                "Oberwallis erhöht. Touren abseits der Pisten seien lebensgefährlich.",
            ),
        )
    finally:
        desk.start()  # on the same port: the page's EventSource finds it again
    row = page.locator(".row", has_text="Lawinengefahr im Oberwallis")
    expect(row).to_be_visible(timeout=WAIT_MS)
    expect(page.locator("#live")).to_have_text("live")
    desk.drop(  # and the resumed stream goes on
        "sda-desk-0092.xml",
        sda_story(
            92,
            "Simplonpass bleibt bis Freitag gesperrt",
            "Der Kanton Wallis hält die Passstrasse wegen Schneeverwehungen geschlossen. "
            "Der Autoverlad am Lötschberg fährt im Halbstundentakt.",
        ),
    )
    expect(page.locator(".row", has_text="Simplonpass bleibt")).to_be_visible(timeout=WAIT_MS)
    assert page.evaluate("window.notReloaded") is True
    shot(page, "resumed", desk)
    context.close()
