"""The desk's pages: sign-in, the incoming list, a story, the ops view, and admin actions.

Server-rendered (Jinja2) over the same storage reads as the API (:mod:`wire.storage.reads`,
:mod:`wire.storage.changes`, :mod:`wire.storage.desk`); the live list is
:mod:`wire.api.desk.live`. None of these routes is in the OpenAPI document: they answer
browsers (HTML, a session cookie), not API clients.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool

from wire.api.auth import Principal, TokenStore
from wire.api.desk import live
from wire.api.desk.filters import URGENCY_CHOICES, DeskFilters
from wire.api.desk.session import CSRF_FIELD, DeskAuth
from wire.api.desk.views import (
    Row,
    diff_records,
    hourly_chart,
    media_card,
    paragraphs,
    row_of,
)
from wire.config import Config
from wire.errors import QueryError
from wire.record import ITEM_TYPES, PUBSTATUSES
from wire.storage import changes as feed
from wire.storage import desk as desk_store
from wire.storage.db import Database
from wire.storage.health import list_sources
from wire.storage.reads import (
    article_dict,
    find_records,
    get_article,
    get_cluster,
    get_version,
)
from wire.storage.visibility import AUDITOR, READER, Viewer, withdrawn

HERE = Path(__file__).parent
PAGE_SIZE = 50  # rows on the incoming list
MAX_FORM_BYTES = 8192
REJECTS_SHOWN = 30


def templates() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        urgency_choices=URGENCY_CHOICES, pubstatuses=PUBSTATUSES, item_types=ITEM_TYPES
    )
    return env


def rows_for(store: Database, records: list[dict[str, Any]]) -> list[Row]:
    """Rows for records, with their clusters' sizes."""
    with store.reader() as session:
        sizes = desk_store.cluster_sizes(session, [r.get("cluster_id") or "" for r in records])
    return [row_of(r, sizes.get(r.get("cluster_id") or "", 1)) for r in records]


def changed_rows(
    store: Database,
    filters: DeskFilters,
    after: int,
    render: Callable[[list[Row]], list[tuple[str, str]]],
) -> live.Batch:
    """The live list's next batch: the stories changed after ``after``, each matched against
    the filters by id in the store (so the answer is the same however many stories it holds),
    in the order they last changed; a changed story the filters no longer admit is sent as
    gone (its row leaves the page)."""
    with store.reader() as session:
        changes = desk_store.changed_since(session, after, live.BATCH)
        if not changes:
            return live.Batch([], after)
        last_seq = {article_id: seq for seq, article_id in changes}
        ids = tuple(last_seq)
        records, _ = find_records(
            session, filters.query(newest=True, ids=ids), limit=len(ids), viewer=READER
        )
    html = dict(render(rows_for(store, records)))
    ordered = sorted(last_seq.items(), key=lambda item: item[1])
    return live.Batch([(seq, i, html.get(i)) for i, seq in ordered], changes[-1][0])


def viewer_of(principal: Principal, request: Request) -> Viewer:
    """Who reads: the storage rights rule for everyone; an admin may ask for ``audit=1``
    (embargoed stories and killed text), as on the API."""
    if request.query_params.get("audit") == "1" and "admin" in principal.scopes:
        return AUDITOR
    return READER


def install_desk(
    app: FastAPI,
    config: Config,
    store: Database,
    tokens: TokenStore,
    release: Callable[[Database], None],
) -> None:
    """Mount ``/desk`` (pages, live events, static assets) on the API application.

    ``release`` appends the changes whose embargo ended (the API's own), so the live list
    sees a story the moment its embargo lifts, as ``/changes`` does.
    """
    auth = DeskAuth(tokens, required=config.api.auth)
    env = templates()
    router = APIRouter(prefix="/desk", include_in_schema=False)

    def page(
        request: Request,
        name: str,
        principal: Principal | None,
        status: int = 200,
        **context: Any,
    ) -> HTMLResponse:
        html = env.get_template(name).render(
            request=request,
            principal=principal,
            is_admin=bool(principal and "admin" in principal.scopes),
            signed_in=config.api.auth and principal is not None,
            csrf=auth.csrf_token(request),
            csrf_field=CSRF_FIELD,
            **context,
        )
        return HTMLResponse(
            html,
            status,
            headers={
                "Cache-Control": "no-store",
                "Content-Security-Policy": "default-src 'self'; img-src * data:; "
                "style-src 'self'; script-src 'self'; frame-ancestors 'none'",
                "X-Content-Type-Options": "nosniff",
                "Referrer-Policy": "same-origin",
            },
        )

    def to_login(request: Request) -> RedirectResponse:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/desk/login?next={quote(target, safe='')}", 303)

    def forbidden(request: Request, principal: Principal, what: str) -> HTMLResponse:
        return page(request, "error.html", principal, 403, title="Not allowed", message=what)

    def who(request: Request, admin_only: str | None = None) -> Principal | Response:
        """The signed-in principal, or the answer for who is not: to the login form, or a 403
        naming what is for admins (``admin_only``)."""
        principal = auth.principal(request)
        if principal is None:
            return to_login(request)
        if admin_only and "admin" not in principal.scopes:
            return forbidden(request, principal, admin_only)
        return principal

    async def form_of(request: Request) -> dict[str, str]:
        body = (await request.body())[:MAX_FORM_BYTES].decode("utf-8", "replace")
        return {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}

    @router.get("/login")
    def login_form(request: Request, next: str = "/desk") -> Response:
        if not config.api.auth:
            return RedirectResponse("/desk", 303)
        return page(request, "login.html", None, next=_local(next), error=None)

    @router.post("/login")
    async def login(request: Request) -> Response:
        form = await form_of(request)
        target = _local(form.get("next", "/desk"))
        principal = auth.login(form.get("token", ""))
        if principal is None:
            return page(
                request, "login.html", None, 401, next=target, error="That token is not valid."
            )
        response = RedirectResponse(target, 303)
        auth.set_cookie(response, form["token"], secure=request.url.scheme == "https")
        return response

    @router.post("/logout")
    async def logout(request: Request) -> Response:
        form = await form_of(request)
        if not auth.csrf_ok(request, form.get(CSRF_FIELD)):
            return HTMLResponse("The form has expired: reload the page and try again.", 403)
        response = RedirectResponse("/desk/login", 303)
        auth.clear_cookie(response)
        return response

    @router.get("")
    def incoming(request: Request) -> Response:
        principal = who(request)
        if isinstance(principal, Response):
            return principal
        filters = DeskFilters.from_params(request.query_params)
        cursor = request.query_params.get("cursor") or None
        error = None
        records: list[dict[str, Any]] = []
        next_cursor = None
        with store.reader() as session:
            latest = feed.latest_seq(session)
            values = desk_store.filter_values(session)
            try:
                records, next_cursor = find_records(
                    session, filters.query(), limit=PAGE_SIZE, cursor=cursor, viewer=READER
                )
            except (QueryError, ValueError) as exc:
                error = str(exc)
        rows = rows_for(store, records)
        return page(
            request,
            "incoming.html",
            principal,
            rows=rows,
            filters=filters,
            values=values,
            latest=latest,
            error=error,
            older=filters.url(cursor=next_cursor) if next_cursor else None,
            events_url=filters.url("/desk/events", after=str(latest)),
        )

    @router.get("/events")
    async def events(request: Request) -> Response:
        principal = auth.principal(request)
        if principal is None:
            return Response("sign in first", 401)
        filters = DeskFilters.from_params(request.query_params)

        def render(rows: list[Row]) -> list[tuple[str, str]]:
            template = env.get_template("_row.html")
            return [(r.id, template.render(row=r)) for r in rows]

        def read(after: int) -> live.Batch:
            release(store)  # embargoes that ended join the feed first, once
            return changed_rows(store, filters, after, render)

        def latest() -> int:
            with store.reader() as session:
                return feed.latest_seq(session)

        start = live.resume_from(request)
        if start is None:
            start = await run_in_threadpool(latest)
        return live.stream(request, start, read)

    @router.get("/story/{article_id}")
    def story(request: Request, article_id: str) -> Response:
        principal = who(request)
        if isinstance(principal, Response):
            return principal
        viewer = viewer_of(principal, request)
        with store.reader() as session:
            data = get_article(session, article_id[:64], viewer)
            if data is None:
                return page(
                    request,
                    "error.html",
                    principal,
                    404,
                    title="No such story",
                    message=f"There is no story with id {article_id[:64]!r}.",
                )
            numbers = [v["version"] for v in data["versions"]]
            old_n, new_n = _pair(request, numbers)
            diff = None
            if old_n and new_n and old_n != new_n:
                old = get_version(session, article_id, old_n, viewer)
                new = get_version(session, article_id, new_n, viewer)
                if old is not None and new is not None:
                    diff = diff_records(old, new)
            media, used_in = [], []
            if data.get("pubstatus") != "canceled" or viewer.audit:  # a tombstone: no pictures
                linked = [m["id"] for m in data.get("media") or []]
                media = [media_card(r) for r in desk_store.visible_records(session, linked, viewer)]
            users = [s["id"] for s in data.get("linked_by") or []]
            used_in = [row_of(r) for r in desk_store.visible_records(session, users, viewer)]
            others: list[dict[str, Any]] = []
            if data.get("cluster_id"):
                cluster = get_cluster(session, data["cluster_id"], viewer=viewer)
                if cluster is not None:
                    others = [
                        withdrawn(article_dict(row), viewer)
                        for row in cluster["rows"]
                        if row.id != article_id
                    ]
        return page(
            request,
            "story.html",
            principal,
            item=data,
            body=paragraphs(data.get("body_text")),
            versions=data["versions"],
            old_n=old_n,
            new_n=new_n,
            diff=diff,
            audit=viewer.audit,
            media=media,
            used_in=used_in,
            others=[{**o, "paragraphs": paragraphs(o.get("body_text"))[:3]} for o in others],
        )

    def raw_download(
        request: Request,
        admin_only: str,
        load: Callable[[Any], tuple[str, bytes] | None],
        missing: str,
        message: str = "",
    ) -> Response:
        """Stored bytes as a download for admins, or a 404 page saying what is missing."""
        principal = who(request, admin_only)
        if isinstance(principal, Response):
            return principal
        with store.reader() as session:
            raw = load(session)
        if raw is None:
            return page(request, "error.html", principal, 404, title=missing, message=message)
        return _download(*raw)

    @router.get("/story/{article_id}/raw")
    def story_raw(request: Request, article_id: str) -> Response:
        def load(session: Any) -> tuple[str, bytes] | None:
            data = get_article(session, article_id[:64], AUDITOR)
            return desk_store.raw_payload_for(session, data["feed"], data["guid"]) if data else None

        return raw_download(
            request,
            "The raw payload is for admin tokens.",
            load,
            "No raw payload",
            "No stored payload carries this story (keep_raw may be off).",
        )

    @router.get("/ops")
    def ops(request: Request) -> Response:
        principal = who(request)
        if isinstance(principal, Response):
            return principal
        now = datetime.now(UTC)
        feeds = {f.name: f for f in list_sources(store)}
        with store.reader() as session:
            hourly = desk_store.hourly_counts(session, now)
            rejecting = desk_store.rejects_since(session, now - timedelta(days=1))
            rejects = desk_store.recent_rejects(session, REJECTS_SHOWN)
            letters = feed.list_dead_letters(session, 0, 50)
        configured = {s.name: s for s in config.sources}
        sources = []
        for name in sorted(set(configured) | set(feeds)):
            row, source = feeds.get(name), configured.get(name)
            sources.append(
                {
                    "name": name,
                    "state": _state(source, row, rejecting.get(name, 0)),
                    "location": row.location if row else (source.location if source else ""),
                    "last_poll": _time(row.last_attempt if row else None),
                    "last_error": row.last_error if row else None,
                    "next_poll": _time(row.next_poll if row else None),
                    "failures": row.consecutive_failures if row else 0,
                    "rejects": rejecting.get(name, 0),
                    "chart": hourly_chart(hourly.get(name, [0] * 24)),
                }
            )
        pending = [d for d in letters if not d.get("redelivered_at")]
        return page(
            request,
            "ops.html",
            principal,
            sources=sources,
            rejects=rejects,
            pending_letters=len(pending),
            notice=request.query_params.get("notice", "")[:200],
        )

    @router.get("/rejects/{reject_id}/raw")
    def reject_raw(request: Request, reject_id: int) -> Response:
        return raw_download(
            request,
            "Reject payloads are for admin tokens.",
            lambda session: desk_store.reject_payload(session, reject_id),
            "No such reject",
        )

    @router.post("/ops/replay")
    async def replay(request: Request) -> Response:
        principal = who(request, "Replaying dead letters is for admin tokens.")
        if isinstance(principal, Response):
            return principal
        form = await form_of(request)
        if not auth.csrf_ok(request, form.get(CSRF_FIELD)):
            return page(
                request,
                "error.html",
                principal,
                403,
                title="Refused",
                message="The form's security token is missing or stale: reload the page.",
            )

        def request_all() -> int:
            with store.session() as session:
                return feed.request_replay(session, feed.DeadLetterSelection())

        requested = await run_in_threadpool(request_all)
        notice = f"{requested} dead letters marked for replay by the running wire publish."
        return RedirectResponse(f"/desk/ops?notice={quote(notice)}", 303)

    app.include_router(router)
    app.mount("/desk/static", StaticFiles(directory=HERE / "static"), name="desk-static")


def _local(target: str) -> str:
    """Only paths on the desk are followed after sign-in (no open redirect)."""
    return target if target.startswith("/desk") and "//" not in target else "/desk"


def _pair(request: Request, numbers: list[int]) -> tuple[int | None, int | None]:
    """The two versions to compare: ``a`` and ``b`` from the URL, else the last two."""

    def pick(name: str, default: int | None) -> int | None:
        raw = request.query_params.get(name, "")
        return int(raw) if raw.isdigit() and int(raw) in numbers else default

    ordered = sorted(numbers)
    return (
        pick("a", ordered[-2] if len(ordered) > 1 else None),
        pick("b", ordered[-1] if ordered else None),
    )


def _state(source: Any, row: Any, rejects: int) -> str:
    """ok, failing, rejecting, disabled or never polled."""
    if source is not None and not source.enabled:
        return "disabled"
    if row is not None and (row.failing or row.consecutive_failures):
        return "failing"
    if rejects:
        return "rejecting"
    if row is None or row.last_attempt is None:
        return "never polled"
    return "ok"


def _time(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if value else "—"


def _download(name: str, payload: bytes) -> Response:
    safe = "".join(c for c in name if c.isalnum() or c in "._-") or "payload"
    return Response(
        payload,
        media_type="application/octet-stream",
        headers={
            "Content-Disposition": f'attachment; filename="{safe}"',
            "X-Content-Type-Options": "nosniff",
        },
    )
