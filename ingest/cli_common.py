"""What every ``wire`` command shares: the ``--config`` option, the consoles, opening the
configuration and the store. The command modules (``wire.ingest.cli``, ``dedup_cli``,
``ops_cli``, ``wire.api.cli``) import this, never each other, except the app that gathers them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

# Re-exported: the command modules take them from here.
from wire.ingest.consoles import err, open_config, open_db, out, progress_bar

__all__ = ["ConfigOpt", "err", "open_config", "open_db", "out", "progress_bar"]

ConfigOpt = Annotated[
    Path | None,
    typer.Option("--config", "-c", help="Config file (default: ./config.toml if present)."),
]
