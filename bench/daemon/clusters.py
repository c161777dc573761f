"""How the bench's generated stories cluster, without a daemon: ``python bench/daemon/clusters.py``.

Builds the stories ``server.py`` serves (the same words, seeds and parts: headline, lead, four
paragraphs) for the first N items and clusters them in memory with the production judge
(``wire.ingest.dedup.MemoryClusterer``), then prints the number of clusters, the largest and
the rules that joined. Before session 9 every story joined one cluster (German nouns read as
shared names); ``--lowercase`` serves them as ``server.py --lowercase`` does.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from server import WORDS  # noqa: E402

from wire.config import DedupConfig  # noqa: E402
from wire.ingest.dedup import MemoryClusterer  # noqa: E402


def story(feed: int, n: int, lowercase: bool = False) -> tuple[str, str, str]:
    """Headline, lead and body of item ``n`` of feed ``feed`` (as ``server.item_xml``)."""
    rnd = random.Random(feed * 100_003 + n)
    words = [rnd.choice(WORDS) for _ in range(160)]
    if lowercase:
        words = [w.lower() for w in words]
    title = " ".join(words[:7]).capitalize()
    lead = " ".join(words[7:35]) + "."
    body = "\n\n".join(" ".join(words[i : i + 40]) + "." for i in range(35, 160, 40))
    return title, lead, body


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stories", type=int, default=3000)
    ap.add_argument("--sources", type=int, default=2000)
    ap.add_argument("--lowercase", action="store_true")
    args = ap.parse_args()
    clusterer = MemoryClusterer(DedupConfig())
    rules: Counter[str] = Counter()
    for k in range(args.stories):
        parts = story(k % args.sources, k // args.sources, args.lowercase)
        sig = clusterer.signer.sign_text(*parts, "de")
        joined = clusterer.add(f"s{k}", "de", sig, 0.0)
        if joined is not None:
            rules[str((joined.reason or {}).get("rule"))] += 1
    sizes = Counter(clusterer.cluster_of.values())
    print(
        f"{args.stories} stories: {len(sizes)} clusters, largest {max(sizes.values(), default=0)}"
        f", {sum(sizes.values())} stories in clusters; joined by {dict(rules)}"
    )


if __name__ == "__main__":
    main()
