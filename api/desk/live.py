"""The incoming list's live updates: server-sent events read from the change feed.

Every event carries the change feed's sequence number as its SSE ``id``. The browser's
EventSource sends the last one back as ``Last-Event-ID`` when it reconnects (and the desk's
script passes it as ``after`` when it has to open a new EventSource), so a dropped
connection resumes right after the last change the page had: no flash is missed, and a
story seen twice only replaces its own row.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import StreamingResponse

BATCH = 200  # changes read per round trip (their stories are matched by id, in SQL)
POLL_INTERVAL = 0.5  # seconds between cheap reads of the feed while idle
HEARTBEAT = 15.0  # seconds between comments that keep proxies from closing an idle stream
RETRY_MS = 1000  # how soon the browser reconnects after a drop


@dataclass(frozen=True)
class Batch:
    """What to send, in change order, and the last change read: (seq, article id, row HTML)
    for a changed story the filters admit, (seq, article id, None) for one they no longer
    admit (killed while only usable ones are shown, or purged): its row leaves the list."""

    rows: list[tuple[int, str, str | None]]
    last_seq: int


def resume_from(request: Request) -> int | None:
    """Where a stream starts: after Last-Event-ID, else after ``after``, else now (None)."""
    for raw in (request.headers.get("last-event-id"), request.query_params.get("after")):
        value = (raw or "").strip()
        if value.isdigit() and len(value) <= 18:
            return int(value)
    return None


def event(name: str, seq: int, data: object) -> str:
    return f"id: {seq}\nevent: {name}\ndata: {json.dumps(data)}\n\n"


def stream(request: Request, after: int, read: Callable[[int], Batch]) -> StreamingResponse:
    """An endless event stream of the rows changed after ``after``."""

    async def events() -> AsyncIterator[str]:
        cursor = after
        yield f"retry: {RETRY_MS}\nid: {cursor}\nevent: ready\ndata: {cursor}\n\n"
        quiet_since = time.monotonic()
        while not await request.is_disconnected():
            batch = await run_in_threadpool(read, cursor)
            if batch.last_seq > cursor:
                for seq, article_id, html in batch.rows:
                    if html is None:
                        yield event("gone", seq, {"id": article_id, "seq": seq})
                    else:
                        yield event("row", seq, {"id": article_id, "seq": seq, "html": html})
                cursor = batch.last_seq
                yield event("seq", cursor, cursor)
                quiet_since = time.monotonic()
                continue
            if time.monotonic() - quiet_since > HEARTBEAT:
                yield ": still here\n\n"
                quiet_since = time.monotonic()
            await asyncio.sleep(POLL_INTERVAL)

    return StreamingResponse(
        events(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
