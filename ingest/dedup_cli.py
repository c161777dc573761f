"""``wire clusters`` and ``wire dedup rebuild``: story clusters on the command line.

``register(app)`` adds the commands to the ``wire`` typer app. Helpers from ``wire.ingest.cli`` are
imported inside the commands, so this module can be imported by ``wire.ingest.cli`` itself.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer

from wire.errors import ConfigError

ConfigOpt = Annotated[
    Path | None,
    typer.Option("--config", "-c", help="Config file (default: ./config.toml if present)."),
]
_AGO = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$", re.IGNORECASE)
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}

dedup_app = typer.Typer(help="Near-duplicate detection: signatures and story clusters.")


def parse_since(value: str, now: datetime | None = None) -> datetime:
    """A time from "2h", "30m", "1d", "1w" (ago) or ISO 8601 (UTC when it has no zone)."""
    now = now or datetime.now(UTC)
    m = _AGO.match(value)
    if m:
        return now - timedelta(**{_UNITS[m[2].lower()]: float(m[1])})
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ConfigError(
            f"--since {value!r} is neither a duration (2h, 30m, 1d, 1w) nor an ISO date"
        ) from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def clusters(
    since: Annotated[
        str, typer.Option(help="Clusters changed since: 2h, 1d, 1w or an ISO date/time.")
    ] = "1d",
    language: Annotated[str | None, typer.Option(help="Only clusters in this language.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10000, help="Most clusters.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines instead of a table.")] = False,
    config: ConfigOpt = None,
) -> None:
    """Recent story clusters: size, agencies and the first story's headline, newest first.

    Example: wire clusters --since 2h
    """
    from rich.table import Table

    from wire.ingest.cli import open_config, open_db, out
    from wire.storage.clusters import recent_clusters

    start = parse_since(since)
    db = open_db(open_config(config))
    with db.reader() as session:
        found = recent_clusters(session, since=start, limit=limit, language=language)
    if as_json:
        for c in found:
            sys.stdout.write(json.dumps(c.to_dict(), ensure_ascii=False) + "\n")
        return
    table = Table(title=f"clusters since {start:%Y-%m-%d %H:%M}Z")
    for col in ("cluster", "updated", "lang", "size"):  # ids stay whole: `wire show ID`
        table.add_column(col, justify="right" if col == "size" else "left", no_wrap=True)
    table.add_column("agencies", overflow="fold")
    table.add_column("headline", ratio=1)
    for c in found:
        table.add_row(
            c.id,
            f"{c.updated_at:%m-%d %H:%M}",
            c.language or "",
            str(c.size),
            "/".join(c.agencies),
            c.headline,
        )
    out.print(table)
    if not found:
        from wire.ingest.cli import err

        err.print(f"no cluster changed since {start:%Y-%m-%d %H:%M}Z", markup=False)


@dedup_app.command("rebuild")
def rebuild_command(config: ConfigOpt = None) -> None:
    """Recompute every signature and cluster from the stored articles.

    Run it after changing [dedup] (threshold, shingle_size, num_perm, ...), then restart
    running daemons. Example: wire dedup rebuild --config config.toml
    """
    from wire.ingest.cli import open_config, open_db, out, progress_bar
    from wire.ingest.dedup import rebuild
    from wire.progress import Step
    from wire.storage.reads import count_articles

    cfg = open_config(config)
    db = open_db(cfg)
    with db.reader() as session:
        total = count_articles(session)
    with progress_bar("signing and clustering") as progress:
        stats = rebuild(db, cfg.dedup, progress=lambda n: progress(Step(n, total, "articles")))
    out.print(
        f"{stats.articles} articles: {stats.signed} signed, {stats.unsigned} too short, tables "
        f"or not usable; {stats.clusters} clusters with {stats.clustered} articles "
        f"({stats.seconds:.1f}s)",
        highlight=False,
        soft_wrap=True,
    )


def register(app: typer.Typer) -> None:
    """Add ``wire clusters`` and ``wire dedup rebuild`` to the app."""
    app.command("clusters")(clusters)
    app.add_typer(dedup_app, name="dedup")
