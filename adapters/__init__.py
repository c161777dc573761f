"""Adapters: one module per wire format, listed in one registry.

Adding a format = one module + fixtures + one line in ``_MODULES`` + docs.
"""

from __future__ import annotations

import importlib

from wire.adapters.base import Adapter, FeedSettings
from wire.errors import ConfigError

# name -> module path; each module exposes ``ADAPTER``. Order breaks sniffing ties.
_MODULES: dict[str, str] = {
    "newsml": "wire.adapters.newsml",
    "nitf": "wire.adapters.nitf",
    "ninjs": "wire.adapters.ninjs",
    "anpa1312": "wire.adapters.anpa1312",
    "iptc7901": "wire.adapters.iptc7901",
    "rss": "wire.adapters.rss",
    "html": "wire.adapters.html",
    "text": "wire.adapters.text",
}

_cache: dict[str, Adapter] = {}


def names() -> list[str]:
    return list(_MODULES)


def get(name: str) -> Adapter:
    """The adapter for a format name; an unknown name is a user mistake."""
    if name not in _MODULES:
        raise ConfigError(f"unknown format {name!r}; choose one of: auto, {', '.join(_MODULES)}")
    if name not in _cache:
        _cache[name] = importlib.import_module(_MODULES[name]).ADAPTER
    return _cache[name]


def sniff(data: bytes, filename: str | None = None) -> Adapter | None:
    """The adapter most confident it can read ``data``, or None when none is."""
    best: Adapter | None = None
    best_score = 0.0
    for name in _MODULES:
        adapter = get(name)
        score = adapter.sniff(data, filename)
        if score > best_score:
            best, best_score = adapter, score
    return best if best_score >= 0.2 else None


def resolve(fmt: str, data: bytes, filename: str | None = None) -> Adapter | None:
    """``auto`` sniffs; any other name is taken as given."""
    return sniff(data, filename) if fmt == "auto" else get(fmt)


__all__ = ["Adapter", "FeedSettings", "get", "names", "resolve", "sniff"]
