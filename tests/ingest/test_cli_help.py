"""`wire --help` and every command's help: an example each, no type placeholders; search
readable at 80 columns; an unreadable query is one sentence and exit 2."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
from rich.console import Console
from typer.testing import CliRunner

from tests.api.factory import english, make_article, put
from wire.ingest import cli
from wire.storage.db import Database

PLACEHOLDER = re.compile(r"<(bool|path|int|float|text|str|list\[[^\]]*\]|[a-z_]+)>")


def _commands(command: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every leaf command's words (typer builds on its own copy of click: duck-typed)."""
    subs = getattr(command, "commands", None)
    if subs:
        return [p for name, sub in subs.items() for p in _commands(sub, (*path, name))]
    return [path]


COMMANDS = _commands(typer.main.get_command(cli.app))


def test_every_command_is_listed() -> None:
    assert {"parse", "run", "search", "show", "serve", "publish"} <= {c[0] for c in COMMANDS}
    assert ("dedup", "rebuild") in COMMANDS and ("token", "hash") in COMMANDS


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_each_command_has_an_example_and_no_type_placeholders(command: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli.app, [*command, "--help"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert re.search(rf"Example: wire {' '.join(command)}\b", result.output), result.output
    assert not PLACEHOLDER.search(result.output), result.output


def test_top_level_help_has_no_type_placeholders() -> None:
    result = CliRunner().invoke(cli.app, ["--help"], env={"COLUMNS": "80"})
    assert result.exit_code == 0 and "search" in result.output
    assert not PLACEHOLDER.search(result.output), result.output


def test_an_unreadable_query_is_one_sentence_and_exit_2(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'[storage]\nurl = "sqlite:///{tmp_path / "w.db"}"\n', encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "wire.ingest.cli", "search", '"unterminated', "-c", str(config)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "never closed" in lines[0], proc.stderr


@pytest.fixture
def store(tmp_path: Path) -> Path:
    db = Database(f"sqlite:///{tmp_path / 'w.db'}")
    long = "Lukaschenko will Putin in Moskau treffen und über Hilfen, Gas und Grenzen sprechen"
    put(db, make_article(1, headline=long))
    put(db, make_article(2, pubstatus="canceled"))
    put(db, english(3))
    db.dispose()
    config = tmp_path / "config.toml"
    config.write_text(f'[storage]\nurl = "sqlite:///{tmp_path / "w.db"}"\n', encoding="utf-8")
    return config


def _search(config: Path, *args: str, width: int = 80) -> str:
    console = Console(width=width, file=None, force_terminal=False, record=True)
    old = cli.out
    cli.out = console
    try:
        result = CliRunner().invoke(cli.app, ["search", *args, "-c", str(config)])
    finally:
        cli.out = old
    assert result.exit_code == 0, result.output
    return console.export_text()


def test_search_at_80_columns_wraps_the_headline_and_drops_minor_columns(store: Path) -> None:
    text = _search(store, "Lukaschenko")
    lines = text.splitlines()
    assert all(len(line) <= 80 for line in lines)
    assert "agencies" not in text and "status" not in text  # minor columns dropped
    # the headline wraps over a few lines of several words each, never one word a line
    assert "Lukaschenko will Putin in" in text
    assert "Hilfen" in text and "Grenzen" in text
    assert len(lines) <= 9  # borders, header and a 4-line headline
    wide = _search(store, "Lukaschenko", "--wide", width=160)
    assert "agencies" in wide and "keystone-sda/dpa" in wide


def test_search_leaves_kills_out_unless_asked(store: Path) -> None:
    shown = CliRunner().invoke(cli.app, ["search", "Lukaschenko", "--json", "-c", str(store)])
    statuses = [json.loads(line)["pubstatus"] for line in shown.output.splitlines()]
    assert statuses == ["usable"]
    every = CliRunner().invoke(
        cli.app, ["search", "Lukaschenko", "--json", "--pubstatus", "all", "-c", str(store)]
    )
    assert sorted(json.loads(line)["pubstatus"] for line in every.output.splitlines()) == [
        "canceled",
        "usable",
    ]


def test_search_newest_first(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'[storage]\nurl = "sqlite:///{tmp_path / "w.db"}"\n', encoding="utf-8")
    db = Database(f"sqlite:///{tmp_path / 'w.db'}")
    # the oldest story carries the word in its headline (best match), the newer ones in the body
    put(db, make_article(1, headline="Lukaschenko trifft Putin"))
    for n in (2, 3):
        put(db, make_article(n, headline=f"Gespräche in Moskau {n}"))
    db.dispose()

    def ids(*extra: str) -> list[str]:
        shown = CliRunner().invoke(
            cli.app, ["search", "Lukaschenko", "--json", *extra, "-c", str(config)]
        )
        assert shown.exit_code == 0, shown.output
        return [json.loads(line)["id"] for line in shown.output.splitlines()]

    best, newest = ids(), ids("--newest")
    assert best[0] == newest[-1]  # the headline match first, and last by time
    assert sorted(best) == sorted(newest) and len(newest) == 3


def test_run_once_reports_progress_per_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wire.config import load_config
    from wire.ingest.runner import run_once
    from wire.progress import Step

    root = Path(__file__).resolve().parents[2]
    shutil.copy(root / "config.toml", tmp_path / "config.toml")
    shutil.copytree(root / "samples", tmp_path / "samples")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("WIRE_DATABASE_URL", f"sqlite:///{tmp_path / 'w.db'}")
    cfg = load_config(tmp_path / "config.toml")
    sources = [s for s in cfg.sources if s.enabled][:3]
    db = Database(cfg.storage.url)
    steps: list[Step] = []
    results = run_once(db, cfg, sources, progress=steps.append)
    db.dispose()
    n = len(sources)
    assert steps == [*(Step(i, n, s.name) for i, s in enumerate(sources)), Step(n, n)]
    assert list(results) == [s.name for s in sources]
