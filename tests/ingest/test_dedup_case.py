"""Names robust to letter case: Title Case headlines, ALL CAPS items, kickers, quarters.

The evidence reads a capitalised word as a name. Press-release wires write every headline word
capitalised, legacy IPTC 7901 feeds send whole items in capitals: their capitals tell nothing,
and before this, every word of them was a "name" (bench/dedup/case.py measures the effect).
"""

from __future__ import annotations

import zlib

from tests.ingest.test_matching import joins
from wire.ingest.evidence import CAPS, QUARTERS, _caseless, evidence
from wire.ingest.fingerprint import stop_words
from wire.ingest.matching import Traits, judge, other_day


def _h(word: str) -> int:
    return zlib.crc32(word.encode())


RELEASE_LEAD = (
    "BETHESDA, Md., Feb. 27, 2024 (GLOBE NEWSWIRE) -- DiamondRock Hospitality Company (the "
    '"Company" or "DiamondRock") (NYSE: DRH), a lodging-focused real estate company that owns '
    "36 premium hotels and resorts, today announced results of operations for the quarter and "
    "year ended December 31, 2023."
)
RELEASE_BODY = (
    "Net income was $50.7 million in the fourth quarter, compared with $31.2 million a year "
    "earlier. Comparable hotel revenue rose 2.9% to $279.6 million.\n\n"
    '"We finished the year with strong momentum in our resorts," said Jeffrey J. Donnelly, '
    "Chief Executive Officer of the Company. The Company will host a conference call on "
    "Wednesday at 9:00 a.m. Eastern Time."
)


def test_a_title_case_headline_gives_the_names_of_its_sentence_case_form() -> None:
    title = evidence(
        "DiamondRock Hospitality Company Reports Fourth Quarter 2023 Results",
        RELEASE_LEAD,
        RELEASE_BODY,
        "en",
    )
    plain = evidence(
        "DiamondRock Hospitality reports fourth quarter 2023 results",
        RELEASE_LEAD,
        RELEASE_BODY,
        "en",
    )
    assert title.names == plain.names
    for word in ("reports", "fourth", "quarter", "results"):
        assert _h(word) not in title.names, word
    for name in ("diamondrock", "hospitality", "donnelly", "nyse", "drh", "bethesda"):
        assert _h(name) in title.names, name
    assert _h("~q4") in title.names  # "fourth quarter": the period it reports


def test_which_headlines_are_title_case() -> None:
    en, de, it = stop_words("en"), stop_words("de"), stop_words("it")
    assert _caseless("Tour Bus Overturns On New York Thruway, Killing 3", en, "en")
    assert _caseless("Tour Bus Overturns on New York Thruway, Killing 3", en, "en")  # AP style
    assert _caseless("TOUR BUS OVERTURNS ON NEW YORK THRUWAY, KILLING 3", en, "en")
    assert not _caseless("Tour bus overturns on New York Thruway, killing 3", en, "en")
    # German capitalises its nouns: Title Case only with a function word capitalised
    assert not _caseless("Acht Jahre Haft für Gründer von Solarfonds Sonnwerk Invest", de, "de")
    assert _caseless("Acht Jahre Haft Für Gründer Von Solarfonds Sonnwerk Invest", de, "de")
    assert not _caseless("Serie A: Inter-Juventus 2-1", it, "it")  # "A" is no function word
    assert not _caseless("Banca Alpina, opa su Credito Lariano", it, "it")


BUS = (
    "Tour bus overturns on New York Thruway, killing 3",
    "PEMBROKE, N.Y. (AP) — A tour bus carrying 52 passengers from New York City to Niagara "
    "Falls overturned on the New York State Thruway near Pembroke on Saturday, killing three "
    "people and injuring dozens, state police said.",
    "The bus, operated by Farmington-based M&Y Tour Inc., veered off the highway and rolled "
    "into a ditch shortly after 12:40 p.m. Governor Kathy Hochul said the dead were adults. "
    "Trooper James O'Callaghan said the driver survived and was cooperating with "
    "investigators. Most of the passengers were from India, China and the Philippines, and "
    "24 were taken to Erie County Medical Center in Buffalo.",
)
BUS_ACCOUNT = (
    "Three dead as tour bus rolls over on Thruway near Pembroke",
    "Three people were killed and dozens hurt when a tour bus bound for Niagara Falls rolled "
    "over on the New York State Thruway near Pembroke on Saturday, police said.",
    "Governor Kathy Hochul said the bus, run by M&Y Tour Inc., carried 52 people; 24 of them "
    "were flown or driven to Erie County Medical Center in Buffalo. Trooper James "
    "O'Callaghan said there was no sign of a mechanical failure and the driver was "
    "cooperating. The passengers came from India, China and the Philippines.",
)
FLOOD = (
    "Flash flood sweeps cars off road in Ithaca, 2 dead",
    "ITHACA, N.Y. (AP) — A flash flood swept cars off a road in Ithaca on Saturday, killing two "
    "people and injuring several others, state police said.",
    "The creek rose more than 10 feet within an hour after 3 inches of rain, police said. "
    "Governor Kathy Hochul said the state would send help. Most of the 40 people rescued were "
    "taken to Cayuga Medical Center, and 6 were taken to Guthrie Cortland Medical Center. "
    "Trooper James O'Callaghan said the dead were found in a car near the creek.",
)


def _caps(text: tuple[str, str, str]) -> tuple[str, str, str]:
    headline, lead, body = text
    return headline.upper(), lead.upper(), body.upper()


def test_an_all_caps_7901_item_has_words_marked_not_names() -> None:
    found = evidence(*_caps(BUS), "en")
    assert CAPS in found.names
    traits = Traits.of(40, False, found.numbers, found.names, found.headline)
    assert traits.caps and CAPS not in traits.names
    assert CAPS not in evidence(*BUS, "en").names


def test_a_title_case_or_all_caps_side_still_joins_its_story() -> None:
    assert joins(BUS, BUS_ACCOUNT) == "account"
    title = (
        "Three Dead As Tour Bus Rolls Over On Thruway Near Pembroke",
        *BUS_ACCOUNT[1:],
    )
    assert joins(BUS, title) == "account"
    assert joins(BUS, _caps(BUS_ACCOUNT)) is not None  # a 7901 feed's account
    assert joins(_caps(BUS), BUS) is not None  # the same text in capitals


def test_two_all_caps_items_are_not_joined_on_shared_words() -> None:
    # two stories of one day in one state: their shared words ("state police", "Governor
    # Kathy Hochul", "medical center") are no account of one event
    assert joins(BUS, FLOOD) is None
    assert joins(_caps(BUS), _caps(FLOOD)) is None
    # what the account rule weighs, for two texts sharing no text: 15 of 20 names shared,
    # both headlines' names found. Names join two accounts; two items' shared words do not
    names_a, names_b = frozenset(range(100, 120)), frozenset(range(105, 125))
    head_a, head_b = {100, 106, 1}, {105, 110, 2}

    def traits(names: frozenset[int], numbers: set[int], head: set[int], caps: bool) -> Traits:
        return Traits.of(200, False, numbers, names | {CAPS} if caps else names, head)

    plain_a = traits(names_a, {1, 2, 3}, head_a, False)
    plain_b = traits(names_b, {1, 2, 4, 5, 6}, head_b, False)
    caps_a = traits(names_a, {1, 2, 3}, head_a, True)
    caps_b = traits(names_b, {1, 2, 4, 5, 6}, head_b, True)
    reason = judge(0.02, plain_a, plain_b, 0.3)
    assert reason is not None and reason.rule == "account"
    assert judge(0.02, caps_a, plain_b, 0.3) is not None  # a 7901 item and a mixed-case text
    assert judge(0.02, caps_a, caps_b, 0.3) is None


def test_kickers_and_capital_lines_are_no_names() -> None:
    found = evidence(
        "EILMELDUNG: UBS übernimmt Credit Suisse",
        "ZÜRICH (awp) - Die UBS übernimmt die Credit Suisse für 3 Milliarden Franken.",
        "BREAKING - Die FINMA hat der Übernahme zugestimmt.",
        "de",
    )
    for kicker in ("eilmeldung", "breaking"):
        assert _h(kicker) not in found.names, kicker
    for name in ("ubs", "finma", "credit", "suisse"):
        assert _h(name) in found.names, name
    brief = evidence(
        "BRIEF-Hollister Bank Holdings Q3 EPS $0.76",
        "",
        "Oct 22 (Reuters) - Hollister Bank Holdings Inc:\n\n"
        "* HOLLISTER BANK HOLDINGS INC REPORTS THIRD QUARTER 2025 RESULTS\n\n"
        "* Q3 EARNINGS PER SHARE $0.76\n\nSource text for Eikon:",
        "en",
    )
    for word in ("reports", "results", "earnings", "share", "third"):
        assert _h(word) not in brief.names, word
    assert _h("hollister") in brief.names and _h("~q3") in brief.names


def test_quarters_are_read_and_two_quarters_are_two_reports() -> None:
    for text, lang, quarter in (
        ("Hollister Bank Holdings: 2Q Earnings Snapshot", "en", 2),
        ("Hollister reported second-quarter net income", "en", 2),
        ("Hollister steigert den Gewinn im 3. Quartal", "de", 3),
        ("Hollister: bénéfice en hausse au troisième trimestre", "fr", 3),
        ("Hollister, utile in crescita nel quarto trimestre", "it", 4),
    ):
        found = evidence(text, None, "Hollister said so on Tuesday.", lang)
        assert found.names & QUARTERS == {_h(f"~q{quarter}")}, text
    a = evidence("Hollister: 2Q Earnings Snapshot", None, "In the second quarter ...", "en")
    b = evidence("BRIEF-Hollister Q3 EPS $0.76", None, "* Q3 EARNINGS PER SHARE $0.76", "en")
    ta = Traits.of(40, False, a.numbers, a.names)
    tb = Traits.of(40, False, b.numbers, b.names)
    assert other_day(ta, tb) and not other_day(ta, ta)
