"""One pass over configured sources (``wire run --once``), recording each source's health."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from wire.config import Config, SourceConfig
from wire.ingest.hooks import store_hooks
from wire.ingest.pipeline import RunStats, run_source_once
from wire.progress import Progress, Step
from wire.storage.db import Database
from wire.storage.health import record_attempt


def run_once(
    db: Database,
    config: Config,
    sources: list[SourceConfig],
    progress: Progress | None = None,
) -> dict[str, RunStats]:
    """Run each source once, in order; a failing source never stops the others.

    ``progress`` hears of each source as it starts, and of the end.
    """
    hooks = store_hooks(config, db)
    results: dict[str, RunStats] = {}
    for done, source in enumerate(sources):
        if progress:
            progress(Step(done, len(sources), source.name))
        started = time.monotonic()
        try:
            stats = run_source_once(db, config, source, hooks)
        except Exception as exc:  # a bug or a database outage: report it, go on
            stats = RunStats(errors=1, messages=[f"{type(exc).__name__}: {exc}"])
        error = "; ".join(dict.fromkeys(stats.messages)) if stats.errors else None
        record_attempt(
            db,
            source,
            ok=not stats.errors,
            error=error,
            items=stats.items,
            duration=time.monotonic() - started,
            now=datetime.now(UTC),
            failing_after=config.daemon.failing_after,
        )
        results[source.name] = stats
    if progress:
        progress(Step(len(sources), len(sources)))
    return results
