"""Pull-and-acknowledge sources (``kind = "pull"``), in the style of the dpa-digitalwires wireQ.

The protocol wire speaks:

1. ``GET <location>`` (with the source's auth) answers a JSON batch::

       {"entries": [{"entry_id": "k3P9", "_wireq_receipt": "AQEB...", ...ninjs-like...}, ...]}

   A bare array, ``{"items": [...]}`` or ``{"data": [...]}`` are read the same way. An empty
   list or a 204 means the queue is empty. Entries are identified by ``entry_id`` (else
   ``id``, ``uri``, ``urn`` or ``guid``); a ``_wireq_receipt`` is passed back when present.
2. The whole batch goes through the pipeline in ONE database transaction (ninjs adapter,
   normalisation, dedup, store; unreadable entries become rejects with their bytes).
3. Only after that commit, the batch is acknowledged at ``ack_url``:

   - ``ack_url`` with a ``{receipt}`` or ``{entry_id}`` placeholder: one ``DELETE`` per entry
     with the placeholder filled in (wireQ: ``DELETE .../entry/{receipt}``); 404 and 410
     count as already acknowledged;
   - any other ``ack_url``: one ``POST`` with ``{"entry_ids": [...], "receipts": [...]}``
     (receipts in entry order, ``null`` where an entry had none); any 2xx is success.

4. A non-empty batch is followed at once by the next GET, draining the queue (at most
   ``MAX_BATCHES`` per poll, and never after the daemon was asked to stop).
5. Long-poll (``long_poll = 20`` on the source): every GET asks the server to hold the
   request up to that many seconds until entries arrive (``?wait=20``, the parameter named
   by ``long_poll_param``); the timeouts grow by as much, and the daemon asks again as soon
   as the answer came (:attr:`PullResult.again`), so an entry published while a request is
   held arrives at once. A server that answers an empty queue at once (it ignores the
   parameter) is polled at the source's interval as before, never in a tight loop.

The guarantee is at-least-once: a daemon that dies between the GET and the commit, or between
the commit and the acknowledgement, leaves the entries on the server, which delivers them
again; the second store finds the same content (``store_article``'s unchanged path), so a
repeat never becomes a duplicate. Nothing is acknowledged that is not committed.
"""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from wire.config import SourceConfig
from wire.errors import FetchError
from wire.ingest.pipeline import RunStats

if TYPE_CHECKING:  # the HTTP stack loads with the fetcher, only where a source needs it
    from wire.ingest.fetch import Fetcher

MAX_BATCHES = 50  # batches drained in one poll before the scheduler's next turn
HELD = 1.0  # seconds an empty long-poll answer must have been held to count as held
_ID_KEYS = ("entry_id", "id", "uri", "urn", "guid")
_WRAPPERS = ("entries", "items", "data")

# (payload bytes, location, filename) -> what the pipeline stored, committed.
Store = Callable[[bytes, str, str | None], Awaitable[RunStats]]


@dataclass(frozen=True)
class Batch:
    """The entries of one pulled batch, as far as acknowledging them needs."""

    entry_ids: list[str | None]
    receipts: list[str | None]

    def __len__(self) -> int:
        return len(self.entry_ids)


@dataclass
class PullResult:
    stats: RunStats = field(default_factory=RunStats)
    batches: int = 0
    acked: int = 0
    fetch_seconds: float = 0.0
    error: str | None = None  # set when an acknowledgement failed (the data is committed)
    again: bool = False  # long-poll: ask again at once (the server holds requests)


def long_poll_url(location: str, param: str, seconds: float) -> str:
    """``location`` with the long-poll parameter set (replacing one already there)."""
    parts = urlsplit(location)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != param]
    query.append((param, f"{seconds:g}"))
    return urlunsplit(parts._replace(query=urlencode(query)))


def read_batch(body: bytes) -> Batch:
    """Entry ids and receipts of a batch; raises ValueError when it is not a JSON batch."""
    if not body.strip():
        return Batch([], [])
    try:
        # Numbers are kept as their text: only ids matter here, and int() refuses a literal of
        # over 4,300 digits (the entry itself is the adapter's to reject).
        doc = json.loads(body.decode("utf-8-sig"), parse_int=str)
    except RecursionError:
        raise ValueError("the JSON nests deeper than wire reads") from None
    entries: Any
    if isinstance(doc, list):
        entries = doc
    elif isinstance(doc, dict):
        entries = next((doc[k] for k in _WRAPPERS if isinstance(doc.get(k), list)), None)
        if entries is None:
            entries = [doc] if any(k in doc for k in _ID_KEYS) else []
    else:
        raise ValueError(f"a batch must be a JSON object or array, not {type(doc).__name__}")
    ids: list[str | None] = []
    receipts: list[str | None] = []
    for entry in entries:
        entry = entry if isinstance(entry, dict) else {}
        ident = next((entry[k] for k in _ID_KEYS if isinstance(entry.get(k), str | int)), None)
        receipt = entry.get("_wireq_receipt")
        ids.append(None if ident is None else str(ident))
        receipts.append(receipt if isinstance(receipt, str) else None)
    return Batch(ids, receipts)


async def acknowledge(fetcher: Fetcher, source: SourceConfig, batch: Batch) -> int:
    """Tell the server the batch is stored; returns the entries acknowledged."""
    ack_url = source.ack_url
    if not ack_url or not len(batch):
        return 0
    if "{receipt}" in ack_url or "{entry_id}" in ack_url:
        done = 0
        for entry_id, receipt in zip(batch.entry_ids, batch.receipts, strict=True):
            key = receipt if "{receipt}" in ack_url else entry_id
            if key is None:
                continue  # nothing to name this entry by; the server will deliver it again
            url = ack_url.replace("{receipt}", quote(key, safe="")).replace(
                "{entry_id}", quote(key, safe="")
            )
            await fetcher.send(source, "DELETE", url)
            done += 1
        return done
    await fetcher.send(
        source,
        "POST",
        ack_url,
        json_body={"entry_ids": batch.entry_ids, "receipts": batch.receipts},
    )
    return len(batch)


async def pull(
    fetcher: Fetcher,
    source: SourceConfig,
    location: str,
    store: Store,
    *,
    stopping: Callable[[], bool] = lambda: False,
    max_batches: int = MAX_BATCHES,
) -> PullResult:
    """Drain a pull source: GET a batch, store it, acknowledge it, repeat while non-empty.

    A failed GET raises ``FetchError`` (nothing was stored); a failed acknowledgement is
    reported in ``PullResult.error`` after the data is safely committed.
    """
    result = PullResult()
    hold = source.long_poll or 0.0
    url = long_poll_url(location, source.long_poll_param, hold) if hold else location
    while result.batches < max_batches and not stopping():
        started = time.monotonic()
        got = await fetcher.get(source, url, hold=hold)
        took = time.monotonic() - started
        result.fetch_seconds += took
        if got.status == 204 or not got.body.strip():
            result.again = bool(hold) and (result.batches > 0 or took >= min(HELD, hold / 2))
            break
        try:
            batch = read_batch(got.body)
        except (ValueError, UnicodeDecodeError) as exc:
            # Not a batch: store it as a reject (the bytes are kept) and say so.
            result.stats.add(await store(got.body, location, None))
            raise FetchError(f"{location}: the pull answer is not a JSON batch ({exc})") from None
        if not len(batch):
            result.again = bool(hold) and (result.batches > 0 or took >= min(HELD, hold / 2))
            break
        stats = await store(got.body, location, None)  # committed when this returns
        result.stats.add(stats)
        result.batches += 1
        result.again = bool(hold)  # the queue may hold more; the next GET waits if not
        try:
            result.acked += await acknowledge(fetcher, source, batch)
        except FetchError as exc:
            result.error = f"acknowledgement failed, the server will deliver again: {exc}"
            break
    return result
