"""Drop folders (``kind = "folder"``): agencies write files, the daemon reads each one once.

Each poll scans the folder (sub-folders too, except ``done/`` and ``failed/``). A file is read
only when it is finished:

- partial and hidden names are never read (``*.part``, ``*.tmp``, ``*.filepart``,
  ``*.crdownload``, dotfiles: the usual upload conventions);
- its modification time is at least ``settle`` seconds old, and its size and modification
  time are the same at the scan and just before and after reading it (a writer that is still
  appending is caught by one of those checks).

A read file goes through the pipeline in one transaction; after the commit it moves to
``done/`` (or to ``failed/`` when nothing in it could be read), keeping its relative path, with
``<name>.reason`` beside it listing what was rejected. If the daemon dies between the commit
and the move, the file is read again at the next start and dedup absorbs the repeat. A
database error (``StoreFailed``) leaves the file where it is, for the next poll; anything else
that breaks on one file sends that file to ``failed/`` and the poll goes on with the next.

Files not yet settled make :attr:`FolderResult.pending` non-zero, so the daemon can look again
after ``settle`` seconds instead of a whole interval.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from wire.ingest.files import iter_files
from wire.ingest.pipeline import RunStats, StoreFailed

log = logging.getLogger("wire.daemon")

SETTLE_SECONDS = 2.0  # a file must be this old (mtime) before it is read

# (payload bytes, location, filename) -> what the pipeline stored, committed.
Store = Callable[[bytes, str, str | None], Awaitable[RunStats]]


@dataclass
class FolderResult:
    stats: RunStats = field(default_factory=RunStats)
    done: int = 0
    failed: int = 0
    pending: int = 0  # files seen but not settled yet


def _signature(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def ready_files(folder: Path, settle: float, now: float | None = None) -> tuple[list[Path], int]:
    """Files old enough to read, and how many are still being written (or too fresh)."""
    now = time.time() if now is None else now
    ready: list[Path] = []
    pending = 0
    for path in iter_files(folder):
        sig = _signature(path)
        if sig is None:
            continue
        if now - sig[1] / 1e9 < settle:
            pending += 1
        else:
            ready.append(path)
    return ready, pending


def _free_name(target: Path) -> Path:
    """``target``, or the same name with a UTC timestamp when a file of that name exists."""
    if not target.exists():
        return target
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return target.with_name(f"{target.stem}.{stamp}{target.suffix}")


async def _file_failed(folder: Path, path: Path, stats: RunStats, result: FolderResult) -> None:
    try:
        await asyncio.to_thread(file_away, folder, path, stats)
        result.failed += 1
    except OSError as exc:
        result.stats.messages.append(f"{path}: could not be moved to failed/: {exc}")


def file_away(folder: Path, path: Path, stats: RunStats) -> Path:
    """Move a stored file to ``done/`` or ``failed/`` (nothing of it stored, or it broke the
    pipeline) with the reasons beside it."""
    stored = stats.new + stats.updated + stats.unchanged
    where = "failed" if (stats.rejected or stats.errors) and not stored else "done"
    target = _free_name(folder / where / path.relative_to(folder))
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(path, target)
    reasons = list(dict.fromkeys(stats.messages))
    if reasons:
        target.with_name(target.name + ".reason").write_text(
            "\n".join(reasons) + "\n", encoding="utf-8"
        )
    return target


async def poll_folder(
    folder: Path,
    store: Store,
    *,
    settle: float = SETTLE_SECONDS,
    source: str = "",
    stopping: Callable[[], bool] = lambda: False,
) -> FolderResult:
    """Read every settled file once and file it away; see the module docstring."""
    result = FolderResult()
    if not folder.is_dir():
        result.stats.errors += 1
        result.stats.messages.append(f"drop folder {folder} does not exist")
        return result
    ready, result.pending = await asyncio.to_thread(ready_files, folder, settle)
    for path in ready:
        if stopping():
            break
        before = _signature(path)
        try:
            data = await asyncio.to_thread(path.read_bytes)
        except OSError as exc:
            result.stats.errors += 1
            result.stats.messages.append(f"{path}: {exc.strerror or exc}")
            continue
        if before is None or _signature(path) != before or len(data) != before[0]:
            result.pending += 1  # still being written: next time
            continue
        try:
            stats = await store(data, str(path), path.name)  # committed when this returns
        except StoreFailed:
            raise  # the database's fault: the file stays for the next poll
        except Exception as exc:  # a bug on this file: it goes to failed/, the rest goes on
            log.exception("file could not be ingested", extra={"source": source, "file": str(path)})
            stats = RunStats(errors=1, messages=[f"{path.name}: {type(exc).__name__}: {exc}"])
            result.stats.add(stats)
            await _file_failed(folder, path, stats, result)
            continue
        result.stats.add(stats)
        if stats.errors:
            continue
        try:
            target = await asyncio.to_thread(file_away, folder, path, stats)
        except OSError as exc:
            result.stats.errors += 1
            result.stats.messages.append(f"{path}: stored, but could not be moved: {exc}")
            continue
        failed = target.relative_to(folder).parts[0] == "failed"
        result.failed += failed
        result.done += not failed
        log.info(
            "file filed",
            extra={"source": source, "file": str(path), "moved_to": str(target),
                   "new": stats.new, "rejected": stats.rejected},
        )  # fmt: skip
    return result
