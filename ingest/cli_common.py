"""What every ``wire`` command shares: the ``--config`` option, the consoles, opening the
configuration and the store. The command modules (``wire.ingest.cli``, ``dedup_cli``,
``ops_cli``, ``wire.api.cli``) import this, never each other, except the app that gathers them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.progress import Progress as RichProgress

from wire.config import Config, load_config
from wire.progress import Progress, Step

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
    from wire.storage.db import Database  # lazy, for speed: `wire parse` needs no SQLAlchemy

    return Database(config.storage.url, must_exist=must_exist)


@contextmanager
def progress_bar(description: str) -> Iterator[Progress]:
    """A progress callback that draws a bar on stderr when it is a terminal (else silent)."""
    if not err.is_terminal:
        yield lambda step: None
        return
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[item]}", style="dim"),
    )
    with RichProgress(*columns, console=err, transient=True) as bar:
        task = bar.add_task(description, total=None, item="")

        def update(step: Step) -> None:
            bar.update(task, completed=step.done, total=step.total, item=step.item)

        yield update
