"""ANPA-1312: every mapped field of AP (English) and Canadian Press (French) messages."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from wire import adapters
from wire.adapters.anpa1312 import ADAPTER
from wire.adapters.base import FeedSettings
from wire.errors import AdapterError
from wire.normalise.article import normalise
from wire.record import Article, Link, Rejected, Subject

CASES = Path(__file__).parent / "cases"
SETTINGS = FeedSettings(feed="test", timezone="UTC")
NOW = datetime(2024, 7, 3, 12, 0, tzinfo=UTC)


def parse(name: str) -> list[Article | Rejected]:
    return ADAPTER.parse((CASES / name).read_bytes(), SETTINGS)


def one(name: str) -> Article:
    (result,) = parse(name)
    assert isinstance(result, Article), result
    return result


def test_ap_message_raw_fields() -> None:
    a = one("anpa1312_ap_en.txt")
    assert a.guid == "anpa1312:BC-US--Flood-Relief:2024-07-02"
    assert (a.version, a.source_version) == (2, True)  # "2ndWritethru"
    assert a.headline == "Towns along swollen Mississippi brace for crest"
    assert a.byline == "JANE EXAMPLE"
    assert a.dateline == "ST. LOUIS, Missouri"
    assert a.ednote == "UPDATES with governor's comments, RECASTS lead."
    assert a.urgency == 3  # priority "u"
    assert a.subjects == [
        Subject(code="anpacat:a", name="General news"),
        Subject(code="anpasel:apwf"),  # the selector code
        Subject(code="anpasvc:a"),  # the service level designator
    ]
    assert a.signals == ["urgent", "writethru:2"]  # priority "u", version "2ndWritethru"
    assert a.links == [Link("story:us-flood-relief", "story")]  # the keyword, no cycle
    assert a.firstcreated == a.versioncreated == datetime(2024, 7, 2, 18, 47, tzinfo=UTC)
    assert a.body_text.split("\n\n") == [
        "Towns along the Mississippi River piled sandbags on Tuesday as the swollen river rose "
        "toward a crest expected later this week.",
        "“We are doing everything we can,” the governor said at a news conference in "
        "Jefferson City. “But people in the lowlands need to leave now.”",
        "Associated Press writer John Example in Jefferson City contributed to this report.",
    ]  # the "___" rule is no paragraph
    assert a.credit_strings == ["AP", "Associated Press", "AP"]


def test_ap_message_normalised() -> None:
    a = normalise(one("anpa1312_ap_en.txt"), SETTINGS, NOW)
    assert a.source == "ap"
    assert a.agencies == ["ap"]
    assert a.language == "en"


def test_cp_french_message() -> None:
    a = one("anpa1312_cp_fr.txt")
    assert a.guid == "anpa1312:Bourse-Toronto:2014-10-31"
    assert (a.version, a.source_version) == (3, True)  # "3eLd"
    assert a.headline == "La Bourse de Toronto progresse après l'annonce de la Banque du Japon"
    assert a.byline == "Marie Exemple"
    assert a.dateline == "TORONTO"
    assert a.urgency == 5  # priority "r"
    assert a.signals == ["lead:3"]  # "3eLd"
    assert a.links == [Link("story:bourse-toronto", "story")]
    assert a.subjects == [
        Subject(code="anpacat:b"),  # "b" means different desks at AP, CP and AAP: no name
        Subject(code="anpasel:cpfra"),
        Subject(code="anpasvc:b"),
        Subject(name="Economie"),
        Subject(name="Affaires"),
    ]
    # 16:35 Eastern (daylight time on 31 October 2014) is 20:35 UTC.
    assert a.firstcreated == datetime(2014, 10, 31, 20, 35, tzinfo=UTC)
    assert a.body_text.startswith("La Bourse de Toronto a nettement progressé vendredi")
    assert a.credit_strings == ["LA PRESSE CANADIENNE"]
    n = normalise(a, SETTINGS, NOW)
    assert n.source == "cp"
    assert n.language == "fr"


def test_several_messages_one_bad() -> None:
    results = parse("anpa1312_two.txt")
    assert [type(r).__name__ for r in results] == ["Article", "Rejected", "Article"]
    bad = results[1]
    assert isinstance(bad, Rejected)
    assert bad.reason == "message 2: no text (STX) in the message"
    assert bad.guid == "anpa1312:0428"


@pytest.mark.parametrize("name", ["anpa1312_ap_en.txt", "anpa1312_cp_fr.txt", "anpa1312_two.txt"])
def test_sniffed_before_iptc7901(name: str) -> None:
    adapter = adapters.sniff((CASES / name).read_bytes(), name)
    assert adapter is not None and adapter.name == "anpa1312"


def test_iptc7901_is_not_taken_for_anpa() -> None:
    data = (CASES / "iptc7901_de.txt").read_bytes()
    assert ADAPTER.sniff(data) == 0.0


def test_not_anpa_at_all() -> None:
    with pytest.raises(AdapterError, match="no ANPA-1312 message"):
        ADAPTER.parse(b"just some text", SETTINGS)
    (bad,) = ADAPTER.parse(b"\x01garbage\x02text\x03\x04", SETTINGS)
    assert isinstance(bad, Rejected) and "no ANPA-1312 header" in bad.reason


def test_flash_and_tabular_sports_messages_en() -> None:
    flash, glance = parse("anpa1312_sports_en.txt")
    assert isinstance(flash, Article) and isinstance(glance, Article)
    sports = [Subject(code="anpacat:s", name="Sports"), Subject("medtop:15000000", "Sports")]
    routing = [Subject(code="anpasel:apsf"), Subject(code="anpasvc:a")]
    assert flash.subjects == glance.subjects == sports + routing
    assert (flash.urgency, flash.signals) == (1, ["flash"])  # priority "f"
    assert (glance.urgency, glance.signals) == (5, [])  # priority "r"
    assert flash.headline == "Dodgers win World Series"
    assert flash.dateline == "NEW YORK"
    # DC2 (tabular): each row stays a row (a paragraph), even through normalisation
    rows = normalise(glance, SETTINGS, NOW).body_text.split("\n\n")
    assert rows[0] == "Game 1: Los Angeles 6, New York 3, 10 innings"
    assert rows[-1] == "Game 5: Los Angeles 7, New York 6" and len(rows) == 5
    assert glance.firstcreated == datetime(2024, 10, 31, 4, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    ("priority", "urgency", "signals"),
    [("f", 1, ["flash"]), ("b", 2, ["bulletin"]), ("u", 3, ["urgent"]), ("r", 5, []),
     ("s", 5, []), ("a", 6, []), ("d", 7, []), ("x", None, [])],
)  # fmt: skip
def test_priority_codes(priority: str, urgency: int | None, signals: list[str]) -> None:
    data = (
        (CASES / "anpa1312_ap_en.txt")
        .read_bytes()
        .replace(b"\r\nu a", f"\r\n{priority} a".encode())
    )
    (a,) = ADAPTER.parse(data, SETTINGS)
    assert isinstance(a, Article)
    assert a.urgency == urgency
    assert [s for s in a.signals if not s.startswith("writethru")] == signals
