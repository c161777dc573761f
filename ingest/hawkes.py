"""A source's bursts (``share``, ``decay``) by maximum likelihood, from its items' dates.

The exponential Hawkes process of :class:`~wire.ingest.freshness.Bursts`: a source's
intensity at ``t`` is its story rate ``mu`` plus ``share / decay * exp(-(t - t_j) / decay)``
for every earlier item ``t_j``. Over a record (a source's sorted dates, from its first to the
time it was last looked at, ``end``) the log-likelihood is

    sum_i log(mu + share * x_i) - mu * span - share * sum_i (1 - exp(-(end - t_i) / decay))

with ``x_i = sum_{j<i} exp(-(t_i - t_j) / decay) / decay``. The last term is the record's
censoring: an item near ``end`` has not had the time to bring its follow-ups, and it depends
on the decay too (an EM whose decay step is the mean delay of the follow-ups ignores that and
settles short of the maximum, slowly: session 15). Dates in whole seconds (RFC 822) hide
where in its second an item came, so for such a record the kernel is averaged over those
fractions (:func:`_excitation`): without it two items of one second are a follow-up at no
delay, and the likelihood grows without bound as the decay shrinks (on the daemon's records
the maximum was the least decay allowed, ``MIN_DECAY``, for two of three wire windows).

How it is maximised, and why it is cheap: for a given decay the likelihood is concave in
(``mu``, ``share``) (a log of a linear function, less a linear one), so ``mu`` is profiled
by Newton's method and ``share`` found by Newton's method on the profile's slope, kept in
the bracket its signs leave; the decay, one dimension, by a grid on a logarithmic scale
refined by golden section. Every source's record is padded to one length and the sums run
in numpy over all of them at once: a pooled estimate (one share and decay, a story rate per
source) and every source's own estimate (:func:`estimate_each`) cost a few dozen passes
over the dates each.

A prior (``prior``, counted as ``weight`` items) is the EM's pseudo-items made a penalty:
``weight`` items fully exposed that brought ``weight * prior.share`` follow-ups, each
``prior.decay`` after it; alone it is maximised at the prior.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from wire.ingest.freshness import MAX_SHARE, MIN_DECAY, POISSON, Bursts

Array = npt.NDArray[np.float64]
Run = tuple[Sequence[float], float]

DECAY_GRID = 10  # decays tried, evenly on a logarithmic scale, before the golden section
DECAY_STEPS = 16  # golden-section steps: the bracket shrinks to 1e-3 of its log width
SHARE_STEPS = 60  # safeguarded Newton steps on the share (bisection alone: 2^-60)
RATE_STEPS = 60  # Newton steps on the story rates
TOLERANCE = 1e-9
GOLDEN = (math.sqrt(5) - 1) / 2
TINY = 1e-100  # a share taken as 0 in the prior's log (its square still a float)


@dataclass(frozen=True)
class _Records:
    """Records padded to one length, items along the first axis (one column a source)."""

    gaps: Array  # seconds since the item before (0 for a record's first and the padding)
    left: Array  # seconds from the item to the record's end (0 for the padding)
    mask: Array  # 1 for an item, 0 for the padding
    span: Array  # seconds from a record's first item to its end (at least MIN_DECAY)
    ties: Array  # 1 for an item dated the same second as the one before
    whole: Array  # 1 for a record whose dates are whole seconds apart (rounded dates)

    @classmethod
    def of(cls, runs: Sequence[Run]) -> _Records:
        width = max(len(times) for times, _ in runs)
        gaps, left, mask = (np.zeros((width, len(runs))) for _ in range(3))
        span, whole = np.empty(len(runs)), np.zeros(len(runs))
        for column, (times, end) in enumerate(runs):
            dates = np.asarray(times, dtype=np.float64)
            gaps[1 : len(dates), column] = np.maximum(0.0, np.diff(dates))
            left[: len(dates), column] = np.maximum(0.0, end - dates)
            mask[: len(dates), column] = 1.0
            span[column] = max(end - float(dates[0]), MIN_DECAY)
            steps = gaps[1 : len(dates), column]
            whole[column] = bool(np.all(np.abs(steps - np.round(steps)) < 1e-6))
        ties = (gaps == 0) * mask
        ties[0] = 0.0
        return cls(gaps, left, mask, span, ties, whole)


@dataclass(frozen=True)
class _Prior:
    """The pseudo-items: ``weight`` items, ``follow`` (= weight * share) follow-ups."""

    weight: float
    follow: float
    decay: float

    def share_slope(self, share: Array) -> Array:
        return self.follow / np.maximum(share, TINY) - self.weight

    def share_curve(self, share: Array) -> Array:
        return -self.follow / np.maximum(share, TINY) ** 2

    def value(self, share: Array, decay: Array) -> Array:
        if self.follow <= 0:
            return -self.weight * share
        shares = self.follow * np.log(np.maximum(share, TINY)) - self.weight * share
        return shares - self.follow * (np.log(decay) + self.decay / decay)


def estimate_bursts(sources: Iterable[Run], prior: Bursts = POISSON, weight: float = 0.0) -> Bursts:
    """``share`` and ``decay`` from publication times: ``sources`` are each a source's sorted
    times (seconds, any origin) and the time it was last looked at (its last poll: items
    after a time's own follow-ups may still come). One source gives its own estimate;
    several give a pooled one (the same share and decay, each its own story rate). The
    maximum of the likelihood with ``prior`` counted as ``weight`` items (module docstring);
    ``prior`` itself without a source of two dates or more."""
    runs = [(times, end) for times, end in sources if len(times) >= 2]
    if not runs:
        return prior
    share, decay = _fit(_Records.of(runs), _prior(prior, weight), pooled=True)
    return _bursts(float(share[0]), float(decay[0]), prior)


def estimate_each(sources: Sequence[Run], prior: Bursts, weight: float) -> list[Bursts]:
    """Every source's own :func:`estimate_bursts` (toward ``prior`` by ``weight`` items), all
    maximised at once: the same figures as one call a source, a fraction of the time."""
    out = [prior] * len(sources)
    fitted = [n for n, (times, _) in enumerate(sources) if len(times) >= 2]
    if not fitted:
        return out
    records = _Records.of([sources[n] for n in fitted])
    shares, decays = _fit(records, _prior(prior, weight), pooled=False)
    for n, share, decay in zip(fitted, shares.tolist(), decays.tolist(), strict=True):
        out[n] = _bursts(share, decay, prior)
    return out


def _prior(prior: Bursts, weight: float) -> _Prior:
    return _Prior(weight, weight * prior.share, prior.decay)


def _bursts(share: float, decay: float, prior: Bursts) -> Bursts:
    """No follow-ups say nothing of their delay: the prior's decay then."""
    return Bursts(share, decay) if share > 1e-9 else Bursts(share, prior.decay)


def _fit(records: _Records, prior: _Prior, pooled: bool) -> tuple[Array, Array]:
    """The maximiser (share, decay) per source, or the pooled one in every column."""
    count = records.span.size
    state = _State(np.full(count, 0.5), records.mask.sum(0) / records.span)
    top = max(float(records.span.max()), 2 * MIN_DECAY)
    grid = np.linspace(math.log(MIN_DECAY), math.log(top), DECAY_GRID)
    values = np.stack([_profile(records, prior, np.full(count, g), pooled, state) for g in grid])
    best = values.argmax(0)
    a, b = grid[np.maximum(best - 1, 0)], grid[np.minimum(best + 1, DECAY_GRID - 1)]
    c, d = b - GOLDEN * (b - a), a + GOLDEN * (b - a)
    fc, fd = (_profile(records, prior, x, pooled, state) for x in (c, d))
    for _ in range(DECAY_STEPS):
        lower = fc >= fd  # the maximum is in [a, d]: c becomes the new d; else d the new c
        a, b = np.where(lower, a, c), np.where(lower, d, b)
        c, d = np.where(lower, b - GOLDEN * (b - a), d), np.where(lower, c, a + GOLDEN * (b - a))
        found = _profile(records, prior, np.where(lower, c, d), pooled, state)
        fc, fd = np.where(lower, found, fd), np.where(lower, fc, found)
    final = np.where(fc >= fd, c, d)
    edge = values.max(0) > np.maximum(fc, fd)  # the golden section did worse than the grid
    final = np.where(edge, grid[best], final)
    _profile(records, prior, final, pooled, state)
    return state.share, np.exp(final)


@dataclass
class _State:
    """The last share and story rates found: the next decay's start (they move little)."""

    share: Array
    rates: Array


def _profile(
    records: _Records, prior: _Prior, log_decay: Array, pooled: bool, state: _State
) -> Array:
    """The log-likelihood maximised over the share and the story rates at each column's
    decay (``exp(log_decay)``), the prior's penalty included; ``state`` takes the maximiser.
    Pooled: the columns' sum, in every column."""
    decay = np.exp(log_decay)
    x, exposure = _excitation(records, decay)
    share, rates = _fit_share(records, prior, x, exposure, pooled, state)
    state.share, state.rates = share, rates
    value = (records.mask * np.log(rates + share * x)).sum(0)
    value += -rates * records.span - share * exposure
    if pooled:
        value = np.full_like(value, value.sum())
    return value + prior.value(share, decay)


def _excitation(records: _Records, decay: Array) -> tuple[Array, Array]:
    """Each item's excitation a unit of share brings (``x_i``, the kernel over the items before
    it, by the exponential's recursion: linear in the items) and each record's exposure (the
    follow-ups a unit of share brings within the record).

    Dates in whole seconds (``whole``) hide where in its second an item came: the kernel is
    averaged over those fractions (uniform, independent), so two items of one second are
    not taken for a follow-up at no delay (which makes the likelihood grow without bound
    as the decay shrinks: the estimate would settle at the least decay)."""
    inverse = 1.0 / decay
    fade = np.exp(-records.gaps * inverse)
    earlier, same = np.zeros_like(fade), np.zeros_like(fade)  # items of earlier seconds, of its
    for row in range(1, fade.shape[0]):
        apart = 1.0 - records.ties[row]
        earlier[row] = fade[row] * (earlier[row - 1] + apart * (1.0 + same[row - 1]))
        same[row] = records.ties[row] * (same[row - 1] + 1.0)
    # E exp(-(u_i - u_j) / decay) over the fractions: apart, and one second's (u_j < u_i)
    halfway = 2 * decay * np.sinh(inverse / 2)
    within = 2 * decay * (1.0 + decay * np.expm1(-inverse))
    apart_factor = np.where(records.whole > 0, halfway * halfway, 1.0)
    same_factor = np.where(records.whole > 0, within, 1.0)
    kernel = apart_factor * earlier + same_factor * same
    exposure = (records.mask * -np.expm1(-records.left * inverse)).sum(0)
    return kernel * inverse * records.mask, exposure


def _fit_share(
    records: _Records, prior: _Prior, x: Array, exposure: Array, pooled: bool, state: _State
) -> tuple[Array, Array]:
    """The share maximising the profile likelihood (story rates maximised at each share):
    concave, so Newton's method on its slope, kept inside the bracket the slope's signs
    leave (the secant between its ends when a step leaves it, else bisection). Pooled: one
    share, the slopes summed. A share whose slope at 0 is not positive is 0 (no follow-ups:
    Poisson arrivals); a column whose share has settled leaves the work."""
    share, rates = state.share.copy(), state.rates.copy()
    low, high = np.zeros_like(share), np.full_like(share, MAX_SHARE)
    if prior.follow <= 0:  # at share 0 the story rate is the item rate: the slope there
        items = records.mask.sum(0) / records.span
        slope, _ = _slopes(records.mask, x, exposure, np.zeros_like(share), items, pooled)
        slope = slope - prior.weight
        high = np.where(slope <= 0, 0.0, high)
        share, rates = np.where(slope <= 0, 0.0, share), np.where(slope <= 0, items, rates)
    columns = np.flatnonzero(high > low)
    up, down = np.full_like(share, np.nan), np.full_like(share, np.nan)  # slopes at the ends
    for _ in range(SHARE_STEPS):
        if columns.size == 0:
            break
        mask, span, here = records.mask[:, columns], records.span[columns], x[:, columns]
        now = share[columns]
        rates[columns] = _story_rates(mask, span, here, now, rates[columns])
        slope, curve = _slopes(mask, here, exposure[columns], now, rates[columns], pooled)
        slope = slope + prior.share_slope(now)
        curve = curve + prior.share_curve(now)
        rising = slope > 0
        lo = low[columns] = np.where(rising, now, low[columns])
        hi = high[columns] = np.where(rising, high[columns], now)
        s_lo = up[columns] = np.where(rising, slope, up[columns])
        s_hi = down[columns] = np.where(rising, down[columns], slope)
        with np.errstate(divide="ignore", invalid="ignore"):
            step = now - slope / curve
            secant = lo + s_lo * (hi - lo) / (s_lo - s_hi)  # when Newton's step leaves
        there = np.abs(step - now) < TOLERANCE  # at the root (a step may round onto an end)
        step = np.where((step > lo) & (step < hi), step, secant)
        step = np.where((step > lo) & (step < hi), step, (lo + hi) / 2)
        step = np.where(there, now, step)
        share[columns] = step
        settled = there | (np.abs(step - now) < TOLERANCE) | (hi - lo < TOLERANCE)
        columns = columns[~settled]  # pooled: one share, settled in every column at once
    return share, _story_rates(records.mask, records.span, x, share, rates)


def _slopes(
    mask: Array, x: Array, exposure: Array, share: Array, rates: Array, pooled: bool
) -> tuple[Array, Array]:
    """The profile likelihood's slope and curvature in the share (story rates at their
    maximum): d/dshare, and d2/dshare2 less what the story rate's move takes back."""
    inverse = mask / (rates + share * x)
    excited = x * inverse
    squares = (inverse * inverse).sum(0)
    slope = excited.sum(0) - exposure
    curve = -(excited * excited).sum(0) + (excited * inverse).sum(0) ** 2 / squares
    if pooled:
        slope, curve = np.full_like(slope, slope.sum()), np.full_like(curve, curve.sum())
    return slope, curve


def _story_rates(mask: Array, span: Array, x: Array, share: Array, rates: Array) -> Array:
    """Each record's story rate maximising the likelihood at ``share``: the root of
    ``sum_i 1 / (mu + share * x_i) = span`` (decreasing and convex in ``mu``: Newton's method,
    never more than three quarters of the way to zero in a step)."""
    excited = share * x
    for _ in range(RATE_STEPS):
        inverse = mask / (rates + excited)
        step = (inverse.sum(0) - span) / (inverse * inverse).sum(0)
        moved = np.maximum(rates + step, rates / 4)
        done = bool(np.all(np.abs(moved - rates) <= TOLERANCE * rates))
        rates = moved
        if done:
            break
    return rates
