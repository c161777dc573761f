"""Parsing a payload into normalised records: adapter plus normalisation, no storage.

Kept apart from ``wire.ingest.pipeline`` so the daemon's parse workers import neither SQLAlchemy
nor the store: they only turn bytes into records.
"""

from __future__ import annotations

import hashlib
import logging
import os
import signal
import threading
import time
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime

from wire import adapters
from wire.adapters.base import Adapter, FeedSettings, SplitsItems
from wire.config import DedupConfig
from wire.errors import AdapterError
from wire.ingest.signing import MinHasher, text_key
from wire.normalise.article import normalise
from wire.record import Article, ParseResult, Rejected

log = logging.getLogger("wire.pipeline")


# Part of every item digest: bump it when a change to adapters or normalisation should make
# the daemon parse items again that it skipped as already stored.
ITEM_DIGEST_VERSION = 1


@dataclass
class Parsed:
    """What :func:`parse_new` made of a payload.

    ``digests`` name every item of the payload in document order (empty when the adapter
    cannot cut its payloads into items); ``skipped`` items had a digest in ``known`` and were
    not parsed at all. ``signatures`` are the packed MinHash signatures of the usable articles
    by :func:`wire.ingest.signing.text_key`, when a parse worker made them (:func:`parse_and_sign`).
    """

    results: list[Article | Rejected]
    digests: tuple[str, ...] = ()
    skipped: int = 0
    signatures: dict[bytes, bytes] = field(default_factory=dict)


def parse_payload(
    data: bytes,
    settings: FeedSettings,
    fmt: str = "auto",
    filename: str | None = None,
    now: datetime | None = None,
) -> list[Article | Rejected]:
    """Adapter plus normalisation, without storage: what ``wire parse`` prints."""
    return parse_new(data, settings, fmt, filename, now).results


def parse_new(
    data: bytes,
    settings: FeedSettings,
    fmt: str = "auto",
    filename: str | None = None,
    now: datetime | None = None,
    known: Collection[str] = (),
) -> Parsed:
    """Like :func:`parse_payload`, leaving out the items whose digest is in ``known``.

    The daemon passes the digests of the items it stored from the source's last payload, so
    a changed feed costs the parse of its new or changed items only (any change to an item's
    bytes, or to the source's settings, gives it a new digest). When the cut payload does not
    give one result per remaining item the whole payload is parsed, as without ``known``.
    """
    now = now or datetime.now(UTC)
    if len(data) > settings.max_bytes:
        return Parsed(
            [
                Rejected(
                    f"payload of {len(data)} bytes is over the cap of {settings.max_bytes} bytes",
                    data,
                )
            ]
        )
    if not data.strip():
        return Parsed([Rejected("empty payload", data)])
    adapter = adapters.resolve(fmt, data, filename)
    if adapter is None:
        return Parsed(
            [
                Rejected(
                    "format not recognised (not RSS/Atom, NewsML-G2, ninjs, NITF, "
                    "IPTC 7901, HTML or text)",
                    data,
                )
            ]
        )
    spans = adapter.item_spans(data) if isinstance(adapter, SplitsItems) else None
    if spans is None:
        return Parsed(_normalise_all(_read(adapter, data, settings)[0], settings, now))
    salt = _digest_salt(adapter, settings)
    digests = tuple(
        hashlib.blake2b(spans.item(i), digest_size=8, key=salt).hexdigest()
        for i in range(len(spans.spans))
    )
    known = frozenset(known)
    drop = {i for i, d in enumerate(digests) if d in known}
    if drop:
        wanted = len(digests) - len(drop)
        items, whole = _read(adapter, spans.without(drop), settings) if wanted else ([], True)
        if whole and len(items) == wanted:
            return Parsed(_normalise_all(items, settings, now), digests, len(drop))
        log.info("cut payload of %s did not parse item for item; parsing it whole", settings.feed)
    return Parsed(_normalise_all(_read(adapter, data, settings)[0], settings, now), digests)


def _digest_salt(adapter: Adapter, settings: FeedSettings) -> bytes:
    """What besides an item's bytes decides its record: the adapter and the source settings."""
    parts = (ITEM_DIGEST_VERSION, adapter.name, settings.source, settings.language,
             settings.timezone, settings.location)  # fmt: skip
    return hashlib.blake2b(repr(parts).encode(), digest_size=32).digest()


def _read(adapter: Adapter, data: bytes, settings: FeedSettings) -> tuple[list[ParseResult], bool]:
    """The adapter's items, and False when the payload was unreadable as a whole (then the
    one result is the payload's reject)."""
    try:
        return adapter.parse(data, settings), True
    except AdapterError as exc:
        return [Rejected(f"{adapter.name}: {exc}", data)], False
    except Exception as exc:  # an adapter bug must not stop the daemon
        log.exception("adapter %s crashed", adapter.name)
        reason = f"{adapter.name}: could not be read ({type(exc).__name__}: {exc})"
        return [Rejected(reason, data)], False


def _normalise_all(
    items: list[ParseResult], settings: FeedSettings, now: datetime
) -> list[Article | Rejected]:
    """Normalisation and validation of each record; a failure rejects that item only."""
    out: list[Article | Rejected] = []
    for item in items:
        if isinstance(item, Rejected):
            out.append(item)
            continue
        try:
            record = normalise(item, settings, now)
        except Exception as exc:
            log.exception("normalisation failed for %s", item.guid)
            out.append(
                Rejected(
                    f"normalisation failed: {type(exc).__name__}: {exc}",
                    item.to_json().encode(),
                    item.guid,
                )
            )
            continue
        problem = validate(record)
        if problem:
            out.append(Rejected(problem, item.to_json().encode(), record.guid))
        else:
            out.append(record)
    return out


def validate(article: Article) -> str | None:
    """A reason to reject a normalised record, or None when it may be stored."""
    if not article.guid:
        return "item has no identifier (guid)"
    has_picture = article.type != "text" and any(i.href for i in article.images)
    if not (article.headline or article.body_text or has_picture) and article.pubstatus == "usable":
        return "item has neither a headline nor a body"
    return None


_hasher: MinHasher | None = None  # a parse worker's, made by parse_worker_init


def parse_and_sign(
    data: bytes,
    settings: FeedSettings,
    fmt: str,
    filename: str | None,
    known: Collection[str],
) -> Parsed:
    """:func:`parse_new` in a parse worker, plus each usable article's MinHash signature:
    signing is CPU the daemon's store thread then does not spend (it shares the daemon's
    interpreter lock with every fetch)."""
    parsed = parse_new(data, settings, fmt, filename, None, known)
    if _hasher is not None:
        parsed.signatures = {
            text_key(r): _hasher.packed(r)
            for r in parsed.results
            if isinstance(r, Article) and r.pubstatus == "usable"
        }
    return parsed


def parse_worker_init(daemon_pid: int, dedup: DedupConfig | None = None) -> None:
    """Initialiser of the daemon's parse workers (here, not in ``wire.ingest.daemon``: unpickling it
    must not import the daemon, the store and the cluster index into every worker).

    Parse workers leave signals to the daemon (Ctrl-C reaches the whole process group) and
    end when the daemon is gone, however it ended (SIGKILL included): they are children of
    the fork server, not of the daemon, so nothing else would stop them. With ``dedup`` the
    worker also signs what it parses (:func:`parse_and_sign`)."""
    global _hasher
    _hasher = MinHasher(dedup) if dedup is not None else None
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)

    def watch() -> None:
        while True:
            time.sleep(1.0)
            try:
                os.kill(daemon_pid, 0)
            except ProcessLookupError:
                os._exit(0)
            except PermissionError:  # the pid was reused by another user's process
                os._exit(0)

    threading.Thread(target=watch, name="wire-parent-watch", daemon=True).start()
