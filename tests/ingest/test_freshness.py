"""The adaptive schedule's pure parts (wire.ingest.freshness), table by table."""

from __future__ import annotations

import itertools
import math
import random
from datetime import UTC, datetime

import pytest
from scipy.optimize import brentq, minimize

from bench.fresh.run import hawkes as bench_hawkes
from wire.ingest.freshness import (
    BUDGET_MARGIN,
    MIN_BUDGET_SHARE,
    POISSON,
    Bursts,
    account_budget,
    adaptive_interval,
    backlog_rate,
    budget_scale,
    expected_items,
    feed_hint,
    header_hint,
    learn_rate,
    poll_interval,
    request_rate,
    shown_rate,
    source_hint,
    spending_correction,
    tail_floor,
    tail_wait,
)
from wire.ingest.hawkes import estimate_bursts, estimate_each

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
        (1 / 300, 300.0),  # no budget known: one item per poll, so one per start keeps it
        (1 / 75, 75.0),
        (1.0, 30.0),  # a flood: never faster than the minimum
        (1 / 86400, 1800.0),  # one a day: the maximum
        (0.0, 1800.0),
    ],
)
def test_adaptive_interval_without_a_budget(rate: float | None, seconds: float) -> None:
    assert adaptive_interval(rate, 300.0, 30.0, 1800.0) == pytest.approx(seconds)


@pytest.mark.parametrize("ages", [(), (0.5, 3.0, 40.0)])
def test_the_intensity_law_for_poisson_arrivals_is_the_tail_law(ages: tuple[float, ...]) -> None:
    """No bursts: interval = wait + theta / rate, whatever the feed showed."""
    for rate in (1 / 2, 1 / 30, 1 / 400):
        got = adaptive_interval(rate, 20.0, 1.0, 1800.0, 0.1, 4.0, POISSON, ages)
        assert got == pytest.approx(4.0 + 0.1 / rate)


BURSTY = Bursts(share=0.75, decay=6.0)


def test_a_burst_shortens_the_next_poll_and_a_quiet_spell_lengthens_it() -> None:
    """A paper (an item every 30 s on average) whose last poll found two fresh items is
    polled again well before its Poisson interval; one whose last items are minutes old
    waits longer than it (only new stories, a quarter of its items, are to come)."""
    rate, theta, wait = 1 / 30, 0.1, 4.0
    poisson = wait + theta / rate  # 7 s
    fresh = adaptive_interval(rate, 20.0, 1.0, 120.0, theta, wait, BURSTY, (0.5, 2.0))
    quiet = adaptive_interval(rate, 20.0, 1.0, 120.0, theta, wait, BURSTY, (300.0, 420.0))
    assert wait < fresh < poisson - 2.0
    assert quiet == pytest.approx(wait + theta / ((1 - BURSTY.share) * rate), rel=1e-3)
    assert quiet > poisson
    # the poll covers (last, p - wait]: the follow-ups expected there reach theta
    covered = expected_items(rate, BURSTY, (0.5, 2.0), fresh - wait)
    assert covered == pytest.approx(theta, rel=1e-6)


def test_quiet_sources_reach_the_maximum() -> None:
    """Near-silent (under a quarter of an item per poll at the maximum), or a theta the
    expected items do not reach within it: the maximum."""
    assert adaptive_interval(1 / 10000, 300.0, 30.0, 1800.0, 1.0) == 1800.0
    assert adaptive_interval(1 / 3600, 300.0, 30.0, 1800.0, 1.0, 0.0, BURSTY, (9000.0,)) == 1800.0
    assert adaptive_interval(1 / 3600, 300.0, 30.0, 1800.0, 0.2) == pytest.approx(720.0)


def test_expected_items_is_the_hawkes_intensity_integrated() -> None:
    """The closed form against a numerical integral of the intensity: stories at
    (1 - share) * rate plus share / decay * exp(-(t - t_i) / decay) per shown item."""
    rate, ages, span = 0.2, (1.0, 4.0, 30.0), 9.0

    def intensity(t: float) -> float:  # t seconds after the poll
        excited = sum(math.exp(-(t + a) / BURSTY.decay) for a in ages)
        return (1 - BURSTY.share) * rate + BURSTY.share / BURSTY.decay * excited

    steps = 20000
    numeric = sum(intensity((k + 0.5) * span / steps) for k in range(steps)) * span / steps
    assert expected_items(rate, BURSTY, ages, span) == pytest.approx(numeric, rel=1e-6)
    assert expected_items(rate, POISSON, ages, span) == pytest.approx(rate * span)
    assert expected_items(rate, BURSTY, ages, 0.0) == 0.0


def hawkes(rnd: random.Random, rate: float, bursts: Bursts, end: float) -> list[float]:
    """Publication times of a Hawkes process of mean ``rate`` on [0, end), by its cluster
    form (the freshness bench's generator: stories at (1 - share) * rate, each item
    bringing Poisson(share) follow-ups)."""
    return bench_hawkes(rnd, 1 / rate, 0.0, end, bursts.share, bursts.decay)


def test_estimate_bursts_recovers_the_share_and_decay() -> None:
    """On a long bursty record (dates to the second) the estimate is near the truth; on
    Poisson arrivals the share is near nothing; a handful of items stays near the prior;
    several sources pooled share one estimate."""
    rnd = random.Random(18)
    truth = Bursts(0.75, 60.0)
    times = [float(round(t)) for t in hawkes(rnd, 1 / 60, truth, 40000.0)]
    got = estimate_bursts([(times, 40000.0)])
    assert got.share == pytest.approx(0.75, abs=0.1)
    assert got.decay == pytest.approx(60.0, rel=0.3)
    poisson = sorted(rnd.uniform(0, 40000.0) for _ in range(600))
    assert estimate_bursts([(poisson, 40000.0)]).share < 0.1
    few = [100.0, 2000.0, 2010.0]
    assert estimate_bursts([(few, 3000.0)], truth, 8.0).share == pytest.approx(0.75, abs=0.15)
    assert estimate_bursts([], truth, 8.0) == truth
    papers = [(hawkes(rnd, 1 / 120, truth, 6000.0), 6000.0) for _ in range(40)]
    pooled = estimate_bursts(papers)
    assert pooled.share == pytest.approx(0.75, abs=0.15)
    assert pooled.decay == pytest.approx(60.0, rel=0.4)


def test_estimate_bursts_recovers_a_long_wire_record() -> None:
    """The bench's wire (an item every 2 s, share 0.75, decay 6 s) over an hour, dates in
    whole seconds: the maximum-likelihood estimate is near the truth (the EM before it
    stopped at 0.58 / 4.0 s on such a record); Poisson arrivals of the same rate give a
    share near nothing."""
    rnd = random.Random(4)
    wire = [float(math.floor(t)) for t in hawkes(rnd, 0.5, Bursts(0.75, 6.0), 3600.0)]
    got = estimate_bursts([(wire, 3600.0)])
    assert got.share == pytest.approx(0.75, abs=0.06)
    assert got.decay == pytest.approx(6.0, abs=1.0)
    poisson = sorted(float(math.floor(rnd.uniform(0, 3600.0))) for _ in range(1800))
    assert estimate_bursts([(poisson, 3600.0)]).share < 0.1


def log_likelihood(
    runs: list[tuple[list[float], float]], bursts: Bursts, prior: Bursts = POISSON,
    weight: float = 0.0,
) -> float:  # fmt: skip
    """The Hawkes log-likelihood written out plainly, every pair of items: each record's
    story rate the root of its score, dates in whole seconds taken as anywhere
    in their second (the kernel averaged over it), the prior's pseudo-items as their
    penalty. What :func:`estimate_bursts` is to maximise."""
    share, decay = bursts.share, bursts.decay
    total = 0.0
    for times, end in runs:
        whole = all(float(b - a).is_integer() for a, b in itertools.pairwise(times))
        x = [sum(kernel(t - s, decay, whole) for s in times[:i]) / decay
             for i, t in enumerate(times)]  # fmt: skip
        span = max(end - times[0], 1.0)
        rate = story_rate(x, share, span)
        exposure = sum(1 - math.exp(-(end - t) / decay) for t in times)
        total += sum(math.log(rate + share * e) for e in x) - rate * span - share * exposure
    if weight:
        follow = weight * prior.share
        total += follow * math.log(share) - weight * share
        total -= follow * (math.log(decay) + prior.decay / decay)
    return total


def story_rate(x: list[float], share: float, span: float) -> float:
    """The root of the story rate's score: positive at 1 / span (a record's first item is a
    story), not at len(x) / span (the root itself when no item is a follow-up)."""
    if share <= 0 or not any(x):
        return len(x) / span
    return float(brentq(lambda r: sum(1 / (r + share * e) for e in x) - span, 1 / span,
                        len(x) / span, xtol=1e-14, rtol=1e-13))  # fmt: skip


def kernel(gap: float, decay: float, whole: bool) -> float:
    """exp(-gap / decay), averaged over the two dates' fractions of a second when whole."""
    if not whole:
        return math.exp(-gap / decay)
    if gap == 0:  # the earlier item first in the same second
        return 2 * decay * (1 - decay * (1 - math.exp(-1 / decay)))
    return math.exp(-gap / decay) * (2 * decay * math.sinh(1 / (2 * decay))) ** 2


@pytest.mark.parametrize("window", [60.0, 120.0, 300.0])
def test_estimate_bursts_is_the_likelihoods_maximum(window: float) -> None:
    """Records like the daemon's (a wire's last 64 dates, whole seconds, several sources
    pooled, each its own story rate): the estimate's likelihood is the greatest scipy's
    Nelder-Mead finds from the truth, and no point near it does better."""
    rnd = random.Random(int(window))
    truth = Bursts(0.75, 6.0)
    runs = [([float(math.floor(t)) for t in hawkes(rnd, 0.5, truth, window)][-64:], window)
            for _ in range(4)]  # fmt: skip
    got = estimate_bursts(runs)
    best = log_likelihood(runs, got)
    found = minimize(
        lambda p: -log_likelihood(runs, Bursts(min(max(p[0], 0.0), 0.95), max(p[1], 1.0))),
        [truth.share, truth.decay],
        method="Nelder-Mead",
        options={"xatol": 1e-6, "fatol": 1e-8},
    )
    assert best >= -found.fun - 1e-6
    assert got.share == pytest.approx(found.x[0], abs=1e-3)
    assert got.decay == pytest.approx(found.x[1], rel=1e-3)
    for share, decay in itertools.product((-0.01, 0.01), (0.98, 1.02)):
        near = Bursts(got.share + share, got.decay * decay)
        assert log_likelihood(runs, near) < best


def test_each_source_is_drawn_to_the_prior_by_its_pseudo_items() -> None:
    """``estimate_each`` gives every source what ``estimate_bursts`` gives it alone: the
    maximum of its likelihood with the prior's pseudo-items (a paper's dozen dates, a
    Poisson feed's); a source of one date or none gets the prior itself."""
    rnd = random.Random(7)
    prior = Bursts(0.6, 8.0)
    paper = [float(math.floor(t)) for t in hawkes(rnd, 1 / 30, Bursts(0.75, 6.0), 400.0)]
    quiet = sorted(float(math.floor(rnd.uniform(0, 400.0))) for _ in range(12))
    sources = [(paper, 400.0), (quiet, 400.0), ([5.0], 400.0), ([], 400.0)]
    each = estimate_each(sources, prior, 8.0)
    assert each[2:] == [prior, prior]
    for (times, end), got in zip(sources[:2], each, strict=False):
        alone = estimate_bursts([(times, end)], prior, 8.0)
        assert got.share == pytest.approx(alone.share, abs=1e-6)
        assert got.decay == pytest.approx(alone.decay, rel=1e-3)
        best = log_likelihood([(times, end)], got, prior, 8.0)
        for share, decay in itertools.product((-0.01, 0.01), (0.98, 1.02)):
            near = Bursts(got.share + share, got.decay * decay)
            assert log_likelihood([(times, end)], near, prior, 8.0) < best
    assert each[1].share < each[0].share  # the Poisson feed's follow-ups are fewer


def test_shown_rate_spans_the_items_shown() -> None:
    """A paper's burst of three and a quiet spell: the rate over its dates to the last poll
    (three items after the oldest in 90 s), not the near-nothing of the quiet spell alone."""
    assert shown_rate([0.0, 10.0, 12.0, 15.0], 90.0) == pytest.approx(3 / 90)
    assert shown_rate([0.0, 10.0], 90.0) is None  # too few to tell
    assert shown_rate([5.0, 5.0, 5.0], 5.0) is None  # no time spanned


def test_spending_correction_is_requests_spent_over_priced() -> None:
    assert spending_correction([2.0, 10.0], [2.0, 10.0]) == 1.0
    # the paper polled half as often as priced: 0.55 requests a second of 0.6
    assert spending_correction([2.0, 10.0], [2.0, 20.0]) == pytest.approx(0.55 / 0.6)
    assert spending_correction([], []) == 1.0
    assert spending_correction([1.0], [1000.0]) == 0.25  # bounded


def play_mix(
    seconds: float, correct: bool, seed: int = 18, account: bool = False
) -> tuple[int, float]:
    """The intensity law over a synthetic bursty mix as the daemon runs it (theta from the
    budget every 5 s, each poll's interval from the items its feed has shown, counted from
    the poll's end, a changed feed taking 0.3 s to store), with or without the spending
    correction, with or without the account of requests (each source polled once at the
    start): the requests made and the budget's requests."""
    rnd = random.Random(seed)
    rates = [0.5] * 10 + [1 / 30] * 50 + [1 / 1200] * 120
    feeds = [hawkes(rnd, r, BURSTY, seconds) for r in rates]
    budget = len(rates) * request_rate(20.0, 0.0)
    low, high, wait = 1.0, 120.0, 4.0

    def price(theta: float) -> list[float]:
        return [adaptive_interval(r, 20.0, low, high, theta, wait) for r in rates]

    def law(n: int, theta: float) -> float:
        shown = [last[n] - t for t in feeds[n] if t <= last[n]][-64:]
        return adaptive_interval(rates[n], 20.0, low, high, theta, wait, BURSTY, shown)

    last = [0.0] * len(rates)
    theta = budget_scale(price, budget * BUDGET_MARGIN)
    next_poll = [rnd.uniform(0, 1.0) for _ in rates]
    requests, repriced = 0, 0.0
    while True:
        n = min(range(len(rates)), key=next_poll.__getitem__)
        now = next_poll[n]
        if now >= seconds:
            break
        if now - repriced >= 5.0:
            chosen = [law(i, theta) for i in range(len(rates))]
            correction = spending_correction(price(theta), chosen) if correct else 1.0
            planned = budget * BUDGET_MARGIN
            if account:
                periods = [20.0] * len(rates)
                planned = account_budget(periods, [now] * len(rates), max(requests, len(rates)))
            theta = budget_scale(price, planned / correction)
            repriced = now
        requests += 1
        last[n] = now
        found = any(last[n] - 0.3 < t <= now for t in feeds[n]) if account else False
        next_poll[n] = now + (0.3 if found else 0.0) + law(n, theta)
    return requests, budget * seconds


def test_the_budget_holds_on_a_bursty_mix() -> None:
    """Priced as Poisson the law leaves much of the budget unspent under bursts (quiet
    stretches are long); corrected by what its polls spend, it spends the budget, less the
    margin, and no more."""
    uncorrected, budget = play_mix(600.0, correct=False)
    corrected, _ = play_mix(600.0, correct=True)
    assert uncorrected < 0.8 * budget
    assert 0.85 * budget < corrected <= budget


def test_the_account_spends_what_the_price_misses() -> None:
    """With polls that take their time (storing a find) and intervals counted from their
    end, the corrected price still leaves part of the budget unspent; the account of the
    requests made spends it, the start's round included, and stays within the fixed
    schedule's count at its rate, less the margin."""
    priced, budget = play_mix(600.0, correct=True, account=False)
    accounted, _ = play_mix(600.0, correct=True, account=True)
    allowed = 180 + BUDGET_MARGIN * budget  # the first round, then 1 per 20 s each
    assert priced < accounted <= allowed
    assert accounted > 0.97 * allowed


def test_account_budget() -> None:
    """On track: the margin of the fixed rate; in debt: less, never under the minimum
    share; in hand: more, at most a round's requests more over a round."""
    periods = [20.0, 20.0, 40.0]
    rate = BUDGET_MARGIN * (1 / 20 + 1 / 20 + 1 / 40)
    on_track = 3 + BUDGET_MARGIN * (40 / 20 + 40 / 20 + 40 / 40)  # the first round, 40 s on
    assert account_budget(periods, [40.0] * 3, on_track) == pytest.approx(rate)
    assert account_budget(periods, [40.0] * 3, on_track + 1) < rate
    assert account_budget(periods, [40.0] * 3, 1000.0) == pytest.approx(MIN_BUDGET_SHARE * rate)
    round_time = 3 / (1 / 20 + 1 / 20 + 1 / 40)
    most = rate + BUDGET_MARGIN * 3 / round_time
    assert account_budget(periods, [40.0] * 3, on_track - 1) > rate
    assert account_budget(periods, [4000.0] * 3, 0.0) == pytest.approx(most)  # a long pause
    assert account_budget([], [], 5.0) == 0.0


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
    law at the found theta costs what polling all every 20 s costs, polls the wires more
    often than that and the quiet feeds less, and keeps within the bounds."""
    rates = [0.5] * 10 + [1 / 30] * 50 + [1 / 1200] * 100
    budget = len(rates) * request_rate(20.0, 0.0)

    def intervals(theta: float) -> list[float]:
        return [adaptive_interval(r, 20.0, 1.0, 80.0, theta, 2.0) for r in rates]

    theta = budget_scale(intervals, budget)
    got = intervals(theta)
    assert sum(1 / i for i in got) == pytest.approx(budget, rel=1e-6)
    assert got[0] < 20.0 < got[-1] <= 80.0
    assert got[10] - 2.0 == pytest.approx(15 * (got[0] - 2.0))  # theta / rate after the wait
    assert got[-1] == 80.0  # near-silent (under a quarter of an item per poll at 80 s)
    # a budget the bounds cannot spend: everyone at the minimum wait (near-silent feeds
    # still at the maximum), or at the maximum
    fast = intervals(budget_scale(intervals, 1e6))
    assert all(2.0 < i < 2.1 for i in fast[:60]) and set(fast[60:]) == {80.0}
    assert set(intervals(budget_scale(intervals, 1e-6))) == {80.0}


def test_tail_wait_of_polled_and_pushed_items() -> None:
    # one source polled every 10 s: its items wait 0..10 s, the p95 is 9.5 s
    assert tail_wait([(1.0, 10.0)]) == pytest.approx(9.5, rel=1e-6)
    # as many items pushed (no wait): only a tenth of the polled ones may wait longer
    assert tail_wait([(1.0, 10.0), (1.0, 0.0)]) == pytest.approx(9.0, rel=1e-6)
    assert tail_wait([]) == 0.0


def test_tail_floor_spends_the_busy_wires_spare_polls_on_the_papers() -> None:
    """The bench/fresh mix (budget: all 180 polled sources every 20 s): with no wait the
    law polls the wires far more often than the papers' items can wait; the wait found holds
    them back to the tail's and the predicted p95 falls by more than a quarter, for the same
    requests."""
    rates = [0.5] * 10 + [1 / 30] * 50 + [1 / 1200] * 120
    budget = len(rates) * request_rate(20.0, 0.0)

    def intervals(theta: float, wait: float | None) -> list[float]:
        return [adaptive_interval(r, 20.0, 1.0, 80.0, theta, wait) for r in rates]

    def predicted(wait: float | None) -> float:
        got = intervals(budget_scale(lambda k: intervals(k, wait), budget), wait)
        return tail_wait(zip(rates, got, strict=True))

    wait = tail_floor(predicted, 1.0, 80.0)
    with_wait = intervals(budget_scale(lambda k: intervals(k, wait), budget), wait)
    assert sum(1 / i for i in with_wait) == pytest.approx(budget, rel=1e-6)
    assert wait < with_wait[0] < with_wait[10] < 20.0
    assert predicted(wait) < 0.75 * predicted(None)


@pytest.mark.parametrize(
    ("configured", "role", "rate", "hint", "seconds"),
    [
        # no interval of its own: [daemon].interval only starts it (no budget: an item a poll)
        (300.0, None, 1 / 75, None, 75.0),
        (300.0, None, 1 / 75, 900.0, 900.0),  # <ttl>15: never faster than the source allows
        # floor: a busy source still never below the operator's interval
        (120.0, "floor", 1 / 30, None, 120.0),
        (120.0, "floor", 1 / 480, None, 480.0),
        # ceiling: a quiet source is still polled this often, whatever it hints
        (120.0, "ceiling", 1 / 6000, None, 120.0),
        (120.0, "ceiling", 1 / 60, None, 60.0),
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
