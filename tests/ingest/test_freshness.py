"""The adaptive schedule's pure parts (wire.ingest.freshness), table by table."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from wire.ingest.freshness import (
    adaptive_interval,
    backlog_rate,
    budget_scale,
    feed_hint,
    header_hint,
    learn_rate,
    poll_interval,
    request_rate,
    source_hint,
    tail_floor,
    tail_wait,
)

NOW = datetime(2026, 12, 6, 10, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({}, None),
        ({"cache-control": "max-age=120"}, 120.0),
        ({"cache-control": "public, max-age=300, must-revalidate"}, 300.0),
        ({"cache-control": "max-age=60, s-maxage=600"}, 600.0),  # the CDN's promise is longer
        ({"cache-control": 'max-age="90"'}, 90.0),
        ({"cache-control": "no-cache, max-age=600"}, None),  # revalidate every time
        ({"cache-control": "no-store"}, None),
        ({"cache-control": "max-age=0"}, 0.0),
        ({"expires": "Sun, 06 Dec 2026 10:05:00 GMT"}, 300.0),
        ({"expires": "Sun, 06 Dec 2026 09:55:00 GMT"}, None),  # in the past
        ({"expires": "0"}, None),  # "already expired" in the old style
        ({"expires": "-1"}, None),
        # max-age wins over Expires (RFC 9111 5.3)
        ({"cache-control": "max-age=30", "expires": "Sun, 06 Dec 2026 11:00:00 GMT"}, 30.0),
    ],
)
def test_header_hint(headers: dict[str, str], seconds: float | None) -> None:
    assert header_hint(headers, NOW) == seconds


RSS_TTL = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Keystone-SDA</title>
<ttl>15</ttl><item><title>Bundesrat</title></item></channel></rss>"""
RSS_ITEM_TTL = b"""<rss version="2.0"><channel><title>x</title>
<item><title>a</title><ttl>60</ttl></item></channel></rss>"""
RSS_SY = b"""<rdf:RDF xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">
<channel><title>ANSA</title><sy:updatePeriod>hourly</sy:updatePeriod>
<sy:updateFrequency>4</sy:updateFrequency></channel><item><title>Roma</title></item></rdf:RDF>"""
RSS_SY_PERIOD = b"""<rss xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"><channel>
<sy:updatePeriod> daily </sy:updatePeriod></channel></rss>"""
RSS_SY_FREQUENCY = b"""<rss xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"><channel>
<sy:updateFrequency>2</sy:updateFrequency></channel></rss>"""
ATOM = b"""<feed xmlns="http://www.w3.org/2005/Atom"><title>AFP</title>
<entry><title>Paris</title></entry></feed>"""


@pytest.mark.parametrize(
    ("body", "seconds"),
    [
        (RSS_TTL, 900.0),  # <ttl> is in minutes
        (RSS_ITEM_TTL, None),  # an item's element is not the channel's hint
        (RSS_SY, 900.0),  # four times an hour
        (RSS_SY_PERIOD, 86400.0),
        (RSS_SY_FREQUENCY, 43200.0),  # the period defaults to daily
        (ATOM, None),
        (b"<rss><channel><ttl>0</ttl></channel></rss>", None),
        (b"", None),
    ],
)
def test_feed_hint(body: bytes, seconds: float | None) -> None:
    assert feed_hint(body) == seconds


def test_source_hint_takes_the_longer_promise() -> None:
    assert source_hint({"cache-control": "max-age=60"}, RSS_TTL, NOW) == 900.0
    assert source_hint({"cache-control": "max-age=1800"}, RSS_TTL, NOW) == 1800.0
    assert source_hint({}, ATOM, NOW) is None


@pytest.mark.parametrize(
    ("rate", "new", "elapsed", "expected"),
    [
        (None, 0, 60.0, "below start"),  # an unknown rate starts from one per interval
        (0.01, 10, 60.0, "above"),  # busier than learned: up
        (0.01, 0, 60.0, "below"),  # quieter: down
        (0.01, 0, 0.0, "same"),  # no time passed: nothing learned
    ],
)
def test_learn_rate_moves_toward_what_was_seen(
    rate: float | None, new: int, elapsed: float, expected: str
) -> None:
    start = 1 / 300
    got = learn_rate(rate, new, elapsed, window=600.0, start=start)
    before = start if rate is None else rate
    if expected.startswith("below"):
        assert 0 < got < before
    elif expected == "above":
        assert got > before
    else:
        assert got == before


def test_learn_rate_weight_follows_the_window() -> None:
    """The same quiet minute moves a short-window rate more than a long-window one."""
    short = learn_rate(0.1, 0, 60.0, window=120.0, start=0.0)
    long = learn_rate(0.1, 0, 60.0, window=6 * 3600.0, start=0.0)
    assert short < long < 0.1


@pytest.mark.parametrize(
    ("rate", "seconds"),
    [
        (None, 300.0),  # start until a rate is known
        (1 / 300, 300.0),  # one item per start interval keeps it
        (1 / 75, 150.0),  # four times as busy: polled twice as often (square root)
        (1 / 1200, 600.0),  # four times as quiet: half as often
        (1.0, 30.0),  # a flood: never faster than the minimum
        (1 / 86400, 1800.0),  # one a day: the maximum
        (0.0, 1800.0),
    ],
)
def test_adaptive_interval_is_the_square_root_law(rate: float | None, seconds: float) -> None:
    assert adaptive_interval(rate, 300.0, 30.0, 1800.0) == pytest.approx(seconds)


def test_adaptive_interval_at_a_scale() -> None:
    assert adaptive_interval(1 / 100, 300.0, 1.0, 1800.0, scale=5.0) == pytest.approx(50.0)
    assert adaptive_interval(1 / 400, 300.0, 1.0, 1800.0, scale=5.0) == pytest.approx(100.0)


@pytest.mark.parametrize(
    ("ages", "rate"),
    [
        ([5.0, 65.0, 125.0, 185.0], 3 / 180),  # three gaps over three minutes
        ([10.0, 20.0], None),  # too few to tell
        ([0.1, 0.2, 0.1, 0.3], None),  # undated items: all "just published"
        ([], None),
    ],
)
def test_backlog_rate(ages: list[float], rate: float | None) -> None:
    got = backlog_rate(ages)
    assert got == (pytest.approx(rate) if rate is not None else None)


def test_budget_scale_spends_the_fixed_schedules_requests() -> None:
    """Ten busy wires, fifty papers and a hundred quiet feeds, each configured at 20 s: the
    square-root law at the found scale costs what polling all every 20 s costs, polls the
    wires more often than that and the quiet feeds less, and keeps within the bounds."""
    rates = [0.5] * 10 + [1 / 30] * 50 + [1 / 1200] * 100
    budget = len(rates) * request_rate(20.0, 0.0)

    def intervals(scale: float) -> list[float]:
        return [adaptive_interval(r, 20.0, 1.0, 80.0, scale) for r in rates]

    scale = budget_scale(intervals, budget)
    got = intervals(scale)
    assert sum(1 / i for i in got) == pytest.approx(budget, rel=1e-6)
    assert got[0] < 20.0 < got[-1] <= 80.0
    assert got[0] / got[10] == pytest.approx((1 / 30 / 0.5) ** 0.5)  # the square-root law
    assert got[-1] == 80.0  # near-silent (under a quarter of an item per poll at 80 s)
    # a budget the bounds cannot spend: everyone at the minimum (near-silent feeds still at
    # the maximum), or at the maximum
    assert set(intervals(budget_scale(intervals, 1e6))) == {1.0, 80.0}
    assert set(intervals(budget_scale(intervals, 1e-6))) == {80.0}


def test_near_silent_sources_get_the_maximum() -> None:
    """Under a quarter of an item per poll at the maximum: the maximum, whatever the scale."""
    assert adaptive_interval(1 / 10000, 300.0, 30.0, 1800.0, scale=1.0) == 1800.0
    assert adaptive_interval(1 / 3600, 300.0, 30.0, 1800.0, scale=1.0) == pytest.approx(60.0)


def test_tail_wait_of_polled_and_pushed_items() -> None:
    # one source polled every 10 s: its items wait 0..10 s, the p95 is 9.5 s
    assert tail_wait([(1.0, 10.0)]) == pytest.approx(9.5, rel=1e-6)
    # as many items pushed (no wait): only a tenth of the polled ones may wait longer
    assert tail_wait([(1.0, 10.0), (1.0, 0.0)]) == pytest.approx(9.0, rel=1e-6)
    assert tail_wait([]) == 0.0


def test_tail_floor_spends_the_busy_wires_spare_polls_on_the_papers() -> None:
    """The bench/fresh mix (budget: all 180 polled sources every 20 s): the square-root law
    alone polls the wires every ~3 s and the papers every ~11 s, so the papers' items make
    the tail; the floor holds the wires back to the tail's wait and the predicted p95
    falls by more than a quarter, for the same requests."""
    rates = [0.5] * 10 + [1 / 30] * 50 + [1 / 1200] * 120
    budget = len(rates) * request_rate(20.0, 0.0)

    def intervals(scale: float, floor: float | None) -> list[float]:
        return [adaptive_interval(r, 20.0, 1.0, 80.0, scale, floor) for r in rates]

    def predicted(floor: float | None) -> float:
        got = intervals(budget_scale(lambda k: intervals(k, floor), budget), floor)
        return tail_wait(zip(rates, got, strict=True))

    floor = tail_floor(predicted, 1.0, 80.0)
    with_floor = intervals(budget_scale(lambda k: intervals(k, floor), budget), floor)
    assert sum(1 / i for i in with_floor) == pytest.approx(budget, rel=1e-6)
    assert with_floor[0] == pytest.approx(floor)  # the wires wait no longer than the tail
    assert predicted(floor) < 0.75 * predicted(None)


@pytest.mark.parametrize(
    ("configured", "role", "rate", "hint", "seconds"),
    [
        # no interval of its own: [daemon].interval only starts it
        (300.0, None, 1 / 75, None, 150.0),
        (300.0, None, 1 / 75, 900.0, 900.0),  # <ttl>15: never faster than the source allows
        # floor: a busy source still never below the operator's interval
        (120.0, "floor", 1 / 30, None, 120.0),
        (120.0, "floor", 1 / 480, None, 240.0),
        # ceiling: a quiet source is still polled this often, whatever it hints
        (120.0, "ceiling", 1 / 6000, None, 120.0),
        (120.0, "ceiling", 1 / 30, None, 60.0),
        (120.0, "ceiling", 1 / 60, 900.0, 120.0),
        # fixed: no adapting; a hint lengthens it
        (120.0, "fixed", 1 / 45, None, 120.0),
        (120.0, "fixed", 1 / 45, 600.0, 600.0),
    ],
)
def test_poll_interval(
    configured: float, role: str | None, rate: float | None, hint: float | None, seconds: float
) -> None:
    got = poll_interval(
        configured=configured, role=role, rate=rate, hint=hint, low=30.0, high=1800.0
    )
    assert got == pytest.approx(seconds)


def test_poll_interval_without_adapting_keeps_the_configured_one() -> None:
    got = poll_interval(configured=300.0, role=None, rate=1.0, hint=None, low=30, high=1800,
                        adaptive=False)  # fmt: skip
    assert got == 300.0


def test_poll_interval_refuses_an_unknown_role() -> None:
    with pytest.raises(ValueError, match="interval_is"):
        poll_interval(configured=1, role="often", rate=None, hint=None, low=1, high=2)
