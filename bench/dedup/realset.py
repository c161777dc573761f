"""The hand-written evaluation set of agency copy: ``sets/<lang>.json``, loaded and checked.

Each language file was written by hand in the shape of real wire copy (not generated), its
held-out groups fixed before the set was first scored. A file holds::

    {"language": "de",
     "texts": {"<key>": {"headline": ..., "lead": ..., "body": ..., "agency": "sda",
                         "from": "<key>", "replace": [["old", "new"], ...], "append": "..."}},
     "pairs": [{"a": "<key>", "b": "<key>", "label": 1, "kind": "rewrite",
                "group": "<story or report group>", "split": "tune" | "heldout"}]}

A text with ``from`` starts as a copy of that text (resolved first); its own ``headline``,
``lead``, ``body`` or ``agency`` replace the copy's; then each ``replace`` pair is applied once
to headline, lead and body (the old string must occur), and ``append`` is added to the body.
That is how an update (new headline and lead, the rest unchanged), a corrected version or a
copy with a trailer is written without repeating the text.

``pairs()`` returns the pairs in the shape of ``pairs.jsonl`` for ``evaluate.py --realset``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SETS = Path(__file__).resolve().parent / "sets"

SAME = {"rewrite", "update", "figures", "brief", "short", "trailer", "version", "template-rewrite"}
DIFFERENT = {
    "earnings",
    "sports",
    "weather",
    "market",
    "automated",
    "same-topic",
    "follow-up",
    "short-other",
    "lottery",
    "traffic",
}
FIELDS = ("headline", "lead", "body", "agency")


class SetError(ValueError):
    """The set file is malformed: which file and what is wrong, in one sentence."""


def resolve(
    texts: dict[str, dict[str, Any]], key: str, seen: tuple[str, ...] = ()
) -> dict[str, str]:
    """The full text of ``key``, its ``from``/``replace``/``append`` applied."""
    if key not in texts:
        raise SetError(f"text {key!r} is not defined")
    if key in seen:
        raise SetError(f"text {key!r} derives from itself")
    spec = texts[key]
    base = resolve(texts, spec["from"], (*seen, key)) if "from" in spec else {f: "" for f in FIELDS}
    out = {f: str(spec.get(f, base[f])) for f in FIELDS}
    for old, new in spec.get("replace", []):
        hits = [f for f in ("headline", "lead", "body") if old in out[f]]
        if not hits:
            raise SetError(f"text {key!r}: replace target {old!r} does not occur")
        for f in hits:
            out[f] = out[f].replace(old, new, 1)
    if spec.get("append"):
        out["body"] = out["body"].rstrip() + spec["append"]
    if not out["headline"] or not out["body"]:
        raise SetError(f"text {key!r} has no headline or no body")
    if not out["agency"]:
        raise SetError(f"text {key!r} names no agency")
    return out


def load(path: Path) -> list[dict[str, Any]]:
    """The labelled pairs of one language file, checked."""
    data = json.loads(path.read_text(encoding="utf-8"))
    lang = data["language"]
    texts = data["texts"]
    resolved = {key: resolve(texts, key) for key in texts}
    out: list[dict[str, Any]] = []
    seen: set[frozenset[str]] = set()
    for n, pair in enumerate(data["pairs"]):
        a, b, kind, label = pair["a"], pair["b"], pair["kind"], pair["label"]
        where = f"{path.name} pair {n} ({a} / {b})"
        if a not in resolved or b not in resolved:
            raise SetError(f"{where}: unknown text")
        if a == b or frozenset((a, b)) in seen:
            raise SetError(f"{where}: a pair of one text, or a repeated pair")
        seen.add(frozenset((a, b)))
        if (label == 1 and kind not in SAME) or (label == 0 and kind not in DIFFERENT):
            raise SetError(f"{where}: kind {kind!r} does not go with label {label!r}")
        if pair["split"] not in ("tune", "heldout"):
            raise SetError(f"{where}: split must be tune or heldout")
        out.append(
            {
                "id": f"{lang}{n:03d}",
                "lang": lang,
                "kind": kind,
                "label": label,
                "split": pair["split"],
                "group": f"{lang}-{pair['group']}",
                "a": resolved[a],
                "b": resolved[b],
            }
        )
    groups: dict[str, set[str]] = {}
    for pair in out:
        groups.setdefault(pair["group"], set()).add(pair["split"])
    mixed = sorted(g for g, splits in groups.items() if len(splits) > 1)
    if mixed:
        raise SetError(f"{path.name}: groups in both splits: {', '.join(mixed)}")
    return out


def pairs(split: str | None = None) -> list[dict[str, Any]]:
    """Every language file's pairs, of one split ("tune", "heldout") or all (None)."""
    out: list[dict[str, Any]] = []
    for path in sorted(SETS.glob("*.json")):
        out += [p for p in load(path) if split is None or p["split"] == split]
    return out


def summary() -> str:
    """Pairs per language: total, different stories, held out (the set's shape at a glance)."""
    lines = []
    for path in sorted(SETS.glob("*.json")):
        ps = load(path)
        neg = sum(1 for p in ps if p["label"] == 0)
        held = sum(1 for p in ps if p["split"] == "heldout")
        kinds = sorted({p["kind"] for p in ps})
        lines.append(
            f"{path.stem}: {len(ps)} pairs, {neg} different ({neg / max(len(ps), 1):.0%}), "
            f"{held} held out ({held / max(len(ps), 1):.0%}); kinds: {', '.join(kinds)}"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    print(summary())
