"""Story keys of slug and keyword lines: status words and take markers off, the rest folded."""

from __future__ import annotations

import pytest

from wire.normalise.storykey import is_update, story_key, story_link
from wire.record import Link


@pytest.mark.parametrize(
    ("slug", "key", "signals"),
    [
        ("BC-US--Flood-Relief, 2nd Writethru,212", "us-flood-relief", ("writethru:2",)),
        ("BC-US--Flood-Relief", "us-flood-relief", ()),
        ("Bourse-Toronto, 3e Ld", "bourse-toronto", ("lead:3",)),
        ("Bundestag-Haushalt (1. Zusammenfassung)", "bundestag-haushalt", ("wrapup:1",)),
        ("Deutschland/Bundestag/Haushalt/", "deutschland-bundestag-haushalt", ()),
        ("BRITAIN-POLITICS/ (UPDATE 2)", "britain-politics", ("update:2",)),
        ("EU-Gipfel (Korrigiert)", "eu-gipfel", ("correction",)),
        ("Suisse-météo-neige (1er LEAD)", "suisse-meteo-neige", ("lead:1",)),
        ("Wahl (Schweiz)", "wahl-schweiz", ()),  # a bracket without status words is the key
        ("SOC-ENG-Arsenal 1st add", "soc-eng-arsenal", ("add:1",)),
    ],
)
def test_story_key(slug: str, key: str, signals: tuple[str, ...]) -> None:
    found = story_key(slug)
    assert found is not None
    assert (found.key, found.signals) == (key, signals)


@pytest.mark.parametrize("slug", [None, "", "   ", "Take 2", "LEAD", "0212"])
def test_no_key(slug: str | None) -> None:
    assert story_key(slug) is None
    assert story_link(slug) == (None, ())


def test_link_and_updates() -> None:
    assert story_link("Neige-Montréal")[0] == Link("story:neige-montreal", "story")
    assert is_update(["urgent", "lead:1"]) and is_update(["correction"])
    assert not is_update(["urgent", "flash"]) and not is_update([])
