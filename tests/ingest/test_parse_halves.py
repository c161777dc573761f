"""``wire parse`` in two halves (a forked child parses the first): the sequential output."""

from __future__ import annotations

import io
import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from wire.adapters.base import FeedSettings
from wire.adapters.rss import ADAPTER
from wire.ingest import parse_halves
from wire.ingest.parse_command import run_parse
from wire.ingest.parsing import parse_payload
from wire.record import Article

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)


def feeds() -> list[Path]:
    """The repository's RSS/Atom fixtures with two items or more."""
    out = []
    for folder in (ROOT / "tests" / "adapters" / "cases", ROOT / "samples"):
        for path in sorted(folder.rglob("*")):
            if not path.is_file():
                continue
            data = path.read_bytes()
            if (
                ADAPTER.sniff(data[:4096], path.name) >= 0.6
                and len(parse_payload(data, FeedSettings(feed="f"), "rss", path.name, NOW)) >= 2
            ):
                out.append(path)
    return out


FEEDS = feeds()


@pytest.fixture
def small(monkeypatch: pytest.MonkeyPatch) -> None:
    """Split any payload of two items or more (the fixtures are small)."""
    monkeypatch.setattr(parse_halves, "MIN_BYTES", 0)
    monkeypatch.setattr(parse_halves, "MIN_ITEMS", 2)


def sequential(data: bytes, settings: FeedSettings, name: str) -> str:
    return "".join(
        r.to_json() + "\n" for r in parse_payload(data, settings, "auto", name, NOW)
        if isinstance(r, Article)
    )  # fmt: skip


@pytest.mark.usefixtures("small")
def test_most_fixtures_are_split() -> None:
    split = [
        p for p in FEEDS
        if parse_halves.print_in_halves(p.read_bytes(), FeedSettings(feed="p"), "auto", p.name,
                                        NOW, io.StringIO().write)
    ]  # fmt: skip
    assert len(FEEDS) >= 5 and len(split) >= 4


@pytest.mark.parametrize("path", FEEDS, ids=lambda p: p.name)
@pytest.mark.usefixtures("small")
def test_halves_print_what_one_parse_prints(path: Path) -> None:
    data = path.read_bytes()
    settings = FeedSettings(feed="parse", source="sda", location=str(path))
    out = io.StringIO()
    if parse_halves.print_in_halves(data, settings, "auto", path.name, NOW, out.write):
        assert out.getvalue() == sequential(data, settings, path.name)
    else:
        assert out.getvalue() == ""  # not split: the caller parses it whole


@pytest.mark.usefixtures("small")
def test_a_big_feed_is_split_and_printed_in_order() -> None:
    items = "".join(
        f"<item><guid>urn:x:{i}</guid><title>Meldung Nummer {i} aus Bern</title>"
        f"<description>Der Bundesrat hat am Mittwoch die Vorlage {i} beraten.</description>"
        f"<pubDate>Wed, 02 Dec 2026 10:{i % 60:02d}:00 +0100</pubDate></item>"
        for i in range(40)
    )
    data = (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'
    )
    settings = FeedSettings(feed="parse")
    out = io.StringIO()
    assert parse_halves.print_in_halves(data.encode(), settings, "rss", "a.rss", NOW, out.write)
    assert out.getvalue() == sequential(data.encode(), settings, "a.rss")
    guids = [json.loads(line)["guid"] for line in out.getvalue().splitlines()]
    assert guids == [f"urn:x:{i}" for i in range(40)]


@pytest.mark.usefixtures("small")
def test_a_reject_in_a_half_leaves_the_payload_to_the_whole_parse() -> None:
    items = [f"<item><guid>urn:x:{i}</guid><title>Meldung {i}</title></item>" for i in range(6)]
    items[1] = "<item><guid>urn:x:1</guid></item>"  # neither title nor content: a reject
    data = f'<rss version="2.0"><channel><title>t</title>{"".join(items)}</channel></rss>'
    out = io.StringIO()
    assert not parse_halves.print_in_halves(
        data.encode(), FeedSettings(feed="p"), "rss", None, NOW, out.write
    )
    assert out.getvalue() == ""


@pytest.mark.usefixtures("small")
def test_wire_parse_prints_the_same_lines_split_or_not(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = max(FEEDS, key=lambda p: p.stat().st_size)
    monkeypatch.setattr("wire.ingest.parse_command.two_cores", lambda: True)
    assert run_parse(path, source="sda") == 0
    split = capsys.readouterr().out
    monkeypatch.setattr("wire.ingest.parse_command.two_cores", lambda: False)
    assert run_parse(path, source="sda") == 0
    whole = capsys.readouterr().out

    def without_ingest_time(lines: str) -> list[dict[str, object]]:
        records = [json.loads(line) for line in lines.splitlines()]
        return [{k: v for k, v in r.items() if k != "ingested_at"} for r in records]

    assert split.count("\n") >= 2
    assert without_ingest_time(split) == without_ingest_time(whole)


def test_a_busy_machine_parses_in_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    monkeypatch.setattr(os, "getloadavg", lambda: (3.5, 3.0, 2.0))
    assert not parse_halves.two_cores()
    monkeypatch.setattr(os, "getloadavg", lambda: (0.4, 0.5, 0.5))
    assert parse_halves.two_cores()
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
    assert not parse_halves.two_cores()


@pytest.mark.usefixtures("small")
def test_no_process_to_be_had_leaves_the_payload_to_one_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_fork() -> int:
        raise OSError(11, "Resource temporarily unavailable")

    items = "".join(f"<item><guid>u:{i}</guid><title>Meldung {i}</title></item>" for i in range(6))
    data = f'<rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode()
    assert parse_halves.halves(data, "rss", None) is not None  # a payload it would split
    monkeypatch.setattr(os, "fork", no_fork)
    out = io.StringIO()
    settings = FeedSettings(feed="p")
    assert not parse_halves.print_in_halves(data, settings, "rss", None, NOW, out.write)
    assert out.getvalue() == ""
