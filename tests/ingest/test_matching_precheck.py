"""The judge's pre-check (``matching.hopeless``) changes no verdict.

It rejects a pair from a few counts before the full judgement (``matching.judged``) runs; it
may only ever reject what the full judgement rejects. Checked on real-shaped copy: every pair
of the hand-written set (bench/dedup/sets, both ways round, also with one text in capitals as a
legacy 7901 feed sends it) and every pair of texts of different story groups (bench/dedup/
cross.py), each at its own similarity and at the similarities around the pre-check's bounds.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from wire.config import DedupConfig
from wire.ingest.dedup import Signed, Signer
from wire.ingest.matching import hopeless, judge, judged

ROOT = Path(__file__).resolve().parents[2]
CONFIG = DedupConfig()
# the pre-check's bounds (SHORT_FACT_SIMILARITY, SMALL_SIMILARITY, the threshold) and around
AROUND = (0.0, 0.01, 0.05, 0.1, 0.149, 0.15, 0.199, 0.2, 0.299, 0.3, 0.5)


@pytest.fixture(scope="module")
def bench() -> Iterator[tuple[object, object, object]]:
    sys.path.insert(0, str(ROOT / "bench" / "dedup"))
    try:
        import case
        import cross
        import realset

        yield case, cross, realset
    finally:
        sys.path.remove(str(ROOT / "bench" / "dedup"))


def _similarity(a: Signed, b: Signed) -> float:
    return float(np.count_nonzero(a.hashvalues == b.hashvalues)) / CONFIG.num_perm


def _same(a: Signed, b: Signed, similarities: tuple[float, ...]) -> tuple[int, int]:
    """Both ways round at each similarity: (pairs judged, pairs the pre-check rejected)."""
    judged_pairs = rejected = 0
    for sim in (_similarity(a, b), *similarities):
        for x, y in ((a, b), (b, a)):
            full = judged(sim, x.traits, y.traits, CONFIG.threshold)
            if hopeless(sim, x.traits, y.traits, CONFIG.threshold):
                assert full is None, (sim, full)
                rejected += 1
            assert judge(sim, x.traits, y.traits, CONFIG.threshold) == full
            judged_pairs += 1
    return judged_pairs, rejected


def test_the_pre_check_changes_no_verdict_on_the_hand_written_pairs(bench) -> None:
    case, _, realset = bench
    signer = Signer(CONFIG)
    total = rejected = 0
    for pair in realset.pairs():
        for change in (case.VARIANTS["plain"], case.VARIANTS["caps-text"]):
            a, b = pair["a"], change(pair["b"])
            sa = signer.sign_text(a["headline"], a["lead"], a["body"], pair["lang"])
            sb = signer.sign_text(b["headline"], b["lead"], b["body"], pair["lang"])
            if sa is None or sb is None:
                continue
            n, r = _same(sa, sb, AROUND)
            total += n
            rejected += r
    assert total > 20_000
    assert rejected > total // 20  # the pre-check is exercised, not passed over


def test_the_pre_check_changes_no_verdict_across_story_groups(bench) -> None:
    _, cross, _ = bench
    total = rejected = 0
    for *_, sa, sb, _ in cross.story_pairs(Signer(CONFIG)):
        n, r = _same(sa, sb, (0.0, 0.1, 0.2))
        total += n
        rejected += r
    assert total > 50_000
    assert rejected > total // 2  # most pairs of different stories are chance candidates
