"""Writes ``ingest/data/de_nouns.txt``: German copy's frequent common nouns, folded.

German capitalises every noun, so the evidence (``wire.ingest.evidence``) would read every noun
of a German story as a name, and two unrelated German stories share dozens ("Polizei",
"Regierung", "Unfall"). A capitalised word in this list is no name. The list is the forms of
the nouns Wiktionary lists as common nouns (not as place, first, family or other proper names)
that are frequent in German text; a form Wiktionary also lists as a proper name ("Fischer",
"Müller") is kept as a name unless a news tagger's lexicon takes it for a noun first. Rare
nouns ("Masern", "Insolvenzverwalter", "Bankfiliale") stay evidence, as a rare name does: two
accounts of one story share them, two unrelated stories hardly ever.

Sources (needed only to regenerate the list, not by wire itself):

- ``german-nouns`` 1.2.5 (PyPI; nouns of WiktionaryDE, CC BY-SA 4.0): its ``nouns.csv``;
- ``wordfreq`` 3.1.1 (PyPI; data CC BY-SA 4.0): Zipf frequency of each form in German;
- ``HanTa`` 1.2.1 (PyPI; LGPL-3.0-or-later): the German model's lexicon, for forms that are
  both a noun and a name.

Run: ``python bench/dedup/make_nouns.py NOUNS_CSV [--zipf 3.5]`` with wordfreq and HanTa
importable (e.g. ``pip install --target DIR wordfreq hanta``; ``pip download --no-deps
german-nouns`` and unzip it for the CSV: the package itself pins an lxml below wire's).
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from wire.ingest.fingerprint import fold

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "ingest" / "data" / "de_nouns.txt"
# Wiktionary's word kinds that make a form a name (or no single common noun)
NAMED = {"Toponym", "Vorname", "Nachname", "Eigenname", "Straßenname", "Abkürzung"}
HEADER = """\
# Frequent German common nouns, folded (case and accents off): a capitalised word of German
# copy that is one of these is a noun, not a name (German capitalises every noun). Written by
# bench/dedup/make_nouns.py from the nouns of WiktionaryDE (german-nouns 1.2.5, CC BY-SA 4.0)
# with a Zipf frequency of at least {zipf} in German (wordfreq 3.1.1, CC BY-SA 4.0); forms
# Wiktionary also lists as names are kept only where HanTa's German lexicon (1.2.1,
# LGPL-3.0-or-later) tags them as nouns first. This list: CC BY-SA 4.0.
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("nouns_csv", type=Path, help="german_nouns/nouns.csv of german-nouns")
    ap.add_argument("--zipf", type=float, default=3.5, help="frequency a form needs")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()

    from HanTa import HanoverTagger  # type: ignore[import-not-found]
    from wordfreq import zipf_frequency  # type: ignore[import-not-found]

    tagger = HanoverTagger.HanoverTagger("morphmodel_ger.pgz")
    common: set[str] = set()
    named: set[str] = set()
    with args.nouns_csv.open(encoding="utf-8") as fh:
        rows = csv.reader(fh)
        next(rows)
        for row in rows:
            kinds = set(row[1].split(","))
            forms = {f for f in [row[0], *row[7:]] if f and " " not in f and f[:1].isupper()}
            if kinds & NAMED or "Wortverbindung" in kinds:
                named.update(forms)
            elif "Substantiv" in kinds:
                common.update(forms)
    nouns = set()
    for form in common:
        if zipf_frequency(form, "de") < args.zipf:
            continue
        if form in named:
            tags = tagger.tag_word(form)
            if not tags or tags[0][0] not in ("NN", "NNA"):
                continue
        nouns.add(fold(form))
    args.out.write_text(HEADER.format(zipf=args.zipf) + "\n".join(sorted(nouns)) + "\n", "utf-8")
    print(f"{len(nouns)} nouns -> {args.out}")


if __name__ == "__main__":
    main()
