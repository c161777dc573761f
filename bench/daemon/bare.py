"""The baseline: the same requests as a daemon cycle, made by a bare httpx loop.

Same client limits, same per-host concurrency, same conditional headers; bodies are read and
dropped (fetch only: no parse, no store). Prints one JSON line: seconds, CPU seconds, peak
RSS, answers by status, body bytes read. With
``--host-pools`` the client sends through the daemon's transport (a small pool per host,
:mod:`wire.ingest.pools`) instead of httpx's one pool.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections import Counter

import httpx


def peak_rss_mb(pid: str = "self") -> float:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("requests", help="JSON file: [[url, etag-or-null], ...]")
    ap.add_argument("--per-host", type=int, default=4)
    ap.add_argument("--max-connections", type=int, default=100)
    ap.add_argument(
        "--host-pools", action="store_true", help="the daemon's transport: a pool per host"
    )
    args = ap.parse_args()
    with open(args.requests) as f:
        todo = json.load(f)
    statuses: Counter[int] = Counter()
    body_bytes = 0
    hosts: dict[str, asyncio.Semaphore] = {}
    limits = httpx.Limits(
        max_connections=args.max_connections, max_keepalive_connections=args.max_connections
    )
    transport = None
    if args.host_pools:
        from wire.config import HttpConfig
        from wire.ingest.fetch import host_pools

        http = HttpConfig(per_host_limit=args.per_host, max_connections=args.max_connections)
        transport = host_pools(http)  # the daemon's own transport
    async with httpx.AsyncClient(limits=limits, timeout=60, transport=transport) as client:

        async def one(url: str, etag: str | None) -> None:
            nonlocal body_bytes
            host = httpx.URL(url).host
            sem = hosts.setdefault(host, asyncio.Semaphore(args.per_host))
            headers = {"If-None-Match": etag} if etag else {}
            async with sem:
                resp = await client.get(url, headers=headers)
                statuses[resp.status_code] += 1
                body_bytes += len(resp.content)

        started, cpu = time.monotonic(), time.process_time()
        await asyncio.gather(*(one(url, etag) for url, etag in todo))
        seconds, cpu = time.monotonic() - started, time.process_time() - cpu
    print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_rss_mb": peak_rss_mb(),
                      "statuses": statuses, "bytes": body_bytes}))  # fmt: skip


if __name__ == "__main__":
    asyncio.run(main())
