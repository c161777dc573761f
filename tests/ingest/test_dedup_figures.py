"""A text's figures in the forms another agency writes them (``wire.ingest.figures``): an APA
results story gives "42,6 Prozent", dpa's account "knapp 43 Prozent"; PA headlines "2 dead",
Reuters "Two killed". As digit runs they share no figure, and each counts as one the other
lacks; with the decimals rounded and the headline's count read as a figure, the accounts join.
The forms only find the other's figures: they are never figures of their own, and single
digits, counts in the body and a language's other words are no forms.

Pairs are signed and matched through a fresh ``ClusterIndex``, as production does.
"""

from __future__ import annotations

import dataclasses
import zlib

import numpy as np

from tests.ingest.test_matching import CONFIG, joins
from wire.ingest import matching
from wire.ingest.dedup import Signed, Signer
from wire.ingest.evidence import EMPTY, Evidence, evidence
from wire.ingest.figures import figure_forms

APA = (
    "Kärnten-Wahl: SPÖ bleibt trotz Verlusten vor FPÖ",
    "Klagenfurt (APA) - Bei der Landtagswahl in Kärnten ist die SPÖ mit 42,6 Prozent "
    "(minus 5,4) stärkste Partei geblieben. Die FPÖ kommt auf 28,7 Prozent, die ÖVP auf 15,8 "
    "Prozent. Landeshauptmann Peter Kaiser verliert die absolute Mehrheit im Landtag.",
    "Die Wahlbeteiligung lag bei 61,2 Prozent. Die Grünen scheitern an der Fünf-Prozent-Hürde. "
    "Kaiser kündigte noch am Wahlabend Gespräche mit allen Parteien an. Eine Koalition mit der "
    "FPÖ schloss er erneut aus; mit der ÖVP hätte die SPÖ im neuen Landtag eine Mehrheit.\n\n"
    "Die Freiheitlichen legten um mehr als fünf Prozentpunkte zu. Spitzenkandidat Erwin Angerer "
    "sprach von einem historischen Ergebnis und forderte einen Platz in der Landesregierung. "
    "Das vorläufige Endergebnis ohne Wahlkarten soll in den nächsten Tagen vorliegen.",
)
DPA = (
    "Sozialdemokraten verlieren bei Landtagswahl in Kärnten",
    "Klagenfurt (dpa) - Bei der Landtagswahl im österreichischen Bundesland Kärnten hat die "
    "SPÖ von Landeshauptmann Peter Kaiser deutlich verloren, bleibt aber klar stärkste Kraft.",
    "Die Sozialdemokraten kamen am Sonntag auf knapp 43 Prozent, die rechte FPÖ auf gut 29 "
    "Prozent. Die konservative ÖVP erreichte 16 Prozent. Die Grünen verpassten den Einzug in "
    "den Landtag in Klagenfurt.\n\n"
    "Kaiser regiert bisher mit der ÖVP. Die Wahl galt als Stimmungstest für die "
    "Bundesregierung in Wien. Rund 430.000 Menschen waren wahlberechtigt.",
)
PA = (
    "Fire at Leeds care home leaves 2 dead",
    "Two residents have died after a fire broke out at a care home in Headingley, Leeds, "
    "overnight, West Yorkshire Fire and Rescue Service said.",
    "About 40 firefighters were called to Oakwood House on Cardigan Road shortly after 3am. "
    "Six other residents were taken to Leeds General Infirmary with smoke inhalation.\n\n"
    "Watch Commander Sarah Price said crews found heavy smoke on the first floor. The home, "
    "which opened in 1987, cares for 30 older people. West Yorkshire Police said the cause "
    "was not thought to be suspicious.",
)
REUTERS = (
    "Two killed in fire at Leeds care home",
    "LONDON, May 6 (Reuters) - A fire at a care home for older people in the northern English "
    "city of Leeds killed two residents early in the morning, firefighters said.",
    "Some 40 firefighters fought the blaze at Oakwood House in the Headingley district, West "
    "Yorkshire Fire and Rescue Service said. Several residents were treated in hospital.\n\n"
    "Britain has about 85 fire deaths in care homes a decade, according to government "
    "figures. The Care Quality Commission said it would look at the home, rated good at its "
    "last inspection 7 months ago.",
)
SIGNER = Signer(CONFIG)


def _signed(text: tuple[str, str, str], lang: str) -> Signed:
    sig = SIGNER.sign_text(*text, lang)
    assert sig is not None
    return sig


def _digits(traits: matching.Traits) -> matching.Traits:
    """The traits with figures compared as digit runs only (as before wire.ingest.figures)."""
    return dataclasses.replace(traits, figures=EMPTY)


def _hash(figure: str) -> int:
    return zlib.crc32(figure.encode())


def test_decimals_round_and_headline_counts_read_as_figures() -> None:
    text = "ÖVP 37,9 Prozent, FPÖ 27,1 Prozent, Grüne 11,8 Prozent (minus 5,6)."
    # rounded up where that is not the integer part; a single digit ("5,6" as "6") is none
    assert figure_forms(text, [], "de") == ["38", "12"]
    # not a time, a thousands group, a longer figure, a second decimal place
    assert figure_forms("um 9.40 Uhr, 1.250 Franken, 1.250,5 Tonnen, 1,85 Meter", [], "de") == []
    assert figure_forms("Wahl am 15.7. und am 12.6.2026", [], "de") == []  # dates
    assert figure_forms("Die Quote stieg auf 12,6.", [], "de") == ["13"]  # a sentence's end
    assert figure_forms("", ["two", "killed", "in", "blaze"], "en") == ["2"]
    assert figure_forms("", ["vier", "von", "funf", "fernzugen"], "de") == ["4", "5"]
    assert figure_forms("", ["un", "morto", "e", "14", "feriti"], "it") == []  # an article
    assert figure_forms("", ["due", "to", "rain"], "en") == []  # another language's count
    assert figure_forms("", ["two"], None) == []
    # a count in the body is no form: only the headline's
    found = evidence("Fire in Leeds", "Two people died in Leeds.", "Crews came at 3am.", "en")
    assert not matching.Traits.of(1, False, found.numbers, found.names, forms=found.forms).figures


def test_a_form_finds_the_others_figure_and_is_never_lacking() -> None:
    story = matching.Traits.of(100, False, map(_hash, ["37", "9", "27", "1"]), (), forms=[])
    rounded = matching.Traits.of(100, False, map(_hash, ["38", "27"]), ())
    decimals = dataclasses.replace(story, figures=frozenset([_hash("38")]))
    assert matching.numbers(story, rounded)[0] == 1  # "27" only
    assert matching.numbers(decimals, rounded)[0] == 2  # and "38" in "37,9"
    assert matching.numbers(rounded, decimals) == matching.numbers(decimals, rounded)
    # a form the other does not give in digits changes nothing
    other = matching.Traits.of(100, False, map(_hash, ["40", "27"]), ())
    assert matching.numbers(decimals, other) == matching.numbers(story, other)
    # a count (a single digit) finds only a figure of the other's headline: in its text, a
    # digit is as often part of a decimal or a time ("5,2 Prozent", "6.00 Uhr")
    count = dataclasses.replace(other, figures=frozenset([_hash("2")]))
    in_text = matching.Traits.of(100, False, map(_hash, ["2", "27"]), ())
    in_headline = matching.Traits.of(100, False, map(_hash, ["2", "27"]), (), [_hash("2")])
    assert matching.numbers(count, in_text)[0] == 1
    assert matching.numbers(count, in_headline)[0] == 2
    # a text of forms and no figures has none to compare, as before
    bare = dataclasses.replace(rounded, numbers=EMPTY)
    assert matching.numbers(decimals, bare) == (0, None, None)


def test_an_account_that_rounds_the_results_joins_the_one_with_decimals() -> None:
    apa, dpa = _signed(APA, "de"), _signed(DPA, "de")
    a, b = apa.traits, dpa.traits
    assert a.figures == frozenset(map(_hash, ["43", "29", "16"])) and not b.figures
    sim = float(np.count_nonzero(apa.hashvalues == dpa.hashvalues)) / CONFIG.num_perm
    assert matching.judge(sim, _digits(a), _digits(b), CONFIG.threshold) is None
    assert matching.judge(sim, _digits(b), _digits(a), CONFIG.threshold) is None
    assert joins(APA, DPA, "de") == "account"
    assert joins(DPA, APA, "de") == "account"


def test_a_headline_count_in_words_finds_the_others_figure() -> None:
    pa, reuters = _signed(PA, "en"), _signed(REUTERS, "en")
    a, b = pa.traits, reuters.traits
    assert b.figures == frozenset([_hash("2")]) and _hash("2") in a.numbers
    assert matching._found(a, b) > matching._found(_digits(a), _digits(b))  # "2 dead"
    sim = float(np.count_nonzero(pa.hashvalues == reuters.hashvalues)) / CONFIG.num_perm
    assert matching.judge(sim, _digits(b), _digits(a), CONFIG.threshold) is None
    assert joins(PA, REUTERS, "en") == "account"
    assert joins(REUTERS, PA, "en") == "account"


def test_the_forms_are_stored_with_the_evidence() -> None:
    found = evidence(*APA, "de")
    assert {_hash("43"), _hash("29"), _hash("16")} <= found.forms
    assert Evidence.unpack(found.pack()) == found
