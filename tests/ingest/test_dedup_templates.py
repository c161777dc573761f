"""Template copy: results, market closes and weather reports that differ only in their figures.

Agencies send hundreds of these a day. Every report shares its boilerplate word for word with
every other of its template, so each is a candidate of all the others: the clusterer must keep
each day's report apart from the other days' (while joining the copies of one day's report
that several agencies send) and must judge only a bounded number of candidates per insert.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from wire.config import DedupConfig
from wire.ingest import dedup
from wire.ingest.dedup import ClusterIndex, MemoryClusterer, _epoch
from wire.ingest.matching import Reason, Traits
from wire.record import Article

T0 = datetime(2024, 8, 1, 6, 0, tzinfo=UTC)

FOOTBALL = (
    "Super League: FC Basel beat Young Boys {a}-{b} on matchday {day}",
    "FC Basel beat Young Boys {a}-{b} at St. Jakob-Park on matchday {day} of the Super League "
    "before {crowd} spectators.",
    "Servette drew {c}-{c} with FC Lugano in Geneva before {crowd2} fans, and FC St. Gallen "
    "lost {b}-{d} at FC Zurich ({crowd3} spectators). Grasshoppers won {d}-{a} against FC Luzern "
    "in the late game. Young Boys stay top "
    "of the table with {points} points, {gap} ahead of Servette. The next round is played on "
    "Saturday, the league said in a statement.",
)
MARKETS = (
    "Börse Zürich: SMI schliesst bei {level} Punkten",
    "Der Swiss Market Index (SMI) hat am {date}. des Monats um {pct} Prozent auf {level} Punkte "
    "geschlossen. Der breite SPI stand bei {spi} Punkten.",
    "Nestlé gewannen {n1} Prozent, Novartis {n2} Prozent und Roche {n3} Prozent. Die Grossbank "
    "UBS verlor {n4} Prozent. Gehandelt wurden {volume} Millionen Titel. Händler sprachen von "
    "einem ruhigen Tag an der Zürcher Börse, die Anleger warteten auf neue Zahlen aus den "
    "Vereinigten Staaten.",
)
WEATHER = (
    "Météo: jusqu'à {t1} degrés attendus le {date} en Suisse romande",
    "MétéoSuisse prévoit pour le {date} des températures maximales de {t1} degrés à Genève et "
    "de {t2} degrés à Sion, avec un risque d'orage de {risk} pour cent en soirée.",
    "À Lausanne, le thermomètre devrait atteindre {t3} degrés. La limite du zéro degré se situe "
    "vers {iso} mètres. Les vents du sud-ouest souffleront à {wind} km/h sur les crêtes du Jura, "
    "selon les relevés de MétéoSuisse publiés à {hour} heures.",
)


def figures(rng: random.Random, day: int) -> dict[str, str]:
    """One report's figures: small scores and percentages that often recur between days,
    and a few that date the report (matchday, index level, date)."""
    pct = lambda: f"{rng.randint(0, 2)},{rng.randint(0, 99):02d}"  # noqa: E731
    return {
        "day": str(day), "a": str(rng.randint(0, 4)), "b": str(rng.randint(0, 4)),
        "c": str(rng.randint(0, 3)), "d": str(rng.randint(0, 4)),
        "crowd": f"{rng.randint(8, 38)}'{rng.randint(0, 999):03d}",
        "crowd2": f"{rng.randint(4, 28)}'{rng.randint(0, 999):03d}",
        "crowd3": f"{rng.randint(6, 22)}'{rng.randint(0, 999):03d}",
        "x": str(rng.randint(0, 9)), "y": str(rng.randint(0, 9)),
        "points": str(rng.randint(20, 80)), "gap": str(rng.randint(1, 9)),
        "level": f"{rng.randint(10800, 12400)},{rng.randint(0, 99):02d}", "pct": pct(),
        "spi": f"{rng.randint(14500, 16500)},{rng.randint(0, 99):02d}", "date": str(day),
        "n1": pct(), "n2": pct(), "n3": pct(), "n4": pct(), "volume": str(rng.randint(12, 60)),
        "t1": str(rng.randint(14, 34)), "t2": str(rng.randint(14, 34)),
        "t3": str(rng.randint(14, 34)), "risk": str(rng.randint(1, 9) * 10),
        "iso": str(rng.randint(25, 45) * 100), "wind": str(rng.randint(2, 9) * 10),
        "hour": str(rng.randint(5, 18)),
    }  # fmt: skip


def reports(n: int, seed: int = 5) -> tuple[list[Article], dict[str, int]]:
    """``n`` items in time order: each report (template, day) is sent by one to three agencies
    (the others retitle it or drop its last sentence); each item's label is its report."""
    rng = random.Random(seed)
    templates = ((FOOTBALL, "en"), (MARKETS, "de"), (WEATHER, "fr"))
    items: list[Article] = []
    label: dict[str, int] = {}
    report = 0
    while len(items) < n:
        (headline, lead, body), language = templates[report % 3]
        values = figures(rng, report // 3 + 1)
        for copy in range(rng.randint(1, 3)):
            text = body.format(**values)
            if copy == 2:
                text = text.rsplit(". ", 1)[0] + "."
            when = T0 + timedelta(minutes=5 * len(items))
            article = Article(
                guid=f"r{len(items)}",
                id=f"r{len(items)}",
                language=language,
                headline=headline.format(**values) + (" - update" if copy == 1 else ""),
                lead=lead.format(**values),
                body_text=text,
                firstcreated=when,
            )
            label[article.id] = report
            items.append(article)
        report += 1
    return items[:n], label


def cluster(items: list[Article], config: DedupConfig) -> dict[str, str]:
    clusterer = MemoryClusterer(config)
    for article, sig in zip(items, clusterer.signer.sign_many(items), strict=True):
        clusterer.add(article.id, article.language, sig, _epoch(article.firstcreated))
    return clusterer.cluster_of


def test_two_thousand_template_reports_cluster_by_day() -> None:
    items, label = reports(2000)
    language = {label[a.id]: a.language for a in items}
    cluster_of = cluster(items, DedupConfig())
    reports_in: dict[str, set[int]] = {}
    for key, cluster_id in cluster_of.items():
        reports_in.setdefault(cluster_id, set()).add(label[key])
    mixed = [r for r in reports_in.values() if len(r) > 1]
    # Results and market closes carry enough figures of their own: never two days joined.
    assert not [r for r in mixed if {language[x] for x in r} & {"en", "de"}]
    # A weather report has a handful of small figures (temperatures 14-34), so another day's
    # may share most of them by chance: such joins stay rare (see the README's figures).
    assert sum(len(r) for r in mixed) <= 0.02 * len(items)
    copies: dict[int, list[str]] = {}
    for article in items:
        copies.setdefault(label[article.id], []).append(article.id)
    sent_twice = [keys for keys in copies.values() if len(keys) > 1]
    assert len(sent_twice) > 300
    whole = [
        keys
        for keys in sent_twice
        if all(k in cluster_of for k in keys) and len({cluster_of[k] for k in keys}) == 1
    ]
    assert len(whole) >= 0.99 * len(sent_twice)  # each day's copies together


def test_a_late_copy_finds_its_report_behind_hundreds_of_other_days() -> None:
    """The bound reads only the newest entries of a flooded LSH bucket: a copy of an old
    report still finds it, through the buckets of its own figures."""
    items, label = reports(900)
    first: dict[int, Article] = {}
    for article in items:
        first.setdefault(label[article.id], article)
    old = first[0]
    late = replace(
        old,
        id="late",
        guid="late",
        headline=old.headline + " - update",
        firstcreated=items[-1].firstcreated,
    )
    cluster_of = cluster([*items, late], DedupConfig())
    assert cluster_of.get("late") == cluster_of.get(old.id) is not None


def test_only_max_judged_candidates_are_judged(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever the flood, one insert judges at most ``max_judged`` candidates."""
    calls: list[int] = []
    judge = dedup.judge

    def counting(similarity: float, a: Traits, b: Traits, threshold: float) -> Reason | None:
        calls.append(1)
        return judge(similarity, a, b, threshold)

    monkeypatch.setattr(dedup, "judge", counting)
    config = DedupConfig(max_judged=8)
    items, _ = reports(400)
    index = ClusterIndex.from_config(config)
    signer = MemoryClusterer(config).signer
    for article, sig in zip(items, signer.sign_many(items), strict=True):
        assert sig is not None
        calls.clear()
        index.matches(sig, article.language or "", _epoch(article.firstcreated))
        assert len(calls) <= 8
        index.add(article.id, article.language or "", sig, _epoch(article.firstcreated))
