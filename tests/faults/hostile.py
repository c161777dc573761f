"""Hostile HTTP servers on loopback, one behaviour per port, each on raw sockets (a real
server library would refuse to misbehave this way)."""

from __future__ import annotations

import gzip
import socket
import threading
import time
from collections.abc import Callable

Behaviour = Callable[[socket.socket, threading.Event], None]


def _slowloris(conn: socket.socket, stop: threading.Event) -> None:
    """A status line, then one header byte every half second, forever."""
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nX-Slow: ")
    while not stop.wait(0.5):
        conn.sendall(b"a")


def _endless(conn: socket.socket, stop: threading.Event) -> None:
    """A chunked 200 whose body never ends."""
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n"
                 b"Transfer-Encoding: chunked\r\n\r\n")  # fmt: skip
    chunk = b"<item><title>x</title></item>" * 300
    while not stop.is_set():
        conn.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))


_BOMB: list[bytes] = []


def _gzip_bomb(conn: socket.socket, stop: threading.Event) -> None:
    """200 KB on the wire, 200 MB once decoded."""
    if not _BOMB:
        _BOMB.append(gzip.compress(b"\0" * 200_000_000, compresslevel=9))
    body = _BOMB[0]
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Encoding: gzip\r\n"
    conn.sendall(head + b"Content-Length: %d\r\n\r\n" % len(body) + body)


def _redirect_loop(conn: socket.socket, stop: threading.Event) -> None:
    conn.sendall(b"HTTP/1.1 302 Found\r\nLocation: /feed.rss\r\nContent-Length: 0\r\n\r\n")


def _rate_limited(conn: socket.socket, stop: threading.Event) -> None:
    conn.sendall(b"HTTP/1.1 429 Too Many Requests\r\nRetry-After: 86400\r\n"
                 b"Content-Length: 0\r\n\r\n")  # fmt: skip


def _huge_headers(conn: socket.socket, stop: threading.Event) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n")
    for i in range(4000):  # 4,000 headers of 500 bytes: 2 MB before the body
        conn.sendall(b"X-Junk-%d: %s\r\n" % (i, b"j" * 500))
    conn.sendall(b"Content-Length: 2\r\n\r\nno")


BEHAVIOURS: dict[str, Behaviour | None] = {
    "slowloris": _slowloris,
    "endless-body": _endless,
    "gzip-bomb": _gzip_bomb,
    "redirect-loop": _redirect_loop,
    "retry-after-a-day": _rate_limited,
    "huge-headers": _huge_headers,
    "never-answers": None,  # listens, never accepts: connections wait in the backlog
}


class Hostile:
    """Every behaviour of :data:`BEHAVIOURS` on a port of its own; ``urls`` by name."""

    def __init__(self) -> None:
        self.stop = threading.Event()
        self.sockets: list[socket.socket] = []
        self.urls: dict[str, str] = {}
        self.connections = 0
        for name, behaviour in BEHAVIOURS.items():
            sock = socket.socket()
            sock.bind(("127.0.0.1", 0))
            sock.listen(64)
            self.sockets.append(sock)
            self.urls[name] = f"http://127.0.0.1:{sock.getsockname()[1]}/feed.rss"
            if behaviour is not None:
                threading.Thread(target=self._serve, args=(sock, behaviour), daemon=True).start()

    def _serve(self, sock: socket.socket, behaviour: Behaviour) -> None:
        sock.settimeout(0.2)
        while not self.stop.is_set():
            try:
                conn, _ = sock.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            threading.Thread(target=self._answer, args=(conn, behaviour), daemon=True).start()

    def _answer(self, conn: socket.socket, behaviour: Behaviour) -> None:
        with conn:
            try:
                conn.settimeout(5)
                conn.recv(65536)  # the request
                behaviour(conn, self.stop)
                time.sleep(0.1)
            except OSError:
                pass  # the client gave up: what a hostile server should see

    def close(self) -> None:
        self.stop.set()
        for sock in self.sockets:
            sock.close()
