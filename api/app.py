"""The newsroom HTTP API: search, articles with history, clusters, sources, the change feed.

``create_app(config)`` builds the FastAPI application; ``wire serve`` runs it under uvicorn.
Reads go through :mod:`wire.storage.reads` and :mod:`wire.storage.changes`, the same layer as
the CLI. Every route refuses query parameters it does not know (a misspelt filter would
otherwise widen the result without a word). ``/docs`` is served from bundled assets.
Article payloads are rendered by :mod:`wire.api.formats` (ninjs 2.x, Atom 1.0 or the canonical
record); every JSON response is an object, article payloads sit under ``item``/``items``.
"""

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from difflib import get_close_matches
from typing import Annotated, Any, Literal
from urllib.parse import unquote_plus, urlsplit, urlunsplit

from fastapi import Depends, FastAPI, HTTPException, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field, StringConstraints
from sqlalchemy import event
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from wire.api import formats
from wire.api.auth import ANONYMOUS, Principal, TokenStore
from wire.api.desk.routes import install_desk
from wire.api.docs import install_docs
from wire.api.jsonbody import NinjsJSONResponse
from wire.config import Config
from wire.errors import ConfigError, QueryError
from wire.ingest.matching import describe
from wire.record import iso, parse_iso
from wire.storage import changes as change_feed
from wire.storage.clusters import (
    CorrectionError,
    explain_cluster,
    list_clusters,
    merge_clusters,
    split_member,
)
from wire.storage.db import Database
from wire.storage.embargo import has_due, release_due_changes
from wire.storage.filters import ArticleQuery
from wire.storage.health import list_sources, source_status
from wire.storage.models import SourceRow
from wire.storage.reads import (
    article_dict,
    find_records,
    get_article,
    get_cluster,
    get_version,
    refresh_planner_stats,
)
from wire.storage.search.language import QuerySyntaxError
from wire.storage.updates import add_updates
from wire.storage.visibility import AUDITOR, READER, Viewer, notice_of, withdrawn

log = logging.getLogger("wire.api")
POLL_INTERVAL = 0.25  # seconds between cheap checks of a /changes long-poll
STATS_INTERVAL = 600.0  # seconds between checks whether SQLite needs fresh planner statistics
SQLITE_CACHE_KIB = 65536  # page cache per SQLite connection of the API
SQLITE_MMAP_BYTES = 2**31  # memory-mapped reads (SQLite caps this at its compiled maximum)
MAX_LIST_VALUES = 50  # values per list filter (agency=a,b,...)
MAX_LIST_PARAM_CHARS = 1000  # characters of one list parameter (agency=a,b,... counts as one)
MAX_DB_INT = 2**31 - 1  # ids and versions are 32-bit integers on PostgreSQL
PUBSTATUS_HELP = "usable (the default), withheld, canceled, or all."
API_VERSION = "1"

bearer = HTTPBearer(auto_error=False, description="An API token: Authorization: Bearer <token>")


class ApiError(Exception):
    """A client mistake: HTTP status and one sentence."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _query_names(dependant: Any) -> set[str]:
    names = {p.alias for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


def _parameters_of(route: APIRoute) -> frozenset[str]:
    """The query parameters a route declares (its dependencies' included), read once."""
    known = getattr(route, "wire_query_names", None)
    if known is None:
        known = frozenset(_query_names(route.dependant))
        route.wire_query_names = known  # type: ignore[attr-defined]
    return known


def reject_unknown_parameters(request: Request) -> None:
    """A query parameter the route does not take is a 400 that names it (``lang=de`` would
    otherwise be ignored and the client would get unfiltered results)."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute) or not route.include_in_schema:
        return  # the desk's pages read their own URL state (wire.api.desk.filters)
    known = _parameters_of(route)
    for name in request.query_params:
        if name not in known:
            close = get_close_matches(name, known, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            takes = ", ".join(sorted(known)) or "none"
            raise ApiError(
                400, f"unknown query parameter {name!r}{hint} (this endpoint takes: {takes})"
            )


def _error(status: int, message: str, **extra: Any) -> JSONResponse:
    headers = {"WWW-Authenticate": 'Bearer realm="wire"'} if status == 401 else None
    return JSONResponse({"error": message, "status": status, **extra}, status, headers=headers)


# One value of a repeatable filter (agency=a,b,... is one value before splitting).
ListParam = Annotated[str, StringConstraints(max_length=MAX_LIST_PARAM_CHARS)]


def _split(values: list[str] | None, name: str) -> tuple[str, ...]:
    """Repeated and comma-separated values (``agency=dpa&agency=afp`` or ``agency=dpa,afp``)."""
    out: list[str] = []
    for value in values or []:
        out += [v.strip() for v in value.split(",") if v.strip()]
    if len(out) > MAX_LIST_VALUES:
        raise ApiError(400, f"{name}: at most {MAX_LIST_VALUES} values")
    return tuple(dict.fromkeys(out))


def _when(value: str | None, name: str) -> datetime | None:
    """An ISO 8601 date or date-time; naive times are UTC."""
    if value is None or not value.strip():
        return None
    try:
        # a "+" of an offset arrives as a space when the client did not escape it
        return parse_iso(value.replace(" ", "+")).astimezone(UTC)
    except (ValueError, OverflowError):
        raise ApiError(
            400, f"{name}: {value[:60]!r} is not an ISO 8601 date or time (2024-10-08T06:00:00Z)"
        ) from None


class SplitBody(BaseModel):
    article: str = Field(min_length=1, max_length=64, description="The member to split out.")
    editor: str | None = Field(default=None, max_length=100)


class MergeBody(BaseModel):
    cluster: str = Field(min_length=1, max_length=64, description="The cluster that moves.")
    into: str = Field(min_length=1, max_length=64, description="The cluster it joins.")
    editor: str | None = Field(default=None, max_length=100)


def _cluster_cursor(after: str | None) -> tuple[datetime, str] | None:
    """A /clusters page cursor: "<updated_at ISO>|<cluster id>"."""
    if not after:
        return None
    when, _, cluster_id = after.partition("|")
    at = _when(when, "after")
    if at is None or not cluster_id:
        raise ApiError(400, "after must be the 'next' of a previous /clusters page")
    return at, cluster_id


def _public_location(location: str) -> str:
    """A source location without credentials or query string (they may carry secrets)."""
    if "://" not in location:
        return location
    parts = urlsplit(location)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def _source_dict(f: SourceRow) -> dict[str, Any]:
    return {
        "name": f.name,
        "status": source_status(f),
        "location": _public_location(f.location),
        "format": f.format,
        "kind": f.kind,
        "last_attempt": iso(f.last_attempt),
        "last_success": iso(f.last_success),
        "last_error": f.last_error,
        "last_reject": f.last_reject,
        "consecutive_failures": f.consecutive_failures,
        "failing": f.failing,
        "next_poll": iso(f.next_poll),
        "items_last_seen": f.items_last_seen,
        "last_duration": f.last_duration,
    }


def create_app(
    config: Config, db: Database | None = None, *, environ: Mapping[str, str] | None = None
) -> FastAPI:
    """The API over ``db`` (default: the configured store), authenticated per ``[api]``."""
    api = config.api
    tokens = TokenStore.from_config(api, environ)
    if api.auth and not len(tokens):
        raise ConfigError(
            "[api].auth is on but no token is configured: add [[api.tokens]] or [[api.token_envs]]"
            " (see `wire token hash`), or set [api].auth = false for local use"
        )
    if api.default_limit < 1 or api.max_limit < api.default_limit:
        raise ConfigError("[api] needs 1 <= default_limit <= max_limit")
    if api.max_url_bytes < 1024:
        raise ConfigError("[api].max_url_bytes must be at least 1024")
    store = db or Database(config.storage.url)
    if store.dialect == "sqlite":
        event.listen(store.engine, "connect", _reader_pragmas)
        store.engine.dispose()  # pooled connections reopen with them
    _refresh_stats(store)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        async def keep_stats_fresh() -> None:
            while True:
                await asyncio.sleep(STATS_INTERVAL)
                await run_in_threadpool(_refresh_stats, store)

        task = asyncio.create_task(keep_stats_fresh())
        try:
            yield
        finally:
            task.cancel()

    app = FastAPI(
        title="wire newsroom API",
        version=API_VERSION,
        description="Search and read wire-agency articles; follow the change feed.",
        openapi_url="/openapi.json",
        docs_url=None,  # served from bundled assets below (no CDN)
        redoc_url=None,
        lifespan=lifespan,
        dependencies=[Depends(reject_unknown_parameters)],
    )
    install_docs(app)
    app.state.db = store
    app.state.config = config
    if api.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(api.cors_origins),
            allow_methods=["GET"],
            allow_headers=["Authorization", "Accept"],
            expose_headers=["Link"],
        )
    app.add_middleware(RejectNul)
    app.add_middleware(LimitRequestTarget, max_bytes=api.max_url_bytes)
    _install_error_handlers(app)

    def require(scope: str) -> Callable[..., Principal]:
        def check(
            creds: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
        ) -> Principal:
            if not api.auth:
                return ANONYMOUS
            if creds is None or not creds.credentials:
                raise ApiError(401, "a bearer token is required (Authorization: Bearer <token>)")
            principal = tokens.check(creds.credentials)
            if principal is None:
                raise ApiError(401, "the bearer token is not valid")
            if not principal.allows(scope):
                raise ApiError(403, f"the token {principal.name!r} lacks the {scope!r} scope")
            return principal

        return check

    def values(description: str) -> Any:
        """A repeatable, comma-separable filter, bounded in count and length."""
        return Query(max_length=MAX_LIST_VALUES, description=description)

    When = Annotated[str | None, Query(max_length=40, description="ISO 8601 date or time.")]
    Reader = Annotated[Principal, Depends(require("read"))]
    Audit = Annotated[
        bool,
        Query(
            description="Admin tokens only: include stories under embargo and killed text "
            "(for audit)."
        ),
    ]

    def viewer_of(principal: Principal, audit: bool) -> Viewer:
        """Who reads: embargo and kills apply unless an admin token asks for ``audit``."""
        if not audit:
            return READER
        if not principal.allows("admin"):
            raise ApiError(403, f"audit=true needs the 'admin' scope; {principal.name!r} lacks it")
        return AUDITOR

    Admin = Annotated[Principal, Depends(require("admin"))]
    Limit = Annotated[
        int, Query(ge=1, le=api.max_limit, description=f"Page size, 1 to {api.max_limit}.")
    ]
    Format = Annotated[
        str | None,
        Query(
            alias="format",
            max_length=20,
            description="ninjs (default), atom or wire; otherwise the Accept header decides.",
        ),
    ]

    def fmt_of(request: Request, fmt: str | None) -> str:
        try:
            return formats.negotiate(fmt, request.headers.get("accept"))
        except ValueError as exc:
            raise ApiError(400, str(exc)) from None

    def article_read(
        request: Request, principal: Principal, article_id: str, fmt: str | None, audit: bool
    ) -> tuple[str, str, Viewer]:
        """One article's read: answer format, id (a ninjs/Atom uri taken apart), who reads."""
        out = fmt_of(request, fmt)
        return out, formats.article_id_of(article_id), viewer_of(principal, audit)

    def atom_response(body: bytes, status: int = 200) -> Response:
        return Response(
            body,
            status,
            media_type=f"{formats.ATOM_TYPE}; charset=utf-8",
            headers={"Vary": "Accept"},
        )

    def json_response(
        body: dict[str, Any],
        next_url: str | None = None,
        status: int = 200,
        *,
        floatless: bool = False,
    ) -> JSONResponse:
        """``floatless``: the body holds no float (ninjs), so the fast encoder may write it."""
        headers = {"Vary": "Accept"}
        if next_url:
            headers["Link"] = f'<{next_url}>; rel="next"'
        response = NinjsJSONResponse if floatless else JSONResponse
        return response(body, status, headers=headers)

    @app.get("/healthz", tags=["service"], summary="Liveness and database check (no token)")
    def healthz() -> JSONResponse:
        try:
            store.ping()
        except Exception as exc:  # the store is down: say so, do not crash
            return _error(503, f"database unavailable: {type(exc).__name__}")
        return JSONResponse({"status": "ok"})

    @app.get("/articles", tags=["articles"], summary="Search and filter articles (keyset pages)")
    def list_articles(
        request: Request,
        principal: Reader,
        q: Annotated[
            str | None,
            Query(
                max_length=500,
                description='Words (all must match), "phrases", prefix*, OR, NOT or -word,'
                " (parentheses). See the README's Query language.",
            ),
        ] = None,
        agency: Annotated[
            list[ListParam] | None, values("Agency codes or names, any case (any).")
        ] = None,
        source: Annotated[
            list[ListParam] | None, values("Originating agency, code or name.")
        ] = None,
        language: Annotated[list[ListParam] | None, values("Language codes, any case.")] = None,
        subject: Annotated[
            list[ListParam] | None, values("Subject code or name, any case.")
        ] = None,
        pubstatus: Annotated[list[ListParam] | None, values(PUBSTATUS_HELP)] = None,
        type: Annotated[
            list[ListParam] | None,
            values("Item type: text, picture or graphic (also video, audio, composite)."),
        ] = None,
        urgency: Annotated[
            int | None,
            Query(
                ge=1,
                le=9,
                description="This urgency or more pressing: 1 flash only, 2 urgent too, ... 9"
                " (IPTC urgency, 1 most urgent).",
            ),
        ] = None,
        cluster: Annotated[str | None, Query(max_length=64)] = None,
        has_images: bool | None = None,
        since: When = None,
        until: When = None,
        sort: Literal["relevance", "newest"] | None = None,
        limit: Limit = api.default_limit,
        cursor: Annotated[
            str | None, Query(max_length=1000, description="The 'next' of the previous page.")
        ] = None,
        fmt: Format = None,
        audit: Audit = False,
    ) -> Response:
        out = fmt_of(request, fmt)
        viewer = viewer_of(principal, audit)
        query = ArticleQuery(
            q=q,
            agency=_split(agency, "agency"),
            source=_split(source, "source"),
            language=_split(language, "language"),
            subject=_split(subject, "subject"),
            type=_split(type, "type"),
            pubstatus=_split(pubstatus, "pubstatus"),
            urgency=urgency,
            cluster=cluster or None,
            has_images=has_images,
            since=_when(since, "since"),
            until=_when(until, "until"),
            sort=sort,
        )
        with store.reader() as session:
            records, next_cursor = find_records(
                session, query, limit=limit, cursor=cursor or None, viewer=viewer
            )
            add_updates(session, records)  # the story each lead/update updates
        next_url = (
            str(request.url.include_query_params(cursor=next_cursor)) if next_cursor else None
        )
        if out == "atom":
            return atom_response(
                formats.atom_feed(
                    title="wire: articles" + (f" matching {query.q!r}" if query.q else ""),
                    feed_id=f"urn:wire:articles:{query.fingerprint()}",
                    self_url=str(request.url),
                    records=[(r, None) for r in records],
                    next_url=next_url,
                )
            )
        items = [formats.render_item(r, out) for r in records]
        return json_response(
            {"items": items, "count": len(items), "next": next_cursor},
            next_url,
            floatless=out == "ninjs",
        )

    ArticleId = Annotated[
        str,
        Path(
            min_length=1,
            max_length=100,
            description="An article id, or the ninjs/Atom uri (urn:wire:article:<id>).",
        ),
    ]

    @app.get("/articles/{article_id}", tags=["articles"], summary="One article with its history")
    def show_article(
        request: Request,
        principal: Reader,
        article_id: ArticleId,
        fmt: Format = None,
        audit: Audit = False,
    ) -> Response:
        out, article_id, viewer = article_read(request, principal, article_id, fmt, audit)
        with store.reader() as session:
            data = get_article(session, article_id, viewer)
        if data is None:
            raise ApiError(404, f"no article with id {article_id!r}")
        extras = {
            k: data.pop(k) for k in ("versions", "cluster", "media", "linked_by", "updated_by")
        }
        # A kill answers 410 Gone with its tombstone (headline, kill note, time; the killed
        # text too for audit=true), so a client that checks the status cannot take it for a
        # story to publish.
        status = _status_of(data)
        if out == "atom":
            return atom_response(formats.atom_entry(data), status)
        body = {
            "item": formats.render_item(data, out),
            "versions": extras["versions"],
            "sightings": data["sightings"],
            "cluster": extras["cluster"],
            "media": extras["media"],  # the stored pictures/graphics a story links to
            "linked_by": extras["linked_by"],  # the stored stories linking to this item
            "updated_by": extras["updated_by"],  # later leads/updates of this story
        }
        return json_response(_with_notice(body, data["pubstatus"]), status=status)

    @app.get(
        "/articles/{article_id}/versions/{version}",
        tags=["articles"],
        summary="One stored version of an article",
    )
    def show_version(
        request: Request,
        principal: Reader,
        article_id: ArticleId,
        version: Annotated[int, Path(ge=1, le=MAX_DB_INT)],
        fmt: Format = None,
        audit: Audit = False,
    ) -> Response:
        out, article_id, viewer = article_read(request, principal, article_id, fmt, audit)
        with store.reader() as session:
            record = get_version(session, article_id, version, viewer)
        if record is None:
            raise ApiError(404, f"article {article_id!r} has no version {version}")
        status = _status_of(record)  # every version of a kill is its tombstone: 410 too
        if out == "atom":
            return atom_response(formats.atom_entry(record), status)
        body = {
            "item": formats.render_item(record, out),
            "article_id": article_id,
            "version": version,
        }
        return json_response(_with_notice(body, record["pubstatus"]), status=status)

    @app.get("/clusters", tags=["articles"], summary="Story clusters, newest first (keyset pages)")
    def clusters_list(
        request: Request,
        _: Reader,
        since: Annotated[
            str | None, Query(max_length=40, description="Changed since (ISO).")
        ] = None,
        agency: Annotated[
            str | None, Query(max_length=40, description="With a member from it.")
        ] = None,
        language: Annotated[str | None, Query(max_length=16)] = None,
        size: Annotated[int, Query(ge=0, le=100000, description="At least this many members.")] = 2,
        after: Annotated[
            str | None, Query(max_length=120, description="The previous page's 'next'.")
        ] = None,
        limit: Limit = api.default_limit,
    ) -> JSONResponse:
        cursor = _cluster_cursor(after)
        with store.reader() as session:
            found = list_clusters(
                session,
                since=_when(since, "since"),
                agency=agency,
                language=language,
                min_size=size,
                after=cursor,
                limit=limit,
            )
        items = [c.to_dict() for c in found]
        following = None
        if len(found) == limit:
            following = f"{iso(found[-1].updated_at)}|{found[-1].id}"
        next_url = str(request.url.include_query_params(after=following)) if following else None
        return json_response({"items": items, "count": len(items), "next": following}, next_url)

    @app.post(
        "/admin/clusters/split", tags=["admin"], summary="Split an article out of its cluster"
    )
    def clusters_split(who: Admin, body: SplitBody) -> JSONResponse:
        try:
            with store.session() as session:
                left = split_member(session, body.article, editor=body.editor or who.name)
        except CorrectionError as e:
            raise ApiError(404, str(e)) from None
        return JSONResponse({"article": body.article, "left": left})

    @app.post("/admin/clusters/merge", tags=["admin"], summary="Merge one cluster into another")
    def clusters_merge(who: Admin, body: MergeBody) -> JSONResponse:
        try:
            with store.session() as session:
                size = merge_clusters(
                    session, body.cluster, body.into, editor=body.editor or who.name
                )
        except CorrectionError as e:
            raise ApiError(404, str(e)) from None
        return JSONResponse({"cluster": body.into, "merged": body.cluster, "size": size})

    @app.get("/clusters/{cluster_id}", tags=["articles"], summary="A story cluster and its members")
    def show_cluster(
        request: Request,
        principal: Reader,
        cluster_id: Annotated[str, Path(min_length=1, max_length=64)],
        pubstatus: Annotated[list[ListParam] | None, values(PUBSTATUS_HELP)] = None,
        fmt: Format = None,
        audit: Audit = False,
        explain: Annotated[bool, Query(description="Say why each member joined.")] = False,
    ) -> Response:
        out = fmt_of(request, fmt)
        viewer = viewer_of(principal, audit)
        with store.reader() as session:
            data = get_cluster(
                session, cluster_id, pubstatus=_split(pubstatus, "pubstatus"), viewer=viewer
            )
            if data is None:
                raise ApiError(404, f"no cluster with id {cluster_id!r}")
            records = [withdrawn(article_dict(row), viewer) for row in data.pop("rows")]
            if explain:
                summary = explain_cluster(session, cluster_id, viewer)
                reasons = {m["id"]: m["reason"] for m in (summary.members if summary else [])}
                for m in data["members"]:
                    m["reason"] = reasons.get(m["id"])
                    m["why"] = describe(m["reason"])
                data["corrections"] = summary.corrections if summary else []
        if out == "atom":
            return atom_response(
                formats.atom_feed(
                    title=f"wire: cluster {cluster_id}",
                    feed_id=f"urn:wire:cluster:{cluster_id}",
                    self_url=str(request.url),
                    records=[(r, None) for r in records],
                )
            )
        return json_response({**data, "items": [formats.render_item(r, out) for r in records]})

    @app.get("/sources", tags=["service"], summary="Configured sources and their health")
    def sources(_: Reader) -> JSONResponse:
        items = [_source_dict(f) for f in list_sources(store)]
        return JSONResponse({"items": items, "count": len(items)})

    @app.get("/changes", tags=["changes"], summary="The publisher change feed (long-poll)")
    async def changes(
        request: Request,
        principal: Reader,
        after: Annotated[
            str,
            Query(max_length=20, description="Last seq handled (the previous page's 'next'); 0."),
        ] = "0",
        limit: Limit = api.default_limit,
        wait: Annotated[
            float,
            Query(ge=0, le=3600, description=f"Seconds to hold for a change (max {api.max_wait})."),
        ] = 0,
        fmt: Format = None,
        audit: Audit = False,
    ) -> Response:
        out = fmt_of(request, fmt)
        viewer = viewer_of(principal, audit)
        if not after.isdigit() or len(after) > 18:
            raise ApiError(
                400, "after must be a change sequence number: 0, or the 'next' of a previous page"
            )
        after_seq = int(after)
        deadline = time.monotonic() + min(wait, api.max_wait)

        def read() -> tuple[list[change_feed.ChangeEntry], int]:
            _release(store)  # embargoes that ended join the feed first, once
            with store.reader() as session:
                entries = change_feed.read_changes(session, after_seq, limit + 1, viewer)
                return entries, change_feed.latest_seq(session)

        def probe() -> bool:
            with store.reader() as session:
                return change_feed.has_changes_after(session, after_seq) or has_due(session)

        entries, latest = await run_in_threadpool(read)
        if after_seq > latest:
            raise ApiError(
                400, f"unknown cursor: after={after_seq} is beyond the newest change ({latest})"
            )
        while not entries and time.monotonic() < deadline:
            await asyncio.sleep(min(POLL_INTERVAL, max(0.0, deadline - time.monotonic())))
            if await request.is_disconnected():
                return Response(status_code=204)
            if await run_in_threadpool(probe):
                entries, latest = await run_in_threadpool(read)
        more = len(entries) > limit
        entries = entries[:limit]
        next_seq = entries[-1].seq if entries else after_seq
        next_url = str(request.url.include_query_params(after=next_seq))
        if out == "atom":
            return atom_response(
                formats.atom_feed(
                    title="wire: changes",
                    feed_id="urn:wire:changes",
                    self_url=str(request.url),
                    records=[(e.record or _stub(e), e.to_dict()) for e in entries],
                    next_url=next_url,
                )
            )
        items = [e.to_dict(formats.render_item(e.record, out)) for e in entries]
        return json_response(
            {"items": items, "count": len(items), "next": next_seq, "latest": latest, "more": more},
            next_url if more else None,
        )

    @app.get("/admin/publishers", tags=["admin"], summary="Publisher cursors and their lag")
    def publishers(_: Admin) -> JSONResponse:
        with store.reader() as session:
            return JSONResponse(
                {
                    "latest": change_feed.latest_seq(session),
                    "items": change_feed.list_cursors(session),
                }
            )

    @app.get("/admin/dead-letters", tags=["admin"], summary="Changes a webhook could not deliver")
    def dead_letters(
        _: Admin,
        after_id: Annotated[int, Query(ge=0, le=MAX_DB_INT, description="Last id seen.")] = 0,
        limit: Limit = api.default_limit,
    ) -> JSONResponse:
        with store.reader() as session:
            items = change_feed.list_dead_letters(session, after_id, limit)
        return JSONResponse({"items": items, "count": len(items)})

    LetterId = Annotated[int | None, Query(ge=1, le=MAX_DB_INT)]

    @app.post(
        "/admin/dead-letters/replay",
        tags=["admin"],
        summary="Ask the running publisher to send dead letters again",
        status_code=202,
    )
    def replay_dead_letters(
        _: Admin,
        letter_id: Annotated[
            list[Annotated[int, Field(ge=1, le=MAX_DB_INT)]] | None,
            Query(alias="id", max_length=MAX_LIST_VALUES, description="Letter ids (repeatable)."),
        ] = None,
        from_id: LetterId = None,
        to_id: LetterId = None,
        since: When = None,
        until: When = None,
        target: Annotated[str | None, Query(max_length=500, description="One publisher.")] = None,
    ) -> JSONResponse:
        """Marks the selected letters (all not yet redelivered when none is given); the running
        ``wire publish`` sends them at its next poll, oldest change first per target."""
        selection = change_feed.DeadLetterSelection(
            ids=tuple(letter_id or ()),
            from_id=from_id,
            to_id=to_id,
            since=_when(since, "since"),
            until=_when(until, "until"),
            target=target,
        )
        with store.session() as session:
            requested = change_feed.request_replay(session, selection)
        return JSONResponse({"requested": requested}, 202)

    install_desk(app, config, store, tokens, release=_release)
    return app


def _reader_pragmas(dbapi_conn: Any, _record: Any) -> None:
    """A bigger page cache and memory-mapped reads for the API's SQLite connections.

    Searches map thousands of index matches to ``article_keys`` rows; with SQLite's default
    2 MB cache each lookup is a system call, with these it is a memory read (about 2x faster
    on filtered searches at a million articles). The map shares the OS page cache, so it
    costs address space, not memory.
    """
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    cur.execute(f"PRAGMA mmap_size = {SQLITE_MMAP_BYTES}")
    cur.close()


def _refresh_stats(store: Database) -> None:
    """SQLite planner statistics for the filters (see wire.storage.reads); never fatal."""
    try:
        with store.session() as session:
            if refresh_planner_stats(session):
                log.info("gathered SQLite planner statistics")
    except Exception as exc:  # a read-only or busy store still serves, with worse plans
        log.warning("could not gather SQLite planner statistics: %s", exc)


def _release(store: Database) -> None:
    """Append the changes whose embargo ended; a store the API cannot write still serves."""
    try:
        release_due_changes(store)
    except Exception as exc:  # the daemon or a publisher releases them instead
        log.warning("could not release embargoed changes: %s", exc)


def _with_notice(body: dict[str, Any], pubstatus: str) -> dict[str, Any]:
    """An article view that says, first, why it must not be published (kills, withheld)."""
    notice = notice_of(pubstatus)
    return {"notice": notice, "pubstatus": pubstatus, **body} if notice else body


def _status_of(record: Mapping[str, Any]) -> int:
    """410 Gone for a killed story's record (its tombstone), else 200."""
    return 410 if record.get("pubstatus") == "canceled" else 200


def _stub(entry: change_feed.ChangeEntry) -> dict[str, Any]:
    """A minimal record for a change whose version row is missing (should not happen)."""
    return {
        "id": entry.article_id,
        "version": entry.version,
        "pubstatus": entry.pubstatus,
        "headline": "",
        "versioncreated": iso(entry.at),
    }


class LimitRequestTarget:
    """ASGI middleware: a path and query longer than ``max_bytes`` is a 414, before routing.

    ``wire serve`` lets h11 buffer request heads far longer than this (see wire.api.server),
    so an over-long URL is answered here instead of the connection being dropped.
    """

    def __init__(self, app: Any, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            path = scope.get("raw_path") or scope.get("path", "").encode()
            if len(path) + len(scope.get("query_string", b"")) > self.max_bytes:
                response = _error(414, f"the URL is longer than {self.max_bytes} bytes")
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


class RejectNul:
    """ASGI middleware: a NUL in the path or query is a clear 400, never a driver error.

    PostgreSQL cannot store or compare text containing NUL; psycopg would raise deep inside
    a query. Checked before routing, so every endpoint is covered.
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            query = unquote_plus(scope.get("query_string", b"").decode("latin-1"))
            if "\x00" in scope.get("path", "") or "\x00" in query:
                response = _error(400, "the request contains a NUL character")
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _install_error_handlers(app: FastAPI) -> None:
    """Every error is JSON ``{"error": sentence, "status": code}``; never a traceback."""

    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> JSONResponse:
        return _error(exc.status, exc.message)

    @app.exception_handler(QuerySyntaxError)
    async def query_syntax_error(_: Request, exc: QuerySyntaxError) -> JSONResponse:
        return _error(400, f"q: {exc}")

    @app.exception_handler(QueryError)
    async def query_error(_: Request, exc: QueryError) -> JSONResponse:
        return _error(400, str(exc))

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = []
        for err in exc.errors():
            loc = [str(p) for p in err.get("loc", ()) if p not in ("query", "path", "header")]
            problems.append(f"{'.'.join(loc) or 'request'}: {err.get('msg', 'invalid')}")
        return _error(422, "; ".join(problems) or "invalid request")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _error(exc.status_code, str(exc.detail))

    @app.exception_handler(HTTPException)
    async def fastapi_http_error(_: Request, exc: HTTPException) -> JSONResponse:
        return _error(exc.status_code, str(exc.detail))
