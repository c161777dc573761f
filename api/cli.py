"""CLI commands of the API and the publishers: ``wire serve``, ``wire token``, ``wire publish``.

``register(app)`` adds them to the ``wire`` Typer app (ingest/cli.py). Nothing here imports
wire.ingest.cli, so registering cannot loop.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from wire.config import Config, load_config
from wire.errors import ConfigError

ConfigOpt = Annotated[
    Path | None,
    typer.Option("--config", "-c", help="Config file (default: ./config.toml if present)."),
]

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
    import uvicorn

    from wire.api.app import create_app

    cfg: Config = load_config(config)
    app = create_app(cfg)
    uvicorn.run(
        app,
        host=host or cfg.api.host,
        port=cfg.api.port if port is None else port,
        log_level="info",
        # Long-polls of /changes end at once on shutdown instead of holding it.
        timeout_graceful_shutdown=5,
    )


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
    from wire.api.auth import SCOPES, hash_token, new_token

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
    config: ConfigOpt = None,
) -> None:
    """Push the change feed to NATS JetStream and webhooks, resuming from stored cursors.

    Example: wire publish --once --config config.toml
    """
    import asyncio
    import signal

    from wire.ingest.logs import setup_logging
    from wire.ingest.publish import run_publishers
    from wire.storage.db import Database

    cfg = load_config(config)
    setup_logging(cfg.daemon.log_format)  # progress as the daemon logs: JSON off a terminal
    db = Database(cfg.storage.url)

    async def main() -> dict[str, int]:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        return await run_publishers(cfg, db, once=once, stop=stop)

    try:
        counts = asyncio.run(main())
    except (ConfigError, KeyboardInterrupt):
        raise
    except Exception as exc:
        typer.echo(f"error: publishing failed: {type(exc).__name__}: {exc}", err=True)
        raise typer.Exit(1) from None
    finally:
        db.dispose()
    for name, count in counts.items():
        typer.echo(f"{name}: {count} change(s) delivered")


def register(app: typer.Typer) -> None:
    """Add ``serve``, ``token hash`` and ``publish`` to the ``wire`` command."""
    app.command()(serve)
    app.command()(publish)
    app.add_typer(token_app, name="token")
