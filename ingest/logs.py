"""Structured logs for the daemon: one JSON object per line, or a readable line on a terminal.

Call sites log an event name as the message and the facts as ``extra`` fields::

    log.info("poll", extra={"source": "sda-rss", "duration": 0.12, "new": 3})

``json`` writes ``{"ts": ..., "level": "info", "event": "poll", "source": ..., ...}``;
``console`` writes ``12:00:01 info  poll  source=sda-rss duration=0.12 new=3``; ``auto`` picks
console when stderr is a terminal and JSON otherwise (files, journald, containers).
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

from wire.errors import ConfigError

# Attributes every LogRecord has; anything else on a record came in through ``extra``.
_STANDARD = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}


def fields_of(record: logging.LogRecord) -> dict[str, Any]:
    """The ``extra`` fields of a record, in the order they were given."""
    return {k: v for k, v in record.__dict__.items() if k not in _STANDARD}


def _plain(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, str | int | bool) or value is None:
        return value
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, event, then the event's fields."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        for key, value in fields_of(record).items():
            out.setdefault(key, _plain(value))
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False)


class ConsoleFormatter(logging.Formatter):
    """A short human line: time, level, event and ``key=value`` fields."""

    def format(self, record: logging.LogRecord) -> str:
        when = datetime.fromtimestamp(record.created).strftime("%H:%M:%S")
        line = f"{when} {record.levelname.lower():<7} {record.getMessage()}"
        parts = []
        for key, value in fields_of(record).items():
            value = _plain(value)
            text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
            if isinstance(value, str) and (" " in value or not value):
                text = json.dumps(value, ensure_ascii=False)
            parts.append(f"{key}={text}")
        if parts:
            line += "  " + " ".join(parts)
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


def setup_logging(
    fmt: str = "auto", level: int = logging.INFO, stream: TextIO | None = None
) -> None:
    """Route the ``wire`` loggers (and APScheduler's warnings) to stderr in the chosen format."""
    stream = stream or sys.stderr
    if fmt not in ("auto", "json", "console"):
        raise ConfigError(f"[daemon].log_format must be auto, json or console, not {fmt!r}")
    if fmt == "auto":
        fmt = "console" if stream.isatty() else "json"
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter() if fmt == "json" else ConsoleFormatter())
    for name, lvl in (("wire", level), ("apscheduler", logging.WARNING)):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(lvl)
        logger.propagate = False
    # "maximum number of running instances reached" is expected (max_instances=1) and noisy.
    logging.getLogger("apscheduler.scheduler").setLevel(logging.ERROR)
    logging.getLogger("apscheduler.executors").setLevel(logging.ERROR)
