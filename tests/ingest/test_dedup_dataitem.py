"""A data item in other words joins on its figures alone (4 or more, nearly all shared), but
not a next-day story that repeats them: the lottery's draw of Wednesday and Thursday's story of
the winner, which names the draw's day and gives its numbers, open on other days
(``matching.moved_on``). Another agency's item of the same draw joins.

Pairs are signed and matched through a fresh ``ClusterIndex``, as production does.
"""

from __future__ import annotations

from tests.ingest.test_matching import CONFIG, joins
from wire.ingest.dedup import Signer
from wire.ingest.matching import moved_on, other_day

DRAW = (
    "Swiss Lotto: Die Gewinnzahlen vom Mittwoch",
    "Basel (sda) - Bei der Ziehung des Schweizer Zahlenlottos vom Mittwochabend sind folgende "
    "Gewinnzahlen ermittelt worden: 4, 11, 19, 26, 35 und 40. Die Glückszahl ist die 3.",
    "Den Jackpot knackte niemand. In der nächsten Ziehung am Samstag liegen damit rund zwölf "
    "Millionen Franken im Topf, wie die Lotteriegesellschaft Swisslos mitteilte. Beim Joker "
    "gab es ebenfalls keinen Volltreffer.",
)
# Another agency's item of the same draw, in its own words.
DRAW_AWP = (
    "Lotto: Jackpot steigt auf zwölf Millionen",
    "Zürich (awp) - Im Swiss Lotto hat am Mittwoch niemand sechs Richtige getippt. Gezogen "
    "wurden die Zahlen 4, 11, 19, 26, 35 und 40, Glückszahl 3.",
    "Für die Ziehung vom Samstag erhöht sich der Jackpot laut Swisslos auf rund zwölf Millionen "
    "Franken. Auch im Joker blieb der Hauptgewinn aus.",
)
# The next day's story: a winner, with the draw's numbers and its day.
WINNER = (
    "Aargauer Tipper holt sich Lotto-Million",
    "Basel (sda) - Ein Spieler aus dem Kanton Aargau ist seit Donnerstag Millionär. Wie "
    "Swisslos mitteilte, hatte er bei der Ziehung vom Mittwoch fünf Richtige und die "
    "Glückszahl: 4, 11, 19, 26, 35 und die 3.",
    "Der Gewinner meldete sich am Donnerstagmorgen bei der Annahmestelle in Baden, wo er den "
    "Schein abgegeben hatte. Seinen Namen will die Lotteriegesellschaft nicht nennen. Es ist "
    "der dritte Millionengewinn im Aargau in diesem Jahr.",
)


def test_a_data_item_joins_another_agencys_item_of_the_same_draw() -> None:
    assert joins(DRAW, DRAW_AWP, "de") == "facts"
    assert joins(DRAW_AWP, DRAW, "de") == "facts"


def test_the_next_days_story_with_the_same_figures_stays_apart() -> None:
    signer = Signer(CONFIG)
    draw, winner = (signer.sign_text(*t, "de") for t in (DRAW, WINNER))
    assert draw is not None and winner is not None
    # six of the draw's seven figures, one weekday in common: not told on other days, but
    # opening on other days
    assert len(draw.traits.numbers & winner.traits.numbers) == 6
    assert not other_day(draw.traits, winner.traits)
    assert moved_on(draw.traits, winner.traits)
    for a, b in ((DRAW, WINNER), (WINNER, DRAW), (DRAW_AWP, WINNER), (WINNER, DRAW_AWP)):
        assert joins(a, b, "de") is None
