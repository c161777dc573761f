"""Publishers: NATS JetStream (real server on 127.0.0.1:4222) and signed webhooks (loopback)."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import threading
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import nats
import pytest
import typer
from nats.js.errors import NotFoundError
from sqlalchemy import select, update
from typer.testing import CliRunner

from tests.api.factory import T0, client, english, french, make_article, put
from wire.api.cli import register
from wire.api.publish import (
    NatsPublisher,
    Replayed,
    WebhookPublisher,
    build_publishers,
    replay_publishers,
    run_publishers,
    subject_token,
)
from wire.config import Config, PublishConfig
from wire.errors import ConfigError
from wire.record import compute_content_hash
from wire.storage.changes import DeadLetterSelection, add_dead_letter, get_cursor, set_cursor
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
            assert msg.subject is not None and msg.data is not None
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
    assert [(m[1]["Wire-Seq"], m[1]["Wire-Kind"]) for m in messages] == [
        ("1", "new"),
        ("2", "new"),
        ("3", "update"),
    ]
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
        self.down_until = 0.0  # time.monotonic() before which every POST gets 503
        self.received: list[tuple[dict[str, str], bytes, int]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hook"


class HookHandler(BaseHTTPRequestHandler):
    server: Hook

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        status = self.server.plan.pop(0) if self.server.plan else 200
        if time.monotonic() < self.server.down_until:
            status = 503
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
        ({"webhook_attempts": -1}, "0 \\(no limit\\) or more"),
        ({"webhook_backoff_base": 0}, "0 < webhook_backoff_base"),
        ({"webhook_backoff_base": 10.0, "webhook_backoff_max": 1.0}, "webhook_backoff_max"),
        ({"webhook_retry_for": -1.0}, "webhook_retry_for >= 0"),
    ],
)
def test_bad_publish_config_is_one_clear_sentence(publish: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        build_publishers(Config(publish=PublishConfig(**publish)), environ={"S": "x"})


def test_nothing_configured_is_a_config_error(db: Database) -> None:
    with pytest.raises(ConfigError, match="no publisher is configured"):
        asyncio.run(run_publishers(Config(), db, once=True))


@pytest.fixture
def publish_cli(
    db: Database, hook: Hook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[typer.Typer, Path]:
    """The publish command and a config file: the store under test, the loopback hook."""
    monkeypatch.setenv("WIRE_TEST_HOOK_SECRET", SECRET.decode())
    monkeypatch.delenv("WIRE_DATABASE_URL", raising=False)
    config = tmp_path / "config.toml"
    config.write_text(
        f'[storage]\nurl = "{db.url}"\n\n'
        f'[publish]\nwebhooks = [{{url = "{hook.url}", secret_env = "WIRE_TEST_HOOK_SECRET"}}]\n',
        encoding="utf-8",
    )
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """wire"""

    register(app)
    return app, config


def test_publish_command_once(
    db: Database, hook: Hook, publish_cli: tuple[typer.Typer, Path]
) -> None:
    put(db, make_article(1))
    app, config = publish_cli
    result = CliRunner().invoke(app, ["publish", "--once", "--config", str(config)])
    assert result.exit_code == 0, result.output
    assert f"webhook:{hook.url}: 1 change(s) delivered" in result.output
    assert len(hook.received) == 1
    again = CliRunner().invoke(app, ["publish", "--once", "--config", str(config)])
    assert "0 change(s) delivered" in again.output and len(hook.received) == 1


def test_nothing_is_published_before_its_transaction_commits(db: Database, hook: Hook) -> None:
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


def delivered(hook: Hook) -> list[tuple[str, str, str]]:
    """(X-Wire-Seq, X-Wire-Kind, X-Wire-Delivery) of every POST the receiver accepted."""
    return [
        (h["X-Wire-Seq"], h["X-Wire-Kind"], h["X-Wire-Delivery"])
        for h, _, status in hook.received
        if status == 200
    ]


async def test_webhook_headers_name_the_kind_and_the_delivery(db: Database, hook: Hook) -> None:
    a = put(db, make_article(1))
    b = put(db, french(2))
    put(db, make_article(1, headline="Lukaschenko trifft Putin", versioncreated=T0 + timedelta(1)))
    put(db, make_article(1, pubstatus="canceled", versioncreated=T0 + timedelta(2)))
    await run_publishers(Config(), db, once=True, publishers=[webhook(hook.url)])
    assert delivered(hook) == [
        ("1", "new", f"{a.article_id}:1"),
        ("2", "new", f"{b.article_id}:1"),
        ("3", "update", f"{a.article_id}:2"),
        ("4", "kill", f"{a.article_id}:3"),
    ]


async def wait_for(check: Callable[[], object], seconds: float = 60.0) -> None:
    """Poll ``check`` until it is true; fail (not hang) after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not await asyncio.to_thread(check):
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def test_receiver_down_for_a_while_loses_nothing_and_gets_everything_in_order(
    db: Database, hook: Hook
) -> None:
    for n in range(20):
        put(db, make_article(n) if n % 2 else french(n))
    hook.down_until = time.monotonic() + 2.0  # answers 503 for 2 s, then 200
    pub = WebhookPublisher(
        hook.url, SECRET, backoff_base=0.05, backoff_max=0.4, retry_for=3600
    )  # the defaults' shape (hours of retries), scaled down
    stop = asyncio.Event()
    task = asyncio.create_task(run_publishers(Config(), db, stop=stop, publishers=[pub]))
    # more changes arrive while the receiver is down
    await asyncio.to_thread(lambda: [put(db, english(100 + n)) for n in range(10)])
    await wait_for(lambda: cursor_of(db, pub.name) == 30)
    stop.set()
    await asyncio.wait_for(task, 30)
    refused = [h["X-Wire-Seq"] for h, _, status in hook.received if status == 503]
    assert len(refused) >= 3 and set(refused) == {"1"}  # retried the first, nothing skipped
    assert [int(seq) for seq, *_ in delivered(hook)] == list(range(1, 31))
    with db.reader() as s:
        assert s.scalars(select(DeadLetter)).all() == []


async def test_webhook_retries_for_retry_for_seconds_then_dead_letters(
    db: Database, hook: Hook
) -> None:
    put(db, make_article(1))
    hook.down_until = time.monotonic() + 3600
    pub = WebhookPublisher(hook.url, SECRET, backoff_base=0.02, backoff_max=0.1, retry_for=0.5)
    assert await run_publishers(Config(), db, once=True, publishers=[pub]) == {pub.name: 0}
    with db.reader() as s:
        [dead] = s.scalars(select(DeadLetter)).all()
    assert dead.attempts == len(hook.received) >= 4 and dead.error == "HTTP 503"
    assert cursor_of(db, pub.name) == 1


async def test_stop_interrupts_a_long_backoff_and_keeps_the_cursor(
    db: Database, hook: Hook
) -> None:
    put(db, make_article(1))
    hook.down_until = time.monotonic() + 3600
    pub = WebhookPublisher(hook.url, SECRET, backoff_base=600, backoff_max=600)
    stop = asyncio.Event()
    task = asyncio.create_task(run_publishers(Config(), db, stop=stop, publishers=[pub]))
    await wait_for(lambda: len(hook.received) >= 1)
    stop.set()
    assert await asyncio.wait_for(task, 30) == {pub.name: 0}
    assert cursor_of(db, pub.name) == 0
    with db.reader() as s:
        assert s.scalars(select(DeadLetter)).all() == []


def dead_letters_of(db: Database) -> list[DeadLetter]:
    with db.reader() as s:
        return list(s.scalars(select(DeadLetter).order_by(DeadLetter.id)))


def store_letters(db: Database, target: str, seqs: list[int]) -> None:
    with db.session() as s:
        for seq in seqs:
            add_dead_letter(s, target, seq, 3, "HTTP 503")


async def test_replay_redelivers_dead_letters_in_feed_order_once(db: Database, hook: Hook) -> None:
    for n in range(6):
        put(db, make_article(n))
    pub = webhook(hook.url)
    with db.session() as s:
        set_cursor(s, pub.name, 6)  # the live feed is delivered; 5, 2 and 4 died on the way
    store_letters(db, pub.name, [5, 2, 4])
    store_letters(db, "webhook:http://elsewhere.test/hook", [1])
    replayed = await replay_publishers(Config(), db, DeadLetterSelection(), publishers=[pub])
    assert replayed == {pub.name: Replayed(redelivered=3, still_dead=0)}
    assert [seq for seq, *_ in delivered(hook)] == ["2", "4", "5"]
    letters = dead_letters_of(db)
    assert [d.redelivered_at is not None for d in letters] == [True, True, True, False]
    again = await replay_publishers(
        Config(), db, DeadLetterSelection(), publishers=[webhook(hook.url)]
    )
    assert again == {pub.name: Replayed(0, 0)} and len(hook.received) == 3


async def test_replay_selects_by_id_range_and_time_and_stops_at_a_failure(
    db: Database, hook: Hook
) -> None:
    for n in range(6):
        put(db, make_article(n))
    pub = webhook(hook.url, attempts=2)
    store_letters(db, pub.name, [1, 2, 3, 4, 5])
    one = DeadLetterSelection(ids=(4,))
    assert await replay_publishers(Config(), db, one, publishers=[pub]) == {
        pub.name: Replayed(1, 0)
    }
    assert [seq for seq, *_ in delivered(hook)] == ["4"]
    hours_ago = datetime.now(UTC) - timedelta(hours=1)
    none_old = DeadLetterSelection(until=hours_ago)
    assert await replay_publishers(Config(), db, none_old, publishers=[pub]) == {
        pub.name: Replayed(0, 0)
    }
    hook.plan = [500, 500]  # the first of the range fails again: the rest wait behind it
    span = DeadLetterSelection(from_id=2, to_id=5, since=hours_ago)
    assert await replay_publishers(Config(), db, span, publishers=[pub]) == {
        pub.name: Replayed(0, 3)
    }
    assert [seq for seq, *_ in delivered(hook)] == ["4"]
    assert dead_letters_of(db)[1].attempts == 3 + 2
    assert await replay_publishers(Config(), db, span, publishers=[pub]) == {
        pub.name: Replayed(3, 0)
    }
    assert [seq for seq, *_ in delivered(hook)] == ["4", "2", "3", "5"]
    assert [d.redelivered_at is None for d in dead_letters_of(db)] == [
        True,
        False,
        False,
        False,
        False,
    ]


def test_admin_endpoint_asks_the_running_publisher_to_replay(db: Database, hook: Hook) -> None:
    for n in range(4):
        put(db, make_article(n))
    pub = webhook(hook.url)
    with db.session() as s:
        set_cursor(s, pub.name, 4)
    store_letters(db, pub.name, [3, 1, 2])
    c = client(db)
    r = c.post("/admin/dead-letters/replay", params={"id": [1, 2]})
    assert r.status_code == 202 and r.json() == {"requested": 2}
    listed = c.get("/admin/dead-letters").json()["items"]
    assert [d["replay_requested_at"] is not None for d in listed] == [True, True, False]
    assert asyncio.run(run_publishers(Config(), db, once=True, publishers=[pub])) == {pub.name: 0}
    assert [seq for seq, *_ in delivered(hook)] == ["1", "3"]  # letters 2 and 1, in feed order
    listed = c.get("/admin/dead-letters").json()["items"]
    assert [d["redelivered_at"] is not None for d in listed] == [True, True, False]
    assert c.post("/admin/dead-letters/replay", params={"id": [1, 2]}).json() == {"requested": 0}
    assert c.post("/admin/dead-letters/replay", params={"id": "0"}).status_code == 422


def test_publish_replay_command(
    db: Database, hook: Hook, publish_cli: tuple[typer.Typer, Path]
) -> None:
    for n in range(3):
        put(db, make_article(n))
    store_letters(db, f"webhook:{hook.url}", [3, 1])
    store_letters(db, "webhook:https://gone.example/hook", [2])
    app, config = publish_cli
    args = ["publish", "--replay", "--since", "1h", "--config", str(config)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert f"webhook:{hook.url}: 2 dead letter(s) redelivered" in result.output
    assert "webhook:https://gone.example/hook: not configured in [publish]" in result.output
    assert [seq for seq, *_ in delivered(hook)] == ["1", "3"]
    refused = CliRunner().invoke(app, ["publish", "--id", "1", "--config", str(config)])
    assert refused.exit_code != 0 and "need --replay" in str(refused.exception)


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


async def test_published_lead_names_the_story_it_updates(db: Database, hook: Hook) -> None:
    """A lead filed under a new guid: webhook, /changes (ninjs, Atom) carry ``updates``."""
    from lxml import etree

    from tests.api.test_updates import load

    load(db, "anpa1312_lead_fr.txt", "anpa1312")
    pub = webhook(hook.url)
    assert await run_publishers(Config(), db, once=True, publishers=[pub]) == {pub.name: 2}
    first, lead = (json.loads(body)["item"] for _, body, _ in hook.received)
    assert first["headlines"][0]["value"].startswith("Première tempête")
    assert "updates" not in [a["name"] for a in first.get("associations", [])]
    (assoc,) = [a for a in lead["associations"] if a["name"] == "updates"]
    first_id = json.loads(hook.received[0][1])["article_id"]
    assert assoc["uri"] == f"urn:wire:article:{first_id}"
    assert assoc["altids"] == [{"role": "guid", "value": "anpa1312:Neige-Montréal:2024-10-31"}]
    assert assoc["headlines"] == [{"role": "main", "value": first["headlines"][0]["value"]}]

    c = client(db)
    changes = c.get("/changes").json()["items"]
    assert [x["item"] for x in changes] == [first, lead]  # the same payload as the publisher
    raw = c.get("/changes", params={"format": "wire"}).json()["items"]
    assert raw[0]["item"]["updates"] is None
    assert (raw[1]["item"]["updates"]["id"], raw[1]["item"]["updates"]["by"]) == (first_id, "story")
    atom = etree.fromstring(c.get("/changes", params={"format": "atom"}).content)
    ns = {"a": "http://www.w3.org/2005/Atom", "w": "urn:wire:atom:1"}
    marks = [e.findall("w:updates", ns) for e in atom.findall("a:entry", ns)]
    assert [len(m) for m in marks] == [0, 1]
    assert marks[1][0].text == f"urn:wire:article:{first_id}"
