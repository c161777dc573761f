"""Precision and recall when one side of each pair is in other letter case (tuning part only).

Real wires are messier in case than the labelled set: press-release wires and some US outlets
write headlines in Title Case ("DiamondRock Hospitality Company Reports Fourth Quarter 2023
Results"), legacy IPTC 7901 / teletype feeds send whole items in capitals. The names the
evidence reads are capitalised words, so case is what this measures. Variants, each applied to
side ``b`` of every pair of the tuning part (the held-out third only with ``--heldout``, once,
at the end):

- ``plain``: the pair as written;
- ``title``: b's headline in Title Case (every word's first letter capitalised);
- ``caps-headline``: b's headline in capitals;
- ``caps-text``: b's headline, lead and body in capitals (a 7901 feed);
- ``caps-both``: both sides in capitals (two legacy feeds).

Run ``python bench/dedup/case.py [--realset|--generated] [--heldout] [--markdown]`` (default:
the larger hand-written set). To compare with earlier code, export it and put it first:
``git archive <rev> | tar -x -C /tmp/base && python bench/dedup/case.py --code /tmp/base``.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

_INITIAL = re.compile(r"(?<![\w'’])([^\W\d_])")


def title_case(text: str) -> str:
    """Every word's first letter capitalised, the rest as written ("DiamondRock" stays)."""
    return _INITIAL.sub(lambda m: m.group(1).upper(), text)


def _headline(change: Callable[[str], str]) -> Callable[[dict[str, str]], dict[str, str]]:
    return lambda part: {**part, "headline": change(part["headline"])}


def _caps(part: dict[str, str]) -> dict[str, str]:
    return {**part, **{k: (part[k] or "").upper() for k in ("headline", "lead", "body")}}


VARIANTS: dict[str, Callable[[dict[str, str]], dict[str, str]]] = {
    "plain": lambda part: part,
    "title": _headline(title_case),
    "caps-headline": _headline(str.upper),
    "caps-text": _caps,
}
NAMES = (*VARIANTS, "caps-both")


def variant(pairs: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    if name == "caps-both":
        return [{**p, "a": _caps(p["a"]), "b": _caps(p["b"])} for p in pairs]
    change = VARIANTS[name]
    return [{**p, "b": change(p["b"])} for p in pairs]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--realset", action="store_true", help="the larger hand-written set")
    which.add_argument("--generated", action="store_true", help="the generated pairs.jsonl")
    parser.add_argument("--heldout", action="store_true", help="the held-out third (at the end)")
    parser.add_argument("--code", help="a checkout of wire to measure instead of this one")
    parser.add_argument("--markdown", action="store_true", help="tables as Markdown")
    args = parser.parse_args()
    if args.code:
        sys.path.insert(0, str(Path(args.code).resolve()))
    sys.path.insert(0, str(HERE))
    import evaluate  # bench/dedup/evaluate.py, beside this script

    split = "heldout" if args.heldout else "tune"
    if args.generated:
        pairs = evaluate.load_pairs(split=split)
    else:
        import realset

        pairs = realset.pairs(split)
    results = {name: evaluate.evaluate(variant(pairs, name)) for name in NAMES}
    kinds = sorted(results["plain"][1])
    langs = sorted(results["plain"][2])
    import wire

    print(f"code={Path(wire.__file__).resolve().parents[1]} split={split} pairs={len(pairs)}\n")
    head = ["", "pairs", *(f"{n} P / R" for n in NAMES)]
    rows = []
    for name, pick in [*((k, 1) for k in kinds), *((g, 2) for g in langs), ("overall", 0)]:
        cells = []
        for total, by_kind, by_lang in results.values():
            s = total if pick == 0 else (by_kind if pick == 1 else by_lang)[name]
            if s.tp + s.fn == 0:  # different stories only: a precision means nothing
                cells.append(f"{s.fp} false join{'s' * (s.fp > 1)}" if s.fp else "none joined")
            else:
                cells.append(f"{s.precision:.3f} / {s.recall:.3f}")
        s0 = results["plain"][0] if pick == 0 else results["plain"][pick][name]
        rows.append([f"**{name}**" if pick == 0 and args.markdown else name, str(s0.pairs), *cells])
    if args.markdown:
        print("| " + " | ".join(head) + " |")
        print("|" + "---|" * len(head))
        for row in rows:
            print("| " + " | ".join(row) + " |")
    else:
        print(f"{head[0]:<17}{head[1]:>6}" + "".join(f"{h:>20}" for h in head[2:]))
        for row in rows:
            print(f"{row[0]:<17}{row[1]:>6}" + "".join(f"{c:>20}" for c in row[2:]))


if __name__ == "__main__":
    main()
