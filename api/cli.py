"""CLI commands of the API and the publishers: ``wire serve``, ``wire token``, ``wire publish``.

``register(app)`` adds them to the ``wire`` Typer app (``wire.ingest.cli``).
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from wire.api.auth import SCOPES, hash_token, new_token
from wire.config import Config, load_config
from wire.errors import ConfigError
from wire.ingest.cli_common import ConfigOpt
from wire.ingest.dedup_cli import parse_since
from wire.ingest.logs import setup_logging

token_app = typer.Typer(help="API tokens: make one, and the hash to put in config.toml.")


def serve(
    config: ConfigOpt = None,
    host: Annotated[str | None, typer.Option(help="Address (default: api.host).")] = None,
    port: Annotated[
        int | None, typer.Option(min=0, max=65535, help="Port to listen on (default: api.port).")
    ] = None,
) -> None:
    """Serve the newsroom HTTP API (search, articles, clusters, sources, change feed).

    Example: wire serve --config config.toml --port 8080
    """
    # Lazy, for speed: the API loads FastAPI, uvicorn and SQLAlchemy only when it serves.
    import uvicorn

    from wire.api.app import create_app
    from wire.api.server import uvicorn_config
    from wire.storage.db import Database

    cfg: Config = load_config(config)
    app = create_app(cfg, Database(cfg.storage.url, must_exist=True))
    port = cfg.api.port if port is None else port
    uvicorn.Server(uvicorn_config(app, host or cfg.api.host, port)).run()


@token_app.command("hash")
def token_hash(
    token: Annotated[
        str | None, typer.Argument(help="The token to hash; omitted: make a new random one.")
    ] = None,
    stdin: Annotated[
        bool, typer.Option("--stdin", help="Read the token from standard input (not argv).")
    ] = False,
    name: Annotated[str, typer.Option(help="Name for the config entry.")] = "newsroom",
    scopes: Annotated[str, typer.Option(help="Comma-separated: read, admin.")] = "read",
) -> None:
    """Print a token's SHA-256 and the api.tokens entry to paste into config.toml.

    Example: wire token hash --name cms --scopes read
    """
    wanted = [s.strip() for s in scopes.split(",") if s.strip()]
    unknown = sorted(set(wanted) - set(SCOPES))
    if unknown or not wanted:
        raise ConfigError(f"unknown scope {unknown[0] if unknown else ''!r}; known: read, admin")
    if stdin:
        token = sys.stdin.readline().strip()
        if not token:
            raise ConfigError("no token on standard input")
    made = token is None
    secret = token or new_token()
    if made:
        typer.echo(f"token (give it to the client, it is not stored): {secret}")
    quoted = ", ".join(f'"{s}"' for s in wanted)
    typer.echo(f"sha256: {hash_token(secret)}")
    typer.echo("")
    typer.echo("[[api.tokens]]")
    typer.echo(f'name = "{name}"')
    typer.echo(f'sha256 = "{hash_token(secret)}"')
    typer.echo(f"scopes = [{quoted}]")


def publish(
    once: Annotated[
        bool, typer.Option("--once", help="Deliver every pending change, then exit.")
    ] = False,
    replay: Annotated[
        bool,
        typer.Option(
            "--replay",
            help="Send dead letters again (all not yet redelivered, or those selected), then exit.",
        ),
    ] = False,
    ids: Annotated[
        list[int] | None,
        typer.Option("--id", min=1, help="With --replay: this letter (repeat it)."),
    ] = None,
    from_id: Annotated[
        int | None, typer.Option(min=1, help="With --replay: letters from this id on.")
    ] = None,
    to_id: Annotated[int | None, typer.Option(min=1, help="With --replay: up to this id.")] = None,
    since: Annotated[
        str | None, typer.Option(help="With --replay: letters dead since (2h, 1d, ISO 8601).")
    ] = None,
    until: Annotated[
        str | None, typer.Option(help="With --replay: letters dead before (2h, 1d, ISO 8601).")
    ] = None,
    target: Annotated[
        str | None, typer.Option(help="With --replay: one publisher, e.g. webhook:https://...")
    ] = None,
    config: ConfigOpt = None,
) -> None:
    """Push the change feed to NATS JetStream and webhooks, resuming from stored cursors.

    Example: wire publish --once --config config.toml
    Example: wire publish --replay --since 6h   (dead letters of the last 6 hours, in order)
    """
    # Lazy, for speed: publishing loads asyncio, httpx, lxml and SQLAlchemy only when it runs.
    import asyncio
    import signal

    from wire.api.publish import replay_publishers, run_publishers
    from wire.storage.changes import DeadLetterSelection, pending_dead_letters
    from wire.storage.db import Database

    selectors = bool(ids or from_id or to_id or since or until or target)
    if selectors and not replay:
        raise ConfigError("--id, --from-id, --to-id, --since, --until and --target need --replay")
    selection = DeadLetterSelection(
        ids=tuple(ids or ()),
        from_id=from_id,
        to_id=to_id,
        since=parse_since(since) if since else None,
        until=parse_since(until) if until else None,
        target=target,
    )
    cfg = load_config(config)
    setup_logging(cfg.daemon.log_format)  # progress as the daemon logs: JSON off a terminal
    db = Database(cfg.storage.url, must_exist=True)

    async def main() -> dict[str, int]:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        return await run_publishers(cfg, db, once=once, stop=stop)

    try:
        if replay:
            replayed = asyncio.run(replay_publishers(cfg, db, selection))
            with db.reader() as session:
                pending = pending_dead_letters(session, selection)
            unserved = sorted({target for _, target, _ in pending} - set(replayed))
        else:
            counts = asyncio.run(main())
    except (ConfigError, KeyboardInterrupt):
        raise
    except Exception as exc:
        typer.echo(f"error: publishing failed: {type(exc).__name__}: {exc}", err=True)
        raise typer.Exit(1) from None
    finally:
        db.dispose()
    if replay:
        for name, done in replayed.items():
            typer.echo(f"{name}: {done.redelivered} dead letter(s) redelivered")
            if done.still_dead:
                typer.echo(f"{name}: {done.still_dead} still dead (delivery failed)", err=True)
        for target in unserved:
            typer.echo(f"{target}: not configured in [publish]; its dead letters stay", err=True)
        if any(done.still_dead for done in replayed.values()):
            raise typer.Exit(1)
        return
    for name, count in counts.items():
        typer.echo(f"{name}: {count} change(s) delivered")


def register(app: typer.Typer) -> None:
    """Add ``serve``, ``token hash`` and ``publish`` to the ``wire`` command."""
    app.command()(serve)
    app.command()(publish)
    app.add_typer(token_app, name="token")
