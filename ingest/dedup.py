"""Story clusters: MinHash signatures of each article's words, one LSH index per language.

Rewrites of one event in one language (updates, republished copies, another agency's rewrite)
share most of their word shingles; unrelated stories, even on the same topic or from the same
template, share few. Each new article is signed (datasketch ``MinHash``, kept as
``LeanMinHash``, over 3-word shingles of headline + lead + body that never span a sentence
end, see :func:`wire.ingest.fingerprint.shingle_words`), the LSH index of its language returns the
few indexed articles that may be similar, their estimated Jaccard similarity is computed from
the signatures, and the article joins the cluster of the best one at or above
``[dedup].threshold`` (creating the cluster when that one had none). The member row keeps the
matched article and the similarity, so the newsroom can see why. Settings and the measured
precision/recall: bench/dedup (``evaluate.py``).

The LSH banding is our own compact index (:class:`_LanguageIndex`: band hashes in sorted numpy
arrays), not datasketch's ``MinHashLSH``: at the default threshold of 0.3 the index needs 49
bands of 2 rows to find 99% of the pairs at the threshold (:func:`lsh_bands`), and
``MinHashLSH``'s dict-of-sets storage then costs about 20 KB per article (measured with 64
bands: +395 MB for 20,000 articles) against about 2 KB here, with a faster query.

What happens to awkward input (each case is tested in tests/ingest/test_dedup.py):

- empty body, one-word item, headline-only flash: fewer than ``min_words`` words with letters,
  so no signature. The article is stored but never clustered and the index is not touched.
- huge body: only the first ``max_words`` tokens are read (the text is cut before it is even
  tokenised), so one article costs the same bounded time whatever its size.
- table of numbers (results, stock lists): fewer than 60% of its tokens have letters, so no
  signature, exactly like a too-short text: a table is no evidence of a story.
- no language: indexed under "und" and only ever compared with other language-less articles.
- a killed or withheld version leaves the index (it is no longer a match for new articles) but
  keeps its cluster membership, which is history. A new usable version re-signs the article;
  an article already in a cluster stays in it (the same id is the same story).
- template copy (results, markets, weather; a flood of copies): every report is a candidate of
  every other, so a query reads only the newest entries of a flooded LSH bucket and judges only
  the best ``max_judged`` candidates, best first, stopping at the first join: one insert costs
  the same bounded time however many reports of the template are indexed.
- articles further apart in story time than ``window_days`` are never matched, and the index
  forgets entries older than the window; it also holds at most ``max_indexed`` articles (the
  oldest by story time leave first), so memory stays bounded in a long-running daemon however
  busy the wires are.

Several processes may write: the database is the truth. Signatures are stored in
``signatures``; the in-memory index is loaded from them lazily on first use, and before each
match it applies the change feed (``changes``, whose sequence numbers become visible in commit
order) since its last look, so articles another process stored are candidates too. Candidates
are checked against the database (exists, still usable, current cluster) before joining.
"""

from __future__ import annotations

import itertools
import logging
import math
import threading
import time
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import Connection, event
from sqlalchemy.orm import Session, SessionTransaction

from wire.config import DedupConfig
from wire.ingest.leanminhash import LeanMinHash
from wire.ingest.matching import Reason, Traits, judge
from wire.ingest.signing import EVIDENCE_PERM, HEADER, MIX, SCHEME, SEED, MinHasher, Parts, text_key
from wire.record import Article
from wire.storage import clusters as store
from wire.storage.clusters import ArticleState, Assignment, Correction
from wire.storage.db import Database
from wire.storage.updates import (
    Item,
    NamedUpdates,
    update_targets,
    updated_story,
    updating_stories,
)
from wire.storage.writer import StoreResult

log = logging.getLogger("wire.dedup")

NO_LANGUAGE = "und"


def language_key(language: str | None) -> str:
    """One index per language: "de-CH" and "de" share one, no language gets its own."""
    return language[:2].lower() if language else NO_LANGUAGE


def story_time(article: Article) -> datetime | None:
    """When the story happened, for the window: first creation, clamped to ingest time + 1 day.

    The clamp keeps one item with a bogus future date from pushing everything out of the window.
    """
    when = article.firstcreated or article.versioncreated or article.ingested_at
    if when is not None and article.ingested_at is not None:
        when = min(when, article.ingested_at + timedelta(days=1))
    return when


def _epoch(when: datetime | None) -> float:
    if when is None:
        return time.time()
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.timestamp()


class Signed(LeanMinHash):
    """A text's signature: datasketch's ``LeanMinHash`` of the shingles, plus what the judge
    and the evidence LSH need (:class:`wire.ingest.signing.Parts` when freshly signed)."""

    __slots__ = (
        "banded_as",
        "bands",
        "batch",
        "batch_pos",
        "evidence_values",
        "keys",
        "parts",
        "row",
        "traits",
    )

    def __init__(
        self,
        values: np.ndarray,
        evidence_values: np.ndarray,
        traits: Traits,
        parts: Parts | None,
        made: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> None:
        # LeanMinHash's own __init__ checks and converts what is already checked uint32
        # values of the affine32 scheme: its slots are set directly (a signature per article).
        self.seed = SEED  # type: ignore[misc]  # LeanMinHash's slots (mypy misreads them)
        self.scheme = SCHEME  # type: ignore[misc]
        self.traits = traits
        self.parts = parts
        if made is None:
            self.hashvalues = np.array(values, dtype=np.uint32)  # type: ignore[misc]
            self.evidence_values = np.asarray(evidence_values, dtype=np.uint32)
            # Text and evidence values in one row, as the index keeps them; made once,
            # because the index remembers the band hashes of the last row it saw (by identity).
            self.row = np.concatenate((self.hashvalues, self.evidence_values))
            self.keys = evidence_keys(traits)
        else:  # the row and the keys, made for a payload at once (:meth:`many`)
            self.row, self.keys = made
            self.hashvalues = self.row[: len(values)]  # type: ignore[misc]
            self.evidence_values = self.row[len(values) :]
        # The row's band hashes when a payload's were made together (:meth:`Signer.sign_many`),
        # and the (bands, rows) they were made with.
        self.bands: np.ndarray | None = None
        self.banded_as: tuple[int, int] | None = None
        # The band hashes and keys of its payload's signatures in its language, and its place
        # among them: the index looks them up in one search (:meth:`_LanguageIndex.candidates`).
        self.batch: _Batch | None = None
        self.batch_pos = 0

    @classmethod
    def of(cls, parts: Parts) -> Signed:
        found = parts.evidence
        traits = Traits.of(
            parts.shingles,
            parts.short,
            found.numbers,
            found.names,
            found.headline,
            found.day,
            found.nouns,
            found.forms,
            found.needs,
        )
        return cls(parts.values, parts.evidence_values, traits, parts)  # (copied there)

    @classmethod
    def many(cls, made: Sequence[Parts]) -> list[Signed]:
        """:meth:`of` of a payload's parts: the rows and the evidence keys made in a few numpy
        calls for all of them (the same values; each row a view of the payload's array)."""
        if not made:
            return []
        traits = [
            Traits.of(
                p.shingles,
                p.short,
                p.evidence.numbers,
                p.evidence.names,
                p.evidence.headline,
                p.evidence.day,
                p.evidence.nouns,
                p.evidence.forms,
                p.evidence.needs,
            )
            for p in made
        ]
        rows = np.concatenate(
            (
                np.array([p.values for p in made], dtype=np.uint32),
                np.array([p.evidence_values for p in made], dtype=np.uint32),
            ),
            axis=1,
        )
        keys = evidence_keys_many(traits)
        return [
            cls(p.values, p.evidence_values, t, p, (row, k))
            for p, t, row, k in zip(made, traits, rows, keys, strict=True)
        ]


class Signer(MinHasher):
    """Signatures (:class:`Signed`); those a parse worker already made for a text
    (:meth:`give`) are taken instead of signing again."""

    def __init__(self, config: DedupConfig) -> None:
        super().__init__(config)
        self._given: dict[bytes, bytes] = {}
        # The band hashes of the index :meth:`ClusterIndex.from_config` makes (one numpy
        # pass for a payload instead of one per article).
        self._bander = _LanguageIndex(*lsh_bands(config.threshold, config.num_perm), self.num_perm)

    def sign_text(
        self, headline: str | None, lead: str | None, body: str | None, language: str | None
    ) -> Signed | None:
        """The signature, or None when the text is too short or a table (see the module doc)."""
        parts = self.parts(headline, lead, body, language)
        return Signed.of(parts) if parts is not None else None

    def sign(self, article: Article) -> Signed | None:
        if self._given:
            packed = self._given.get(text_key(article))
            if packed is not None:
                return self.unpack(packed) if packed else None
        return self.sign_text(article.headline, article.lead, article.body_text, article.language)

    def sign_many(self, articles: Sequence[Article]) -> list[Signed | None]:
        """:meth:`sign` of a payload's articles, those not given signed together
        (:meth:`MinHasher.parts_many`: the same values, a fraction of the numpy calls).

        Every signature gets its band hashes here, and those of one language form a batch
        (``Signed.batch``) that the index looks up in its table in one search."""
        out: list[Signed | None] = [None] * len(articles)
        parts: list[Parts | None] = [None] * len(articles)
        todo = []
        for i, article in enumerate(articles):
            packed = self._given.get(text_key(article)) if self._given else None
            if packed is not None:
                parts[i] = self.unpack_parts(packed)  # (stored as given: not packed again)
            else:
                todo.append(i)
        texts = [(a.headline, a.lead, a.body_text, a.language) for a in (articles[i] for i in todo)]
        for i, made_part in zip(todo, self.parts_many(texts), strict=True):
            parts[i] = made_part
        # The given and the freshly made alike: their rows and keys in one pass.
        live = [(i, p) for i, p in enumerate(parts) if p is not None]
        for (i, _), sig in zip(live, Signed.many([p for _, p in live]), strict=True):
            out[i] = sig
        made = [sig for sig in out if sig is not None]
        if made:
            bander = self._bander
            hashes = bander.band_hashes(np.stack([sig.row for sig in made]))
            for sig, bands in zip(made, hashes, strict=True):
                sig.bands, sig.banded_as = bands, (bander.bands, bander.rows)
            groups: dict[str, list[int]] = {}  # language -> places in ``made`` (and ``hashes``)
            signed_articles = (a for a, sig in zip(articles, out, strict=True) if sig is not None)
            for i, article in enumerate(signed_articles):
                groups.setdefault(language_key(article.language), []).append(i)
            for members in groups.values():
                batch = _Batch(
                    hashes[members], [made[i].keys for i in members], (bander.bands, bander.rows)
                )
                for pos, i in enumerate(members):
                    made[i].batch, made[i].batch_pos = batch, pos
        return out

    def give(self, packed: dict[bytes, bytes]) -> None:
        """Signatures made elsewhere (:meth:`MinHasher.packed`, by :func:`text_key`) for texts
        about to be stored; :meth:`forget` them after the store."""
        self._given.update(packed)

    def forget(self, keys: Iterable[bytes]) -> None:
        for key in keys:
            self._given.pop(key, None)

    def pack(self, sig: Signed) -> bytes:
        """The stored form (:meth:`MinHasher.pack_parts`)."""
        assert sig.parts is not None, "only a freshly made signature is stored"
        return self.pack_parts(sig.parts)

    def unpack(self, blob: bytes | None) -> Signed | None:
        """A stored signature, or None when it was made with other settings (rebuild needed)."""
        parts = self.unpack_parts(blob)
        return Signed.of(parts) if parts is not None else None

    def unpack_values(self, blob: bytes | None) -> np.ndarray | None:
        """A stored signature's text and evidence values (read-only, no copy): enough to
        compare it with an indexed one, without building the signature."""
        if not blob or not blob.startswith(self.header):
            return None
        values = np.frombuffer(blob, dtype="<u4", offset=HEADER.size)
        width = self.num_perm + EVIDENCE_PERM
        return values[:width] if len(values) >= width + 2 else None


def lsh_bands(threshold: float, num_perm: int, recall: float = 0.99) -> tuple[int, int]:
    """LSH (bands, rows): the most rows per band (fewest chance candidates), then the fewest
    bands, that still make a pair exactly at the threshold a candidate with probability
    ``recall``.

    datasketch's own optimum weighs misses and chance candidates equally, which at a threshold
    of 0.3 misses 7% of the pairs right above it; the similarity check after the LSH removes
    chance candidates anyway, so misses are the costlier error here.
    """
    for rows in range(num_perm // 2, 0, -1):
        per_band = threshold**rows
        if per_band >= 1.0:
            return 2, rows
        if per_band <= 0.0:
            continue
        bands = math.ceil(math.log1p(-recall) / math.log1p(-per_band))
        if 2 <= bands <= num_perm // rows:
            return bands, rows
    return num_perm, 1


@dataclass(frozen=True, order=True)
class Match:
    similarity: float
    key: str
    reason: Reason | None = field(default=None, compare=False)


_BAND_MIX = np.uint64(0xBF58476D1CE4E5B9)
EVIDENCE_BANDS = 16  # LSH bands over the evidence values: a pair sharing half its numbers
EVIDENCE_ROWS = 2  # and names is a candidate with 99% probability (1 - (1 - 0.5**2)**16)
_MERGE_EVERY = 1024  # inserts kept in the pending dict before they go into the sorted arrays
_KEY_SALT = np.uint64(0x94D049BB133111EB)
# Candidates by shared rare evidence: an article's names and numbers are keys in the same
# sorted table as the LSH bands. A key is rare while its bucket holds at most RARE_DF
# articles (a place, a person, a company, a figure of one event; not "Zürich", "2026" or a
# weekday); sharing RARE_SHARED rare keys makes a candidate, however little text is shared.
RARE_DF = 12
RARE_SHARED = 2
RARE_BONUS = 0.25  # added to a rare-key candidate's agreement when the best are chosen
MAX_KEYS = 48  # keys indexed per article (names first; :func:`_key_tokens`)


_NO_SLOTS = np.empty(0, dtype=np.int32)
_FEW_SLOTS = 48  # candidate slots made unique by a set; more by a sort
_FIRST = np.ones(1, dtype=bool)
_HIGH = np.uint64(32)  # a table entry: band hash << 32 | slot
_SLOT = np.uint64(0xFFFFFFFF)
_RUN_READ = 8  # a directory run longer than this is binary searched, not read
_CACHED_ENTRIES = 1 << 21  # a longer table (16 MB) is binary searched inside the runs
_WINDOW = np.arange(_RUN_READ, dtype=np.int64)


def _key_tokens(traits: Traits) -> list[int]:
    """The names and numbers an article is indexed under: all of them, or past ``MAX_KEYS``
    the names first, each kind in the order of its hashes. A set's own order depends on how
    it was built (a parse worker's evidence and the same text signed here iterate apart), so
    a cut of it would index one text under other keys by where it was signed."""
    names, numbers = traits.names, traits.numbers
    if len(names) + len(numbers) <= MAX_KEYS:
        return [*names, *numbers]
    return [*sorted(names), *sorted(numbers)][:MAX_KEYS]


def evidence_keys(traits: Traits) -> np.ndarray:
    """The table keys of an article's names and numbers (uint32, salted apart from bands)."""
    tokens = _key_tokens(traits)
    if not tokens:
        return np.empty(0, dtype=np.uint32)
    return _keys(np.array(tokens, dtype=np.uint64))


def evidence_keys_many(traits: Sequence[Traits]) -> list[np.ndarray]:
    """:func:`evidence_keys` of several articles in one numpy pass (views of one array)."""
    tokens = [_key_tokens(t) for t in traits]
    ends = list(itertools.accumulate(map(len, tokens)))
    flat = itertools.chain.from_iterable(tokens)
    h = _keys(np.fromiter(flat, np.uint64, ends[-1] if ends else 0))
    return [h[end - len(t) : end] for t, end in zip(tokens, ends, strict=True)]


def _keys(tokens: np.ndarray) -> np.ndarray:
    h = (tokens ^ _KEY_SALT) * _BAND_MIX
    h ^= h >> np.uint64(32)
    return h.astype(np.uint32)


BUCKET_READ = 2  # x max_judged: the newest slots read of one band's bucket (template floods)


class _LanguageIndex:
    """The LSH of one language, compact: every band hash in one sorted numpy array.

    A slot per indexed article holds its signature, story time and key in numpy arrays;
    (band hash, slot) pairs live in one sorted uint64 array (the hash in the high 32 bits, the
    slot in the low: a bucket runs oldest to newest), with a directory of where each run of
    hashes with the same top bits starts (:meth:`_search`: two reads per query hash, where a
    binary search of millions of entries misses the cache a dozen times).
    The same table holds an article's evidence keys (:func:`evidence_keys`: its names and
    numbers), read only while rare (:data:`RARE_DF`). New pairs wait in a small dict until
    ``_MERGE_EVERY`` inserts, then are merged in one O(n) step. Removed slots are marked dead
    and dropped at the next merge; when half the slots are dead the whole language index is
    rebuilt from the live ones.
    """

    def __init__(self, bands: int, rows: int, num_perm: int) -> None:
        self.bands, self.rows, self.num_perm = bands, rows, num_perm
        self.width = num_perm + EVIDENCE_PERM
        self.nbands = bands + EVIDENCE_BANDS
        self.salt = (np.arange(1, self.nbands + 1, dtype=np.uint64) * MIX).astype(np.uint64)
        # The columns the bands read: the text's, then the evidence's.
        self._banded = np.concatenate(
            (np.arange(bands * rows), num_perm + np.arange(EVIDENCE_BANDS * EVIDENCE_ROWS))
        )
        self.keys: list[str | None] = []
        self.slot_of: dict[str, int] = {}
        self.traits: list[Traits | None] = []
        self.sigs = np.empty((64, self.width), dtype=np.uint32)
        self.shingles = np.empty(64, dtype=np.float64)
        self.whens = np.empty(64, dtype=np.float64)
        self.alive = np.zeros(64, dtype=bool)
        self.live = 0
        self.table = np.empty(0, dtype=np.uint64)  # hash << 32 | slot, sorted
        # What the table is the front of, with room for the next merges (:meth:`_add_sorted`).
        self._buffer: np.ndarray | None = None
        self._directory()
        self.pending: dict[int, int] = {}  # band hash -> slot (the first with that hash)
        # Further slots of a pending hash (a shared band, a common key), newest first: the
        # place of its newest in three flat lists (slot, place of the one before it or -1,
        # how many it has up to itself). No list per hash: thousands of short lists, alive
        # until the merge, each outlived a young collection of the garbage collector and
        # so counted towards (and walked by) its full collections.
        self.pending_more: dict[int, int] = {}  # band hash -> place of its newest further slot
        self.more_slots: list[int] = []
        self.more_before: list[int] = []
        self.more_count: list[int] = []
        # The pending pairs as each insert gave them (its band hashes, its keys; its slot),
        # turned into one array only at the merge (a list of ints costs more to convert).
        self.pending_h: list[np.ndarray] = []
        self.pending_s: list[int] = []
        self.pending_n: list[int] = []
        self.pending_pairs = 0
        self.dead_in_table = 0
        self._last: tuple[np.ndarray, np.ndarray] | None = None
        self.version = 0  # counts the table's changes (merges, compactions)
        # The table lookups of a batch of signatures (:meth:`_looked_up`).
        self._looked: _Looked | None = None
        # What the last query found pending of its band hashes and keys (the arrays it was
        # given, the hashes found, the pending state it read): its insert, right after, then
        # knows its clashes without looking them up again.
        self._pending_changes = 0
        self._seen: tuple[np.ndarray, np.ndarray, set[int], int] | None = None
        self._late: set[int] = set()  # the keys the last query found pending

    def prime(self, sig: Signed) -> None:
        """Take ``sig``'s band hashes for its row, when they were made with this banding."""
        if sig.bands is not None and sig.banded_as == (self.bands, self.rows):
            self._last = (sig.row, sig.bands)

    def hashes_of(self, values: np.ndarray) -> np.ndarray:
        """Band hashes of one signature; the last one is remembered (match, then insert)."""
        last = self._last
        if last is not None and last[0] is values:
            return last[1]
        hashes = self.band_hashes(values)
        self._last = (values, hashes)
        return hashes

    def band_hashes(self, values: np.ndarray) -> np.ndarray:
        """One 32-bit hash per band from its rows of hash values (any leading shape).

        The text's bands come first, then the evidence's (:data:`EVIDENCE_BANDS` bands of
        :data:`EVIDENCE_ROWS` over its values): an article is a candidate when its shingles
        or its numbers and names are likely similar. 32 bits keep the band table small (and
        its searches in cache); a chance collision only adds a candidate, which the judge
        then drops.
        """
        if self.rows == EVIDENCE_ROWS:  # the default: both sets of bands folded at once
            h = self._fold(values[..., self._banded], self.nbands, self.rows)
        else:
            text = self._fold(values[..., : self.bands * self.rows], self.bands, self.rows)
            start = self.num_perm
            ev = values[..., start : start + EVIDENCE_BANDS * EVIDENCE_ROWS]
            h = np.concatenate((text, self._fold(ev, EVIDENCE_BANDS, EVIDENCE_ROWS)), axis=-1)
        h = (h ^ self.salt) * _BAND_MIX  # array arithmetic wraps silently: no errstate
        h ^= h >> np.uint64(32)
        return h.astype(np.uint32)

    @staticmethod
    def _fold(values: np.ndarray, bands: int, rows: int) -> np.ndarray:
        v = values.astype(np.uint64).reshape(*values.shape[:-1], bands, rows)
        h = v[..., 0]
        for j in range(1, rows):
            h = h * MIX + v[..., j]
        return h if rows > 1 else h.copy()

    def _grow(self) -> None:
        """Twice the slots: the used part copied into fresh arrays (``np.resize`` also fills
        the new half with repeats of the old, writing, and so paging in, all of it)."""
        size = len(self.alive) * 2
        self.sigs = _grown(self.sigs, size)
        self.shingles = _grown(self.shingles, size)
        self.whens = _grown(self.whens, size)
        alive = np.zeros(size, dtype=bool)
        alive[: len(self.alive)] = self.alive
        self.alive = alive

    def insert(
        self, key: str, values: np.ndarray, traits: Traits, when: float, keys: np.ndarray
    ) -> bool:
        """Index ``key`` (not indexed yet) under its band hashes and evidence ``keys``
        (:func:`evidence_keys`); True when pending pairs were merged meanwhile."""
        slot = len(self.keys)
        if slot >= len(self.alive):
            self._grow()
        self.keys.append(key)
        self.traits.append(traits)
        self.slot_of[key] = slot
        self.sigs[slot] = values
        self.shingles[slot] = traits.shingles
        self.whens[slot] = when
        self.alive[slot] = True
        self.live += 1
        bands = self.hashes_of(values)
        hashes = bands.tolist() + keys.tolist()
        pending = self.pending
        seen = self._seen
        if (
            seen is not None
            and seen[0] is bands
            and seen[1] is keys
            and seen[3] == self._pending_changes
        ):
            clash = seen[2]  # found by the query of this signature (candidates)
        else:
            clash = pending.keys() & hashes  # pending already: a shared band, a common key
        self._seen = None
        self._pending_changes += 1
        fresh = dict.fromkeys(hashes, slot)
        if clash:
            self._add_further(clash, fresh, slot)
        pending.update(fresh)
        self.pending_h += (bands, keys)
        self.pending_s.append(slot)
        self.pending_n.append(len(hashes))
        self.pending_pairs += len(hashes)
        if self.pending_pairs >= _MERGE_EVERY * self.nbands:
            self.merge()
            return True
        return False

    def _add_further(self, clash: Iterable[int], fresh: dict[int, int], slot: int) -> None:
        """``slot`` as a further slot of each of the ``clash`` hashes (pending already), which
        leave ``fresh`` (the hashes it is the first of)."""
        more, slots = self.pending_more, self.more_slots
        before, count = self.more_before, self.more_count
        for h in clash:
            del fresh[h]
            last = more.get(h, -1)
            more[h] = len(slots)
            slots.append(slot)
            before.append(last)
            count.append(count[last] + 1 if last >= 0 else 1)

    def further(self, h: int, limit: int) -> list[int]:
        """The newest ``limit`` further slots of pending hash ``h``, newest first."""
        at = self.pending_more.get(h, -1)
        slots, before = self.more_slots, self.more_before
        out: list[int] = []
        while at >= 0 and len(out) < limit:
            out.append(slots[at])
            at = before[at]
        return out

    def further_count(self, h: int) -> int:
        """How many further slots pending hash ``h`` has."""
        at = self.pending_more.get(h, -1)
        return self.more_count[at] if at >= 0 else 0

    def remove(self, key: str) -> bool:
        slot = self.slot_of.pop(key, None)
        if slot is None:
            return False
        self.alive[slot] = False
        self.keys[slot] = None
        self.traits[slot] = None
        self.live -= 1
        self.dead_in_table += 1
        return True

    def live_whens(self) -> np.ndarray:
        """The story times of the live entries."""
        n = len(self.keys)
        return self.whens[:n][self.alive[:n]]

    def expire(self, horizon: float) -> list[str]:
        """Remove entries whose story time is before ``horizon``; their keys."""
        n = len(self.keys)
        old = np.flatnonzero(self.alive[:n] & (self.whens[:n] < horizon)).tolist()
        keys = [k for slot in old if (k := self.keys[slot]) is not None]
        for key in keys:
            self.remove(key)
        return keys

    def merge(self) -> None:
        """Pending pairs into the sorted arrays; dead slots' pairs dropped; compact if half dead."""
        if len(self.keys) > 1024 and self.live < len(self.keys) // 2:
            self._compact()
            return
        ph = np.concatenate([*self.pending_h, _NO_SLOTS]).astype(np.uint64)
        ps = np.repeat(np.array(self.pending_s, dtype=np.int64), self.pending_n)
        self._clear_pending()
        dropped = self.dead_in_table
        if dropped:
            self.table = self.table[self.alive[(self.table & _SLOT).astype(np.intp)]]
            self._buffer = None  # (a fresh one at once: the table is no longer its front)
            self.dead_in_table = 0
        keep = self.alive[ps]
        pairs = np.sort((ph[keep] << _HIGH) | ps[keep].astype(np.uint64))
        self._add_sorted(pairs)
        self.version += 1
        bits = _directory_bits(len(self.table))
        if dropped or bits != _directory_bits(len(self.table) - len(pairs)):
            self._directory()
        else:  # only entries added: each run grows by its new ones (a fraction of a rebuild)
            top = (pairs >> (_HIGH + np.uint64(32 - bits))).view(np.int64)
            self.starts[1:] += _added_before(top, 1 << bits)

    def _add_sorted(self, pairs: np.ndarray) -> None:
        """The sorted ``pairs`` into the table. New slots are above every slot in the table:
        each goes after its bucket (newest). The table is the front of a larger buffer; the
        pairs are written after it and the two sorted runs merged in place by one stable
        sort (timsort: one pass). A fresh array per merge, or searching the table for each
        pair and inserting them there, cost three to four times as much (a new array's
        pages are faulted in, tens of megabytes a merge once the index is large)."""
        table, buffer = self.table, self._buffer
        n, need = len(table), len(table) + len(pairs)
        if buffer is None or table.base is not buffer or len(buffer) < need:
            buffer = np.empty(max(need + need // 2, 1024), dtype=np.uint64)
            buffer[:n] = table
            self._buffer = buffer
        buffer[n:need] = pairs
        table = buffer[:need]
        table.sort(kind="stable")
        self.table = table

    def _compact(self) -> None:
        """Renumber the live slots and rebuild the band arrays from their signatures."""
        live = np.flatnonzero(self.alive[: len(self.keys)])
        self.keys = [self.keys[i] for i in live.tolist()]
        self.traits = [self.traits[i] for i in live.tolist()]
        self.slot_of = {k: i for i, k in enumerate(self.keys) if k is not None}
        n = len(live)
        size = max(64, 1 << max(0, n - 1).bit_length())
        sigs = np.empty((size, self.width), dtype=np.uint32)
        sigs[:n] = self.sigs[live]
        whens = np.empty(size, dtype=np.float64)
        whens[:n] = self.whens[live]
        shingles = np.empty(size, dtype=np.float64)
        shingles[:n] = self.shingles[live]
        self.sigs, self.whens, self.shingles = sigs, whens, shingles
        self.alive = np.zeros(size, dtype=bool)
        self.alive[:n] = True
        self.live = n
        keys = [evidence_keys(t) if t is not None else np.empty(0, np.uint32) for t in self.traits]
        hashes = np.concatenate((self.band_hashes(self.sigs[:n]).reshape(-1), *keys))
        slots = np.concatenate(
            (
                np.repeat(np.arange(n, dtype=np.uint64), self.nbands),
                np.repeat(np.arange(n, dtype=np.uint64), [len(k) for k in keys]),
            )
        )
        self.table = np.sort((hashes.astype(np.uint64) << _HIGH) | slots)
        self._buffer = None
        self.version += 1
        self._directory()
        self._clear_pending()
        self.dead_in_table = 0

    def _clear_pending(self) -> None:
        self._pending_changes += 1
        self.pending.clear()
        self.pending_more.clear()
        self.more_slots.clear()
        self.more_before.clear()
        self.more_count.clear()
        self.pending_h.clear()
        self.pending_s.clear()
        self.pending_n.clear()
        self.pending_pairs = 0

    def _directory(self) -> None:
        """Where each run of table entries with the same top bits starts: two to four
        entries a run (``starts``, int32, has a quarter to half as many places as the table
        has entries: memory stays linear, at most a quarter of the table's bytes)."""
        bits = _directory_bits(len(self.table))
        self.shift = np.uint32(32 - bits)
        top = (self.table >> (_HIGH + np.uint64(32 - bits))).view(np.int64)  # (no second copy)
        starts = np.zeros((1 << bits) + 1, dtype=np.int32)
        np.cumsum(np.bincount(top, minlength=1 << bits), out=starts[1:])
        self.starts = starts

    def _search(self, hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Where each of ``hashes`` (uint32) starts in the table and how many entries it
        has (``searchsorted`` left, and right minus left): a short run of the directory is
        read whole, a long one (a flooded bucket, a common key) binary searched, so a query
        never reads a common key's entries."""
        run = hashes >> self.shift
        lo = self.starts[run]
        sizes = self.starts[run + 1] - lo
        # The first _RUN_READ entries from each run's start, read as one block (fewer calls
        # than gathering each run's own length); those past the run's end are masked.
        at = lo[:, None] + _WINDOW
        np.minimum(at, len(self.table) - 1, out=at)
        found = self.table[at] >> _HIGH
        inside = _WINDOW < sizes[:, None]
        mine = hashes[:, None]
        first = lo + _row_counts((found < mine) & inside)
        counts = _row_counts((found == mine) & inside)
        # A long run still needs no search when the hash sorts before its eighth entry: all
        # of its entries are among those read.
        big = np.flatnonzero((sizes > _RUN_READ) & (found[:, -1] <= hashes))
        if len(big) and len(self.table) > _CACHED_ENTRIES:
            first[big], counts[big] = self._search_runs(hashes[big], lo[big], sizes[big])
        elif len(big):  # a table in cache: numpy's search of all of it is the cheaper
            at = hashes[big].astype(np.uint64) << _HIGH
            left = np.searchsorted(self.table, at, side="left")
            first[big] = left
            counts[big] = np.searchsorted(self.table, at | _SLOT, side="right") - left
        return first, counts

    def _search_runs(
        self, hashes: np.ndarray, lo: np.ndarray, sizes: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Where each of ``hashes`` starts in its directory run (``lo``, ``sizes``: a long
        one) and how many entries it has: a binary search of all of them at once, inside
        their runs, left and right bounds together. A search of the whole table (what
        ``searchsorted`` does) reads a dozen more places of it per hash, cache misses once
        the table outgrows the cache (measured: 15% less time a lookup at 100,000 articles,
        2.6 million entries a language; 10% more at 20,000, where numpy's search is used)."""
        m = len(hashes)
        at = hashes.astype(np.uint64) << _HIGH
        key = np.concatenate((at, at | _SLOT))  # left: the first >= at; right: the first > key
        right = np.arange(2 * m) >= m
        a = np.concatenate((lo, lo)).astype(np.int64)
        b = a + np.concatenate((sizes, sizes))
        table, last = self.table, len(self.table) - 1
        active = a < b
        while active.any():
            mid = (a + b) >> 1
            v = table[np.minimum(mid, last)]
            after = (v < key) | (right & (v == key))  # the bound is after mid
            a = np.where(active & after, mid + 1, a)
            b = np.where(active & ~after, mid, b)
            active = a < b
        return a[:m], a[m:] - a[:m]

    def _slots(self, positions: np.ndarray) -> np.ndarray:
        return (self.table[positions] & _SLOT).astype(np.int32)

    def candidates(
        self, values: np.ndarray, per_band: int, keys: np.ndarray, sig: Signed | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Live slots sharing at least one band with ``values`` or at least ``RARE_SHARED``
        rare evidence ``keys``, in slot order (oldest first); and those of them found by rare
        keys (the judge sees them whatever their signature agreement).

        At most the newest ``per_band`` slots of each band's bucket are read: template copy
        (results, markets, weather) puts every report in the same buckets, and a query must
        not cost more as the flood grows. A bucket runs oldest to newest (slots only grow and
        merges put new pairs after equal hashes), so its newest are its last entries. A key's
        bucket is read only while it is rare (``RARE_DF`` entries at most): bounded too.

        ``sig`` (whose ``row`` is ``values``): when it was signed in a batch, the table part
        comes from one lookup of the whole batch (:meth:`_looked_up`).
        """
        bands = self.hashes_of(values)
        nb = len(bands)
        found: list[np.ndarray] = []
        shared = _NO_SLOTS
        pending = self.pending
        self._late = set()  # (the keys _rare_listed or _rare find pending)
        looked = self._looked_up(sig, per_band) if sig is not None and len(self.table) else None
        if looked is not None:
            band_slots, key_counts, at, listed, stops, first, begin = looked
            if len(band_slots):
                found.append(band_slots)
            if len(keys):
                shared = self._rare_listed(keys, key_counts, at, listed, stops, first, begin)
        elif len(self.table):
            lo, counts = self._search(np.concatenate((bands, keys)) if len(keys) else bands)
            if len(keys):
                shared = self._rare(keys, lo[nb:], counts[nb:])
                lo, counts = lo[:nb], counts[:nb]
            top = int(counts.max())
            if top == 1:  # the usual case: each hit band names one slot
                found.append(self._slots(lo[counts > 0]))
            elif top > 1:
                hit = counts > 0
                lo, counts = lo[hit], counts[hit]
                if top > per_band:
                    lo = lo + np.maximum(counts - per_band, 0)
                    counts = np.minimum(counts, per_band)
                found.append(self._slots(_runs(lo, counts)))
        elif len(keys) and pending:
            none = np.zeros(len(keys), dtype=np.intp)
            shared = self._rare(keys, none, none)
        hits = pending.keys() & bands.tolist() if pending else set()
        self._seen = (bands, keys, hits | self._late, self._pending_changes)
        if hits:
            extra = [pending[h] for h in hits]
            if self.pending_more:  # further slots only ever share a pending hash
                further = self.further
                extra += itertools.chain.from_iterable(further(h, per_band) for h in hits)
            found.append(np.array(extra, dtype=np.int32))
        if len(shared):
            found.append(shared)
        if not found:
            return _NO_SLOTS, shared
        # sorted, each once: a few dozen by a set of Python ints, more (a template flood's
        # candidates are hundreds) sorted, then each that differs from the one before (a
        # third of np.unique's cost)
        every = np.concatenate(found) if len(found) > 1 else found[0]
        if len(every) <= _FEW_SLOTS:
            slots = np.array(sorted(set(every.tolist())), dtype=np.int32)
        else:
            every = np.sort(every)
            slots = every[np.concatenate((_FIRST, every[1:] != every[:-1]))]
        alive = self.alive
        return slots[alive[slots]], shared[alive[shared]]

    def _looked_up(self, sig: Signed, per_band: int) -> _Found | None:
        """What the table holds for ``sig``'s bands and keys (:class:`_Found`), from one
        lookup of its batch (from ``sig`` on, at most ``_LOOK_AHEAD`` of them: the earlier
        ones were queried already) against the table as it is; None when ``sig`` has no
        batch banded like this index."""
        batch = sig.batch
        if batch is None or batch.banded_as != (self.bands, self.rows):
            return None
        pos = sig.batch_pos
        looked = self._looked
        if (
            looked is None
            or looked.batch is not batch
            or looked.version != self.version
            or looked.per_band != per_band
            or pos not in looked.found
        ):
            # (a bounded number: a merge inside a huge batch redoes no more than that)
            end = min(pos + _LOOK_AHEAD, len(batch.keys))
            found = self._look_up(batch.bands[pos:end], batch.keys[pos:end], per_band)
            looked = _Looked(
                batch, self.version, per_band, dict(zip(range(pos, end), found, strict=True))
            )
            self._looked = looked
        return looked.found[pos]

    def _look_up(self, bands: np.ndarray, keys: list[np.ndarray], per_band: int) -> list[_Found]:
        """The table part of :meth:`candidates` for several signatures (their ``bands``, one
        row each, and ``keys``) in one search."""
        n, nb = bands.shape
        sizes = [len(k) for k in keys]
        lo, counts = self._search(np.concatenate((bands.reshape(-1), *keys)))
        # Bands: the newest per_band slots of each hit bucket.
        blo, bcounts = lo[: n * nb], counts[: n * nb]
        take = np.minimum(bcounts, per_band)
        slots = self._slots(_runs(blo + (bcounts - take), take))
        cuts = [0, *np.cumsum(take.reshape(n, nb).sum(axis=1)).tolist()]
        band_slots = [slots[a:b] for a, b in itertools.pairwise(cuts)]  # (np.split's pieces)
        # Keys: the table's count of each, and the slots of those it holds RARE_DF at most.
        klo, kcounts = lo[n * nb :], counts[n * nb :]
        rare = (kcounts > 0) & (kcounts <= RARE_DF)
        kslots = self._slots(_runs(klo[rare], kcounts[rare])).tolist()
        ends = np.cumsum(kcounts[rare]).tolist()
        which = np.flatnonzero(rare).tolist()
        key_counts = kcounts.tolist()
        out: list[_Found] = []
        first = 0  # the sig's first key in the flat arrays
        j = 0  # its first rare key in ``which``
        for i, size in enumerate(sizes):
            last = first + size
            k = bisect_left(which, last, j)  # past its last rare key
            begin = ends[j - 1] if j else 0
            slots_of = kslots[begin : ends[k - 1]] if k > j else []
            # (its rare keys' places and ends as in the flat arrays, with the offsets that make
            # them its own: only a key turned common since needs them, see _rare_listed)
            counted = key_counts[first:last]
            out.append((band_slots[i], counted, which[j:k], slots_of, ends[j:k], first, begin))
            first, j = last, k
        return out

    def _rare_listed(
        self,
        keys: np.ndarray,
        counts: list[int],
        at: list[int],
        slots: list[int],
        stops: list[int],
        first: int,
        begin: int,
    ) -> np.ndarray:
        """:meth:`_rare` from a batch lookup: ``counts``, the table's entries of each key;
        the table's slots of each key it holds ``RARE_DF`` times at most: key
        ``at[i] - first``'s are ``slots[stops[i - 1] - begin:stops[i] - begin]``."""
        named: list[int] = []
        late = self.pending.keys() & keys.tolist() if self.pending else None
        if late:
            self._late = late
            counts = list(counts)
            if self._count_pending(late, keys, counts, named):  # a listed key may be common now
                start = 0
                for n, stop in zip(at, stops, strict=True):
                    if counts[n - first] <= RARE_DF:
                        named += slots[start : stop - begin]
                    start = stop - begin
                return _often(named)
        named += slots
        return _often(named)

    def _count_pending(
        self, late: set[int], keys: np.ndarray, counts: list[Any], named: list[int]
    ) -> bool:
        """Adds the pending entries of the ``late`` keys (those of ``keys`` not yet merged into
        the table) to ``counts``, and their slots to ``named`` while the key stays rare.
        Whether a key the table holds (``RARE_DF`` times at most) became common."""
        pending = self.pending
        klist = keys.tolist()
        crossed = False
        for h in late:
            n = klist.index(h)
            if counts[n] > RARE_DF:
                continue  # common in the table already: its pending entries change nothing
            listed = counts[n] > 0
            counts[n] += 1 + self.further_count(h)  # (a common key's slots are many: not read)
            if counts[n] <= RARE_DF:
                named += [pending[h], *self.further(h, RARE_DF)]
            elif listed:
                crossed = True
        return crossed

    def _rare(self, keys: np.ndarray, lo: np.ndarray, counts: np.ndarray) -> np.ndarray:
        """Slots sharing at least ``RARE_SHARED`` rare ``keys``: a key's entries in the table
        (``counts`` from ``lo``) and pending together at most ``RARE_DF``."""
        named: list[int] = []
        in_table = counts
        late = self.pending.keys() & keys.tolist() if self.pending else None
        if late:
            self._late = late
            total = counts.tolist()
            self._count_pending(late, keys, total, named)
            counts = np.array(total)
        rare = (counts > 0) & (counts <= RARE_DF)
        if rare.any():
            lo, counts = lo[rare], in_table[rare]  # the table's own entries of these keys
            if int(counts.max(initial=0)) <= 1:
                named += self._slots(lo[counts > 0]).tolist()
            else:
                named += self._slots(_runs(lo, counts)).tolist()
        return _often(named)


# A signature's table lookup (:meth:`_LanguageIndex._look_up`): the slots of its bands (the
# newest per_band of each bucket), the table's count of each of its keys, and the slots of the
# keys the table holds RARE_DF times at most, flat: their positions among the keys, their slots
# one after the other, and where each key's slots end (one list each: no tuple per key); the
# positions and ends as in the batch's flat arrays, then the two offsets that make them its own.
_Found = tuple[np.ndarray, list[int], list[int], list[int], list[int], int, int]
_LOOK_AHEAD = 256  # signatures of a batch looked up at once


@dataclass(frozen=True)
class _Batch:
    """The band hashes (one row each) and evidence keys of a payload's signatures of one
    language, and the banding that made them (no signature in it: no reference cycle)."""

    bands: np.ndarray
    keys: list[np.ndarray]
    banded_as: tuple[int, int]


@dataclass
class _Looked:
    """A batch's lookups against one version of the table (and one ``per_band``), by place
    in the batch."""

    batch: _Batch
    version: int
    per_band: int
    found: dict[int, _Found]


def _often(named: list[int]) -> np.ndarray:
    """The slots ``named`` at least ``RARE_SHARED`` times (sorted): those sharing that many
    rare keys. Most lists name each slot once (a set says so at C speed, no pair loop)."""
    if len(named) < RARE_SHARED or len(set(named)) == len(named):
        return _NO_SLOTS
    named.sort()  # a slot named RARE_SHARED times runs that far in the sorted list
    often = {a for a, b in zip(named, named[RARE_SHARED - 1 :], strict=False) if a == b}
    return np.array(sorted(often), dtype=np.int32)


def _added_before(top: np.ndarray, runs: int) -> np.ndarray:
    """For each run 0 .. ``runs`` - 1 of the directory, how many of the new entries (their
    runs ``top``, sorted) sort at or before it: how far the start of the run after it moves.
    A step function written by ``np.repeat`` (a quarter of the time of counting each run's
    new entries and summing them up: the directory has millions of runs, a merge adds a
    hundred thousand entries)."""
    edges = np.concatenate(((0,), top, (runs,)))
    return np.repeat(np.arange(len(top) + 1, dtype=np.int32), np.diff(edges))


_BYTE_SUM = np.uint64(0x0101010101010101)  # times 8 bytes: their sum in the top byte
_TOP_BYTE = np.uint64(56)


def _row_counts(flags: np.ndarray) -> np.ndarray:
    """``flags.sum(axis=1)`` (int64) of a C-ordered bool array: rows of 8 (a directory run's
    window) read as one uint64 each, whose 8 bytes (0 or 1) one multiplication sums into its
    top byte, whatever the byte order. A reduction along rows of 8 costs numpy ~25 ns a row
    (0.6 ms for 24,000 rows), this ~0.6 ns."""
    if flags.shape[1:] != (8,) or not flags.flags.c_contiguous:
        return flags.sum(axis=1)
    return ((flags.view(np.uint64)[:, 0] * _BYTE_SUM) >> _TOP_BYTE).view(np.int64)


def _grown(values: np.ndarray, size: int) -> np.ndarray:
    """``values`` in a fresh array of ``size`` rows (the rows past its own left unwritten)."""
    out = np.empty((size, *values.shape[1:]), dtype=values.dtype)
    out[: len(values)] = values
    return out


def _directory_bits(entries: int) -> int:
    """The directory's top bits for a table of ``entries``: two to four entries a run."""
    return max(4, entries.bit_length() - 1)


def _runs(lo: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Positions lo[i] .. lo[i] + counts[i] - 1 of every run, concatenated."""
    total = int(counts.sum())
    starts = np.repeat(lo, counts)
    return starts + (np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts))


IndexEntry = tuple[str, "Signed", float]  # language, signature, story time
SHORT_SUFFIX = "/short"  # short items live in an index of their own per language
PREFILTER_SIMILARITY = 0.12  # below this, and without shared evidence, no candidate is judged
PREFILTER_EVIDENCE = 0.15
MATCHES_KEPT = 4  # matches returned: the best joins, the others stand in if it is gone
_LISTED_SLOTS = 64  # candidates (in the window) up to this many judged over Python lists


def index_language(language: str, sig: Signed) -> str:
    """The index an article lives in: its language's (short items too: the judge holds
    them to a stricter rule)."""
    return language


class ClusterIndex:
    """In-memory MinHash LSH, one per language, with a time window; no database here.

    ``matches`` returns the indexed articles the judge (:func:`wire.ingest.matching.judge`)
    calls the same story, best first, each with its reason. Candidates come from two sets of
    LSH bands: the text's (a pair exactly at the threshold is a candidate with 99%
    probability, :func:`lsh_bands`) and the evidence's (shared numbers and names).
    """

    def __init__(
        self,
        threshold: float,
        num_perm: int,
        window_days: float,
        *,
        recall: float = 0.99,
        max_judged: int = DedupConfig.max_judged,
        max_indexed: int = DedupConfig.max_indexed,
    ) -> None:
        self.threshold = threshold
        self.max_judged = max(1, max_judged)
        self.max_indexed = max(1, max_indexed)
        self.num_perm = num_perm
        self._text_evidence = np.array([0, num_perm])  # a row's two parts (reduceat's cuts)
        self.window = window_days * 86400.0
        self.params = lsh_bands(threshold, num_perm, recall)
        self._langs: dict[str, _LanguageIndex] = {}
        self._where: dict[str, _LanguageIndex] = {}
        self._high_water = float("-inf")

    @classmethod
    def from_config(cls, config: DedupConfig) -> ClusterIndex:
        return cls(
            config.threshold,
            config.num_perm,
            config.window_days,
            max_judged=config.max_judged,
            max_indexed=config.max_indexed,
        )

    def __len__(self) -> int:
        return len(self._where)

    def __contains__(self, key: object) -> bool:
        return key in self._where

    def _lang(self, language: str) -> _LanguageIndex:
        index = self._langs.get(language)
        if index is None:
            index = _LanguageIndex(*self.params, self.num_perm)
            self._langs[language] = index
        return index

    def add(self, key: str, language: str, sig: Signed, when: float) -> None:
        """Index (or re-index) one article; entries older than the window are dropped."""
        self.remove(key)
        index = self._lang(index_language(language, sig))
        index.prime(sig)
        merged = index.insert(key, sig.row, sig.traits, when, sig.keys)
        self._where[key] = index
        self._high_water = max(self._high_water, when)
        if merged:  # every _MERGE_EVERY inserts: forget what left the window
            for old in index.expire(self._high_water - self.window):
                del self._where[old]
        if len(self._where) > self.max_indexed:
            self._evict_oldest()

    def _evict_oldest(self) -> None:
        """Past ``max_indexed``: the oldest entries by story time leave, a hundredth of the
        bound at once (so this O(n) step runs once per that many inserts, not per insert)."""
        excess = len(self._where) - self.max_indexed + max(1, self.max_indexed // 100)
        whens = np.concatenate([index.live_whens() for index in self._langs.values()])
        excess = min(excess, len(whens))
        cut = np.partition(whens, excess - 1)[excess - 1]  # the newest story time to go
        horizon = float(np.nextafter(cut, np.inf))
        for index in self._langs.values():
            for old in index.expire(horizon):
                del self._where[old]

    def remove(self, key: str) -> bool:
        index = self._where.pop(key, None)
        return index is not None and index.remove(key)

    def entry(self, key: str) -> IndexEntry | None:
        """What ``key`` is indexed with, to put it back later with :meth:`add`."""
        index = self._where.get(key)
        if index is None:
            return None
        language = next(lang for lang, i in self._langs.items() if i is index)
        slot = index.slot_of[key]
        traits = index.traits[slot]
        assert traits is not None
        row = index.sigs[slot].copy()
        sig = Signed(row[: self.num_perm], row[self.num_perm :], traits, None)
        return language.removesuffix(SHORT_SUFFIX), sig, float(index.whens[slot])

    def holds(self, key: str, language: str, values: np.ndarray) -> bool:
        """Whether ``key`` is indexed under ``language`` with exactly these values (text and
        evidence, as :meth:`Signer.unpack_values` reads them)."""
        index = self._where.get(key)
        if index is None or index not in (
            self._langs.get(language),
            self._langs.get(language + SHORT_SUFFIX),
        ):
            return False
        return bool(np.array_equal(index.sigs[index.slot_of[key]], values))

    def similarity(self, a: LeanMinHash, b: LeanMinHash) -> float:
        return float(np.count_nonzero(a.hashvalues == b.hashvalues)) / self.num_perm

    def matches(
        self,
        sig: Signed,
        language: str,
        when: float,
        exclude: str | None = None,
        limit: int = MATCHES_KEPT,
    ) -> list[Match]:
        """Indexed articles the judge calls the same story, within the window, best first
        (at most ``limit``: candidates are judged best first and the judging stops there)."""
        index = self._langs.get(index_language(language, sig))
        if index is None:
            return []
        row = sig.row
        index.prime(sig)
        slots, rare = index.candidates(row, self.max_judged * BUCKET_READ, sig.keys, sig)
        if not len(slots):
            return []
        whens = index.whens[slots]
        window = self.window
        # (a few: every one inside the window, the usual case, told without more array calls)
        if len(slots) > self.max_judged or not all(abs(w - when) <= window for w in whens.tolist()):
            slots = slots[np.abs(whens - when) <= window]
        if len(slots) <= _LISTED_SLOTS:  # the usual case: a few dozen at most
            return self._judged(sig, index, slots, rare, exclude, limit)
        by_rare = np.zeros(len(slots), dtype=bool)
        if len(rare):  # both sorted: where each slot would go among the rare ones
            at = np.minimum(np.searchsorted(rare, slots), len(rare) - 1)
            by_rare = rare[at] == slots
        n = self.num_perm
        # (the rows gathered by ``take``: a fancy index of a 2-D array costs three times as much)
        agree = np.add.reduceat(index.sigs.take(slots, axis=0) == row, self._text_evidence, axis=1)
        sims = agree[:, 0] / n
        shared = agree[:, 1] / EVIDENCE_PERM
        theirs = np.maximum(index.shingles[slots], 1.0)
        mine = max(sig.traits.shingles, 1)
        smaller = np.minimum(theirs, mine) / np.maximum(theirs, mine)  # share of the larger
        # A brief of a story a tenth its size is contained at a similarity of ~0.1.
        floor = np.minimum(PREFILTER_SIMILARITY, smaller * 0.5)
        keep = np.flatnonzero((sims >= floor) | (shared >= PREFILTER_EVIDENCE) | by_rare)
        if len(keep) > self.max_judged:
            # Only the best are judged: most agreement of text and evidence together (a
            # template report of another day agrees in its words, not in its figures), and
            # shared rare names and numbers.
            score = sims[keep] + shared[keep] + RARE_BONUS * by_rare[keep]
            keep = keep[np.argpartition(-score, self.max_judged - 1)[: self.max_judged]]
        keys = index.keys
        order = sorted(
            ((-sim, key, slot) for slot, sim in zip(slots[keep].tolist(), sims[keep].tolist(),
                                                   strict=True)
             if (key := keys[slot]) is not None and key != exclude),
        )  # fmt: skip
        return self._judge(sig, index, order, limit)

    def _judged(
        self,
        sig: Signed,
        index: _LanguageIndex,
        slots: np.ndarray,
        rare: np.ndarray,
        exclude: str | None,
        limit: int,
    ) -> list[Match]:
        """:meth:`matches` for at most ``_LISTED_SLOTS`` candidate ``slots``: the same
        prefilter, choice of the best and order, in Python over lists (a few dozen numpy
        calls on a few dozen slots cost more than the arithmetic). Each figure is the same
        float the array arithmetic gives (one IEEE operation on the same operands)."""
        n = self.num_perm
        rows = index.sigs.take(slots, axis=0)  # (a fancy index of rows costs three times as much)
        agree = np.add.reduceat(rows == sig.row, self._text_evidence, axis=1).tolist()
        rare_slots = set(rare.tolist()) if len(rare) else ()
        mine = max(sig.traits.shingles, 1)
        kept: list[tuple[float, float, bool, int]] = []  # similarity, evidence, rare, slot
        for slot, (text, evidence), theirs in zip(
            slots.tolist(), agree, index.shingles[slots].tolist(), strict=True
        ):
            sim = text / n
            shared = evidence / EVIDENCE_PERM
            theirs = max(theirs, 1.0)
            smaller = min(theirs, mine) / max(theirs, mine)  # share of the larger
            by_rare = slot in rare_slots
            # A brief of a story a tenth its size is contained at a similarity of ~0.1.
            if (
                sim >= min(PREFILTER_SIMILARITY, smaller * 0.5)
                or shared >= PREFILTER_EVIDENCE
                or by_rare
            ):
                kept.append((sim, shared, by_rare, slot))
        if len(kept) > self.max_judged:
            kept = self._best(kept)
        keys = index.keys
        order = [
            (-sim, key, slot)
            for sim, _, _, slot in kept
            if (key := keys[slot]) is not None and key != exclude
        ]
        order.sort()
        return self._judge(sig, index, order, limit)

    def _best(
        self, kept: list[tuple[float, float, bool, int]]
    ) -> list[tuple[float, float, bool, int]]:
        """The ``max_judged`` of ``kept`` that :meth:`matches` judges of more: the same
        scores in the same order into the same ``argpartition``, so that ties go the same
        way."""
        score = np.array([sim + shared + RARE_BONUS * rare for sim, shared, rare, _ in kept])
        chosen = np.argpartition(-score, self.max_judged - 1)[: self.max_judged]
        return [kept[i] for i in chosen.tolist()]

    def _judge(
        self, sig: Signed, index: _LanguageIndex, order: list[tuple[float, str, int]], limit: int
    ) -> list[Match]:
        found: list[Match] = []
        for neg, key, slot in order:  # best first: the first joins, the next are fallbacks
            traits = index.traits[slot]
            if traits is None:
                continue
            reason = judge(-neg, sig.traits, traits, self.threshold)
            if reason is not None:
                found.append(Match(-neg, key, reason))
                if len(found) >= limit:
                    break
        return found


EDITOR = {"rule": "editor"}  # the reason of a member an editor's merge put in a cluster


class MemoryClusterer:
    """Clustering without a database (``wire dedup rebuild``, the benchmark, the evaluation).

    Editors' corrections (:meth:`correct`) apply as in the database: a split article joins
    nothing and is nobody's match; merges are replayed on the computed clusters
    (:meth:`apply_merges`), by the articles their cluster ids name.
    """

    def __init__(self, config: DedupConfig) -> None:
        self.signer = Signer(config)
        self.index = ClusterIndex.from_config(config)
        self.cluster_of: dict[str, str] = {}
        self.assignments: dict[str, Assignment] = {}
        self.split: set[str] = set()
        self.merges: list[tuple[str, str]] = []

    def correct(self, corrections: Iterable[Correction]) -> None:
        for c in corrections:
            if c.kind == "split" and c.article_id:
                self.split.add(c.article_id)
            elif c.kind == "merge" and c.into_cluster_id:
                self.merges.append((c.cluster_id, c.into_cluster_id))

    def add(
        self, key: str, language: str | None, sig: Signed | None, when: float
    ) -> Assignment | None:
        """Cluster one signed article (None: unsigned, never clustered); then index it."""
        if sig is None or key in self.split:
            return None
        lang = language_key(language)
        assignment = None
        matches = self.index.matches(sig, lang, when, exclude=key, limit=1)
        if matches and key not in self.cluster_of:
            best = matches[0]
            reason = best.reason.to_dict() if best.reason else None
            cluster = self.cluster_of.get(best.key)
            if cluster is None:
                cluster = best.key
                self.cluster_of[best.key] = cluster
                self.assignments[best.key] = Assignment(
                    best.key, cluster, key, best.similarity, reason
                )
            self.cluster_of[key] = cluster
            assignment = Assignment(key, cluster, best.key, best.similarity, reason)
            self.assignments[key] = assignment
        self.index.add(key, lang, sig, when)
        return assignment

    def follow(self, key: str, target: str) -> Assignment | None:
        """Put ``key`` in the cluster of the story it updates (``target``, made a cluster
        when it has none), as the clusterer did when the update was stored."""
        if key in self.split or target in self.split or key in self.cluster_of:
            return None
        reason = {"rule": "update", "similarity": 1.0}
        cluster = self.cluster_of.get(target)
        if cluster is None:
            cluster = target
            self.cluster_of[target] = cluster
            self.assignments[target] = Assignment(target, cluster, key, 1.0, reason)
        self.cluster_of[key] = cluster
        assignment = Assignment(key, cluster, target, 1.0, reason)
        self.assignments[key] = assignment
        return assignment

    def apply_merges(self) -> None:
        """Replay editors' merges: the cluster now holding article ``a`` (or ``a`` alone)
        goes into the one holding ``b`` (or ``b`` alone), in the order they were made."""
        for a, b in self.merges:
            into = self.cluster_of.get(b, b)
            source = self.cluster_of.get(a)
            moving = [k for k, c in self.cluster_of.items() if c == source] if source else [a]
            for key in [b, *moving]:
                if self.cluster_of.get(key) == into:
                    continue
                old = self.assignments.get(key)
                self.cluster_of[key] = into
                self.assignments[key] = Assignment(
                    key, into,
                    old.matched_article_id if old else None,
                    old.similarity if old else None,
                    old.reason if old and key != a else EDITOR,
                )  # fmt: skip


def _join_update(
    conn: Connection,
    key: str,
    matched: str,
    cluster_id: str | None,
    article: Article,
    by: str,
    states: _States,
) -> str:
    """``key`` into ``matched``'s cluster as an update of one story (whatever its text)."""
    return states.join(
        key, matched, 1.0, cluster_id=cluster_id, language=language_key(article.language),
        reason={"rule": "update", "similarity": 1.0, "by": by},
    )  # fmt: skip


class _States:
    """Candidates' state (cluster, status) for one batch, read at most once each, and the
    batch's joins.

    With ``joins`` (a :class:`~wire.storage.clusters.JoinBatch`), a join is written when
    the batch ends, and the cached states of the two articles take the cluster it gives
    them, so a later article of the batch sees what a call of its own would read (every
    article a join touches has been read before it: a state the batch has not read raises
    ``Replay``). Without, each join is written at once and the two cached states dropped,
    to be read again.
    """

    def __init__(
        self, conn: Connection, prefetch: list[str], joins: store.JoinBatch | None = None
    ) -> None:
        self.conn = conn
        self.joins = joins
        self.known: dict[str, ArticleState | None] = {}
        self.named: NamedUpdates | None = None  # the batch's named updates, read at once
        if prefetch:
            self.get(prefetch)

    def join(
        self,
        key: str,
        matched: str,
        similarity: float,
        *,
        cluster_id: str | None,
        language: str | None,
        reason: dict[str, Any] | None,
    ) -> str:
        """``key`` into ``matched``'s cluster (``cluster_id``; None: it has none)."""
        if self.joins is None:
            joined = store.join_cluster(
                self.conn, key, matched, similarity,
                cluster_id=cluster_id, language=language, reason=reason,
            )  # fmt: skip
            self.forget(key, matched)
            return joined
        if self.known.get(key) is None or self.known.get(matched) is None:
            raise store.Replay(key)  # not read (or not there): cannot say what it holds now
        joined = self.joins.join(
            key, matched, similarity, cluster_id=cluster_id, language=language, reason=reason
        )
        for moved in self.joins.moved:  # what reading its row again would give
            state = self.known[moved]
            assert state is not None
            self.known[moved] = replace(state, cluster_id=joined)
        return joined

    def get(self, keys: list[str]) -> dict[str, ArticleState | None]:
        missing = [k for k in dict.fromkeys(keys) if k not in self.known]
        if missing:
            found = store.article_states(self.conn, missing)
            self.known.update((k, found.get(k)) for k in missing)
        return {k: self.known[k] for k in keys}

    def cluster_of(self, key: str) -> str | None:
        state = self.get([key])[key]
        return state.cluster_id if state is not None else None

    def forget(self, *keys: str) -> None:
        for key in keys:
            self.known.pop(key, None)


class Clusterer:
    """The store hook: signs each new or changed article and puts it in its story cluster.

    Called as ``hook(session, article, result)`` inside the article's savepoint, after
    ``store_article``, or as ``hook.batch(session, stored)`` with a payload's changed articles
    in order (one catch-up, one signature write, then each article as the single call would
    place it: earlier articles of the batch are candidates for later ones). The batch's joins
    are written at its end in a few statements (``wire.storage.clusters.JoinBatch``), or,
    when that cannot give the same rows (a row another writer made), join by join as the
    batch is placed again. One instance per
    process, shared by the daemon's store threads: the in-memory index is guarded by a lock
    that is never held across a write to the database (only across the read-only catch-up in
    :meth:`sync`), so it cannot deadlock with row locks. ``db`` is used only to read what
    other processes committed (``None`` turns that off, for single-process tools and tests).
    """

    def __init__(self, config: DedupConfig, db: Database | None = None) -> None:
        self.config = config
        self.db = db
        self.signer = Signer(config)
        self.index = ClusterIndex.from_config(config)
        self._lock = threading.Lock()
        self._reader: Connection | None = None
        self._loaded = False
        self._seq = 0
        self.index_seconds = 0.0  # time spent in the in-memory index (match + add)
        # Keys this process's other store threads put in the index inside a transaction not
        # yet ended, each with an event set when that transaction commits or rolls back.
        self._inflight: dict[str, tuple[int, threading.Event]] = {}
        # A batch's joins written together at its end (False: join by join, as before
        # session 9; the tests' reference for the same stored result).
        self.batch_writes = True

    def __call__(self, session: Session, article: Article, result: StoreResult) -> None:
        self.batch(session, [(article, result)])

    def batch(self, session: Session, stored: Sequence[tuple[Article, StoreResult]]) -> None:
        """Cluster the new and updated articles of one payload, in order.

        If it raises, the index entries of the batch's articles are put back as they were, so
        the caller can roll back its savepoint and retry article by article (or, when the
        database ended the transaction in a deadlock, roll it back and run it again).
        """
        changed = [(a, r) for a, r in stored if r.outcome in ("new", "updated")]
        if not changed:
            return
        self.sync()
        session.flush()  # the articles' rows first: the writes below are Core statements
        conn = session.connection()
        signed = self._sign_many([article for article, _ in changed])
        self._save_signatures(conn, changed, signed)
        saved = self._entries([r.article_id for _, r in changed])
        self._track(session, [r.article_id for _, r in changed])
        updated = [
            r.article_id
            for (_, r), sig in zip(changed, signed, strict=True)
            if sig is not None and r.outcome == "updated"
        ]
        try:
            try:
                if not self.batch_writes:
                    raise store.Replay("batch writes off")
                self._place_all(session, conn, changed, signed)
            except store.Replay as replay:
                log.debug("clustering batch written join by join (%s)", replay)
                self._restore(saved)
                states = _States(conn, updated)
                for (article, result), sig in zip(changed, signed, strict=True):
                    self._place(conn, article, result, sig, states)
        except BaseException:
            self._restore(saved)
            raise

    def _place_all(
        self,
        session: Session,
        conn: Connection,
        changed: list[tuple[Article, StoreResult]],
        signed: list[Signed | None],
    ) -> None:
        """Each article of the batch placed in turn; its joins written at the end, in a few
        statements (raises ``Replay`` when they cannot be: the caller places them again).

        Read at once: the state of every article of the batch, and the items naming one
        of the batch's new stories as the one they update (the batch writes neither).
        """
        keys = [r.article_id for _, r in changed]
        states = _States(conn, keys, store.JoinBatch())
        states.named = NamedUpdates(
            conn,
            [
                article.guid
                for article, result in changed
                if result.outcome == "new" and article.pubstatus == "usable"
                and article.type == "text"
            ],
        )  # fmt: skip
        for (article, result), sig in zip(changed, signed, strict=True):
            self._place(conn, article, result, sig, states)
        assert states.joins is not None
        states.joins.write(session)

    @property
    def num_perm(self) -> int:
        return self.signer.num_perm

    def _sign_many(self, articles: list[Article]) -> list[Signed | None]:
        """The signatures of usable stories (None: killed, withheld, too short, a table, or a
        picture/graphic: media records never cluster), signed together."""
        usable = [i for i, a in enumerate(articles) if a.pubstatus == "usable" and a.type == "text"]
        out: list[Signed | None] = [None] * len(articles)
        signed = self.signer.sign_many([articles[i] for i in usable])
        for i, sig in zip(usable, signed, strict=True):
            out[i] = sig
        return out

    def _save_signatures(
        self,
        conn: Connection,
        changed: list[tuple[Article, StoreResult]],
        signed: list[Signed | None],
    ) -> None:
        """Each article's last signature saved, or deleted when it has none any more; a
        killed or withheld article keeps its stored one (the join with ``articles`` says it
        is no candidate)."""
        last: dict[str, tuple[str, bytes] | None] = {}
        for (article, result), sig in zip(changed, signed, strict=True):
            if sig is not None:
                last[result.article_id] = (language_key(article.language), self.signer.pack(sig))
            elif article.pubstatus == "usable":
                last[result.article_id] = None
        store.delete_signatures(conn, [key for key, v in last.items() if v is None])
        store.save_signatures(
            conn, [(key, *v) for key, v in last.items() if v is not None], self.num_perm
        )

    def _place(
        self,
        conn: Connection,
        article: Article,
        result: StoreResult,
        sig: Signed | None,
        states: _States,
    ) -> None:
        """One article into its cluster and the index (or out of the index, unsigned).

        An article the writer links to another (``duplicate_of``: a later version of a guid
        first seen as a copy, or the same agency's item re-sent under a new headline) goes
        into that article's cluster, whatever its text. An article an editor split out
        joins nothing and is nobody's match.
        """
        key = result.article_id
        known = result.outcome == "updated" or result.duplicate_of is not None
        state = states.get([key])[key] if known else None
        if sig is None or (state is not None and state.split):
            with self._lock:
                self.index.remove(key)  # no longer a match for anything; membership is kept
            if sig is None and state is not None and not state.split:
                article.cluster_id = self._link(conn, key, article, result, state, states)
            if sig is None and state is None and result.outcome == "new":
                current = self._follow_update(conn, key, article, states)
                article.cluster_id = self._adopt_updates(conn, key, article, current, states)
            return
        when = _epoch(story_time(article))
        lang = language_key(article.language)
        current = state.cluster_id if state is not None else None
        if current is None:
            current = self._link(conn, key, article, result, state, states)
        if current is None and state is None:
            current = self._follow_update(conn, key, article, states)
        indexed = False
        if current is None:
            current, indexed = self._join(conn, key, lang, sig, when, states)
        if state is None and result.outcome == "new":
            current = self._adopt_updates(conn, key, article, current, states)
        article.cluster_id = current
        if indexed and current is None:
            return  # indexed by _join, in the same hold of the lock as its lookup
        with self._lock:
            started = time.perf_counter()
            self.index.add(key, lang, sig, when)
            self.index_seconds += time.perf_counter() - started

    def _link(
        self,
        conn: Connection,
        key: str,
        article: Article,
        result: StoreResult,
        state: ArticleState | None,
        states: _States,
    ) -> str | None:
        """Join the cluster of the article the writer linked this one to (if it may)."""
        other = result.duplicate_of
        if other is None or article.pubstatus != "usable" or (state and state.cluster_id):
            return state.cluster_id if state else None
        found = states.get([other])[other]
        if found is None or found.pubstatus != "usable" or found.split:
            return None
        rule = "version" if result.outcome == "updated" else "resent"
        return states.join(
            key, other, 1.0, cluster_id=found.cluster_id,
            language=language_key(article.language), reason={"rule": rule, "similarity": 1.0},
        )  # fmt: skip

    def _follow_update(
        self, conn: Connection, key: str, article: Article, states: _States
    ) -> str | None:
        """A lead/update/correction under a new guid joins the cluster of the story it
        updates (:mod:`wire.storage.updates`), whatever its text: a rewrite is still the
        story. Media records and items that are not usable join nothing."""
        if article.pubstatus != "usable" or article.type != "text":
            return None
        window = timedelta(hours=self.config.update_window_hours)
        target = updated_story(conn, replace(Item.of(article), id=key), window)
        if target is None:
            return None
        other = target["id"]
        found = states.get([other])[other]
        if found is None or found.pubstatus != "usable" or found.split:
            return None
        return _join_update(conn, key, other, found.cluster_id, article, target["by"], states)

    def _adopt_updates(
        self,
        conn: Connection,
        key: str,
        article: Article,
        current: str | None,
        states: _States,
    ) -> str | None:
        """Updates of this story stored before it (out of order) and in no cluster join its
        cluster (made on this story when it has none). Returns the story's cluster."""
        if article.pubstatus != "usable" or article.type != "text":
            return current
        window = timedelta(hours=self.config.update_window_hours)
        item = replace(Item.of(article), id=key)
        for update in updating_stories(conn, item, window, states.named):
            other = update["id"]
            found = states.get([other])[other]
            if found is None or found.pubstatus != "usable" or found.split or found.cluster_id:
                continue
            current = _join_update(conn, other, key, current, article, update["by"], states)
        return current

    def _join(
        self, conn: Connection, key: str, lang: str, sig: Signed, when: float, states: _States
    ) -> tuple[str | None, bool]:
        """The cluster ``key`` joins (None: none), and whether ``key`` is indexed already.

        With no candidate at all, ``key`` goes into the index in the same hold of the lock
        as the lookup: two store threads taking in one story at once then never both miss
        each other (the later one finds the earlier, in flight, and waits for its commit).
        """
        # The best match is nearly always fine; only when it is gone (killed, deleted, split
        # out) are the next best judged as well (judging stops at the limit: template floods).
        for limit in (1, MATCHES_KEPT):
            with self._lock:
                started = time.perf_counter()
                matches = self.index.matches(sig, lang, when, exclude=key, limit=limit)
                if not matches and limit == 1:
                    self.index.add(key, lang, sig, when)
                self.index_seconds += time.perf_counter() - started
            if not matches:
                return None, limit == 1
            found = states.get([m.key for m in matches])
            for match in matches:
                state = found[match.key]
                if state is None:  # maybe another thread's, in flight or committed since
                    self._await_commit(match.key)
                    states.forget(match.key)
                    state = states.get([match.key])[match.key]
                if state is None or state.pubstatus != "usable":
                    with self._lock:
                        self.index.remove(match.key)  # rolled back, deleted or killed meanwhile
                    continue
                if state.split:
                    continue  # an editor split it out: nobody's match
                cluster_id = states.join(
                    key,
                    match.key,
                    match.similarity,
                    cluster_id=state.cluster_id,
                    language=lang,
                    reason=match.reason.to_dict() if match.reason else None,
                )
                return cluster_id, False
        return None, False

    def _track(self, session: Session, keys: list[str]) -> None:
        """Mark ``keys`` in flight until ``session``'s transaction ends.

        With parallel writers (PostgreSQL) another store thread may match an article of
        this batch before it commits; its own transaction cannot see the row yet, and
        without this it would drop the entry from the index as if it had been rolled back.
        """
        done = threading.Event()
        mark = (threading.get_ident(), done)
        with self._lock:
            self._inflight.update(dict.fromkeys(keys, mark))

        def ended(_session: Session, transaction: SessionTransaction) -> None:
            # Only the outermost transaction's end: "after_commit" also fires on releasing a
            # savepoint, when nothing is visible to other connections yet.
            if transaction.parent is not None or done.is_set():
                return
            with self._lock:
                for key in keys:
                    if self._inflight.get(key) is mark:
                        del self._inflight[key]
            done.set()

        event.listen(session, "after_transaction_end", ended)

    def _await_commit(self, key: str) -> None:
        """Wait (bounded) for the transaction of another thread that has ``key`` in flight."""
        with self._lock:
            mark = self._inflight.get(key)
        if mark is not None and mark[0] != threading.get_ident():  # (ours: we see our rows)
            mark[1].wait(self.config.inflight_wait)  # bounded: that writer may wait on our rows

    def _entries(self, keys: list[str]) -> dict[str, IndexEntry | None]:
        with self._lock:
            return {key: self.index.entry(key) for key in keys}

    def _restore(self, saved: dict[str, IndexEntry | None]) -> None:
        """The index entries of ``saved``'s keys back as they were before a failed batch."""
        with self._lock:
            for key, entry in saved.items():
                self.index.remove(key)
                if entry is not None:
                    self.index.add(key, *entry)

    def sync(self) -> None:
        """Load the index on first use; later, apply what other processes committed since.

        The change feed's sequence numbers become visible in commit order, so reading the
        changes after the last one seen (on a connection of its own: committed data only,
        never this process's uncommitted batch) misses nothing another process stored.
        """
        if self.db is None:
            return

        with self._lock:
            if self._reader is None or self._reader.closed or self._reader.invalidated:
                # Kept open: checking out a pooled connection per article costs as much as
                # the read itself. Returned to the pool when the clusterer goes away.
                engine = self.db.engine.execution_options(wire_read=True)
                self._reader = engine.connect()
            try:
                with self._reader.begin():
                    self._catch_up(self._reader)
            except Exception:
                self._reader.close()  # a broken connection is replaced on the next article
                self._reader = None
                raise

    def _catch_up(self, conn: Connection) -> None:
        if not self._loaded:
            self._seq = store.max_change_seq(conn)
            since = datetime.now(UTC) - timedelta(days=self.config.window_days)
            self._apply(store.load_signatures(conn, since=since))
            self._loaded = True
            return
        changes = store.changes_since(conn, self._seq)
        if not changes:
            return
        self._seq = changes[-1].seq
        latest = {c.article_id: c.signature for c in changes}
        for key, sig in latest.items():
            if sig is None:
                self.index.remove(key)  # no signature (any more): too short, or deleted
        self._apply(sig for sig in latest.values() if sig is not None)

    def _apply(self, rows: Iterable[Any]) -> None:
        """Stored signatures into the index (the caller holds the lock)."""
        stale = 0
        for row in rows:
            if row.pubstatus != "usable":
                self.index.remove(row.article_id)  # killed or withheld: not a candidate
                continue
            values = self.signer.unpack_values(row.minhash)
            if values is None:
                stale += 1
                continue
            lang = language_key(row.language)
            if self.index.holds(row.article_id, lang, values):
                continue  # our own are indexed already: no signature object to build
            sig = self.signer.unpack(row.minhash)
            assert sig is not None  # the same checks as unpack_values
            self.index.add(row.article_id, lang, sig, _epoch(row.when))
        if stale:
            log.warning(
                "%d stored signatures were made with other [dedup] settings and are ignored; "
                "run `wire dedup rebuild`",
                stale,
            )


_REBUILD_BATCH = 200  # rows signed together by a rebuild


def _signable(row: Any) -> bool:
    """Only usable text items are signed and clustered: pictures and graphics never are."""
    return bool(row.pubstatus == "usable" and row.type == "text")


def _signed_rows(signer: Signer, rows: Iterable[Any]) -> Iterable[tuple[Any, Signed | None]]:
    """Each row with its signature (None: not usable, too short, a table), in order; rows
    are signed in batches (:meth:`Signer.sign_many`)."""
    batch: list[Any] = []
    for row in itertools.chain(rows, [None]):
        if row is not None:
            batch.append(row)
            if len(batch) < _REBUILD_BATCH:
                continue
        usable = [r for r in batch if _signable(r)]
        texts = [(r.headline, r.lead, r.body_text, r.language) for r in usable]
        signed = {
            id(r): Signed.of(p) if p is not None else None
            for r, p in zip(usable, signer.parts_many(texts), strict=True)
        }
        yield from ((r, signed.get(id(r))) for r in batch)
        batch = []


@dataclass
class RebuildStats:
    articles: int = 0
    signed: int = 0
    unsigned: int = 0  # too short, a table, or not usable
    clusters: int = 0
    clustered: int = 0  # articles in a cluster
    seconds: float = 0.0


def rebuild(
    db: Database, config: DedupConfig, progress: Callable[[int], None] | None = None
) -> RebuildStats:
    """Recompute every signature and cluster from the stored articles, in story-time order.

    One transaction: readers see the old clusters until it commits. Killed and withheld
    articles get no signature and no cluster. Editors' splits and merges are kept. Restart
    running daemons afterwards so their in-memory index is loaded from the new signatures.
    """
    started = time.perf_counter()
    stats = RebuildStats()
    clusterer = MemoryClusterer(config)
    signer = clusterer.signer
    signatures: list[dict[str, Any]] = []
    now = datetime.now(UTC)
    window = timedelta(hours=config.update_window_hours)
    with db.session() as session:
        clusterer.correct(store.load_corrections(session))
        targets = update_targets(session, window)  # lead/update id -> the story it updates
        stories: set[str] = set()  # usable text items seen so far (story-time order)
        languages: dict[str, str] = {}
        for row, sig in _signed_rows(signer, store.iter_articles(session)):
            stats.articles += 1
            if progress and stats.articles % 1000 == 0:
                progress(stats.articles)
            if _signable(row):
                stories.add(row.id)
                languages[row.id] = language_key(row.language)
                target = targets.get(row.id)
                if target in stories:
                    clusterer.follow(row.id, target)
            if sig is None:
                stats.unsigned += 1
                continue
            stats.signed += 1
            signatures.append(
                {
                    "article_id": row.id,
                    "language": language_key(row.language),
                    "num_perm": signer.num_perm,
                    "minhash": signer.pack(sig),
                    "created_at": now,
                }
            )
            clusterer.add(row.id, row.language, sig, _epoch(row.when))
        clusterer.apply_merges()
        assignments = list(clusterer.assignments.values())
        store.replace_all(session, signatures, assignments, languages)
    stats.clusters = len(set(clusterer.cluster_of.values()))
    stats.clustered = len(clusterer.cluster_of)
    stats.seconds = time.perf_counter() - started
    return stats
