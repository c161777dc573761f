"""Source health: what one poll did (:class:`Outcome`), how it moves a source's health row
(:func:`apply_outcome`), and the daemon's batched writer of those rows (:class:`HealthWriter`).

The rule both ``wire run --once`` and the daemon keep: a poll without an error resets the
failure count; ``[daemon].failing_after`` consecutive failures mark a source failing, and
its first success clears the mark.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from wire.ingest.freshness import backlog_rate, learn_rate
from wire.ingest.pipeline import RunStats
from wire.ingest.websub import Hub
from wire.storage.db import Database
from wire.storage.health import SourceHealth, record_polls

log = logging.getLogger("wire.daemon")

HEALTH_FLUSH_SECONDS = 1.0  # the daemon writes health rows in batches this often
# "store_failed": the source was read but the database could not take its payload; it is
# the store's fault, so it leaves the source's health alone (the payload is fetched again).
RESULTS = ("fetched", "not_modified", "same_body", "empty", "failed", "store_failed")


@dataclass
class Outcome:
    """What one poll did, for health, metrics and the log line."""

    result: str  # one of RESULTS
    stats: RunStats = field(default_factory=RunStats)
    error: str | None = None
    items: int | None = None  # items seen; None keeps the previous count (304, empty)
    attempts: int = 0
    retry_after: float | None = None  # the server asked for a pause this long
    recheck_after: float | None = None  # drop folder: files settling; long-poll: at once
    fetch_seconds: float | None = None  # time spent fetching, retries included
    acked: int = 0  # pull sources: entries acknowledged after the commit
    hint: float | None = None  # seconds the source says it stays unchanged; None: as before
    hub: Hub | None = None  # the WebSub hub the feed advertises (wire.ingest.websub)


def payload_error(stats: RunStats) -> str | None:
    """A poll is failed when something failed (storing, reading a file); rejected items are
    the data's fault, not a failure: they make the source ``rejecting`` (:func:`reject_reason`)."""
    if stats.errors:
        return "; ".join(dict.fromkeys(stats.messages)) or "store failed"
    return None


def reject_reason(stats: RunStats) -> str | None:
    """Why a poll's payloads had rejects (the last reasons, at most three), or None."""
    if not stats.rejected:
        return None
    return "; ".join(list(dict.fromkeys(stats.messages))[-3:]) or "rejected"


def apply_outcome(
    state: SourceHealth, outcome: Outcome, now: datetime, duration: float, failing_after: int
) -> bool:
    """Move ``state`` on by one poll; returns True when the source became failing or
    recovered (its poll interval changes)."""
    if outcome.result == "store_failed":
        return False  # not the source's fault: its health and schedule stay as they were
    state.last_attempt, state.last_duration = now, duration
    if outcome.result == "fetched" and outcome.error is None:
        state.last_reject = reject_reason(outcome.stats)  # cleared by a payload without rejects
        if state.last_reject is not None:
            rejected = outcome.stats.rejected
            log.warning("payload rejected", extra={"source": state.name, "rejected": rejected,
                                                   "reason": state.last_reject})  # fmt: skip
    if outcome.error is None:
        state.last_success, state.last_error = now, None
        state.consecutive_failures = 0
        if outcome.items is not None:
            state.items_last_seen = outcome.items
        if state.failing:
            state.failing = False
            log.warning("source recovered", extra={"source": state.name})
            return True
        return False
    state.consecutive_failures += 1
    state.last_error = outcome.error[:2000]
    if not state.failing and state.consecutive_failures >= failing_after:
        state.failing = True
        log.warning(
            "source failing",
            extra={"source": state.name, "failures": state.consecutive_failures,
                   "error": outcome.error},
        )  # fmt: skip
        return True
    return False


LATENCY_WEIGHT = 0.2  # weight of a poll's mean latency in the source's running average


def learn(
    state: SourceHealth, outcome: Outcome, now: datetime, window: float, start: float
) -> None:
    """What a poll teaches the adaptive schedule, before ``apply_outcome`` moves
    ``last_success``: the rate of new items since the last successful poll (on a source's
    first, the rate its backlog was published at, if it tells; ``start`` items per second
    before any), the source's hint, the running latency. A failed poll teaches nothing."""
    if outcome.error is not None:
        return
    if outcome.hint is not None or outcome.result != "not_modified":
        state.source_hint = outcome.hint  # a 304 without freshness headers keeps the last
    if state.last_success is None:
        if state.item_rate is None:
            state.item_rate = backlog_rate(outcome.stats.latencies)
        return
    elapsed = (now - state.last_success).total_seconds()
    state.item_rate = learn_rate(state.item_rate, outcome.stats.new, elapsed, window, start)
    latencies = outcome.stats.latencies
    if latencies:
        mean = sum(latencies) / len(latencies)
        previous = state.latency
        state.latency = mean if previous is None else previous + LATENCY_WEIGHT * (mean - previous)


def log_poll(kind: str, state: SourceHealth, outcome: Outcome, duration: float) -> None:
    """The one log line of a finished poll."""
    fields: dict[str, Any] = {
        "source": state.name,
        "kind": kind,
        "result": outcome.result,
        "duration": duration,
    }
    if outcome.attempts > 1:
        fields["attempts"] = outcome.attempts
    for key in ("new", "updated", "unchanged", "rejected"):
        if getattr(outcome.stats, key):
            fields[key] = getattr(outcome.stats, key)
    if outcome.error:
        fields["error"] = outcome.error
        fields["failures"] = state.consecutive_failures
    fields["next_poll"] = state.next_poll
    log.log(logging.WARNING if outcome.error else logging.INFO, "poll", extra=fields)


Control = Callable[..., Awaitable[Any]]


class HealthWriter:
    """Health rows changed since the last flush, written in one transaction per flush
    (``record_polls``: only the rows this daemon still leases). ``control`` runs a blocking
    call off the event loop (the daemon's control thread)."""

    def __init__(self, db: Database, owner: str | None, control: Control) -> None:
        self.db, self.owner, self.control = db, owner, control
        self.dirty: dict[str, SourceHealth] = {}

    def changed(self, state: SourceHealth) -> None:
        self.dirty[state.name] = replace(state)  # a copy: the poll goes on changing its own

    def forget(self, name: str) -> None:
        self.dirty.pop(name, None)

    async def flush(self) -> None:
        """Write the rows changed since the last flush. Rows whose write did not happen (it
        failed, or the flush was cancelled: at stop, or a stop's flush timing out while its
        write still waited for the control thread) stay for the next flush unless a newer
        state came meanwhile, so a poll's validators (ETag, item memory) are never dropped
        on the way; writing a row twice is harmless."""
        if not self.dirty:
            return
        batch, self.dirty = list(self.dirty.values()), {}
        try:
            await self.control(record_polls, self.db, batch, self.owner)
        except BaseException as exc:
            for state in batch:  # keep them for the next flush unless a newer one exists
                self.dirty.setdefault(state.name, state)
            if not isinstance(exc, Exception):
                raise  # cancelled: the stop's own flush writes them
            log.error(
                "could not write source health", extra={"error": str(exc), "rows": len(batch)}
            )

    async def run(self) -> None:
        """Flush every ``HEALTH_FLUSH_SECONDS`` until cancelled."""
        while True:
            await asyncio.sleep(HEALTH_FLUSH_SECONDS)
            await self.flush()
