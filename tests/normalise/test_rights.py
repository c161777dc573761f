"""Embargo and usage lines in the copy's own text, in German, French, Italian and English."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from wire.normalise.rights import embargo_in_line, is_rights_line, rights_in_text, usage_in_line

WRITTEN = datetime(2026, 12, 6, 9, 30, tzinfo=UTC)  # 10:30 in Zurich


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # German (dpa, Keystone-SDA): local time of the feed (Zurich, CET = UTC+1).
        ("Sperrfrist 18.00 Uhr", utc(2026, 12, 6, 17, 0)),
        ("ACHTUNG: Sperrfrist 18:00 Uhr MEZ", utc(2026, 12, 6, 17, 0)),
        ("*** SPERRFRIST: 7. Dezember 2026, 00.01 Uhr ***", utc(2026, 12, 6, 23, 1)),
        ("Sperrfrist 8.12.2026 06.00 Uhr", utc(2026, 12, 8, 5, 0)),
        ("Sperrfrist bis Montag, 7. Dezember, 10 Uhr", utc(2026, 12, 7, 9, 0)),
        # English (AFP, Reuters, PA): an explicit zone wins.
        ("EMBARGOED UNTIL 0001 GMT", utc(2026, 12, 7, 0, 1)),
        ("EMBARGOED UNTIL 0001 GMT SUNDAY DEC 7", utc(2026, 12, 7, 0, 1)),
        ("Embargoed until 10 a.m. EST", utc(2026, 12, 6, 15, 0)),
        ("HOLD FOR RELEASE UNTIL 22:30 GMT", utc(2026, 12, 6, 22, 30)),
        ("Embargo: 1800 GMT", utc(2026, 12, 6, 18, 0)),
        # French (AFP, ATS).
        ("embargo jusqu'à 18h00", utc(2026, 12, 6, 17, 0)),
        ("EMBARGO jusqu'au 7 décembre à 00h01 GMT", utc(2026, 12, 7, 0, 1)),
        ("Sous embargo jusqu’à 20 h", utc(2026, 12, 6, 19, 0)),
        # Italian (ATS, ANSA).
        ("embargo fino alle 18.00", utc(2026, 12, 6, 17, 0)),
        ("EMBARGO fino alle ore 18", utc(2026, 12, 6, 17, 0)),
        ("Embargo fino alle 00.01 del 7 dicembre", utc(2026, 12, 6, 23, 1)),
        # A time already past when the story was written is the next day's.
        ("Sperrfrist 06.00 Uhr", utc(2026, 12, 7, 5, 0)),
        # Story text about an embargo is not an embargo line.
        ("The embargo on Russian oil until 2027 stays", None),
        ("EU embargo until 18 December", None),
        ("Embargo on arms sales to the region", None),
        ("Das Embargo gegen Kuba bleibt bestehen", None),
        ("Embargo: 18 Staaten verhängen neue Sanktionen gegen Iran", None),
        ("Embargo: 2000 Tonnen Weizen blockiert im Hafen von Odessa", None),
        ("EMBARGO: 1800 GMT Sunday", utc(2026, 12, 6, 18, 0)),
        ("Sperrfrist", None),
    ],
)
def test_embargo_in_line(line: str, expected: datetime | None) -> None:
    assert embargo_in_line(line, reference=WRITTEN, tz="Europe/Zurich") == expected


def test_summer_time_and_the_feed_zone() -> None:
    summer = datetime(2026, 7, 1, 8, 0, tzinfo=UTC)
    assert embargo_in_line("Sperrfrist 18.00 Uhr", reference=summer, tz="Europe/Berlin") == utc(
        2026, 7, 1, 16, 0
    )
    assert embargo_in_line("Sperrfrist 18.00 Uhr MEZ", reference=summer, tz="UTC") == utc(
        2026, 7, 1, 17, 0
    )


def test_late_repeat_keeps_the_same_day() -> None:
    repeat = datetime(2026, 12, 6, 17, 20, tzinfo=UTC)  # 18:20 Zurich, 20 minutes late
    assert embargo_in_line("Sperrfrist 18.00 Uhr", reference=repeat, tz="Europe/Zurich") == utc(
        2026, 12, 6, 17, 0
    )


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Editorial use only", "Editorial use only"),
        ("NO ARCHIVE - NO RESALE", "NO ARCHIVE - NO RESALE"),
        ("Nur zur redaktionellen Verwendung", "Nur zur redaktionellen Verwendung"),
        ("Keine Archivierung!", "Keine Archivierung!"),
        ("Utilisation éditoriale uniquement", "Utilisation éditoriale uniquement"),
        ("Pas d'archivage", "Pas d'archivage"),
        ("Solo per uso editoriale", "Solo per uso editoriale"),
        ("Bern (sda) - Der Bundesrat will nur zur redaktionellen Verwendung", None),
        ("The editorial board met", None),
    ],
)
def test_usage_in_line(line: str, expected: str | None) -> None:
    assert usage_in_line(line) == expected
    assert is_rights_line(line) is (expected is not None)


def test_rights_in_text_reads_only_the_first_lines() -> None:
    body = "\n".join(["Bern (sda) - Text."] * 8 + ["Sperrfrist 18.00 Uhr"])
    assert rights_in_text([body], reference=WRITTEN, tz="Europe/Zurich").embargoed is None
    found = rights_in_text(
        [None, "ACHTUNG: Sperrfrist 18.00 Uhr\nNur zur redaktionellen Verwendung", body],
        reference=WRITTEN,
        tz="Europe/Zurich",
    )
    assert found.embargoed == utc(2026, 12, 6, 17, 0)
    assert found.usage_terms == "Nur zur redaktionellen Verwendung"
