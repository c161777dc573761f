"""The API and CLI show which story a lead/update updates (wire and ninjs), and filter by
item type (``type=``), on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tests.api.factory import client
from tests.api.test_formats import check_ninjs
from tests.conftest import ROOT
from wire.adapters.base import FeedSettings
from wire.config import Config
from wire.ingest.hooks import store_hooks
from wire.ingest.pipeline import ingest_payload
from wire.storage.db import Database

CASES = ROOT / "tests" / "adapters" / "cases"


def load(db: Database, name: str, fmt: str) -> None:
    settings = FeedSettings(feed="wire", timezone="UTC")
    hooks = store_hooks(Config(), db)
    ingest_payload(db, (CASES / name).read_bytes(), settings, fmt=fmt, hooks=hooks)


def test_article_says_what_it_updates_and_what_updates_it(db: Database) -> None:
    load(db, "anpa1312_lead_fr.txt", "anpa1312")
    c = client(db)
    listed = c.get("/articles", params={"format": "wire", "q": "neige"})
    assert listed.status_code == 200, listed.text
    by_headline = {i["headline"]: i for i in listed.json()["items"]}
    lead = by_headline["La première tempête de neige paralyse Montréal"]
    first = by_headline["Première tempête de neige attendue à Montréal dans la nuit"]
    assert lead["updates"]["id"] == first["id"] and lead["updates"]["by"] == "story"
    assert first["updates"] is None
    assert lead["signals"] == ["urgent", "lead:1"]
    assert lead["cluster_id"] == first["cluster_id"] is not None

    shown = c.get(f"/articles/{first['id']}", params={"format": "wire"}).json()
    assert [u["id"] for u in shown["updated_by"]] == [lead["id"]]
    assert shown["item"]["updates"] is None

    ninjs = c.get(f"/articles/{lead['id']}").json()["item"]
    check_ninjs(ninjs)
    (assoc,) = [a for a in ninjs.get("associations", []) if a["name"] == "updates"]
    assert assoc["uri"] == f"urn:wire:article:{first['id']}"
    assert assoc["altids"] == [{"role": "guid", "value": "anpa1312:Neige-Montréal:2024-10-31"}]
    listed_ninjs = c.get("/articles", params={"q": "paralyse"}).json()["items"]
    assert [a["name"] for a in listed_ninjs[0]["associations"]] == ["updates"]


def test_type_filter_and_ninjs_type(db: Database, tmp_path: Path) -> None:
    load(db, "ninjs_picture_3x_en.json", "ninjs")
    load(db, "ninjs_graphic_2x_de.json", "ninjs")
    load(db, "newsml_update_en.xml", "newsml")
    c = client(db)

    def types(**params: str) -> list[str]:
        r = c.get("/articles", params=params)
        assert r.status_code == 200, r.text
        return sorted(i["type"] for i in r.json()["items"])

    assert types() == ["graphic", "picture", "text"]  # ninjs says what each item is
    assert types(type="picture") == ["picture"]
    assert types(type="photo,GRAPHIC") == ["graphic", "picture"]
    assert types(type="text") == ["text"]
    assert types(type="video") == []
    assert types(type="text", q="Zermatt") == ["text"]
    bad = c.get("/articles", params={"type": "movie"})
    assert bad.status_code == 400
    assert "unknown type 'movie'" in bad.json()["error"]

    from wire.ingest.cli import app

    config = tmp_path / "config.toml"
    config.write_text(f'[storage]\nurl = "{db.url}"\n', encoding="utf-8")
    runner = CliRunner()
    found = runner.invoke(app, ["search", "Zermatt", "--type", "text", "--json", "-c", str(config)])
    assert found.exit_code == 0, found.output
    assert found.output.count('"id"') == 1
    none = runner.invoke(app, ["search", "Zermatt", "--type", "picture", "-c", str(config)])
    assert none.exit_code == 0 and "no article matches" in none.output
    wrong = runner.invoke(app, ["search", "Zermatt", "--type", "movie", "-c", str(config)])
    assert wrong.exit_code != 0 and "unknown type 'movie'" in str(wrong.exception)


def test_wire_show_names_the_story_a_lead_updates(db: Database, tmp_path: Path) -> None:
    from wire.ingest.cli import app

    load(db, "iptc7901_update_de.txt", "iptc7901")
    config = tmp_path / "config.toml"
    config.write_text(f'[storage]\nurl = "{db.url}"\n', encoding="utf-8")
    runner = CliRunner()
    found = runner.invoke(app, ["search", "Haushalt", "--json", "-c", str(config)])
    hits = {h["headline"]: h["id"] for h in map(json.loads, found.output.splitlines())}
    first = hits["Bundestag stimmt über Haushalt 2025 ab"]
    second = hits["Bundestag beschliesst Haushalt 2025 nach langer Debatte"]
    shown = runner.invoke(app, ["show", second, "-c", str(config)], env={"COLUMNS": "200"})
    assert shown.exit_code == 0, shown.output
    assert f"updates: {first} Bundestag stimmt über Haushalt 2025 ab" in shown.output
    back = runner.invoke(app, ["show", first, "-c", str(config)], env={"COLUMNS": "200"})
    assert f"updated_by: {second} Bundestag beschliesst Haushalt" in back.output
