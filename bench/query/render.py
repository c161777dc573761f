"""Rendering a page of /articles: the per-record cost of records and ninjs JSON, old and new.

A page's ids come from the search (``find_ids``); this times what follows, as ``list_articles``
does it: load the records (``load_records``, tombstones, ``add_updates``), turn them into
ninjs and write the JSON body. "before" is the code of the commit given by ``--before``
(``load_records``, ``to_ninjs`` and Starlette's ``json.dumps``), loaded from git into this
process; "after" is the working tree's. Both run interleaved on the same ids in one process,
so the ratio holds under the machine's load; every page's bytes are compared.

    nice -n 10 python bench/query/render.py [--db PATH] [--n 3000] [--rounds 40]

With ``--http TREE`` (an export of the older commit: ``git archive C | tar -x -C TREE``) it
also times ``/articles`` over HTTP: a uvicorn of each tree on the same store, requests
interleaved, wall-clock p50/p95 per page.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
import types
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from fastapi.responses import JSONResponse  # noqa: E402

from wire.api import formats  # noqa: E402
from wire.api.jsonbody import NinjsJSONResponse  # noqa: E402
from wire.storage import reads  # noqa: E402
from wire.storage.db import Database  # noqa: E402
from wire.storage.filters import ArticleQuery  # noqa: E402
from wire.storage.updates import add_updates  # noqa: E402
from wire.storage.visibility import READER, withdrawn  # noqa: E402

QUERIES = {
    "list: newest": ArticleQuery(),
    "search: word": ArticleQuery(q="Regierung"),
    "search: word + language + agency": ArticleQuery(
        q="Regierung", language=("de",), agency=("keystone-sda",)
    ),
}


def old_module(commit: str, path: str, name: str) -> types.ModuleType:
    """A module as it was at ``commit`` (its imports resolve to today's wire)."""
    source = subprocess.run(
        ["git", "show", f"{commit}:{path}"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    module = types.ModuleType(name)
    sys.modules[name] = module  # dataclasses look their module up
    exec(compile(source, f"{commit[:8]}:{path}", "exec"), module.__dict__)
    return module


Render = Callable[[Any, Sequence[str]], bytes]


def page(
    load: Callable[[Any, Sequence[str]], list[dict[str, Any]]],
    ninjs: Callable[[dict[str, Any]], dict[str, Any]],
    response: type[JSONResponse],
) -> Render:
    def render(session: Any, ids: Sequence[str]) -> bytes:
        records = [withdrawn(r, READER) for r in load(session, ids)]
        add_updates(session, records)
        items = [ninjs(r) for r in records]
        return bytes(response({"items": items, "count": len(items), "next": None}).body)

    return render


def http(path: Path, tree: Path, rounds: int, limit: int) -> None:
    """/articles over HTTP from the old tree and from this one, requests interleaved."""
    from bench.query.run import percentile, server

    old_root = str(tree.resolve())
    url = f"sqlite:///{path}"
    with server(url, root=old_root) as before, server(url) as after:
        print(f"\nHTTP /articles, page of {limit}, {rounds} rounds (wall clock, ms)")
        head = f"{'page':34} {'before p50':>10} {'p95':>6} {'after p50':>9} {'p95':>6}"
        print(f"{head} {'p95 ratio':>9}")
        for name, query in QUERIES.items():
            params: dict[str, Any] = {"limit": limit}
            if query.q:
                params["q"] = query.q
            if query.language:
                params["language"] = query.language[0]
            if query.agency:
                params["agency"] = query.agency[0]
            ms: dict[str, list[float]] = {"before": [], "after": []}
            for _ in range(rounds + 1):
                bodies = []
                for label, c in (("before", before), ("after", after)):
                    t = time.perf_counter()
                    r = c.get("/articles", params=params)
                    ms[label].append((time.perf_counter() - t) * 1000)
                    bodies.append(r.content)
                assert bodies[0] == bodies[1], f"{name}: the bytes differ over HTTP"
            b, a = ms["before"][1:], ms["after"][1:]  # the first request warms up
            b95, a95 = percentile(b, 0.95), percentile(a, 0.95)
            print(
                f"{name:34} {percentile(b, 0.5):10.1f} {b95:6.1f} {percentile(a, 0.5):9.1f}"
                f" {a95:6.1f} {b95 / a95:8.1f}x",
                flush=True,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, help="SQLite store (default: built, --n articles)")
    parser.add_argument("--n", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--limit", type=int, default=50)
    parser.add_argument("--before", default="433a5a915cc389f610cf24bf0428188a7bd7d0a6")
    parser.add_argument("--http", type=Path, help="also over HTTP, old code from this tree")
    args = parser.parse_args()
    path = args.db or Path(f"/tmp/wire-bench-render-{args.n}.db")
    if not path.exists():
        from bench.query.run import build

        build(path, args.n, 7)
    old_reads = old_module(args.before, "storage/reads.py", "old_reads")
    old_formats = old_module(args.before, "api/formats.py", "old_formats")
    before = page(old_reads.load_records, old_formats.to_ninjs, JSONResponse)
    after = page(reads.load_records, formats.to_ninjs, NinjsJSONResponse)
    db = Database(f"sqlite:///{path}")
    load = Path("/proc/loadavg").read_text().split()[:3]
    print(f"{path}: page of {args.limit}, {args.rounds} rounds, load {' '.join(load)}")
    print(f"{'page (median CPU time)':34} {'before us/rec':>13} {'after us/rec':>12} {'ratio':>6}")
    for name, query in QUERIES.items():
        with db.reader() as session:
            ids = reads.find_ids(session, query, limit=args.limit).ids
        times: dict[str, list[float]] = {"before": [], "after": []}
        for _ in range(args.rounds):
            bodies = []
            for label, render in (("before", before), ("after", after)):
                with db.reader() as session:
                    t = time.process_time()  # CPU time: what the load's other processes steal
                    bodies.append(render(session, ids))  # is not counted
                    times[label].append((time.process_time() - t) / len(ids) * 1e6)
            assert bodies[0] == bodies[1], f"{name}: the bytes differ"
        b, a = statistics.median(times["before"]), statistics.median(times["after"])
        print(f"{name:34} {b:13.1f} {a:12.1f} {b / a:5.1f}x", flush=True)
    db.dispose()
    if args.http:
        http(path, args.http, args.rounds, args.limit)


if __name__ == "__main__":
    main()
