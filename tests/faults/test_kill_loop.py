"""The SIGKILL loop: a daemon killed 30 times while a drop folder of 1,050 mixed files
drains (new stories, new versions, kills, exact duplicates from another desk, near
duplicates that cluster) ends with the store a clean run makes: the same article ids,
guids, versions, pubstatus, content hashes, sightings and cluster membership."""

from __future__ import annotations

import asyncio
import json
import os
import random
import shutil
import signal
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tests.faults.test_poison import CITIES
from tests.ingest.test_daemon import events, eventually, start, stop, write_config
from wire.config import parse_config
from wire.ingest.runner import run_once
from wire.storage.db import Database
from wire.storage.models import ArticleRow, ClusterMember, SightingRow

KILLS = 30


def story(n: int, *, version: int = 1, pubstatus: str = "usable", guid: str | None = None,
          text: int | None = None, twist: str = "") -> bytes:  # fmt: skip
    """A ninjs 2.x story; ``text`` picks another story's words (a duplicate), ``twist`` adds a
    sentence (a near duplicate)."""
    t = n if text is None else text
    city = CITIES[t % len(CITIES)]
    body = (f"<p>Der Gemeinderat von {city} hat am Montag über das Geschäft Nummer {t} "
            f"beraten und nach {t % 7 + 2} Stunden Debatte einen Entscheid gefällt.</p>"
            f"<p>Die Vorlage {t} betrifft Schulen, Strassen und die Wasserversorgung; die "
            f"Opposition kündigte ein Referendum an.{twist}</p>")  # fmt: skip
    if version > 1:
        body += f"<p>Aktualisiert: Fassung {version}.</p>"
    return json.dumps(
        {
            "uri": guid or f"urn:newsml:sda.ch:2026:geschaeft-{n:04d}",
            "type": "text",
            "version": str(version),
            "pubstatus": pubstatus,
            "language": "de",
            "versioncreated": f"2026-12-06T{6 + version:02d}:{n % 60:02d}:00Z",
            "headlines": [{"role": "main", "value": f"{city}: Entscheid zum Geschäft {t}"}],
            "bodies": [{"role": "main", "contenttype": "text/html", "value": body}],
        },
        ensure_ascii=False,
    ).encode()


def corpus(folder: Path) -> int:
    """1,050 files, names in an order that mixes the kinds."""
    files: dict[str, bytes] = {}
    for n in range(700):
        files[f"{n:04d}-a.json"] = story(n)
    for n in range(200):
        files[f"{n + 3:04d}-b.json"] = story(n, version=2)  # an update a little later
    for n in range(200, 250):
        files[f"{n + 5:04d}-c.json"] = story(n, version=2, pubstatus="canceled")  # kills
    for n in range(300, 350):  # the same story from another desk: a sighting
        files[f"{n + 1:04d}-d.json"] = story(n, guid=f"urn:newsml:keystone:2026:{n}", text=n)
    for n in range(400, 450):  # a near duplicate: clusters with its original
        files[f"{n + 2:04d}-e.json"] = story(
            n, guid=f"urn:newsml:apa:2026:{n}", text=n, twist=" Die Abstimmung folgt im Juni."
        )
    old = time.time() - 60
    for name, data in files.items():
        path = folder / name
        path.write_bytes(data)
        os.utime(path, (old, old))
    return len(files)


def snapshot(url: str) -> dict[str, Any]:
    db = Database(url)
    try:
        with db.reader() as s:
            articles = {
                r.id: (r.guid, r.version, r.pubstatus, r.content_hash)
                for r in s.scalars(select(ArticleRow))
            }
            sightings = sorted(
                (r.article_id, r.feed, r.guid) for r in s.scalars(select(SightingRow))
            )
            clusters: dict[str, set[str]] = {}
            for m in s.scalars(select(ClusterMember)):
                clusters.setdefault(m.cluster_id, set()).add(m.article_id)
    finally:
        db.dispose()
    return {
        "articles": articles,
        "sightings": sightings,
        "clusters": sorted(sorted(c) for c in clusters.values() if len(c) > 1),
    }


@pytest.mark.slow
@pytest.mark.kill_loop
async def test_thirty_sigkills_while_a_folder_drains_leave_the_clean_store(
    tmp_path: Path, db_url: str
) -> None:
    drop, clean_drop = tmp_path / "drop", tmp_path / "clean"
    drop.mkdir()
    total = corpus(drop)
    assert total >= 1000
    shutil.copytree(drop, clean_drop)
    for path in clean_drop.iterdir():
        os.utime(path, (time.time() - 60,) * 2)

    # The clean run: one pass, no kills, into a store of its own.
    clean_url = f"sqlite:///{tmp_path / 'clean.db'}"
    clean_db = Database(clean_url)
    try:
        cfg = parse_config(
            {"sources": [{"name": "sda", "location": str(clean_drop), "kind": "folder",
                          "format": "ninjs"}]},
            tmp_path,
        )  # fmt: skip
        await asyncio.to_thread(run_once, clean_db, cfg, list(cfg.sources))
    finally:
        clean_db.dispose()
    expected = snapshot(clean_url)
    assert len(expected["articles"]) >= 700 and expected["sightings"] and expected["clusters"]

    source = {"name": "sda", "location": str(drop), "kind": "folder", "format": "ninjs"}
    config = write_config(tmp_path / "c.toml", [source], interval=0.2, lease_seconds=600)
    log = tmp_path / "daemon.log"
    rng = random.Random(22)
    mid_drain = 0  # kills while files were still waiting (printed: how hard the test hit)
    for _ in range(KILLS):
        proc = start(config, db_url, log)
        try:
            await asyncio.sleep(rng.uniform(1.0, 3.0))
            mid_drain += any(p.is_file() for p in drop.iterdir())
            proc.send_signal(signal.SIGKILL)
            await asyncio.to_thread(proc.wait, 10)
        finally:
            stop(proc)
    logged = len(events(log))
    proc = start(config, db_url, log)
    try:
        await eventually(
            lambda: not [p for p in drop.iterdir() if p.is_file()], 600, "the folder drained"
        )
        # The folder may have drained before this daemon started: SIGTERM only once it polls
        # (its signal handlers are in place by then), so a clean stop is what is tested.
        await eventually(
            lambda: any(e.get("event") == "poll" for e in events(log)[logged:]),
            120,
            "the last daemon polled",
        )
        proc.send_signal(signal.SIGTERM)
        assert await asyncio.to_thread(proc.wait, 30) == 0
    finally:
        stop(proc)
    print(f"{KILLS} SIGKILLs, {mid_drain} of them while the folder was still draining")
    assert snapshot(db_url) == expected
