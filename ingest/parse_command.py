"""``wire parse``'s work: payload files to canonical records as JSON lines on stdout.

Apart from the typer command line (``wire.ingest.cli``) so the lean entry point
(``wire.ingest.entry``) can run it without importing typer, rich and pydantic.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from wire import adapters
from wire.adapters.base import FeedSettings
from wire.errors import ConfigError
from wire.ingest.files import iter_files
from wire.ingest.parse_halves import print_in_halves, two_cores
from wire.ingest.parsing import parse_payload
from wire.record import Rejected


def run_parse(
    path: Path,
    fmt: str = "auto",
    source: str | None = None,
    language: str | None = None,
    timezone: str = "Europe/Zurich",
) -> int:
    """Print the records of a payload file (or of each file of a folder); rejects go to
    stderr. Returns the exit code: 1 when something was rejected, else 0. A mistake (an
    unknown format, a missing path) raises ConfigError."""
    if fmt != "auto":
        adapters.get(fmt)  # an unknown name is a user mistake: fail before reading
    if not path.exists():
        raise ConfigError(f"{str(path)!r} does not exist")
    files = iter_files(path) if path.is_dir() else [path]
    rejected = 0
    write = sys.stdout.write
    gc.freeze()  # what the imports made lives to the end: no collection need walk it again
    for file in files:
        settings = FeedSettings(
            feed="parse", source=source, language=language, timezone=timezone, location=str(file)
        )
        data = file.read_bytes()
        now = datetime.now(UTC)
        with _no_collections():
            if two_cores() and print_in_halves(data, settings, fmt, file.name, now, write):
                continue
            for item in parse_payload(data, settings, fmt, file.name, now):
                if isinstance(item, Rejected):
                    from wire.ingest.consoles import err  # rich: only when there is a reject

                    rejected += 1
                    err.print(f"rejected: {file}: {item.reason}", markup=False, highlight=False)
                else:
                    write(item.to_json() + "\n")
    sys.stdout.flush()
    return 1 if rejected else 0


@contextmanager
def _no_collections() -> Iterator[None]:
    """The cycle collector paused while one payload is parsed and printed.

    A payload's records, tree and JSON are thousands of tracked objects that all live until
    the payload is printed, and hardly any make a cycle: the collector, run every 700
    allocations, walked them again and again for nothing (a tenth of ``wire parse``'s time
    on a 2,000-item feed). What cycles a payload leaves are collected after it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
