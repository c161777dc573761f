"""MinHash values of a story's words, in numpy alone: what the parse workers can compute.

The arithmetic of datasketch's ``MinHash`` (scheme ``affine32``: murmur3 finaliser, affine
permutations drawn from ``numpy.random.RandomState(SEED)``, the minimum) over 3-word shingles
that never span a sentence end (:func:`wire.ingest.fingerprint.shingle_words`). Kept apart from
:mod:`wire.ingest.dedup` because importing datasketch imports scipy (about 55 MB), and a parse
worker only needs the values: it signs the articles it parsed, so the daemon's store thread
does not (tests/ingest/test_dedup.py checks the values equal datasketch's own).
"""

from __future__ import annotations

import hashlib
import re
import struct
import threading
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np

from wire.config import DedupConfig
from wire.ingest.evidence import MAX_CHARS, Evidence, evidence
from wire.ingest.fingerprint import (
    _CHARS_PER_WORD,
    SENTENCE_ENDS,
    clean_parts,
    credit_dateline,
    fold_keeping_digits,
    shingle_words,
    stop_words,
    tokenise,
)
from wire.record import Article

SEED = 1
SCHEME = "affine32"
# Bumped whenever the words that get shingled change: older stored signatures are then
# ignored (``wire dedup rebuild`` recomputes them).
NORMALISATION_VERSION = 13  # 13: the results list or standings a report ends on is left out
# of its evidence ("Gli altri risultati: Berna-Ambrì 4-1, ...": wire.ingest.results)
# (12: the forms mark the headline subjects that tell a story
# from another of its kind ("Glarus-Wahl", "Zugo": wire.ingest.subjects.distinct))
# (11: agencies' closing lines off the text ("dpa lby yymm z2 mw",
# "APA0156 2026-12-01/11:22", "ENDS": fingerprint._CLOSING))
# (10: the forms keep the figures in other forms (decimals
# rounded, "37,9" as "38"; the headline's counts in words, "Two": wire.ingest.figures)
# (9: the evidence keeps the other forms of the names and what
# finds each headline subject otherwise (stems, compound parts: wire.ingest.subjects)
# (8: German weekdays with a part of the day ("Mittwochabend"), the credit dateline's date)
# (7: market reports marked, evidence.MARKET)
# (6: names robust to case (Title Case / ALL CAPS), quarters)
# (5: the evidence marks the names that are common nouns, German)
# (4: the evidence keeps the first day named, Evidence.day)
MAGIC = b"wmh2"
HEADER = struct.Struct("<4sBBH")  # magic, shingle size, normalisation version, num_perm
EVIDENCE_PERM = 32  # MinHash values over an article's numbers and names: its second LSH key
EVIDENCE_SEED = 2
SHORT = 1  # flag: a short item, signed on headline + lead (fewer than min_words words)
MIX = np.uint64(0x9E3779B97F4A7C15)
_DIGIT_RUN = re.compile(r"\d+")
_END_HASHES = np.array([zlib.crc32(c.encode()) for c in SENTENCE_ENDS], dtype=np.uint64)


def _ends(h: np.ndarray) -> np.ndarray:
    """Which token hashes are a sentence end's: one comparison per end character (a
    tokens x ends matrix reduced along its short rows costs several times more)."""
    ends = h == _END_HASHES[0]
    for end in _END_HASHES[1:]:
        ends |= h == end
    return ends


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finaliser, as datasketch applies it to each input hash."""
    # Array arithmetic wraps silently (only numpy scalars warn): no errstate needed, and
    # entering one costs more than the arithmetic on a short text.
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def affine32_permutations(num_perm: int, seed: int = SEED) -> np.ndarray:
    """datasketch's ``MinHash(num_perm, seed, scheme="affine32").permutations``: odd ``a``
    and any ``b`` below 2**32, drawn in its order."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return np.array([a, b])


def _crc_table() -> np.ndarray:
    """zlib's CRC-32 table: the remainder of each byte (reflected polynomial 0xEDB88320)."""
    table = np.arange(256, dtype=np.uint32)
    for _ in range(8):
        table = np.where(table & 1, (table >> 1) ^ np.uint32(0xEDB88320), table >> 1)
    return table.astype(np.uint32)


_CRC_TABLE = _crc_table()
_CRC_START = np.uint32(0xFFFFFFFF)
_LOW_BYTE = 0 if np.little_endian else 3  # a uint32's least significant byte


def crc32_joined(joined: str, count: int) -> np.ndarray | None:
    """``zlib.crc32(t.encode())`` (uint64) of each of the ``count`` tokens that ``joined``
    holds, NUL between each two (None when it holds another number of NULs): their UTF-8
    bytes in one buffer and the CRCs advanced a byte at a time for every token still that
    long (tokens longest first, so those are a prefix). A payload's tens of thousands of
    tokens cost half of one ``encode`` and one ``crc32`` call each."""
    data = np.frombuffer(joined.encode(), dtype=np.uint8)
    breaks = np.flatnonzero(data == 0)
    if len(breaks) != max(count - 1, 0) or (count == 0 and len(data)):
        return None
    if count == 0:
        return np.zeros(0, dtype=np.uint64)
    starts = np.concatenate(([0], breaks + 1))
    lengths = np.append(breaks, len(data)) - starts
    # longest first: a stable sort of 16-bit keys is a radix sort (a fifth of the time)
    longest = int(lengths.max())
    shorter = (longest - lengths).astype(np.uint16 if longest < 1 << 16 else np.int64)
    order = np.argsort(shorter, kind="stable")
    lengths, starts = lengths[order], starts[order]
    crc = np.full(count, _CRC_START, dtype=np.uint32)
    # how many tokens are longer than j, for each byte place j (lengths descending)
    still = np.searchsorted(-lengths, -np.arange(int(lengths[0])))
    low = crc.view(np.uint8)[_LOW_BYTE :: crc.itemsize]  # each CRC's low byte, in place
    shifted = np.empty_like(crc)
    for j, k in enumerate(still.tolist()):
        index = low[:k] ^ data[starts[:k] + j]
        np.right_shift(crc[:k], 8, out=shifted[:k])
        np.bitwise_xor(_CRC_TABLE[index], shifted[:k], out=crc[:k])
    out = np.empty(count, dtype=np.uint64)
    out[order] = crc ^ _CRC_START
    return out


Text = tuple[str | None, str | None, str | None, str | None]  # headline, lead, body, language
# Shingles signed in one block (x num_perm uint32: 4 MB at 128). Larger blocks than fit in
# cache are the faster: the MinHash values of the bench's payloads (~20,000 shingles) took
# 23 us an article in blocks of 2,048 shingles, 16 in blocks of 4,096, 11.5 in blocks of 8,192
# and 14.5 in blocks of 16,384.
_GROUP = 8192
_scratch = threading.local()
_SCRATCH_MIN = 128 * _GROUP  # uint32s: one block of products at the default num_perm


def _products(rows: int, columns: int) -> np.ndarray:
    """A ``rows`` x ``columns`` uint32 array to write products into: a view of this thread's
    scratch block, grown as needed and kept. A fresh array of a megabyte per block costs more
    than the arithmetic in it (its pages are mapped and faulted in anew each time: measured,
    the MinHash values of a payload's texts took 2.4 times as long)."""
    size = rows * columns
    block: np.ndarray | None = getattr(_scratch, "block", None)
    if block is None or len(block) < size:
        block = _scratch.block = np.empty(max(size, _SCRATCH_MIN), dtype=np.uint32)
    return block[:size].reshape(rows, columns)


@dataclass(frozen=True)
class _Read:
    """A text read for signing: its cleaned parts, whether it is a short item, and its digit
    runs (None: the evidence reads them from the text)."""

    headline: str
    lead: str
    body: str
    language: str | None
    short: bool
    runs: list[str] | None
    tokens: list[str] | None  # the folded tokens, when ``runs`` were read from them
    dateline: str = ""  # the credit dateline the cleaned lead lost (its date)

    def evidence(self) -> Evidence:
        return evidence(
            self.headline,
            self.lead,
            self.body,
            self.language,
            clean=False,
            digit_runs=self.runs,
            tokens=self.tokens,
            dateline=self.dateline,
        )


@dataclass(frozen=True)
class Parts:
    """Everything a signature holds: the text's MinHash values, the evidence's MinHash values
    (LSH candidates by shared names and numbers), the shingle count (for containment), whether
    the item is short, and the evidence itself (what :mod:`wire.ingest.matching` weighs)."""

    values: np.ndarray
    evidence_values: np.ndarray
    shingles: int
    short: bool
    evidence: Evidence
    # The stored form these parts were read from (:meth:`MinHasher.unpack_parts`): what
    # :meth:`MinHasher.pack_parts` would make of them, so it is not made again.
    packed: bytes | None = None


def text_key(article: Article) -> bytes:
    """What a signature is made of (headline, lead, body, language), as a short digest."""
    parts = (article.headline, article.lead, article.body_text, article.language)
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).digest()


class MinHasher:
    """Words to MinHash values with the configured shingling; one per process (cheap)."""

    def __init__(self, config: DedupConfig) -> None:
        self.num_perm = config.num_perm
        self.shingle_size = max(1, config.shingle_size)
        self.min_words = config.min_words
        self.short_min_words = min(config.short_min_words, config.min_words)
        self.max_words = config.max_words
        self._permutations = affine32_permutations(self.num_perm)
        self._evidence_permutations = affine32_permutations(EVIDENCE_PERM, EVIDENCE_SEED)
        self.header = HEADER.pack(MAGIC, self.shingle_size, NORMALISATION_VERSION, self.num_perm)

    def words(
        self, headline: str | None, lead: str | None, body: str | None, language: str | None
    ) -> list[str] | None:
        return shingle_words(
            headline,
            lead,
            body,
            language=language,
            min_words=self.min_words,
            max_words=self.max_words,
        )

    def parts(
        self, headline: str | None, lead: str | None, body: str | None, language: str | None
    ) -> Parts | None:
        """The signature's parts, or None when the text is no evidence of a story.

        A text of ``min_words`` words or more is signed whole; a shorter one (down to
        ``short_min_words``: a short item, a flash with a lead) is signed too but marked
        short, and only ever matched with other short items under a stricter rule.
        """
        return self.parts_many([(headline, lead, body, language)])[0]

    def parts_many(self, texts: Sequence[Text]) -> list[Parts | None]:
        """:meth:`parts` of several texts (a payload's articles) at once.

        Each text in turn is read in Python (:meth:`_read`), its words hashed and its
        evidence read; the arithmetic on the hashes (shingles, the text's and the evidence's
        MinHash values) is done for all texts in a few numpy calls, whose fixed cost is then
        paid once per batch, not per article. The values are exactly those of signing each
        text alone.
        """
        out: list[Parts | None] = [None] * len(texts)
        live: list[int] = []
        shorts: list[bool] = []
        found: list[Evidence] = []
        # Each text's words to shingle, NUL between words and "\n" after the last: a sentence
        # end, so that no shingle spans two texts (a string per text: no list of every word
        # of the payload for the garbage collector to walk while the evidence is read).
        words: list[str] = []
        bounds: list[int] = []
        total = 0
        for i, text in enumerate(texts):
            made = self._read(*text)
            if made is None:
                continue
            read, kept = made
            live.append(i)
            shorts.append(read.short)
            bounds.append(total)
            total += len(kept) + 1
            kept.append("\n")
            words.append("\0".join(kept))
            # Each text's evidence read at once: its word lists go before the next text is
            # read (the evidence's many small objects trigger the garbage collector, which
            # would otherwise walk every word of the payload).
            found.append(read.evidence())
            del made, read, kept
        if not live:
            return out
        h = crc32_joined("\0".join(words), total)
        del words
        if h is None:  # (never: a token is a word or a sentence end, which hold no NUL)
            raise ValueError("a token holds a NUL")
        hashes, at = self._shingles(h, _ends(h))
        owner = np.searchsorted(np.array(bounds), at, side="right") - 1
        order = np.argsort(owner, kind="stable")
        counts = np.bincount(owner, minlength=len(live))
        values = self._minhash_many(hashes[order], counts)
        evidence_values = self._evidence_values_many(found, values)
        for j, (i, short) in enumerate(zip(live, shorts, strict=True)):
            out[i] = Parts(values[j], evidence_values[j], int(counts[j]), short, found[j])
        return out

    def _read(
        self, headline: str | None, lead: str | None, body: str | None, language: str | None
    ) -> tuple[_Read, list[str]] | None:
        """The text read for the evidence, and the words to shingle
        (:func:`wire.ingest.fingerprint.shingle_words`, read once for both word limits), or
        None for a text too short or a table.

        The figures of the evidence are read from the same tokens when that gives exactly
        what :func:`wire.ingest.evidence.evidence` would read from the text (it does unless
        the text is long or folding changed its digits): one scan of the text fewer.
        """
        dateline = credit_dateline(lead, body)
        headline, lead, body = clean_parts(headline, lead, body, self.max_words)
        budget = self.max_words * _CHARS_PER_WORD
        joined = "\n".join(p[:budget] for p in (headline, lead, body) if p)
        text, digits_kept = fold_keeping_digits(joined)
        every = tokenise(text)
        tokens = every if len(every) <= self.max_words else every[: self.max_words]
        # (comprehensions: a tenth faster than filterfalse, which calls a method per token)
        odd = [t for t in tokens if not t.isalpha()]  # sentence ends, numbers, "4q", "a50"
        # Each sentence end character is a token of its own, and none is a letter: they are
        # all among the few ``odd`` tokens (no scan of the text per end character).
        ends = sum(map(SENTENCE_ENDS.__contains__, odd))
        numbers = sum(map(str.isdigit, odd))
        words = len(tokens) - ends - numbers
        if words < self.short_min_words or words < 0.6 * (words + numbers):
            return None  # too short, or a table (see shingle_words)
        runs = None
        if digits_kept and len(joined) <= MAX_CHARS and len(every) == len(tokens):
            runs = list(filter(str.isdecimal, odd))  # \d: decimal
            if len(runs) + ends < len(odd):  # some mixed ("4q", "a50"): read in order
                runs = []
                for t in odd:  # a sentence end has no digits (no search for it)
                    if t.isdecimal():
                        runs.append(t)
                    elif t not in SENTENCE_ENDS:
                        runs += _DIGIT_RUN.findall(t)
        stops = stop_words(language)
        kept = [t for t in tokens if t not in stops]
        short = words < self.min_words
        # (the tokens go with the runs, also when the text has no figures: no second scan)
        read = _Read(
            headline,
            lead,
            body,
            language,
            short,
            runs,
            tokens if runs is not None else None,
            dateline,
        )
        return read, kept

    def evidence_values(self, found: Evidence, values: np.ndarray) -> np.ndarray:
        """MinHash of the numbers and names; without any, values no other article shares
        (taken from the text's), so that empty evidence never makes candidates."""
        return self._evidence_values_many([found], values[None, :])[0]

    def _evidence_values_many(self, found: list[Evidence], values: np.ndarray) -> np.ndarray:
        out = (values[:, :EVIDENCE_PERM] ^ np.uint32(0x5BD1E995)).astype(np.uint32)
        sets = [sorted(f.numbers | f.names) for f in found]
        counts = np.fromiter(map(len, sets), np.int64, len(sets))
        if counts.any():
            tokens = np.fromiter(chain.from_iterable(sets), np.uint32, int(counts.sum()))
            a, b = self._evidence_permutations
            products = _products(len(a), len(tokens))  # permutations x tokens
            np.multiply.outer(a, _fmix32(tokens), out=products)
            products += b[:, None]
            some = counts > 0
            starts = (np.cumsum(counts) - counts)[some]
            out[some] = np.minimum.reduceat(products, starts, axis=1).T
        return out

    def shingle_hashes(self, tokens: list[str]) -> np.ndarray:
        """32-bit hashes (in uint64) of the k-word shingles inside each sentence.

        One crc32 per token (C speed); sentence ends are recognised by their hash, the k words
        of a shingle are combined in numpy, and a shingle never spans a sentence end. A
        sentence shorter than k words is one shingle of its own.
        """
        h = np.fromiter(map(zlib.crc32, map(str.encode, tokens)), np.uint64, len(tokens))
        return self._shingles(h, _ends(h))[0]

    def _shingles(self, h: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Shingle hashes of the token hashes ``h`` (``ends`` marks the sentence ends), and
        the position of each shingle's first token in ``h``."""
        words = ~ends
        position = np.flatnonzero(words)
        sentence = np.cumsum(ends)[words]
        h = h[words]
        k = self.shingle_size
        parts, at = [], []
        if len(h) >= k:
            n = len(h) - k + 1
            acc = h[:n].copy()
            for i in range(1, k):
                acc = acc * MIX + h[i : i + n]
            inside = sentence[:n] == sentence[k - 1 :]
            parts.append(acc[inside])
            at.append(position[:n][inside])
        if k > 1 and len(h):
            # Sentences shorter than k words: their words combined as one shingle, all
            # sentences of one length at once.
            starts = np.flatnonzero(np.concatenate(([True], sentence[1:] != sentence[:-1])))
            lengths = np.diff(np.append(starts, len(h)))
            for length in range(1, k):
                first = starts[lengths == length]
                if len(first):
                    acc = h[first]
                    for i in range(1, length):
                        acc = acc * MIX + h[first + i]
                    parts.append(acc)
                    at.append(position[first])
        if not parts:
            return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
        out = np.concatenate(parts)
        out ^= out >> np.uint64(32)
        return out & np.uint64(0xFFFFFFFF), np.concatenate(at)

    def values(self, words: list[str]) -> np.ndarray:
        """The MinHash values (uint32) of the shingles of ``words``."""
        return self._minhash(self.shingle_hashes(words))

    def _minhash(self, shingle_hashes: np.ndarray) -> np.ndarray:
        return self._minhash_many(shingle_hashes, np.array([len(shingle_hashes)]))[0]

    def _minhash_many(self, shingle_hashes: np.ndarray, counts: np.ndarray) -> np.ndarray:
        """One row of MinHash values per text; ``counts``: how many of the (grouped)
        shingle hashes are each text's. A text without shingles gets all maxima."""
        out = np.full((len(counts), self.num_perm), np.iinfo(np.uint32).max, dtype=np.uint32)
        hashes = _fmix32(shingle_hashes.astype(np.uint32))
        a, b = self._permutations
        ends = np.cumsum(counts).tolist()
        sizes = counts.tolist()
        i = 0
        while i < len(sizes):  # texts in groups of about _GROUP shingles
            j, total = i + 1, sizes[i]
            while j < len(sizes) and total + sizes[j] <= _GROUP:
                total += sizes[j]
                j += 1
            lo = ends[i] - sizes[i]
            if total:
                # permutations x shingles: each text's minimum is a reduction along rows
                # (contiguous), more than twice as fast as along the columns of the transpose
                products = _products(len(a), total)
                np.multiply.outer(a, hashes[lo : ends[j - 1]], out=products)
                products += b[:, None]  # in place: one array, not two
                some = counts[i:j] > 0
                starts = (np.cumsum(counts[i:j]) - counts[i:j])[some]
                out[i:j][some] = np.minimum.reduceat(products, starts, axis=1).T
            i = j
        return out

    def packed(self, article: Article) -> bytes:
        """The stored form of the article's signature; empty when it gets none (too short,
        a table: see :mod:`wire.ingest.dedup`)."""
        return self.packed_many([article])[0]

    def packed_many(self, articles: Sequence[Article]) -> list[bytes]:
        """:meth:`packed` of several articles, signed together (:meth:`parts_many`)."""
        texts = [(a.headline, a.lead, a.body_text, a.language) for a in articles]
        return [self.pack_parts(p) if p is not None else b"" for p in self.parts_many(texts)]

    def pack_parts(self, parts: Parts) -> bytes:
        """A header naming the shingling, the uint32 text values, the evidence values, the
        shingle count, the flags, then the evidence sets."""
        if parts.packed is not None:  # read from this form (a parse worker's, a stored one)
            return parts.packed
        return b"".join(
            (
                self.header,
                np.asarray(parts.values, dtype="<u4").tobytes(),
                np.asarray(parts.evidence_values, dtype="<u4").tobytes(),
                np.array([parts.shingles, SHORT if parts.short else 0], dtype="<u4").tobytes(),
                parts.evidence.pack().tobytes(),
            )
        )

    def unpack_parts(self, blob: bytes | None) -> Parts | None:
        """A stored signature, or None when it was made with other settings (rebuild needed)."""
        if not blob or not blob.startswith(self.header):
            return None
        words = np.frombuffer(blob, dtype="<u4", offset=HEADER.size)
        n = self.num_perm
        fixed = n + EVIDENCE_PERM + 2
        if len(words) < fixed:
            return None
        found = Evidence.unpack(words[fixed:])
        if found is None:
            return None
        return Parts(
            words[:n],
            words[n : n + EVIDENCE_PERM],
            int(words[n + EVIDENCE_PERM]),
            bool(int(words[n + EVIDENCE_PERM + 1]) & SHORT),
            found,
            blob if type(blob) is bytes else bytes(blob),
        )
