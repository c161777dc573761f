"""The ``wire`` command line: a thin layer over the pipeline and the query layer.

Every command opens what it needs, calls one function and turns a user's mistake into one
sentence on stderr with exit code 2.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, cast

import typer
from rich.table import Table
from typer.core import TyperArgument, TyperOption

from wire.api.cli import register as register_api
from wire.errors import ConfigError, QueryError, WireError
from wire.ingest.agencies_cli import register as register_agencies
from wire.ingest.cli_common import ConfigOpt, err, open_config, open_db, out
from wire.ingest.dedup_cli import register as register_dedup
from wire.ingest.ops_cli import register as register_ops
from wire.ingest.purge_cli import register as register_purge
from wire.ingest.run_once_command import chosen_sources, poll_once  # also entry's lean path
from wire.storage.search.language import QuerySyntaxError

if TYPE_CHECKING:
    from wire.storage.visibility import Viewer


def _help_without_type_placeholders() -> None:
    """Typer prints each parameter's type in ``--help`` (``<bool>`` beside every flag,
    ``<path>``, ``<int>``); wire's help texts say what a value is, so the column shows an
    explicit ``metavar`` only."""

    def declared_metavar(self: Any, ctx: Any) -> str | None:
        return cast(str | None, self.metavar)

    def nothing(self: Any, ctx: Any) -> None:  # an argument's name column shows its metavar
        return None

    TyperOption.display_type_rich = declared_metavar  # type: ignore[method-assign]
    TyperArgument.display_type_rich = nothing  # type: ignore[method-assign]


_help_without_type_placeholders()
app = typer.Typer(
    help="wire: ingest wire-agency feeds into one canonical article store.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
AuditOpt = Annotated[
    bool,
    typer.Option(
        "--audit", help="Also stories under embargo, and killed text (for the legal desk)."
    ),
]


@app.command()
def parse(
    path: Annotated[
        Path, typer.Argument(metavar="PATH", help="A payload file or a folder of them.")
    ],
    format: Annotated[str, typer.Option("--format", "-f", help="auto or a format name.")] = "auto",
    source: Annotated[
        str | None, typer.Option(help="Agency code to assume when items do not say.")
    ] = None,
    language: Annotated[str | None, typer.Option(help="Language to assume.")] = None,
    timezone: Annotated[str, typer.Option(help="Time zone of naive times.")] = "Europe/Zurich",
) -> None:
    """Print canonical records as JSON lines, without a database.

    Example: wire parse samples/seed-nau-lukaschenko.txt --format text
    """
    # The work lives in wire.ingest.parse_command, which wire.ingest.entry also runs for a
    # plain `wire parse` without loading this command line.
    from wire.ingest.parse_command import run_parse

    code = run_parse(path, format, source, language, timezone)
    if code:
        raise typer.Exit(code)


@app.command()
def run(
    once: Annotated[bool, typer.Option("--once", help="Poll every source once and exit.")] = False,
    config: ConfigOpt = None,
    only: Annotated[
        list[str] | None, typer.Option("--source", "-s", help="Only this source (repeatable).")
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="With --once: exit 1 when an item was rejected too.")
    ] = False,
) -> None:
    """Ingest every configured source: once (--once), or as a daemon on a schedule.

    Example: wire run --once --config config.toml
    """
    cfg = open_config(config)
    sources = chosen_sources(cfg, only)
    if not once:
        from wire.ingest.daemon import run_daemon  # lazy: httpx, SQLAlchemy, APScheduler...

        raise typer.Exit(run_daemon(cfg, [s.name for s in sources]))
    if not sources:
        raise ConfigError("the configuration has no enabled sources ([[sources]])")
    if poll_once(cfg, sources, strict):
        raise typer.Exit(1)


WIDE_COLUMNS = 120  # from this terminal width on, `wire search` shows every column


@app.command()
def search(
    query: Annotated[
        str,
        typer.Argument(
            metavar="QUERY",
            help='Words (all must match), "phrases", prefix*, OR, NOT or -word, (groups).',
        ),
    ],
    agency: Annotated[
        list[str] | None, typer.Option(help="Agency code or name, any case (repeatable).")
    ] = None,
    language: Annotated[
        list[str] | None, typer.Option("--language", "-l", help="Language code (repeatable).")
    ] = None,
    subject: Annotated[
        list[str] | None, typer.Option(help="Subject code or name (repeatable).")
    ] = None,
    item_type: Annotated[
        list[str] | None,
        typer.Option("--type", help="text, picture or graphic (repeatable)."),
    ] = None,
    pubstatus: Annotated[
        list[str] | None,
        typer.Option(help="usable (the default), withheld, canceled or all (repeatable)."),
    ] = None,
    urgency: Annotated[
        int | None,
        typer.Option(min=1, max=9, help="This urgency or more pressing: 1 flash, 2 urgent too."),
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="Most results.")] = 20,
    newest: Annotated[
        bool, typer.Option("--newest", help="Newest first instead of best match first.")
    ] = False,
    wide: Annotated[bool, typer.Option("--wide", help="Every column, however narrow.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines instead of a table.")] = False,
    audit: AuditOpt = False,
    config: ConfigOpt = None,
) -> None:
    """Full-text search over stored articles, best match first or --newest first (stories
    under embargo only with --audit).

    Usable stories only, unless --pubstatus asks. Query language: see the README.

    Example: wire search 'Lukaschenko -Minsk' --agency sda --language de
    """
    from wire.storage.filters import ArticleQuery  # lazy, for speed: SQLAlchemy
    from wire.storage.reads import find_records  # lazy, for speed: SQLAlchemy

    try:
        wanted = ArticleQuery(
            q=query,
            agency=tuple(agency or ()),
            language=tuple(language or ()),
            subject=tuple(subject or ()),
            type=tuple(item_type or ()),
            pubstatus=tuple(pubstatus or ()),
            urgency=urgency,
            sort="newest" if newest else None,
        )
    except QuerySyntaxError as exc:
        raise ConfigError(f"cannot read the query {query!r}: {exc}") from None
    except QueryError as exc:
        raise ConfigError(str(exc)) from None
    with open_db(open_config(config)) as db, db.reader() as session:
        records, _ = find_records(session, wanted, limit=limit, viewer=_viewer(audit))
    if as_json:
        for record in records:
            sys.stdout.write(json.dumps(_hit(record), ensure_ascii=False) + "\n")
        return
    out.print(hits_table(records, wide=wide or out.width >= WIDE_COLUMNS))
    if not records:
        err.print(f"no article matches {query!r}", markup=False)


def _hit(record: dict[str, Any]) -> dict[str, Any]:
    """One search result line of ``wire search --json``."""
    keys = ("id", "headline", "source", "agencies", "language", "pubstatus", "version")
    return {
        **{k: record.get(k) for k in keys},
        "versioncreated": record.get("versioncreated"),
        "cluster_id": record.get("cluster_id"),
    }


def hits_table(records: list[dict[str, Any]], *, wide: bool) -> Table:
    """Search results: narrow terminals get id, time and the (wrapping) headline only."""
    table = Table(expand=False)
    table.add_column("id", no_wrap=True)  # whole ids: they are what `wire show` takes
    table.add_column("time", no_wrap=True)
    minor = ("agencies", "lang", "status", "v") if wide else ()
    for col in minor:
        table.add_column(col, no_wrap=True)
    table.add_column("headline", min_width=20, ratio=1, overflow="fold")
    for r in records:
        when = (r.get("versioncreated") or "")[:16].replace("T", " ")
        extra = (
            "/".join(r["agencies"]),
            r.get("language") or "",
            r["pubstatus"],
            str(r["version"]),
        )
        table.add_row(r["id"], when, *(extra if wide else ()), r.get("headline") or "")
    return table


@app.command()
def show(
    article_id: Annotated[str, typer.Argument(metavar="ID", help="An article id.")],
    as_json: Annotated[bool, typer.Option("--json", help="The record as JSON.")] = False,
    audit: AuditOpt = False,
    config: ConfigOpt = None,
) -> None:
    """One article with its versions, images, sightings, cluster, the story it updates and
    rights (embargo, usage terms, copyright). A story under embargo is shown only with
    --audit; a killed one is its tombstone unless --audit.

    Example: wire show 3f2a9c... --json
    """
    from wire.storage.reads import get_article  # lazy, for speed: SQLAlchemy

    with open_db(open_config(config)) as db, db.reader() as session:
        data = get_article(session, article_id, _viewer(audit))
    if data is None:
        raise ConfigError(f"no article with id {article_id!r}")
    if as_json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    render_article(data)


def _viewer(audit: bool) -> Viewer:
    """Who the CLI reads as: a reader (embargo and kills apply) unless --audit."""
    from wire.storage.visibility import AUDITOR, READER  # lazy, for speed: SQLAlchemy

    return AUDITOR if audit else READER


def render_article(data: dict[str, Any]) -> None:
    """The human view of ``wire show``."""
    o = out
    o.print(
        f"[bold]{data['headline']}[/bold]"
        + (f"  [dim]({data['kicker']})[/dim]" if data.get("kicker") else "")
    )
    o.print(
        f"id {data['id']}  v{data['version']}  {data['pubstatus']}  "
        f"{'/'.join(data['agencies'])}  {data.get('language') or ''}  "
        f"{data.get('versioncreated') or ''}",
        highlight=False,
    )
    for label in (
        "type", "dateline", "byline", "url", "feed", "guid", "ednote", "embargoed", "usage_terms",
        "copyright_notice",
    ):  # fmt: skip
        if data.get(label) and data.get(label) != "text":
            o.print(f"{label}: {data[label]}", highlight=False, markup=False)
    for label in ("media", "linked_by"):
        for item in data.get(label) or []:
            o.print(f"{label}: {item['id']} {item['type']} {item['headline']}", markup=False)
    # the story this lead/update updates, and the later takes that update this one
    takes = [("updates", data["updates"])] if data.get("updates") else []
    takes += [("updated_by", item) for item in data.get("updated_by") or []]
    for label, item in takes:
        o.print(f"{label}: {item['id']} {item['headline']}", markup=False)
    if data.get("lead"):
        o.print(f"\n[italic]{data['lead']}[/italic]")
    for point in data.get("key_points") or []:
        o.print(f"  • {point}", markup=False)
    if data.get("body_text"):
        o.print("\n" + data["body_text"], markup=False)
    for img in data.get("images") or []:
        o.print(f"\n[bold]image[/bold] {img.get('href') or ''}", highlight=False)
        for key in (
            "alt", "caption", "credit", "creator", "copyright_holder", "copyright_notice",
            "usage_terms",
        ):  # fmt: skip
            if img.get(key):
                o.print(f"  {key}: {img[key]}", markup=False)
        if img.get("agencies"):
            o.print(f"  agencies: {'/'.join(img['agencies'])}", markup=False)
    if data.get("versions"):
        keys = ("version", "pubstatus", "versioncreated", "ingested_at", "headline")
        rows = (_cells(v, keys) for v in data["versions"])
        o.print(_table("versions", ("v", "status", "versioncreated", "ingested", "headline"), rows))
    if data.get("sightings"):
        keys = ("source", "feed", "guid", "url", "seen_at")
        rows = (_cells(s, keys) for s in data["sightings"])
        title = "sightings (same text, other sources)"
        o.print(_table(title, ("source", "feed", "guid", "url", "seen"), rows))
    cluster = data.get("cluster")
    if cluster:
        members = [
            {**m, "similarity": None if m.get("similarity") is None else f"{m['similarity']:.2f}"}
            for m in cluster["members"]
        ]
        columns = ("id", "source", "similarity", "matched", "headline")
        rows = (_cells(m, columns) for m in members)
        o.print(_table(f"cluster {cluster['id']}", columns, rows))


def _cells(record: dict[str, Any], keys: Sequence[str]) -> list[str]:
    """A table row: each key's value as text, empty where the record has none."""
    return ["" if record.get(k) is None else str(record[k]) for k in keys]


def _table(title: str, columns: Sequence[str], rows: Iterable[Sequence[str]]) -> Table:
    table = Table(title=title)
    for col in columns:
        table.add_column(col)
    for row in rows:
        table.add_row(*row)
    return table


# Commands that live beside the parts they drive.
register_ops(app)
register_purge(app)
register_agencies(app)
register_dedup(app)
register_api(app)


def main() -> None:
    """Entry point: user mistakes become one sentence and exit code 2, never a traceback."""
    try:
        rc = app(standalone_mode=False)
    except WireError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        sys.exit(130)
    except typer.TyperException as exc:  # click's usage errors (unknown command, bad option)
        show = getattr(exc, "show", None)
        if show is not None:
            show()
        else:
            print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)
    sys.exit(rc if isinstance(rc, int) else 0)


if __name__ == "__main__":
    main()
