"""Payload files of a folder: what ``wire parse`` and drop folders read, in name order.

Apart from ``wire.ingest.pipeline`` so ``wire parse`` lists a folder without importing the store.
"""

from __future__ import annotations

from pathlib import Path


def iter_files(folder: Path) -> list[Path]:
    """Payload files in a folder, sorted by name; hidden and partial files are skipped."""
    skip_suffixes = (".part", ".tmp", ".filepart", ".crdownload", ".reason")
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
        and not p.name.endswith(skip_suffixes)
        and not {"done", "failed"} & set(p.relative_to(folder).parts[:-1])
    )
