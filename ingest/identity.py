"""A daemon's identity kept in a state file, so a restarted daemon knows its own leases.

A daemon's lease owner is ``host:pid:token``. Without a state file the token is random and a
restarted daemon on the same host takes its dead predecessor's leases back because that pid
is provably gone (:func:`wire.storage.leases.holder_gone`). That proof fails where the
restart runs elsewhere: a new container has another host name, and its pid may be one that
is alive there. With ``[daemon].state_file`` the token is kept in that file (on a volume
that outlives the container): the restarted daemon reads it back, and its first lease round
takes every lease owned under that token at once, whatever host and pid held it.

Two live daemons must never share a token (they would take each other's leases), so the
daemon holds an exclusive lock on the file while it runs; the kernel drops it when the
process ends, however it ends, so a restart after a SIGKILL finds the file free.
"""

from __future__ import annotations

import fcntl
import os
import re
import uuid
from pathlib import Path
from typing import IO

from wire.errors import ConfigError

_TOKEN = re.compile(r"^[0-9a-f]{16}$")


class DaemonIdentity:
    """The token in ``path``, created on first use, locked for this process's lifetime."""

    def __init__(self, path: Path, token: str, handle: IO[str]) -> None:
        self.path, self.token, self._handle = path, token, handle

    @classmethod
    def claim(cls, path: str | Path) -> DaemonIdentity:
        """Read (or create) the identity in ``path`` and lock it; one sentence if it cannot."""
        file = Path(path).expanduser()
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
            handle = file.open("a+", encoding="ascii")
        except OSError as exc:
            raise ConfigError(
                f"cannot open the daemon state file {file}: {exc.strerror or exc}"
            ) from None
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            raise ConfigError(
                f"another daemon is running with the state file {file} ([daemon].state_file); "
                "give each daemon a state file of its own"
            ) from None
        handle.seek(0)
        token = handle.read().strip()
        if not _TOKEN.match(token):  # new, or not ours to trust: a fresh identity
            token = uuid.uuid4().hex[:16]
            handle.seek(0)
            handle.truncate()
            handle.write(token + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        return cls(file, token, handle)

    def release(self) -> None:
        """Unlock the file (at a clean stop; process exit does the same)."""
        self._handle.close()
