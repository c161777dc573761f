"""Two agencies' own accounts of one event: candidates by shared rare names and numbers,
joined on their facts; same-topic stories, follow-ups and other days' reports kept apart.

Pairs are signed and matched through a fresh ``ClusterIndex``, as production does.
"""

from __future__ import annotations

import zlib

import numpy as np

from tests.ingest.test_matching import joins
from wire.config import DedupConfig
from wire.ingest.dedup import RARE_DF, ClusterIndex, Signed, Signer
from wire.ingest.evidence import DATES, WEEKDAYS, evidence
from wire.ingest.matching import Traits, judged, moved_on
from wire.ingest.signing import EVIDENCE_PERM

CONFIG = DedupConfig()
SIGNER = Signer(CONFIG)

FIRE_SDA = (
    "Grossbrand in Lagerhalle in Winterthur – 80 Feuerwehrleute im Einsatz",
    "In einer Lagerhalle im Winterthurer Industriegebiet Grüze ist am Dienstagmorgen ein "
    "Grossbrand ausgebrochen. Verletzt wurde niemand.",
    "Winterthur (sda) - Der Alarm ging kurz nach 5.30 Uhr ein, wie die Stadtpolizei Winterthur "
    "mitteilte. Beim Eintreffen der Feuerwehr stand die Halle bereits in Vollbrand. Rund 80 "
    "Angehörige der Feuerwehr standen im Einsatz.\n\nEine dichte Rauchwolke war weitherum "
    "sichtbar. Die Bevölkerung wurde über Alertswiss aufgefordert, Fenster und Türen "
    "geschlossen zu halten.\n\nDie Halle gehört einem Logistikunternehmen. Der Sachschaden "
    "dürfte mehrere Millionen Franken betragen. Die Brandursache wird vom Forensischen "
    "Institut Zürich untersucht.",
)
FIRE_DPA = (
    "Lagerhalle in Winterthur brennt nieder",
    "Ein Feuer hat am Dienstag eine Lagerhalle in Winterthur zerstört. Die Feuerwehr war mit "
    "einem Grossaufgebot vor Ort, Menschen kamen nicht zu Schaden.",
    "WINTERTHUR (dpa) – Das Feuer im Quartier Grüze wurde am frühen Morgen gemeldet. Als die "
    "ersten Einsatzkräfte eintrafen, brannte das Gebäude lichterloh, teilte die Stadtpolizei "
    "mit. Insgesamt rückten etwa 80 Feuerwehrleute aus.\n\nÜber Alertswiss wurden Anwohnende "
    "gebeten, ihre Fenster zu schliessen. In der Halle lagerte eine Logistikfirma Kartonagen.\n\n"
    "Zur Ursache des Brandes ermitteln Spezialisten des Forensischen Instituts Zürich. Den "
    "Schaden schätzt die Polizei auf mehrere Millionen Franken.",
)
FIRE_BIEL = (
    "Brand in Mehrfamilienhaus in Biel – zwei Personen verletzt",
    "Bei einem Brand in einem Mehrfamilienhaus in Biel sind am Dienstagabend zwei Personen "
    "leicht verletzt worden. Zwölf Bewohner mussten evakuiert werden.",
    "Biel (sda) - Das Feuer brach gegen 21 Uhr in einer Wohnung im dritten Stock aus, wie die "
    "Kantonspolizei Bern mitteilte. Die Berufsfeuerwehr Biel konnte den Brand rasch löschen. "
    "Rund 30 Feuerwehrleute standen im Einsatz.\n\nZwei Bewohnerinnen wurden mit Verdacht auf "
    "Rauchvergiftung ins Spital gebracht. Die Kantonspolizei hat Ermittlungen aufgenommen.",
)
FIRE_NEXT_DAY = (
    "Brand in Winterthur: Polizei nennt Ursache",
    "Der Grossbrand in einer Lagerhalle in Winterthur ist durch einen technischen Defekt "
    "ausgelöst worden, wie die Stadtpolizei am Mittwoch mitteilte.",
    "Winterthur (sda) - Das Forensische Institut Zürich fand in der Halle im Industriegebiet "
    "Grüze einen defekten Gabelstapler. Die Aufräumarbeiten dauern laut Stadtpolizei "
    "Winterthur noch mehrere Wochen.\n\nDie Logistikfirma hat ihre Kunden informiert und "
    "lagert ihre Ware vorübergehend in Frauenfeld.",
)

CRASH_RTR = (
    "Two killed as coach carrying French pensioners overturns on Swiss motorway",
    "A coach carrying French pensioners overturned on the A9 motorway near Saint-Maurice in "
    "Switzerland on Tuesday morning, killing two passengers and injuring 23, police said.",
    "ZURICH (Reuters) - The coach hit a crash barrier shortly before 9:30 a.m. and tipped onto "
    "its side on the carriageway towards Martigny, the Valais cantonal police said. Four of the "
    "injured were in a serious condition.\n\nThe vehicle, registered in Haute-Savoie, carried "
    "41 passengers and two drivers. The dead were a woman aged 78 and a man aged 81 from the "
    "Annecy area, police spokesman Julien Fournier said.\n\nThree helicopters and eleven "
    "ambulances took the injured to hospitals in Sion, Martigny and Lausanne. The A9 was closed "
    "in both directions between Saint-Maurice and Evionnaz for more than five hours. The Valais "
    "public prosecutor has opened an investigation.",
)
CRASH_AP = (
    "Swiss bus crash kills 2 French retirees, injures 23",
    "Two French retirees were killed and 23 people injured Tuesday when their tour bus rolled "
    "over on a motorway in Switzerland's Valais canton, police said.",
    "GENEVA (AP) - The group from Haute-Savoie was on an excursion to the Great St. Bernard "
    "Pass, the French prefecture said.\n\nThe bus struck a guardrail on the A9 near "
    "Saint-Maurice and tipped over. A 78-year-old woman and an 81-year-old man died at the "
    "scene; four of the injured were in serious condition and some were flown to Lausanne.\n\n"
    "The mayor of Annecy said the town was in contact with Swiss authorities and the families. "
    "The Valais prosecutor opened an investigation and both drivers were tested for alcohol, "
    "police said.",
)
CRASH_NEXT_DAY = (
    "Swiss coach crash: both drivers questioned, A9 reopened",
    "Swiss prosecutors questioned both drivers of the coach that overturned on the A9 near "
    "Saint-Maurice, killing two French pensioners, and 11 of the injured remain in hospital.",
    "ZURICH (Reuters) - Alcohol tests on the two drivers were negative, Valais prosecutor "
    "Nathalie Cretton said on Wednesday. The coach's tachograph was seized for analysis.\n\n"
    "Of the 23 injured, 12 left hospital on Wednesday. Three remain in a serious condition in "
    "Lausanne and Sion. Uninjured passengers were taken home to Haute-Savoie on Tuesday "
    "evening by a coach chartered by the tour operator.\n\nTraffic on the A9 resumed on "
    "Wednesday morning after the crash barrier was repaired. A memorial service is planned "
    "for Saturday in Annecy.",
)


def test_two_agencies_accounts_in_other_words_join() -> None:
    sda, dpa = SIGNER.sign_text(*FIRE_SDA, "de"), SIGNER.sign_text(*FIRE_DPA, "de")
    assert sda is not None and dpa is not None
    assert ClusterIndex.from_config(CONFIG).similarity(sda, dpa) < 0.1  # hardly a shared shingle
    assert joins(FIRE_SDA, FIRE_DPA, "de") is not None
    assert joins(FIRE_DPA, FIRE_SDA, "de") is not None


def test_another_fire_and_the_next_days_story_stay_apart() -> None:
    for other in (FIRE_BIEL, FIRE_NEXT_DAY):
        assert joins(FIRE_SDA, other, "de") is None
        assert joins(other, FIRE_DPA, "de") is None


def test_a_next_day_follow_up_with_the_same_names_and_figures_stays_apart() -> None:
    """The follow-up shares the crash's names, its figures (2 dead, 23 injured, the A9) and its
    headline's subjects, as another agency's account would; but it opens on Wednesday and
    names Tuesday only further down. The two accounts of Tuesday still join."""
    assert joins(CRASH_RTR, CRASH_AP, "en") is not None
    assert joins(CRASH_AP, CRASH_RTR, "en") is not None
    for story in (CRASH_RTR, CRASH_AP):
        assert joins(story, CRASH_NEXT_DAY, "en") is None
        assert joins(CRASH_NEXT_DAY, story, "en") is None


def _days(day: str, *others: str) -> Traits:
    """Traits naming ``day`` first, then ``others`` ("wd1": Tuesday, "5.12": 5 December)."""
    hashed = [
        zlib.crc32(f"~{'' if d.startswith('wd') else 'd'}{d}".encode()) for d in (day, *others)
    ]
    return Traits.of(60, False, (), hashed, day=hashed[:1])


def test_days_apart_weekdays_differ_dates_only_when_neither_names_the_others() -> None:
    assert moved_on(_days("wd2", "wd1"), _days("wd1"))  # Wednesday's follow-up of Tuesday
    assert not moved_on(_days("wd1"), _days("wd1", "wd2"))
    assert moved_on(_days("6.12"), _days("5.12"))  # "ROMA, 6 DIC" after "ROMA, 5 DIC"
    # a headline's announced date ("from 19 December") comes before the dateline's 5 December
    assert not moved_on(_days("19.12", "5.12"), _days("5.12", "23.12"))
    assert not moved_on(_days("1.12"), _days("wd2"))  # a date and a weekday: maybe one day
    assert not moved_on(_days("wd1"), Traits.of(60, False, (), ()))  # one names no day


def test_evidence_reads_weekdays_and_dates_in_four_languages() -> None:
    def days(text: str, lang: str) -> tuple[int, int]:
        names = evidence("Titel", text, "", lang).names
        return len(names & WEEKDAYS), len(names & DATES)

    assert days("Am Dienstagmorgen, 12. Juni, brannte es.", "de") == (1, 1)
    assert days("Le 1er juillet, mardi soir, la crue a cessé.", "fr") == (1, 1)
    assert days("ROMA, 26 GEN - Lunedì la scossa è stata avvertita.", "it") == (1, 1)
    assert days("On Tuesday, June 12, the bank said it may 5 times raise rates.", "en") == (1, 1)


def test_every_german_weekday_takes_a_part_of_the_day() -> None:
    """A German weekday with a part of the day is that day ("Mittwochnachmittag" as
    "Dienstagabend"): a report told on Wednesday afternoon and another agency's of Wednesday
    open on one day."""

    def first_day(lead: str) -> frozenset[int]:
        return evidence("Titel", lead, "", "de").day

    wednesday = first_day("Das Gericht wies den Antrag am Mittwoch ab.")
    assert wednesday and wednesday <= WEEKDAYS
    for lead in (
        "Das Gericht wies den Antrag am Mittwochnachmittag ab; der Streik dauert bis Freitag.",
        "Am Mittwochabend blieben die Bahnhöfe leer.",
        "Mittwochs fahren nur wenige Züge.",
    ):
        assert first_day(lead) == wednesday, lead
    assert first_day("Am Sonnabendmorgen brannte es.") == first_day("Am Samstag brannte es.")
    assert first_day("Am Donnerstagabend brannte es.") != wednesday


def _signed(names: list[str], seed: int) -> Signed:
    """A signature that agrees with no other in any LSH band, with these names."""
    rng = np.random.default_rng(seed)
    values = rng.integers(0, 2**32, CONFIG.num_perm, dtype=np.uint32)
    ev = rng.integers(0, 2**32, EVIDENCE_PERM, dtype=np.uint32)
    hashed = [zlib.crc32(n.encode()) for n in names]
    return Signed(values, ev, Traits.of(60, False, (), hashed), None)


def test_two_shared_rare_names_make_a_candidate_a_common_one_does_not() -> None:
    index = ClusterIndex.from_config(CONFIG)
    index.add("story", "de", _signed(["winterthur", "grueze", "zuerich"], 1), 0.0)
    for n in range(RARE_DF + 1):  # "zuerich" is in every article: no rare key
        index.add(f"other-{n}", "de", _signed(["zuerich", f"ort{n}"], 100 + n), 0.0)
    lang = index._langs["de"]

    def candidates(names: list[str]) -> set[str | None]:
        sig = _signed(names, 999)
        slots, _ = lang.candidates(sig.row, 32, sig.keys)
        return {lang.keys[s] for s in slots.tolist()}

    assert "story" in candidates(["winterthur", "grueze", "bern"])
    assert "story" not in candidates(["winterthur", "zuerich"])  # one rare, one common
    assert "story" not in candidates(["grueze", "basel"])  # one shared name is no candidate


def _account(names: list[str], figures: list[str], headline: list[str], *days: str) -> Traits:
    """Traits of an account: these names, figures and days ("wd1": Tuesday), its headline
    naming ``headline``."""
    hashed = {n: zlib.crc32(n.encode()) for n in [*names, *figures]}
    day = [zlib.crc32(f"~{d}".encode()) for d in days]
    return Traits.of(
        120,
        False,
        [hashed[f] for f in figures],
        [hashed[n] for n in names] + day,
        [hashed[h] for h in headline],
        day=day[:1],
    )


def test_an_account_without_figures_is_no_account_of_a_story_full_of_them() -> None:
    """Tuesday's verdict (eight years, five parks, 2.4 million, 1,300 investors) and a later
    report on the defence's appeal, in other words, naming the same court, company and accused
    but no figure and no day: the figures it lacks are the verdict's facts, as any follow-up's
    would be. Against a text with three figures or fewer, a figure-less account still joins."""
    names = ["landgericht", "muenchen", "solarpark", "anlagebetrug", "huber", "revision",
             "sonnenkraft", "verteidigung", "staatsanwaltschaft", "bundesgerichtshof"]  # fmt: skip
    verdict = _account(names, ["8", "5", "2,4", "1300", "14"], ["anlagebetrug"], "wd1")
    appeal = _account(names, [], ["revision", "muenchen"])
    assert judged(0.02, verdict, appeal, CONFIG.threshold) is None
    assert judged(0.02, appeal, verdict, CONFIG.threshold) is None
    brief = _account(names, ["8", "5"], ["anlagebetrug"], "wd1")
    joined = judged(0.02, brief, appeal, CONFIG.threshold)
    assert joined is not None and joined.rule == "account"
