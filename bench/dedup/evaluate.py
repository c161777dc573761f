"""Precision and recall of story clustering on the labelled pairs, per category and language.

Run: ``python bench/dedup/evaluate.py`` (the tuning part) or ``--heldout`` (the held-out third,
scored only at the end) or ``--all``; ``--handwritten`` scores the hand-written copy of
``handwritten.py`` (its own tuning and held-out groups) instead of the generated pairs, and
``--realset`` the larger hand-written set of ``realset.py`` (``sets/<lang>.json``).

Each pair goes through the production decision: ``a`` is signed and put in a fresh
``ClusterIndex``, ``b`` is signed and matched against it (LSH candidates by text and by
evidence, then :func:`wire.ingest.matching.judge`). Predicted "same story" = ``b`` matches
``a``. For the ``trailer`` category it also reports how many copies get the same exact-duplicate
fingerprint (``wire.ingest.fingerprint.text_fingerprint``: stored as a sighting). Options:
``--threshold``, ``--shingle-size``, ``--num-perm``, ``--show`` (misclassified pairs),
``--markdown`` (the README table).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from wire.config import DedupConfig
from wire.ingest.dedup import ClusterIndex, Match, Signer, language_key
from wire.ingest.fingerprint import text_fingerprint
from wire.record import Article

HERE = Path(__file__).resolve().parent
PAIRS = HERE / "pairs.jsonl"


@dataclass
class Scores:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    errors: list[tuple[dict[str, Any], Match | None, float | None]] = field(default_factory=list)

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
    def pairs(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def load_pairs(path: Path = PAIRS, split: str | None = "tune") -> list[dict[str, Any]]:
    """The pairs of one split ("tune", "heldout"), or all of them (None)."""
    with path.open(encoding="utf-8") as fh:
        pairs = [json.loads(line) for line in fh if line.strip()]
    return [p for p in pairs if split is None or p["split"] == split]


def judge(
    signer: Signer, config: DedupConfig, pair: dict[str, Any]
) -> tuple[bool, Match | None, float | None]:
    """(b matches a through the index, the match, their similarity or None when unsigned)."""
    lang = language_key(pair["lang"])
    a, b = pair["a"], pair["b"]
    sig_a = signer.sign_text(a["headline"], a["lead"], a["body"], pair["lang"])
    sig_b = signer.sign_text(b["headline"], b["lead"], b["body"], pair["lang"])
    if sig_a is None or sig_b is None:
        return False, None, None
    index = ClusterIndex.from_config(config)
    index.add("a", lang, sig_a, 0.0)
    found = index.matches(sig_b, lang, 0.0)
    return bool(found), (found[0] if found else None), index.similarity(sig_a, sig_b)


def same_fingerprint(pair: dict[str, Any]) -> bool:
    a, b = (
        Article(id=k, source="x", feed="x", guid=k, headline=p["headline"], lead=p["lead"] or None,
                body_text=p["body"])
        for k, p in (("a", pair["a"]), ("b", pair["b"]))
    )  # fmt: skip
    fa = text_fingerprint(a)
    return fa is not None and fa == text_fingerprint(b)


def evaluate(
    pairs: list[dict[str, Any]], config: DedupConfig | None = None
) -> tuple[Scores, dict[str, Scores], dict[str, Scores]]:
    """Overall scores, scores per category and per language."""
    config = config or DedupConfig()
    signer = Signer(config)
    total = Scores()
    by_kind: dict[str, Scores] = defaultdict(Scores)
    by_lang: dict[str, Scores] = defaultdict(Scores)
    for pair in pairs:
        predicted, match, sim = judge(signer, config, pair)
        for scores in (total, by_kind[pair["kind"]], by_lang[pair["lang"]]):
            scores.add(pair["label"], predicted)
        if predicted != bool(pair["label"]):
            total.errors.append((pair, match, sim))
    return total, dict(by_kind), dict(by_lang)


def table(total: Scores, groups: dict[str, Scores], markdown: bool) -> str:
    rows = [(name, s) for name, s in sorted(groups.items())] + [("overall", total)]
    if markdown:
        out = [
            "| | pairs | tp | fn | fp | tn | precision | recall |",
            "|---|---|---|---|---|---|---|---|",
        ]
        out += [f"| {n} | {s.pairs} | {s.tp} | {s.fn} | {s.fp} | {s.tn} "
                f"| {s.precision:.3f} | {s.recall:.3f} |"
                for n, s in rows]  # fmt: skip
        return "\n".join(out)
    out = [
        f"{'':<12} {'pairs':>5} {'tp':>4} {'fn':>4} {'fp':>4} {'tn':>4} {'prec':>6} {'recall':>6}"
    ]
    out += [f"{n:<12} {s.pairs:>5} {s.tp:>4} {s.fn:>4} {s.fp:>4} {s.tn:>4} "
            f"{s.precision:>6.3f} {s.recall:>6.3f}"
            for n, s in rows]  # fmt: skip
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threshold", type=float)
    parser.add_argument("--shingle-size", type=int)
    parser.add_argument("--num-perm", type=int)
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--heldout", action="store_true", help="score the held-out third")
    which.add_argument("--all", action="store_true", help="score every pair")
    parser.add_argument(
        "--handwritten",
        action="store_true",
        help="score the hand-written copy (handwritten.py) instead of the generated pairs",
    )
    parser.add_argument(
        "--realset",
        action="store_true",
        help="score the hand-written agency-copy set (realset.py, sets/*.json)",
    )
    parser.add_argument("--show", action="store_true", help="print misclassified pairs")
    parser.add_argument("--markdown", action="store_true", help="tables as Markdown")
    args = parser.parse_args()
    config = DedupConfig()
    for key in ("threshold", "shingle_size", "num_perm"):
        if getattr(args, key) is not None:
            config = replace(config, **{key: getattr(args, key)})
    split = None if args.all else "heldout" if args.heldout else "tune"
    if args.realset:
        sys.path.insert(0, str(HERE))
        import realset  # bench/dedup/realset.py, beside this script

        pairs = realset.pairs(split)
    elif args.handwritten:
        sys.path.insert(0, str(HERE))
        import handwritten  # bench/dedup/handwritten.py, beside this script

        pairs = [p for p in handwritten.pairs() if split is None or p["split"] == split]
    else:
        pairs = load_pairs(split=split)
    total, by_kind, by_lang = evaluate(pairs, config)
    print(
        f"split={split or 'all'} threshold={config.threshold} shingle_size={config.shingle_size} "
        f"num_perm={config.num_perm} pairs={len(pairs)}\n"
    )
    print(table(total, by_kind, args.markdown) + "\n")
    print(table(total, by_lang, args.markdown) + "\n")
    trailers = [p for p in pairs if p["kind"] == "trailer"]
    same = sum(same_fingerprint(p) for p in trailers)
    print(f"trailer copies with the original's exact-duplicate fingerprint: {same}/{len(trailers)}")
    if args.show:
        for pair, match, sim in total.errors:
            reason = match.reason.to_dict() if match and match.reason else None
            print(
                f"\n{pair['id']} {pair['lang']} {pair['kind']} label={pair['label']} "
                f"sim={sim} {reason}"
            )
            print("  a:", pair["a"]["headline"])
            print("  b:", pair["b"]["headline"])


if __name__ == "__main__":
    main()
