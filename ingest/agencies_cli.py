"""``wire agencies``: the agency registry (packaged plus config.toml), or the unresolved names
the store has seen."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from wire.config import load_config
from wire.normalise.agencies import registry

ConfigOpt = Annotated[
    Path | None,
    typer.Option("--config", "-c", help="Config file (default: ./config.toml if present)."),
]


def registry_rows(config_path: Path | None) -> list[dict[str, Any]]:
    """One dict per registered agency or producer, in registry order."""
    reg = registry(load_config(config_path).agencies)
    return [
        {
            "code": a.code,
            "name": a.name,
            "kind": a.kind,
            "country": a.country,
            "names": a.names,
            "aliases": list(a.aliases),
            "credits": list(a.credits),
            "domains": list(a.domains),
            "qcodes": list(a.qcodes),
        }
        for a in reg.agencies.values()
    ]


def unresolved_rows(config_path: Path | None) -> list[dict[str, Any]]:
    """Names stored under an unresolved code, with the number of articles naming each."""
    # Lazy, for speed: SQLAlchemy loads only for --unresolved.
    from wire.storage.agencies import unresolved_names
    from wire.storage.db import Database

    with Database(load_config(config_path).storage.url) as db, db.session() as session:
        names = unresolved_names(session)
    return [{"code": n.code, "name": n.name, "articles": n.articles} for n in names]


def agencies(
    config: ConfigOpt = None,
    unresolved: Annotated[
        bool, typer.Option("--unresolved", help="Names seen in the store but not resolved.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines instead of a table.")] = False,
) -> None:
    """The agency registry, or (--unresolved) the names it did not resolve, with counts.

    Example: wire agencies --unresolved --config config.toml
    """
    rows = unresolved_rows(config) if unresolved else registry_rows(config)
    if as_json:
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    if unresolved:
        table = Table(title=f"unresolved agency names ({len(rows)})")
        for col in ("articles", "code", "name"):
            table.add_column(col, justify="right" if col == "articles" else "left")
        for r in rows:
            table.add_row(str(r["articles"]), r["code"], r["name"])
    else:
        table = Table(title=f"agency registry ({len(rows)})")
        for col in ("code", "name", "kind", "country", "qcodes", "domains"):
            table.add_column(col)
        for r in rows:
            table.add_row(
                r["code"],
                r["name"],
                r["kind"],
                r["country"] or "",
                " ".join(r["qcodes"]),
                " ".join(r["domains"]),
            )
    Console().print(table)


def register(app: typer.Typer) -> None:
    """Add ``wire agencies`` to the command line."""
    app.command("agencies")(agencies)
