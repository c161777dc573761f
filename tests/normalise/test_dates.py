"""Dates: every printed form to aware UTC, naive ones local to the feed, never an exception."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from wire.normalise.dates import looks_like_date, parse_date, to_utc

ZH = "Europe/Zurich"


def utc(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0, us: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s, us, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # RFC 822 / 2822 (RSS)
        ("Sun, 30 Aug 2020 14:05:00 +0200", utc(2020, 8, 30, 12, 5)),
        ("Sun, 30 Aug 2020 12:05:00 GMT", utc(2020, 8, 30, 12, 5)),
        ("Sun, 30 Aug 2020 12:05:00 UT", utc(2020, 8, 30, 12, 5)),
        ("Sun, 30 Aug 2020 12:05:00 -0000", utc(2020, 8, 30, 12, 5)),
        ("Sun, 30 Aug 2020 08:05:00 EDT", utc(2020, 8, 30, 12, 5)),
        ("Sun, 30 Aug 2020 14:05:00 CEST", utc(2020, 8, 30, 12, 5)),
        ("Thu, 30 Jan 2020 14:05:00 MEZ", utc(2020, 1, 30, 13, 5)),
        ("Sun, 30 Aug 2020 14:05:00", utc(2020, 8, 30, 12, 5)),  # no zone: local
        ("30 Aug 2020 14:05 +0200", utc(2020, 8, 30, 12, 5)),
        # ISO 8601 / NewsML / ninjs / Atom
        ("2020-08-30T14:05:00+02:00", utc(2020, 8, 30, 12, 5)),
        ("2020-08-30T12:05:00Z", utc(2020, 8, 30, 12, 5)),
        ("2020-08-30T12:05:00.123Z", utc(2020, 8, 30, 12, 5, 0, 123000)),
        ("2020-08-30T12:05:00.123456789Z", utc(2020, 8, 30, 12, 5, 0, 123456)),
        ("2020-08-30T14:05:00", utc(2020, 8, 30, 12, 5)),  # naive: summer time, +2
        ("2020-01-30T14:05:00", utc(2020, 1, 30, 13, 5)),  # naive: winter time, +1
        ("2020-08-30 14:05", utc(2020, 8, 30, 12, 5)),
        ("2020-08-30", utc(2020, 8, 29, 22, 0)),  # midnight local
        # NITF / IPTC compact forms
        ("20200830T140500+0200", utc(2020, 8, 30, 12, 5)),
        ("20200830T140500Z", utc(2020, 8, 30, 14, 5)),
        ("20200830T140500", utc(2020, 8, 30, 12, 5)),
        ("20200830", utc(2020, 8, 29, 22, 0)),
        # German, French, Italian, English long forms (HTML pages)
        ("30.08.2020, 14:05", utc(2020, 8, 30, 12, 5)),
        ("30.08.2020 14.05 Uhr", utc(2020, 8, 30, 12, 5)),
        ("Sonntag, 30.08.2020, 14:05 Uhr", utc(2020, 8, 30, 12, 5)),
        ("30.8.2020", utc(2020, 8, 29, 22, 0)),
        ("30. August 2020 14:05", utc(2020, 8, 30, 12, 5)),
        ("30. August 2020, 14:05 Uhr", utc(2020, 8, 30, 12, 5)),
        ("3. März 2020, 9:15", utc(2020, 3, 3, 8, 15)),
        ("le 30 août 2020 à 14h05", utc(2020, 8, 30, 12, 5)),
        ("Dimanche 30 août 2020", utc(2020, 8, 29, 22, 0)),
        ("30 agosto 2020, ore 14:05", utc(2020, 8, 30, 12, 5)),
        ("August 30, 2020 14:05", utc(2020, 8, 30, 12, 5)),
        # Unix epoch
        ("1598789100", utc(2020, 8, 30, 12, 5)),
        ("1598789100000", utc(2020, 8, 30, 12, 5)),
        # Whitespace around
        ("  2020-08-30T12:05:00Z\n", utc(2020, 8, 30, 12, 5)),
    ],
)
def test_parse_date(text: str, expected: datetime) -> None:
    result = parse_date(text, ZH)
    assert result == expected
    assert result is not None and result.tzinfo is UTC


@pytest.mark.parametrize(
    "text",
    ["", "   ", "garbage", "2020-13-45", "Mon, 30 Foo 2020", "31.02.2020", "30. Foo 2020", "123"],
)
def test_parse_date_unparseable(text: str) -> None:
    assert parse_date(text, ZH) is None


@pytest.mark.parametrize(
    ("value", "tz", "expected"),
    [
        (datetime(2020, 8, 30, 14, 5), ZH, utc(2020, 8, 30, 12, 5)),
        (datetime(2020, 1, 30, 14, 5), ZH, utc(2020, 1, 30, 13, 5)),
        (datetime(2020, 8, 30, 14, 5), "UTC", utc(2020, 8, 30, 14, 5)),
        (datetime(2020, 8, 30, 14, 5), "America/New_York", utc(2020, 8, 30, 18, 5)),
        (datetime(2020, 8, 30, 14, 5), "No/Such_Zone", utc(2020, 8, 30, 14, 5)),
        (
            datetime(2020, 8, 30, 14, 5, tzinfo=timezone(timedelta(hours=2))),
            "America/New_York",
            utc(2020, 8, 30, 12, 5),
        ),
        (utc(2020, 8, 30, 12, 5), ZH, utc(2020, 8, 30, 12, 5)),
        ("Sun, 30 Aug 2020 14:05:00 +0200", ZH, utc(2020, 8, 30, 12, 5)),
        ("2020-08-30T14:05:00", ZH, utc(2020, 8, 30, 12, 5)),
        # DST: spring forward (02:30 does not exist) and fall back (02:30 happens twice; first)
        (datetime(2020, 3, 29, 1, 30), ZH, utc(2020, 3, 29, 0, 30)),
        (datetime(2020, 3, 29, 3, 30), ZH, utc(2020, 3, 29, 1, 30)),
        (datetime(2020, 10, 25, 2, 30), ZH, utc(2020, 10, 25, 0, 30)),
        (datetime(2020, 10, 25, 3, 30), ZH, utc(2020, 10, 25, 2, 30)),
    ],
)
def test_to_utc(value: datetime | str, tz: str, expected: datetime) -> None:
    result = to_utc(value, tz)
    assert result == expected
    assert result is not None and result.tzinfo is UTC


def test_to_utc_none_and_junk() -> None:
    assert to_utc(None, ZH) is None
    assert to_utc("not a date", ZH) is None
    assert to_utc(datetime(1, 1, 1, 0, 0), ZH) is None  # would overflow before year 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15/03/2024 10:30", True),
        ("15 mar", True),
        ("4. März 2024", True),
        ("2024-03-15", True),
        ("Friday, March 15", True),
        ("3 de maio de 2024", True),
        ("le 4 mars", True),
        ("Montag, 4. März", True),
        ("Madrid", False),
        ("Baden AG", False),
        ("Mai", True),  # a month name alone is a date
        ("Mainz", False),
        ("", False),
        (None, False),
        ("Berlin 2024", False),
    ],
)
def test_looks_like_date(text: str | None, expected: bool) -> None:
    assert looks_like_date(text) is expected
