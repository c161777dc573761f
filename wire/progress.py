"""Progress of long work (a run over every source, a dedup rebuild), reported by the library
through a callback and rendered by whoever called it: the CLI draws a bar on a terminal."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    """``done`` of ``total`` units (None: not known); ``item``: what is being worked on."""

    done: int
    total: int | None = None
    item: str = ""


Progress = Callable[[Step], None]
