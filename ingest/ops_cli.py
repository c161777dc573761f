"""``wire sources``: every configured source's health as the daemons recorded it."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from wire.config import load_config
from wire.ingest.cli_common import ConfigOpt


def _ago(when: datetime | None, now: datetime) -> str:
    if when is None:
        return "never"
    secs = (now - when).total_seconds()
    future = secs < 0
    secs = abs(secs)
    if secs < 90:
        text = f"{secs:.0f}s"
    elif secs < 5400:
        text = f"{secs / 60:.0f}m"
    elif secs < 172800:
        text = f"{secs / 3600:.0f}h"
    else:
        text = f"{secs / 86400:.0f}d"
    return f"in {text}" if future else f"{text} ago"


def source_rows(config_path: Path | None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """One dict per configured source (health from the database) and the live daemons."""
    # Lazy, for speed: SQLAlchemy loads only when a command uses the store.
    from wire.storage.db import Database
    from wire.storage.health import list_sources, source_status
    from wire.storage.leases import live_daemons

    config = load_config(config_path)
    with Database(config.storage.url, must_exist=True) as db:
        health = {row.name: row for row in list_sources(db)}
        daemons = live_daemons(db, config.daemon.lease_seconds)
    now = datetime.now(UTC)
    rows = []
    for s in config.sources:
        f = health.get(s.name)
        leased = f is not None and f.lease_expires is not None and f.lease_expires > now
        state = source_status(f) if s.enabled else "disabled"
        rows.append(
            {
                "name": s.name,
                "kind": s.kind,
                "location": s.location,
                "state": state,
                "consecutive_failures": f.consecutive_failures if f else 0,
                "last_attempt": f.last_attempt if f else None,
                "last_success": f.last_success if f else None,
                "next_poll": f.next_poll if f else None,
                "items_last_seen": f.items_last_seen if f else 0,
                "last_duration": f.last_duration if f else None,
                "last_error": f.last_error if f else None,
                "last_reject": f.last_reject if f else None,
                "lease_owner": f.lease_owner if f and leased else None,
                "etag": f.etag if f else None,
                "last_modified": f.last_modified if f else None,
                "poll_interval": f.poll_interval if f else None,
                "item_rate": f.item_rate if f else None,
                "source_hint": f.source_hint if f else None,
                "latency": f.latency if f else None,
            }
        )
    return rows, daemons


def sources(
    config: ConfigOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines instead of a table.")] = False,
) -> None:
    """Health of every configured source: last attempt and success, errors, next poll, owner.

    Example: wire sources --config config.toml
    """
    rows, daemons = source_rows(config)
    if as_json:
        for row in rows:
            out = {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in row.items()}
            sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        return
    now = datetime.now(UTC)
    table = Table(title=f"wire sources ({len(daemons)} daemon(s) running)")
    for col in ("source", "kind", "state", "fails", "last attempt", "last success", "next poll",
                "interval", "latency", "items", "owner", "last error"):  # fmt: skip
        right = col in ("fails", "items", "interval", "latency")
        table.add_column(col, justify="right" if right else "left")
    for r in rows:
        style = {
            "failing": "red",
            "erroring": "yellow",
            "rejecting": "yellow",
            "disabled": "dim",
        }.get(r["state"])
        table.add_row(
            r["name"],
            r["kind"],
            r["state"],
            str(r["consecutive_failures"]),
            _ago(r["last_attempt"], now),
            _ago(r["last_success"], now),
            _ago(r["next_poll"], now) if r["next_poll"] else "",
            _seconds(r["poll_interval"]),
            _seconds(r["latency"]),
            str(r["items_last_seen"]),
            r["lease_owner"] or "",
            (r["last_error"] or r["last_reject"] or "")[:80],
            style=style,
        )
    Console().print(table)


def _seconds(value: float | None) -> str:
    """``42 s``, ``5.0 min``, ``2.0 h``: an interval or a latency at a glance."""
    if value is None:
        return ""
    if value < 120:
        return f"{value:.3g} s"
    if value < 7200:
        return f"{value / 60:.1f} min"
    return f"{value / 3600:.1f} h"


def register(app: typer.Typer) -> None:
    """Add ``wire sources`` to the command line."""
    app.command("sources")(sources)
