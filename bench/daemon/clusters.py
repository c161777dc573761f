"""How the bench's stories cluster, without a daemon: ``python bench/daemon/clusters.py``.

Builds the items ``server.py`` serves in the cold cycle (the same feeds, seeds and parts:
headline, lead, paragraphs; each in its feed's language) and clusters them in memory with the
production judge (``wire.ingest.dedup.MemoryClusterer``) in the cold cycle's order (feed by
feed, each feed's items oldest first), then prints the number of clusters, their sizes and
the rules that joined. ``--feeds vocabulary`` builds the feeds of sessions 1-13: before
session 9 every one of their stories joined one cluster (German nouns read as shared names);
``--lowercase`` serves them as ``server.py --lowercase`` does. ``--stories N`` stops after N.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from server import FEEDS, Feeds, feed_language  # noqa: E402

from wire.config import DedupConfig  # noqa: E402
from wire.ingest import dedup  # noqa: E402
from wire.ingest.dedup import MemoryClusterer  # noqa: E402


def count_candidates(counts: list[int]) -> None:
    """Note how many candidates the index hands the matcher for each article (its LSH
    buckets and rare keys): the bench's cost driver (bench/daemon/README.md, session 14)."""
    found = dedup._LanguageIndex.candidates

    def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
        slots, rare = found(self, *args, **kwargs)
        counts.append(len(slots))
        return slots, rare

    dedup._LanguageIndex.candidates = counted  # type: ignore[method-assign]


def cold_items(feeds: Feeds) -> list[tuple[int, int]]:
    """(feed, n) of every item of the cold cycle, in the order it stores them."""
    out = []
    for f in range(feeds.sources):
        size = feeds.size if f in feeds.fresh else feeds.stable_size
        out += [(f, n) for n in range(size)]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--feeds", choices=FEEDS, default="wire")
    ap.add_argument("--stories", type=int, default=0, help="the first N items only (0: all)")
    ap.add_argument("--sources", type=int, default=2000)
    ap.add_argument("--lowercase", action="store_true")
    args = ap.parse_args()
    feeds = Feeds(args.sources, 0.25, 5, 20, 1, args.lowercase, args.feeds)
    items = cold_items(feeds)[: args.stories or None]
    candidates: list[int] = []
    count_candidates(candidates)
    clusterer = MemoryClusterer(DedupConfig())
    rules: Counter[str] = Counter()
    index_cpu = 0.0  # matching and indexing, as the store thread does (signing is the workers')
    for f, n in items:
        title, lead, paras = feeds.story(f, n)
        lang = feed_language(f, args.feeds)
        sig = clusterer.signer.sign_text(title, lead, "\n\n".join(paras), lang)
        started = time.thread_time()
        joined = clusterer.add(f"{f}:{n}", lang, sig, 0.0)
        index_cpu += time.thread_time() - started
        if joined is not None:
            rules[str((joined.reason or {}).get("rule"))] += 1
    sizes = Counter(clusterer.cluster_of.values())
    histogram = sorted(Counter(sizes.values()).items())
    print(
        f"{len(items)} items ({args.feeds} feeds): {len(sizes)} clusters, largest "
        f"{max(sizes.values(), default=0)}, {sum(sizes.values())} items in clusters; "
        f"clusters by size {dict(histogram)}; joined by {dict(rules)}; candidates an "
        f"article {statistics.mean(candidates or [0]):.1f} (mean over {len(candidates)} "
        f"look-ups, median {statistics.median(candidates or [0]):g}); index work (match and "
        f"insert) {index_cpu:.2f} s CPU, {index_cpu / max(len(items), 1) * 1e6:.0f} us an item"
    )


if __name__ == "__main__":
    main()
