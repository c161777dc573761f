"""Parsing a payload into normalised records: adapter plus normalisation, no storage.

Kept apart from ``wire.ingest.pipeline`` so the daemon's parse workers import neither SQLAlchemy
nor the store: they only turn bytes into records.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import signal
import threading
import time
from collections.abc import Collection
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from wire import adapters
from wire.adapters.base import Adapter, FeedSettings, ItemSpans, SplitsItems, binary_kind
from wire.errors import AdapterError
from wire.normalise.article import all_text, normalise
from wire.record import Article, ParseResult, Rejected, has_surrogate

if TYPE_CHECKING:
    from multiprocessing.synchronize import Event as EventType

    from wire.config import DedupConfig, SourceConfig
    from wire.feedsettings import AgencyConfig
    from wire.ingest.signing import MinHasher

log = logging.getLogger("wire.pipeline")


# Part of every item digest: bump it when a change to adapters or normalisation should make
# the daemon parse items again that it skipped as already stored.
ITEM_DIGEST_VERSION = 1

# What the store can hold: an identifier longer than this is no identifier (PostgreSQL also
# indexes a guid only up to ~2,700 bytes), and versions live in a 32-bit integer column.
MAX_GUID_BYTES = 1000
MAX_VERSION = 2**31 - 1

_KNOWN_FORMATS = "not RSS/Atom, NewsML-G2, ninjs, NITF, IPTC 7901, HTML or text"
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass
class Parsed:
    """What :func:`parse_new` made of a payload.

    ``digests`` name every item of the payload in document order (empty when the adapter
    cannot cut its payloads into items); ``skipped`` items had a digest in ``known`` and were
    not parsed at all. ``signatures`` are the packed MinHash signatures of the usable articles
    by :func:`wire.ingest.signing.text_key`, when a parse worker made them (:func:`parse_and_sign`).
    ``text_hashes``: each result's ``text_fingerprint`` (None for a reject), when a parse
    worker made them (:func:`text_hashes`): CPU the store thread then does not spend.
    """

    results: list[Article | Rejected]
    digests: tuple[str, ...] = ()
    skipped: int = 0
    signatures: dict[bytes, bytes] = field(default_factory=dict)
    text_hashes: tuple[str | None, ...] | None = None


def settings_for(
    source: SourceConfig, location: str | None = None, agencies: tuple[AgencyConfig, ...] = ()
) -> FeedSettings:
    """What the adapters and normalisation know of a source's payload from ``location``."""
    return FeedSettings(
        feed=source.name,
        source=source.source,
        language=source.language,
        timezone=source.timezone,
        location=location or source.location,
        max_bytes=source.max_bytes,
        agencies=agencies,
    )


def parse_payload(
    data: bytes,
    settings: FeedSettings,
    fmt: str = "auto",
    filename: str | None = None,
    now: datetime | None = None,
) -> list[Article | Rejected]:
    """Adapter plus normalisation, without storage: what ``wire parse`` prints (no item
    digests: nobody keeps them here, and cutting the payload into items costs a byte scan)."""
    return parse_new(data, settings, fmt, filename, now, digests=False).results


def parse_new(
    data: bytes,
    settings: FeedSettings,
    fmt: str = "auto",
    filename: str | None = None,
    now: datetime | None = None,
    known: Collection[str] = (),
    digests: bool = True,
) -> Parsed:
    """Like :func:`parse_payload`, leaving out the items whose digest is in ``known``.

    The daemon passes the digests of the items it stored from the source's last payload, so
    a changed feed costs the parse of its new or changed items only (any change to an item's
    bytes, or to the source's settings, gives it a new digest). When the cut payload does not
    give one result per remaining item the whole payload is parsed, as without ``known``.
    With ``digests=False`` (and nothing ``known``) the payload is not cut into items and
    ``Parsed.digests`` stays empty.
    """
    now = now or datetime.now(UTC)
    try:
        return _parse_new(data, settings, fmt, filename, now, known, digests)
    except Exception as exc:  # a bug must cost this payload only, never the batch or the daemon
        log.exception("parsing a payload of %s failed", settings.feed)
        return Parsed([Rejected(f"could not be read ({type(exc).__name__}: {exc})", data)])


def _parse_new(
    data: bytes,
    settings: FeedSettings,
    fmt: str,
    filename: str | None,
    now: datetime,
    known: Collection[str],
    want_digests: bool = True,
) -> Parsed:
    if len(data) > settings.max_bytes:
        return Parsed(
            [
                Rejected(
                    f"payload of {len(data)} bytes is over the cap of {settings.max_bytes} bytes",
                    data,
                )
            ]
        )
    if not data or data.isspace():  # as `not data.strip()`, without copying the payload
        return Parsed([Rejected("empty payload", data)])
    adapter = adapters.resolve(fmt, data, filename)
    if adapter is None:
        binary = binary_kind(data)
        what = f"the bytes are {binary}" if binary else _KNOWN_FORMATS
        return Parsed([Rejected(f"format not recognised ({what})", data)])
    spans = _item_spans(adapter, data) if want_digests or known else None
    if spans is None:
        return Parsed(_normalise_all(_read(adapter, data, settings)[0], settings, now))
    digests = item_digests(adapter, settings, spans)
    known = frozenset(known)
    drop = {i for i, d in enumerate(digests) if d in known}
    if drop:
        wanted = len(digests) - len(drop)
        items, whole = _read(adapter, spans.without(drop), settings) if wanted else ([], True)
        if whole and len(items) == wanted:
            return Parsed(_normalise_all(items, settings, now), digests, len(drop))
        log.info("cut payload of %s did not parse item for item; parsing it whole", settings.feed)
    return Parsed(_normalise_all(_read(adapter, data, settings)[0], settings, now), digests)


def _item_spans(adapter: Adapter, data: bytes) -> ItemSpans | None:
    """The adapter's cut of the payload; None (parse it whole) when it has none or fails."""
    if not isinstance(adapter, SplitsItems):
        return None
    try:
        return adapter.item_spans(data)
    except Exception:
        log.exception("adapter %s could not cut a payload into items", adapter.name)
        return None


def item_digests(adapter: Adapter, settings: FeedSettings, spans: ItemSpans) -> tuple[str, ...]:
    """Each item's digest: its bytes, keyed by what else decides its record."""
    salt = _digest_salt(adapter, settings)
    return tuple(
        hashlib.blake2b(spans.item(i), digest_size=8, key=salt).hexdigest()
        for i in range(len(spans.spans))
    )


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
        elif not isinstance(item, Article):
            out.append(Rejected(f"the adapter gave {type(item).__name__}, not a record", b""))
        else:
            out.append(_normalise_one(item, settings, now))
    return out


def _normalise_one(item: Article, settings: FeedSettings, now: datetime) -> Article | Rejected:
    """One record normalised and validated, or its reject (reason, raw form, guid)."""
    try:
        text = all_text(item)
        where = _lone_surrogate(item) if has_surrogate(text) else None
        if where:
            return Rejected(
                f"item {item.guid!r}: {where} is not valid Unicode text (it holds a lone "
                "surrogate, such as a JSON \\ud800 escape gives)",
                _raw_record(item),
                item.guid,
            )
        record = normalise(item, settings, now, text)
    except Exception as exc:
        log.exception("normalisation failed for %r", item.guid)
        reason = f"normalisation failed: {type(exc).__name__}: {exc}"
        return Rejected(reason, _raw_record(item), item.guid)
    problem = validate(record)
    return Rejected(problem, _raw_record(item), record.guid) if problem else record


def _lone_surrogate(value: Any, where: str = "") -> str | None:
    """The first field (``headline``, ``images[0].caption``) whose text holds a lone surrogate."""
    if isinstance(value, str):
        return (where or "text") if _SURROGATE.search(value) else None
    if isinstance(value, list):
        for i, v in enumerate(value):
            if found := _lone_surrogate(v, f"{where}[{i}]"):
                return found
    elif is_dataclass(value) and not isinstance(value, type):
        for f in fields(value):
            if found := _lone_surrogate(getattr(value, f.name), f"{where}.{f.name}".lstrip(".")):
                return found
    return None


def _raw_record(item: Article) -> bytes:
    """An item's adapter record as the reject's raw bytes: JSON, bad text escaped, never
    failing (the record may hold what made it a reject)."""
    try:
        return item.to_json().encode("utf-8", "backslashreplace")
    except Exception:
        return repr(item).encode("utf-8", "backslashreplace")


def validate(article: Article) -> str | None:
    """A reason to reject a normalised record, or None when it may be stored."""
    if not article.guid:
        return "item has no identifier (guid)"
    if len(article.guid.encode("utf-8", "replace")) > MAX_GUID_BYTES:
        return f"item identifier (guid) is longer than {MAX_GUID_BYTES} bytes"
    has_picture = article.type != "text" and any(i.href for i in article.images)
    if not (article.headline or article.body_text or has_picture) and article.pubstatus == "usable":
        return "item has neither a headline nor a body"
    if not 1 <= article.version <= MAX_VERSION:
        return f"item {article.guid!r}: version {_number(article.version)} is out of range"
    if article.urgency is not None and not 0 <= article.urgency <= 9:
        return f"item {article.guid!r}: urgency {_number(article.urgency)} is not 0 to 9"
    return None


def _number(value: int) -> str:
    """A number for a reason: in full when short, else its length (``str()`` refuses
    integers of over 4,300 digits)."""
    if abs(value) < 10**30:
        return str(value)
    return f"of about {int(value.bit_length() * 0.30103) + 1} digits"


# A signing parse worker's hasher, made at its first signing from the settings
# parse_worker_init was given: numpy's import and the permutations (~0.1 s) then come after
# the worker's first parse, not before it (``run --once`` waits for that parse).
_hasher: MinHasher | None = None
_hasher_config: DedupConfig | None = None


def _signer() -> MinHasher | None:
    """This worker's hasher, made on first use; None where nothing signs (``wire parse``)."""
    global _hasher
    if _hasher is None and _hasher_config is not None:
        from wire.ingest.signing import MinHasher  # numpy: parse workers only

        _hasher = MinHasher(_hasher_config)
    return _hasher


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
    parsed = parse_fingerprinted(data, settings, fmt, filename, known)
    if _signer() is not None:
        parsed.signatures = sign_usable(usable_articles(parsed.results))
    return parsed


def sign_usable(usable: list[Article]) -> dict[bytes, bytes]:
    """The packed MinHash signatures of ``usable`` by text key, made in a signing parse
    worker (:func:`parse_worker_init` with ``dedup``); none elsewhere."""
    hasher = _signer()
    if hasher is None or not usable:
        return {}
    from wire.ingest.signing import text_key  # numpy: parse workers only, not `wire parse`

    packed = hasher.packed_many(usable)  # signed together: see MinHasher.parts_many
    return {text_key(r): p for r, p in zip(usable, packed, strict=True)}


def parse_fingerprinted(
    data: bytes,
    settings: FeedSettings,
    fmt: str,
    filename: str | None,
    known: Collection[str],
    now: datetime | None = None,
    digests: bool = True,
) -> Parsed:
    """:func:`parse_new` plus each result's text fingerprint: what a parse worker (the
    daemon's or ``run --once``'s) hands the store, which then need not make them."""
    parsed = parse_new(data, settings, fmt, filename, now, known, digests)
    parsed.text_hashes = text_hashes(parsed.results)
    return parsed


def usable_articles(results: list[Article | Rejected]) -> list[Article]:
    """The results the clusterer signs: articles that are not killed or withheld."""
    return [r for r in results if isinstance(r, Article) and r.pubstatus == "usable"]


def text_hashes(results: list[Article | Rejected]) -> tuple[str | None, ...]:
    """Each result's text fingerprint (the store's exact-duplicate key), made in a parse
    worker; None for a reject."""
    from wire.ingest.fingerprint import text_fingerprint

    return tuple(text_fingerprint(r) if isinstance(r, Article) else None for r in results)


def parse_worker_init(
    daemon_pid: int, dedup: DedupConfig | None = None, stop: EventType | None = None
) -> None:
    """Initialiser of the daemon's parse workers (here, not in ``wire.ingest.parsepool``:
    unpickling it must not import the daemon, the store and the cluster index into every
    worker).

    Parse workers leave signals to the daemon (Ctrl-C reaches the whole process group) and
    end when the daemon is gone, however it ended (SIGKILL included): children of the fork
    server, or spawned ones whose parent was killed, have nothing else to stop them. ``stop``
    set ends the worker at once (the daemon is stopping). With ``dedup`` the worker also signs
    what it parses (:func:`parse_and_sign`)."""
    global _hasher, _hasher_config
    _hasher, _hasher_config = None, dedup  # the hasher made at the first signing (_signer)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)

    def watch() -> None:
        while True:
            if stop is not None and stop.wait(1.0):
                os._exit(0)
            if stop is None:
                time.sleep(1.0)
            try:
                os.kill(daemon_pid, 0)
            except ProcessLookupError:
                os._exit(0)
            except PermissionError:  # the pid was reused by another user's process
                os._exit(0)

    threading.Thread(target=watch, name="wire-parent-watch", daemon=True).start()
