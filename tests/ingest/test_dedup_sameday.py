"""Two agencies' accounts of one day's event (the same-day rule of ``wire.ingest.matching``):
joined when they open on the same day, share half the fewer names (at least 7, two of them
proper names) and a fifth of both headlines' subjects, however differently each headlines it;
another central bank's decision of the same day stays apart.

Pairs are signed and matched through a fresh ``ClusterIndex``, as production does.
"""

from __future__ import annotations

import zlib

import pytest

from tests.ingest.test_matching import joins
from wire.ingest.evidence import WEEKDAYS
from wire.ingest.matching import DAY_HEADLINE, DAY_NAMES, Traits, judge

# Reuters' and dpa's accounts of one rate cut, each in its own words and figures (no shared
# number: "einen halben Prozentpunkt" and "50 Basispunkte"), both opening on the Wednesday.
# Their headlines name other subjects ("Notenbank", "Zinsen", "Analysten" against
# "Riksbank-Chef", "Lockerung"): 2 of 7 found in the other text.
REUTERS = (
    "Schwedens Notenbank senkt Zinsen kräftiger als von Analysten erwartet",
    "Stockholm (Reuters) - Die schwedische Reichsbank hat ihren Leitzins am Mittwoch "
    "überraschend um einen halben Prozentpunkt auf 1,75 Prozent gesenkt. Die Mehrheit der "
    "Volkswirte hatte mit einem Viertelpunkt gerechnet.",
    "Reichsbank-Chef Erik Thedéen begründete den Schritt mit der schwachen Konjunktur und dem "
    "Rückgang der Inflation. Die Teuerung war im Oktober auf 1,6 Prozent gesunken. Die "
    "Notenbank stellte weitere Senkungen im ersten Halbjahr in Aussicht.\n\nDie Krone gab "
    "nach der Entscheidung nach, ein Euro kostete 11,52 Kronen. Der Stockholmer Leitindex "
    "OMX legte um 0,8 Prozent zu.\n\n(Bericht von Anna Ringström, redigiert von Sabine "
    "Wollrab)",
)
DPA = (
    "ROUNDUP: Riksbank-Chef Thedéen schliesst weitere Lockerung nicht aus",
    "Stockholm (dpa) - Nach der kräftigen Zinssenkung vom Mittwoch hält Schwedens "
    "Reichsbank die Tür für weitere Schritte offen. «Wir sind bereit, mehr zu tun», sagte "
    "Reichsbank-Chef Erik Thedéen in Stockholm. Der Leitzins sinkt um 50 Basispunkte.",
    "Die Entscheidung fiel einstimmig. Die Inflation liegt in Schweden seit Monaten unter "
    "dem Ziel von 2 Prozent.\n\ndpa-AFX xy yz",
)
NORGES = (
    "Norwegens Notenbank belässt Leitzins bei 4,5 Prozent",
    "Oslo (dpa) - Die norwegische Notenbank hat ihren Leitzins am Mittwoch unverändert bei "
    "4,5 Prozent gelassen. Anders als die schwedische Reichsbank am selben Tag sah die Norges "
    "Bank keinen Anlass für eine Senkung.",
    "Notenbankchefin Ida Wolden Bache verwies auf die hartnäckige Inflation von 3,1 Prozent und "
    "die schwache Krone. Eine erste Senkung sei im März denkbar.\n\nÖkonomen hatten mit dem "
    "Entscheid gerechnet. Die Krone legte zum Euro leicht zu.\n\ndpa-AFX xy yz",
)


def test_two_accounts_of_one_rate_cut_headlined_in_other_words_join() -> None:
    assert joins(REUTERS, DPA, "de") == "account"
    assert joins(DPA, REUTERS, "de") == "account"


def test_another_central_banks_decision_of_the_same_day_stays_apart() -> None:
    # the same day, the same nouns (Leitzins, Inflation, Krone, Notenbank), the other bank
    assert joins(REUTERS, NORGES, "de") is None
    assert joins(NORGES, REUTERS, "de") is None
    assert joins(DPA, NORGES, "de") is None
    assert joins(NORGES, DPA, "de") is None


def _traits(names: list[str], headline: list[str]) -> Traits:
    hashed = [zlib.crc32(n.encode()) for n in names]
    wednesday = sorted(WEEKDAYS)[0]
    return Traits.of(
        80, False, (), [*hashed, wednesday], [zlib.crc32(n.encode()) for n in headline], [wednesday]
    )


def test_the_same_day_rule_needs_a_fifth_of_the_headlines_subjects() -> None:
    # Two accounts of one vote opening on the same day, 9 of 18 names shared (the day too),
    # headlined in other compounds ("Rentenreform", "Rentenpaket"): one shared subject in each
    # headline (2 of 8) is enough, none of a's in b's headline and only one of b's in a's
    # text (1 of 8) is not.
    shared = ["bundestag", "berlin", "merz", "bas", "afd", "grune", "linke", "spd"]
    a_names = [*shared, "rentenreform", *(f"a{n}" for n in range(8))]
    b_names = [*shared, "rentenpaket", *(f"b{n}" for n in range(8))]
    a = _traits(a_names, ["bundestag", "rentenreform", "a1", "a2"])
    b = _traits(b_names, ["bundestag", "rentenpaket", "b1", "b2"])
    assert 9 / 18 >= DAY_NAMES  # (the names test passes: the headline test decides)
    assert 2 / 8 >= DAY_HEADLINE > 1 / 8
    reason = judge(0.01, a, b, 0.3)
    assert reason is not None and reason.rule == "account"
    vague = _traits(b_names, ["rentenpaket", "b1", "b2", "b3"])  # none of a's subjects
    assert judge(0.01, a, vague, 0.3) is None


# A takeover and the shareholders' vote on it weeks later, both told on a Wednesday (the
# generated set's follow-up `0129`, as sda writes it): 7 names shared (Kardex, Siegfried,
# Winterthur, Übernahme, Verwaltungsrat, ...), 37% of the fewer, no figure in common.
TAKEOVER = (
    "Übernahme: Kardex greift nach Siegfried",
    "Kardex kauft für 2869 Millionen Franken die Siegfried-Gruppe und stärkt damit sein "
    "Geschäft mit Industriekomponenten.",
    "Winterthur (SDA) – Die Offerte liegt laut Mitteilung 41 Prozent über dem Börsenschluss "
    "vom Mittwoch. Der Verwaltungsrat von Siegfried unterstützt die Übernahme.\n\n"
    "Konzernchef Stefan Frei sprach von einem «wichtigen Schritt» für Kardex. Durch die "
    "Übernahme sollen jährlich Kosten von 35 Millionen Franken eingespart werden.\n\n"
    "Abgeschlossen werden soll der Kauf im 2. Quartal; die Wettbewerbsbehörden müssen noch "
    "zustimmen.\n\nAn der Börse stiegen die Siegfried-Aktien bis Mittag um 29,4 Prozent, jene "
    "von Kardex gaben leicht nach.\n\nua/sda",
)
VOTE = (
    "Siegfried-Aktionäre stimmen Übernahme durch Kardex zu",
    "Die Aktionäre von Siegfried haben der Übernahme durch Kardex mit grosser Mehrheit zugestimmt.",
    "Winterthur (sda) - An der ausserordentlichen Generalversammlung am Mittwoch stimmten 94 "
    "Prozent der vertretenen Aktien für das Angebot.\n\nKritik kam von einer Gruppe von "
    "Kleinaktionären, die den Preis als zu tief bezeichneten. Sie kündigten an, eine "
    "Neubewertung zu verlangen.\n\nDer Verwaltungsrat von Siegfried wird nach dem Vollzug neu "
    "zusammengesetzt.",
)


def test_a_later_development_on_the_same_weekday_stays_apart(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Same weekday, the same company names, other facts: the share of names shared keeps
    # them apart. Lowering it to 0.3 (what a cross-validated search on the hand-written set's
    # tuning pairs alone picks: `bench/dedup/crossval.py --no-generated`, session 13) joins
    # them, which is why it was not lowered.
    assert joins(TAKEOVER, VOTE, "de") is None
    assert joins(VOTE, TAKEOVER, "de") is None
    monkeypatch.setattr("wire.ingest.matching.DAY_NAMES", 0.3)
    assert joins(TAKEOVER, VOTE, "de") == "account"
