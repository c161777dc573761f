"""One pass over configured sources (``wire run --once``): one daemon cycle, without a schedule.

Each source is polled through the same source kind and the same pipeline as in the daemon
(``wire.ingest.kinds``, ``wire.ingest.pipeline``): an HTTP source sends its stored ETag and
Last-Modified, a drop folder files what it read in ``done/`` or ``failed/``, a pull source
acknowledges after the commit, and each source's health row moves on as a daemon's poll
would move it. The pass leases the sources it polls for its length; a source whose lease a
running daemon holds is skipped (``on_skip``), so the two never poll it at once.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime

from wire.config import Config, SourceConfig
from wire.ingest.health import Outcome, apply_outcome
from wire.ingest.hooks import store_hooks
from wire.ingest.kinds import Flight, PollContext, SourceKinds, poll_source
from wire.ingest.pipeline import DirectStore, Parser, Pipeline, RunStats, ThreadParser
from wire.ingest.sidecar import Sidecar, hooked
from wire.progress import Progress, Step
from wire.storage.db import Database
from wire.storage.health import SourceHealth, ensure_sources, record_polls
from wire.storage.leases import claim_unheld, new_owner_id, release

log = logging.getLogger("wire.run")

SkipNote = Callable[[str, str], None]  # (source name, lease owner)


def _log_skip(name: str, owner: str) -> None:
    log.warning("%s: skipped, a running daemon (%s) holds its lease", name, owner)


def run_once(
    db: Database,
    config: Config,
    sources: list[SourceConfig],
    *,
    on_skip: SkipNote = _log_skip,
    progress: Progress | None = None,
    sidecar: Sidecar | None = None,
) -> dict[str, RunStats]:
    """Poll each source once, in order; a failing source never stops the others. Returns
    what each polled source did (a failed poll as one error with its message).
    ``progress`` hears of each source as it starts, and of the end. ``sidecar``: a started
    parse worker (``wire.ingest.sidecar.start_for``) to parse and sign in; the caller stops it.
    """
    return asyncio.run(_cycle(db, config, sources, on_skip, progress, sidecar))


def run_stats(outcome: Outcome) -> RunStats:
    """A poll's stats, a failed poll counted as an error with its reason."""
    stats = outcome.stats
    if outcome.error is not None and not (stats.errors or stats.rejected):
        stats.errors += 1
        stats.messages.append(outcome.error)
    return stats


async def _cycle(
    db: Database,
    config: Config,
    sources: list[SourceConfig],
    on_skip: SkipNote,
    progress: Progress | None = None,
    sidecar: Sidecar | None = None,
) -> dict[str, RunStats]:
    owner = new_owner_id()
    names = [s.name for s in sources]
    await asyncio.to_thread(ensure_sources, db, sources)
    states, held = await asyncio.to_thread(
        claim_unheld, db, owner, names, config.daemon.lease_seconds
    )
    parser: Parser = sidecar or ThreadParser()
    hooks = hooked(store_hooks(config, db), sidecar)
    pipeline = Pipeline(parser, DirectStore(db, keep_raw=config.storage.keep_raw, hooks=hooks))
    slots = asyncio.Semaphore(max(1, config.http.max_connections))
    context = PollContext(config, None, pipeline, slots)  # a fetcher at the first request
    kinds = SourceKinds(context)
    results: dict[str, RunStats] = {}
    try:
        for done, source in enumerate(sources):
            if progress:
                progress(Step(done, len(sources), source.name))
            if source.name in held:
                on_skip(source.name, held[source.name])
                continue
            state = states.get(source.name) or SourceHealth(source.name)
            started = time.monotonic()
            flight = Flight(asyncio.current_task())
            outcome = await poll_source(kinds.of(source), source, state, flight)
            duration = time.monotonic() - started
            apply_outcome(state, outcome, datetime.now(UTC), duration, config.daemon.failing_after)
            await asyncio.to_thread(record_polls, db, [state], owner)
            results[source.name] = run_stats(outcome)
        if progress:
            progress(Step(len(sources), len(sources)))
    finally:
        if context.fetcher is not None:
            await context.fetcher.aclose()
        await asyncio.to_thread(release, db, owner)
    return results
