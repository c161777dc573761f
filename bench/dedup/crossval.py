"""Cross-validated precision and recall of the judge's tunable choices, inside the tuning part.

The held-out third of the hand-written set is scored once, by the lead, at the end of a
session; sessions 9 to 12 tuned on the rest, and their gains there (0.849 -> 0.904 recall) did
not carry over to the held-out part (0.732 -> 0.761: rewrites 0.500, briefs 0.750). This script
estimates, without the held-out pairs, how a tunable choice generalises: the tuning pairs are
split by story group into ``k`` folds (``--by language``: one fold per language); a choice is
fitted on ``k - 1`` folds and scored on the remaining one, each fold in turn, over several
random fold assignments (``--seeds``). What a fold is fitted on:

- the hand-written set's tuning pairs (``realset.py``),
- the generated set's tuning pairs (``pairs.jsonl``: its own story groups; ``--no-generated``
  leaves them out),
- the pairs of different story groups of ``cross.py`` (tuning texts only), which must stay apart:
  a fold's cross pairs are those whose texts' groups are all in it.

Two kinds of choice (``--mode``):

- ``thresholds``: the constants of the rules for texts that share almost no text
  (:data:`GRID`: the account, brief and same-day rules of :mod:`wire.ingest.matching`), fitted
  by coordinate search from the shipped values: a value is taken when it joins at least
  ``--min-gain`` more training pairs and no more different stories than the shipped values
  (labelled pairs and cross pairs together);
- ``learned``: a logistic combination of the judge's features of a pair (:func:`features`:
  similarity, containment, shared numbers and names, the headlines' subjects, the days) beside
  the shipped rules (a pair joins when the judge joins it, or when its score is above every
  training pair of different stories the judge keeps apart); ``--alone`` lets the score
  decide alone for pairs sharing almost no text (below ``ACCOUNT_SIMILARITY``), the rules
  elsewhere.

Each pair goes through the index as in ``evaluate.py`` (``a`` indexed, ``b`` matched): only the
candidates the index judges are judged here. The shipped judge's plain figures (every tuning
pair, nothing fitted) are printed beside the cross-validated ones. Run
``python bench/dedup/crossval.py [--mode thresholds|learned] [--k 4] [--seeds 3]``.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import cross  # noqa: E402  (bench/dedup/cross.py: the tuning texts of other story groups)
import realset  # noqa: E402  (bench/dedup/realset.py, beside this script)

from wire.config import DedupConfig  # noqa: E402
from wire.ingest import matching  # noqa: E402
from wire.ingest.dedup import ClusterIndex, Match, Signed, Signer, language_key  # noqa: E402
from wire.ingest.matching import Traits  # noqa: E402

Call = tuple[float, Traits, Traits]  # (similarity, new article's traits, candidate's traits)

# The constants fitted in ``thresholds`` mode and the values tried (the shipped value among
# them). Their minima keep :func:`wire.ingest.matching.hopeless` exact (it is derived from the
# fewest names and numbers any rule needs: 3 names), so a pair it rejects stays rejected.
GRID: dict[str, list[float]] = {
    "ACCOUNT_NAMES": [0.2, 0.25, 0.3, 0.35, 0.4],
    "ACCOUNT_SHARED": [3, 4, 5],
    "ACCOUNT_NUMBERS": [0.2, 0.25, 0.34, 0.4, 0.5],
    "ACCOUNT_LACKING": [2, 3, 4, 5],
    "ACCOUNT_MORE": [0.1, 0.15, 0.2, 0.3],
    "ACCOUNT_HEADLINE": [0.35, 0.45, 0.5, 0.55, 0.6, 0.7],
    "ACCOUNT_SIMILARITY": [0.1, 0.15, 0.2],
    "BRIEF_NAMES": [0.4, 0.5, 0.6, 0.7],
    "BRIEF_SHARED": [3, 4, 5],
    "BRIEF_FIGURES_SHARE": [0.5, 0.6, 0.75, 0.9],
    "DAY_NAMES": [0.3, 0.4, 0.5, 0.6],
    "DAY_SHARED": [4, 5, 7, 9],
    "DAY_HEADLINE": [0.1, 0.2, 0.3, 0.4],
    "FACT_HEADLINE": [0.2, 0.3, 0.35, 0.45],
    "PROPER_SHARED": [1, 2, 3],
    "NAMES_AGREE": [0.3, 0.4, 0.5],
}

FEATURES = (
    "similarity",
    "containment",
    "numbers shared (share of the fewer)",
    "numbers Jaccard",
    "numbers shared (log)",
    "numbers the fewer lacks (log)",
    "numbers the more lacks (log)",
    "a side without numbers",
    "names shared (share of the fewer)",
    "names Jaccard",
    "names shared (log)",
    "proper names shared (log)",
    "headlines' subjects found",
    "told on other days",
    "open on other days",
    "open on the same day",
    "size ratio",
    "market report",
    "in capitals",
    "headline subjects in both (log)",
)


@dataclass
class Row:
    """One pair: its label and kind, the groups it belongs to, the judge's calls for it (those
    the pre-check does not reject), and whether the shipped judge joins it."""

    source: str  # realset | generated | cross
    kind: str
    label: int
    groups: frozenset[str]
    lang: str
    calls: list[Call]
    shipped: bool
    name: str = ""  # the pair's id (evaluate.py's), or the two texts' keys of a cross pair
    features: list[np.ndarray] = field(default_factory=list)


class _Recording(ClusterIndex):
    """A cluster index that keeps the candidates it judges (the pairs the judge sees)."""

    seen: list[Call]

    def _judge(
        self, sig: Signed, index: Any, order: list[tuple[float, str, int]], limit: int
    ) -> list[Match]:
        for neg, _key, slot in order:
            traits = index.traits[slot]
            if traits is not None:
                self.seen.append((-neg, sig.traits, traits))
        return super()._judge(sig, index, order, limit)


def _pair_row(signer: Signer, config: DedupConfig, pair: dict[str, Any], source: str) -> Row:
    a, b = pair["a"], pair["b"]
    sig_a = signer.sign_text(a["headline"], a["lead"], a["body"], pair["lang"])
    sig_b = signer.sign_text(b["headline"], b["lead"], b["body"], pair["lang"])
    found: list[Match] = []
    seen: list[Call] = []
    if sig_a is not None and sig_b is not None:
        index = _Recording.from_config(config)
        assert isinstance(index, _Recording)
        index.seen = seen
        lang = language_key(pair["lang"])
        index.add("a", lang, sig_a, 0.0)
        found = index.matches(sig_b, lang, 0.0)
    calls = [c for c in seen if not matching.hopeless(*c, config.threshold)]
    group = pair["group"] if source == "realset" else f"gen-{pair['group']}"
    name = pair["id"] if source == "realset" else f"gen{pair['id']}"
    return Row(source, pair["kind"], pair["label"], frozenset((group,)), pair["lang"], calls,
               bool(found), name)  # fmt: skip


def _cross_rows(signer: Signer, config: DedupConfig) -> Iterator[Row]:
    """``cross.py``'s pairs the pre-check does not reject, both ways round."""
    for lang, a, b, sa, sb, groups in cross.story_pairs(signer):
        sim = float(np.count_nonzero(sa.hashvalues == sb.hashvalues)) / config.num_perm
        calls = [
            c
            for c in ((sim, sb.traits, sa.traits), (sim, sa.traits, sb.traits))
            if not matching.hopeless(*c, config.threshold)
        ]
        if calls:
            shipped = any(matching.judged(*c, config.threshold) for c in calls)
            names = frozenset(f"{lang}-{g}" for g in groups)
            yield Row("cross", "cross", 0, names, lang, calls, shipped, f"{a}|{b}")


def rows(generated: bool = True) -> list[Row]:
    """Every pair the folds are made of (tuning parts only)."""
    config = DedupConfig()
    signer = Signer(config)
    out = [_pair_row(signer, config, p, "realset") for p in realset.pairs("tune")]
    if generated:
        with (HERE / "pairs.jsonl").open(encoding="utf-8") as fh:
            gen = [json.loads(line) for line in fh if line.strip()]
        out += [_pair_row(signer, config, p, "generated") for p in gen if p["split"] == "tune"]
    out += list(_cross_rows(signer, config))
    return out


def features(sim: float, a: Traits, b: Traits) -> np.ndarray:
    """The judge's view of a pair as numbers (:data:`FEATURES`), for a learned combination."""
    n_shared, n_jaccard, n_share = matching.numbers(a, b)
    m_shared, m_jaccard, m_share = matching._overlap(a.names, b.names)
    fewer, more = sorted((len(a.numbers), len(b.numbers)))
    small, big = sorted((a.shingles, b.shingles))
    return np.array(
        [
            sim,
            matching.containment(sim, a.shingles, b.shingles),
            n_share or 0.0,
            n_jaccard or 0.0,
            math.log1p(n_shared),
            math.log1p(max(fewer - n_shared, 0)),
            math.log1p(max(more - n_shared, 0)),
            float(n_jaccard is None),
            m_share or 0.0,
            m_jaccard or 0.0,
            math.log1p(m_shared),
            math.log1p(len(a.proper & b.proper)),
            matching._told(a, b),
            float(matching.other_day(a, b)),
            float(matching.moved_on(a, b)),
            float(bool(a.day) and a.day == b.day),
            small / max(big, 1),
            float(a.market or b.market),
            float(a.caps or b.caps),
            math.log1p(len(a.headline & b.headline)),
        ]
    )


@contextmanager
def constants(values: dict[str, float]) -> Iterator[None]:
    """The judge with these constants (module globals of :mod:`wire.ingest.matching`)."""
    saved = {k: getattr(matching, k) for k in values}
    for k, v in values.items():
        setattr(matching, k, v)
    try:
        yield
    finally:
        for k, v in saved.items():
            setattr(matching, k, v)


def joined(row: Row, threshold: float) -> bool:
    """The judge joins the pair (with the constants set now)."""
    return any(matching.judged(*c, threshold) is not None for c in row.calls)


def _count(train: Sequence[Row], threshold: float) -> tuple[int, int]:
    tp = fp = 0
    for row in train:
        if row.calls and joined(row, threshold):
            if row.label:
                tp += 1
            else:
                fp += 1
    return tp, fp


def fit_thresholds(train: Sequence[Row], threshold: float, min_gain: int) -> dict[str, float]:
    """Coordinate search over :data:`GRID` from the shipped values (two passes): a value is
    taken when it joins ``min_gain`` more pairs and no more different stories."""
    shipped = {k: getattr(matching, k) for k in GRID}
    chosen = dict(shipped)
    with constants(chosen):
        best, limit = _count(train, threshold)
    for _ in range(2):
        for name, values in GRID.items():
            for value in values:
                if value == chosen[name]:
                    continue
                trial = {**chosen, name: value}
                with constants(trial):
                    tp, fp = _count(train, threshold)
                if fp <= limit and tp >= best + min_gain:
                    best, chosen = tp, trial
    return {k: v for k, v in chosen.items() if v != shipped[k]}


def _fit_logistic(x: np.ndarray, y: np.ndarray, lam: float) -> tuple[np.ndarray, ...]:
    """L2-regularised logistic regression (Newton steps) on standardised features."""
    mu, sd = x.mean(0), x.std(0) + 1e-9
    z = np.hstack([(x - mu) / sd, np.ones((len(x), 1))])
    beta = np.zeros(z.shape[1])
    ridge = lam * np.r_[np.ones(z.shape[1] - 1), 0.0]
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-z @ beta))
        grad = z.T @ (p - y) + ridge * beta
        hess = (z * (p * (1 - p))[:, None]).T @ z + np.diag(ridge)
        beta -= np.linalg.solve(hess, grad)
    return mu, sd, beta


def _score(model: tuple[np.ndarray, ...], x: np.ndarray) -> np.ndarray:
    mu, sd, beta = model
    return np.hstack([(x - mu) / sd, np.ones((len(x), 1))]) @ beta


def _low(row: Row) -> bool:
    return bool(row.calls) and row.calls[0][0] < matching.ACCOUNT_SIMILARITY


class Tally:
    """Joins per category over the test folds of every run."""

    def __init__(self) -> None:
        self.counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # tp, fn, fp
        # pairs decided otherwise than the shipped judge does, and in how many runs
        self.changed: dict[tuple[str, str, int, bool], int] = defaultdict(int)

    def add(self, row: Row, predicted: bool) -> None:
        if predicted != row.shipped:
            self.changed[(row.name, row.kind, row.label, predicted)] += 1
        kind = row.kind if row.source == "realset" else f"{row.kind} (generated)"
        keys = (kind, f"overall ({row.source})") if row.source != "cross" else ("cross",)
        for key in keys:
            c = self.counts[key]
            if row.label and predicted:
                c[0] += 1
            elif row.label:
                c[1] += 1
            elif predicted:
                c[2] += 1

    def line(self, key: str, runs: int) -> str:
        tp, fn, fp = self.counts.get(key, [0, 0, 0])
        if tp + fn:
            precision = tp / (tp + fp) if tp + fp else 1.0
            return f"{precision:.3f} / {tp / (tp + fn):.3f}"
        return f"{fp / runs:.1f} false joins" if fp else "none joined"


def folds(data: Sequence[Row], k: int, seed: int, by: str) -> dict[str, int]:
    """Each group's fold: groups shuffled and dealt round (``by="language"``: one fold per
    language, ``k`` ignored)."""
    groups = sorted({g for row in data if row.source != "cross" for g in row.groups})
    if by == "language":
        langs = sorted({g.removeprefix("gen-").split("-")[0] for g in groups})
        return {g: langs.index(g.removeprefix("gen-").split("-")[0]) for g in groups}
    random.Random(seed).shuffle(groups)
    return {g: i % k for i, g in enumerate(groups)}


def crossvalidate(
    data: Sequence[Row], args: argparse.Namespace
) -> tuple[Tally, int, dict[str, int]]:
    """The test folds' joins of every run, the number of runs, and how often each choice was
    fitted."""
    threshold = DedupConfig().threshold
    tally, runs = Tally(), 0
    chosen: dict[str, int] = defaultdict(int)
    for seed in range(args.seeds if args.by == "group" else 1):
        fold = folds(data, args.k, seed, args.by)
        for f in sorted(set(fold.values())):
            train = [r for r in data if all(fold.get(g, -1) != f for g in r.groups)]
            # (a cross pair of two folds' groups is tested once, with the first)
            test = [r for r in data if min(fold.get(g, -1) for g in r.groups) == f]
            if args.mode == "thresholds":
                fitted = fit_thresholds(train, threshold, args.min_gain)
                for name, value in fitted.items():
                    chosen[f"{name}={value}"] += 1
                with constants(fitted):
                    for row in test:
                        tally.add(row, bool(row.calls) and joined(row, threshold))
            else:
                usable = [r for r in train if r.calls and (_low(r) or not args.alone)]
                x = np.array([r.features[0] for r in usable])
                y = np.array([r.label for r in usable], dtype=float)
                model = _fit_logistic(x, y, args.lam)
                scores = _score(model, x)
                cut = max(
                    s for s, r in zip(scores, usable, strict=True) if not r.label and not r.shipped
                )
                for row in test:
                    scored = bool(row.calls) and (_low(row) or not args.alone)
                    above = scored and _score(model, row.features[0][None, :])[0] > cut
                    if args.alone and scored:
                        tally.add(row, bool(above))
                    else:
                        tally.add(row, row.shipped or bool(above))
        runs += 1
    return tally, runs, dict(chosen)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=("thresholds", "learned"), default="thresholds")
    parser.add_argument("--k", type=int, default=4, help="folds (by story group)")
    parser.add_argument("--seeds", type=int, default=3, help="fold assignments")
    parser.add_argument("--by", choices=("group", "language"), default="group")
    parser.add_argument("--min-gain", type=int, default=1, help="pairs a threshold must gain")
    parser.add_argument("--lam", type=float, default=1.0, help="ridge of the learned model")
    parser.add_argument("--alone", action="store_true", help="the score alone, little text")
    parser.add_argument("--no-generated", action="store_true", help="hand-written pairs only")
    parser.add_argument("--show", action="store_true", help="pairs decided otherwise out of fold")
    args = parser.parse_args()
    data = rows(generated=not args.no_generated)
    for row in data:
        row.features = [features(*c) for c in row.calls[:1]]
    plain = Tally()
    for row in data:
        plain.add(row, row.shipped)
    tally, runs, chosen = crossvalidate(data, args)
    what = f"{args.k} folds by story group, {runs} runs" if args.by == "group" else "by language"
    print(f"mode={args.mode} ({what}); precision / recall, or false joins per run\n")
    print(f"{'':<28} {'shipped, plain':>22} {'cross-validated':>22}")
    keys = sorted(k for k in tally.counts if not k.startswith("overall") and k != "cross")
    keys += [*sorted(k for k in tally.counts if k.startswith("overall")), "cross"]
    for key in keys:
        print(f"{key:<28} {plain.line(key, 1):>22} {tally.line(key, runs):>22}")
    if chosen:
        print("\nchoices fitted (times, of every fold of every run):")
        for name, n in sorted(chosen.items(), key=lambda x: -x[1]):
            print(f"  {name}: {n}")
    if args.show:
        print(f"\npairs decided otherwise than the shipped judge out of fold (runs of {runs}):")
        for (name, kind, label, predicted), n in sorted(tally.changed.items()):
            what = "joined" if predicted else "lost"
            print(f"  {name} {kind} label={label} {what}: {n}")


if __name__ == "__main__":
    main()
