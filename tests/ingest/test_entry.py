"""The ``wire`` entry point: a plain ``wire parse`` runs without the full command line and
says exactly what the full command line says (records, rejects, mistakes, exit codes)."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from wire.ingest.entry import RunOnceArgs, plain_parse_args, plain_run_once_args

ROOT = Path(__file__).resolve().parents[2]
FEED = (
    '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>x</title>'
    "<item><guid>urn:a:1</guid><title>Bundesrat entscheidet</title><description>Der Bundesrat"
    " hat am Mittwoch entschieden. (sda)</description></item>"
    "<item><guid>urn:a:2</guid></item>"  # neither title nor content: rejected
    "</channel></rss>"
)


def _run(module: str, args: list[str]) -> tuple[int, str, str]:
    proc = subprocess.run(
        [sys.executable, "-m", module, *args],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    out = "\n".join(
        line.split('"ingested_at"')[0] + line.split('"images"')[-1]
        for line in proc.stdout.splitlines()
    )
    return proc.returncode, out, proc.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["{feed}", "--format", "rss"],
        ["{feed}", "-f", "rss", "--language", "de", "--source=sda"],
        ["/nonexistent/feed.rss"],
        ["{feed}", "--format", "nope"],
    ],
)
def test_plain_parse_says_what_the_full_command_line_says(tmp_path: Path, args: list[str]) -> None:
    feed = tmp_path / "feed.rss"
    feed.write_text(FEED, encoding="utf-8")
    argv = ["parse", *(a.format(feed=feed) for a in args)]
    assert plain_parse_args(argv[1:]) is not None  # the lean path is the one under test
    lean = _run("wire.ingest.entry", argv)
    full = _run("wire.ingest.cli", argv)
    assert lean == full
    assert lean[0] in (1, 2)  # a reject (exit 1) or a mistake (exit 2) in every case


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        [],
        ["a", "b"],
        ["a", "--format"],
        ["a", "--format", "rss", "--format", "text"],
        ["a", "--strict"],
        ["a", "-f=rss"],
        ["a", "--language", ""],
        ["a", "--", "b"],
    ],
)
def test_anything_but_plain_arguments_goes_to_the_full_command_line(args: list[str]) -> None:
    assert plain_parse_args(args) is None


def test_plain_arguments_are_read() -> None:
    assert plain_parse_args(["f.xml", "--timezone", "UTC", "--format=newsml"]) == {
        "path": "f.xml",
        "timezone": "UTC",
        "fmt": "newsml",
    }


def test_a_reader_that_stops_reading_ends_wire_parse_quietly(tmp_path: Path) -> None:
    """``wire parse feed.xml | head -1``: the pipe closes after the first line; wire ends with
    the shell's code for a closed pipe (141) and no traceback on stderr."""
    items = "".join(
        f"<item><guid>urn:a:{n}</guid><title>Bundesrat entscheidet {n}</title>"
        f"<description>Der Bundesrat hat am Mittwoch zum {n}. Mal entschieden. (sda)"
        "</description></item>"
        for n in range(3000)
    )
    feed = tmp_path / "feed.rss"
    feed.write_text(
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>x</title>'
        f"{items}</channel></rss>",
        encoding="utf-8",
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "wire.ingest.entry", "parse", str(feed), "--format", "rss"],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()  # the reader is gone, as `head -1` after its line
    stderr = proc.stderr.read().decode()
    code = proc.wait(timeout=120)
    assert b"urn:a:0" in first
    assert code == 141
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr


def _config(tmp_path: Path, name: str, feed: Path, *, second: bool = False) -> Path:
    """A configuration with a store of its own (``name``) over ``feed`` (and a source that
    rejects one item of the same feed under another name, with ``second``)."""
    config = tmp_path / f"{name}.toml"
    text = (
        f'[storage]\nurl = "sqlite:///{tmp_path / name}.db"\n\n[[sources]]\nname = "a"\n'
        f'location = "{feed}"\nformat = "rss"\nsource = "sda"\n'
    )
    if second:
        text += f'\n[[sources]]\nname = "b"\nlocation = "{feed}"\nformat = "rss"\n'
    config.write_text(text, encoding="utf-8")
    return config


def _without_time(result: tuple[int, str, str]) -> tuple[int, str, str]:
    """The run's table has the wall-clock time in its title."""
    code, out, err = result
    return code, re.sub(r"\(\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\)", "(TIME)", out), err


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--once", "--config", "{config}"], 0),
        (["--once", "-c", "{config}", "--strict"], 1),  # an item is rejected
        (["--strict", "--config={config}", "--once", "-s", "a", "--source", "b"], 1),
        (["--once", "--config", "{config}", "--source", "nope"], 2),
        (["--once", "--config", "/nonexistent/config.toml"], 2),
    ],
)
def test_plain_run_once_says_what_the_full_command_line_says(
    tmp_path: Path, args: list[str], code: int
) -> None:
    """The same table, messages and exit code, and the same rows stored, through either
    path."""
    feed = tmp_path / "feed.rss"
    feed.write_text(FEED, encoding="utf-8")
    results = []
    for name, module in (("lean", "wire.ingest.entry"), ("full", "wire.ingest.cli")):
        config = _config(tmp_path, name, feed, second=True)
        argv = ["run", *(a.format(config=config) for a in args)]
        if name == "lean":
            assert plain_run_once_args(argv[1:]) is not None  # the lean path is under test
        results.append(_without_time(_run(module, argv)))
    lean, full = results
    assert lean == full
    assert lean[0] == code
    if code != 2:
        assert "wire run --once (TIME)" in lean[1]
        assert _rows(tmp_path / "lean.db") == _rows(tmp_path / "full.db") != []


def _rows(path: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as con:
        return sorted(con.execute("SELECT id, guid, headline, body_text, version FROM articles"))


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--config", "c.toml"],  # the daemon
        ["--once", "--once"],
        ["--once", "--config", "a", "--config", "b"],
        ["--once", "--config"],
        ["--once", "-c=a"],
        ["--once", "--source", ""],
        ["--once", "--source", "-x"],
        ["--once", "--help"],
        ["--once", "extra"],
    ],
)
def test_anything_but_a_plain_run_once_goes_to_the_full_command_line(args: list[str]) -> None:
    assert plain_run_once_args(args) is None


def test_plain_run_once_arguments_are_read() -> None:
    assert plain_run_once_args(["--once"]) == RunOnceArgs()
    assert plain_run_once_args(
        ["-s", "a", "--once", "--source=b", "-c", "x.toml", "--strict"]
    ) == RunOnceArgs(config="x.toml", sources=["a", "b"], strict=True)


def test_plain_run_once_starts_without_typer_and_pydantic(tmp_path: Path) -> None:
    feed = tmp_path / "feed.rss"
    feed.write_text(FEED, encoding="utf-8")
    config = _config(tmp_path, "lean", feed)
    probe = (
        "import atexit, runpy, sys\n"
        "atexit.register(lambda: print('MODULES', *sorted({m.split('.')[0] for m in sys.modules}"
        " & {'typer', 'pydantic', 'click'}), file=sys.stderr))\n"
        f"sys.argv = ['wire', 'run', '--once', '--config', {str(config)!r}]\n"
        "runpy.run_module('wire.ingest.entry', run_name='__main__')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "MODULES\n" in done.stderr  # none of them
