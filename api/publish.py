"""Push the change feed to publishers: NATS JetStream subjects and signed webhooks.

Publishing never happens inside the ingest transaction. Each publisher reads the committed
change feed after its own cursor (a ``publish_cursors`` row), delivers in sequence order, then
advances the cursor; a restart resumes from the last delivered sequence. Delivery is at least
once: a crash between delivery and the cursor write repeats a few messages, which JetStream
drops by message id (``Nats-Msg-Id`` = article id + version) and webhook receivers can drop by
``X-Wire-Delivery``. Run one ``wire publish`` per store.

A webhook that keeps refusing a change is retried with exponential backoff for hours
(``[publish].webhook_retry_for``) before the change becomes a dead letter; later changes wait,
so a receiver sees them in order. Dead letters are sent again by :func:`replay_dead_letters`
(``wire publish --replay``, or ``POST /admin/dead-letters/replay`` for a running publisher).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
import os
import random
import re
import time
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol, TypeVar

import httpx

from wire.api.formats import render_item
from wire.config import Config
from wire.errors import ConfigError
from wire.storage import changes as change_feed
from wire.storage.db import Database
from wire.storage.embargo import release_due_changes

log = logging.getLogger("wire.publish")
USER_AGENT = "wire-publisher/0.1"
_SUBJECT_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")
T = TypeVar("T")


class Undeliverable(Exception):
    """A change a target refused after every attempt: it goes to the dead letters."""

    def __init__(self, attempts: int, error: str) -> None:
        super().__init__(error)
        self.attempts = attempts
        self.error = error


class Publisher(Protocol):
    name: str  # the publish_cursors row; stable across restarts
    commit_every: int  # changes delivered between cursor writes

    async def start(self) -> None: ...

    async def send(self, entry: change_feed.ChangeEntry, body: bytes) -> None: ...

    async def close(self) -> None: ...


def message_body(entry: change_feed.ChangeEntry, fmt: str = "ninjs") -> bytes:
    """What every publisher sends: the /changes entry, the record rendered in ``fmt``."""
    item = render_item(entry.record, fmt)
    return json.dumps(entry.to_dict(item), ensure_ascii=False, separators=(",", ":")).encode()


def subject_token(agency: str | None) -> str:
    """An agency code as one NATS subject token (no dots, spaces or wildcards)."""
    token = _SUBJECT_UNSAFE.sub("_", (agency or "").strip().lower()).strip("_")
    return token or "unknown"


class NatsPublisher:
    """Every change to ``<prefix>.<agency>`` on a JetStream stream, deduplicated by message id."""

    commit_every = 100

    def __init__(self, url: str, stream: str, prefix: str, *, timeout: float = 10.0) -> None:
        self.url, self.stream, self.prefix, self.timeout = url, stream, prefix.rstrip("."), timeout
        self.name = f"nats:{stream}"
        self._nc: Any = None
        self._js: Any = None

    async def start(self) -> None:
        import nats
        from nats.js.errors import NotFoundError

        # Few, quick reconnects: a longer outage fails the pump, and run_publisher retries
        # it with backoff from the cursor.
        self._nc = await nats.connect(
            self.url,
            connect_timeout=self.timeout,
            reconnect_time_wait=0.5,
            max_reconnect_attempts=2,
        )
        self._js = self._nc.jetstream(timeout=self.timeout)
        try:
            await self._js.stream_info(self.stream)
        except NotFoundError:
            await self._js.add_stream(name=self.stream, subjects=[f"{self.prefix}.>"])
            log.info("created JetStream stream %s for %s.>", self.stream, self.prefix)

    async def send(self, entry: change_feed.ChangeEntry, body: bytes) -> None:
        subject = f"{self.prefix}.{subject_token(entry.source)}"
        headers = {
            "Nats-Msg-Id": entry.message_id,
            "Wire-Seq": str(entry.seq),
            "Wire-Kind": entry.kind,
        }
        # Waits for the stream's acknowledgement: only then is the change "delivered".
        await self._js.publish(subject, body, timeout=self.timeout, headers=headers)

    async def close(self) -> None:
        if self._nc is not None:
            await self._nc.close()
            self._nc = None


@dataclass
class WebhookPublisher:
    """POSTs each change, signed ``X-Wire-Signature: sha256=<hmac hex of the body>``.

    A refused change is retried with exponential backoff until ``retry_for`` seconds have
    passed (or ``attempts`` were made, when not 0); only then is it :class:`Undeliverable`.
    """

    url: str
    secret: bytes
    attempts: int = 0  # 0: no count limit, retry_for decides
    backoff_base: float = 1.0
    backoff_max: float = 900.0
    timeout: float = 30.0
    retry_for: float = 21600.0
    commit_every: int = 1  # one HTTP round trip per change anyway: keep the resume exact
    name: str = field(init=False)
    _client: httpx.AsyncClient | None = field(init=False, default=None, repr=False)

    def __post_init__(self) -> None:
        self.name = f"webhook:{self.url}"

    async def start(self) -> None:
        self._client = httpx.AsyncClient(timeout=self.timeout, follow_redirects=False)

    def sign(self, body: bytes) -> str:
        return "sha256=" + hmac.new(self.secret, body, hashlib.sha256).hexdigest()

    async def send(self, entry: change_feed.ChangeEntry, body: bytes) -> None:
        assert self._client is not None, "start() first"
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "X-Wire-Signature": self.sign(body),
            "X-Wire-Seq": str(entry.seq),
            "X-Wire-Kind": entry.kind,
            "X-Wire-Delivery": entry.message_id,
        }
        give_up_at = time.monotonic() + self.retry_for
        attempt = 0
        while True:
            attempt += 1
            try:
                response = await self._client.post(self.url, content=body, headers=headers)
                if 200 <= response.status_code < 300:
                    return
                error = f"HTTP {response.status_code}"
            except httpx.HTTPError as exc:
                error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            log.warning("webhook %s seq %d attempt %d: %s", self.url, entry.seq, attempt, error)
            delay = self.retry_delay(attempt)
            if self.attempts and attempt >= self.attempts:
                raise Undeliverable(attempt, error)
            if time.monotonic() + delay > give_up_at:
                raise Undeliverable(attempt, error)
            await asyncio.sleep(delay)

    def retry_delay(self, attempt: int) -> float:
        """Seconds before retry ``attempt + 1``: doubling from the base, capped, jittered."""
        delay = min(self.backoff_max, self.backoff_base * 2.0 ** min(attempt - 1, 60))
        return delay * random.uniform(0.8, 1.2)

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None


def build_publishers(config: Config, environ: dict[str, str] | None = None) -> list[Publisher]:
    """The publishers ``[publish]`` configures (NATS when nats_url is set, each webhook)."""
    env = os.environ if environ is None else environ
    pub = config.publish
    out: list[Publisher] = []
    if pub.nats_url:
        out.append(NatsPublisher(pub.nats_url, pub.nats_stream, pub.nats_subject_prefix))
    if pub.webhook_attempts < 0:
        raise ConfigError("[publish].webhook_attempts must be 0 (no limit) or more")
    if pub.webhook_retry_for < 0 or not 0 < pub.webhook_backoff_base <= pub.webhook_backoff_max:
        raise ConfigError(
            "[publish] needs webhook_retry_for >= 0 and 0 < webhook_backoff_base <="
            " webhook_backoff_max"
        )
    for i, hook in enumerate(pub.webhooks):
        where = f"[publish].webhooks[{i}]"
        if not isinstance(hook, dict) or not isinstance(hook.get("url"), str):
            raise ConfigError(f"{where} must be a table {{url, secret_env}}")
        unknown = sorted(set(hook) - {"url", "secret_env"})
        if unknown:
            raise ConfigError(f"{where}: unknown key {unknown[0]!r}; known: url, secret_env")
        if not hook["url"].startswith(("http://", "https://")):
            raise ConfigError(f"{where}: url must start with http:// or https://")
        secret_env = hook.get("secret_env")
        secret = env.get(secret_env, "") if isinstance(secret_env, str) else ""
        if not secret:
            raise ConfigError(
                f"{where}: secret_env must name a set environment variable holding the HMAC key"
            )
        out.append(
            WebhookPublisher(
                hook["url"],
                secret.encode(),
                attempts=pub.webhook_attempts,
                backoff_base=pub.webhook_backoff_base,
                backoff_max=pub.webhook_backoff_max,
                timeout=config.http.total_timeout,
                retry_for=pub.webhook_retry_for,
            )
        )
    return out


async def pump(db: Database, publisher: Publisher, *, fmt: str = "ninjs", batch: int = 100) -> int:
    """Deliver every committed change after the publisher's cursor; returns how many.

    A target that is down (NATS unreachable) raises and leaves the cursor at the last change
    delivered; a change a webhook refuses every time becomes a dead letter and is passed.
    """
    name = publisher.name

    def cursor() -> int:
        with db.reader() as session:
            return change_feed.get_cursor(session, name)

    def read(after: int) -> list[change_feed.ChangeEntry]:
        release_due_changes(db)  # changes whose embargo ended join the feed, once
        with db.reader() as session:
            return change_feed.read_changes(session, after, batch)

    def advance(seq: int, dead: tuple[int, Undeliverable] | None = None) -> None:
        with db.session() as session:
            if dead is not None:
                change_feed.add_dead_letter(session, name, dead[0], dead[1].attempts, dead[1].error)
            change_feed.set_cursor(session, name, seq)
        # Progress, in the daemon's log format: how far the cursor is, how much went out.
        log.info("published", extra={"publisher": name, "seq": seq, "delivered": delivered})

    delivered = 0
    after = await asyncio.to_thread(cursor)
    while True:
        entries = await asyncio.to_thread(read, after)
        if not entries:
            return delivered
        pending = 0
        for entry in entries:
            try:
                await publisher.send(entry, message_body(entry, fmt))
            except Undeliverable as exc:
                log.error("%s: change %d is a dead letter: %s", name, entry.seq, exc.error)
                await asyncio.to_thread(advance, entry.seq, (entry.seq, exc))
                after, pending = entry.seq, 0
                continue
            except BaseException:
                if pending:  # keep what was delivered before the failure
                    await asyncio.to_thread(advance, after)
                raise
            after, pending, delivered = entry.seq, pending + 1, delivered + 1
            if pending >= publisher.commit_every:
                await asyncio.to_thread(advance, after)
                pending = 0
        if pending:
            await asyncio.to_thread(advance, after)


async def run_publisher(
    db: Database,
    publisher: Publisher,
    *,
    once: bool = False,
    stop: asyncio.Event | None = None,
    poll: float = 1.0,
    retry_max: float = 60.0,
    fmt: str = "ninjs",
) -> int:
    """Start one publisher and pump until stopped (or, with ``once``, until drained)."""
    stop = stop or asyncio.Event()
    total, failures = 0, 0
    started = False
    try:
        while not stop.is_set():
            try:
                if not started:
                    await publisher.start()
                    started = True
                delivered = await _until(stop, pump(db, publisher, fmt=fmt))
                if delivered is None:  # stopped mid-delivery (maybe mid-backoff)
                    break
                total += delivered
                requested = change_feed.DeadLetterSelection(requested_only=True)
                if (
                    await _until(stop, replay_dead_letters(db, publisher, requested, fmt=fmt))
                    is None
                ):
                    break
                failures = 0
                if once:
                    return total
                delay = poll
            except Exception as exc:
                if once:
                    raise
                failures += 1
                delay = min(retry_max, poll * 2**failures)
                log.error("%s failed (%s); retrying in %.0f s", publisher.name, exc, delay)
                if started:
                    await publisher.close()
                    started = False
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=delay)
        return total
    finally:
        if started:
            await publisher.close()


async def run_publishers(
    config: Config,
    db: Database,
    *,
    once: bool = False,
    stop: asyncio.Event | None = None,
    publishers: Sequence[Publisher] | None = None,
    fmt: str = "ninjs",
) -> dict[str, int]:
    """Every configured publisher side by side; returns changes delivered per publisher."""
    chosen = list(publishers) if publishers is not None else build_publishers(config)
    if not chosen:
        raise ConfigError(
            "no publisher is configured: set [publish].nats_url or add [[publish.webhooks]]"
        )
    stop = stop or asyncio.Event()
    counts = await asyncio.gather(
        *(run_publisher(db, p, once=once, stop=stop, fmt=fmt) for p in chosen)
    )
    return {p.name: n for p, n in zip(chosen, counts, strict=True)}


async def _until(stop: asyncio.Event, work: Awaitable[T]) -> T | None:
    """``work``'s result, or None when ``stop`` is set first (``work`` is then cancelled).

    A webhook may back off for many minutes; a SIGTERM must not wait for that.
    """
    task = asyncio.ensure_future(work)
    stopped = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({task, stopped}, return_when=asyncio.FIRST_COMPLETED)
    except BaseException:  # we are cancelled ourselves: so is the work
        task.cancel()
        raise
    finally:
        stopped.cancel()
    if task.done():
        return task.result()
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    return None


@dataclass(frozen=True)
class Replayed:
    """What one replay did for one publisher."""

    redelivered: int = 0
    still_dead: int = 0  # the first of these failed again; the rest wait behind it (order)


async def replay_dead_letters(
    db: Database,
    publisher: Publisher,
    selection: change_feed.DeadLetterSelection,
    *,
    fmt: str = "ninjs",
) -> Replayed:
    """Send the selected dead letters of ``publisher`` again, oldest change first.

    A letter that fails again keeps its place (new error, no pending request) and the replay
    stops there, so the receiver never gets a later change before an earlier one.
    """
    chosen = replace(selection, target=publisher.name)

    def letters() -> list[tuple[int, str, int]]:
        with db.reader() as session:
            return change_feed.pending_dead_letters(session, chosen)

    def change(seq: int) -> change_feed.ChangeEntry | None:
        with db.reader() as session:
            return change_feed.read_change(session, seq)

    def delivered(letter_id: int) -> None:
        with db.session() as session:
            change_feed.mark_redelivered(session, letter_id)

    def failed(letter_id: int, attempts: int, error: str) -> None:
        with db.session() as session:
            change_feed.note_failed_replay(session, letter_id, attempts, error)

    pending = await asyncio.to_thread(letters)
    done = 0
    for letter_id, _, seq in pending:
        entry = await asyncio.to_thread(change, seq)
        try:
            if entry is None:
                raise Undeliverable(0, f"change {seq} is no longer in the change feed")
            await publisher.send(entry, message_body(entry, fmt))
        except Undeliverable as exc:
            log.error("%s: replay of dead letter %d failed: %s", publisher.name, letter_id, exc)
            await asyncio.to_thread(failed, letter_id, exc.attempts, exc.error)
            return Replayed(done, len(pending) - done)
        await asyncio.to_thread(delivered, letter_id)
        done += 1
        log.info("%s: dead letter %d (change %d) redelivered", publisher.name, letter_id, seq)
    return Replayed(done, 0)


async def replay_publishers(
    config: Config,
    db: Database,
    selection: change_feed.DeadLetterSelection,
    *,
    publishers: Sequence[Publisher] | None = None,
    fmt: str = "ninjs",
) -> dict[str, Replayed]:
    """``wire publish --replay``: every configured publisher replays its selected letters."""
    chosen = list(publishers) if publishers is not None else build_publishers(config)
    if selection.target is not None:
        chosen = [p for p in chosen if p.name == selection.target]

    async def one(publisher: Publisher) -> Replayed:
        await publisher.start()
        try:
            return await replay_dead_letters(db, publisher, selection, fmt=fmt)
        finally:
            await publisher.close()

    results = await asyncio.gather(*(one(p) for p in chosen))
    return {p.name: r for p, r in zip(chosen, results, strict=True)}
