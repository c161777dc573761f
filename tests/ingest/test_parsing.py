"""Incremental parsing: items already stored are left out of the parse, and nothing else changes."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from wire.adapters.base import FeedSettings
from wire.adapters.rss import ADAPTER as RSS
from wire.errors import AdapterError
from wire.ingest.parsing import parse_new, parse_payload
from wire.normalise.agencies import is_known, is_unresolved
from wire.record import Article, ParseResult, Rejected

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
SETTINGS = FeedSettings(feed="sda", source="keystone-sda", language="de")

SPLITTABLE = [
    ROOT / "samples/feeds/sda-news.rss",
    ROOT / "samples/feeds/afp-world.atom",
    ROOT / "tests/adapters/cases/rss_edge_cases.xml",
    ROOT / "tests/adapters/cases/rss_rdf10.rdf",
    ROOT / "tests/adapters/cases/rss_091.xml",
    ROOT / "tests/adapters/cases/rss_netscape_entities.xml",
]


def item(n: int, body: str = "") -> str:
    return (
        f"<item><title>Meldung {n}</title><link>https://sda.example/{n}</link>"
        f'<guid isPermaLink="false">urn:sda:{n}</guid>'
        f"<pubDate>Mon, 02 Sep 2024 08:{n:02d}:00 +0200</pubDate>"
        f"<description>Bern - Der Bundesrat hat am Montag Meldung {n} verabschiedet.</description>"
        f"<content:encoded><![CDATA[<p>Der Bundesrat hat am Montag Meldung {n} verabschiedet. "
        f"{body}Die Vorlage geht nun an das Parlament.</p>]]></content:encoded></item>\n"
    )


def feed(*items: str, built: str = "08:00") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>\n'
        f"<title>SDA</title><link>https://sda.example/</link><lastBuildDate>Mon, 02 Sep 2024 "
        f"{built}:00 +0200</lastBuildDate>\n{''.join(items)}</channel></rss>\n"
    ).encode()


def guids(results: list[Article | Rejected]) -> list[str | None]:
    return [r.guid for r in results]


@pytest.mark.parametrize("path", SPLITTABLE, ids=lambda p: p.name)
def test_each_item_parsed_alone_equals_the_whole_parse(path: Path) -> None:
    data = path.read_bytes()
    whole = parse_new(data, SETTINGS, "rss", now=NOW)
    assert whole.digests and len(whole.digests) == len(whole.results)
    assert whole.results == parse_payload(data, SETTINGS, "rss", now=NOW)
    for i, result in enumerate(whole.results):
        known = set(whole.digests) - {whole.digests[i]}
        one = parse_new(data, SETTINGS, "rss", now=NOW, known=known)
        assert one.results == [result]
        assert one.digests == whole.digests
        assert one.skipped == len(whole.results) - 1


def test_a_moving_window_parses_only_the_new_items() -> None:
    first = parse_new(feed(*(item(n) for n in range(5, 0, -1))), SETTINGS, "rss", now=NOW)
    assert len(first.results) == 5 and first.skipped == 0
    moved = feed(*(item(n) for n in range(7, 2, -1)), built="08:07")
    second = parse_new(moved, SETTINGS, "rss", now=NOW, known=first.digests)
    assert guids(second.results) == ["urn:sda:7", "urn:sda:6"]
    assert second.skipped == 3
    assert set(second.digests) - set(first.digests) == set(second.digests[:2])


def test_an_edited_item_gets_a_new_digest_and_is_parsed() -> None:
    first = parse_new(feed(item(2), item(1)), SETTINGS, "rss", now=NOW)
    edited = feed(item(2), item(1, body="Korrigiert: die Vorlage ist umstritten. "))
    second = parse_new(edited, SETTINGS, "rss", now=NOW, known=first.digests)
    assert guids(second.results) == ["urn:sda:1"]
    [article] = second.results
    assert isinstance(article, Article) and "umstritten" in (article.body_text or "")


def test_all_items_known_parses_nothing() -> None:
    data = feed(item(2), item(1))
    first = parse_new(data, SETTINGS, "rss", now=NOW)
    again = parse_new(feed(item(2), item(1), built="09:00"), SETTINGS, "rss", known=first.digests)
    assert again.results == [] and again.skipped == 2 and again.digests == first.digests


def test_digests_depend_on_the_source_settings() -> None:
    data = feed(item(1))
    other = FeedSettings(feed="sda", source="keystone-sda", language="fr")
    first = parse_new(data, SETTINGS, "rss", now=NOW)
    assert parse_new(data, other, "rss", now=NOW).digests != first.digests
    assert len(parse_new(data, other, "rss", now=NOW, known=first.digests).results) == 1


def test_unsure_cuts_parse_the_whole_payload() -> None:
    # An item whose body quotes an item tag: the byte scan would end the item inside it.
    tricky = feed(item(2, body="]]><![CDATA[<item>kein Element</item>"), item(1))
    assert RSS.item_spans(tricky) is None
    result = parse_new(tricky, SETTINGS, "rss", now=NOW, known={"0" * 16})
    assert result.digests == () and len(result.results) == 2
    truncated = feed(item(2), item(1))[:-60]
    assert RSS.item_spans(truncated) is None
    assert parse_new(truncated, SETTINGS, "rss", now=NOW, known={"0" * 16}).skipped == 0


def test_a_cut_payload_the_adapter_cannot_read_falls_back_to_the_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = feed(item(3), item(2), item(1))
    first = parse_new(feed(item(2), item(1)), SETTINGS, "rss", now=NOW)
    real = RSS.parse

    def only_whole(payload: bytes, settings: FeedSettings) -> list[ParseResult]:
        if payload != data:
            raise AdapterError("cut payload refused")
        return real(payload, settings)

    monkeypatch.setattr(RSS, "parse", only_whole)
    result = parse_new(data, SETTINGS, "rss", now=NOW, known=first.digests)
    assert guids(result.results) == ["urn:sda:3", "urn:sda:2", "urn:sda:1"]
    assert result.skipped == 0


def test_formats_without_items_are_parsed_whole() -> None:
    data = (ROOT / "samples/dropfolder").glob("*.xml").__next__().read_bytes()
    result = parse_new(data, SETTINGS, "auto", now=NOW, known={"0" * 16})
    assert result.digests == () and result.skipped == 0 and result.results


def test_an_item_whose_normalisation_raises_is_rejected_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Any exception while normalising one item (a bug, a library's) rejects that item with
    its reason and raw record; the rest of the batch goes on."""
    from wire.ingest import parsing

    real = parsing.normalise

    def flaky(
        article: Article, settings: FeedSettings, now: datetime, text: str | None = None
    ) -> Article:
        if article.guid == "urn:sda:2":
            raise OverflowError("date value out of range")
        return real(article, settings, now, text)

    monkeypatch.setattr(parsing, "normalise", flaky)
    results = parse_payload(feed(item(1), item(2), item(3)), SETTINGS, "rss", now=NOW)
    assert guids(results) == ["urn:sda:1", "urn:sda:2", "urn:sda:3"]
    reject = results[1]
    assert isinstance(reject, Rejected)
    assert reject.reason == "normalisation failed: OverflowError: date value out of range"
    assert b"Meldung 2" in reject.raw
    assert all(isinstance(r, Article) for r in (results[0], results[2]))


def test_an_item_whose_mapping_raises_is_rejected_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    from wire.adapters import ninjs

    real = ninjs._subjects

    def flaky(entry: dict[str, object]) -> list[object]:
        if entry.get("uri") == "urn:dpa:2":
            raise KeyError("subject")
        return real(entry)  # type: ignore[return-value]

    monkeypatch.setattr(ninjs, "_subjects", flaky)
    items = [
        {"uri": f"urn:dpa:{n}", "headline": f"Meldung {n}", "body_text": "Text."} for n in (1, 2, 3)
    ]
    results = parse_payload(json.dumps(items).encode(), SETTINGS, "ninjs", now=NOW)
    assert guids(results) == ["urn:dpa:1", "urn:dpa:2", "urn:dpa:3"]
    assert isinstance(results[1], Rejected)
    assert results[1].reason == "item 1: unreadable item: KeyError: 'subject'"
    assert json.loads(results[1].raw)["headline"] == "Meldung 2"


def agency_codes(article: Article) -> list[str]:
    """Every agency code a record holds: its source, its agencies, its pictures' agencies."""
    codes = [article.source] if article.source else []
    return codes + list(article.agencies) + [c for i in article.images for c in i.agencies]


def test_no_raw_agency_name_is_stored_from_any_sample_or_case() -> None:
    """A name is a registry code, or an unresolved slug with the raw name kept beside it."""
    paths = sorted(p for p in (ROOT / "samples").rglob("*") if p.is_file())
    paths += sorted(p for p in (ROOT / "tests/adapters/cases").iterdir() if p.is_file())
    settings = FeedSettings(feed="check", timezone="UTC")
    articles = [
        r
        for path in paths
        for r in parse_payload(path.read_bytes(), settings, filename=path.name, now=NOW)
        if isinstance(r, Article)
    ]
    assert len(articles) > 100
    raw = [
        (a.guid, code)
        for a in articles
        for code in agency_codes(a)
        if not is_known(code) and not (is_unresolved(code) and code in a.unresolved_agencies)
    ]
    assert raw == []
    assert {"ap", "afp", "dpa", "keystone-sda", "reuters", "ansa", "efe", "ntb", "tt", "pa"} <= {
        a.source for a in articles
    }

    unknown = (
        '{"uri": "urn:lokal:1", "type": "text", "versioncreated": "2024-10-08T06:00:00Z",'
        ' "language": "de", "headlines": [{"role": "main", "value": "Neues Schulhaus"}],'
        ' "bodies": [{"role": "main", "contenttype": "text/plain", "value": "Der Gemeinderat'
        ' hat am Montag ein neues Schulhaus beschlossen."}],'
        ' "infosources": [{"name": "Lokalagentur Muster", "role": "originator"}]}'
    )
    (local,) = parse_payload(unknown.encode(), settings, fmt="ninjs", now=NOW)
    assert isinstance(local, Article)
    assert local.source == "x-lokalagentur-muster" and local.agencies == [local.source]
    assert local.unresolved_agencies == {"x-lokalagentur-muster": "Lokalagentur Muster"}
