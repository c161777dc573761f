"""``wire agencies``: the registry with ops' additions, and the unresolved names with counts."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import pytest

from tests.ingest.test_cli import wire
from wire.config import AgencyConfig, parse_config
from wire.errors import ConfigError

CONFIG = """
[storage]
url = "sqlite:///wire.db"

[[agencies]]
code = "lokalagentur"
name = "Lokalagentur"
aliases = ["LA Muster", "Lokalagentur Muster AG"]
domains = ["lokalagentur.example"]

[[agencies]]
code = "dpa"
aliases = ["Deutsche Presseagentur GmbH"]

[[sources]]
name = "drop"
location = "in"
format = "ninjs"
"""


def _item(n: int, holder: str, extra: Mapping[str, object] | None = None) -> str:
    return json.dumps(
        {
            "uri": f"urn:example:ninjs:{n}",
            "type": "text",
            "version": "1",
            "versioncreated": "2024-10-08T07:45:30Z",
            "language": "de",
            "headline": f"Gemeinderat beschliesst neues Budget ({n})",
            "body_text": "Der Gemeinderat hat am Dienstag das Budget für das kommende Jahr "
            f"beschlossen. Meldung {n}.",
            "copyrightholder": holder,
            **(extra or {}),
        }
    )


@pytest.fixture
def workdir(tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "config.toml").write_text(CONFIG, encoding="utf-8")
    inbox = tmp_path / "in"
    inbox.mkdir()
    holders = [
        "Nachrichtenbüro Beispiel",
        "Nachrichtenbüro Beispiel",
        "Agenzia Esempio",
        "LA Muster",
    ]
    for n, holder in enumerate(holders):
        (inbox / f"item{n}.json").write_text(_item(n, holder), encoding="utf-8")
    picture = {
        "associations": {
            "featureimage": {
                "uri": "urn:example:ninjs:pic5",
                "type": "picture",
                "description_text": "Der Gemeindesaal am Dienstagabend.",
                "creditline": "Bildagentur Beispiel/Hans Muster",
            }
        }
    }
    (inbox / "item5.json").write_text(_item(5, "LA Muster", picture), encoding="utf-8")
    (inbox / "item9.json").write_text(
        _item(9, "Deutsche Presseagentur GmbH", {"infosources": [{"name": "Automated Insights"}]}),
        encoding="utf-8",
    )
    monkeypatch.setenv("WIRE_DATABASE_URL", db_url)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_registry_lists_packaged_and_ops_agencies(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = wire("agencies", "--json", capsys=capsys)
    assert code == 0, err
    rows = {r["code"]: r for r in map(json.loads, out.splitlines())}
    assert len([r for r in rows.values() if r["kind"] == "agency"]) >= 80
    assert rows["lokalagentur"]["name"] == "Lokalagentur"
    assert rows["lokalagentur"]["domains"] == ["lokalagentur.example"]
    assert "Deutsche Presseagentur GmbH" in rows["dpa"]["aliases"]
    assert rows["afp"]["qcodes"] == ["nprov:AFP"]
    assert rows["automated-insights"]["kind"] == "producer"
    code, out, err = wire("agencies", capsys=capsys)
    assert code == 0 and "agency registry" in out and "Lokalagentur" in out


def test_unresolved_names_are_counted_and_records_keep_the_raw_name(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = wire("run", "--once", capsys=capsys)
    assert code == 0, out + err
    code, out, err = wire("agencies", "--unresolved", "--json", capsys=capsys)
    assert code == 0, err
    assert [json.loads(line) for line in out.splitlines()] == [
        {"code": "x-nachrichtenburo-beispiel", "name": "Nachrichtenbüro Beispiel", "articles": 2},
        {"code": "x-agenzia-esempio", "name": "Agenzia Esempio", "articles": 1},
        {"code": "x-bildagentur-beispiel", "name": "Bildagentur Beispiel", "articles": 1},
    ]
    code, out, err = wire("search", "Gemeinderat", "--json", capsys=capsys)
    hits = {h["headline"]: h for h in map(json.loads, out.splitlines())}
    assert hits["Gemeinderat beschliesst neues Budget (3)"]["agencies"] == ["lokalagentur"]
    shown = json.loads(
        wire("show", hits["Gemeinderat beschliesst neues Budget (0)"]["id"], "--json",
             capsys=capsys)[1]
    )  # fmt: skip
    assert shown["source"] == "x-nachrichtenburo-beispiel"
    assert shown["unresolved_agencies"] == {
        "x-nachrichtenburo-beispiel": "Nachrichtenbüro Beispiel"
    }
    robot = json.loads(
        wire("show", hits["Gemeinderat beschliesst neues Budget (9)"]["id"], "--json",
             capsys=capsys)[1]
    )  # fmt: skip
    assert robot["agencies"] == ["dpa"]
    assert robot["producers"] == ["automated-insights"]
    assert robot["unresolved_agencies"] == {}
    pictured = json.loads(
        wire("show", hits["Gemeinderat beschliesst neues Budget (5)"]["id"], "--json",
             capsys=capsys)[1]
    )  # fmt: skip
    assert pictured["agencies"] == ["lokalagentur"]
    [image] = pictured["images"]
    assert image["creator"] == "Hans Muster"
    assert image["agencies"] == ["x-bildagentur-beispiel"]
    assert image["copyright_holder"] == "Bildagentur Beispiel"
    code, out, err = wire("agencies", "--unresolved", capsys=capsys)
    assert code == 0 and "Agenzia Esempio" in out


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"code": "Lokal"}, "code must be lowercase"),
        ({"code": "x-lokal"}, "must be lowercase and not start with 'x-'"),
        ({"code": "lokal", "kind": "robot"}, "kind must be 'agency' or 'producer'"),
        ({"code": "lokal", "colour": "red"}, "unknown key 'colour' in [agencies.lokal]"),
        ({"name": "Lokal"}, "[agencies.0] is incomplete"),
    ],
)
def test_agency_config_mistakes(entry: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_config({"agencies": [entry]}, Path("."))
    assert message in str(info.value)


def test_agency_config_is_read() -> None:
    config = parse_config(
        {"agencies": [{"code": "lokal", "aliases": ["LA"], "domains": ["lokal.example"]}]},
        Path("."),
    )
    assert config.agencies == (
        AgencyConfig(code="lokal", aliases=("LA",), domains=("lokal.example",)),
    )
