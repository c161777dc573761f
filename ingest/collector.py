"""The cyclic garbage collector's settings for the long passes: ``run --once`` and the daemon.

What start-up made (imports, configuration, the engine) lives as long as the process: frozen,
no collection walks it again. A payload's records and rows make hundreds of thousands of
objects, and collecting the young ones every 700 allocations (Python's default) walked them
again and again: in ``run --once`` 0.8-0.95 s of CPU in the collector on bench/parse's feed
(loaded machine), in the daemon 2.3 s of the cold cycle's CPU and 1.3 s of the steady one's
(bench/daemon). Every 50,000 allocations they are walked far less often; cycles are still
collected.
"""

from __future__ import annotations

import gc

YOUNG = 50_000  # allocations between collections of the youngest generation (default 700)


def batch_collections() -> None:
    """For a pass that ends with the process (``run --once``): older generations seldom."""
    gc.freeze()
    gc.set_threshold(YOUNG, 50, 100)


def daemon_collections() -> None:
    """For the daemon, which runs for weeks: the older generations are collected more often
    than in :func:`batch_collections` (a full collection every 10 of the middle one's, each
    every 20 young ones), so garbage in cycles that lived a while is not kept for hours."""
    gc.freeze()
    gc.set_threshold(YOUNG, 20, 10)
