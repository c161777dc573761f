"""Write the labelled evaluation set ``pairs.jsonl`` (deterministic; run once, then commit).

Run: ``python bench/dedup/make_pairs.py``. The set is fixed data: regenerate it only to change
the set itself, never while tuning (the held-out third would then stop being held out).

Each pair: ``lang``, ``kind`` (category), ``label`` (1 same story, 0 different), ``split``
("tune" or "heldout": a third of the story groups, by a hash of the group), ``a`` and ``b``
(``headline``, ``lead``, ``body``, ``agency``). Categories:

same story (label 1): ``rewrite`` (another agency writes the same facts), ``update`` (1ST LEAD /
UPDATE: new headline and lead, the rest unchanged), ``figures`` (the same desk's copy with
updated figures), ``brief`` (a 2-3 paragraph brief of a long story), ``short`` (near-identical
short items below ``min_words``), ``trailer`` (an exact copy with a trailer: "(Reporting by
...)", "(sda)", "dpa xy yz", "© AFP"), ``version`` (the same item corrected).

different stories (label 0): ``earnings`` (one company, different quarters), ``sports``
(previews and results of different games), ``weather`` (different days), ``market`` (different
days), ``automated`` (automated stock copy), ``same-topic`` (two stories of one kind), ``follow-up``
(the next day's story on the same event), ``short-other`` (short items of one kind).
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from wirecopy import (
    AGENCIES,
    COMPANIES,
    FOLLOW_UP,
    LANGS,
    MONTHS,
    NEWS,
    PLACES,
    TEAMS,
    UPDATE_LEAD,
    UPDATE_TAG,
    WEEKDAYS,
    Desk,
    Item,
    _resolve,
    automated,
    earnings,
    market,
    person,
    sports,
    weather,
    write_news,
)

OUT = Path(__file__).resolve().parent / "pairs.jsonl"
SEED = 20261206
STORIES_PER_KIND = 7  # per language and news kind: 4 x 3 x 7 = 84 fact sets

TRAILERS = {
    "de": [
        "(sda)",
        "dpa xy yz",
        "(dpa/sda)",
        "kkt/sda",
        "© AFP",
        "(Mitarbeit: {p}; Redigiert von {p})",
    ],
    "fr": [
        "(ats)",
        "© AFP",
        "ats/afp",
        "(Avec AFP)",
        "jm/ats",
        "(Reportage de {p}; édité par {p})",
    ],
    "it": ["(ats)", "(ANSA).", "Riproduzione riservata © Copyright ANSA", "red/ats", "© AFP"],
    "en": [
        "(Reporting by {p}; Editing by {p})",
        "(Reporting by {p} in {c}; Additional reporting by {p}; Editing by {p} and {p})",
        "© AFP",
        "(AP)",
        "(Writing by {p}; Editing by {p})",
    ],
}
SWAPS = {
    "de": [
        ("sagte", "erklärte"),
        ("mitteilte", "bekanntgab"),
        ("rund", "etwa"),
        ("Menschen", "Personen"),
        ("zuletzt", "im Vorjahr"),
    ],
    "fr": [
        ("a indiqué", "a précisé"),
        ("quelque", "environ"),
        ("personnes", "individus"),
        ("selon", "d'après"),
    ],
    "it": [
        ("ha reso noto", "ha comunicato"),
        ("circa", "quasi"),
        ("persone", "individui"),
        ("secondo", "stando a"),
    ],
    "en": [
        ("said", "told reporters"),
        ("about", "around"),
        ("people", "persons"),
        ("according to", "citing"),
    ],
}
_NUMBER = re.compile(r"\d+")


def split_of(group: str) -> str:
    """A third of the story groups held out, by a stable hash."""
    return "heldout" if hashlib.sha256(group.encode()).digest()[0] % 3 == 0 else "tune"


def desk(lang: str, rng: random.Random, day: int, agency: str | None = None) -> Desk:
    return Desk(lang, agency or rng.choice(AGENCIES[lang]), random.Random(rng.random()), day)


def trailer(lang: str, rng: random.Random) -> str:
    t = rng.choice(TRAILERS[lang])
    return re.sub(r"\{p\}", lambda _: person(rng, "en"), t).replace("{c}", rng.choice(PLACES[lang]))


def with_trailer(item: Item, lang: str, rng: random.Random) -> Item:
    """An exact copy as a partner or another channel carries it: a trailer on the last
    paragraph (or its own line), perhaps a new headline."""
    body = list(item.body)
    t = trailer(lang, rng)
    if rng.random() < 0.7:
        body[-1] = f"{body[-1]} {t}"
    else:
        body.append(t)
    return Item(item.headline, item.lead, body, item.agency)


def swap_words(text: str, lang: str, rng: random.Random, n: int = 1) -> str:
    pairs = [p for p in SWAPS[lang] if p[0] in text]
    for old, new in rng.sample(pairs, min(n, len(pairs))):
        text = text.replace(old, new, 1)
    return text


def correct(item: Item, lang: str, rng: random.Random) -> Item:
    """Version 2 of one item: a figure fixed, a word changed or a sentence added."""
    body = list(item.body)
    i = rng.randrange(len(body))
    choice = rng.random()
    if choice < 0.4 and _NUMBER.search(body[i]):
        body[i] = _NUMBER.sub(lambda m: str(int(m[0]) + 1), body[i], count=1)
    elif choice < 0.7:
        body[i] = swap_words(body[i], lang, rng) or body[i]
        body[i] = body[i].replace(" ", "  ", 1).replace("  ", " ")
        if body[i] == item.body[i]:
            body[i] = body[i].rstrip(".") + "."
            body.insert(
                i + 1,
                rng.choice(list(UPDATE_LEAD["court"].values()))
                if lang == "en"
                else UPDATE_LEAD["court"][lang],
            )
    else:
        body.insert(min(len(body), i + 1), UPDATE_LEAD["court"][lang])
    return Item(item.headline, item.lead, body, item.agency)


def no_trailer(item: Item) -> Item:
    """The agency's own feed copy, without a trailer line (trailers come with copies)."""
    body = [p for p in item.body if len(p.split()) > 8]
    return Item(item.headline, item.lead, body or item.body, item.agency, item.meta)


def main() -> None:
    rng = random.Random(SEED)
    pairs: list[dict[str, Any]] = []

    def add(lang: str, kind: str, label: int, group: str, a: Item, b: Item) -> None:
        pairs.append({"id": f"{len(pairs):04d}", "lang": lang, "kind": kind, "label": label,
                      "split": split_of(group), "group": group,
                      "a": a.to_json(), "b": b.to_json()})  # fmt: skip

    for lang in LANGS:
        for kind, (bank, make_facts) in NEWS.items():
            fact_sets = [make_facts(rng, lang, day) for day in range(STORIES_PER_KIND)]
            for n, facts in enumerate(fact_sets):
                group = f"{lang}-{kind}-{n}"
                day = rng.randrange(300)
                d1 = desk(lang, rng, day)
                orig = write_news(kind, lang, facts, d1)
                # rewrites: other agencies, same facts
                others = [a for a in AGENCIES[lang] if a != d1.agency]
                rewrites = [
                    write_news(kind, lang, facts, desk(lang, rng, day, rng.choice(others)))
                    for _ in range(2)
                ]
                for r in rewrites:
                    add(lang, "rewrite", 1, group, orig, r)
                # 1ST LEAD / UPDATE: same agency, new guid, new headline and lead, rest kept
                f2 = dict(facts)
                if "dead" in f2:
                    f2["dead"] += rng.randint(1, 6)
                f2 = _resolve(bank[lang], f2)
                upd_desk = Desk(lang, d1.agency, random.Random(rng.random()), day)
                lead = (
                    upd_desk.pick(bank[lang]["lead"], f2)
                    + " "
                    + UPDATE_LEAD[kind][lang].format(**f2)
                )
                headline = rng.choice(UPDATE_TAG[lang]) + upd_desk.pick(bank[lang]["headline"], f2)
                body = list(orig.body)
                body.insert(rng.randint(1, len(body) - 1), UPDATE_LEAD[kind][lang].format(**f2))
                add(lang, "update", 1, group, orig, Item(headline, lead, body, d1.agency))
                # updated figures: the same desk's wording, new figures
                if kind != "court":
                    f3 = dict(facts)
                    for key in ("dead", "injured", "jump", "premium"):
                        if key in f3 and isinstance(f3[key], int):
                            f3[key] += rng.randint(1, 5)
                    if "jump" in f3:
                        f3["jump"] = (
                            f3["jump"].replace("1", "2", 1)
                            if "1" in f3["jump"]
                            else f3["jump"] + "5"
                        )
                    seed = rng.random()
                    a = write_news(
                        kind, lang, facts, Desk(lang, d1.agency, random.Random(seed), day)
                    )
                    b = write_news(kind, lang, f3, Desk(lang, d1.agency, random.Random(seed), day))
                    add(lang, "figures", 1, group, a, b)
                # brief of a long story
                long = write_news(kind, lang, facts, desk(lang, rng, day), long=True)
                bdesk = desk(lang, rng, day)
                brief_body = [long.body[0]] + ([long.body[1]] if rng.random() < 0.6 else [])
                brief_body[-1] = brief_body[-1] + " " + bdesk.trailer()
                bh = (
                    long.headline
                    if rng.random() < 0.6
                    else bdesk.pick(bank[lang]["headline"], _resolve(bank[lang], facts))
                )
                add(lang, "brief", 1, group, long, Item(bh, long.lead, brief_body, bdesk.agency))
                if rng.random() < 0.5:
                    add(
                        lang, "brief", 1, group, Item(bh, long.lead, brief_body, bdesk.agency), long
                    )
                # exact copies with trailers
                clean = no_trailer(orig)
                for _ in range(2):
                    copy = with_trailer(clean, lang, rng)
                    if rng.random() < 0.4:
                        copy.headline = rewrites[0].headline  # a partner retitles
                    add(lang, "trailer", 1, group, clean, copy)
                # versions of one item
                add(lang, "version", 1, group, orig, correct(orig, lang, rng))
                # short items: headline + lead only, near-identical from two channels
                sd = desk(lang, rng, day)
                short_a = Item(
                    orig.headline,
                    sd.dateline(facts.get("place", PLACES[lang][0])) + orig.lead,
                    [],
                    sd.agency,
                )
                short_b = Item(
                    rng.choice([orig.headline, rewrites[0].headline]),
                    swap_words(orig.lead, lang, rng) + " " + trailer(lang, rng),
                    [],
                    sd.agency,
                )
                add(lang, "short", 1, group, short_a, short_b)
                # follow-up: next day's story on the same event
                fu = FOLLOW_UP[kind][lang]
                ff = _resolve(bank[lang], facts) | {"wd2": WEEKDAYS[lang][(day + 2) % 7]}
                fdesk = desk(lang, rng, day + 2)
                fbody = [p.format(**ff) for p in fu[2]]
                fbody[0] = fdesk.dateline(ff.get("place", PLACES[lang][0])) + fbody[0]
                follow = Item(fu[0].format(**ff), fu[1].format(**ff), fbody, fdesk.agency)
                add(lang, "follow-up", 0, group, rng.choice([orig, *rewrites]), follow)
            # same-topic: two stories of one kind (different facts), any desks
            for i in range(len(fact_sets)):
                for j in rng.sample([k for k in range(len(fact_sets)) if k != i], 2):
                    group = f"{lang}-{kind}-{min(i, j)}"
                    day = rng.randrange(300)
                    a = write_news(kind, lang, fact_sets[i], desk(lang, rng, day))
                    b = write_news(kind, lang, fact_sets[j], desk(lang, rng, day))
                    add(lang, "same-topic", 0, group, a, b)
                    if rng.random() < 0.5:  # short items of one kind, different facts
                        sd = desk(lang, rng, day)
                        add(
                            lang,
                            "short-other",
                            0,
                            group,
                            Item(a.headline, a.lead, [], sd.agency),
                            Item(b.headline, b.lead, [], sd.agency),
                        )

        # templated reports: different events (label 0); their copies and versions (label 1)
        for n, company in enumerate(rng.sample(COMPANIES[lang], 6)):
            group = f"{lang}-earnings-{n}"
            q = rng.randint(1, 3)
            a = earnings(lang, company, q, 2026, rng)
            b = earnings(lang, company, q + 1, 2026, rng)
            c = earnings(lang, company, q, 2025, rng)
            add(lang, "earnings", 0, group, a, b)
            add(lang, "earnings", 0, group, a, c)
            add(lang, "version", 1, group, a, correct(a, lang, rng))
            add(lang, "trailer", 1, group, a, with_trailer(a, lang, rng))
        for n in range(6):
            group = f"{lang}-sports-{n}"
            teams = rng.sample(TEAMS[lang], 4)
            preview = n % 2 == 0
            a = sports(lang, rng, teams[0], teams[1], preview)
            b = sports(lang, rng, teams[2], teams[3], preview)
            c = sports(lang, rng, teams[0], teams[2], preview)  # the same club's next game
            add(lang, "sports", 0, group, a, b)
            add(lang, "sports", 0, group, a, c)
            add(lang, "trailer", 1, group, a, with_trailer(a, lang, rng))
        regions = {
            "de": ["Zürich", "Bern", "Basel"],
            "fr": ["Genève", "Vaud", "Valais"],
            "it": ["Ticino", "Lombardia", "Grigioni"],
            "en": ["Dover", "Liverpool", "Southampton"],
        }[lang]
        for n in range(6):
            group = f"{lang}-weather-{n}"
            region = regions[n % 3]
            day = rng.randrange(300)
            a = weather(lang, rng, day, region)
            b = weather(lang, rng, day + 1, region)
            c = weather(lang, rng, day + 7, region)
            add(lang, "weather", 0, group, a, b)
            add(lang, "weather", 0, group, a, c)
            add(lang, "version", 1, group, a, correct(a, lang, rng))
        for n in range(6):
            group = f"{lang}-market-{n}"
            day = rng.randrange(300)
            a, b, c = market(lang, rng, day), market(lang, rng, day + 1), market(lang, rng, day + 3)
            add(lang, "market", 0, group, a, b)
            add(lang, "market", 0, group, a, c)
            add(lang, "trailer", 1, group, a, with_trailer(a, lang, rng))
        for n in range(5):
            group = f"{lang}-automated-{n}"
            day = rng.randrange(300)
            c1, c2 = rng.sample(COMPANIES[lang], 2)
            a = automated(lang, rng, c1, day)
            add(lang, "automated", 0, group, a, automated(lang, rng, c2, day))
            add(lang, "automated", 0, group, a, automated(lang, rng, c1, day + 1))
    _ = MONTHS
    with OUT.open("w", encoding="utf-8") as fh:
        for pair in pairs:
            fh.write(json.dumps(pair, ensure_ascii=False) + "\n")
    pos = sum(p["label"] for p in pairs)
    held = sum(p["split"] == "heldout" for p in pairs)
    print(
        f"{len(pairs)} pairs ({pos} same story, {len(pairs) - pos} different; "
        f"{held} held out) -> {OUT}"
    )


if __name__ == "__main__":
    main()
