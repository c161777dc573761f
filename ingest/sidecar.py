"""A parse worker beside ``wire run --once``: the parse on another core, and the signatures
made there while the store writes the articles.

``run --once`` stores one payload at a time, and a big one spends its time in steps taken in
turn: the imports of the store and the clusterer, the parse, the store (rows, search tokens,
versions, changes) and the clusterer, which first signs every story (MinHash) and then
places it. On a machine with a second core the worker takes what need not wait:

- it starts, and parses the local files the pass will poll (:meth:`Sidecar.ahead`), while
  this process imports the store and the clusterer and opens the store;
- with a payload's records it sends their text fingerprints (the store's exact-duplicate
  key, ``Parsed.text_hashes``), as the daemon's parse workers do;
- then it signs the records (they stay in the worker: nothing more is sent) while this
  process writes them; the clusterer is handed the signatures (:class:`GivenSignatures`) as
  the daemon's workers hand theirs, and signs only what it was not given.
- a big local file (``MIN_BYTES``, 100 items or more) it first cuts at its items (the cut the
  daemon uses to leave out stored items), so that this process, which would only wait for
  the records, parses a third of them itself while the worker parses the rest; the worker
  then signs both parts.

Nothing here changes what is stored: the records are ``parse_new``'s, the fingerprints and
signatures the ones the store and the clusterer would make. A worker that fails or dies
costs speed only: the payload is parsed in a thread, the store and the clusterer make what
they were not given.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import hashlib
import itertools
import logging
import multiprocessing
import os
import sys
import threading
import types
from collections.abc import Collection, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wire.config import Config, DedupConfig, SourceConfig, source_location
from wire.ingest.parse_halves import MIN_BYTES, cut_items, idle_core, parts
from wire.ingest.parsing import (
    Parsed,
    item_digests,
    parse_fingerprinted,
    parse_new,
    parse_worker_init,
    settings_for,
    sign_usable,
    usable_articles,
)
from wire.record import Article

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from wire.adapters.base import FeedSettings
    from wire.ingest.dedup import Clusterer
    from wire.ingest.pipeline import Fetched
    from wire.storage.writer import StoreResult

log = logging.getLogger("wire.run")

# Bytes of local payloads from which a worker pays for its start (about 0.3 s of CPU on the
# other core): some hundreds of items. Smaller runs parse in a thread, as before.
WORTH_BYTES = 256 * 1024

_kept: dict[int, list[Article]] = {}  # in the worker: the usable stories of each parse
# In the worker: what _cut left it to parse, with the digests of those items (None: the whole
# payload, its digests made by the parse).
_rest: dict[int, tuple[bytes, tuple[str, ...] | None]] = {}
# The share of a big local payload's items this process parses itself while the worker
# parses the rest. The worker starts on its part ~0.2 s earlier (it is up while this process
# still imports the store and the clusterer), so it takes the larger part.
MAIN_SHARE = 1 / 3


def _ready() -> None:
    """A first job: starts the worker (and its imports) ahead of the first payload."""


def _parse(
    token: int,
    data: bytes,
    settings: FeedSettings,
    fmt: str,
    filename: str | None,
    known: Collection[str],
    now: datetime | None = None,
) -> Parsed:
    """``parse_new`` in the worker, with the text fingerprints the store needs; its usable
    stories are kept for :func:`_sign` under ``token``."""
    parsed = parse_fingerprinted(data, settings, fmt, filename, known, now)
    _kept[token] = usable_articles(parsed.results)
    return parsed


def _cut(
    token: int, data: bytes, settings: FeedSettings, fmt: str, filename: str | None
) -> tuple[bytes, tuple[str, ...], int] | None:
    """In the worker: a big payload cut at its items. Returns the part this process parses,
    with its items' digests, and the count of the rest (kept for :func:`_parse_rest` with
    theirs); None, the whole kept, when it is not worth cutting or cannot be cut. The digests
    come from this one cut, so neither part is cut again."""
    found = cut_items(data, fmt, filename)
    if found is None:
        _rest[token] = (data, None)
        return None
    adapter, spans = found
    digests = item_digests(adapter, settings, spans)
    first, rest, count = parts(spans, MAIN_SHARE)
    _rest[token] = (rest, digests[count:])
    return first, digests[:count], len(digests) - count


def _parse_rest(
    token: int, settings: FeedSettings, fmt: str, filename: str | None, now: datetime
) -> Parsed:
    """In the worker: :func:`_parse` of what :func:`_cut` kept (the rest, or the whole)."""
    data, digests = _rest.pop(token)
    if digests is None:
        return _parse(token, data, settings, fmt, filename, (), now)
    parsed = parse_fingerprinted(data, settings, fmt, filename, (), now, digests=False)
    parsed.digests = digests
    _kept[token] = usable_articles(parsed.results)
    return parsed


def _sign(token: int, more: Sequence[Article] = ()) -> dict[bytes, bytes]:
    """The packed signatures of the stories :func:`_parse` kept under ``token``, and of
    ``more`` (the stories of a half this process parsed)."""
    return sign_usable([*_kept.pop(token, []), *more])


@contextlib.contextmanager
def main_left_out() -> Iterator[None]:
    """Worker processes started meanwhile do not run this process's main module again.

    multiprocessing runs the parent's ``__main__`` (by module name or file) in every new
    process, so that functions defined there unpickle; the jobs here are all in importable
    modules, and the main module may be the whole command line (typer, rich, every
    command's imports). A stand-in without a name or file is ``__main__`` while the
    executor starts its process, which it does in the submitting thread."""
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if main is not None:
            sys.modules["__main__"] = main


def local_bytes(config: Config, sources: Sequence[SourceConfig]) -> int:
    """The bytes of the local files the sources read (folders: their files, not recursed)."""
    total = 0
    for source in sources:
        if source.is_url:
            continue
        path = Path(source_location(config, source))
        try:
            files = list(path.iterdir()) if path.is_dir() else [path]
            total += sum(f.stat().st_size for f in files if f.is_file())
        except OSError:
            continue
    return total


# A parse asked for: the payload's digest, its settings, format, file name and known items.
_Key = tuple[bytes, "FeedSettings", str, str | None, frozenset[str]]


def _key(
    data: bytes, settings: FeedSettings, fmt: str, filename: str | None, known: Collection[str]
) -> _Key:
    return (hashlib.sha256(data).digest(), settings, fmt, filename, frozenset(known))


@dataclass
class _Ahead:
    """A parse started ahead: the worker's job on the payload (its stories kept under
    ``token``), and for a big local payload the worker's cut (:func:`_cut`), which gives this
    process a part to parse itself when the poll asks (it has nothing else to do then: the
    store waits for the records) while the worker parses the rest."""

    token: int
    future: Future[Parsed]
    cut: Future[tuple[bytes, tuple[str, ...], int] | None] | None = None
    now: datetime | None = None  # one ingest time for both parts


class Sidecar:
    """A :class:`wire.ingest.pipeline.Parser` over one worker process that also signs.

    ``start()`` spawns the worker at once; ``parse`` hands it a payload and, once the records
    are back, asks it for their signatures, which :meth:`take` gives the store thread (it
    waits for them: they are nearly always ready, made while the rows were written).

    :meth:`ahead` hands the worker the payloads of local files before they are polled (while
    this process imports the store and opens it): a local file's poll parses its bytes whole,
    knowing no items (``LocalPoll``), so the parse it asks for later is known now, and is
    taken from here when the bytes and settings are the same. A parse ahead that no poll
    asks for (a source skipped, a file changed meanwhile) is only work lost.
    """

    def __init__(self, dedup: DedupConfig) -> None:
        self.dedup = dedup
        self.executor: ProcessPoolExecutor | None = None
        self._signing: list[Future[dict[bytes, bytes]]] = []
        self._lock = threading.Lock()
        self._tokens = itertools.count()
        self._ahead: dict[_Key, _Ahead] = {}

    def ahead(self, config: Config, sources: Sequence[SourceConfig]) -> None:
        """Start parsing the local files ``sources`` poll (``kind = "poll"``, a file path)."""
        executor = self.executor
        for source in sources:
            if executor is None or source.kind != "poll" or source.is_url:
                continue
            path = Path(source_location(config, source))
            try:
                data = path.read_bytes() if path.is_file() else None
            except OSError:
                data = None
            if data is None:
                continue
            settings = settings_for(source, str(path), config.agencies)
            token = next(self._tokens)
            key = _key(data, settings, source.format, path.name, ())
            fmt, name = source.format, path.name
            if len(data) < MIN_BYTES:
                future = executor.submit(_parse, token, data, settings, fmt, name, ())
                self._ahead[key] = _Ahead(token, future)
                continue
            now = datetime.now(UTC)
            cut = executor.submit(_cut, token, data, settings, fmt, name)
            future = executor.submit(_parse_rest, token, settings, fmt, name, now)
            self._ahead[key] = _Ahead(token, future, cut, now)

    def start(self) -> Sidecar:
        ctx = multiprocessing.get_context("spawn")  # a fork would copy this process's threads
        # a signing parse worker: signals left to this process, gone when it is
        self.executor = ProcessPoolExecutor(
            1, mp_context=ctx, initializer=parse_worker_init, initargs=(os.getpid(), self.dedup)
        )
        with main_left_out():
            self.executor.submit(_ready)
        return self

    async def parse(self, fetched: Fetched, *, sign: bool) -> Parsed:
        f = fetched
        executor = self.executor
        if executor is not None:
            found = self._ahead.pop(_key(f.data, f.settings, f.fmt, f.filename, f.known), None)
            if found is not None and found.cut is not None:
                joined = await self._joined(executor, found, fetched)
                if joined is not None:
                    return joined
                found = None  # not item for item: the worker parses the payload whole
            try:
                if found is not None:
                    token, future = found.token, found.future
                else:
                    token = next(self._tokens)
                    args = (token, f.data, f.settings, f.fmt, f.filename, f.known)
                    future = executor.submit(_parse, *args)
                parsed: Parsed = await asyncio.wrap_future(future)
                signing = executor.submit(_sign, token)
            except (concurrent.futures.BrokenExecutor, RuntimeError):
                # the worker died (or the pool was shut after it died)
                log.warning("the parse worker died; parsing in a thread")
                self.executor = None
            except Exception:  # parse_new never raises: the job itself failed (pickling...)
                log.exception("the parse worker failed a payload; parsing it in a thread")
            else:
                with self._lock:
                    self._signing.append(signing)
                return parsed
        return await asyncio.to_thread(
            parse_new, f.data, f.settings, f.fmt, f.filename, None, f.known
        )

    async def _joined(
        self, executor: ProcessPoolExecutor, found: _Ahead, fetched: Fetched
    ) -> Parsed | None:
        """The records of a payload the worker cut: this process parses its part while the
        worker parses the rest (or the whole, when it did not cut it), then the worker signs
        both. None when a part did not parse item for item, or the worker failed: the caller
        has the payload parsed whole."""
        f = fetched
        assert found.cut is not None
        mine: Parsed | None = None
        try:
            cut = await asyncio.wrap_future(found.cut)
            if cut is not None:
                first, first_digests, rest_count = cut
                mine = await asyncio.to_thread(
                    parse_fingerprinted, first, f.settings, f.fmt, f.filename, (), found.now,
                    digests=False,
                )  # fmt: skip
                mine.digests = first_digests
            parsed = await asyncio.wrap_future(found.future)  # the rest, or the whole
        except Exception:  # the worker died or failed a job: the whole parse decides
            return None
        more: list[Article] = []
        if mine is not None:
            got = (len(mine.results), len(parsed.results), len(parsed.digests))
            if got != (len(mine.digests), rest_count, rest_count):
                return None
            more = usable_articles(mine.results)
            parsed = Parsed(
                mine.results + parsed.results,
                mine.digests + parsed.digests,
                text_hashes=(*(mine.text_hashes or ()), *(parsed.text_hashes or ())),
            )
        try:
            signing = executor.submit(_sign, found.token, more)
        except RuntimeError:  # the pool is broken or shut: the clusterer signs them
            pass
        else:
            with self._lock:
                self._signing.append(signing)
        return parsed

    def take(self) -> dict[bytes, bytes]:
        """The signatures the worker made for the payloads parsed so far (waited for)."""
        with self._lock:
            signing, self._signing = self._signing, []
        out: dict[bytes, bytes] = {}
        for future in signing:
            try:
                out.update(future.result())
            except Exception as exc:  # the clusterer signs them itself
                log.warning("the parse worker could not sign a payload (%s)", exc)
        return out

    def stop(self) -> None:
        self._ahead.clear()
        executor, self.executor = self.executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)


class GivenSignatures:
    """The clusterer as a store hook, handed first the signatures the sidecar made."""

    def __init__(self, clusterer: Clusterer, sidecar: Sidecar) -> None:
        self.clusterer, self.sidecar = clusterer, sidecar
        self.__name__ = type(clusterer).__name__

    def __call__(self, session: Session, article: Article, result: StoreResult) -> None:
        self.batch(session, [(article, result)])

    def batch(self, session: Session, stored: Sequence[tuple[Article, StoreResult]]) -> None:
        given = self.sidecar.take()
        signer = self.clusterer.signer
        signer.give(given)
        try:
            self.clusterer.batch(session, stored)
        finally:
            signer.forget(given)


def start_for(config: Config, sources: Sequence[SourceConfig]) -> Sidecar | None:
    """A started sidecar for a pass over ``sources``, when one pays: a second core that is
    idle (:func:`idle_core`), parse workers not turned off (``[daemon] parse_workers = 0``)
    and local payloads of ``WORTH_BYTES`` or more; else None (parse in a thread)."""
    if not idle_core() or config.daemon.parse_workers == 0:
        return None
    if local_bytes(config, sources) < WORTH_BYTES:
        return None
    sidecar = Sidecar(config.dedup).start()
    sidecar.ahead(config, sources)
    return sidecar


def hooked(hooks: tuple[Any, ...], sidecar: Sidecar | None) -> tuple[Any, ...]:
    """The store hooks, the clusterer handed the sidecar's signatures when there is one."""
    if sidecar is None:
        return hooks
    from wire.ingest.dedup import Clusterer

    return tuple(GivenSignatures(h, sidecar) if isinstance(h, Clusterer) else h for h in hooks)
