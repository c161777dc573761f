"""The pipeline: a fetched payload -> parse -> normalise -> dedup/cluster -> store -> change feed.

Every way into the store goes through here: the daemon's polls and ``wire run --once`` (both
through :class:`Pipeline`, over the same source kinds of ``wire.ingest.kinds``), and the
one-shot :func:`ingest_payload`. The stages, top to bottom:

1. parse and normalise (``wire.ingest.parsing``): bytes -> canonical records or rejects, in a
   parse worker process in the daemon (:class:`Parser`), in a thread otherwise;
2. dedup and cluster: exact duplicates inside ``store_articles``, near-duplicates by the store
   hooks (``wire.ingest.hooks``: the clusterer), in the store's transaction;
3. store (``wire.storage.writer``): articles, versions, rejects and raw payloads;
4. change feed: ``store_article`` writes each insert, new version and kill to the change feed
   in the same transaction, so a committed article always has its change.

A source's item memory (:func:`known_items`, :meth:`Ingested.remember`) makes a re-poll of a
busy feed cheap: the items it already delivered byte for byte, and the store took, are not
parsed, normalised or stored again; whatever the memory does not know goes to the store,
whose own dedup tells an unchanged item from a new version. Polls and WebSub pushes of a
source share it.

Nothing here raises for bad data: every failure becomes a reject with its raw bytes and a
reason, and the rest of the batch goes on. What does raise is the store itself (a database
outage, a bug): :class:`StoreFailed`, so a caller can tell "store failed" from "source failed".
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import time
from collections.abc import Callable, Collection, Iterable, Sequence
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol, runtime_checkable

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wire.adapters.base import FeedSettings
from wire.ingest.fingerprint import boilerplate_memo, text_fingerprint
from wire.ingest.parsing import Parsed, parse_new, parse_payload
from wire.ingest.parsing import settings_for as settings_for  # its home: parse workers need it
from wire.normalise.text import storable
from wire.record import Article, Rejected
from wire.storage.db import Database, conflict, unavailable
from wire.storage.writer import (
    StoreResult,
    lock_articles,
    store_article,
    store_articles,
    store_raws,
    store_reject,
)

log = logging.getLogger("wire.pipeline")
# Tries of a whole batch that met a concurrent insert, before storing it one article at a time.
BATCH_ATTEMPTS = 3
# Tries of a transaction PostgreSQL ended for a deadlock or a serialization failure (another
# writer won the race; nothing of it was stored), before it fails as the store's failure.
CONFLICT_ATTEMPTS = 3
# Items a source's memory keeps beyond those of its last payload (items that left the feed
# and may come back, a CDN serving two versions of it): bounded, the feed row carries it.
MEMORY_EXTRA = 32

# Called after each new or updated article inside its transaction (clustering, ...).
StoreHook = Callable[[Session, Article, StoreResult], None]
Stored = tuple[Article, StoreResult]


@runtime_checkable
class BatchStoreHook(Protocol):
    """A hook that can also take a payload's changed articles at once, in order.

    ``batch`` must leave the store as the per-article calls would; the pipeline runs it in one
    savepoint and, if it raises, runs the per-article calls instead, each in its own.
    """

    def __call__(self, session: Session, article: Article, result: StoreResult) -> None: ...

    def batch(self, session: Session, stored: Sequence[Stored]) -> None: ...


@dataclass
class RunStats:
    """What one run of one source did; the CLI prints these as a table."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    errors: int = 0
    messages: list[str] = field(default_factory=list)
    stored: list[StoreResult] = field(default_factory=list)
    # Seconds from each new or updated article's versioncreated (its first sighting when it
    # has none, or one in the future) to its commit.
    latencies: list[float] = field(default_factory=list)

    def add(self, other: RunStats) -> None:
        self.new += other.new
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.rejected += other.rejected
        self.errors += other.errors
        self.messages.extend(other.messages)
        self.stored.extend(other.stored)
        self.latencies.extend(other.latencies)

    @property
    def items(self) -> int:
        return self.new + self.updated + self.unchanged + self.rejected


def ingest_payload(
    db: Database,
    data: bytes,
    settings: FeedSettings,
    *,
    fmt: str = "auto",
    filename: str | None = None,
    keep_raw: bool = True,
    hooks: tuple[StoreHook, ...] = (),
    now: datetime | None = None,
) -> RunStats:
    """Parse and store one payload in one transaction."""
    results = parse_payload(data, settings, fmt, filename, now)
    return store_results(db, data, settings, results, keep_raw=keep_raw, hooks=hooks)


def store_results(
    db: Database,
    data: bytes,
    settings: FeedSettings,
    results: list[Article | Rejected],
    *,
    keep_raw: bool = True,
    hooks: tuple[StoreHook, ...] = (),
) -> RunStats:
    """Store what :func:`parse_payload` made of ``data``: one transaction for the payload.

    Split from parsing so a daemon can parse on another core and store here. Raises what kept
    it from being stored (a transaction that lost a race with another writer runs again).
    """
    (outcome,) = store_payloads(
        db, [Payload(data, settings, results)], keep_raw=keep_raw, hooks=hooks
    )
    if isinstance(outcome, Exception):
        raise outcome
    return outcome


@dataclass(frozen=True)
class Payload:
    """One parsed payload waiting for its store; ``urgent`` (a WebSub push) goes before the
    polls' payloads and waits for no batch to fill."""

    data: bytes
    settings: FeedSettings
    results: list[Article | Rejected]
    urgent: bool = False
    # Each result's text fingerprint when the parse worker made them (Parsed.text_hashes).
    text_hashes: tuple[str | None, ...] | None = None


def store_payloads(
    db: Database,
    payloads: list[Payload],
    *,
    keep_raw: bool = True,
    hooks: tuple[StoreHook, ...] = (),
) -> list[RunStats | Exception]:
    """Several payloads in one transaction and one commit (the commit is a good part of a small
    payload's store). They are first stored together, as one batch of articles in payload
    order (a fixed number of statements for the lot); if that fails, each is stored again in a
    savepoint of its own, so a failing payload is rolled back alone and its exception takes its
    place in the list. If the commit fails, this raises and none of them is stored (for a
    single payload, its exception is returned either way).

    A payload whose transaction lost a race with another writer (a deadlock, a serialization
    failure: :func:`wire.storage.db.conflict`) is stored again in a new transaction, up to
    ``CONFLICT_ATTEMPTS`` tries in all: it is neither lost nor taken for bad data.
    """
    outcomes = _store_payloads(db, payloads, keep_raw, hooks)
    for _ in range(1, CONFLICT_ATTEMPTS):
        again = [i for i, o in enumerate(outcomes) if isinstance(o, Exception) and conflict(o)]
        if not again:
            break
        log.info("storing %d payload(s) again after a conflict with another writer", len(again))
        redone = _store_payloads(db, [payloads[i] for i in again], keep_raw, hooks)
        for i, outcome in zip(again, redone, strict=True):
            outcomes[i] = outcome
    return outcomes


def _store_payloads(
    db: Database, payloads: list[Payload], keep_raw: bool, hooks: tuple[StoreHook, ...]
) -> list[RunStats | Exception]:
    """One try of :func:`store_payloads`."""
    if not payloads:
        return []
    if len(payloads) == 1:  # the transaction is its savepoint
        try:
            with db.session() as session:
                return list(_store_together(session, payloads, keep_raw, hooks))
        except Exception as exc:
            return [exc]
    with db.session() as session:
        try:
            with session.begin_nested():
                return list(_store_together(session, payloads, keep_raw, hooks))
        except Exception as exc:
            log.info(
                "a batch of %d payloads failed (%s); storing them one by one", len(payloads), exc
            )
        out: list[RunStats | Exception] = []
        for payload in payloads:
            try:
                with session.begin_nested():
                    out.extend(_store_together(session, [payload], keep_raw, hooks))
            except Exception as exc:
                out.append(exc)
    return out


def _store_together(
    session: Session, payloads: list[Payload], keep_raw: bool, hooks: tuple[StoreHook, ...]
) -> list[RunStats]:
    """Payloads stored as one batch of articles, in order, as storing them one after the other
    would (``store_articles`` sees an article stored earlier in the batch); one RunStats each.
    The fingerprints and the clusterer's signing clean each body once between them."""
    with boilerplate_memo():
        return _store_batch(session, payloads, keep_raw, hooks)


def _store_batch(
    session: Session, payloads: list[Payload], keep_raw: bool, hooks: tuple[StoreHook, ...]
) -> list[RunStats]:
    if keep_raw:
        store_raws(session, [(p.settings.feed, p.data, p.settings.location) for p in payloads])
    all_stats = [RunStats() for _ in payloads]
    articles: list[Article] = []
    hashes: list[str | None] = []  # each article's text fingerprint, where a worker made it
    made: list[bool] = []
    owners: list[RunStats] = []  # the stats of each article's payload
    for payload, stats in zip(payloads, all_stats, strict=True):
        settings = payload.settings
        given = payload.text_hashes
        if given is not None and len(given) != len(payload.results):
            given = None
        for n, item in enumerate(payload.results):
            if isinstance(item, Rejected):
                stats.rejected += 1
                stats.messages.append(item.reason)
                store_reject(
                    session,
                    settings.feed,
                    storable(item.reason),
                    item.raw or payload.data,
                    guid=storable(item.guid) if item.guid is not None else None,
                    location=settings.location,
                )
            else:
                articles.append(item)
                hashes.append(given[n] if given is not None else None)
                made.append(given is not None)
                owners.append(stats)
    stored = _store_all(session, articles, hashes, made)
    changed = [
        (article, result)
        for article, result in zip(articles, stored, strict=True)
        if result.outcome in ("new", "updated")  # nothing changed for the others
    ]
    _run_hooks(session, changed, hooks)
    for stats, result in zip(owners, stored, strict=True):
        if result.outcome == "new":
            stats.new += 1
        elif result.outcome == "updated":
            stats.updated += 1
        else:
            stats.unchanged += 1
        stats.stored.append(result)
    return all_stats


def _store_all(
    session: Session, articles: list[Article], hashes: list[str | None], made: list[bool]
) -> list[StoreResult]:
    """The batch in one go; if another daemon stored one of its articles meanwhile (a unique
    violation), the batch is tried again (it now sees the other's row), and after that one
    article at a time, each seeing the other's row. ``hashes``: each article's text
    fingerprint where ``made`` says a parse worker made it (the others are made here)."""
    items = [
        (a, h if m else text_fingerprint(a)) for a, h, m in zip(articles, hashes, made, strict=True)
    ]
    for _ in range(BATCH_ATTEMPTS):
        try:
            with session.begin_nested():
                return store_articles(session, items)
        except IntegrityError:
            log.info("concurrent insert detected; storing the batch again")
    results = []
    # Row locks in id order first, as a batch takes them: writers run in parallel.
    lock_articles(session, [a.id for a in articles])
    for article, text_hash in items:
        for attempt in (1, 2):
            try:
                with session.begin_nested():
                    results.append(store_article(session, article, text_hash=text_hash))
                break
            except IntegrityError:
                if attempt == 2:
                    raise
    return results


def _run_hooks(session: Session, changed: list[Stored], hooks: tuple[StoreHook, ...]) -> None:
    """Each hook over the changed articles in order; a failing hook never loses an article.

    A batch-capable hook gets them in one call (one savepoint); if that fails, they are
    retried one at a time, so only the article the hook fails on goes without it. A
    transaction that lost a race with another writer (``conflict``) is no failure of the
    hook: it raises, and the payload's transaction runs again (:func:`store_payloads`); in
    this one, the other writer may still wait for rows it locked before the hook.
    """
    for hook in hooks:
        if len(changed) > 1 and isinstance(hook, BatchStoreHook):
            try:
                with session.begin_nested():
                    hook.batch(session, changed)
                continue
            except Exception as exc:
                if conflict(exc):
                    raise
                log.exception("store hook %s failed for a batch; retrying per article", _name(hook))
        for article, result in changed:
            try:
                with session.begin_nested():
                    hook(session, article, result)
            except Exception as exc:
                if conflict(exc):
                    raise
                log.exception("store hook %s failed for %s", _name(hook), article.id)


def _name(hook: StoreHook) -> str:
    return getattr(hook, "__name__", None) or type(hook).__name__


# --- the pipeline of a fetched payload ---------------------------------------------------


class StoreFailed(Exception):
    """Storing a payload failed (nothing of it was committed): the store's fault, not the
    source's. The payload was fetched and parsed; fetching it again later is safe."""


@dataclass(frozen=True)
class Fetched:
    """A payload as a source kind fetched it: its bytes, the source's settings (``location``
    says where this payload came from) and what the fetch knew of it."""

    data: bytes
    settings: FeedSettings
    fmt: str = "auto"
    filename: str | None = None
    known: Collection[str] = ()  # digests of the items the source delivered (known_items)
    urgent: bool = False  # pushed: stored before the polls' payloads (Payload.urgent)


def known_items(memory: str | None) -> frozenset[str]:
    """The item digests in a source's item memory (``SourceHealth.item_digests``: tokens
    ``digest`` or ``digest:key``, the key naming the item's guid): the items whose bytes the
    source delivered and the store took, which a payload need not parse again."""
    return frozenset(token.partition(":")[0] for token in (memory or "").split())


def _guid_key(guid: str) -> str:
    return hashlib.blake2b(guid.encode("utf-8", "surrogatepass"), digest_size=6).hexdigest()


@dataclass
class Ingested:
    """What the pipeline did with a payload: ``stats`` after the commit, ``digests`` of every
    item of the payload, and ``guids``: the guid of each item parsed, by digest."""

    stats: RunStats
    digests: tuple[str, ...] = ()
    guids: dict[str, str] = field(default_factory=dict)

    def remember(self, memory: str | None) -> str | None:
        """The source's item memory after this payload committed: its items are the newest,
        an item's new digest replaces its old one (so an item edited back to an earlier
        text is parsed and stored again, as a new version), and the oldest entries go
        beyond the payload's items plus ``MEMORY_EXTRA``. A payload that could not be cut
        into items leaves no memory (the next one is parsed whole, as before)."""
        if not self.digests:
            return None
        entries: dict[str, str] = {}  # key -> digest, oldest first
        for token in (memory or "").split():
            digest, _, key = token.partition(":")
            entries[key or digest] = digest
        key_of = {digest: key for key, digest in entries.items()}
        taken: set[str] = set()
        for digest in self.digests:
            guid = self.guids.get(digest)
            key = _guid_key(guid) if guid else key_of.get(digest, digest)
            if key in taken:  # the guid twice in one payload: each copy by its bytes
                key = digest
            taken.add(key)
            entries.pop(key, None)
            entries[key] = digest
        kept = list(entries.items())[-(len(self.digests) + MEMORY_EXTRA) :]
        return " ".join(digest if key == digest else f"{digest}:{key}" for key, digest in kept)


def _parsed_guids(parsed: Parsed, known: Collection[str]) -> dict[str, str]:
    """Each parsed item's guid by its digest, when the results are one per parsed item (the
    items not known, or all of them when the payload was parsed whole)."""
    parsed_digests = [d for d in parsed.digests if not parsed.skipped or d not in known]
    if len(parsed_digests) != len(parsed.results):
        return {}
    return {d: r.guid for d, r in zip(parsed_digests, parsed.results, strict=True) if r.guid}


class Parser(Protocol):
    """Stage 1 (parse and normalise) of a :class:`Pipeline`.

    ``parse(fetched)`` returns what :func:`wire.ingest.parsing.parse_new` makes of the payload,
    the items whose digest is in ``fetched.known`` left out; with ``sign`` true also each usable
    article's packed MinHash signature (``Parsed.signatures``), when it can make them. It never
    raises for bad data (that is a reject).
    """

    async def parse(self, fetched: Fetched, *, sign: bool) -> Parsed: ...


class PayloadStore(Protocol):
    """Stages 2-4 (dedup/cluster, store, change feed) of a :class:`Pipeline`.

    ``submit(payload)`` takes a parsed payload at once (no await between the parse and the
    submit) and returns a future that gets the payload's :class:`RunStats` once it is
    committed, or the exception that kept it from being stored. ``expecting()`` brackets a
    parse whose payload will be submitted: a store may wait for it to fill a batch.
    ``admitted(urgent)`` brackets a payload's whole way from its parse to its commit: a store
    may bound how many parsed payloads wait for it (their articles are memory), an urgent one
    (a push) excepted.
    """

    def admitted(self, urgent: bool) -> AbstractAsyncContextManager[None]: ...

    def expecting(self) -> AbstractContextManager[None]: ...

    def submit(self, payload: Payload) -> asyncio.Future[RunStats]: ...


class SignatureCache(Protocol):
    """The clusterer's signer: takes the signatures a parse worker made (``give``) for the
    store to use, and lets go of them after the store (``forget``)."""

    def give(self, packed: dict[bytes, bytes]) -> None: ...

    def forget(self, keys: Iterable[bytes]) -> None: ...


class ThreadParser:
    """Parses in a thread of the calling process (``wire run --once``, and the daemon's
    fallback when it has no parse workers)."""

    async def parse(self, fetched: Fetched, *, sign: bool) -> Parsed:
        f = fetched
        return await asyncio.to_thread(
            parse_new, f.data, f.settings, f.fmt, f.filename, None, f.known
        )


class DirectStore:
    """Stores each payload in its own transaction, in a thread, as it is submitted."""

    def __init__(self, db: Database, *, keep_raw: bool, hooks: tuple[StoreHook, ...]) -> None:
        self.db, self.keep_raw, self.hooks = db, keep_raw, hooks

    def admitted(self, urgent: bool) -> AbstractAsyncContextManager[None]:
        return contextlib.nullcontext()

    def expecting(self) -> AbstractContextManager[None]:
        return contextlib.nullcontext()

    def submit(self, payload: Payload) -> asyncio.Future[RunStats]:
        return asyncio.ensure_future(asyncio.to_thread(self._store, payload))

    def _store(self, payload: Payload) -> RunStats:
        (outcome,) = store_payloads(self.db, [payload], keep_raw=self.keep_raw, hooks=self.hooks)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome


class Pipeline:
    """Takes a fetched payload through every stage; the daemon and ``wire run --once`` differ
    only in the parser and the store they give it (worker processes and a batching store
    queue, or a thread and one transaction per payload)."""

    def __init__(
        self, parser: Parser, store: PayloadStore, signer: SignatureCache | None = None
    ) -> None:
        self.parser, self.store, self.signer = parser, store, signer

    async def ingest(
        self, fetched: Fetched, *, committing: Callable[[], None] = lambda: None
    ) -> Ingested:
        """Parse, then store; ``committing`` is called once the store has the payload (from
        then on the write is shielded: a started write always commits). Raises
        :class:`StoreFailed` when the store failed."""
        sighted = datetime.now(UTC)
        async with self.store.admitted(fetched.urgent):
            return await self._ingest(fetched, committing, sighted)

    async def _ingest(
        self, fetched: Fetched, committing: Callable[[], None], sighted: datetime
    ) -> Ingested:
        started = time.monotonic()
        with self.store.expecting():
            parsed = await self.parser.parse(fetched, sign=self.signer is not None)
        signer = self.signer if parsed.signatures else None
        if signer is not None:
            signer.give(parsed.signatures)
        log.info(
            "parsed",
            extra={"source": fetched.settings.feed, "items": len(parsed.results),
                   "skipped": parsed.skipped, "duration": round(time.monotonic() - started, 4)},
        )  # fmt: skip
        payload = Payload(
            fetched.data, fetched.settings, parsed.results, fetched.urgent, parsed.text_hashes
        )
        future = self.store.submit(payload)
        committing()
        try:
            stats = await self._stored(future)
        except StoreFailed:
            raise
        except Exception as exc:  # the payload's own data broke its store: it is a reject
            log.warning("payload of %s could not be stored (%s); storing it as a reject",
                        fetched.settings.feed, _brief(exc))  # fmt: skip
            reason = storable(f"could not be stored: {_brief(exc)}")
            reject = Payload(
                fetched.data, fetched.settings, [Rejected(reason, fetched.data)], fetched.urgent
            )
            stats = await self._stored(self.store.submit(reject), plain=False)
        finally:
            if signer is not None:
                signer.forget(parsed.signatures)
        stats.unchanged += parsed.skipped
        articles = [r for r in parsed.results if isinstance(r, Article)]
        stats.latencies.extend(commit_latencies(articles, stats.stored, sighted))
        known = frozenset(fetched.known)
        return Ingested(stats, parsed.digests, _parsed_guids(parsed, known))

    @staticmethod
    async def _stored(future: asyncio.Future[RunStats], *, plain: bool = True) -> RunStats:
        """The stats of a submitted payload; :class:`StoreFailed` when the database could
        not be used (or, ``plain`` false, for any failure), else the store's own exception."""
        try:
            return await asyncio.shield(future)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            if plain and not unavailable(exc):
                raise
            raise StoreFailed(f"store failed: {_brief(exc)}") from exc


def _brief(exc: BaseException) -> str:
    """An exception in one line (a database error's first line, without its SQL)."""
    return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"[:500]


def commit_latencies(
    articles: Sequence[Article], stored: Sequence[StoreResult], sighted: datetime
) -> list[float]:
    """Publish-to-commit seconds of the articles the store changed (``stored`` is in article
    order): from ``versioncreated``, or from ``sighted`` (the fetch) when it has none."""
    committed = datetime.now(UTC)
    out = []
    for article, result in zip(articles, stored, strict=False):
        if result.outcome not in ("new", "updated"):
            continue
        published = article.versioncreated
        if published is None or published.tzinfo is None or published > committed:
            published = sighted
        out.append((committed - published).total_seconds())
    return out
