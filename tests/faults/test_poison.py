"""Poison input never stops ingestion: a bad item or file is a reject (reason + raw bytes),
the file goes to ``failed/``, every other file is stored, and ``wire run --once`` exits 0
for a batch that was stored or cleanly rejected (1 with ``--strict``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import ROOT
from tests.ingest.test_cli import wire
from tests.ingest.test_daemon import config, eventually, running
from tests.ingest.test_runner import settled
from wire.adapters.base import FeedSettings
from wire.config import SourceConfig
from wire.ingest.parsing import parse_new
from wire.ingest.pull import read_batch
from wire.record import Rejected
from wire.storage.db import Database
from wire.storage.models import ArticleRow, Reject

CASES = ROOT / "tests" / "adapters" / "cases"
CITIES = ["Zürich", "Genève", "Lugano", "Chur", "Basel", "Bern", "Sion", "Aarau", "Olten", "Thun"]


def good_ninjs(i: int) -> bytes:
    """A ninjs 2.x story shaped like the bundled case, one per city and number."""
    story = json.loads((CASES / "ninjs_2x_en.json").read_text(encoding="utf-8"))
    city = CITIES[i % len(CITIES)]
    story["uri"] = f"urn:newsml:example-wire.test:2026:story-{i:04d}"
    story["headlines"] = [{"role": "main", "value": f"{city}: Gemeinderat beschliesst Budget {i}"}]
    story["bodies"] = [
        {
            "role": "main",
            "contenttype": "text/html",
            "value": f"<p>Der Gemeinderat von {city} hat am Montag das Budget Nummer {i} "
            f"verabschiedet.</p><p>Die Debatte dauerte {i % 7 + 2} Stunden.</p>",
        }
    ]
    return json.dumps(story, ensure_ascii=False).encode()


# The poison cases of issue 22: each must become a reject, never an exception that stops
# the folder.
POISON = {
    "lone_surrogate.json": (
        b'{"uri": "urn:x:poison-1", "type": "text", "version": "1", '
        b'"versioncreated": "2026-12-06T08:00:00Z", "language": "en", '
        b'"headlines": [{"role": "main", "value": "Cl\\ud800imate talks"}], '
        b'"bodies": [{"role": "main", "contenttype": "text/plain", "value": "Talks \\udfff"}]}'
    ),
    "nested.json": b"[" * 100_000 + b"]" * 100_000,
    "long_version.json": (
        b'{"uri": "urn:x:poison-3", "type": "text", "version": "' + b"9" * 5000 + b'", '
        b'"headlines": [{"role": "main", "value": "Version"}], '
        b'"versioncreated": "2026-12-06T08:00:00Z"}'
    ),
}
# Stored on SQLite, refused by PostgreSQL (NUL in a text column): either way it is filed and the
# folder goes on.
EDGE = {
    "nul_guid.json": (
        b'{"uri": "urn:x:\\u0000poison", "type": "text", "version": "1", '
        b'"headlines": [{"role": "main", "value": "Null \\u0000 byte"}], '
        b'"versioncreated": "2026-12-06T08:00:00Z"}'
    ),
}


def folder_config(path: Path, db_url: str, name: str, folder: Path, fmt: str = "auto") -> Path:
    """A config file with one drop-folder source storing into ``db_url``."""
    path.write_text(
        f'[storage]\nurl = "{db_url}"\n\n[[sources]]\nname = "{name}"\nkind = "folder"\n'
        f'format = "{fmt}"\nlocation = "{folder}"\n',
        encoding="utf-8",
    )
    return path


def counts(db_url: str) -> tuple[int, int]:
    db = Database(db_url)
    try:
        with db.reader() as s:
            articles = int(s.scalar(select(func.count()).select_from(ArticleRow)) or 0)
            rejects = int(s.scalar(select(func.count()).select_from(Reject)) or 0)
            return articles, rejects
    finally:
        db.dispose()


def test_a_poison_file_among_100_good_ones_does_not_stop_the_folder(
    tmp_path: Path, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    for i in range(100):
        (drop / f"story-{i:04d}.json").write_bytes(good_ninjs(i))
    for name, data in {**POISON, **EDGE}.items():
        (drop / f"story-0050-{name}").write_bytes(data)  # sorted amid the good files
    for path in drop.iterdir():
        settled(path)
    config = folder_config(tmp_path / "config.toml", db_url, "drop", drop, "ninjs")
    code, out, err = wire("run", "--once", "--config", str(config), capsys=capsys)
    assert code == 0, out + err
    assert "Traceback" not in err
    assert sorted(p.name for p in drop.iterdir() if p.is_file()) == []  # the folder drained
    done = {p.name for p in (drop / "done").iterdir() if not p.name.endswith(".reason")}
    failed = {p.name for p in (drop / "failed").iterdir() if not p.name.endswith(".reason")}
    assert {f"story-{i:04d}.json" for i in range(100)} <= done
    assert {f"story-0050-{name}" for name in POISON} <= failed
    edge = "story-0050-nul_guid.json"
    assert edge in done | failed and len(done) + len(failed) == 100 + len(POISON) + 1
    reason = (drop / "failed" / "story-0050-lone_surrogate.json.reason").read_text("utf-8")
    assert "surrogate" in reason
    articles, rejects = counts(db_url)
    edge_stored = edge in done
    assert articles == 100 + edge_stored
    assert rejects == len(POISON) + (not edge_stored)
    row = next(line for line in out.splitlines() if "drop" in line and "│" in line)
    cells = [c.strip() for c in row.strip("│ ").split("│")]
    assert cells[1:] == [str(articles), "0", "0", str(rejects), "0"]  # rejects apart from errors


def test_strict_fails_a_run_with_rejects_and_a_missing_folder_fails_without_it(
    tmp_path: Path, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "good.json").write_bytes(good_ninjs(1))
    (drop / "bad.json").write_bytes(POISON["lone_surrogate.json"])
    for path in drop.iterdir():
        settled(path)
    config = folder_config(tmp_path / "config.toml", db_url, "drop", drop)
    code, out, err = wire("run", "--once", "--strict", "--config", str(config), capsys=capsys)
    assert code == 1, out + err
    assert (drop / "done" / "good.json").exists() and (drop / "failed" / "bad.json").exists()
    # A folder that cannot be read is the source's failure: exit 1 even without --strict.
    gone = folder_config(tmp_path / "gone.toml", db_url, "gone", tmp_path / "nowhere")
    code, out, err = wire("run", "--once", "--config", str(gone), capsys=capsys)
    assert code == 1, out + err
    assert "does not exist" in " ".join(err.split())


# A version number of 5,000 digits in each place ninjs carries one: the item's version (as a
# string, as a JSON number, negative, inside an array of items) and the ninjs standard's own
# version (``standard.version``, the ``$schema`` file name). Python's int() refuses more than
# 4,300 digits, so none of them may reach it.
HUGE = "9" * 5000
STORY = ('{"uri": "urn:x:huge-%s", "type": "text", %s, "language": "de", '
         '"headlines": [{"role": "main", "value": "Gemeinderat tagt"}], '
         '"versioncreated": "2026-12-06T08:00:00Z"}')  # fmt: skip
HUGE_VERSIONS = {
    "string": STORY % ("s", f'"version": "{HUGE}"'),
    "number": STORY % ("n", f'"version": {HUGE}'),
    "negative": STORY % ("m", f'"version": -{HUGE}'),
    "urgency": STORY % ("u", f'"version": 2, "urgency": {HUGE}'),
    "array": f"[{STORY % ('a', f'{chr(34)}version{chr(34)}: {HUGE}')}, "
    f"{STORY % ('b', chr(34) + 'version' + chr(34) + ': 3')}]",
    "standard": STORY % ("d", f'"standard": {{"name": "ninjs", "version": "{HUGE}"}}'),
    "schema": STORY
    % ("c", f'"$schema": "http://www.iptc.org/std/ninjs/ninjs-schema_{HUGE}.0.json"'),
}


def test_a_5000_digit_version_is_a_clean_reject_without_a_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level("DEBUG")
    outcomes: dict[str, list[str]] = {}
    for name, text in HUGE_VERSIONS.items():
        for fmt in ("ninjs", "auto"):
            results = parse_new(text.encode(), FeedSettings(), fmt).results
            outcomes[f"{name}/{fmt}"] = [
                r.reason if isinstance(r, Rejected) else f"stored {r.guid} v{r.version}"
                for r in results
            ]
    assert [r for r in caplog.records if r.exc_info] == []  # no traceback logged anywhere
    for fmt in ("ninjs", "auto"):
        assert outcomes[f"string/{fmt}"] == ["item 0: 'version' is too large (5000 digits)"]
        for name in ("number", "negative"):
            assert outcomes[f"{name}/{fmt}"] == ["item 0: 'version' is too large (over 300 digits)"]
        assert outcomes[f"urgency/{fmt}"] == ["item 0: 'urgency' is too large (over 300 digits)"]
        assert outcomes[f"array/{fmt}"] == [
            "item 0: 'version' is too large (over 300 digits)",
            "stored urn:x:huge-b v3",  # the good item beside it is stored
        ]
        # The standard's version is no item field: a number that is no version is ignored.
        assert outcomes[f"standard/{fmt}"] == ["stored urn:x:huge-d v1"]
        assert outcomes[f"schema/{fmt}"] == ["stored urn:x:huge-c v1"]
    text = " ".join(" ".join(v) for v in outcomes.values())
    assert "unreadable" not in text and "4300" not in text and "set_int_max_str_digits" not in text


def test_a_pull_batch_with_a_5000_digit_number_is_still_a_batch() -> None:
    body = f'{{"entries": [{STORY % ("p", f"{chr(34)}version{chr(34)}: {HUGE}")}, ' + (
        f"{STORY % ('q', chr(34) + 'version' + chr(34) + ': 2')}]}}"
    )
    batch = read_batch(body.encode())
    assert batch.entry_ids == ["urn:x:huge-p", "urn:x:huge-q"]  # both acknowledged once stored
    with pytest.raises(ValueError, match="nests deeper"):
        read_batch(b"[" * 100_000 + b"]" * 100_000)


async def test_the_daemon_files_huge_versions_as_rejects_without_a_traceback(
    tmp_path: Path, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    drop = tmp_path / "drop"
    drop.mkdir()
    for name, text in HUGE_VERSIONS.items():
        (drop / f"{name}.json").write_text(text, encoding="utf-8")
        settled(drop / f"{name}.json")
    source = SourceConfig(name="drop", location=str(drop), kind="folder", format="ninjs")
    async with running(db, config(source)):
        await eventually(lambda: not list(drop.glob("*.json")), 60, "the folder drained")
    failed = {p.name for p in (drop / "failed").glob("*.json")}
    done = {p.name for p in (drop / "done").glob("*.json")}
    assert failed == {"string.json", "number.json", "negative.json", "urgency.json"}
    assert done == {"array.json", "standard.json", "schema.json"}  # a good item in each
    assert [r for r in caplog.records if r.exc_info] == []
    with db.reader() as s:
        reasons = list(s.scalars(select(Reject.reason)))
        guids = set(s.scalars(select(ArticleRow.guid)))
    assert len(reasons) == 5 and all("too large" in r for r in reasons)
    assert guids == {"urn:x:huge-b", "urn:x:huge-d", "urn:x:huge-c"}
