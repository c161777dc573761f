"""``wire clusters`` and ``wire dedup rebuild``: story clusters on the command line.

``register(app)`` adds the commands to the ``wire`` typer app (``wire.ingest.cli``).
"""

from __future__ import annotations

import json
import re
import sys
from datetime import UTC, datetime, timedelta
from typing import Annotated

import typer
from rich.table import Table

from wire.errors import ConfigError
from wire.ingest.cli_common import ConfigOpt, err, open_config, open_db, out, progress_bar
from wire.progress import Step
from wire.record import parse_iso

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
        return parse_iso(value)
    except ValueError:
        raise ConfigError(
            f"--since {value!r} is neither a duration (2h, 30m, 1d, 1w) nor an ISO date"
        ) from None


def clusters(
    since: Annotated[
        str, typer.Option(help="Clusters changed since: 2h, 1d, 1w or an ISO date/time.")
    ] = "1d",
    language: Annotated[str | None, typer.Option(help="Only clusters in this language.")] = None,
    agency: Annotated[
        str | None, typer.Option(help="Only clusters with a member from this agency.")
    ] = None,
    min_size: Annotated[int, typer.Option(min=0, help="Only clusters this large.")] = 2,
    limit: Annotated[int, typer.Option(min=1, max=10000, help="Most clusters.")] = 50,
    explain: Annotated[
        str | None,
        typer.Option(help="One cluster: why each member joined (similarity, shared facts)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines instead of a table.")] = False,
    config: ConfigOpt = None,
) -> None:
    """Recent story clusters: size, agencies and the first story's headline, newest first.

    Example: wire clusters --since 2h ; wire clusters --explain 3f9c0a1b2c3d4e5f6a7b8c9d
    """
    from wire.ingest.matching import describe  # lazy, for speed: numpy
    from wire.storage.clusters import explain_cluster, list_clusters  # lazy: SQLAlchemy

    cfg = open_config(config)
    if explain is not None:
        with open_db(cfg) as db, db.reader() as session:
            summary = explain_cluster(session, explain)
        if summary is None:
            err.print(f"no cluster with id {explain!r}", markup=False)
            raise typer.Exit(1)
        data = summary.to_dict()
        for m in data["members"]:
            m["why"] = describe(m["reason"])
        if as_json:
            sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
            return
        out.print(f"cluster {summary.id} ({summary.language or '?'}, {summary.size} members)",
                  highlight=False)  # fmt: skip
        for m in data["members"]:
            out.print(f"- {m['id']} [{m['source'] or ''}] {m['headline']}", highlight=False,
                      markup=False, soft_wrap=True)  # fmt: skip
            out.print(f"    matched {m['matched'] or '-'}: {m['why']}", highlight=False,
                      markup=False, soft_wrap=True)  # fmt: skip
        for c in data.get("corrections") or []:
            what = (f"split {c['article_id']} out" if c["kind"] == "split"
                    else f"merged {c['cluster_id']} into {c['into_cluster_id']}")  # fmt: skip
            out.print(f"  correction: {what} ({c['editor'] or 'editor'}, {c['at']})",
                      highlight=False, markup=False)  # fmt: skip
        return
    start = parse_since(since)
    with open_db(cfg) as db, db.reader() as session:
        found = list_clusters(session, since=start, limit=limit, language=language,
                              agency=agency, min_size=min_size)  # fmt: skip
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
        err.print(f"no cluster changed since {start:%Y-%m-%d %H:%M}Z", markup=False)


@dedup_app.command("split")
def split_command(
    article_id: Annotated[str, typer.Argument(help="The member to take out of its cluster.")],
    editor: Annotated[str | None, typer.Option(help="Who made the correction.")] = None,
    config: ConfigOpt = None,
) -> None:
    """Take an article out of its story cluster, for good (kept by rebuild and new arrivals).

    Example: wire dedup split 3f9c0a1b2c3d4e5f6a7b8c9d --editor desk
    """
    from wire.storage.clusters import CorrectionError, split_member  # lazy: SQLAlchemy

    try:
        with open_db(open_config(config)) as db, db.session() as session:
            left = split_member(session, article_id, editor=editor)
    except CorrectionError as e:
        err.print(str(e), markup=False)
        raise typer.Exit(1) from None
    out.print(f"{article_id} split out of cluster {left}", highlight=False)


@dedup_app.command("merge")
def merge_command(
    cluster_id: Annotated[str, typer.Argument(help="The cluster whose members move.")],
    into: Annotated[str, typer.Argument(help="The cluster they join.")],
    editor: Annotated[str | None, typer.Option(help="Who made the correction.")] = None,
    config: ConfigOpt = None,
) -> None:
    """Make one story cluster of two (kept by rebuild and new arrivals).

    Example: wire dedup merge 3f9c0a1b2c3d4e5f6a7b8c9d 0a1b2c3d4e5f6a7b8c9d3f9c --editor desk
    """
    from wire.storage.clusters import CorrectionError, merge_clusters  # lazy: SQLAlchemy

    try:
        with open_db(open_config(config)) as db, db.session() as session:
            size = merge_clusters(session, cluster_id, into, editor=editor)
    except CorrectionError as e:
        err.print(str(e), markup=False)
        raise typer.Exit(1) from None
    out.print(f"cluster {cluster_id} merged into {into} ({size} members)", highlight=False)


@dedup_app.command("rebuild")
def rebuild_command(config: ConfigOpt = None) -> None:
    """Recompute every signature and cluster from the stored articles.

    Run it after changing [dedup] (threshold, shingle_size, num_perm, ...), then restart
    running daemons. Example: wire dedup rebuild --config config.toml
    """
    from wire.ingest.dedup import rebuild  # lazy, for speed: datasketch, scipy, SQLAlchemy
    from wire.storage.reads import count_articles  # lazy, for speed: SQLAlchemy

    cfg = open_config(config)
    with open_db(cfg) as db:
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
