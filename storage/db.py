"""Engines, sessions and migrations for the embedded (SQLite) and scale-out (PostgreSQL) stores."""

from __future__ import annotations

import ast
import functools
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, make_url, text
from sqlalchemy.exc import ArgumentError, DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from wire.errors import StoreError

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig

MIGRATIONS = Path(__file__).parent / "migrations"


# WAL pages after which a committing connection checkpoints the log itself (SQLite's default is
# 1,000): with background checkpoints (``Database(background_checkpoints=True)``, the daemon)
# only a backstop, should the checkpointer stall; a few seconds of a cold start's writes.
BACKGROUND_AUTOCHECKPOINT = 16_384


def _sqlite_pragmas(dbapi_conn: Any, _record: Any, autocheckpoint: int | None = None) -> None:
    # WAL lets readers (search, the API) run beside the daemon's writes; busy_timeout
    # makes concurrent writers wait instead of failing.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    if autocheckpoint is not None:
        cur.execute(f"PRAGMA wal_autocheckpoint={int(autocheckpoint)}")
    cur.close()


def _sqlite_begin(conn: Any) -> None:
    # Writers take the write lock at BEGIN so two never deadlock upgrading read locks;
    # readers (marked ``wire_read``) begin deferred and never wait for the daemon.
    if conn.get_execution_options().get("wire_read"):
        conn.exec_driver_sql("BEGIN")
    else:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def dialect_insert(executor: Session | Connection | str) -> Any:
    """The INSERT construct with ON CONFLICT (do nothing / do update) of the executor's
    dialect, or of the dialect named: the one place that picks PostgreSQL's or SQLite's."""
    if isinstance(executor, str):
        name = executor
    elif isinstance(executor, Session):
        name = executor.get_bind().dialect.name
    else:
        name = executor.dialect.name
    # The dialects are imported here: a SQLite process never loads PostgreSQL's (~35 ms).
    if name == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert
    if name == "sqlite":
        from sqlalchemy.dialects import sqlite

        return sqlite.insert
    raise KeyError(name)


def make_engine(url: str, *, autocheckpoint: int | None = None, **kw: Any) -> Engine:
    """An engine with the settings wire relies on for each backend. ``autocheckpoint``
    (SQLite): the WAL pages after which a commit checkpoints (None: SQLite's default)."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    if url.startswith("sqlite"):
        if url.startswith("sqlite:///") and ":memory:" not in url:
            Path(url[len("sqlite:///") :]).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30, "isolation_level": None}, **kw)
        pragmas = functools.partial(_sqlite_pragmas, autocheckpoint=autocheckpoint)
        event.listen(engine, "connect", pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True, **kw)


def alembic_config(engine: Engine) -> AlembicConfig:
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option(
        "sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%")
    )
    return cfg


# A migration script's ``revision = "..."`` / ``down_revision = ...`` line (an annotation allowed).
_REVISION_LINE = re.compile(r"^(down_revision|revision)\s*(?::[^=\n]*)?=\s*(.+)$", re.MULTILINE)


@functools.cache
def head_revision() -> str | None:
    """The newest migration's revision, read once per process from the scripts' own
    ``revision`` and ``down_revision`` lines: a store already at the head then needs no
    Alembic at all (importing it costs the daemon about 9 MB and a fifth of a second).
    Alembic's script directory answers when the lines do not name a single head."""
    revisions: set[str] = set()
    downs: set[str] = set()
    try:
        for path in (MIGRATIONS / "versions").glob("*.py"):
            found = {m[1]: m[2] for m in _REVISION_LINE.finditer(path.read_text())}
            if "revision" not in found:
                continue
            revisions.add(ast.literal_eval(found["revision"]))
            down = ast.literal_eval(found.get("down_revision", "None"))
            downs.update(down if isinstance(down, tuple) else [down] if down else [])
    except (OSError, ValueError, SyntaxError):
        return _alembic_head()
    heads = revisions - downs
    if len(heads) == 1 and downs <= revisions:
        return heads.pop()
    return _alembic_head()


def _alembic_head() -> str | None:
    from alembic.config import Config as AlembicConfig
    from alembic.script import ScriptDirectory

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    head: str | None = ScriptDirectory.from_config(cfg).get_current_head()
    return head


def _current_revision(conn: Connection) -> str | None:
    """The store's revision (Alembic's version table in the connection's default schema,
    as Alembic reads it); None for a new store, or one Alembic must look at itself."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    rows = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    return rows[0] if len(rows) == 1 else None


def migrate(engine: Engine, *, snapshot: bool = True) -> None:
    """Bring the schema to the newest migration (safe to call at every start).

    A store already at the newest revision is left at one query: every command, API process
    and daemon opens the store, and Alembic's environment costs a tenth of a second a time.
    A new, empty SQLite store gets the newest schema at once from its snapshot
    (``wire.storage.sqlite_head``), when ``snapshot`` allows and the snapshot is of the newest
    migration; anything else goes through Alembic.
    """
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Two daemons starting at once must not both run the migration (per schema:
            # stores in other schemas of the database migrate on their own).
            conn.exec_driver_sql(
                "SELECT pg_advisory_xact_lock(727172, hashtext(coalesce(current_schema(), '')))"
            )
        head = head_revision()
        current = _current_revision(conn)
        if head is not None and current == head:
            return
        if snapshot and conn.dialect.name == "sqlite" and current is None:
            from wire.storage import sqlite_head

            if sqlite_head.is_empty(conn) and sqlite_head.create_head(conn, head):
                return
        from alembic import command

        cfg = alembic_config(engine)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def unavailable(exc: BaseException) -> bool:
    """Whether ``exc`` says the database could not be used (down, unreachable, restarting,
    locked), as opposed to a statement that failed for its data: the first is the store's
    fault and passes, the second is the payload's."""
    if isinstance(exc, (OperationalError, InterfaceError, DisconnectionError, OSError)):
        return True
    return bool(getattr(exc, "connection_invalidated", False))


# SQLSTATEs of a transaction PostgreSQL ended because it lost a race with another one
# (deadlock_detected, serialization_failure): nothing of it is stored, and run again it goes
# through (the other transaction finished meanwhile).
CONFLICTS = frozenset({"40P01", "40001"})


def conflict(exc: BaseException) -> bool:
    """Whether ``exc`` is a transaction that lost a race with another writer (a deadlock, a
    serialization failure): the caller rolls back and runs the transaction again."""
    orig = getattr(exc, "orig", None) or exc
    return (getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)) in CONFLICTS


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite store URL (None for other databases and in-memory stores)."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or ":memory:" in url:
        return None
    return Path(url[len(prefix) :].split("?", 1)[0])


def public_url(url: str) -> str:
    """A database URL fit for a message: without its password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "the configured database"


class Database:
    """One store: the engine plus a session factory. Cheap to pass around, one per process.

    ``must_exist`` is for commands that only read: a missing SQLite file is then a
    :class:`StoreError` ("no store at ..."), never a new empty store. A database that cannot be
    reached while migrating is a :class:`StoreError` too: one sentence, no traceback.

    ``background_checkpoints`` (SQLite; the daemon): commits no longer copy the write-ahead
    log into the database file every 1,000 pages (SQLite's automatic checkpoint, run by
    whichever commit crosses the mark: a page copy and an fsync inside the store's commit);
    the owner calls :meth:`checkpoint` from a thread of its own instead, and a commit
    checkpoints only past ``BACKGROUND_AUTOCHECKPOINT`` pages, should that thread stall.
    """

    def __init__(
        self,
        url: str,
        *,
        create: bool = True,
        must_exist: bool = False,
        background_checkpoints: bool = False,
        **engine_kw: Any,
    ) -> None:
        path = sqlite_path(url)
        if must_exist and path is not None and not path.is_file():
            raise StoreError(f"no store at {path} (run `wire run` first, or pass --config)")
        self.url = url
        self.background_checkpoints = background_checkpoints and url.startswith("sqlite")
        if self.background_checkpoints:
            engine_kw["autocheckpoint"] = BACKGROUND_AUTOCHECKPOINT
        self.engine = make_engine(url, **engine_kw)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.read_sessions = sessionmaker(
            self.engine.execution_options(wire_read=True), expire_on_commit=False
        )
        # SQLite has one writer at a time. Threads of this process queue for it here, woken
        # the moment the writer commits; left to SQLite's busy handler they would poll with
        # sleeps of up to 100 ms while the lock sits free (other processes still do).
        self._write_lock = threading.RLock() if self.dialect == "sqlite" else None
        if create:
            try:
                migrate(self.engine)
            except (OperationalError, InterfaceError) as exc:
                self.engine.dispose()
                reason = str(exc.orig or exc).strip().splitlines()[0][:300]
                raise StoreError(
                    f"the database at {public_url(url)} cannot be reached: {reason}"
                ) from None

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in a transaction: committed on success, rolled back on any error."""
        with self._write_lock or nullcontext(), self.sessions() as session, session.begin():
            yield session

    @contextmanager
    def reader(self) -> Iterator[Session]:
        """A read-only session that never waits for writers; closed (not committed) at the end.

        Objects loaded in it stay readable afterwards, detached.
        """
        with self.read_sessions() as session:
            yield session

    def ping(self) -> None:
        """One round trip to the database; raises when it cannot be reached."""
        with self.reader() as session:
            session.execute(text("SELECT 1"))

    def checkpoint(self) -> tuple[int, int, int]:
        """Copy what the SQLite write-ahead log holds into the database file, as far as no
        reader still needs it (``PASSIVE``: writers and readers go on meanwhile). Returns
        SQLite's (busy, pages in the log, pages checkpointed); (0, 0, 0) for other databases."""
        if self.dialect != "sqlite":
            return (0, 0, 0)
        raw = self.engine.raw_connection()  # autocommit (isolation_level None): no BEGIN
        try:
            cur = raw.cursor()
            try:
                busy, pages, done = cur.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            finally:
                cur.close()
        finally:
            raw.close()
        return int(busy), int(pages), int(done)

    def dispose(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        """A command's store is closed when it is done: its pooled connections are not left
        for the garbage collector (psycopg warns of each one it finds open)."""
        self.dispose()
