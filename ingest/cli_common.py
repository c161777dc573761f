"""What every ``wire`` command shares: the ``--config`` option, the consoles, opening the
configuration and the store. The command modules (``wire.ingest.cli``, ``dedup_cli``,
``ops_cli``, ``wire.api.cli``) import this, never each other, except the app that gathers them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from wire.config import Config, load_config

if TYPE_CHECKING:
    from wire.storage.db import Database

ConfigOpt = Annotated[
    Path | None,
    typer.Option("--config", "-c", help="Config file (default: ./config.toml if present)."),
]
out = Console()
err = Console(stderr=True)


def open_config(path: Path | None) -> Config:
    return load_config(path)


def open_db(config: Config, *, must_exist: bool = True) -> Database:
    """The configured store; read commands never create one ("no store at ...")."""
    from wire.storage.db import Database  # imported when used: `wire parse` needs no database

    return Database(config.storage.url, must_exist=must_exist)
