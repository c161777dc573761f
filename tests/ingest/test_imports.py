"""Commands import what they use only: ``wire --help`` and ``wire parse`` start without the
store, the API, clustering's numeric stack or the HTML extractor (issue 20: imports were
~8 % of ``wire parse`` and ``wire --help`` took 0.2 s).

Each command runs in a fresh interpreter; what it imported is read from ``sys.modules`` at exit.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FEED = ROOT / "samples" / "feeds" / "sda-news.rss"
HEAVY = ("scipy", "datasketch", "fastapi", "starlette", "trafilatura", "sqlalchemy", "alembic",
         "numpy", "httpx", "apscheduler")  # fmt: skip
PROBE = """
import atexit, json, runpy, sys
heavy = {heavy!r}
atexit.register(lambda: print("MODULES=" + json.dumps(
    sorted({{m.split(".")[0] for m in sys.modules}} & set(heavy))), file=sys.stderr))
sys.argv = ["wire", *{args!r}]
runpy.run_module("wire.ingest.cli", run_name="__main__")
"""


def imported(*args: str) -> list[str]:
    code = PROBE.format(heavy=HEAVY, args=list(args))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    line = next(x for x in done.stderr.splitlines() if x.startswith("MODULES="))
    return list(json.loads(line.removeprefix("MODULES=")))


def test_help_imports_nothing_heavy() -> None:
    assert imported("--help") == []


def test_parse_of_an_rss_feed_imports_nothing_heavy() -> None:
    # The sample declares its language: no detector model is loaded either.
    assert imported("parse", str(FEED), "--format", "rss") == []


def test_parse_of_a_folder_in_auto_mode_imports_neither_store_nor_api() -> None:
    found = imported("parse", str(ROOT / "samples" / "dropfolder"))
    assert not {"sqlalchemy", "alembic", "fastapi", "starlette", "datasketch", "scipy"} & set(found)


def test_the_daemon_clusters_without_scipy_and_datasketch_stays_whole() -> None:
    """The clusterer needs datasketch's LeanMinHash only; datasketch's package init imports
    scipy (about 50 MB of the daemon's memory). Whatever else asks for datasketch later still
    gets the whole package, and the same class."""
    code = (
        "import sys, wire.ingest.daemon\n"
        "from wire.ingest.dedup import Signed\n"
        "before = 'scipy' in sys.modules\n"
        "import datasketch\n"
        "from datasketch import LeanMinHash, MinHash, MinHashLSH\n"
        "print(before, issubclass(Signed, LeanMinHash), MinHashLSH.__name__, MinHash.__name__,"
        " datasketch.__version__ != '')\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "True", "MinHashLSH", "MinHash", "True"]


def test_run_once_over_a_file_into_a_new_sqlite_store_imports_no_http_api_or_alembic(
    tmp_path: Path,
) -> None:
    """A pass over file sources needs no HTTP stack (the fetcher is made at the first
    request), and a new SQLite store no Alembic (its schema comes from the snapshot)."""
    config = tmp_path / "config.toml"
    config.write_text(
        f'[storage]\nurl = "sqlite:///{tmp_path / "wire.db"}"\n\n[[sources]]\nname = "sda"\n'
        f'location = "{FEED}"\nformat = "rss"\n'
    )
    found = set(imported("run", "--once", "--config", str(config)))
    assert (tmp_path / "wire.db").is_file()
    assert not {"httpx", "alembic", "fastapi", "starlette", "trafilatura", "scipy"} & found
    assert {"sqlalchemy", "numpy"} <= found  # the store and the clusterer did run
