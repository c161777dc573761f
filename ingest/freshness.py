"""How often to poll a source: its learned rate of new items, what it says of itself, the bounds.

Pure functions, no I/O; the daemon calls them after each poll (``Daemon._finish``).

- :func:`learn_rate`: the source's rate of new items, an average over recent time (the
  weight of a poll decays with ``[daemon].rate_window``), so a busy wire's rate rises within a
  few polls and a quiet one's falls.
- :func:`backlog_rate`: a first poll's rate, from the publication times of the items the
  feed already carries (Miniflux schedules by entry frequency the same way), so a busy wire
  is polled often from its second poll on.
- :func:`adaptive_interval`: the square-root law, interval = scale / sqrt(rate), within
  ``[daemon].min_interval`` .. ``max_interval``. Polling a source every I seconds costs 1/I
  requests a second and makes its items wait I/2 on average; the mean wait over all items
  for a given number of requests is least when I is proportional to 1/sqrt(rate) (Lagrange:
  rate_i * I_i^2 is equal for all sources). "One item per poll" (I = 1/rate) spends far too
  much on busy wires and leaves a paper with one story an hour waiting an hour.
- :func:`budget_scale`: the scale that spends exactly the fixed schedule's requests (every
  held source at its configured interval) on the held sources, so adapting moves requests
  from quiet sources to busy ones and never adds any.
- :func:`tail_floor`: the interval below which no source is polled (the "tail floor"). The
  square-root law minimises the *mean* wait; the desk feels the *tail* (the p95). An item of
  a source polled every I seconds waits 0..I, so a busy wire polled every 3 s while most
  items wait up to 7 s spends requests that shorten no wait in the tail; with the floor at
  the wait the p95 is predicted to be (:func:`tail_wait`), those requests go to the sources
  whose items make the tail. The floor is the one that minimises the predicted p95.
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


def adaptive_interval(
    rate: float | None,
    start: float,
    low: float,
    high: float,
    scale: float | None = None,
    floor: float | None = None,
) -> float:
    """The square-root law, ``scale / sqrt(rate)``, never below the tail ``floor``
    (:func:`tail_floor`), between ``low`` and ``high``; ``start`` until a rate is known,
    ``high`` for a silent or near-silent source (under ``SILENT_ITEMS`` per poll at
    ``high``). Without a ``scale`` (no budget known) a source at one item per ``start``
    seconds keeps ``start``: ``sqrt(start / rate)``."""
    if rate is None:
        seconds = start
    elif rate * high < SILENT_ITEMS:
        seconds = high
    else:
        seconds = (scale if scale is not None else math.sqrt(start)) / math.sqrt(rate)
        seconds = max(seconds, floor or 0.0)
    return min(high, max(low, seconds))


def request_rate(interval: float, jitter: float) -> float:
    """Requests a second of a job every ``interval`` seconds plus APScheduler's jitter (a
    uniform delay of up to ``jitter``: half of it on average)."""
    return 1.0 / (interval + jitter / 2)


def budget_scale(
    interval_at: Callable[[float], Sequence[float]],
    budget: float,
    jitter: Callable[[float], float] = lambda seconds: 0.0,
) -> float:
    """The square-root law's scale that spends ``budget`` requests a second.

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
    """The floor between ``low`` and ``high`` whose predicted tail wait (``predicted(floor)``:
    :func:`tail_wait` of the schedule the budget allows with that floor) is least: the best
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
    scale: float | None = None,
    floor: float | None = None,
) -> float:
    """The seconds until a source's next poll.

    ``configured`` is the operator's interval; ``role`` says what it is: ``floor`` (never
    polled more often), ``ceiling`` (never less often, whatever the source hints), ``fixed``
    (no adapting; hints only lengthen it) or None (a source without an interval of its own:
    ``[daemon].interval`` is only where it starts). Within those, the learned
    :func:`adaptive_interval` (at the daemon's ``scale``, :func:`budget_scale`, and its tail
    ``floor``, :func:`tail_floor`), never shorter than the source's ``hint``.
    """
    if role is not None and role not in INTERVAL_ROLES:
        raise ValueError(f"interval_is must be one of {', '.join(INTERVAL_ROLES)}, not {role!r}")
    seconds = (
        adaptive_interval(rate, configured, low, high, scale, floor) if adaptive else configured
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
