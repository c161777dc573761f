"""Shared fixtures: a fresh store on SQLite and on PostgreSQL for every storage test."""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from hypothesis import HealthCheck, settings

from wire.storage.db import Database

# Property tests (tests/adapters/test_properties.py): modest counts keep CI fast; "hunt" is for
# a long local search (WIRE_HYPOTHESIS_PROFILE=hunt). No deadline: a slow machine is no bug.
_SLOW_DATA = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]
settings.register_profile(
    "ci", max_examples=40, deadline=None, suppress_health_check=_SLOW_DATA, database=None
)
settings.register_profile(
    "hunt", max_examples=2000, deadline=None, suppress_health_check=_SLOW_DATA
)
settings.load_profile(os.environ.get("WIRE_HYPOTHESIS_PROFILE", "ci"))

PG_ADMIN = os.environ.get("WIRE_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "samples" / "seed-nau-lukaschenko.txt"


def pg_schema_url(schema: str) -> str:
    """A SQLAlchemy URL whose connections live in their own schema (isolated tests)."""
    base = PG_ADMIN.replace("postgresql://", "postgresql+psycopg://", 1)
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}"


@contextmanager
def pg_schema(prefix: str = "wire_test") -> Iterator[str]:
    """The URL of a fresh PostgreSQL schema of its own, dropped afterwards."""
    schema = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield pg_schema_url(schema)
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL schema, dropped afterwards."""
    with pg_schema() as url:
        yield url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'wire.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Each storage test runs on both backends."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'wire.db'}"
    else:
        yield request.getfixturevalue("pg_url")


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = Database(db_url)
    try:
        yield database
    finally:
        database.dispose()


@pytest.fixture(autouse=True)
def _restore_wire_logging() -> Iterator[None]:
    """Commands run in-process (``wire publish``, ``wire run``) set up the daemon's logging:
    handlers on a stream pytest closes after the test, and no propagation to caplog. Every
    test starts from, and leaves, the loggers as pytest expects them."""
    names = ("wire", "apscheduler")
    saved = {n: (list(logging.getLogger(n).handlers), logging.getLogger(n).propagate,
                 logging.getLogger(n).level) for n in names}  # fmt: skip
    yield
    for name, (handlers, propagate, level) in saved.items():
        logger = logging.getLogger(name)
        logger.handlers[:] = handlers
        logger.propagate = propagate
        logger.setLevel(level)
