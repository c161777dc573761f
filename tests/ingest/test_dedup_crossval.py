"""bench/dedup/crossval.py, the cross-validated measurement: it sets the judge's constants and
reads its helpers, so this keeps it working (and honest) when they change.

The script is no part of wire; what it relies on is: every constant it searches is one of
``wire.ingest.matching``'s, the search starts from the shipped value, no value it tries makes
the judge's pre-check reject a pair the judge would join, the constants come back as they were,
and a story group never lands in two folds.
"""

from __future__ import annotations

import argparse
import math

from bench.dedup.crossval import (
    FEATURES,
    GRID,
    Row,
    constants,
    crossvalidate,
    features,
    fit_thresholds,
    folds,
)
from wire.config import DedupConfig
from wire.ingest import matching
from wire.ingest.dedup import Signer

# Two agencies' accounts of one bus crash (the hand-written set's shape).
ATS = (
    "Pullman esce di strada sull'A2 a Quinto: un morto e 14 feriti",
    "QUINTO - Un pullman di turisti tedeschi è uscito di strada martedì mattina sull'A2 "
    "all'altezza di Quinto, in Leventina. L'autista è morto, 14 passeggeri sono feriti.",
    "Lo ha comunicato la Polizia cantonale ticinese. Il veicolo, partito da Monaco di Baviera, "
    "era diretto a Milano. L'autostrada è rimasta chiusa in direzione sud per cinque ore.",
)
ANSA = (
    "Ticino, bus di turisti tedeschi si ribalta in autostrada: una vittima",
    "(ANSA) - LUGANO, 3 DIC - Un bus con a bordo turisti tedeschi si è ribaltato martedì "
    "sull'A2 nei pressi di Quinto, in Leventina: l'autista è morto, 14 i feriti.",
    "Il mezzo, partito da Monaco di Baviera e diretto a Milano, è finito fuori strada. La "
    "Polizia cantonale ticinese indaga sulle cause.",
)


def test_the_grid_searches_the_judges_own_constants_from_the_shipped_values() -> None:
    for name, values in GRID.items():
        shipped = getattr(matching, name)
        assert shipped in values, name
        assert values == sorted(values), name
    # the fewest names any rule joins on: the pre-check is derived from it
    fewest = min(min(GRID[n]) for n in ("ACCOUNT_SHARED", "BRIEF_SHARED", "DAY_SHARED"))
    assert fewest >= matching._FEW_NAMES


def test_constants_are_set_for_the_block_and_restored() -> None:
    shipped = matching.DAY_NAMES
    with constants({"DAY_NAMES": 0.3}):
        assert matching.DAY_NAMES == 0.3
    assert matching.DAY_NAMES == shipped


def test_features_of_a_real_pair() -> None:
    signer = Signer(DedupConfig())
    a, b = (signer.sign_text(*t, "it") for t in (ATS, ANSA))
    assert a is not None and b is not None
    values = features(0.0, b.traits, a.traits)
    assert len(values) == len(FEATURES)
    assert all(math.isfinite(v) for v in values)
    assert values[10] > 0  # names shared (log): Quinto, Leventina, Monaco, Baviera, Milano ...


def _row(group: str, label: int, joined: bool, source: str = "realset") -> Row:
    signer = Signer(DedupConfig())
    a, b = (signer.sign_text(*t, "it") for t in (ATS, ANSA))
    assert a is not None and b is not None
    # a pair the shipped judge joins (the same text twice) or one with no call
    calls = [(1.0, a.traits, a.traits)] if joined else []
    return Row(source, "rewrite", label, frozenset((group,)), "it", calls, joined, group)


def test_nothing_is_fitted_when_nothing_gains() -> None:
    rows = [_row("it-a", 1, True), _row("it-b", 0, False)]
    assert fit_thresholds(rows, DedupConfig().threshold, 1) == {}


def test_a_group_is_in_one_fold_and_each_language_a_fold_of_its_own() -> None:
    rows = [_row(f"{lang}-g{n}", 1, True) for lang in ("de", "fr") for n in range(5)]
    rows.append(_row("gen-de-x", 1, True, "generated"))
    fold = folds(rows, 3, 0, "group")
    assert set(fold) == {g for r in rows for g in r.groups}
    assert set(fold.values()) == {0, 1, 2}
    by_language = folds(rows, 3, 0, "language")
    assert by_language["gen-de-x"] == by_language["de-g0"] != by_language["fr-g0"]


def test_every_pair_is_scored_once_a_run() -> None:
    rows = [_row(f"it-g{n}", 1, True) for n in range(8)]
    args = argparse.Namespace(mode="thresholds", k=4, seeds=2, by="group", min_gain=1)
    tally, runs, _ = crossvalidate(rows, args)
    assert runs == 2
    assert tally.counts["overall (realset)"] == [16, 0, 0]
