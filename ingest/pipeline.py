"""The pipeline: payload -> adapter -> normalise -> dedup -> store, one batch per payload.

Nothing here raises for bad data: every failure becomes a reject with its raw bytes and a
reason, and the rest of the batch goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol, runtime_checkable

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wire.adapters.base import FeedSettings
from wire.config import AgencyConfig, Config, SourceConfig, source_location
from wire.ingest.fingerprint import text_fingerprint
from wire.ingest.parsing import parse_payload
from wire.record import Article, Rejected
from wire.storage.db import Database
from wire.storage.writer import StoreResult, store_article, store_articles, store_raws, store_reject

log = logging.getLogger("wire.pipeline")

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

    def add(self, other: RunStats) -> None:
        self.new += other.new
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.rejected += other.rejected
        self.errors += other.errors
        self.messages.extend(other.messages)
        self.stored.extend(other.stored)

    @property
    def items(self) -> int:
        return self.new + self.updated + self.unchanged + self.rejected


def settings_for(
    source: SourceConfig, location: str | None = None, agencies: tuple[AgencyConfig, ...] = ()
) -> FeedSettings:
    return FeedSettings(
        feed=source.name,
        source=source.source,
        language=source.language,
        timezone=source.timezone,
        location=location or source.location,
        max_bytes=source.max_bytes,
        agencies=agencies,
    )


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

    Split from parsing so a daemon can parse on another core and store here.
    """
    with db.session() as session:
        return _store_together(session, [Payload(data, settings, results)], keep_raw, hooks)[0]


@dataclass(frozen=True)
class Payload:
    """One parsed payload waiting for its store."""

    data: bytes
    settings: FeedSettings
    results: list[Article | Rejected]


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
    single payload, its exception is returned either way)."""
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
    would (``store_articles`` sees an article stored earlier in the batch); one RunStats each."""
    if keep_raw:
        store_raws(session, [(p.settings.feed, p.data, p.settings.location) for p in payloads])
    all_stats = [RunStats() for _ in payloads]
    articles: list[Article] = []
    owners: list[RunStats] = []  # the stats of each article's payload
    for payload, stats in zip(payloads, all_stats, strict=True):
        settings = payload.settings
        for item in payload.results:
            if isinstance(item, Rejected):
                stats.rejected += 1
                stats.messages.append(item.reason)
                store_reject(
                    session,
                    settings.feed,
                    item.reason,
                    item.raw or payload.data,
                    guid=item.guid,
                    location=settings.location,
                )
            else:
                articles.append(item)
                owners.append(stats)
    stored = _store_all(session, articles)
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


def _store_all(session: Session, articles: list[Article]) -> list[StoreResult]:
    """The batch in one go; if another daemon stored one of its articles meanwhile (a unique
    violation), the batch is redone one article at a time, each seeing the other's row."""
    items = [(a, text_fingerprint(a)) for a in articles]
    try:
        with session.begin_nested():
            return store_articles(session, items)
    except IntegrityError:
        log.info("concurrent insert detected; storing the batch one article at a time")
    results = []
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
    retried one at a time, so only the article the hook fails on goes without it.
    """
    for hook in hooks:
        if len(changed) > 1 and isinstance(hook, BatchStoreHook):
            try:
                with session.begin_nested():
                    hook.batch(session, changed)
                continue
            except Exception:
                log.exception("store hook %s failed for a batch; retrying per article", _name(hook))
        for article, result in changed:
            try:
                with session.begin_nested():
                    hook(session, article, result)
            except Exception:
                log.exception("store hook %s failed for %s", _name(hook), article.id)


def _name(hook: StoreHook) -> str:
    return getattr(hook, "__name__", None) or type(hook).__name__


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


def ingest_path(
    db: Database,
    source: SourceConfig,
    path: Path,
    *,
    fmt: str | None = None,
    keep_raw: bool = True,
    hooks: tuple[StoreHook, ...] = (),
    agencies: tuple[AgencyConfig, ...] = (),
) -> RunStats:
    """A local file, or every file in a folder, each its own batch."""
    stats = RunStats()
    files = iter_files(path) if path.is_dir() else [path]
    for file in files:
        try:
            data = file.read_bytes()
        except OSError as exc:
            stats.errors += 1
            stats.messages.append(f"{file}: {exc.strerror or exc}")
            continue
        settings = settings_for(source, str(file), agencies)
        stats.add(
            ingest_payload(
                db,
                data,
                settings,
                fmt=fmt or source.format,
                filename=file.name,
                keep_raw=keep_raw,
                hooks=hooks,
            )
        )
    return stats


def run_source_once(
    db: Database, config: Config, source: SourceConfig, hooks: tuple[StoreHook, ...] = ()
) -> RunStats:
    """One pass over one configured source (files and folders; URLs: ``wire.ingest.fetch``)."""
    location = source_location(config, source)
    if source.is_url:
        from wire.ingest.fetch import fetch_once  # imported here: httpx is not needed for files

        stats = RunStats()
        try:
            data = fetch_once(config, source)
        except Exception as exc:
            stats.errors += 1
            stats.messages.append(str(exc))
            return stats
        return ingest_payload(
            db,
            data,
            settings_for(source, location, config.agencies),
            fmt=source.format,
            keep_raw=config.storage.keep_raw,
            hooks=hooks,
        )
    path = Path(location)
    if not path.exists():
        stats = RunStats(errors=1)
        stats.messages.append(f"{location} does not exist")
        return stats
    return ingest_path(
        db, source, path, keep_raw=config.storage.keep_raw, hooks=hooks, agencies=config.agencies
    )
