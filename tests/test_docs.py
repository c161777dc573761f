"""The README documents every configuration key and every CLI command."""

from __future__ import annotations

import re
from dataclasses import fields

import pytest

from tests.conftest import ROOT
from wire.config import SECTIONS, AgencyConfig, SourceConfig
from wire.ingest.cli import app

README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("section", "key"),
    [(name, f.name) for name, cls in SECTIONS.items() for f in fields(cls)]
    + [("sources", f.name) for f in fields(SourceConfig)]
    + [("agencies", f.name) for f in fields(AgencyConfig)],
)
def test_every_config_key_is_documented(section: str, key: str) -> None:
    assert re.search(rf"^{re.escape(key)}\s*=", README, re.MULTILINE), (
        f"[{section}].{key} is not in the README's configuration reference"
    )


def _commands() -> list[str]:
    import typer.main

    group = typer.main.get_command(app)
    names: list[str] = []
    for name, cmd in group.commands.items():  # type: ignore[attr-defined]
        subs = getattr(cmd, "commands", None)
        names.extend(f"{name} {sub}" for sub in subs) if subs else names.append(name)
    return names


@pytest.mark.parametrize("command", _commands())
def test_every_command_is_documented_with_an_example(command: str) -> None:
    assert f"`wire {command}" in README, f"`wire {command}` is not in the README's CLI reference"
