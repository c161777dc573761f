"""The daemon's rights job: releases an embargo on time with no reader, purges on schedule."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from tests.api.factory import make_article, put
from wire.config import Config, DaemonConfig, RetentionConfig
from wire.ingest import rights_jobs
from wire.record import compute_content_hash
from wire.storage.db import Database
from wire.storage.models import ArticleRow, Change, HeldChange, PurgedArticle


async def test_rights_loop_releases_and_purges(db: Database) -> None:
    old = put(db, make_article(1)).article_id  # stored in 2024: past 30 days
    held = make_article(2, ingested_at=datetime.now(UTC))
    held.embargoed = datetime.now(UTC) + timedelta(hours=1)
    held.content_hash = compute_content_hash(held)
    held_id = put(db, held).article_id
    config = Config(
        retention=RetentionConfig(days=30, interval=0.1),
        daemon=DaemonConfig(embargo_check=0.05),
    )
    task = asyncio.create_task(rights_jobs.rights_loop(db, config, asyncio.to_thread))

    def kinds() -> list[tuple[str, str]]:
        with db.reader() as s:
            return [(c.article_id, c.kind) for c in s.scalars(select(Change).order_by(Change.seq))]

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and (old, "purge") not in kinds():
        await asyncio.sleep(0.05)
    with db.session() as s:  # an hour later: the stored times are moved, not the clock
        s.execute(update(ArticleRow).values(embargoed=datetime.now(UTC)))
        s.execute(update(HeldChange).values(visible_at=datetime.now(UTC)))
    while time.monotonic() < deadline and (held_id, "new") not in kinds():
        await asyncio.sleep(0.05)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    assert kinds() == [(old, "new"), (old, "purge"), (held_id, "new")]
    with db.reader() as s:
        assert s.scalars(select(PurgedArticle.id)).all() == [old]
