"""What runs beside each stored article, built from the configuration (clustering, ...)."""

from __future__ import annotations

from ingest.config import Config
from ingest.pipeline import StoreHook
from storage.db import Database


def store_hooks(config: Config, db: Database) -> tuple[StoreHook, ...]:
    """The hooks every pipeline run applies after storing an article."""
    return ()
