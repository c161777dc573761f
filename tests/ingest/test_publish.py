"""Publishers: NATS JetStream (real server on 127.0.0.1:4222) and signed webhooks (loopback)."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import nats
import pytest
import typer
from nats.js.errors import NotFoundError
from sqlalchemy import select, update
from typer.testing import CliRunner

from tests.api.factory import T0, french, make_article, put
from wire.api.cli import register
from wire.config import Config, PublishConfig
from wire.errors import ConfigError
from wire.ingest.publish import (
    NatsPublisher,
    WebhookPublisher,
    build_publishers,
    run_publishers,
    subject_token,
)
from wire.record import compute_content_hash
from wire.storage.changes import get_cursor, set_cursor
from wire.storage.db import Database
from wire.storage.models import ArticleRow, DeadLetter, HeldChange

NATS_URL = "nats://127.0.0.1:4222"
SECRET = b"webhook-secret-for-tests"


@pytest.fixture
async def stream() -> AsyncIterator[tuple[str, str]]:
    """A uniquely named JetStream stream and subject prefix, deleted afterwards."""
    tag = uuid.uuid4().hex[:10]
    name, prefix = f"WIRE_TEST_{tag}", f"wiretest{tag}.articles"
    yield name, prefix
    nc = await nats.connect(NATS_URL)
    try:
        await nc.jetstream().delete_stream(name)
    except NotFoundError:
        pass
    finally:
        await nc.close()


async def stream_messages(name: str) -> list[tuple[str, dict, dict]]:
    """(subject, headers, body) of every message in the stream, in order."""
    nc = await nats.connect(NATS_URL)
    try:
        js = nc.jetstream()
        count = (await js.stream_info(name)).state.messages
        out = []
        for seq in range(1, count + 1):
            msg = await js.get_msg(name, seq)
            out.append((msg.subject, dict(msg.headers or {}), json.loads(msg.data)))
        return out
    finally:
        await nc.close()


def cursor_of(db: Database, name: str) -> int:
    with db.reader() as s:
        return get_cursor(s, name)


async def test_nats_publishes_every_change_per_agency_resumes_and_dedups(
    db: Database, stream: tuple[str, str]
) -> None:
    name, prefix = stream
    a = put(db, make_article(1))
    put(db, french(2))
    put(db, make_article(1, headline="Lukaschenko trifft Putin", versioncreated=T0 + timedelta(1)))
    config = Config(publish=PublishConfig(nats_url=NATS_URL, nats_stream=name,
                                          nats_subject_prefix=prefix))  # fmt: skip
    [publisher] = build_publishers(config)
    assert await run_publishers(config, db, once=True, publishers=[publisher]) == {
        f"nats:{name}": 3
    }
    messages = await stream_messages(name)
    assert [m[0] for m in messages] == [
        f"{prefix}.keystone-sda",
        f"{prefix}.afp",
        f"{prefix}.keystone-sda",
    ]
    assert [m[1]["Nats-Msg-Id"] for m in messages] == [
        f"{a.article_id}:1",
        f"{put(db, french(2)).article_id}:1",
        f"{a.article_id}:2",
    ]
    assert [m[2]["seq"] for m in messages] == [1, 2, 3]
    assert messages[2][2]["item"]["headlines"][0]["value"] == "Lukaschenko trifft Putin"
    assert cursor_of(db, f"nats:{name}") == 3

    # a restart resumes after the last published change
    put(db, make_article(1, pubstatus="canceled", versioncreated=T0 + timedelta(2)))
    again = await run_publishers(
        config, db, once=True, publishers=[NatsPublisher(NATS_URL, name, prefix)]
    )
    assert again == {f"nats:{name}": 1}
    messages = await stream_messages(name)
    assert len(messages) == 4 and messages[3][2]["kind"] == "kill"

    # a crash before the cursor was written republishes: JetStream drops the duplicates
    with db.session() as s:
        set_cursor(s, f"nats:{name}", 1)
    await run_publishers(config, db, once=True, publishers=[NatsPublisher(NATS_URL, name, prefix)])
    assert len(await stream_messages(name)) == 4
    assert cursor_of(db, f"nats:{name}") == 4


async def test_nats_unreachable_fails_and_keeps_the_cursor(db: Database) -> None:
    put(db, make_article(1))
    dead = NatsPublisher("nats://127.0.0.1:9", "WIRE_NOWHERE", "nowhere", timeout=1)
    with pytest.raises(Exception):  # noqa: B017 - whatever nats-py raises for no server
        await run_publishers(Config(), db, once=True, publishers=[dead])
    assert cursor_of(db, "nats:WIRE_NOWHERE") == 0


def test_subject_tokens_are_safe() -> None:
    assert subject_token("keystone-sda") == "keystone-sda"
    assert subject_token("Agence France.Presse *") == "agence_france_presse"
    assert subject_token(None) == "unknown"
    assert subject_token(">") == "unknown"


class Hook(ThreadingHTTPServer):
    """A loopback webhook receiver answering from a plan of status codes (then 200)."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), HookHandler)
        self.plan: list[int] = []
        self.received: list[tuple[dict[str, str], bytes, int]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hook"


class HookHandler(BaseHTTPRequestHandler):
    server: Hook

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        status = self.server.plan.pop(0) if self.server.plan else 200
        self.server.received.append((dict(self.headers), body, status))
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def hook() -> Iterator[Hook]:
    server = Hook()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def webhook(url: str, attempts: int = 5) -> WebhookPublisher:
    return WebhookPublisher(url, SECRET, attempts=attempts, backoff_base=0.01, backoff_max=0.05)


async def test_webhook_signs_retries_with_backoff_and_delivers_in_order(
    db: Database, hook: Hook
) -> None:
    put(db, make_article(1))
    put(db, french(2))
    hook.plan = [500, 503]
    pub = webhook(hook.url)
    assert await run_publishers(Config(), db, once=True, publishers=[pub]) == {pub.name: 2}
    assert [status for *_, status in hook.received] == [500, 503, 200, 200]
    for headers, body, _ in hook.received:
        expected = "sha256=" + hmac.new(SECRET, body, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(headers["X-Wire-Signature"], expected)
        assert json.loads(body)["seq"] == int(headers["X-Wire-Seq"])
    assert [h["X-Wire-Seq"] for h, *_ in hook.received] == ["1", "1", "1", "2"]
    assert json.loads(hook.received[-1][1])["item"]["language"] == "fr"
    assert cursor_of(db, pub.name) == 2
    with db.reader() as s:
        assert s.scalars(select(DeadLetter)).all() == []


async def test_webhook_dead_letter_after_n_failures_then_moves_on(db: Database, hook: Hook) -> None:
    put(db, make_article(1))
    put(db, make_article(2))
    hook.plan = [500, 500, 500]  # the first change fails every attempt
    pub = webhook(hook.url, attempts=3)
    assert await run_publishers(Config(), db, once=True, publishers=[pub]) == {pub.name: 1}
    assert [h["X-Wire-Seq"] for h, *_ in hook.received] == ["1", "1", "1", "2"]
    with db.reader() as s:
        [dead] = s.scalars(select(DeadLetter)).all()
    assert (dead.target, dead.seq, dead.attempts, dead.error) == (pub.name, 1, 3, "HTTP 500")
    assert cursor_of(db, pub.name) == 2


async def test_webhook_unreachable_is_a_dead_letter_with_the_error(db: Database) -> None:
    put(db, make_article(1))
    pub = webhook("http://127.0.0.1:9/hook", attempts=2)
    await run_publishers(Config(), db, once=True, publishers=[pub])
    with db.reader() as s:
        [dead] = s.scalars(select(DeadLetter)).all()
    assert dead.attempts == 2 and "ConnectError" in dead.error


@pytest.mark.parametrize(
    ("publish", "message"),
    [
        ({"webhooks": ({"url": "http://x.test/h", "secret_env": "WIRE_UNSET"},)}, "secret_env"),
        ({"webhooks": ({"url": "ftp://x.test/h", "secret_env": "S"},)}, "http:// or https://"),
        ({"webhooks": ({"url": "http://x.test/h", "secret": "S"},)}, "unknown key 'secret'"),
        ({"webhook_attempts": 0}, "at least 1"),
    ],
)
def test_bad_publish_config_is_one_clear_sentence(publish: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        build_publishers(Config(publish=PublishConfig(**publish)), environ={"S": "x"})


def test_nothing_configured_is_a_config_error(db: Database) -> None:
    import asyncio

    with pytest.raises(ConfigError, match="no publisher is configured"):
        asyncio.run(run_publishers(Config(), db, once=True))


def test_publish_command_once(
    db: Database, hook: Hook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    put(db, make_article(1))
    monkeypatch.setenv("WIRE_TEST_HOOK_SECRET", SECRET.decode())
    monkeypatch.delenv("WIRE_DATABASE_URL", raising=False)
    config = tmp_path / "config.toml"
    config.write_text(
        f'[storage]\nurl = "{db.url}"\n\n[http]\nbackoff_base = 0.01\n\n'
        f'[publish]\nwebhooks = [{{url = "{hook.url}", secret_env = "WIRE_TEST_HOOK_SECRET"}}]\n',
        encoding="utf-8",
    )
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """wire"""

    register(app)
    result = CliRunner().invoke(app, ["publish", "--once", "--config", str(config)])
    assert result.exit_code == 0, result.output
    assert f"webhook:{hook.url}: 1 change(s) delivered" in result.output
    assert len(hook.received) == 1
    again = CliRunner().invoke(app, ["publish", "--once", "--config", str(config)])
    assert "0 change(s) delivered" in again.output and len(hook.received) == 1


def test_nothing_is_published_before_its_transaction_commits(db: Database, hook: Hook) -> None:
    import asyncio

    from wire.ingest.fingerprint import text_fingerprint
    from wire.storage.writer import store_article

    pub = webhook(hook.url)
    with db.session() as s:
        article = make_article(1)
        store_article(s, article, text_hash=text_fingerprint(article))
        # the change row exists in this open transaction only
        assert asyncio.run(run_publishers(Config(), db, once=True, publishers=[pub])) == {
            pub.name: 0
        }
    assert hook.received == []
    assert asyncio.run(run_publishers(Config(), db, once=True, publishers=[pub])) == {pub.name: 1}
    assert [h["X-Wire-Seq"] for h, *_ in hook.received] == ["1"]


async def test_webhook_gets_embargoed_story_only_at_its_time_and_kills_as_tombstones(
    db: Database, hook: Hook
) -> None:
    until = datetime.now(UTC) + timedelta(hours=1)
    held = make_article(1)
    held.embargoed = until
    held.content_hash = compute_content_hash(held)
    held_id = put(db, held).article_id
    put(db, french(2))
    pub = webhook(hook.url)
    assert await run_publishers(Config(), db, once=True, publishers=[pub]) == {pub.name: 1}
    assert json.loads(hook.received[0][1])["item"]["language"] == "fr"
    with db.session() as s:  # an hour later: the stored times are moved, not the clock
        s.execute(update(ArticleRow).values(embargoed=datetime.now(UTC)))
        s.execute(update(HeldChange).values(visible_at=datetime.now(UTC)))
    assert await run_publishers(Config(), db, once=True, publishers=[pub]) == {pub.name: 1}
    released = json.loads(hook.received[1][1])
    assert (released["article_id"], released["kind"]) == (held_id, "new")
    assert released["item"]["bodies"]  # released: the full story
    put(db, make_article(1, pubstatus="canceled", ednote="KILL", versioncreated=T0 + timedelta(1)))
    assert await run_publishers(Config(), db, once=True, publishers=[pub]) == {pub.name: 1}
    kill = json.loads(hook.received[2][1])
    assert kill["kind"] == "kill" and kill["item"]["ednote"] == "KILL"
    assert "bodies" not in kill["item"]  # the kill withdraws the text
