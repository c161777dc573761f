"""Clustering speed and memory on generated wire copy: ``python bench/dedup/bench_speed.py``.

Generates N articles (default 100,000) in German, French and English over seven days: about
a quarter are rewrites or updates of a recent article (words swapped, a sentence dropped,
sentences reordered), the rest are new stories drawn from a Zipf-distributed vocabulary of
real words from the seed stories plus synthetic ones. Then, on one core:

- baseline: the time to compute the content hashes of the same articles
  (``wire.record.compute_content_hash``, what every ingest does anyway);
- the ratio of the two (by wall and by CPU time: on a shared machine the CPU time is the
  steadier figure); the budget is 30x;
- clustering: sign the articles in payloads of 100 (``Signer.sign_many``, as the store hook
  and the parse workers sign a payload's articles), then match + index each article in order
  (``wire.ingest.dedup.MemoryClusterer``), with the index work (LSH query, judge, insert)
  timed on its own;
- resident memory after 25k, 50k and 100k articles (the index holds all of them: they are
  all inside the seven-day window, so this is the worst case).

The main figures touch no database. ``--db N`` also stores the first N articles through
``wire.ingest.pipeline.ingest_payload`` (ninjs batches of 100, a fresh SQLite file) twice, without
and with the clustering hook, to show what clustering adds to a real ingest. ``--n`` changes
the size.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # one core: numpy must not fan out

import argparse  # noqa: E402
import gc  # noqa: E402
import itertools  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from datetime import UTC, datetime, timedelta  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stories import STORIES  # noqa: E402

from wire.config import DedupConfig  # noqa: E402
from wire.ingest.dedup import MemoryClusterer, _epoch  # noqa: E402
from wire.record import Article, compute_content_hash  # noqa: E402

LANGS = ("de", "fr", "en")
T0 = datetime(2024, 6, 1, tzinfo=UTC)
DUP_SHARE = 0.25
PAYLOAD = 100  # articles signed together, as the store hook gets a payload's new articles
_WORD = re.compile(r"[^\W\d_]+")


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def vocabulary(rng: random.Random, lang: str, size: int = 30000) -> tuple[list[str], list[float]]:
    """Real words of the language first (the frequent ones), then synthetic words; Zipf weights."""
    real: dict[str, None] = {}
    for s in STORIES:
        if s["lang"] == lang:
            text = " ".join([s["headline"], s["lead"], *s["body"], s.get("extra", "")])
            real.update(dict.fromkeys(_WORD.findall(text)))
    words = list(real)
    rng.shuffle(words)
    syllables = ["ka", "ber", "lin", "sto", "mar", "ten", "ra", "vol", "ge", "schu", "pri",
                 "den", "lo", "fa", "tur", "mi", "nel", "po", "sa", "ri", "que", "ton"]  # fmt: skip
    while len(words) < size:
        words.append("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))))
    cumulative = list(itertools.accumulate(1.0 / (rank + 1) for rank in range(len(words))))
    return words, cumulative


class Generator:
    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.vocab = {lang: vocabulary(self.rng, lang) for lang in LANGS}
        self.recent: list[Article] = []

    def sentence(self, lang: str, n: int) -> str:
        words, cumulative = self.vocab[lang]
        picked = self.rng.choices(words, cum_weights=cumulative, k=n)
        if self.rng.random() < 0.3:
            picked.insert(self.rng.randrange(n), str(self.rng.randint(2, 9999)))
        return " ".join(picked).capitalize() + "."

    def fresh(self, i: int, lang: str) -> Article:
        rng = self.rng
        body = [
            " ".join(self.sentence(lang, rng.randint(10, 22)) for _ in range(rng.randint(2, 4)))
            for _ in range(rng.randint(3, 6))
        ]
        return Article(
            guid=f"g{i}",
            id=f"a{i}",
            language=lang,
            headline=self.sentence(lang, rng.randint(5, 10)),
            lead=self.sentence(lang, rng.randint(15, 30)),
            body_text="\n\n".join(body),
        )

    def variant(self, i: int, of: Article) -> Article:
        """An update or another agency's rewrite: swaps, a dropped or added sentence, reorder."""
        rng = self.rng
        paragraphs = of.body_text.split("\n\n")
        out = []
        for p in paragraphs:
            sentences = p.split(". ")
            if rng.random() < 0.3:
                rng.shuffle(sentences)
            if len(sentences) > 2 and rng.random() < 0.2:
                del sentences[rng.randrange(len(sentences))]
            words = ". ".join(sentences).split()
            vocab, cumulative = self.vocab[of.language or "de"]
            for _ in range(max(1, len(words) // 20)):
                words[rng.randrange(len(words))] = rng.choices(vocab, cum_weights=cumulative)[0]
            out.append(" ".join(words))
        if rng.random() < 0.4:
            out.insert(rng.randint(1, len(out)), self.sentence(of.language or "de", 20))
        return Article(
            guid=f"g{i}",
            id=f"a{i}",
            language=of.language,
            headline=self.sentence(of.language or "de", 8),
            lead=of.lead,
            body_text="\n\n".join(out),
        )

    def make(self, n: int) -> tuple[list[Article], dict[str, str]]:
        """Articles in time order over seven days, and which earlier article each variant copies."""
        articles: list[Article] = []
        source_of: dict[str, str] = {}
        step = timedelta(days=7) / n
        for i in range(n):
            if self.recent and self.rng.random() < DUP_SHARE:
                of = self.rng.choice(self.recent[-500:])
                a = self.variant(i, of)
                source_of[a.id] = of.id
            else:
                a = self.fresh(i, self.rng.choice(LANGS))
            a.firstcreated = a.versioncreated = a.ingested_at = T0 + step * i
            self.recent.append(a)
            articles.append(a)
        return articles, source_of


def pipeline_rate(articles: list[Article], with_hook: bool) -> float:
    """Articles per second through ingest_payload into a fresh SQLite store."""
    import json
    import tempfile

    from wire.adapters.base import FeedSettings
    from wire.config import Config
    from wire.ingest.hooks import store_hooks
    from wire.ingest.pipeline import ingest_payload
    from wire.record import iso
    from wire.storage.db import Database

    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{tmp}/bench.db")
        hooks = store_hooks(Config(), db) if with_hook else ()
        settings = FeedSettings(feed="bench", source="sda", timezone="UTC")
        started = time.perf_counter()
        for i in range(0, len(articles), 100):
            items = [
                {
                    "uri": a.guid,
                    "headline": a.headline,
                    "description_text": a.lead,
                    "body_text": a.body_text,
                    "language": a.language,
                    "versioncreated": iso(a.versioncreated),
                }
                for a in articles[i : i + 100]
            ]
            ingest_payload(db, json.dumps(items).encode(), settings, fmt="ninjs", hooks=hooks)
        rate = len(articles) / (time.perf_counter() - started)
        db.dispose()
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--db", type=int, default=0, help="also time N articles through the store")
    args = parser.parse_args()
    n = args.n
    t = time.perf_counter()
    articles, source_of = Generator().make(n)
    print(f"generated {n} articles ({len(source_of)} rewrites/updates) in "
          f"{time.perf_counter() - t:.1f}s; RSS {rss_mb():.0f} MB")  # fmt: skip

    t, cpu = time.perf_counter(), time.process_time()
    for a in articles:
        a.content_hash = compute_content_hash(a)
    baseline, baseline_cpu = time.perf_counter() - t, time.process_time() - cpu

    # The generated corpus is the harness, not the index: keep the garbage collector from
    # walking its 100,000 articles during the timed loop (the daemon holds no such corpus).
    gc.collect()
    gc.freeze()
    config = DedupConfig()
    clusterer = MemoryClusterer(config)
    signer = clusterer.signer
    checkpoints = {n // 4, n // 2, n}
    rss0 = rss_mb()
    index_time = 0.0
    unsigned = 0
    slowest = 0.0
    t, cpu = time.perf_counter(), time.process_time()
    for start in range(0, n, PAYLOAD):
        payload = articles[start : start + PAYLOAD]
        for i, a, sig in zip(itertools.count(start + 1), payload, signer.sign_many(payload)):
            if sig is None:
                unsigned += 1
            started = time.perf_counter()
            clusterer.add(a.id, a.language, sig, _epoch(a.firstcreated))
            spent = time.perf_counter() - started
            index_time += spent
            slowest = max(slowest, spent)
            if i in checkpoints:
                print(f"  {i:>7} articles clustered: RSS {rss_mb():.0f} MB "
                      f"(+{rss_mb() - rss0:.0f} MB for the index)")  # fmt: skip
    total, total_cpu = time.perf_counter() - t, time.process_time() - cpu

    found = sum(
        1
        for a_id, of in source_of.items()
        if a_id in clusterer.cluster_of
        and clusterer.cluster_of[a_id] == clusterer.cluster_of.get(of)
    )
    clusters = len(set(clusterer.cluster_of.values()))
    print(
        f"config: threshold={config.threshold} num_perm={config.num_perm} "
        f"shingle_size={config.shingle_size} LSH bands x rows={clusterer.index.params}"
    )
    print(
        f"baseline (content hashes):  {n / baseline:>10,.0f} articles/s  ({baseline:.2f}s wall, "
        f"{n / baseline_cpu:,.0f}/s by CPU time)"
    )
    print(
        f"clustering (sign + index):  {n / total:>10,.0f} articles/s  ({total:.2f}s wall, "
        f"{n / total_cpu:,.0f}/s by CPU time)"
    )
    print(
        f"ratio clustering / baseline: {total / baseline:.1f}x by wall time, "
        f"{total_cpu / baseline_cpu:.1f}x by CPU time (budget: 30x)"
    )
    print(f"  index work per article:   {index_time / n * 1e6:>10.0f} µs mean, "
          f"{slowest * 1e3:.2f} ms slowest")  # fmt: skip
    print(f"  signing per article:      {(total - index_time) / n * 1e6:>10.0f} µs mean")
    print(f"clusters: {clusters}, clustered articles: {len(clusterer.cluster_of)}, "
          f"unsigned: {unsigned}; rewrites/updates found in their original's cluster: "
          f"{found}/{len(source_of)}")  # fmt: skip

    if args.db:
        sample = articles[: args.db]
        plain = pipeline_rate(sample, with_hook=False)
        clustered = pipeline_rate(sample, with_hook=True)
        print(
            f"store {len(sample)} articles (SQLite, ingest_payload): {plain:,.0f}/s without "
            f"clustering, {clustered:,.0f}/s with it"
        )


if __name__ == "__main__":
    main()
