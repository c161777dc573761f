"""How often to poll a source: its learned rate of new items, what it says of itself, the bounds.

Pure functions, no I/O; the daemon calls them after each poll (``Daemon._finish``).

- :func:`learn_rate`: the source's rate of new items, an average over recent time (the
  weight of a poll decays with ``[daemon].rate_window``), so a busy wire's rate rises within a
  few polls and a quiet one's falls.
- :func:`backlog_rate`: a first poll's rate, from the publication times of the items the
  feed already carries (Miniflux schedules by entry frequency the same way), so a busy wire
  is polled often from its second poll on.
- :func:`adaptive_interval`: the **intensity law**. Publications are self-exciting (a story
  comes as a FLASH, then its follow-ups minutes apart: a Hawkes process), so a source is
  polled at the first time p at which the items expected in (last poll, p - wait] reach
  ``theta`` (:func:`expected_items`): an item published more than ``wait`` seconds before the
  next poll is what makes the tail, and a poll is worth its request when ``theta`` of those
  are expected. The expectation is the source's stories (``(1 - share) * rate``) plus, for
  each item the feed has shown, the follow-ups it still brings (``share`` of them spread over
  an exponential of mean ``decay``): a poll that found items is followed sooner, a quiet
  source drifts to ``max_interval``. For Poisson arrivals (``share`` 0) it is the tail law,
  interval = wait + theta / rate: a poll covers at most the ``wait`` seconds before it, so
  the requests go where they take most items out of the tail.
- :func:`~wire.ingest.hawkes.estimate_bursts` (its own module: numpy): a source's ``share``
  and ``decay`` from its items' publication times (the maximum-likelihood estimate of an
  exponential Hawkes process), drawn toward the daemon's pooled estimate by a few items'
  weight (``PRIOR_ITEMS``), so a paper with nine dated items is not judged by them alone.
- :func:`budget_scale`: the ``theta`` that spends a budget of requests a second on the held
  sources, priced at the law's Poisson intervals and corrected by
  :func:`spending_correction`, the ratio of the requests the law's own intervals spend to
  that price (under bursts it polls less than the price says: quiet stretches are long), so
  adapting moves requests from quiet sources to busy ones and never adds any.
- :func:`account_budget`: that budget: the fixed schedule's requests a second (every held
  source at its configured interval) less ``BUDGET_MARGIN``, kept by the account of the
  requests the daemon has made against the ones the fixed schedule would have: whatever the
  price mispredicts (polls' durations, replans) is taken back within a round.
- :func:`tail_floor`: the ``wait`` (no source is polled sooner than it after its last poll):
  the one whose schedule, at the ``theta`` that spends the budget with it, predicts the
  shortest p95 wait (:func:`tail_wait`).
- near-silent sources (fewer than ``SILENT_ITEMS`` new items expected per poll at the
  maximum interval) are polled at the maximum: their items are too few to move either the
  mean or the tail, and the requests go where the items are.
- :func:`source_hint`: the shortest interval the source allows: ``Cache-Control: max-age``,
  ``Expires``, RSS ``<ttl>``, ``sy:updatePeriod``/``sy:updateFrequency``. ``Retry-After`` is
  the fetcher's (``wire.ingest.fetch``).
- :func:`poll_interval`: all of it together, with the operator's interval as a floor, a
  ceiling or fixed (``interval_is``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

# sy:updatePeriod (RSS 1.0 syndication module): the period updateFrequency divides.
UPDATE_PERIODS = {
    "hourly": 3600.0,
    "daily": 86400.0,
    "weekly": 604800.0,
    "monthly": 2592000.0,
    "yearly": 31536000.0,
}
HINT_SCAN_BYTES = 16384  # channel-level hints sit before the first item
# A source expected to bring fewer new items than this per poll at the maximum interval is
# near-silent: polled at the maximum.
SILENT_ITEMS = 0.25
TAIL_QUANTILE = 0.95  # the share of items whose wait the tail floor minimises (the p95)
INTERVAL_ROLES = ("floor", "ceiling", "fixed")

_MAX_AGE = re.compile(r"(?:^|,)\s*(?:s-maxage|max-age)\s*=\s*\"?(\d+)", re.I)
_NO_CACHE = re.compile(r"(?:^|,)\s*(?:no-cache|no-store)\b", re.I)
_TTL = re.compile(rb"<ttl>\s*(\d+)\s*</ttl>", re.I)
_PERIOD = re.compile(rb"<sy:updatePeriod>\s*(\w+)\s*</sy:updatePeriod>", re.I)
_FREQUENCY = re.compile(rb"<sy:updateFrequency>\s*(\d+)\s*</sy:updateFrequency>", re.I)
_ITEM = re.compile(rb"<(?:item|entry)[\s>]", re.I)


def header_hint(headers: Mapping[str, str], now: datetime | None = None) -> float | None:
    """Seconds the response stays fresh by its HTTP headers: ``Cache-Control`` max-age (or
    s-maxage; no-cache/no-store say nothing), else ``Expires``. Header names lower-case."""
    cache_control = headers.get("cache-control", "")
    if _NO_CACHE.search(cache_control):
        return None
    ages = [float(m) for m in _MAX_AGE.findall(cache_control)]
    if ages:
        return max(ages)
    expires = headers.get("expires")
    if not expires:
        return None
    try:
        when = parsedate_to_datetime(expires.strip())
    except (TypeError, ValueError, IndexError):
        return None  # "0", "-1": already expired, says nothing
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    seconds = (when - (now or datetime.now(UTC))).total_seconds()
    return seconds if seconds > 0 else None


def feed_hint(body: bytes) -> float | None:
    """Seconds between updates a feed declares in its channel: RSS ``<ttl>`` (minutes), or the
    syndication module's ``sy:updatePeriod`` / ``sy:updateFrequency`` (updates per period)."""
    head = body[:HINT_SCAN_BYTES]
    first_item = _ITEM.search(head)
    if first_item:
        head = head[: first_item.start()]  # an item's own <ttl> is not the channel's
    ttl = _TTL.search(head)
    if ttl:
        return int(ttl.group(1)) * 60.0 or None
    period = _PERIOD.search(head)
    frequency = _FREQUENCY.search(head)
    if not (period or frequency):
        return None
    seconds = UPDATE_PERIODS.get(period.group(1).decode().lower(), 86400.0) if period else 86400.0
    times = int(frequency.group(1)) if frequency else 1
    return seconds / max(1, times)


def source_hint(
    headers: Mapping[str, str], body: bytes, now: datetime | None = None
) -> float | None:
    """The shortest interval the source allows: the longest of what its headers and its
    feed say (each is a promise that polling sooner finds nothing new)."""
    hints = [h for h in (header_hint(headers, now), feed_hint(body)) if h]
    return max(hints) if hints else None


def learn_rate(
    rate: float | None, new_items: int, elapsed: float, window: float, start: float
) -> float:
    """The source's rate of new items per second after a poll that found ``new_items`` in
    ``elapsed`` seconds since the one before: an exponential average over ``window`` seconds
    of time (a poll's weight is the share of the window it covers). An unknown rate starts
    at ``start`` (one item per configured interval), so one empty poll is not "silent"."""
    if rate is None:
        rate = start
    if elapsed <= 0:
        return rate
    observed = new_items / elapsed
    weight = 1.0 - math.exp(-elapsed / window)
    return rate + weight * (observed - rate)


def backlog_rate(ages: Sequence[float], min_span: float = 1.0) -> float | None:
    """Items per second from the ages (seconds since publication) of the items a first poll
    found: ``n - 1`` gaps over the span from the oldest to the newest. None with fewer than
    three items or a span under ``min_span`` (undated items all look brand new)."""
    if len(ages) < 3:
        return None
    span = max(ages) - min(ages)
    return (len(ages) - 1) / span if span >= min_span else None


@dataclass(frozen=True)
class Bursts:
    """How a source's items come in bursts (an exponential Hawkes process): each item brings
    ``share`` follow-ups on average, each ``decay`` seconds after it on average (exponential).
    ``share`` 0 is Poisson: items independent of each other."""

    share: float = 0.0
    decay: float = 60.0


POISSON = Bursts()
# The estimator's bounds: a share of 1 or more is a process that never dies out; dates have
# whole seconds (RFC 822), so a decay under a second cannot be told from them.
MAX_SHARE = 0.95
MIN_DECAY = 1.0
BURST_ITEMS = 64  # publication times kept per source for the estimator and the law
PRIOR_ITEMS = 8.0  # a source's estimate is drawn toward the pooled one by this many items


def expected_items(rate: float, bursts: Bursts, ages: Iterable[float], seconds: float) -> float:
    """Items expected in the ``seconds`` after the last poll, given the ages (seconds before
    that poll) of the items the feed has shown: the stories, ``(1 - share) * rate`` a second
    (``rate`` is the mean: a story is ``1 / (1 - share)`` items), plus each shown item's
    follow-ups still to come in that span."""
    if seconds <= 0:
        return 0.0
    base = (1.0 - bursts.share) * rate * seconds
    if bursts.share <= 0:
        return base
    return base + _pending(bursts, ages) * (1.0 - math.exp(-seconds / bursts.decay))


def _pending(bursts: Bursts, ages: Iterable[float]) -> float:
    """The follow-ups the shown items (their ages at the last poll) still bring, all told."""
    return bursts.share * sum(math.exp(-max(0.0, age) / bursts.decay) for age in ages)


def shown_rate(times: Sequence[float], polled: float, least: int = 3) -> float | None:
    """Items per second over the items a source has shown lately (their publication times,
    oldest first) up to its last poll: ``n - 1`` items after the oldest over the time since
    it. The rate the intensity law builds on: it spans the last ``BURST_ITEMS`` items, where
    the learned rate (:func:`learn_rate`, over ``rate_window``) swings with the bursts the
    law already models (high after one, near nothing between, which would make a bursty
    paper look near-silent). None with fewer than ``least`` times."""
    if len(times) < least or polled <= times[0]:
        return None
    return (len(times) - 1) / (polled - times[0])


def adaptive_interval(
    rate: float | None,
    start: float,
    low: float,
    high: float,
    theta: float | None = None,
    wait: float | None = None,
    bursts: Bursts = POISSON,
    ages: Sequence[float] = (),
) -> float:
    """The intensity law: the first interval p at which the items expected in (last poll,
    p - ``wait``] reach ``theta`` (:func:`expected_items`), between ``low`` and ``high``;
    ``start`` until a rate is known, ``high`` for a silent or near-silent source (under
    ``SILENT_ITEMS`` per poll at ``high``). With Poisson arrivals (or no ``ages``) and
    ``share`` 0 it is ``wait + theta / rate``. Without a ``theta`` (no budget known) one item
    per poll: a source at one item per ``start`` seconds keeps ``start``."""
    if rate is None:
        return start
    if rate * high < SILENT_ITEMS:
        return high
    theta = 1.0 if theta is None else theta
    wait = wait or 0.0
    if bursts.share <= 0 or not ages:
        seconds = wait + theta / ((1.0 - bursts.share) * rate)
        return min(high, max(low, seconds))
    base = (1.0 - bursts.share) * rate
    pending = _pending(bursts, ages)

    def expected(seconds: float) -> float:  # expected_items, its sum over ``ages`` done once
        return base * seconds + pending * (1.0 - math.exp(-seconds / bursts.decay))

    if expected(high - wait) < theta:
        return high
    lo, hi = 0.0, max(0.0, high - wait)  # the span after the last poll that the poll covers
    for _ in range(40):
        mid = (lo + hi) / 2
        lo, hi = (lo, mid) if expected(mid) >= theta else (mid, hi)
    return min(high, max(low, wait + hi))


def request_rate(interval: float, jitter: float) -> float:
    """Requests a second of a job every ``interval`` seconds plus APScheduler's jitter (a
    uniform delay of up to ``jitter``: half of it on average)."""
    return 1.0 / (interval + jitter / 2)


# The share of the fixed schedule's requests a second the law is priced to spend, after the
# first round (account_budget). Over a stretch of a few fixed intervals the fixed schedule
# makes whole rounds only (its next may fall just outside), while the daemon's WebSub
# requests come on top of the law's polls: at a tenth less the law stays under the fixed
# schedule's count over such a stretch (bench/fresh: 120 s, six rounds), not only on average.
BUDGET_MARGIN = 0.9
# The spending correction stays within these: a burst of polls (a start) does not stop the
# schedule, a lull does not make it poll at the minimum everywhere.
MIN_CORRECTION, MAX_CORRECTION = 0.25, 4.0
# However deep the account is in debt (a start's hub requests), the law
# keeps this share of the fixed rate: paying a debt back stops no source.
MIN_BUDGET_SHARE = 0.25


def spending_correction(priced: Iterable[float], chosen: Iterable[float]) -> float:
    """Requests the law spends over the requests priced: ``chosen`` are the held sources'
    intervals under the law now (each from its last poll, with the items it has shown),
    ``priced`` the Poisson intervals the price assumed, in the same order. A source polled
    every I seconds costs 1 / I requests a second; summed at a moment, 1 / I weighs each
    interval by the time it lasts, which is exactly the law's mean rate of requests (long
    intervals are seen more often, and cost less each), so the sum needs no history. Under
    bursts the law waits long in quiet stretches and polls soon after finds: it spends less
    than the Poisson price, and the budget would go unspent without the correction (under
    another mix, overspent)."""
    pairs = [(p, c) for p, c in zip(priced, chosen, strict=True) if p > 0 and c > 0]
    planned = sum(1.0 / p for p, _ in pairs)
    if planned <= 0:
        return 1.0
    spent = sum(1.0 / c for _, c in pairs)
    return min(MAX_CORRECTION, max(MIN_CORRECTION, spent / planned))


def account_budget(
    periods: Sequence[float], held_for: Sequence[float], spent: float, margin: float = BUDGET_MARGIN
) -> float:
    """Requests a second the law may plan now: ``margin`` of the fixed schedule's rate, plus
    what the account of requests has in hand, spent over one round.

    ``periods`` are the held sources' fixed periods at their slowest (interval plus the
    whole jitter), ``held_for`` the seconds each has been held, ``spent`` the requests the
    daemon has made for them since (their first polls, counted from the start, and its hub
    requests included). The fixed schedule would have polled each source once at the start,
    as the daemon does, and once every period since: the account allows the first round and
    ``margin`` of what came after it (the margin is for a stretch of a few periods, where the
    fixed schedule makes whole rounds only: ``BUDGET_MARGIN``). The law's
    price is a prediction (the polls' own durations, replanned polls and the intervals set
    between bursts all move what it really spends: it spent only three quarters of the
    fixed rate on ``bench/fresh``'s bursty mix); the account takes its error back, either
    way, within about a round. What is in hand is capped at one round's requests, so a
    pause (a store outage) does not buy a burst of polls after it."""
    if not periods:
        return 0.0
    rate = margin * sum(1.0 / p for p in periods)
    allowed = sum(1.0 + margin * held / p for p, held in zip(periods, held_for, strict=True))
    round_time = len(periods) / sum(1.0 / p for p in periods)
    in_hand = min(allowed - spent, margin * len(periods))
    return max(MIN_BUDGET_SHARE * rate, rate + in_hand / round_time)


def budget_scale(
    interval_at: Callable[[float], Sequence[float]],
    budget: float,
    jitter: Callable[[float], float] = lambda seconds: 0.0,
) -> float:
    """The law's scale (``theta`` of the intensity law) that spends ``budget`` requests a
    second.

    ``interval_at(scale)`` gives every held source's interval at that scale (bounds, hints,
    roles and safety-net polls applied); the cost falls as the scale grows, so bisection on
    its logarithm finds the scale whose cost is the budget (the bounds may make it
    unreachable: then the nearest end)."""

    def cost(scale: float) -> float:
        return sum(request_rate(i, jitter(i)) for i in interval_at(scale))

    lo, hi = 1e-3, 1e6
    if cost(lo) <= budget:
        return lo
    if cost(hi) >= budget:
        return hi
    for _ in range(30):  # a billionth of the range: far finer than jitter
        mid = math.sqrt(lo * hi)
        if cost(mid) > budget:
            lo = mid
        else:
            hi = mid
    return hi


def tail_wait(sources: Iterable[tuple[float, float]], quantile: float = TAIL_QUANTILE) -> float:
    """The wait all but ``1 - quantile`` of the items stay under, predicted from each source's
    ``(rate, interval)``: an item of a source polled every I seconds (its mean interval,
    jitter included) waits uniformly 0..I; a pushing source's items wait nothing (I = 0)."""
    items = [(rate, interval) for rate, interval in sources if rate > 0]
    total = sum(rate for rate, _ in items)
    if total <= 0:
        return 0.0
    allowed = (1.0 - quantile) * total

    def over(wait: float) -> float:  # items a second that wait longer than ``wait``
        return sum(r * (1.0 - wait / i) for r, i in items if i > wait)

    lo, hi = 0.0, max(interval for _, interval in items)
    for _ in range(30):
        mid = (lo + hi) / 2
        if over(mid) > allowed:
            lo = mid
        else:
            hi = mid
    return hi


def tail_floor(
    predicted: Callable[[float], float], low: float, high: float, grid: int = 8, steps: int = 6
) -> float:
    """The floor (the intensity law's ``wait``: no poll sooner than it after the last) between
    ``low`` and ``high`` whose predicted tail wait (``predicted(floor)``: :func:`tail_wait` of
    the schedule the budget allows with that floor) is least: the best
    of ``grid`` floors spread evenly on a logarithmic scale, refined by golden section
    between its neighbours. (Below the busiest source's own interval the floor changes
    nothing, so the curve starts flat: a golden section alone could settle there.)"""
    if high <= low:
        return low
    a, b = math.log(low), math.log(high)
    points = [a + (b - a) * i / (grid - 1) for i in range(grid)]
    tails = [predicted(math.exp(x)) for x in points]
    best = min(range(grid), key=lambda i: (tails[i], i))
    a, b = points[max(0, best - 1)], points[min(grid - 1, best + 1)]
    ratio = (math.sqrt(5) - 1) / 2
    c, d = b - ratio * (b - a), a + ratio * (b - a)
    fc, fd = predicted(math.exp(c)), predicted(math.exp(d))
    for _ in range(steps):
        if fc <= fd:
            b, d, fd = d, c, fc
            c = b - ratio * (b - a)
            fc = predicted(math.exp(c))
        else:
            a, c, fc = c, d, fd
            d = a + ratio * (b - a)
            fd = predicted(math.exp(d))
    found, tail = (c, fc) if fc <= fd else (d, fd)
    return math.exp(found) if tail <= tails[best] else math.exp(points[best])


def poll_interval(
    *,
    configured: float,
    role: str | None,
    rate: float | None,
    hint: float | None,
    low: float,
    high: float,
    adaptive: bool = True,
    theta: float | None = None,
    wait: float | None = None,
    bursts: Bursts = POISSON,
    ages: Sequence[float] = (),
) -> float:
    """The seconds until a source's next poll.

    ``configured`` is the operator's interval; ``role`` says what it is: ``floor`` (never
    polled more often), ``ceiling`` (never less often, whatever the source hints), ``fixed``
    (no adapting; hints only lengthen it) or None (a source without an interval of its own:
    ``[daemon].interval`` is only where it starts). Within those, the learned
    :func:`adaptive_interval` (at the daemon's ``theta``, :func:`budget_scale`, and its
    ``wait``, :func:`tail_floor`; the source's ``bursts`` and the ``ages`` of the items it
    has shown: none when pricing), never shorter than the source's ``hint``.
    """
    if role is not None and role not in INTERVAL_ROLES:
        raise ValueError(f"interval_is must be one of {', '.join(INTERVAL_ROLES)}, not {role!r}")
    seconds = (
        adaptive_interval(rate, configured, low, high, theta, wait, bursts, ages)
        if adaptive
        else configured
    )
    if role == "fixed":
        seconds = configured
    if hint is not None:
        seconds = max(seconds, hint)
    if role == "floor":
        seconds = max(seconds, configured)
    elif role == "ceiling":
        seconds = min(seconds, configured)
    return seconds
