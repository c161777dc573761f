"""Precision and recall of story clustering on the labelled pairs.

Run: ``python bench/dedup/evaluate.py``.

Each pair goes through the production decision: ``a`` is signed and put in a fresh
``ClusterIndex``, ``b`` is signed and matched against it (LSH candidates, then the estimated
Jaccard similarity against ``[dedup].threshold``). Predicted "same story" = ``b`` matches ``a``.
Options: ``--threshold``, ``--shingle-size``, ``--num-perm`` to try other settings, ``--show``
to print the misclassified pairs.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from wire.config import DedupConfig
from wire.ingest.dedup import ClusterIndex, Signer, language_key

PAIRS = Path(__file__).resolve().parent / "pairs.jsonl"


@dataclass
class Scores:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    errors: list[tuple[dict[str, Any], float | None]] = field(default_factory=list)

    def add(self, label: int, predicted: bool) -> None:
        if label and predicted:
            self.tp += 1
        elif label:
            self.fn += 1
        elif predicted:
            self.fp += 1
        else:
            self.tn += 1

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def load_pairs(path: Path = PAIRS) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def judge(signer: Signer, config: DedupConfig, pair: dict[str, Any]) -> tuple[bool, float | None]:
    """(b matches a through the index, their estimated similarity or None when unsigned)."""
    lang = language_key(pair["lang"])
    a, b = pair["a"], pair["b"]
    sig_a = signer.sign_text(a["headline"], a["lead"], a["body"], pair["lang"])
    sig_b = signer.sign_text(b["headline"], b["lead"], b["body"], pair["lang"])
    if sig_a is None or sig_b is None:
        return False, None
    index = ClusterIndex.from_config(config)
    index.add("a", lang, sig_a, 0.0)
    return bool(index.matches(sig_b, lang, 0.0)), index.similarity(sig_a, sig_b)


def evaluate(
    pairs: list[dict[str, Any]], config: DedupConfig | None = None
) -> tuple[Scores, dict[str, Scores]]:
    """Overall scores and scores per kind of pair."""
    config = config or DedupConfig()
    signer = Signer(config)
    total = Scores()
    by_kind: dict[str, Scores] = defaultdict(Scores)
    for pair in pairs:
        predicted, sim = judge(signer, config, pair)
        total.add(pair["label"], predicted)
        by_kind[pair["kind"]].add(pair["label"], predicted)
        if predicted != bool(pair["label"]):
            total.errors.append((pair, sim))
    return total, dict(by_kind)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threshold", type=float)
    parser.add_argument("--shingle-size", type=int)
    parser.add_argument("--num-perm", type=int)
    parser.add_argument("--show", action="store_true", help="print misclassified pairs")
    args = parser.parse_args()
    config = DedupConfig()
    for key in ("threshold", "shingle_size", "num_perm"):
        if getattr(args, key) is not None:
            config = replace(config, **{key: getattr(args, key)})
    pairs = load_pairs()
    total, by_kind = evaluate(pairs, config)
    print(
        f"threshold={config.threshold} shingle_size={config.shingle_size} "
        f"num_perm={config.num_perm} pairs={len(pairs)}"
    )
    print(f"{'kind':<12} {'pairs':>5} {'tp':>4} {'fn':>4} {'fp':>4} {'tn':>4}")
    for kind, s in sorted(by_kind.items()):
        print(f"{kind:<12} {s.tp + s.fn + s.fp + s.tn:>5} {s.tp:>4} {s.fn:>4} {s.fp:>4} {s.tn:>4}")
    print(f"precision {total.precision:.3f}  recall {total.recall:.3f}")
    if args.show:
        for pair, sim in total.errors:
            print(f"\n{pair['id']} {pair['lang']} {pair['kind']} label={pair['label']} sim={sim}")
            print("  a:", pair["a"]["headline"])
            print("  b:", pair["b"]["headline"])


if __name__ == "__main__":
    main()
