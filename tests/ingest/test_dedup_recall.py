"""Rules that join more accounts of one story (session 9), each on real-shaped text."""

from __future__ import annotations

import zlib

from wire.ingest.evidence import evidence


def _day(name: str) -> frozenset[int]:
    return frozenset({zlib.crc32(name.encode())})


def test_an_announced_day_is_not_the_day_a_report_tells_of() -> None:
    """awp's account of an SNB decision names the day the new rate applies first ("à partir
    de vendredi"); the decision's day ("jeudi") is the report's own."""
    found = evidence(
        "La BNS abaisse son taux directeur à 0%",
        "La Banque nationale suisse (BNS) abaisse son taux directeur de 0,25 point à 0% à "
        "partir de vendredi, a-t-elle annoncé jeudi à Berne.",
        "Le président de la BNS, Martin Schlegel, n'exclut pas d'autres baisses.",
        "fr",
    )
    assert found.day == _day("~wd3")  # Thursday (Monday is 0)
    assert _day("~wd4") <= found.names  # Friday is still read
    ab = evidence("GDL streikt ab Montag", "Die GDL hat am Sonntag einen Streik ab Montag "
                  "angekündigt.", "", "de")  # fmt: skip
    assert ab.day == _day("~wd6")
    council = evidence("Conseil des ministres", "Le conseil des ministres de mercredi a "
                       "adopté le budget.", "", "fr")  # fmt: skip
    assert council.day == _day("~wd2")  # "des ministres de mercredi": no announcement


def _h(word: str) -> int:
    return zlib.crc32(word.encode())


def test_a_name_is_one_name_with_a_possessive_or_an_elided_article() -> None:
    """Chile's Urrutia and Urrutia ... in Chile name one country; "sur l'A9" and "l'A9"
    one motorway; the headline's words are read the same way (what the story is about)."""
    found = evidence(
        "Chile's Urrutia wins presidency",
        "Santiago Urrutia won Chile's presidential run-off on Sunday, the electoral service "
        "said; Doctors' groups and England's NHS were not involved.",
        "",
        "en",
    )
    for name in ("chile", "urrutia", "doctors", "england", "nhs"):
        assert _h(name) in found.names, name
    assert _h("chile") in found.headline and _h("chile's") not in found.names
    car = evidence("Accident de car sur l'A9", "Un autocar s'est renversé sur l'A9 près de "
                   "Sion, selon la police valaisanne.", "", "fr")  # fmt: skip
    assert _h("a9") in car.headline and _h("a9") in car.names
    assert _h("l'a9") not in car.headline
