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
