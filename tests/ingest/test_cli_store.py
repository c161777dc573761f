"""A missing or unreachable store is one sentence and exit 2, never a traceback or a new file.

Run as subprocesses, exactly as an operator runs them (``python -m wire.ingest.cli``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEED

UNREACHABLE = "postgresql://wire:s3cret@127.0.0.1:9/wire"  # nothing listens on port 9
READ_COMMANDS = [
    ["search", "Lukaschenko"],
    ["show", "3f2a9c"],
    ["clusters"],
    ["sources"],
    ["dedup", "rebuild"],
    ["serve", "--port", "0"],
    ["publish", "--once"],
    ["publish", "--replay"],
]


def wire(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k != "WIRE_DATABASE_URL"}
    environ.update(PYTHONPATH=str(ROOT), **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "wire.ingest.cli", *args],
        cwd=cwd,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def one_sentence(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_read_commands_where_there_is_no_store_create_none(tmp_path: Path) -> None:
    for args in READ_COMMANDS:
        message = one_sentence(wire(tmp_path, *args))
        assert message.startswith(f"error: no store at {tmp_path / 'wire.db'}"), (args, message)
        assert list(tmp_path.iterdir()) == [], args  # no empty wire.db left behind


def test_read_commands_with_a_config_pointing_at_a_missing_store(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[storage]\nurl = "sqlite:///data/store.db"\n', encoding="utf-8")
    message = one_sentence(wire(tmp_path, "search", "Putin", "--config", str(config)))
    assert message.startswith(f"error: no store at {tmp_path / 'data' / 'store.db'}")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.toml"]


@pytest.mark.parametrize(
    "args",
    [*READ_COMMANDS, ["run", "--once"], ["run"]],
    ids=lambda a: "-".join(a),
)
def test_an_unreachable_database_is_one_sentence_and_exit_2(
    tmp_path: Path, args: list[str]
) -> None:
    config = tmp_path / "config.toml"
    folder = tmp_path / "drop"
    folder.mkdir()
    config.write_text(
        f'[storage]\nurl = "{UNREACHABLE}"\n\n'
        f'[[sources]]\nname = "drop"\nlocation = "{folder}"\nkind = "folder"\nformat = "text"\n',
        encoding="utf-8",
    )
    message = one_sentence(wire(tmp_path, *args, "--config", str(config)))
    assert message.startswith("error: the database at postgresql://wire:***@127.0.0.1:9/wire")
    assert "cannot be reached" in message and "s3cret" not in message


def test_run_once_still_creates_the_store(tmp_path: Path) -> None:
    folder = tmp_path / "drop"
    folder.mkdir()
    (folder / SEED.name).write_bytes(SEED.read_bytes())
    settled = time.time() - 60  # drop-folder files are read once they have settled
    os.utime(folder / SEED.name, (settled, settled))
    (tmp_path / "config.toml").write_text(
        f'[[sources]]\nname = "drop"\nlocation = "{folder}"\nkind = "folder"\nformat = "text"\n'
        'source = "keystone-sda"\n',
        encoding="utf-8",
    )
    result = wire(tmp_path, "run", "--once")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "wire.db").is_file()
    found = wire(tmp_path, "search", "Lukaschenko", "--json")
    assert found.returncode == 0 and "Lukaschenko" in found.stdout
