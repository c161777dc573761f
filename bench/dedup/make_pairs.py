"""Generate the labelled dedup evaluation set: ``python bench/dedup/make_pairs.py``.

Writes bench/dedup/pairs.jsonl, one pair a line: ``{"id", "lang", "kind", "label", "a", "b"}``
with ``a``/``b`` as ``{"headline", "lead", "body"}`` and ``label`` 1 for the same story, 0 for
different stories. Deterministic (fixed seed), so the file only changes with this script.

Same story (label 1), from the hand-written seed stories (stories.py) and template items:
- ``version``: an update of one item (headline changed, a paragraph or sentence added, a figure
  corrected);
- ``republish``: a partner page's copy (new headline, credit lines, "read also" links,
  copyright notice, photo credit, sometimes the last paragraph cut);
- ``rewrite``: another agency's rewrite (other headline, synonyms, sentences reordered,
  a paragraph dropped and/or a background paragraph added, its own dateline and signature).
Different stories (label 0):
- ``same-topic``: two stories on one topic on different days (two Putin stories, two central
  bank decisions), in every combination of their versions, copies and rewrites;
- ``other-topic``: unrelated stories in the same language;
- ``market`` / ``weather`` / ``sports``: two days' reports written from one template.
"""

from __future__ import annotations

import itertools
import json
import random
import re
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stories import STORIES, SYNONYMS
from templates import TEMPLATES

OUT = Path(__file__).resolve().parent / "pairs.jsonl"
SEED = 20241125
TEMPLATE_DAYS = 7

DATELINES = {
    "de": ["Bern (Keystone-SDA) - ", "Zürich (sda) - ", "Berlin (dpa) - ", "Moskau (AFP) - ",
           "Genf (awp/sda) - ", "Frankfurt (Reuters) - ", ""],
    "fr": ["Berne (Keystone-ATS) - ", "Paris (AFP) - ", "Genève (ats) - ", "Lausanne (ats) - ",
           ""],
    "en": ["LONDON (Reuters) - ", "WASHINGTON (AP) - ", "BEIJING (AFP) - ", "NEW YORK (Reuters) - ",
           ""],
}  # fmt: skip
SIGNATURES = {
    "de": ["(sda)", "(sda/dpa)", "(dpa)", "(awp/sda)", "kkt/sda", "(AFP)", ""],
    "fr": ["(ats)", "(ats/afp)", "(AFP)", "ats/rp", ""],
    "en": ["(Reuters)", "(AP)", "(AFP)", ""],
}
BOILERPLATE = {
    "de": [
        "© Keystone-SDA. Alle Rechte vorbehalten.",
        "Lesen Sie auch: {other}",
        "Mehr zum Thema: {other}",
        "Foto: Keystone/Peter Klaunzer",
        "Dieser Artikel wurde automatisch aus dem Agenturticker übernommen.",
        "Keystone-SDA",
    ],
    "fr": [
        "© Keystone-ATS. Tous droits réservés.",
        "Lire aussi: {other}",
        "A lire aussi: {other}",
        "Photo: Keystone/Laurent Gillieron",
        "Cet article a été publié automatiquement.",
        "AFP",
    ],
    "en": [
        "Copyright 2024 Reuters. All rights reserved.",
        "Read more: {other}",
        "Related: {other}",
        "Photo: Reuters/Staff",
        "This story was automatically published from a wire feed.",
        "Reuters",
    ],
}
UPDATE_SENTENCES = {
    "de": [
        "Die Behörden kündigten für den Abend weitere Informationen an.",
        "Eine Stellungnahme der Betroffenen lag zunächst nicht vor.",
        "Diese Meldung wurde mit weiteren Einzelheiten ergänzt.",
    ],
    "fr": [
        "Les autorités ont annoncé de nouvelles informations pour la soirée.",
        "Aucune réaction des personnes concernées n'a pu être obtenue dans l'immédiat.",
        "Cette dépêche a été complétée avec de nouveaux détails.",
    ],
    "en": [
        "Officials said more details would be released later in the day.",
        "There was no immediate comment from those affected.",
        "This story has been updated with additional details.",
    ],
}
_SENTENCE = re.compile(r"(?<=[.!?»])\s+(?=[A-ZÄÖÜÉÈÀÂÇ«\"'])")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")

Item = dict[str, Any]


def item(headline: str, lead: str, body: list[str]) -> Item:
    return {"headline": headline, "lead": lead, "body": "\n\n".join(p for p in body if p)}


def synonymise(text: str, lang: str, rng: random.Random, rate: float = 0.7) -> str:
    for word, choices in SYNONYMS[lang].items():
        pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)")

        def swap(m: re.Match[str], choices: list[str] = choices) -> str:
            return rng.choice(choices) if rng.random() < rate else m[0]

        text = pattern.sub(swap, text)
    return text


def shuffle_sentences(paragraph: str, rng: random.Random) -> str:
    parts = _SENTENCE.split(paragraph)
    if len(parts) > 1:
        rng.shuffle(parts)
    return " ".join(parts)


def dateline(lang: str, rng: random.Random, body: list[str]) -> list[str]:
    return [rng.choice(DATELINES[lang]) + body[0], *body[1:]] if body else body


def signed(lang: str, rng: random.Random, body: list[str]) -> list[str]:
    sig = rng.choice(SIGNATURES[lang])
    return [*body[:-1], f"{body[-1]} {sig}".rstrip()] if body else body


def original(story: Item, rng: random.Random) -> Item:
    lang = story["lang"]
    return item(
        story["headline"], story["lead"], signed(lang, rng, dateline(lang, rng, story["body"]))
    )


def version(story: Item, rng: random.Random) -> Item:
    """An update: new headline, one figure corrected, a sentence or paragraph added."""
    lang = story["lang"]
    body = list(story["body"])
    i = rng.randrange(len(body))
    body[i] = _NUMBER.sub(lambda m: str(int(m[0].split(",")[0].split(".")[0]) + 1), body[i], 1)
    if story.get("extra") and rng.random() < 0.6:
        body.insert(rng.randint(1, len(body)), story["extra"])
    else:
        body[-1] = body[-1] + " " + rng.choice(UPDATE_SENTENCES[lang])
    headline = rng.choice([*story.get("headlines", []), story["headline"]])
    return item(headline, story["lead"], signed(lang, rng, dateline(lang, rng, body)))


def republish(story: Item, rng: random.Random, other_headline: str) -> Item:
    """A partner page's copy: same text, other headline, credit lines and page furniture."""
    lang = story["lang"]
    body = list(story["body"])
    if rng.random() < 0.3 and len(body) > 3:
        body = body[:-1]
    furniture = rng.sample(BOILERPLATE[lang], rng.randint(1, 3))
    for line in furniture:
        body.insert(rng.choice([1, len(body)]), line.format(other=other_headline))
    headline = rng.choice(story.get("headlines") or [story["headline"]])
    lead = story["lead"] if rng.random() < 0.7 else ""
    return item(headline, lead, signed(lang, rng, body))


def rewrite(story: Item, rng: random.Random) -> Item:
    """Another agency's rewrite of the same event."""
    lang = story["lang"]
    body = [synonymise(p, lang, rng) for p in story["body"]]
    for i in rng.sample(range(len(body)), k=min(2, len(body))):
        body[i] = shuffle_sentences(body[i], rng)
    if len(body) > 3 and rng.random() < 0.4:
        del body[rng.randrange(1, len(body))]
    if story.get("extra") and rng.random() < 0.5:
        body.insert(rng.randint(1, len(body)), synonymise(story["extra"], lang, rng))
    if len(body) > 3 and rng.random() < 0.3:
        i, j = rng.sample(range(1, len(body)), 2)
        body[i], body[j] = body[j], body[i]
    headline = rng.choice(story.get("headlines") or [story["headline"]])
    lead = synonymise(story["lead"], lang, rng)
    return item(headline, lead, signed(lang, rng, dateline(lang, rng, body)))


def main() -> None:
    rng = random.Random(SEED)
    pairs: list[dict[str, Any]] = []

    def add(lang: str, kind: str, label: int, a: Item, b: Item) -> None:
        pairs.append(
            {"id": f"{len(pairs):04d}", "lang": lang, "kind": kind, "label": label, "a": a, "b": b}
        )

    by_lang: dict[str, list[Item]] = {}
    for s in STORIES:
        by_lang.setdefault(s["lang"], []).append(s)

    variants: dict[str, list[Item]] = {}
    for story in STORIES:
        lang = story["lang"]
        others = [s["headline"] for s in by_lang[lang] if s is not story]
        orig = original(story, rng)
        made = {"orig": orig}
        for n in range(2):
            v = version(story, rng)
            add(lang, "version", 1, orig, v)
            made[f"version{n}"] = v
        for n in range(2):
            r = republish(story, rng, rng.choice(others))
            add(lang, "republish", 1, orig, r)
            made[f"republish{n}"] = r
        rewrites = [rewrite(story, rng) for _ in range(4)]
        for r in rewrites:
            add(lang, "rewrite", 1, orig, r)
        add(lang, "rewrite", 1, rewrites[0], rewrites[1])
        add(lang, "rewrite", 1, made["republish0"], rewrites[2])
        made.update({f"rewrite{n}": r for n, r in enumerate(rewrites)})
        variants[story["id"]] = list(made.values())

    # Different stories on one topic, in several forms each.
    for lang, stories in by_lang.items():
        topics: dict[str, list[Item]] = {}
        for s in stories:
            topics.setdefault(s["topic"], []).append(s)
        for group in topics.values():
            for s1, s2 in itertools.combinations(group, 2):
                combos = list(itertools.product(variants[s1["id"]], variants[s2["id"]]))
                for a, b in rng.sample(combos, 12):
                    add(lang, "same-topic", 0, a, b)
        for s1, s2 in itertools.combinations(stories, 2):
            if s1["topic"] != s2["topic"] and rng.random() < 0.5:
                add(lang, "other-topic", 0, rng.choice(variants[s1["id"]]),
                    rng.choice(variants[s2["id"]]))  # fmt: skip

    # Template copy: day against day (different), item against its update or copy (same).
    for kind, generators in TEMPLATES.items():
        for lang, make in generators.items():
            days = []
            for day in range(TEMPLATE_DAYS):
                headline, lead, body = make(rng, day)
                story = {"lang": lang, "headline": headline, "lead": lead, "body": body}
                days.append(story)
                orig = original(story, rng)
                add(lang, "version", 1, orig, version(story, rng))
                add(lang, "republish", 1, orig, republish(story, rng, "Weitere Meldungen"))
            for s1, s2 in itertools.combinations(days, 2):
                add(lang, kind, 0, original(s1, rng), original(s2, rng))

    with OUT.open("w", encoding="utf-8") as fh:
        for pair in pairs:
            fh.write(json.dumps(pair, ensure_ascii=False) + "\n")
    pos = sum(p["label"] for p in pairs)
    print(f"{len(pairs)} pairs ({pos} same story, {len(pairs) - pos} different) -> {OUT}")


if __name__ == "__main__":
    main()
