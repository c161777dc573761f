"""Shared fixtures: a fresh store on SQLite and on PostgreSQL for every storage test."""

from __future__ import annotations

import logging
import os
import shutil
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


def pg_admin(statement: str) -> None:
    """One statement on the test server's admin connection, outside a transaction (CREATE
    and DROP of schemas and databases)."""
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(statement)


@contextmanager
def pg_made(create: str, drop: str) -> Iterator[None]:
    """``create`` run now, ``drop`` however the block ends."""
    pg_admin(create)
    try:
        yield
    finally:
        pg_admin(drop)


@contextmanager
def pg_schema(prefix: str = "wire_test") -> Iterator[str]:
    """The URL of a fresh PostgreSQL schema of its own, dropped afterwards."""
    schema = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with pg_made(f"CREATE SCHEMA {schema}", f"DROP SCHEMA {schema} CASCADE"):
        yield pg_schema_url(schema)


def pg_database_url(name: str) -> str:
    """The SQLAlchemy URL of another database on the test server."""
    base = PG_ADMIN.replace("postgresql://", "postgresql+psycopg://", 1)
    head, _, query = base.partition("?")
    return head.rsplit("/", 1)[0] + "/" + name + (f"?{query}" if query else "")


@pytest.fixture(scope="session")
def _pg_template() -> Iterator[str]:
    """A database migrated once per run: each test's store is a copy of it (CREATE DATABASE
    ... TEMPLATE takes a tenth of the time the migrations take on an empty schema)."""
    name = f"wire_tmpl_{uuid.uuid4().hex[:10]}"
    with pg_made(f"CREATE DATABASE {name}", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"):
        Database(pg_database_url(name)).dispose()  # no connection may stay on a template
        yield name


@pytest.fixture
def pg_url(_pg_template: str) -> Iterator[str]:
    """A fresh, migrated PostgreSQL database of the test's own, dropped afterwards (with any
    connection a killed daemon left)."""
    name = f"wire_test_{uuid.uuid4().hex[:10]}"
    create = f"CREATE DATABASE {name} TEMPLATE {_pg_template}"
    with pg_made(create, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"):
        yield pg_database_url(name)


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite store migrated once per run, copied for each storage test."""
    path = tmp_path_factory.mktemp("template") / "wire.db"
    Database(f"sqlite:///{path}").dispose()
    return path


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """Where a test's SQLite store goes (not created: some tests need it absent)."""
    return f"sqlite:///{tmp_path / 'wire.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Each storage test runs on both backends, each on a fresh store at the newest migration."""
    if request.param == "sqlite":
        shutil.copyfile(request.getfixturevalue("_sqlite_template"), tmp_path / "wire.db")
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
