"""Would the content words a rewrite keeps tell its misses from the different stories?

A measurement, not part of wire: the judge (``wire.ingest.matching.judge``) reads numbers,
names (capitalised words), days and the headline's names and numbers beside the shingles. Two
agencies' accounts keep the event's ordinary words ("avalanche", "grève", "frana", "strike")
while changing the wording, so the shingles miss them, and in English, French and Italian they
are lower case, so they are no names. This script measures, on the TUNING part of the larger
hand-written set only (``realset.py``), a signal built from them before any rule uses it:

- each text's content stems: words folded, stop words off, stemmed with the language's
  Snowball stemmer (snowballstemmer, as ``wire.storage.search`` does), weighted by rarity
  (``C - zipf``: wordfreq's Zipf frequency of the stem's most frequent form; unknown stems
  count as Zipf 2; without wordfreq every stem weighs 1);
- ``cos``: weighted cosine of the two texts' stems; ``contain``: weighted share of the
  smaller one's stems in the other; ``head``: weighted share of both headlines' stems found
  in the other text; ``head_lc``: the same with the lower-case words only (no names).

It prints the values of the candidate pairs the judge rejects that share almost no text
(similarity below ``ACCOUNT_SIMILARITY``: the rewrites and briefs it misses, and the
different stories), per category; then, for each set of the account rule's tests (one or
two) a signal could stand in for, the highest different story that passes the other tests and
the misses above it (what such a rule would gain without a false join on the tuning part).

Run: ``python bench/dedup/words.py [--c 6]`` (wordfreq importable for the weights, e.g.
``pip install --target DIR wordfreq`` and ``PYTHONPATH=$PWD:DIR``; it is no dependency).
"""

from __future__ import annotations

import argparse
import importlib
import itertools
import math
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import snowballstemmer

from wire.config import DedupConfig
from wire.ingest import matching as m
from wire.ingest.dedup import Signer
from wire.ingest.fingerprint import clean_lead, fold, stop_words, strip_boilerplate
from wire.ingest.matching import Traits

HERE = Path(__file__).resolve().parent
ALGORITHMS = {"de": "german", "en": "english", "fr": "french", "it": "italian"}
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
UNKNOWN_ZIPF = 2.0  # a stem no frequent form gives: rare


def _stem(stemmer: Any, word: str) -> str:
    return fold(stemmer.stemWord(word.casefold()))


def zipf_table(language: str) -> dict[str, float] | None:
    """Stem -> Zipf frequency of its most frequent form (wordfreq's 60,000 most frequent
    words), or None without wordfreq."""
    try:
        import wordfreq  # type: ignore[import-not-found]
    except ImportError:
        return None
    stemmer = snowballstemmer.stemmer(ALGORITHMS[language])
    table: dict[str, float] = {}
    for word in wordfreq.top_n_list(language, 60000):
        stem = _stem(stemmer, word)
        table[stem] = max(table.get(stem, 0.0), wordfreq.zipf_frequency(word, language))
    return table


def stems(part: dict[str, Any], language: str, *, headline_only: bool = False,
          lower: bool = False) -> set[str]:  # fmt: skip
    """The content stems of a text (headline, lead without dateline, body without trailer)."""
    stemmer = snowballstemmer.stemmer(ALGORITHMS[language])
    parts = [part["headline"]]
    if not headline_only:
        parts += [clean_lead(part["lead"]), strip_boilerplate(part["body"] or "")]
    text = "\n".join(p for p in parts if p)[:6000]
    stops = stop_words(language)
    out = set()
    for word in _WORD.findall(text):
        if lower and not word[0].islower():
            continue
        head, _, rest = word.replace("’", "'").partition("'")
        if rest:  # an elided article ("l'avalanche") or a possessive ("Chile's") off
            word = rest if len(head) <= 5 and rest != "s" else head
        if fold(word) in stops or len(word) < 3:
            continue
        out.add(_stem(stemmer, word))
    return out


class Signals:
    def __init__(self, c: float) -> None:
        self.c = c
        self.tables = {lang: zipf_table(lang) for lang in ALGORITHMS}

    def weight(self, stem: str, language: str) -> float:
        table = self.tables[language]
        return 1.0 if table is None else max(0.0, self.c - table.get(stem, UNKNOWN_ZIPF))

    def total(self, found: set[str], language: str) -> float:
        return sum(self.weight(s, language) for s in found)

    def of(self, pair: dict[str, Any]) -> dict[str, float]:
        lang = pair["lang"][:2]
        a, b = stems(pair["a"], lang), stems(pair["b"], lang)
        wa, wb, shared = self.total(a, lang), self.total(b, lang), self.total(a & b, lang)
        out = {
            "cos": shared / math.sqrt(wa * wb) if wa and wb else 0.0,
            "contain": shared / min(wa, wb) if wa and wb else 0.0,
        }
        for name, lower in (("head", False), ("head_lc", True)):
            ta, tb = stems(pair["a"], lang, lower=lower), stems(pair["b"], lang, lower=lower)
            ha = stems(pair["a"], lang, headline_only=True, lower=lower)
            hb = stems(pair["b"], lang, headline_only=True, lower=lower)
            whole = self.total(ha, lang) + self.total(hb, lang)
            told = self.total(ha & tb, lang) + self.total(hb & ta, lang)
            out[name] = told / whole if whole else 1.0
        return out


def _template(similarity: float, a: Traits, b: Traits) -> bool:
    """The judge's early rejection of two reports of one template (its own-numbers test)."""
    n_shared, n_jaccard, _ = m.numbers(a, b)
    if n_jaccard is None or not m.OWN_FLOOR <= similarity < m.OWN_SIMILARITY:
        return False
    fewer = min(len(a.numbers), len(b.numbers))
    return fewer - n_shared >= max(m.OWN_NUMBERS, m.OWN_SHARE * fewer) and not (
        similarity < m.DAY_SIMILARITY
        and bool(a.day)
        and a.day == b.day
        and n_shared < m.DAY_TEMPLATE
        and m._told(a, b) >= m.DAY_TOLD
    )


def account_tests(similarity: float, a: Traits, b: Traits) -> dict[str, bool]:
    """The account rule's tests (``wire.ingest.matching.judge``), each passed or not."""
    n_shared, n_jaccard, n_share = m.numbers(a, b)
    m_shared, _, m_share = m._overlap(a.names, b.names)
    more = max(len(a.numbers), len(b.numbers))
    return {
        "numbers": n_share is None or n_share >= m.ACCOUNT_NUMBERS,
        "lacking": n_jaccard is None
        or more - n_shared <= m.ACCOUNT_LACKING
        or n_shared >= m.ACCOUNT_MORE * more,
        "names": m_share is not None and m_share >= m.ACCOUNT_NAMES and m_shared >= 3,
        "headline": m._told(a, b) >= m.ACCOUNT_HEADLINE,
        "moved_on": not m.moved_on(a, b),
        "proper": m._proper(a, b),
        # never relaxed: another day, a short item, one template's reports
        "fixed": not (m.other_day(a, b) or a.short or b.short or _template(similarity, a, b)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--c", type=float, default=6.0, help="weight = C - Zipf frequency")
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    realset = importlib.import_module("realset")  # bench/dedup/realset.py, beside this script

    signals = Signals(args.c)
    weighted = all(t is not None for t in signals.tables.values())
    print(f"tuning part; stems weighted {'C - zipf, C=' + str(args.c) if weighted else '1'}")
    config = DedupConfig()
    signer = Signer(config)
    rows = []
    for pair in realset.pairs("tune"):
        a, b = (signer.sign_text(p["headline"], p["lead"], p["body"], pair["lang"])
                for p in (pair["a"], pair["b"]))  # fmt: skip
        if a is None or b is None:
            continue
        similarity = float((a.hashvalues == b.hashvalues).mean())
        if similarity >= m.ACCOUNT_SIMILARITY:
            continue
        if m.judge(similarity, b.traits, a.traits, config.threshold) is not None:
            continue
        tests = account_tests(similarity, b.traits, a.traits)
        rows.append((pair, tests, signals.of(pair)))
    names = list(rows[0][2]) if rows else []
    by_kind: dict[tuple[int, str], list[dict[str, float]]] = defaultdict(list)
    for pair, _, values in rows:
        by_kind[(pair["label"], pair["kind"])].append(values)
    misses = sum(p["label"] for p, _, _ in rows)
    print(
        f"\nrejected candidates below similarity {m.ACCOUNT_SIMILARITY}: {misses} misses, "
        f"{len(rows) - misses} different stories (label, kind: quartiles, max)"
    )
    for (label, kind), found in sorted(by_kind.items()):
        print(f"  {label} {kind:<16} {len(found):>3}")
        for name in names:
            v = sorted(x[name] for x in found)
            q = [v[int(f * (len(v) - 1))] for f in (0.25, 0.5, 0.75)] + [v[-1]]
            print(f"      {name:<8} " + " ".join(f"{x:.2f}" for x in q))
    print("\nrelaxed tests: highest different story passing the others; misses above it")
    relaxable = [t for t in rows[0][1] if t != "fixed"] if rows else []
    for r in (1, 2):
        for relaxed in itertools.combinations(relaxable, r):
            for name in names:
                eligible = [(v[name], p) for p, t, v in rows
                            if all(ok for k, ok in t.items() if k not in relaxed)]  # fmt: skip
                top = max((x for x, p in eligible if not p["label"]), default=0.0)
                gain = sorted((round(x, 2), p["id"]) for x, p in eligible
                              if p["label"] and x > top)  # fmt: skip
                held = sum(p["label"] for _, p in eligible)
                if gain:
                    print(f"  {'+'.join(relaxed):<22} {name:<8} negative max {top:.2f}; "
                          f"{len(gain)} of {held} misses above: {gain}")  # fmt: skip


if __name__ == "__main__":
    main()
