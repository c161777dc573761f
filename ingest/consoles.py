"""The consoles, the configuration and the store as every ``wire`` command opens them,
without the command line (typer): the lean entry point (``wire.ingest.entry``) runs
``wire parse`` and ``wire run --once`` with these alone; ``wire.ingest.cli_common`` gives
them to the typer commands."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console

from wire.config import Config, load_config
from wire.progress import Progress, Step

if TYPE_CHECKING:
    from wire.storage.db import Database

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
    # lazy: rich's progress bar (~10 ms of imports) only where it is drawn
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )
    from rich.progress import Progress as RichProgress

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
