"""Parsing a payload into normalised records: adapter plus normalisation, no storage.

Kept apart from ``ingest.pipeline`` so the daemon's parse workers import neither SQLAlchemy
nor the store: they only turn bytes into records.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from datetime import UTC, datetime

import adapters
from adapters.base import FeedSettings
from ingest.errors import AdapterError
from ingest.normalise import normalise
from ingest.record import Article, Rejected

log = logging.getLogger("wire.pipeline")


def parse_payload(
    data: bytes,
    settings: FeedSettings,
    fmt: str = "auto",
    filename: str | None = None,
    now: datetime | None = None,
) -> list[Article | Rejected]:
    """Adapter plus normalisation, without storage: what ``wire parse`` prints."""
    now = now or datetime.now(UTC)
    if len(data) > settings.max_bytes:
        return [
            Rejected(
                f"payload of {len(data)} bytes is over the cap of {settings.max_bytes} bytes", data
            )
        ]
    if not data.strip():
        return [Rejected("empty payload", data)]
    adapter = adapters.resolve(fmt, data, filename)
    if adapter is None:
        return [
            Rejected(
                "format not recognised (not RSS/Atom, NewsML-G2, ninjs, NITF, "
                "IPTC 7901, HTML or text)",
                data,
            )
        ]
    try:
        results = adapter.parse(data, settings)
    except AdapterError as exc:
        return [Rejected(f"{adapter.name}: {exc}", data)]
    except Exception as exc:  # an adapter bug must not stop the daemon
        log.exception("adapter %s crashed", adapter.name)
        return [Rejected(f"{adapter.name}: could not be read ({type(exc).__name__}: {exc})", data)]
    out: list[Article | Rejected] = []
    for item in results:
        if isinstance(item, Rejected):
            out.append(item)
            continue
        try:
            record = normalise(item, settings, now)
        except Exception as exc:
            log.exception("normalisation failed for %s", item.guid)
            out.append(
                Rejected(
                    f"normalisation failed: {type(exc).__name__}: {exc}",
                    item.to_json().encode(),
                    item.guid,
                )
            )
            continue
        problem = validate(record)
        if problem:
            out.append(Rejected(problem, item.to_json().encode(), record.guid))
        else:
            out.append(record)
    return out


def validate(article: Article) -> str | None:
    """A reason to reject a normalised record, or None when it may be stored."""
    if not article.guid:
        return "item has no identifier (guid)"
    if not (article.headline or article.body_text) and article.pubstatus == "usable":
        return "item has neither a headline nor a body"
    return None


def parse_worker_init(daemon_pid: int) -> None:
    """Initialiser of the daemon's parse workers (here, not in ``ingest.daemon``: unpickling it
    must not import the daemon, the store and the cluster index into every worker).

    Parse workers leave signals to the daemon (Ctrl-C reaches the whole process group) and
    end when the daemon is gone, however it ended (SIGKILL included): they are children of
    the fork server, not of the daemon, so nothing else would stop them."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)

    def watch() -> None:
        while True:
            time.sleep(1.0)
            try:
                os.kill(daemon_pid, 0)
            except ProcessLookupError:
                os._exit(0)
            except PermissionError:  # the pid was reused by another user's process
                os._exit(0)

    threading.Thread(target=watch, name="wire-parent-watch", daemon=True).start()
