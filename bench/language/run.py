"""Language detection on agency copy: wire's detector against py3langid alone and CLD2 + py3langid.

    python bench/language/run.py

The texts are the dedup evaluation set's (``bench/dedup/pairs.jsonl``: German, French,
Italian and English wire copy, each text once) and the seed stories (``bench/dedup/stories.py``),
each read three ways: the story as ``normalise`` reads it (headline, lead, body), the headline
and lead only, and the headline only (short: many fall under the 20-letter floor and get no
guess from either). Three detectors: py3langid alone (the first baseline); CLD2 then py3langid
(wire's until issue 20's fastText step); wire's (CLD2, then fastText's lid.176, then py3langid
for what fastText is unsure of). Prints accuracy per language and per form for each, and the
mean time per item with its ratio to py3langid, measured in the same run (the models loaded
before the clock starts).
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

from wire.normalise import text as text_mod  # noqa: E402
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


def cld2_then_langid(text: str) -> str | None:
    """Wire's detector before the fastText step: CLD2 on clear stories, py3langid the rest."""
    sample = text[: text_mod.LANGUAGE_SAMPLE]
    letters = sum(map(str.isalpha, sample)) if sample else 0
    if letters < text_mod.MIN_LETTERS:
        return None
    fast = text_mod._cld2(sample) if letters >= text_mod.CLD2_MIN_LETTERS else None
    return fast or str(text_mod._model().classify(sample)[0])


def main() -> int:
    items = texts()
    detectors = {
        "py3langid": detect_language_langid,
        "cld2+langid": cld2_then_langid,
        "wire": detect_language,
    }
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
        base = times["py3langid", form]
        print(f"time per item, {form:13s}: " + "; ".join(
            f"{name} {times[name, form] / calls * 1e6:5.0f} µs ({times[name, form] / base:.3f})"
            for name in detectors
        ))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
