"""``wire run --once``'s work: poll the configured sources once, print what came of it.

Apart from the typer command line (``wire.ingest.cli``), like ``wire parse``'s work
(``wire.ingest.parse_command``), so the lean entry point (``wire.ingest.entry``) runs a
plain ``wire run --once`` without typer and pydantic (about 0.1 s of CPU before the first
source is read); the full command line's ``run --once`` calls the same function.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from rich.table import Table

from wire.config import Config, SourceConfig
from wire.errors import ConfigError
from wire.ingest.collector import batch_collections
from wire.ingest.consoles import err, open_config, open_db, out, progress_bar


def chosen_sources(config: Config, only: Sequence[str] | None) -> list[SourceConfig]:
    """The enabled sources, or those named in ``only``; a name no source has is a mistake
    (ConfigError)."""
    sources = [s for s in config.sources if s.enabled and (not only or s.name in only)]
    if only:
        missing = sorted(set(only) - {s.name for s in config.sources})
        if missing:
            raise ConfigError(f"no source named {missing[0]!r} in the configuration")
    return sources


def run_once_command(
    config_path: Path | None, only: Sequence[str] | None = None, strict: bool = False
) -> int:
    """Poll ``config_path``'s sources (those named in ``only``) once and print a table of
    the results; returns the exit code: 1 when a source failed (or, ``strict``, an item was
    rejected), else 0. A mistake in the configuration or the names raises ConfigError."""
    cfg = open_config(config_path)
    sources = chosen_sources(cfg, only)
    if not sources:
        raise ConfigError("the configuration has no enabled sources ([[sources]])")
    return poll_once(cfg, sources, strict)


def poll_once(cfg: Config, sources: list[SourceConfig], strict: bool) -> int:
    """One pass over ``sources``, with the parse worker when one pays, and its table."""
    # Lazy, as the runner below: the command line imports this module for every command,
    # and the sidecar brings the adapters and normalisation (~70 ms).
    from wire.ingest.sidecar import start_for

    # The parse worker starts first: its start runs beside the imports of the store and the
    # clusterer (wire.ingest.sidecar).
    sidecar = start_for(cfg, sources)
    from wire.ingest.runner import run_once  # lazy: SQLAlchemy, the clusterer

    batch_collections()

    def skipped(name: str, owner: str) -> None:
        err.print(f"{name}: skipped, a running daemon holds its lease ({owner})", markup=False)

    try:
        with open_db(cfg, must_exist=False) as db, progress_bar("polling sources") as progress:
            results = run_once(
                db, cfg, sources, on_skip=skipped, progress=progress, sidecar=sidecar
            )
    finally:
        if sidecar is not None:
            sidecar.stop()
    table = Table(title=f"wire run --once ({datetime.now(UTC):%Y-%m-%d %H:%M:%SZ})")
    for col in ("source", "new", "updated", "unchanged", "rejected", "errors"):
        table.add_column(col, justify="left" if col == "source" else "right")
    failed = False
    for name, stats in results.items():
        table.add_row(
            name,
            str(stats.new),
            str(stats.updated),
            str(stats.unchanged),
            str(stats.rejected),
            str(stats.errors),
        )
        # Rejects are the data's fault and were filed cleanly: they fail the run only --strict.
        failed = failed or bool(stats.errors or (strict and stats.rejected))
    out.print(table)
    for name, stats in results.items():
        for msg in dict.fromkeys(stats.messages):
            err.print(f"{name}: {msg}", markup=False, highlight=False)
    return 1 if failed else 0
