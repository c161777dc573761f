"""``wire purge``: remove what retention no longer lets us keep ([retention], per source)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from wire.config import load_config
from wire.errors import ConfigError

ConfigOpt = Annotated[
    Path | None,
    typer.Option("--config", "-c", help="Config file (default: ./config.toml if present)."),
]


def purge(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print what would go; remove nothing.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="The report as JSON.")] = False,
    batch_size: Annotated[
        int | None,
        typer.Option(
            "--batch-size",
            help="Rows per transaction (default: [retention].batch_size).",
            show_default=False,
        ),
    ] = None,
    config: ConfigOpt = None,
) -> None:
    """Remove articles, versions, raw payloads and rejects past retention; killed stories'
    text after [retention].killed_text_days. Purged articles leave a tombstone and a
    'purge' change on the feed. Each batch of rows is its own transaction, so a stopped run
    keeps what it removed and the next run takes up the rest.

    Example: wire purge --dry-run
    """
    # Lazy, for speed: SQLAlchemy loads only when a command uses the store.
    from wire.storage.db import Database
    from wire.storage.retention import RetentionRules, purge_in_batches
    from wire.storage.retention import purge as run_purge

    cfg = load_config(config)
    rules = RetentionRules.from_config(cfg)
    if not rules.active:
        raise ConfigError(
            "no retention is configured: set [retention].days, [retention.agencies], "
            "[retention].killed_text_days or a source's retention_days"
        )
    size = batch_size if batch_size is not None else cfg.retention.batch_size
    if size < 1:
        raise ConfigError(f"the batch size must be at least 1, not {size}")
    with Database(cfg.storage.url) as db:
        if dry_run:
            with db.reader() as session:
                report = run_purge(session, rules, dry_run=True)
        else:  # a transaction per batch: a stopped run is taken up by the next one
            report = purge_in_batches(db, rules, batch_size=size)
    if as_json:
        sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")
        return
    out = Console()
    verb = "would remove" if dry_run else "removed"
    table = Table(title=f"articles past retention ({verb} {len(report.articles)})")
    for col in ("id", "feed", "agencies", "ingested", "headline"):
        table.add_column(col, no_wrap=col == "id")
    for a in report.articles:
        table.add_row(a["id"], a["feed"], "/".join(a["agencies"]), a["ingested_at"] or "",
                      a["headline"])  # fmt: skip
    if report.articles:
        out.print(table)
    out.print(
        f"{verb}: {len(report.articles)} articles, {report.raw_items} raw payloads, "
        f"{report.rejects} rejects; killed text of {len(report.killed_texts)} articles",
        highlight=False,
    )


def register(app: typer.Typer) -> None:
    app.command("purge")(purge)
