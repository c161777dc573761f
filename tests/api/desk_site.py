"""A desk to drive in a browser: a store filled from the bundled samples through the real
pipeline, ``wire serve``'s uvicorn on loopback, and Debian's Chromium under Playwright."""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn

from tests.conftest import pg_schema
from wire.api.app import create_app
from wire.api.auth import hash_token
from wire.api.server import uvicorn_config
from wire.config import Config, parse_config
from wire.ingest.runner import run_once
from wire.storage.db import Database

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples"
CASES = REPO / "tests" / "adapters" / "cases"
SCREENSHOTS = Path(__file__).parent / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
READ_TOKEN = "wire_desk_editor_read_only_token"
ADMIN_TOKEN = "wire_desk_ops_admin_token"
DOWN_URL = "http://127.0.0.1:9/feeds/down.rss"  # the discard port: connection refused


@contextmanager
def store_url(kind: str, root: Path) -> Iterator[str]:
    """A fresh store of ``kind`` (sqlite: a file under ``root``; postgresql: a schema of its
    own, dropped afterwards), for a desk shared by a module's tests."""
    if kind == "sqlite":
        yield f"sqlite:///{root / 'wire.db'}"
        return
    with pg_schema("wire_desk") as url:
        yield url


def desk_config(root: Path, url: str) -> Config:
    """The bundled sample sources, a drop folder, a folder of broken payloads and a source
    whose server is down; a read and an admin token."""
    data: dict[str, Any] = {
        "storage": {"url": url},
        "http": {"retries": 0, "connect_timeout": 2.0, "total_timeout": 5.0},
        "daemon": {"failing_after": 1},
        "api": {
            "tokens": [
                {"name": "editor", "sha256": hash_token(READ_TOKEN), "scopes": ["read"]},
                {"name": "ops", "sha256": hash_token(ADMIN_TOKEN), "scopes": ["read", "admin"]},
            ]
        },
        "sources": [
            {"name": "seed-page", "location": str(SAMPLES / "seed-nau-lukaschenko.txt"),
             "format": "text", "language": "de"},
            {"name": "sda-rss", "location": str(SAMPLES / "feeds/sda-news.rss"), "format": "rss",
             "source": "keystone-sda"},
            {"name": "afp-atom", "location": str(SAMPLES / "feeds/afp-world.atom"),
             "format": "rss", "source": "afp"},
            {"name": "pages", "location": str(SAMPLES / "pages"), "format": "html"},
            {"name": "agency-drop", "location": str(SAMPLES / "dropfolder")},
            {"name": "desk-drop", "location": str(root / "drop"), "kind": "folder"},
            {"name": "broken-drop", "location": str(root / "broken")},
            {"name": "wire-down", "location": DOWN_URL, "format": "rss"},
            {"name": "paused", "location": str(root / "paused"), "enabled": False},
        ],
    }  # fmt: skip
    return parse_config(data, root)


class Desk:
    """One store and the server over it; the server can be stopped and started again on the
    same port (a dropped live connection)."""

    def __init__(self, root: Path, url: str) -> None:
        self.root = root
        for folder in ("drop", "broken", "paused"):
            (root / folder).mkdir(parents=True, exist_ok=True)
        # a folder where one payload is read and one is rejected: the source is "rejecting"
        shutil.copy(CASES / "newsml_truncated.xml", root / "broken" / "truncated.xml")
        shutil.copy(CASES / "ninjs_1x_de.json", root / "broken" / "trottinette.json")
        self.config = desk_config(root, url)
        self.db = Database(self.config.storage.url)
        self.ingest(*[s.name for s in self.config.sources if s.enabled])
        self.port = 0
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def kind(self) -> str:
        """The store's kind: sqlite or postgresql."""
        return self.config.storage.url.split(":", 1)[0].split("+", 1)[0]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def ingest(self, *names: str) -> None:
        """One pass over the named sources through the real pipeline (``wire run --once``)."""
        sources = [s for s in self.config.sources if s.name in names]
        # run_once runs its own event loop; Playwright's sync API holds one in this thread.
        with ThreadPoolExecutor(1) as pool:
            pool.submit(run_once, self.db, self.config, sources).result()

    def drop(self, case: str, payload: bytes | None = None) -> None:
        """A payload (a test case's, or ``payload`` named ``case``) lands in the drop folder
        and the folder is polled once."""
        target = self.root / "drop" / case
        if payload is None:
            shutil.copy(CASES / case, target)
        else:
            target.write_bytes(payload)
        finished = time.time() - 10  # the agency finished writing it (the folder's settle time)
        os.utime(target, (finished, finished))
        self.ingest("desk-drop")
        assert (self.root / "drop" / "done" / case).exists(), "the drop folder did not read it"

    def start(self) -> None:
        app = create_app(self.config, self.db)
        config = uvicorn_config(app, "127.0.0.1", self.port)
        config.log_level = "warning"
        config.timeout_graceful_shutdown = 1  # open event streams end at once when stopped
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 30
        while not self._server.started:
            assert time.monotonic() < deadline and self._thread.is_alive(), "uvicorn did not start"
            time.sleep(0.02)
        self.port = self._server.servers[0].sockets[0].getsockname()[1]

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(30)
            assert not self._thread.is_alive(), "uvicorn did not stop"
        self._server = None

    def close(self) -> None:
        self.stop()
        self.db.dispose()
