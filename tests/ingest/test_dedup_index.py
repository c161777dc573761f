"""The band table's fast paths give what the plain computation gives (no timing here)."""

from __future__ import annotations

import numpy as np

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
