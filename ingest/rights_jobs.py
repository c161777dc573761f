"""The daemon's rights jobs: release embargoes that ended, purge what retention removes.

Readers release embargoes themselves (the API's ``/changes``, the publishers), so this is
only so a release reaches the change feed on time when nobody is reading; the purge runs
every ``[retention].interval`` seconds. Several daemons may run both: each is safe to repeat
(see :mod:`wire.storage.embargo`, :mod:`wire.storage.retention`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from wire.config import Config
from wire.storage.db import Database
from wire.storage.embargo import release_due_changes
from wire.storage.retention import PurgeReport, RetentionRules, purge_in_batches

log = logging.getLogger("wire.rights")

Run = Callable[..., Awaitable[Any]]  # runs a blocking function off the event loop


def purge_now(db: Database, rules: RetentionRules, batch_size: int) -> PurgeReport:
    return purge_in_batches(db, rules, batch_size=batch_size)


async def rights_loop(db: Database, config: Config, run: Run) -> None:
    """Forever: release due embargoes every ``[daemon].embargo_check`` seconds, purge every
    retention interval."""
    rules = RetentionRules.from_config(config)
    interval = config.retention.interval
    check = config.daemon.embargo_check
    next_purge = time.monotonic() + check
    while True:
        await asyncio.sleep(check)
        try:
            released = await run(release_due_changes, db)
            if released:
                log.info("embargoes released", extra={"changes": len(released)})
        except Exception as exc:
            log.error("could not release embargoed changes", extra={"error": str(exc)})
        if not rules.active or interval <= 0 or time.monotonic() < next_purge:
            continue
        next_purge = time.monotonic() + interval
        try:
            report = await run(purge_now, db, rules, config.retention.batch_size)
            log.info(
                "retention purge",
                extra={"articles": len(report.articles), "raw_items": report.raw_items,
                       "rejects": report.rejects, "killed_texts": len(report.killed_texts)},
            )  # fmt: skip
        except Exception as exc:
            log.error("retention purge failed", extra={"error": str(exc)})
