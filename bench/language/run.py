"""Language detection on agency copy: CLD2 (pycld2, today's detector) against py3langid alone.

    python bench/language/run.py

The texts are the dedup evaluation set's (``bench/dedup/pairs.jsonl``: German, French,
Italian and English wire copy, each text once) and the seed stories (``bench/dedup/stories.py``),
each read three ways: the story as ``normalise`` reads it (headline, lead, body), the headline
and lead only, and the headline only (short: many fall under the 20-letter floor and get no
guess from either). Prints accuracy per language and per form for both detectors, and the mean
time per item with its ratio, measured in the same run.
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "dedup"))

from stories import STORIES  # noqa: E402

from wire.normalise.text import detect_language, detect_language_langid  # noqa: E402

FORMS = ("story", "headline+lead", "headline")


def texts() -> list[tuple[str, dict[str, str]]]:
    """(language, {form: text}) for every distinct text."""
    seen: set[str] = set()
    out = []
    for line in (HERE.parent / "dedup" / "pairs.jsonl").read_text(encoding="utf-8").splitlines():
        pair = json.loads(line)
        for side in ("a", "b"):
            t = pair[side]
            if t["headline"] + t["body"] not in seen:
                seen.add(t["headline"] + t["body"])
                out.append((pair["lang"], _forms(t["headline"], t["lead"], t["body"])))
    for s in STORIES:
        out.append((s["lang"], _forms(s["headline"], s["lead"], "\n\n".join(s["body"]))))
    return out


def _forms(headline: str, lead: str, body: str) -> dict[str, str]:
    return {
        "story": " ".join(filter(None, [headline, lead, body])),
        "headline+lead": f"{headline} {lead}",
        "headline": headline,
    }


def main() -> int:
    items = texts()
    detectors = {"py3langid": detect_language_langid, "cld2 (wire)": detect_language}
    for fn in detectors.values():
        fn("Warm-up: das Modell wird einmal geladen, bevor die Zeit läuft.")
    print(f"{len(items)} texts: " + ", ".join(
        f"{lang} {sum(1 for lg, _ in items if lg == lang)}" for lang in ("de", "fr", "it", "en")
    ))  # fmt: skip
    times: dict[tuple[str, str], float] = defaultdict(float)
    right: dict[tuple[str, str, str], int] = defaultdict(int)
    total: dict[tuple[str, str], int] = defaultdict(int)
    none: dict[tuple[str, str], int] = defaultdict(int)
    for _round in range(3):  # interleaved rounds: both detectors see the same machine load
        for name, fn in detectors.items():
            for form in FORMS:
                started = time.perf_counter()
                guesses = [(lang, fn(forms[form])) for lang, forms in items]
                times[name, form] += time.perf_counter() - started
                if _round == 0:
                    for lang, guess in guesses:
                        right[name, form, lang] += guess == lang
                        none[name, form] += guess is None
    for lang, _forms_of in items:
        for form in FORMS:
            total[form, lang] += 1
    print(f"{'form':14s} {'lang':4s} " + " ".join(f"{n:>12s}" for n in detectors))
    for form in FORMS:
        for lang in ("de", "fr", "it", "en", "all"):
            langs = ("de", "fr", "it", "en") if lang == "all" else (lang,)
            n = sum(total[form, lg] for lg in langs)
            cells = [sum(right[name, form, lg] for lg in langs) / n for name in detectors]
            print(f"{form:14s} {lang:4s} " + " ".join(f"{c:12.3f}" for c in cells))
        print(f"{'':14s} no guess (too short): " + ", ".join(
            f"{name} {none[name, form]}" for name in detectors))  # fmt: skip
    calls = len(items) * 3
    for form in FORMS:
        base, fast = times["py3langid", form], times["cld2 (wire)", form]
        print(f"time per item, {form:13s}: py3langid {base / calls * 1e6:5.0f} µs, cld2 (wire) "
              f"{fast / calls * 1e6:5.0f} µs; ratio {fast / base:.3f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
