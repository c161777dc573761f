"""Clustering speed and memory on generated wire copy: ``python bench/dedup/bench_speed.py``.

Generates N articles (default 100,000) in German, French and English over seven days: about
a quarter are rewrites or updates of a recent article (words swapped, a sentence dropped,
sentences reordered), the rest are new stories drawn from a Zipf-distributed vocabulary of
real words from the seed stories plus synthetic ones. Then, on one core:

- baseline: the time to compute the content hashes of the same articles
  (``wire.record.compute_content_hash``, what every ingest does anyway), the median of
  five passes (by wall and by CPU time each) spread through the run: one before the
  clustering, one after each quarter of it (their time is not counted as clustering);
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

``--template N`` times the clusterer's worst case instead: N items of a few agency templates
(football results, a market close, a weather report) that differ only in their numbers, as
automated copy does all day (:func:`templated`: each day's report sent by three agencies with
small edits, other days' reports sharing every word but the figures). Every item is then a
candidate of every other, so it measures that the cost per insert stays bounded: articles/s
against the hash-only pass over the same items, in the same run, and whether the reports are
clustered by day (same day joined, different days never).
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
import statistics  # noqa: E402
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


TEMPLATES = {
    "en": (
        "Swiss Super League results on matchday {0}",
        "FC Basel beat Young Boys {1}-{2} at St. Jakob-Park on matchday {0} of the Super League "
        "before {3} spectators.",
        "Servette drew {4}-{5} with FC Lugano in Geneva, and FC St. Gallen lost {6}-{7} at FC "
        "Zurich. Grasshoppers won {8}-{9} against FC Luzern in the late game. Young Boys stay "
        "top of the table with {10} points from {11} games, {12} ahead of Servette. FC Basel "
        "climbed to third place with {13} points. The next round is played in {14} days, the "
        "league said in a statement.",
    ),
    "de": (
        "Börse Zürich: SMI schliesst bei {0} Punkten",
        "Der Swiss Market Index (SMI) hat am Handelstag {1} um {2},{3} Prozent auf {0} Punkte "
        "geschlossen. Der breite SPI stand bei {4} Punkten.",
        "Nestlé gewannen {5},{6} Prozent, Novartis {7},{8} Prozent und Roche {9},{10} Prozent. "
        "Die Grossbank UBS verlor {11},{12} Prozent. Der Franken notierte bei {13},{14} zum Euro. "
        "Gehandelt wurden {15} Millionen Titel. Händler sprachen von einem ruhigen Tag an der "
        "Zürcher Börse, die Anleger warteten auf neue Zahlen aus den Vereinigten Staaten.",
    ),
    "fr": (
        "Météo: jusqu'à {0} degrés attendus le {1} juin en Suisse romande",
        "MétéoSuisse prévoit pour le {1} juin des températures maximales de {0} degrés à Genève "
        "et de {2} degrés à Sion, avec un risque d'orage de {3} pour cent en soirée.",
        "À Lausanne, le thermomètre devrait atteindre {4} degrés et à Neuchâtel {5} degrés. La "
        "limite du zéro degré se situe vers {6} mètres. Les vents du sud-ouest souffleront à "
        "{7} km/h sur les crêtes du Jura. Le lac Léman affiche une température de {8} degrés, "
        "selon les relevés de MétéoSuisse publiés à {9} heures.",
    ),
}


def templated(n: int, seed: int = 11) -> tuple[list[Article], dict[str, str]]:
    """N template reports in time order: each report (language, day) has its own figures and
    is sent by three agencies (the second and third retitle it or drop the last sentence);
    the label of each item is its report, so only items of one report belong together."""
    rng = random.Random(seed)
    articles: list[Article] = []
    report_of: dict[str, str] = {}
    step = timedelta(days=7) / n
    report = 0
    i = 0
    while i < n:
        lang = LANGS[report % len(LANGS)]
        head, lead, body = TEMPLATES[lang]
        figures = [str(rng.randint(0, 99)) for _ in range(4)]
        figures += [str(rng.randint(100, 99999)) for _ in range(12)]
        rng.shuffle(figures)
        figures[0] = str(report + 1)  # the matchday, the close, the date: never repeated
        for copy in range(3):
            if i >= n:
                break
            text = body.format(*figures)
            if copy == 2:
                text = text.rsplit(". ", 1)[0] + "."
            headline = head.format(*figures) + (" (update)" if copy == 1 else "")
            a = Article(
                guid=f"t{i}",
                id=f"t{i}",
                language=lang,
                headline=headline,
                lead=lead.format(*figures),
                body_text=text,
            )
            a.firstcreated = a.versioncreated = a.ingested_at = T0 + step * i
            report_of[a.id] = f"r{report}"
            articles.append(a)
            i += 1
        report += 1
    return articles, report_of


def hash_pass(articles: list[Article], repeat: int = 5) -> tuple[float, float]:
    """The baseline: (wall, CPU) seconds of the content hashes of ``articles``, the best of
    ``repeat`` passes (a short pass on a shared machine is noisy: the fastest is the fair one)."""
    best = (float("inf"), float("inf"))
    for _ in range(repeat):
        t, cpu = time.perf_counter(), time.process_time()
        for a in articles:
            a.content_hash = compute_content_hash(a)
        best = min(best, (time.perf_counter() - t, time.process_time() - cpu))
    return best


def hash_passes(articles: list[Article], repeat: int = 1) -> list[tuple[float, float]]:
    """(wall, CPU) seconds of each of ``repeat`` passes computing the content hashes of
    ``articles``. The main run's baseline is the median of five passes spread through the
    clustering (one pass on a shared machine swings by a third between runs; the median is
    neither the luckiest nor the unluckiest)."""
    out = []
    for _ in range(repeat):
        t, cpu = time.perf_counter(), time.process_time()
        for a in articles:
            a.content_hash = compute_content_hash(a)
        out.append((time.perf_counter() - t, time.process_time() - cpu))
    return out


def cluster_templates(
    articles: list[Article], report_of: dict[str, str], config: DedupConfig
) -> tuple[float, float, float, int, int, int]:
    """(wall, CPU, slowest insert) seconds of clustering ``articles``; reports clustered
    whole, reports in all, clusters mixing reports."""
    gc.collect()
    clusterer = MemoryClusterer(config)
    slowest = 0.0
    t, cpu = time.perf_counter(), time.process_time()
    for start in range(0, len(articles), PAYLOAD):
        payload = articles[start : start + PAYLOAD]
        for a, sig in zip(payload, clusterer.signer.sign_many(payload), strict=True):
            started = time.perf_counter()
            clusterer.add(a.id, a.language, sig, _epoch(a.firstcreated))
            slowest = max(slowest, time.perf_counter() - started)
    total, total_cpu = time.perf_counter() - t, time.process_time() - cpu
    cluster_of = clusterer.cluster_of
    members: dict[str, set[str]] = {}
    for key, cluster in cluster_of.items():
        members.setdefault(cluster, set()).add(report_of[key])
    mixed = sum(1 for reports in members.values() if len(reports) > 1)
    by_report: dict[str, set[str | None]] = {}
    for a in articles:
        by_report.setdefault(report_of[a.id], set()).add(cluster_of.get(a.id))
    whole = sum(1 for c in by_report.values() if len(c) == 1 and None not in c)
    return total, total_cpu, slowest, whole, len(by_report), mixed


def template_run(n: int, unbounded: int) -> None:
    """Throughput and correctness of clustering N template reports (see the module doc),
    with the shipped ``max_judged`` and, on the first ``unbounded`` items, also with every
    candidate read and judged (as before the bound; judging still stops at the first join),
    each against the hash pass of the same items."""
    articles, report_of = templated(n)
    gc.collect()
    gc.freeze()
    print(f"template reports: {n} items in 3 languages, 3 copies of each report")
    runs = [("bounded", articles, DedupConfig())]
    if unbounded:
        everything = DedupConfig(max_judged=1_000_000)
        runs[:0] = [
            ("unbounded", articles[:unbounded], everything),
            ("bounded", articles[:unbounded], DedupConfig()),
        ]
    for name, items, config in runs:
        baseline, baseline_cpu = hash_pass(items)
        total, total_cpu, slowest, whole, reports, mixed = cluster_templates(
            items, report_of, config
        )
        k = "all" if config.max_judged >= 1_000_000 else config.max_judged
        m = len(items)
        print(
            f"{name:>9} (max_judged={k}), {m} items: {m / total:,.0f} articles/s "
            f"({m / total_cpu:,.0f}/s by CPU) against {m / baseline:,.0f}/s hashing: "
            f"{total / baseline:.0f}x wall, {total_cpu / baseline_cpu:.0f}x CPU; slowest insert "
            f"{slowest * 1e3:.1f} ms; reports clustered whole {whole}/{reports}, "
            f"clusters mixing reports {mixed}"
        )


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
    parser.add_argument("--template", type=int, default=0, help="time N template reports")
    parser.add_argument(
        "--unbounded", type=int, default=2000, help="--template: items also run unbounded"
    )
    args = parser.parse_args()
    if args.template:
        template_run(args.template, min(args.unbounded, args.template))
        return
    n = args.n
    t = time.perf_counter()
    articles, source_of = Generator().make(n)
    print(f"generated {n} articles ({len(source_of)} rewrites/updates) in "
          f"{time.perf_counter() - t:.1f}s; RSS {rss_mb():.0f} MB")  # fmt: skip

    # The baseline is sampled through the run (before it, and after a quarter, half, three
    # quarters and all of the articles are clustered): on a shared machine the load moves
    # during a run, and a pass timed only before the clustering would see another load.
    passes = hash_passes(articles, 1)

    # The generated corpus is the harness, not the index: keep the garbage collector from
    # walking its 100,000 articles during the timed loop (the daemon holds no such corpus).
    gc.collect()
    gc.freeze()
    config = DedupConfig()
    clusterer = MemoryClusterer(config)
    signer = clusterer.signer
    checkpoints = {n // 4, n // 2, n}
    hash_points = {n // 4, n // 2, 3 * n // 4, n}
    paused = paused_cpu = 0.0  # the hash passes inside the timed loop
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
            if i in hash_points:
                passes += hash_passes(articles, 1)
                paused += passes[-1][0]
                paused_cpu += passes[-1][1]
    total = time.perf_counter() - t - paused
    total_cpu = time.process_time() - cpu - paused_cpu
    baseline, baseline_cpu = (statistics.median(p) for p in zip(*passes, strict=True))

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
    cpus = sorted(cpu for _, cpu in passes)
    print(
        f"baseline (content hashes):  {n / baseline:>10,.0f} articles/s  ({baseline:.2f}s wall, "
        f"{n / baseline_cpu:,.0f}/s by CPU time; median of {len(passes)} passes, "
        f"{n / cpus[-1]:,.0f}-{n / cpus[0]:,.0f}/s)"
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
