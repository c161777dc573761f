"""A restarted daemon polls at once (its dead predecessor's leases are taken over), and a
daemon whose health port is taken exits with one sentence instead of running without it."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select, update

from tests.conftest import ROOT
from tests.faults.test_poison import good_ninjs
from tests.ingest.test_daemon import eventually, start, stop, write_config
from tests.ingest.test_runner import settled
from wire.errors import ConfigError
from wire.ingest.identity import DaemonIdentity
from wire.storage.db import Database
from wire.storage.leases import holder_gone, new_owner_id
from wire.storage.models import DaemonRow, SourceRow


def test_holder_gone_only_for_a_dead_local_process() -> None:
    assert not holder_gone(new_owner_id())  # this process: alive
    host = socket.gethostname()
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert not holder_gone(f"{host}:{child.pid}:abc123")  # alive
        child.kill()
        # Killed but not reaped yet (a zombie): gone already.
        deadline = time.monotonic() + 10
        while not holder_gone(f"{host}:{child.pid}:abc123"):
            assert time.monotonic() < deadline, "a killed child never counted as gone"
            time.sleep(0.05)
    finally:
        child.kill()
        child.wait(5)
    assert holder_gone(f"{host}:{child.pid}:abc123")  # reaped
    assert not holder_gone(f"elsewhere.example:{child.pid}:abc123")  # remote: expires as usual
    assert not holder_gone("a")  # not a daemon id


@pytest.mark.slow
async def test_a_daemon_restarted_after_sigkill_polls_at_once(
    tmp_path: Path, sqlite_url: str
) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "first.json").write_bytes(good_ninjs(1))
    settled(drop / "first.json")
    # Leases last ten minutes: a restarted daemon that waited for them would not poll within
    # the bounded waits below.
    cfg = write_config(
        tmp_path / "c.toml",
        [{"name": "drop", "location": str(drop), "kind": "folder", "format": "ninjs"}],
        lease_seconds=600,
        interval=0.5,
    )
    log = tmp_path / "daemon.log"
    proc = start(cfg, sqlite_url, log)
    try:
        await eventually(lambda: (drop / "done" / "first.json").exists(), 60, "first file")
        proc.send_signal(signal.SIGKILL)
        await asyncio.to_thread(proc.wait, 10)
    finally:
        stop(proc)
    (drop / "second.json").write_bytes(good_ninjs(2))
    settled(drop / "second.json")
    proc = start(cfg, sqlite_url, log)
    try:
        await eventually(lambda: (drop / "done" / "second.json").exists(), 90, "second file")
        proc.send_signal(signal.SIGTERM)
        assert await asyncio.to_thread(proc.wait, 20) == 0
    finally:
        stop(proc)


def test_a_taken_health_port_is_one_sentence_and_a_non_zero_exit(
    tmp_path: Path, sqlite_url: str
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        drop = tmp_path / "drop"
        drop.mkdir()
        cfg = write_config(
            tmp_path / "c.toml",
            [{"name": "drop", "location": str(drop), "kind": "folder"}],
            health_port=port,
            health_host="127.0.0.1",
        )
        env = {**os.environ, "WIRE_DATABASE_URL": sqlite_url, "PYTHONPATH": str(ROOT)}
        proc = subprocess.run(
            [sys.executable, "-m", "wire.ingest.cli", "run", "--config", str(cfg)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    message = " ".join(proc.stderr.split())
    assert f"127.0.0.1:{port}" in message and "health" in message


def test_the_identity_file_is_made_once_kept_and_held_by_one_daemon(tmp_path: Path) -> None:
    path = tmp_path / "state" / "daemon.id"
    first = DaemonIdentity.claim(path)
    assert len(first.token) == 16 and path.read_text().strip() == first.token
    with pytest.raises(ConfigError, match="another daemon is running with the state file"):
        DaemonIdentity.claim(path)  # a second daemon on the same identity: refused
    first.release()
    again = DaemonIdentity.claim(path)
    assert again.token == first.token  # the restart reuses it
    again.release()
    path.write_text("not a token\n")  # damaged: a fresh one, never a foreign-looking owner
    fresh = DaemonIdentity.claim(path)
    assert fresh.token != first.token and len(fresh.token) == 16
    fresh.release()


@pytest.mark.slow
async def test_a_daemon_restarted_elsewhere_takes_its_leases_back_by_its_kept_identity(
    tmp_path: Path, pg_url: str
) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "first.json").write_bytes(good_ninjs(1))
    settled(drop / "first.json")
    state = tmp_path / "volume" / "daemon.id"
    # Leases last ten minutes: a daemon that waited for them would not poll within the
    # bounded waits below.
    cfg = write_config(
        tmp_path / "c.toml",
        [{"name": "drop", "location": str(drop), "kind": "folder", "format": "ninjs"}],
        lease_seconds=600,
        interval=0.5,
        state_file=str(state),
    )
    log = tmp_path / "daemon.log"
    db = Database(pg_url)
    proc = start(cfg, pg_url, log)
    try:
        await eventually(lambda: (drop / "done" / "first.json").exists(), 60, "first file")
        proc.send_signal(signal.SIGKILL)
        await asyncio.to_thread(proc.wait, 10)
    finally:
        stop(proc)
    token = state.read_text().strip()
    # It ran in a container that is gone: its lease and registry row name that container's
    # host and a pid, and nothing here can prove that process dead.
    elsewhere = f"old-container:1:{token}"
    with db.session() as s:
        assert (
            s.scalar(select(SourceRow.lease_owner)) == f"{socket.gethostname()}:{proc.pid}:{token}"
        )
        s.execute(update(SourceRow).values(lease_owner=elsewhere))
        s.execute(update(DaemonRow).values(id=elsewhere, host="old-container", pid=1))
    (drop / "second.json").write_bytes(good_ninjs(2))
    settled(drop / "second.json")
    proc = start(cfg, pg_url, log)
    try:
        await eventually(lambda: (drop / "done" / "second.json").exists(), 90, "second file")
        with db.reader() as s:
            owner = s.scalar(select(SourceRow.lease_owner))
            daemons = list(s.scalars(select(DaemonRow.id)))
        assert owner == f"{socket.gethostname()}:{proc.pid}:{token}" and daemons == [owner]
        # A second daemon given the same state file while this one runs: one sentence, exit 2.
        env = {**os.environ, "WIRE_DATABASE_URL": pg_url, "PYTHONPATH": str(ROOT)}
        clash = await asyncio.to_thread(
            subprocess.run,
            [sys.executable, "-m", "wire.ingest.cli", "run", "--config", str(cfg)],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert clash.returncode == 2 and "Traceback" not in clash.stderr
        assert "another daemon is running with the state file" in " ".join(clash.stderr.split())
        proc.send_signal(signal.SIGTERM)
        assert await asyncio.to_thread(proc.wait, 20) == 0
    finally:
        stop(proc)
        db.dispose()
