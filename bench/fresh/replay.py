"""The daemon's adaptive schedule replayed on ``bench/fresh``'s publications, without a daemon.

    python bench/fresh/replay.py                      # bursty arrivals, seeds 18-23, ~15 s
    python bench/fresh/replay.py --no-account         # the law's price alone (before s13)
    python bench/fresh/replay.py --bursts true        # the bench's true bursts, not estimated

``simulate.py`` asks what a polling law could do knowing the publications' parameters, its
settings searched on the seeds it reports; this plays the law as ``Daemon`` runs it, with
everything it has to learn: each source's rate from the items its feed has shown
(``shown_rate``), its bursts estimated every 15 s (``estimate_bursts``, drawn toward the
pooled estimate by ``PRIOR_ITEMS``), the budget's theta every 5 s (``budget_scale``, the
spending correction, the account of requests), the tail floor every 15 s (``tail_floor``),
replanned polls (``REPLAN_SHARE``), intervals from each poll's end (a changed feed takes
``--store`` seconds), dates in whole seconds, 64 dates kept per source. Not played: the
event loop, the lease rounds, the watcher's reads (a constant ``WATCH``), a hub's requests
(a constant ``HUB_REQUESTS`` at the start, as the bench's 20 subscriptions and their
renewals). Its figures sit near the bench's (session 13: 0.27 of fixed on the code before
the account, the bench's base runs 0.23-0.30), so a change can be tried here in seconds
before the bench's minutes; the bench decides.
"""

from __future__ import annotations

import argparse
import collections
import math
import random
import statistics
import sys
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))
sys.path.insert(0, str(HERE))

from run import (  # noqa: E402
    BRANCHING,
    DECAY,
    FIXED_INTERVAL,
    KEEP,
    MAX_INTERVAL,
    MIN_INTERVAL,
    SETTLE,
    WARMUP,
    Feed,
    bursty_schedule,
    schedule,
)

from wire.ingest.daemon import FLOOR_EVERY, REPLAN_SHARE, SCALE_EVERY  # noqa: E402
from wire.ingest.freshness import (  # noqa: E402
    BUDGET_MARGIN,
    BURST_ITEMS,
    POISSON,
    PRIOR_ITEMS,
    Bursts,
    account_budget,
    adaptive_interval,
    budget_scale,
    request_rate,
    shown_rate,
    spending_correction,
    tail_floor,
    tail_wait,
)
from wire.ingest.hawkes import estimate_bursts, estimate_each  # noqa: E402

PUSH_WAIT = 0.15  # seconds from a hub's push to the change feed (the bench's median)
WATCH = 0.05  # the bench's watcher reads the change feed every 0.1 s
HUB_REQUESTS = 40  # the adaptive run's requests to the hub (the bench's count)
SHORT_POLL = 0.02  # seconds of a poll that finds nothing (a 304)


def jitter(seconds: float) -> float:
    """The daemon's: up to a tenth of the interval, at most the bench's 2 s."""
    return min(2.0, seconds / 10)


def p95(values: list[float]) -> float:
    return sorted(values)[int(0.95 * (len(values) - 1))] if values else 0.0


class Replay:
    """One run of the daemon's law over the mix: its state as ``Daemon`` keeps it."""

    def __init__(self, feeds: list[Feed], seconds: float, rnd: random.Random,
                 args: argparse.Namespace) -> None:  # fmt: skip
        self.feeds, self.seconds, self.rnd, self.args = feeds, seconds, rnd, args
        self.pushing = {f.index for f in feeds if f.kind == "push"}
        self.times = {f.index: collections.deque[float](maxlen=BURST_ITEMS) for f in feeds}
        self.polled: dict[int, float] = {}
        self.rates: dict[int, float] = {}
        self.bursts = {f.index: POISSON for f in feeds}
        self.scale: float | None = None
        self.floor: float | None = None
        self.next: dict[int, float] = {}
        self.seen = {f.index: 0 for f in feeds}
        self.found: dict[tuple[int, int], float] = {}
        self.requests = HUB_REQUESTS
        self.now = 0.0
        self.offset = rnd.random()  # the epoch's fraction of a second: dates are whole

    def interval(self, i: int, scale: float | None = None, floor: float | None = None,
                 ages: Sequence[float] | None = None) -> float:  # fmt: skip
        """``Daemon._interval``: the Poisson price without ``ages``, else the law."""
        if i in self.pushing:
            return MAX_INTERVAL
        if scale is None and self.scale is not None:
            scale, floor = min(self.scale, 1.0), self.floor
        bursts = POISSON if ages is None else self.bursts[i]
        rate = self.rates.get(i, 1.0 / FIXED_INTERVAL)
        return adaptive_interval(rate, FIXED_INTERVAL, MIN_INTERVAL, MAX_INTERVAL, scale,
                                 floor, bursts, ages or ())  # fmt: skip

    def ages(self, i: int) -> list[float]:
        return [self.polled[i] - t for t in self.times[i]]

    def correction(self) -> float:
        if self.scale is None:
            return 1.0
        theta, shown = min(self.scale, 1.0), [i for i in self.polled if i not in self.pushing]
        priced = [self.interval(i, theta, self.floor) for i in shown]
        chosen = [self.interval(i, theta, self.floor, self.ages(i)) for i in shown]
        return spending_correction(priced, chosen)

    def budget(self) -> float:
        n = len(self.feeds)
        if not self.args.account:
            return self.args.margin * n * request_rate(FIXED_INTERVAL, jitter(FIXED_INTERVAL))
        periods = [FIXED_INTERVAL + jitter(FIXED_INTERVAL)] * n
        spent = max(self.requests, n + HUB_REQUESTS)  # every first poll counted at the start
        return account_budget(periods, [self.now] * n, spent, self.args.margin)

    def scale_with(self, floor: float | None, correction: float) -> float:
        ids = [f.index for f in self.feeds]
        return budget_scale(lambda k: [self.interval(i, k, floor) for i in ids],
                            self.budget() / correction, jitter)  # fmt: skip

    def best_floor(self) -> tuple[float, float]:
        correction = self.correction()

        def predicted(floor: float) -> float:
            scale = self.scale_with(floor, correction)
            waits = []
            for f in self.feeds:
                rate = self.rates.get(f.index, 1.0 / FIXED_INTERVAL)
                seconds = 0.0 if f.index in self.pushing else self.interval(f.index, scale, floor)
                waits.append((rate, seconds + jitter(seconds) / 2 if seconds else 0.0))
            return tail_wait(waits)

        floor = self.args.wait or tail_floor(predicted, MIN_INTERVAL, MAX_INTERVAL)
        return floor, self.scale_with(floor, correction)

    def estimate(self) -> None:
        if self.args.bursts == "true":
            self.bursts = {i: Bursts(BRANCHING, DECAY) for i in self.bursts}
            return
        runs = {i: (list(self.times[i]), self.polled[i]) for i in self.polled}
        pooled = estimate_bursts(runs.values())
        ids = list(self.bursts)
        each = estimate_each([runs.get(i, ((), 0.0)) for i in ids], pooled, PRIOR_ITEMS)
        self.bursts.update(zip(ids, each, strict=True))

    def replan(self) -> None:
        """``Daemon._replan``: a poll far from where the new theta or wait puts it moves."""
        if self.scale is None:
            return
        for i, planned_at in list(self.next.items()):
            if i in self.pushing or i not in self.polled:
                continue
            planned = planned_at - self.polled[i]
            if abs(self.interval(i) - planned) <= REPLAN_SHARE * planned:
                continue
            interval = self.interval(i, ages=self.ages(i))
            if abs(interval - planned) <= REPLAN_SHARE * planned:
                continue
            when = self.polled[i] + interval + self.rnd.uniform(0, jitter(interval))
            self.next[i] = max(self.now, when)

    def poll(self, feed: Feed, start: float) -> None:
        i = feed.index
        self.requests += 1
        now = feed.published(start)
        new = range(max(self.seen[i], now - KEEP), now)
        first = i not in self.polled
        duration = self.args.store if new else SHORT_POLL
        for n in new:
            if not first:  # a first poll's items are the backlog: not counted
                self.found[(i, n)] = start + duration
            dated = math.floor(feed.times[n] + self.offset) - self.offset
            self.times[i].append(min(dated, start))
        self.seen[i], self.polled[i] = now, start
        rate = shown_rate(self.times[i], start)
        if rate is not None:
            self.rates[i] = rate
        interval = self.interval(i, ages=self.ages(i))
        self.next[i] = start + duration + interval + self.rnd.uniform(0, jitter(interval))

    def run(self) -> tuple[float, int]:
        byid = {f.index: f for f in self.feeds}
        for f in self.feeds:
            self.next[f.index] = self.rnd.uniform(0, 0.5)
        scale_at, floor_at = SCALE_EVERY, min(SCALE_EVERY, FLOOR_EVERY)
        while True:
            i = min(self.next, key=self.next.__getitem__)
            self.now = min(self.next[i], scale_at, floor_at)
            if self.now >= self.seconds:
                break
            if self.now == floor_at:
                self.estimate()
                self.floor, self.scale = self.best_floor()
                self.replan()
                floor_at += FLOOR_EVERY
            elif self.now == scale_at:
                self.scale = self.scale_with(self.floor, self.correction())
                self.replan()
                scale_at += SCALE_EVERY
            else:
                self.poll(byid[i], self.now)
        waits = []
        for f in self.feeds:
            for n, t in enumerate(f.times):
                if WARMUP <= t <= self.seconds - SETTLE:
                    if f.index in self.pushing:
                        waits.append(PUSH_WAIT)
                        continue
                    found = self.found.get((f.index, n))
                    waits.append(math.inf if found is None else found - t + WATCH)
        return p95(waits), self.requests


def fixed(feeds: list[Feed], seconds: float, rnd: random.Random, store: float) -> tuple[float, int]:
    """The fixed schedule, as the bench runs it: every source every 20 s, no WebSub."""
    waits, requests = [], 0
    for feed in feeds:
        found: dict[int, float] = {}
        poll = rnd.uniform(0, 0.5)
        seen, requests = feed.published(poll), requests + 1
        while (poll := poll + FIXED_INTERVAL + rnd.uniform(0, 2.0)) < seconds:
            requests += 1
            now = feed.published(poll)
            found.update((n, poll) for n in range(max(seen, now - KEEP), now))
            seen = now
        counted = [(n, t) for n, t in enumerate(feed.times) if WARMUP <= t <= seconds - SETTLE]
        waits.extend(found[n] - t + store + WATCH if n in found else math.inf for n, t in counted)
    return p95(waits), requests


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--arrivals", choices=("poisson", "bursty"), default="bursty")
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--seeds", type=int, nargs="+", default=[18, 19, 20, 21, 22, 23])
    parser.add_argument("--store", type=float, default=0.3, help="seconds to store a find")
    parser.add_argument("--bursts", choices=("estimated", "true"), default="estimated")
    parser.add_argument("--margin", type=float, default=BUDGET_MARGIN)
    parser.add_argument(
        "--no-account", dest="account", action="store_false", help="the margin of the rate alone"
    )
    parser.add_argument("--wait", type=float, default=0.0, help="a fixed tail floor")
    args = parser.parse_args()
    make = schedule if args.arrivals == "poisson" else bursty_schedule
    ratios, extra = [], []
    for seed in args.seeds:
        feeds = make(args.seconds, seed)
        base = fixed(feeds, args.seconds, random.Random(seed), args.store)
        replay = Replay(feeds, args.seconds, random.Random(seed), args)
        got = replay.run()
        ratios.append(got[0] / base[0])
        extra.append(got[1] - base[1])
        print(
            f"seed {seed}: p95 {got[0]:.2f} / {base[0]:.2f} = {ratios[-1]:.2f}; requests "
            f"{got[1]} vs {base[1]}; floor {replay.floor or 0:.2f}, theta {replay.scale or 0:.3f}",
            flush=True,
        )
    finite = [r for r in ratios if 0 < r < math.inf]  # a fixed p95 missed (inf) says nothing
    met = sum(1 for r in finite if r <= 0.25)
    print(
        f"{args.arrivals}: p95 / fixed median {statistics.median(finite):.3f}, worst "
        f"{max(finite):.2f}, <= 0.25 in {met} of {len(finite)} seeds; requests vs fixed "
        f"{statistics.mean(extra):+.0f} (hub included)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
