"""Names that are names: German copy capitalises every noun, and a noun is no name.

Two unrelated German stories share "Polizei", "Regierung" and "Gemeinde" as English ones
share "police"; before the evidence marked common nouns, stories drawn from one small German
vocabulary (bench/daemon's) all joined one cluster as "accounts" of each other.
"""

from __future__ import annotations

import random
import zlib

from tests.ingest.test_matching import joins
from wire.config import DedupConfig
from wire.ingest.dedup import MemoryClusterer
from wire.ingest.evidence import Evidence, common_nouns, evidence
from wire.ingest.fingerprint import fold


def _h(word: str) -> int:
    return zlib.crc32(word.encode())


def test_german_common_nouns_are_marked_and_names_are_not() -> None:
    found = evidence(
        "GDL-Streik: Bahn scheitert vor Gericht",
        "Die Gewerkschaft der Lokführer (GDL) hat am Mittwoch den Streik fortgesetzt; "
        "GDL-Chef Claus Weselsky sprach in Frankfurt von einem Erfolg.",
        "Die Deutsche Bahn wollte den Streik mit einem Eilantrag stoppen, das Arbeitsgericht "
        "Frankfurt lehnte ab. Die Polizei meldete volle Bahnsteige in Berlin und Hamburg.",
        "de",
    )
    for noun in ("gewerkschaft", "streik", "polizei", "bahn", "gericht", "mittwoch"):
        assert _h(noun) in found.names and _h(noun) in found.nouns, noun
    for name in ("gdl", "weselsky", "claus", "frankfurt", "berlin", "hamburg"):
        assert _h(name) in found.names and _h(name) not in found.nouns, name
    assert Evidence.unpack(found.pack()) == found


def test_only_german_marks_nouns() -> None:
    assert common_nouns("de-CH") and not common_nouns("en") and not common_nouns("fr")
    found = evidence("Police close road", "Police in Zurich closed the road on Monday.", "", "en")
    assert found.nouns == frozenset()


def test_the_noun_list_is_stored_folded() -> None:
    """The names it is compared with are folded; the list is read as it is stored."""
    nouns = common_nouns("de")
    assert len(nouns) > 9000
    assert all(fold(w) == w for w in nouns)
    assert {"polizei", "regierung", "gemeinde"} <= nouns


NOUNS = (
    "Regierung Bundesrat Parlament Wahl Abstimmung Kanton Gemeinde Wirtschaft Bank Zinsen "
    "Inflation Export Industrie Handel Arbeit Streik Gewerkschaft Polizei Gericht Urteil Klage "
    "Unfall Feuer Wetter Sturm Hochwasser Schnee Verkehr Bahn Flughafen Schule Forschung Studie "
    "Spital Gesundheit Impfung Sport Fussball Tennis Rennen Sieg Niederlage Meisterschaft Kultur "
    "Theater Konzert Film Museum Ausstellung Preis Minister Präsident Botschafter Gipfel Vertrag "
    "Krieg Frieden Hilfe Grenze Steuer Budget Rente Versicherung Energie Strom Klima Umwelt Wald "
    "Wasser Bauern Milch Käse Tourismus Hotel Gäste"
).split()
FILLER = "der die das und mit für von auf nach bei über gegen sagte teilte mit erklärte".split()


def _noun_story(seed: int) -> tuple[str, str, str]:
    """A German story of bench/daemon's shape: capitalised common nouns and function words."""
    rnd = random.Random(seed)
    words = [rnd.choice(NOUNS if rnd.random() < 0.6 else FILLER) for _ in range(160)]
    body = "\n\n".join(" ".join(words[i : i + 40]) + "." for i in range(35, 160, 40))
    return " ".join(words[:7]), " ".join(words[7:35]) + ".", body


def test_german_stories_sharing_only_common_nouns_stay_apart() -> None:
    clusterer = MemoryClusterer(DedupConfig())
    for i in range(60):
        sig = clusterer.signer.sign_text(*_noun_story(i), "de")
        clusterer.add(f"s{i}", "de", sig, 0.0)
    assert clusterer.cluster_of == {}  # (before: one cluster of 60 "accounts")


GRAZ = (
    "Bankraub in Graz: Bewaffneter Täter erbeutet fünfstelligen Betrag",
    "Ein bewaffneter Mann hat am Dienstagvormittag eine Bankfiliale in der Grazer "
    "Annenstrasse im Bezirk Lend überfallen und einen fünfstelligen Eurobetrag erbeutet.",
    "Graz (APA) - Der Täter bedrohte laut Landespolizeidirektion Steiermark eine Angestellte "
    "mit einer Pistole. Verletzt wurde niemand. Der Mann trug eine Sturmhaube und sprach "
    "Deutsch mit Akzent. Nach der Herausgabe des Geldes flüchtete der Räuber zu Fuss in "
    "Richtung Hauptbahnhof.\n\nEine Alarmfahndung mit einem Polizeihubschrauber blieb ohne "
    "Erfolg. Das Landeskriminalamt ermittelt. Die Angestellten wurden von einem "
    "Kriseninterventionsteam betreut.",
)


def test_two_german_accounts_sharing_names_still_join() -> None:
    """Another agency's account: other words, the same place, street and district."""
    account = (
        "Grazer Bankfiliale überfallen: Täter mit Pistole flüchtig",
        "In Graz hat ein Unbekannter am Dienstagvormittag eine Bank in der Annenstrasse "
        "ausgeraubt. Der Mann bedrohte eine Mitarbeiterin mit einer Pistole.",
        "Graz (dpa) - Der maskierte Räuber entkam mit einem Eurobetrag in fünfstelliger Höhe, "
        "wie die Polizei in der Steiermark mitteilte. Im Bezirk Lend suchte ein "
        "Polizeihubschrauber nach ihm, bisher vergeblich.\n\nDas Landeskriminalamt bittet um "
        "Hinweise. Verletzt wurde bei dem Überfall niemand.",
    )
    assert joins(GRAZ, account, "de") == "account"
