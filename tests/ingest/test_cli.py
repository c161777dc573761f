"""The `wire` CLI end to end: parse, run --once twice, search, show, and user mistakes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.api.factory import make_article, put
from tests.conftest import ROOT, SEED
from wire.ingest.cli import main
from wire.record import compute_content_hash
from wire.storage.db import Database


def wire(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the CLI in-process like the console script does; returns (code, stdout, stderr)."""
    old = sys.argv
    sys.argv = ["wire", *args]
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    finally:
        sys.argv = old
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def workdir(tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the bundled config and samples, storing into the backend under test."""
    shutil.copy(ROOT / "config.toml", tmp_path / "config.toml")
    shutil.copytree(ROOT / "samples", tmp_path / "samples")
    monkeypatch.setenv("WIRE_DATABASE_URL", db_url)
    return tmp_path


def test_parse_seed_gives_one_record(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = wire("parse", str(SEED), capsys=capsys)
    assert code == 0, err
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) == 1
    rec = records[0]
    assert rec["kicker"] == "Kreml"
    assert rec["headline"] == "Kreml: Alexander Lukaschenko will Putin in Moskau treffen"
    assert rec["source"] == "keystone-sda"
    assert rec["dateline"] == "Weissrussland"
    assert rec["lead"].startswith("Angesichts des Machtkampfes in Weissrussland will sich")
    assert len(rec["key_points"]) == 3
    paragraphs = rec["body_text"].split("\n\n")
    assert len(paragraphs) == 4
    assert paragraphs[-1].endswith(
        "Lukaschenko regiert Belarus bereits seit 26 Jahren mit harter Hand."
    )
    for boilerplate in (
        "Kommentare",
        "Weiterlesen",
        "Interaktionen",
        "MEHR IN NEWS",
        "MEHR KREML",
        "Bunkerbrecher-Bombe",
        "Proteste in Minsk",
    ):
        assert boilerplate not in rec["body_text"]
    assert rec["language"] == "de"
    [image] = rec["images"]
    assert image["alt"] == "Lukaschenko, Putin"
    assert image["caption"] == (
        "Wladimir Putin (l), Präsident von Russland, und Alexander "
        "Lukaschenko, Präsident von Weissrussland."
    )
    assert image["agencies"] == ["dpa"]


def test_run_once_twice_stores_nothing_new_and_search_finds_seed(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(workdir)
    code, out, err = wire("run", "--once", capsys=capsys)
    assert code == 0, out + err
    assert "seed-page" in out
    code, out2, err = wire("run", "--once", "--config", "config.toml", capsys=capsys)
    assert code == 0, out2 + err
    rows = [line for line in out2.splitlines() if "│" in line and "source" not in line]
    assert rows, out2
    for row in rows:
        cells = [c.strip() for c in row.strip("│ ").split("│")]
        new, updated = int(cells[1]), int(cells[2])
        assert (new, updated) == (0, 0), row

    code, out, err = wire("search", "Lukaschenko", "--json", capsys=capsys)
    assert code == 0, err
    hits = [json.loads(line) for line in out.splitlines()]
    seed = [
        h
        for h in hits
        if h["headline"] == "Kreml: Alexander Lukaschenko will Putin in Moskau treffen"
    ]
    assert seed, hits
    code, out, err = wire("show", seed[0]["id"], "--json", capsys=capsys)
    assert code == 0, err
    shown = json.loads(out)
    assert shown["kicker"] == "Kreml"
    assert shown["versions"][0]["version"] == 1
    assert shown["images"][0]["agencies"] == ["dpa"]
    code, out, err = wire("show", seed[0]["id"], capsys=capsys)
    assert code == 0 and "Lukaschenko" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["parse", "/nonexistent/file.xml"], "does not exist"),
        (["parse", str(SEED), "--format", "docx"], "unknown format 'docx'"),
        (["run", "--once", "--config", "/nonexistent.toml"], "does not exist"),
        (["show", "nope", "--config", "{bad}"], "unknown key 'colour'"),
        (["run", "--config", "{workers}"], 'parse_workers must be "auto" or a number'),
    ],
)
def test_user_mistakes_are_one_sentence_and_exit_2(
    args: list[str], message: str, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[storage]\ncolour = "blue"\n')
    workers = tmp_path / "workers.toml"
    workers.write_text(
        '[daemon]\nparse_workers = "two"\n\n[[sources]]\nname = "x"\nlocation = "f.xml"\n'
    )
    paths = {"{bad}": str(bad), "{workers}": str(workers)}
    args = [paths.get(a, a) for a in args]
    proc = subprocess.run(
        [sys.executable, "-m", "wire.ingest.cli", *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert proc.returncode == 2
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_unknown_command_exits_2(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "wire.ingest.cli", "frobnicate"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr


def test_show_and_search_keep_embargoes_and_show_rights(
    workdir: Path, db_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(workdir)
    until = datetime.now(UTC) + timedelta(hours=2)
    db = Database(db_url)
    a = replace(
        make_article(1),
        embargoed=until,
        usage_terms="Nur zur redaktionellen Verwendung",
        copyright_notice="© 2026 Keystone-SDA",
    )
    a.content_hash = compute_content_hash(a)
    aid = put(db, a).article_id
    db.dispose()
    code, out, _ = wire("search", "Lukaschenko", "--json", capsys=capsys)
    assert code == 0 and out == ""
    code, out, _ = wire("search", "Lukaschenko", "--json", "--audit", capsys=capsys)
    assert [json.loads(line)["id"] for line in out.splitlines()] == [aid]
    code, _, err = wire("show", aid, capsys=capsys)
    assert code == 2 and "no article" in err
    code, out, _ = wire("show", aid, "--audit", capsys=capsys)
    assert code == 0
    assert "usage_terms: Nur zur redaktionellen Verwendung" in out
    assert "copyright_notice: © 2026 Keystone-SDA" in out
    assert f"embargoed: {until:%Y-%m-%dT%H:%M:%S}" in out


def test_purge_dry_run_lists_then_removes(
    workdir: Path, db_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(workdir)
    code, _, err = wire("purge", capsys=capsys)
    assert code == 2 and "no retention is configured" in err
    with (workdir / "config.toml").open("a") as f:
        f.write("days = 30\n")  # under the [retention] table at the end of the file
    db = Database(db_url)
    old = put(db, make_article(1)).article_id  # stored in 2024
    db.dispose()
    code, out, _ = wire("purge", "--dry-run", "--json", capsys=capsys)
    report = json.loads(out)
    assert code == 0 and report["dry_run"] is True
    assert [a["id"] for a in report["articles"]] == [old]
    code, _, err = wire("purge", "--batch-size", "0", capsys=capsys)
    assert code == 2 and "batch size must be at least 1" in " ".join(err.split())
    code, out, _ = wire("purge", "--batch-size", "1", capsys=capsys)
    assert code == 0 and "removed: 1 articles" in out
    code, out, _ = wire("show", old, capsys=capsys)
    assert code == 2
