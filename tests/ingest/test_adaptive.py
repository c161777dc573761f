"""The adaptive schedule in a running daemon, on loopback: busy sources are polled more often,
quiet ones less, hints are honoured, the learned rate survives a restart, latency is measured."""

from __future__ import annotations

import threading
from email.utils import formatdate
from pathlib import Path

import pytest

from tests.ingest.servers import ConditionalFeed, Reply, Request, TestServer, rss
from tests.ingest.test_daemon import config, eventually, feed_row, metric, running
from wire.config import Config, SourceConfig
from wire.ingest.freshness import BUDGET_MARGIN, MIN_BUDGET_SHARE
from wire.ingest.ops_cli import source_rows
from wire.storage.db import Database

ADAPTIVE = {"adaptive": True, "interval": 1.0, "min_interval": 0.2, "max_interval": 4.0,
            "rate_window": 2.0}  # fmt: skip
# Three new stories a poll: under the intensity law, spending the budget of both sources at
# 1 s while the quiet one goes to the maximum, the busy wire settles well below the 1 s start.
FAST = 0.75
HEADLINES = ["Bundesrat beschliesst", "Le Conseil fédéral décide", "Il Consiglio federale decide",
             "Federal Council decides"]  # fmt: skip


class BusyWire:
    """A wire that has three new stories each time it is asked (dated now), the newest 30 kept;
    ``headers`` go on every answer."""

    def __init__(self, headers: dict[str, str] | None = None) -> None:
        self.lock = threading.Lock()
        self.items: list[str] = []
        self.n = 0
        self.headers = headers or {}

    def __call__(self, req: Request) -> Reply:
        with self.lock:
            for _ in range(3):
                self.n += 1
                title = f"{HEADLINES[self.n % 4]} ({self.n})"
                self.items.append(
                    f"<item><title>{title}</title><guid>urn:busy:{self.n}</guid>"
                    f"<pubDate>{formatdate(usegmt=True)}</pubDate>"
                    f"<description>{title}: Meldung Nummer {self.n}.</description></item>"
                )
            body = (
                '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
                "<title>Busy</title><link>https://example.org/</link><description>d</description>"
                + "".join(reversed(self.items[-30:]))
                + "</channel></rss>"
            ).encode()
        return Reply(200, body, {"Content-Type": "application/rss+xml", **self.headers})


def quiet_feed() -> ConditionalFeed:
    return ConditionalFeed(rss([("urn:quiet:1", "Wetter", "Es bleibt trocken.")]))


def busy_and_quiet(server: TestServer) -> Config:
    """An adaptive daemon's config of two sources on ``server``: a busy wire and a quiet
    feed."""
    server.route("/busy", BusyWire())
    server.route("/quiet", quiet_feed())
    busy = SourceConfig(name="busy", location=server.url("/busy"), source="sda")
    quiet = SourceConfig(name="quiet", location=server.url("/quiet"), source="sda")
    return config(busy, quiet, **ADAPTIVE)


async def test_busy_source_speeds_up_quiet_one_slows_down_within_bounds(db: Database) -> None:
    with TestServer() as server:
        async with running(db, busy_and_quiet(server)) as d:
            await eventually(
                lambda: (
                    (d.states["busy"].poll_interval or 1.0) < FAST
                    and (d.states["quiet"].poll_interval or 1.0) > 2.0
                ),
                timeout=20,
                what="intervals to move apart",
            )
            assert 0.2 <= d.states["busy"].poll_interval <= 4.0  # type: ignore[operator]
            assert 0.2 <= d.states["quiet"].poll_interval <= 4.0  # type: ignore[operator]
            busy_job, quiet_job = d.scheduler.get_job("busy"), d.scheduler.get_job("quiet")
            assert busy_job.trigger.interval.total_seconds() < FAST
            assert quiet_job.trigger.interval.total_seconds() > 2.0
            # publish-to-commit latency of the busy wire's stories, in the metric and the row
            await eventually(
                lambda: metric(d, "wire_item_latency_seconds_count", source="busy") > 0,
                what="latency observed",
            )
            await eventually(lambda: feed_row(db, "busy").latency is not None, what="latency row")
            await eventually(  # from here on the busy wire is asked more often
                lambda: len(server.hits("/busy")) > len(server.hits("/quiet")) + 2,
                timeout=20,
                what="more polls of the busy wire",
            )
    assert metric(d, "wire_item_latency_seconds_count", source="quiet") == 0  # nothing new


async def test_the_account_counts_every_poll_from_the_first(db: Database) -> None:
    """The law's budget is kept by the requests the daemon has made: each poll of a held
    source is counted (the first from the moment it is taken), and the budget stays between
    the floor share of the fixed rate and that rate plus a round's requests over a round."""
    with TestServer() as server:
        async with running(db, busy_and_quiet(server)) as d:
            await eventually(lambda: d.spent.get("busy", 0) >= 4, timeout=20, what="polls")
            for name in ("busy", "quiet"):  # a poll may be under way: asked, not yet counted
                asked = len(server.hits(f"/{name}"))
                assert d.spent[name] <= asked <= d.spent[name] + 1
            held = d._held()
            assert d._budget(held) > 0
            rate = BUDGET_MARGIN * 2 / 1.0  # two sources at 1 s (no jitter in these tests)
            assert MIN_BUDGET_SHARE * rate <= d._budget(held) <= 2 * rate
            d.spent["busy"] += 1000  # far over the account: the law keeps its least share
            assert d._budget(held) == pytest.approx(MIN_BUDGET_SHARE * rate)
            d.spent["busy"] = 0  # (no await from here: no poll is counted meanwhile)
            d.spent["quiet"] = 0
            unpolled = d._budget(held)
            d.spent["busy"] = d.spent["quiet"] = 1  # a first poll counts from the start
            assert d._budget(held) == pytest.approx(unpolled, rel=1e-3)


async def test_source_hints_are_a_floor_and_the_operator_ceiling_wins(db: Database) -> None:
    with TestServer() as server:
        server.route("/cached", BusyWire({"Cache-Control": "public, max-age=3"}))
        server.route("/capped", BusyWire({"Cache-Control": "max-age=600"}))
        cached = SourceConfig(name="cached", location=server.url("/cached"))
        capped = SourceConfig(
            name="capped", location=server.url("/capped"), interval=1.5, interval_is="ceiling"
        )
        async with running(db, config(cached, capped, **ADAPTIVE)) as d:
            await eventually(
                lambda: (
                    d.states["cached"].source_hint == 3.0
                    and d.states["capped"].source_hint == 600.0
                ),
                what="hints read",
            )
            assert d.states["cached"].poll_interval == 3.0  # busy, but max-age=3 says no sooner
            assert d.states["capped"].poll_interval == 1.5  # the operator's ceiling


async def test_learned_rate_survives_a_restart_and_shows_in_wire_sources(
    db: Database, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with TestServer() as server:
        server.route("/busy", BusyWire())
        busy = SourceConfig(name="busy", location=server.url("/busy"), source="sda")
        cfg = config(busy, **ADAPTIVE)
        async with running(db, cfg) as d:
            await eventually(
                lambda: (d.states["busy"].poll_interval or 1.0) < FAST, what="busy interval"
            )
            # its bursts, estimated from the item dates (three stories dated alike a poll)
            await eventually(lambda: feed_row(db, "busy").burst_decay is not None, what="bursts")
        row = feed_row(db, "busy")
        assert row.burst_share is not None and row.burst_decay is not None
        assert 0.0 <= row.burst_share <= 0.95 and row.burst_decay >= 1.0
        # The row holds what the daemon learned last: busier than one story a second, and an
        # interval of the law's, not the 1 s start (by then near the budget's 1 s less its
        # margin, 1.11 s: a lone source cannot be polled more often than the budget allows
        # once the scale thread has run; below FAST above, while bursts came).
        start = ADAPTIVE["interval"]
        assert row.item_rate and row.item_rate > 1.0
        assert row.poll_interval is not None and row.poll_interval != start
        assert ADAPTIVE["min_interval"] <= row.poll_interval <= ADAPTIVE["max_interval"]
        async with running(db, cfg) as again:  # a restart, or another daemon taking the lease
            await eventually(lambda: "busy" in again.states, what="lease")
            restored = again.states["busy"]
            assert restored.item_rate == pytest.approx(row.item_rate)  # learned, not the start
            assert restored.burst_share == pytest.approx(row.burst_share)
            job = again.scheduler.get_job("busy")
            assert job.trigger.interval.total_seconds() != start
    path = tmp_path / "config.toml"
    path.write_text(f'[[sources]]\nname = "busy"\nlocation = "{busy.location}"\n')
    monkeypatch.setenv("WIRE_DATABASE_URL", db_url)
    rows, _ = source_rows(path)
    assert rows[0]["poll_interval"] != start and rows[0]["latency"] is not None
    assert rows[0]["item_rate"] > 1.0
