"""Source kinds: how payloads are got from a source, each behind one small protocol.

A kind fetches; everything after the fetch is the pipeline's (``wire.ingest.pipeline``). The
daemon and ``wire run --once`` poll through the same kinds, so a pass of ``--once`` is one
daemon cycle: conditional requests, drop-folder filing, acknowledgements after the commit.

Rules every kind keeps:

- validators (ETag, Last-Modified, item digests) and pull acknowledgements follow the commit,
  never precede it, so a crash at any point costs at most a repeat that dedup absorbs;
- a 304, or a body byte-identical to the last one stored, is not parsed and changes only the
  health row; in a changed feed, the items the source already delivered byte for byte (its
  item memory, ``SourceHealth.item_digests``, shared with WebSub pushes) are not parsed
  either.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from wire.config import Config, SourceConfig, source_location
from wire.errors import ConfigError, FetchError, RetryLater
from wire.ingest.dropfolder import SETTLE_SECONDS, poll_folder
from wire.ingest.files import iter_files
from wire.ingest.freshness import INTERVAL_ROLES, source_hint
from wire.ingest.health import Outcome, payload_error
from wire.ingest.pipeline import (
    Fetched,
    Ingested,
    Pipeline,
    RunStats,
    StoreFailed,
    known_items,
    settings_for,
)
from wire.ingest.pull import pull
from wire.ingest.websub import discover_hub
from wire.storage.health import SourceHealth

if TYPE_CHECKING:
    from wire.ingest.fetch import Fetcher

log = logging.getLogger("wire.daemon")


@dataclass
class Flight:
    """A poll in progress; ``cancellable`` while nothing of it is being written."""

    task: asyncio.Task[Any] | None
    cancellable: bool = True


@dataclass
class PollContext:
    """What the kinds share: the fetcher, the pipeline, the request places, the stop flag
    and the digest of the last body stored per source (and per file).

    ``fetcher`` None: :meth:`http` makes one at the first request, so a pass over files
    (``wire run --once``) never imports the HTTP stack (httpx, httpcore, trio: a fifth of a
    second); its owner closes it (``fetcher`` is then set).
    """

    config: Config
    fetcher: Fetcher | None
    pipeline: Pipeline
    slots: asyncio.Semaphore  # requests in flight, at most [http].max_connections
    stopping: Callable[[], bool] = lambda: False
    bodies: dict[str, str] = field(default_factory=dict)
    settle: float = SETTLE_SECONDS  # drop-folder files must be this old to be read

    async def ingest(
        self,
        source: SourceConfig,
        flight: Flight,
        data: bytes,
        location: str,
        filename: str | None,
        known: Collection[str] = (),
        *,
        urgent: bool = False,
    ) -> Ingested:
        """One payload of ``source`` through the pipeline; not cancellable once stored.
        ``urgent``: a push, stored before the polls' payloads."""
        settings = settings_for(source, location, self.config.agencies)
        fetched = Fetched(data, settings, source.format, filename, known, urgent)

        def committing() -> None:
            flight.cancellable = False

        return await self.pipeline.ingest(fetched, committing=committing)

    def http(self) -> Fetcher:
        """The fetcher, made now if it was not given."""
        if self.fetcher is None:
            from wire.ingest.fetch import Fetcher

            self.fetcher = Fetcher(self.config.http)
        return self.fetcher

    def forget(self, name: str) -> None:
        """Drop what is kept of a source handed to another daemon."""
        for key in [k for k in self.bodies if k == name or k.startswith(name + "\0")]:
            del self.bodies[key]


class SourceKind(Protocol):
    """One way of getting payloads from a source.

    ``check(source)`` raises ``wire.errors.ConfigError`` for a configuration this kind cannot
    poll (checked at start, not at the first poll). ``poll(source, state, flight)`` fetches
    what is new, sends each payload through ``ctx.ingest`` and returns the :class:`Outcome`;
    it reads the validators in ``state`` and moves them on only after the commit. It raises
    ``wire.errors.FetchError`` (``RetryLater`` for a pause the server asked for) when the
    source failed, ``wire.ingest.pipeline.StoreFailed`` when the store did; bad data is never
    an exception (it is a reject). It looks at ``ctx.stopping()`` between payloads, and
    keeps ``flight.cancellable`` True only while abandoning the poll loses nothing.
    """

    name: str

    def check(self, source: SourceConfig) -> None: ...

    async def poll(self, source: SourceConfig, state: SourceHealth, flight: Flight) -> Outcome: ...


class _Polls:
    """A kind's share of the poll context."""

    def __init__(self, ctx: PollContext) -> None:
        self.ctx = ctx


class HttpPoll(_Polls):
    """``kind = "poll"`` over http(s): a conditional GET; a changed body goes to the pipeline."""

    name = "poll"

    @staticmethod
    def check(source: SourceConfig) -> None:
        check_auth(source)

    async def poll(self, source: SourceConfig, state: SourceHealth, flight: Flight) -> Outcome:
        ctx = self.ctx
        async with ctx.slots:  # a request place for the GET only
            got = await ctx.http().get(
                source, source.location, etag=state.etag, last_modified=state.last_modified
            )
        hint = source_hint(got.cache_headers, got.body)
        if got.not_modified:
            state.etag, state.last_modified = got.etag, got.last_modified
            return Outcome(
                "not_modified",
                attempts=got.attempts,
                fetch_seconds=got.elapsed,
                hint=hint,
                hub=discover_hub(b"", source.location, got.cache_headers.get("link")),
            )
        digest = hashlib.sha256(got.body).hexdigest()
        if ctx.bodies.get(source.name) == digest:
            state.etag, state.last_modified = got.etag, got.last_modified
            hub = discover_hub(got.body, source.location, got.cache_headers.get("link"))
            return Outcome(
                "same_body", attempts=got.attempts, fetch_seconds=got.elapsed, hint=hint, hub=hub
            )
        known = known_items(state.item_digests)
        done = await ctx.ingest(source, flight, got.body, source.location, None, known)
        stats = done.stats
        if not stats.errors:  # committed: now the validators may move on
            state.etag, state.last_modified = got.etag, got.last_modified
            state.item_digests = done.remember(state.item_digests)
            ctx.bodies[source.name] = digest
        return Outcome(
            "fetched",
            stats,
            payload_error(stats),
            items=stats.items,
            attempts=got.attempts,
            fetch_seconds=got.elapsed,
            hint=hint,
            hub=discover_hub(got.body, source.location, got.cache_headers.get("link")),
        )


class PullPoll(_Polls):
    """``kind = "pull"``: GET a batch, store it, acknowledge it (``wire.ingest.pull``)."""

    name = "pull"

    @staticmethod
    def check(source: SourceConfig) -> None:
        if not (source.is_url and source.ack_url):
            raise ConfigError(
                f"source {source.name!r}: kind = 'pull' needs an http(s) location and ack_url"
            )
        if source.long_poll is not None and not 0 < source.long_poll <= 3600:
            raise ConfigError(
                f"source {source.name!r}: long_poll must be more than 0 and at most 3600 seconds"
            )
        check_auth(source)

    async def poll(self, source: SourceConfig, state: SourceHealth, flight: Flight) -> Outcome:
        ctx = self.ctx

        async def store(data: bytes, location: str, filename: str | None) -> RunStats:
            try:
                return (await ctx.ingest(source, flight, data, location, filename)).stats
            finally:
                flight.cancellable = False  # the acknowledgement follows: let it finish

        def stopping() -> bool:
            flight.cancellable = True  # between batches: a stop may abandon the next GET
            return ctx.stopping()

        async with ctx.slots:  # a series of steps: one request place throughout
            result = await pull(ctx.http(), source, source.location, store, stopping=stopping)
        again = 0.0 if result.again and not result.error else None  # long-poll: at once
        if not result.batches:
            return Outcome(
                "empty", fetch_seconds=result.fetch_seconds, acked=result.acked,
                recheck_after=again,
            )  # fmt: skip
        stats = result.stats
        return Outcome(
            "fetched",
            stats,
            result.error or payload_error(stats),
            items=stats.items,
            fetch_seconds=result.fetch_seconds,
            acked=result.acked,
            recheck_after=again,
        )


class FolderPoll(_Polls):
    """``kind = "folder"``: a drop folder; each settled file is stored once, then moved to
    ``done/`` or ``failed/`` with its reasons (``wire.ingest.dropfolder``)."""

    name = "folder"

    @staticmethod
    def check(source: SourceConfig) -> None:
        if source.is_url:
            raise ConfigError(
                f"source {source.name!r}: kind = 'folder' needs a local folder, not a URL"
            )

    async def poll(self, source: SourceConfig, state: SourceHealth, flight: Flight) -> Outcome:
        ctx = self.ctx
        flight.cancellable = False  # file by file, each committed then moved; stops between
        folder = Path(source_location(ctx.config, source))

        async def store(data: bytes, location: str, filename: str | None) -> RunStats:
            return (await ctx.ingest(source, flight, data, location, filename)).stats

        async with ctx.slots:
            result = await poll_folder(
                folder, store, settle=ctx.settle, source=source.name, stopping=ctx.stopping
            )
        stats = result.stats
        files = result.done + result.failed
        return Outcome(
            "fetched" if files else "empty",
            stats,
            payload_error(stats) if stats.errors else None,  # a bad file is filed, not a failure
            items=stats.items if files else None,
            recheck_after=ctx.settle if result.pending else None,
        )


class LocalPoll(_Polls):
    """``kind = "poll"`` over a local file or folder, read in place: files whose bytes are
    the ones last stored are skipped."""

    name = "poll"

    @staticmethod
    def check(source: SourceConfig) -> None:
        pass  # a missing path is a failed poll: it may appear later (a mount)

    async def poll(self, source: SourceConfig, state: SourceHealth, flight: Flight) -> Outcome:
        ctx = self.ctx
        flight.cancellable = False
        path = Path(source_location(ctx.config, source))
        if not path.exists():
            return Outcome("failed", error=f"{path} does not exist")
        files = await asyncio.to_thread(lambda: iter_files(path) if path.is_dir() else [path])
        total = RunStats()
        stored = 0
        async with ctx.slots:
            for file in files:
                if ctx.stopping():
                    break
                try:
                    data = await asyncio.to_thread(file.read_bytes)
                except OSError as exc:
                    total.errors += 1
                    total.messages.append(f"{file}: {exc.strerror or exc}")
                    continue
                key = f"{source.name}\0{file}"
                digest = hashlib.sha256(data).hexdigest()
                if ctx.bodies.get(key) == digest:
                    continue
                stats = (await ctx.ingest(source, flight, data, str(file), file.name)).stats
                total.add(stats)
                stored += 1
                if not stats.errors:
                    ctx.bodies[key] = digest
        if not stored and not total.errors:
            return Outcome("same_body")
        return Outcome("fetched", total, payload_error(total), items=total.items)


def check_auth(source: SourceConfig) -> None:
    """A missing secret fails at the configuration check, with its variable's name (the
    HTTP stack imported only for sources that make requests)."""
    from wire.ingest.fetch import auth_headers

    auth_headers(source)


def kind_class(source: SourceConfig) -> type[HttpPoll | LocalPoll | PullPoll | FolderPoll]:
    """The kind that polls ``source``: ``kind`` from its configuration, and for
    ``kind = "poll"`` whether its location is a URL or a local path."""
    if source.kind == "pull":
        return PullPoll
    if source.kind == "folder":
        return FolderPoll
    if source.kind == "poll":
        return HttpPoll if source.is_url else LocalPoll
    raise ConfigError(
        f"source {source.name!r}: kind must be poll, folder or pull, not {source.kind!r}"
    )


def check_sources(config: Config, sources: list[SourceConfig]) -> None:
    """Configuration mistakes a poll would otherwise hit only when it runs."""
    for source in sources:
        kind_class(source).check(source)
        interval = source.interval if source.interval is not None else config.daemon.interval
        if interval <= 0:
            raise ConfigError(f"source {source.name!r}: interval must be more than 0 seconds")
        if source.long_poll is not None and source.kind != "pull":
            raise ConfigError(
                f"source {source.name!r}: long_poll is for kind = 'pull' sources only"
            )
        if source.interval_is not in INTERVAL_ROLES:
            raise ConfigError(
                f"source {source.name!r}: interval_is must be one of "
                f"{', '.join(INTERVAL_ROLES)}, not {source.interval_is!r}"
            )
    d = config.daemon
    if not 0 < d.min_interval <= d.max_interval:
        raise ConfigError("[daemon] needs 0 < min_interval <= max_interval")


class SourceKinds:
    """One poller of each kind over a shared :class:`PollContext`."""

    def __init__(self, ctx: PollContext) -> None:
        self.ctx = ctx
        self._kinds: dict[type, SourceKind] = {
            cls: cls(ctx) for cls in (HttpPoll, LocalPoll, PullPoll, FolderPoll)
        }

    def of(self, source: SourceConfig) -> SourceKind:
        return self._kinds[kind_class(source)]


async def poll_source(
    kind: SourceKind, source: SourceConfig, state: SourceHealth, flight: Flight
) -> Outcome:
    """One poll, never raising (but for cancellation): the source failing and the store
    failing each end in their own branch."""
    try:
        return await kind.poll(source, state, flight)
    except RetryLater as exc:  # the source failed and asked for a pause
        return Outcome("failed", error=str(exc), retry_after=exc.delay)
    except FetchError as exc:  # the source failed
        return Outcome("failed", error=str(exc))
    except StoreFailed as exc:  # the store failed: nothing of the payload was committed
        log.error("store failed", extra={"source": source.name, "error": str(exc)})
        return Outcome("store_failed", error=str(exc))
    except Exception as exc:  # a bug: report it, keep going
        log.exception("poll crashed", extra={"source": source.name})
        return Outcome("failed", error=f"{type(exc).__name__}: {exc}")
