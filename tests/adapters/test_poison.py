"""The poison corpus (tests/adapters/cases/poison/): input that once gave a traceback, a stall or
the wrong refusal. Each file gives a clean reject with a clear reason, and the good items of
the same payload still come through; nothing is logged as an error (no traceback); the
rejects can be stored, encoded and written beside a drop-folder file.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from wire.adapters.base import FeedSettings
from wire.ingest.dropfolder import file_away
from wire.ingest.parsing import parse_payload
from wire.ingest.pipeline import RunStats, ingest_payload
from wire.record import Article, Rejected
from wire.storage.db import Database
from wire.storage.models import ArticleRow, Reject

POISON = Path(__file__).parent / "cases" / "poison"
NOW = datetime(2024, 11, 4, 12, 0, tzinfo=UTC)
GOOD_DE = "urn:newsml:dpa.com:20241104:241104-99-101"
GOOD_EN = "urn:newsml:dpa.com:20241104:241104-99-102"


@dataclass(frozen=True)
class Case:
    file: str
    fmt: str  # as a source would name it ("auto" sniffs)
    reasons: tuple[str, ...]  # one fragment per expected reject, in order
    good: tuple[str, ...] = ()  # guids of the items that must still come through


CASES = [
    Case(
        "ninjs_lone_surrogate.json",
        "auto",
        ("headline is not valid Unicode text (it holds a lone surrogate",),
        (GOOD_DE, GOOD_EN),
    ),
    Case("ninjs_deep_nesting.json", "auto", ("format not recognised",)),  # no ninjs key
    Case("ninjs_deep_nesting.json", "ninjs", ("the JSON nests deeper than wire reads",)),
    Case(
        "ninjs_huge_version.json",
        "ninjs",
        ("item 0: 'version' is too large", "item 1: 'version' is too large (5000 digits)"),
        (GOOD_EN,),
    ),
    Case("newsml_utf16_entity.xml", "auto", ("refused: the XML declares entities",)),
    Case("newsml_utf16_entity.xml", "newsml", ("refused: the XML declares entities",)),
    Case("rss_utf16le_entity.xml", "auto", ("refused: the XML declares entities",)),
    Case("rss_utf16le_entity.xml", "rss", ("refused: the XML declares entities",)),
    Case("nitf_billion_laughs.xml", "auto", ("refused: the XML declares entities",)),
    Case("atom_xxe.xml", "auto", ("refused: the XML declares entities",)),
    Case(
        "newsml_gigantic_attribute.xml",
        "auto",
        ("item identifier (guid) is longer than 1000 bytes",),
        ("urn:newsml:sda.ch:20241104:ok",),
    ),
    Case("not_a_format.bin", "auto", ("format not recognised",)),
    Case("not_a_format.bin", "newsml", ("newsml: malformed XML",)),
    Case("not_json.json", "ninjs", ("ninjs: the payload is not valid JSON",)),
    Case("empty.xml", "auto", ("empty payload",)),
    Case("truncated.json.gz", "auto", ("format not recognised (the bytes are gzip data)",)),
    Case("truncated.json.gz", "ninjs", ("ninjs: the payload is not UTF-8 text",)),
    Case("photo.jpg", "html", ("html: not an HTML page: the bytes are a JPEG image",)),
]


def settings(case: Case) -> FeedSettings:
    return FeedSettings(feed="poison", location=str(POISON / case.file))


def run(case: Case) -> list[Article | Rejected]:
    data = (POISON / case.file).read_bytes()
    return parse_payload(data, settings(case), case.fmt, case.file, NOW)


def test_the_corpus_is_covered() -> None:
    assert {p.name for p in POISON.iterdir()} == {c.file for c in CASES}


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.file}-{c.fmt}")
def test_poison_gives_clean_rejects_and_keeps_the_good_items(
    case: Case, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        results = run(case)
    rejects = [r for r in results if isinstance(r, Rejected)]
    assert [r.guid for r in results if isinstance(r, Article)] == list(case.good)
    assert len(rejects) == len(case.reasons), [r.reason for r in rejects]
    for reject, fragment in zip(rejects, case.reasons, strict=True):
        assert fragment in reject.reason
        assert len(reject.reason) < 300  # one sentence, not a dump of the input
        assert isinstance(reject.raw, bytes) and (reject.raw or case.file == "empty.xml")
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], "logged a traceback"


def test_the_lone_surrogate_reject_keeps_the_escape_in_its_raw_bytes() -> None:
    [reject, *_] = run(CASES[0])
    assert isinstance(reject, Rejected)
    assert reject.guid == "urn:newsml:dpa.com:20241104:241104-99-100"
    raw = json.loads(reject.raw)  # valid JSON and UTF-8: the surrogate stays an escape
    assert raw["headline"] == "Cl\ud800imate talks stall in Baku"


def test_no_external_entity_is_ever_read() -> None:
    passwd = Path("/etc/passwd").read_text(encoding="utf-8", errors="replace")
    first_line = passwd.splitlines()[0]
    for fmt in ("auto", "rss", "newsml", "nitf", "html", "text"):
        for result in run(Case("atom_xxe.xml", fmt, ())):
            text = result.to_json() if isinstance(result, Article) else result.reason
            assert first_line not in text


def test_a_gigantic_attribute_beyond_the_parser_limit_is_one_clean_reject() -> None:
    """libxml2 refuses attribute values over 10 MB without ``huge_tree``: one sentence."""
    data = (
        b'<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="'
        + b"x" * 11_000_000
        + b'" version="1"/>'
    )
    [reject] = parse_payload(data, FeedSettings(feed="poison"), "auto", None, NOW)
    assert isinstance(reject, Rejected)
    assert reject.reason.startswith("newsml: malformed XML")


def test_good_items_beside_a_surrogate_are_stored_and_the_reject_too(db: Database) -> None:
    case = CASES[0]
    data = (POISON / case.file).read_bytes()
    stats = ingest_payload(db, data, settings(case), fmt=case.fmt, filename=case.file, now=NOW)
    assert (stats.new, stats.rejected, stats.errors) == (2, 1, 0)
    with db.session() as session:
        [row] = session.scalars(select(Reject)).all()
        assert row.guid == "urn:newsml:dpa.com:20241104:241104-99-100"
        assert "lone surrogate" in row.reason
        assert json.loads(row.payload)["headline"] == "Cl\ud800imate talks stall in Baku"
        assert session.scalar(select(func.count()).select_from(ArticleRow)) == 2


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.file}-{c.fmt}")
def test_every_poison_file_is_stored_without_an_error(case: Case, sqlite_url: str) -> None:
    db = Database(sqlite_url)
    try:
        data = (POISON / case.file).read_bytes()
        stats = ingest_payload(db, data, settings(case), fmt=case.fmt, filename=case.file, now=NOW)
    finally:
        db.dispose()
    assert stats.errors == 0
    assert (stats.new, stats.rejected) == (len(case.good), len(case.reasons))


def test_a_reject_naming_bad_text_survives_storing_encoding_and_filing(
    db: Database, tmp_path: Path
) -> None:
    """A reject whose reason and guid quote a lone surrogate and a NUL (an adapter's message
    about the bad value) is stored, JSON-encoded and written beside its drop-folder file."""
    reject = Rejected(
        "item 'Cl\ud800imate\x00': bad", b'{"headline": "Cl\\ud800imate"}', "a\ud800\x00"
    )
    assert reject.reason == "item 'Cl\ufffdimate': bad" and reject.guid == "a\ufffd"
    json.dumps({"reason": reject.reason, "guid": reject.guid}, ensure_ascii=False).encode()
    from wire.ingest.pipeline import store_results

    stats = store_results(db, reject.raw, FeedSettings(feed="poison"), [reject])
    assert stats.rejected == 1
    folder = tmp_path / "drop"
    (folder / "sub").mkdir(parents=True)
    path = folder / "sub" / "item.json"
    path.write_bytes(reject.raw)
    target = file_away(folder, path, RunStats(rejected=1, messages=[reject.reason]))
    assert target == folder / "failed" / "sub" / "item.json"
    reason_file = target.with_name("item.json.reason")
    assert reason_file.read_text(encoding="utf-8") == "item 'Cl\ufffdimate': bad\n"
