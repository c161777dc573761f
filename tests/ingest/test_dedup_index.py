"""The band table's fast paths give what the plain computation gives (no timing here)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from wire.config import DedupConfig
from wire.ingest import dedup
from wire.ingest.matching import Traits


def _rebuilt_directory(index: dedup._LanguageIndex) -> np.ndarray:
    fresh = dedup._LanguageIndex(index.bands, index.rows, index.num_perm)
    fresh.table = index.table
    fresh._directory()
    return fresh.starts


def test_directory_grown_at_a_merge_equals_a_rebuilt_one() -> None:
    rng = np.random.default_rng(5)
    index = dedup._LanguageIndex(*dedup.lsh_bands(0.3, 128), 128)
    traits = Traits.of(100, False, frozenset(), frozenset())
    merges = 0
    for i in range(6 * dedup._MERGE_EVERY):
        row = rng.integers(0, 2**32, index.width, dtype=np.uint64).astype(np.uint32)
        keys = rng.integers(0, 2**12, 8, dtype=np.uint64).astype(np.uint32)  # shared keys too
        if index.insert(f"a{i}", row, traits, float(i), keys):
            merges += 1
            assert np.array_equal(index.starts, _rebuilt_directory(index))
        if 2 * dedup._MERGE_EVERY <= i < 3 * dedup._MERGE_EVERY and i % 97 == 0:
            index.remove(f"a{i - 50}")  # dead entries: that merge rebuilds the directory
    assert merges >= 5


def test_a_payloads_batched_lookups_find_what_single_lookups_find(monkeypatch: Any) -> None:
    """A payload signed together is looked up in the table in one search (``Signed.batch``).
    With frequent merges (the table changes inside payloads), window expiry, eviction,
    compaction and template floods (buckets past ``per_band``), every article's candidates
    (by bands and by rare keys) are those of looking it up alone."""
    from bench.dedup.bench_speed import Generator, templated

    monkeypatch.setattr(dedup, "_MERGE_EVERY", 64)
    monkeypatch.setattr(dedup, "_LOOK_AHEAD", 16)  # a payload's batch looked up in parts
    stories, _ = Generator(seed=5).make(4000)
    reports, _ = templated(1500)
    config = replace(DedupConfig(), window_days=1.5, max_indexed=900)
    seen = {"compared": 0, "by_rare": 0, "many": 0}
    for articles in (stories, reports):
        clusterer = dedup.MemoryClusterer(config)
        index = clusterer.index
        per_band = index.max_judged * dedup.BUCKET_READ
        for start in range(0, len(articles), 100):
            payload = articles[start : start + 100]
            for a, sig in zip(payload, clusterer.signer.sign_many(payload), strict=True):
                lang = dedup.index_language(dedup.language_key(a.language), sig) if sig else ""
                table = index._langs.get(lang)
                if sig is not None and table is not None and len(table.table):
                    assert sig.batch is not None
                    table.prime(sig)
                    slots, rare = table.candidates(sig.row, per_band, sig.keys, sig)
                    alone = table.candidates(sig.row, per_band, sig.keys)
                    assert np.array_equal(slots, alone[0]) and np.array_equal(rare, alone[1])
                    seen["compared"] += 1
                    seen["by_rare"] += bool(len(rare))
                    seen["many"] += len(slots) > per_band
                clusterer.add(a.id, a.language, sig, dedup._epoch(a.firstcreated))
    assert seen["compared"] > 3000 and seen["by_rare"] > 100 and seen["many"] > 100, seen
