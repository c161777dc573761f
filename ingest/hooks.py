"""What runs beside each stored article, built from the configuration (clustering, ...)."""

from __future__ import annotations

from wire.config import Config
from wire.ingest.dedup import Clusterer
from wire.ingest.pipeline import StoreHook
from wire.storage.db import Database


def store_hooks(config: Config, db: Database) -> tuple[StoreHook, ...]:
    """The hooks every pipeline run applies after storing an article.

    The clusterer keeps its in-memory index for the life of the process (the daemon calls
    this once), loaded lazily from stored signatures on the first article.
    """
    return (Clusterer(config.dedup, db),)
