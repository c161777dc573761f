"""Hostile HTTP servers beside good sources: each hostile source fails (its own fault, in its
own health) while the good sources keep being stored, and the daemon stops cleanly."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.faults.hostile import BEHAVIOURS, Hostile
from tests.ingest.servers import ConditionalFeed, TestServer
from tests.ingest.test_daemon import config, eventually, items, running
from wire.config import SourceConfig
from wire.storage.db import Database
from wire.storage.models import ArticleRow


def guids(db: Database) -> set[str]:
    with db.reader() as s:
        return set(s.scalars(select(ArticleRow.guid)))


@pytest.mark.slow
async def test_hostile_servers_never_stop_the_good_sources(db: Database) -> None:
    hostile = Hostile()
    feeds = {f"good-{i}": ConditionalFeed(items(i * 100)) for i in range(3)}
    try:
        with TestServer() as server:
            sources = [SourceConfig(name=n, location=server.url(f"/{n}")) for n in feeds]
            for name, feed in feeds.items():
                server.route(f"/{name}", feed)
            sources += [SourceConfig(name=n, location=u) for n, u in hostile.urls.items()]
            async with running(db, config(*sources, failing_after=3)) as daemon:
                for round_ in range(1, 4):  # the good feeds change three times
                    for i, feed in enumerate(feeds.values()):
                        feed.set(items(*(i * 100 + k for k in range(round_ + 1))))
                    wanted = {f"urn:t:{i * 100 + k}" for i in range(3) for k in range(round_ + 1)}

                    def arrived(w: set[str] = wanted) -> bool:
                        return w <= guids(db)

                    await eventually(arrived, 60, f"round {round_}")
                await eventually(
                    lambda: all(daemon.states[n].last_error for n in BEHAVIOURS), 60, "failures"
                )
                for name in BEHAVIOURS:
                    assert daemon.states[name].last_success is None, name
                for name in feeds:
                    state = daemon.states[name]
                    assert not state.failing and state.last_error is None, name
                # The day-long pause asked for is kept: the next poll is hours away.
                limited = daemon.states["retry-after-a-day"]
                assert limited.next_poll is not None and limited.last_attempt is not None
                assert (limited.next_poll - limited.last_attempt).total_seconds() > 3600
    finally:
        hostile.close()
    assert all(g.startswith("urn:t:") for g in guids(db))  # nothing of the hostile ones stored
