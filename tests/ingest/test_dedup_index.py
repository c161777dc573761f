"""The band table's fast paths give what the plain computation gives (no timing here)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from wire.config import DedupConfig
from wire.ingest import dedup
from wire.ingest.dedup import MAX_KEYS, evidence_keys, evidence_keys_many
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
    # here, not at the top: importing bench_speed sets OMP/OPENBLAS_NUM_THREADS in os.environ
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


def test_long_runs_searched_inside_the_run_find_what_a_whole_table_search_finds(
    monkeypatch: Any,
) -> None:
    """A hash in a long directory run (a common key, a flooded bucket, or a rare hash next to
    one) is found at the same place with the same count, whichever search the table's size
    picks, at the run's edges and at the table's ends too."""
    rng = np.random.default_rng(9)
    common = rng.integers(0, 2**32, 40, dtype=np.uint64)
    hashes = np.concatenate(
        (
            rng.integers(0, 2**32, 50_000, dtype=np.uint64),
            np.repeat(common, rng.integers(9, 3000, len(common))),
            common + np.uint64(1),  # next to a common hash: in its run
            np.array([0, 0, 2**32 - 1] * 12, dtype=np.uint64),  # the table's ends
        )
    )
    hashes %= np.uint64(2**32)
    index = dedup._LanguageIndex(*dedup.lsh_bands(0.3, 128), 128)
    index.table = np.sort((hashes << dedup._HIGH) | np.arange(len(hashes), dtype=np.uint64))
    index._directory()
    queries = np.concatenate(
        (common, common + np.uint64(1), common - np.uint64(1), [0, 1, 2**32 - 1, 2**32 - 2])
    )
    queries = np.concatenate((queries % np.uint64(2**32), hashes[:2000])).astype(np.uint32)
    at = queries.astype(np.uint64) << dedup._HIGH
    left = np.searchsorted(index.table, at, side="left")
    right = np.searchsorted(index.table, at | dedup._SLOT, side="right")
    run = queries >> index.shift
    assert (index.starts[run + 1] - index.starts[run] > dedup._RUN_READ).sum() > 100
    for cached in (1 << 40, 0):  # numpy's search of the whole table; the search in the runs
        monkeypatch.setattr(dedup, "_CACHED_ENTRIES", cached)
        first, counts = index._search(queries)
        assert np.array_equal(first, left) and np.array_equal(counts, right - left)


def test_a_text_is_indexed_under_the_same_keys_however_its_sets_were_built() -> None:
    """Past MAX_KEYS names and numbers, the keys kept do not depend on the sets' own order,
    which differs with how they were built (a parse worker's evidence, the same text signed
    in the store's process): one text, one set of keys, wherever it was signed."""
    rng = np.random.default_rng(21)
    names = [int(x) for x in rng.integers(0, 2**32, MAX_KEYS + 30, dtype=np.uint64)]
    numbers = [int(x) for x in rng.integers(0, 2**32, 12, dtype=np.uint64)]
    one = Traits.of(200, False, numbers, names)
    other = Traits.of(200, False, numbers[::-1], frozenset(names[::-1]) | frozenset())
    assert one.names == other.names and list(one.names) != list(other.names)
    keys = evidence_keys(one)
    assert len(keys) == MAX_KEYS
    assert keys.tolist() == evidence_keys(other).tolist()
    assert [k.tolist() for k in evidence_keys_many([one, other])] == [keys.tolist()] * 2


def test_an_insert_takes_its_querys_pending_clashes_only_while_nothing_changed() -> None:
    """A query leaves the hashes it found pending for its insert; another insert between
    (here the same text under another key, which makes all its hashes pending) makes the
    insert look them up again. The pending pairs are those of the same inserts without the
    queries."""
    # here, not at the top: importing bench_speed sets OMP/OPENBLAS_NUM_THREADS in os.environ
    from bench.dedup.bench_speed import templated

    reports, _ = templated(60)
    signer = dedup.Signer(DedupConfig())
    sigs = [s for s in signer.sign_many(reports) if s is not None]
    per_band = DedupConfig().max_judged * dedup.BUCKET_READ

    def pending(query: bool) -> tuple[dict[int, int], dict[int, list[int]]]:
        index = dedup._LanguageIndex(*dedup.lsh_bands(0.3, 128), 128)
        for i, sig in enumerate(sigs):
            if query:
                index.prime(sig)
                index.candidates(sig.row, per_band, sig.keys)
            if i % 3 == 1:  # the same text inserted under another key in between
                index.prime(sig)
                index.insert(f"x{i}", sig.row, sig.traits, 0.0, sig.keys)
            index.prime(sig)  # (as ClusterIndex.add does: the batch's band hashes)
            index.insert(f"k{i}", sig.row, sig.traits, 0.0, sig.keys)
        assert index.pending_more  # (the reports share their hashes)
        further = {h: index.further(h, len(sigs) * 2) for h in index.pending_more}
        assert all(len(f) == index.further_count(h) for h, f in further.items())
        return index.pending, further

    assert pending(query=True) == pending(query=False)


def test_a_pending_hashs_further_slots_are_read_newest_first_and_bounded() -> None:
    """Slots sharing a hash before a merge: the first is ``pending``, the others further
    slots, counted whole and read newest first up to the limit (what a query reads of a
    flooded bucket). A merge empties them; a grown index keeps every slot's row."""
    index = dedup._LanguageIndex(*dedup.lsh_bands(0.3, 128), 128)
    traits = Traits.of(100, False, frozenset(), frozenset())
    row = np.arange(index.width, dtype=np.uint32)
    keys = np.array([7, 9], dtype=np.uint32)
    for i in range(100):  # past 64 slots: the arrays grew
        index.insert(f"a{i}", row, traits, float(i), keys)
    band = int(index.band_hashes(row)[0])
    assert index.pending[band] == 0
    assert index.further_count(band) == 99
    assert index.further(band, 3) == [99, 98, 97]
    assert index.further(7, 1000) == list(range(99, 0, -1))
    assert index.further_count(12345) == 0 and index.further(12345, 5) == []
    assert np.array_equal(index.sigs[:100], np.tile(row, (100, 1)))
    assert index.whens[:100].tolist() == [float(i) for i in range(100)]
    slots, _ = index.candidates(row, 4, keys)
    assert slots.tolist() == [0, 96, 97, 98, 99]  # the first and the newest 4 of each bucket
    index.merge()
    assert not index.pending and not index.pending_more and not index.more_slots


def test_candidates_judged_over_lists_choose_and_order_as_over_arrays(monkeypatch: Any) -> None:
    """A query's candidates are prefiltered, the best ``max_judged`` chosen and ordered over
    Python lists up to ``_LISTED_SLOTS`` of them, over arrays past that: both give the same
    matches, reasons and similarities (template reports: more candidates than are judged,
    with tied scores; generated stories: a few each)."""
    # here, not at the top: importing bench_speed sets OMP/OPENBLAS_NUM_THREADS in os.environ
    from bench.dedup.bench_speed import Generator, templated

    reports, _ = templated(600)
    stories, _ = Generator().make(1200)
    chosen = 0
    best = dedup.ClusterIndex._best

    def counted(self: dedup.ClusterIndex, kept: Any) -> Any:
        nonlocal chosen
        chosen += 1
        return best(self, kept)

    monkeypatch.setattr(dedup.ClusterIndex, "_best", counted)

    def matches(listed: int, max_judged: int) -> list[Any]:
        monkeypatch.setattr(dedup, "_LISTED_SLOTS", listed)
        config = DedupConfig(max_judged=max_judged)
        index, signer = dedup.ClusterIndex.from_config(config), dedup.Signer(config)
        out = []
        for items in (reports, stories):
            for start in range(0, len(items), 100):
                payload = items[start : start + 100]
                for a, sig in zip(payload, signer.sign_many(payload), strict=True):
                    if sig is None:
                        continue
                    when = dedup._epoch(a.firstcreated)
                    found = index.matches(sig, a.language or "", when, exclude=a.id)
                    out.append((a.id, [(m.key, m.similarity, m.reason) for m in found]))
                    index.add(a.id, a.language or "", sig, when)
        return out

    for max_judged in (4, DedupConfig().max_judged):
        assert matches(1 << 30, max_judged) == matches(0, max_judged)
    assert chosen > 0


def test_the_best_candidates_over_lists_are_the_arrays_choice_ties_included() -> None:
    """``_best`` picks what the array computation picks (its scores, ``argpartition``), also
    among tied scores at the cut: agreement counts are few values, so ties are common."""
    rng = np.random.default_rng(3)
    index = dedup.ClusterIndex.from_config(DedupConfig(max_judged=5))
    n = index.num_perm
    for size in (6, 9, 17, 40, 64):
        text = rng.integers(0, 6, size)
        evidence = rng.integers(0, 4, size)
        rare = rng.random(size) < 0.3
        sims, shared = text / n, evidence / dedup.EVIDENCE_PERM
        score = sims + shared + dedup.RARE_BONUS * rare
        expected = np.argpartition(-score, 4)[:5].tolist()
        columns = zip(sims.tolist(), shared.tolist(), rare.tolist(), strict=True)
        kept = [(s, e, bool(r), slot) for slot, (s, e, r) in enumerate(columns)]
        assert [k[3] for k in index._best(kept)] == expected


def test_row_counts_are_the_rows_sums() -> None:
    """The table search's count of the flags in each row of its 8-entry window (one uint64
    multiplication a row) equals numpy's sum along the rows, every pattern of 8 flags; other
    widths and a transposed (not C-ordered) array fall back to the sum."""
    every = ((np.arange(256)[:, None] >> np.arange(8)) & 1).astype(bool)  # all 256 rows
    counts = dedup._row_counts(every)
    assert counts.dtype == np.int64
    assert counts.tolist() == every.sum(axis=1).tolist()
    rng = np.random.default_rng(3)
    for shape in ((0, 8), (5, 4), (3, 9)):
        flags = rng.random(shape) < 0.5
        assert dedup._row_counts(flags).tolist() == flags.sum(axis=1).tolist()
    wide = rng.random((8, 6)) < 0.5
    assert dedup._row_counts(wide.T).tolist() == wide.T.sum(axis=1).tolist()
