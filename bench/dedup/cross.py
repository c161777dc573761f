"""Joins among the hand-written set's texts of different story groups (tuning part only).

The labelled pairs test each rule against the negatives written for it; a text of one story
group against every text of the other groups in its language gives some 16,000 more pairs of
different stories (another story, often of another kind: a market report against a takeover
story, a brief against another day's weather). Each pair goes straight to
:func:`wire.ingest.matching.judge` both ways round (no candidate step: an upper bound of what
the index would join). Texts of held-out groups are left out.

Run ``python bench/dedup/cross.py [--code DIR] [--variant NAME]``: ``--code`` judges with the
``matching.py`` of another checkout as well (``git archive <rev> | tar -x -C /tmp/base``) and
prints the joins each makes that the other does not; ``--variant`` (``title``, ``caps-headline``,
``caps-text``: :mod:`case`) puts one text of each pair in other letter case, each text in turn
(every pair judged twice, once with either side changed).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import case  # noqa: E402  (bench/dedup/case.py: the letter-case variants)
import realset  # noqa: E402  (bench/dedup/realset.py, beside this script)

from wire.config import DedupConfig  # noqa: E402
from wire.ingest import matching  # noqa: E402
from wire.ingest.dedup import Signed, Signer  # noqa: E402

Join = tuple[str, str, str, str, float]  # language, text a, text b, rule, similarity


def _module(directory: Path) -> ModuleType:
    """The ``ingest/matching.py`` of another checkout, loaded beside this one's."""
    path = directory / "ingest" / "matching.py"
    spec = importlib.util.spec_from_file_location("matching_other", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # (dataclasses look their module up)
    spec.loader.exec_module(module)
    return module


def _texts(path: Path) -> tuple[str, dict[str, dict[str, str]], dict[str, set[str]]]:
    """A language file's tuning texts (those of tuning groups only) and each one's groups."""
    data = json.loads(path.read_text(encoding="utf-8"))
    groups: dict[str, set[str]] = defaultdict(set)
    tuning = set()
    for pair in data["pairs"]:
        groups[pair["a"]].add(pair["group"])
        groups[pair["b"]].add(pair["group"])
        if pair["split"] == "tune":
            tuning.add(pair["group"])
    keys = sorted(k for k, g in groups.items() if g <= tuning)
    return data["language"], {k: realset.resolve(data["texts"], k) for k in keys}, groups


def _signed(signer: Signer, texts: dict[str, dict[str, str]], lang: str) -> dict[str, Signed]:
    sigs: dict[str, Signed] = {}
    for key, t in texts.items():
        sig = signer.sign_text(t["headline"], t["lead"], t["body"], lang)
        if sig is not None:
            sigs[key] = sig
    return sigs


def story_pairs(signer: Signer) -> Iterator[tuple[str, str, str, Signed, Signed, set[str]]]:
    """Every pair of signed tuning texts of different story groups, each once: language,
    the two keys, their signatures and the groups of either."""
    for path in sorted(realset.SETS.glob("*.json")):
        lang, texts, groups = _texts(path)
        sigs = _signed(signer, texts, lang)
        keys = sorted(sigs)
        for i, a in enumerate(keys):
            for b in keys[i + 1 :]:
                if not groups[a] & groups[b]:
                    yield lang, a, b, sigs[a], sigs[b], groups[a] | groups[b]


def joins(judges: list[Any], variant: str | None = None) -> tuple[Counter[str], list[list[Join]]]:
    """Cross-group pairs per language, and the joins each judge makes among them (with
    ``variant``: ordered pairs, the second text in that letter case)."""
    config = DedupConfig()
    signer = Signer(config)
    pairs: Counter[str] = Counter()
    found: list[list[Join]] = [[] for _ in judges]
    for path in sorted(realset.SETS.glob("*.json")):
        lang, texts, groups = _texts(path)
        sigs = _signed(signer, texts, lang)
        changed = sigs
        if variant:
            change = case.VARIANTS[variant]
            changed = _signed(signer, {k: change(t) for k, t in texts.items()}, lang)
        keys = sorted(sigs)
        for i, a in enumerate(keys):
            for b in keys if variant else keys[i + 1 :]:
                if groups[a] & groups[b] or b not in changed:
                    continue
                sa, sb = sigs[a], changed[b]
                sim = float(np.count_nonzero(sa.hashvalues == sb.hashvalues)) / config.num_perm
                pairs[lang] += 1
                for judge, out in zip(judges, found, strict=True):
                    reason = judge(sim, sb.traits, sa.traits, config.threshold) or judge(
                        sim, sa.traits, sb.traits, config.threshold
                    )
                    if reason is not None:
                        out.append((lang, a, b, reason.rule, round(sim, 3)))
    return pairs, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", type=Path, help="another checkout to compare with")
    parser.add_argument(
        "--variant",
        choices=[v for v in case.VARIANTS if v != "plain"],
        help="one text of each pair in other letter case (case.py)",
    )
    args = parser.parse_args()
    judges: list[Any] = [matching.judge]
    if args.code:
        judges.append(_module(args.code).judge)
    pairs, found = joins(judges, args.variant)
    print(f"cross-group pairs: {sum(pairs.values())} ({dict(sorted(pairs.items()))})")
    names = ["this code"] + ([str(args.code)] if args.code else [])
    for name, js in zip(names, found, strict=True):
        print(f"{name}: {len(js)} joins")
    for name, js, other in zip(names, found, found[::-1], strict=True):
        for join in sorted(set(js) - set(other)):
            print(f"  only {name}: {join}")
    if not args.code:
        for join in found[0]:
            print(f"  {join}")


if __name__ == "__main__":
    main()
