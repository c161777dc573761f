"""HTML benchmark: the ``html`` adapter against bare ``trafilatura.extract`` on the same pages.

    python bench/html/run.py [--pages DIR] [--show CLASS]

Pages are the generated failure-class pages of ``pages.py`` (every story of ``stories.py`` in
every class), plus the bundled ``samples/pages`` with their gold in ``samples_gold.json``, or
the pages in DIR (``NAME.html`` with ``NAME.json`` gold, as ``pages.py --write`` makes them).
Both extractors run on the same bytes in the same run. Printed per page class: token F1 of
the text a reader gets (lead + body) for the adapter and for trafilatura, and for the adapter
alone how often headline, lead and body came out exactly, and how many picture credits it found.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import trafilatura

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.html.pages import pages
from wire.adapters.base import FeedSettings
from wire.adapters.html import ADAPTER
from wire.record import Article

HERE = Path(__file__).resolve().parent
SAMPLES = HERE.parents[1] / "samples" / "pages"
_TOKEN = re.compile(r"\w+")
_CREDIT_NOISE = re.compile(r"^(?:©|\(c\)|foto:|photo:|bild:)\s*|[()]", re.IGNORECASE)


def tokens(text: str) -> Counter[str]:
    return Counter(t.casefold() for t in _TOKEN.findall(text))


def f1(predicted: str, gold: str) -> float:
    p, g = tokens(predicted), tokens(gold)
    common = sum((p & g).values())
    if not common:
        return 1.0 if not p and not g else 0.0
    precision, recall = common / sum(p.values()), common / sum(g.values())
    return 2 * precision * recall / (precision + recall)


def same_credit(found: str | None, gold: str) -> bool:
    norm = lambda s: _CREDIT_NOISE.sub("", s).strip().casefold()  # noqa: E731
    return found is not None and norm(found) == norm(gold)


def load(folder: Path | None) -> list[tuple[str, dict[str, Any]]]:
    if folder is None:
        bundled = json.loads((HERE / "samples_gold.json").read_text(encoding="utf-8"))
        extra = [((SAMPLES / name).read_text(encoding="utf-8"), g) for name, g in bundled.items()]
        return pages() + extra
    return [
        (p.read_text(encoding="utf-8"), json.loads(p.with_suffix(".json").read_text("utf-8")))
        for p in sorted(folder.glob("*.html"))
    ]


def score(html: str, gold: dict[str, Any]) -> dict[str, float]:
    data = html.encode("utf-8")
    gold_text = "\n\n".join([gold["lead"] or "", *gold["body"]]).strip()
    baseline = trafilatura.extract(data) or ""
    results = ADAPTER.parse(data, FeedSettings(location=gold.get("url")))
    article = results[0] if results and isinstance(results[0], Article) else None
    if article is None:
        return {"adapter": 0.0, "trafilatura": f1(baseline, gold_text), "headline": 0,
                "lead": 0, "body": 0, "credits": 0, "pictures": len(gold["credits"])}  # fmt: skip
    text = "\n\n".join([article.lead or "", article.body_text]).strip()
    credits = {img.href: img.credit for img in article.images}
    return {
        "adapter": f1(text, gold_text),
        "trafilatura": f1(baseline, gold_text),
        "headline": int(article.headline == gold["headline"]),
        "lead": int(article.lead == gold["lead"]),
        "body": int(article.body_text.split("\n\n") == gold["body"]),
        "credits": sum(same_credit(credits.get(href), c) for href, c in gold["credits"].items()),
        "pictures": len(gold["credits"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=Path, help="folder of NAME.html + NAME.json gold pages")
    parser.add_argument("--show", help="print each page's scores in this class")
    args = parser.parse_args()
    by_class: dict[str, list[dict[str, float]]] = defaultdict(list)
    for html, gold in load(args.pages):
        scores = score(html, gold)
        by_class[gold["class"]].append(scores)
        if args.show in (gold["class"], "all"):
            print(gold["id"], {k: round(v, 3) for k, v in scores.items()})
    header = f"{'class':<20} {'pages':>5} {'adapter F1':>10} {'trafilatura F1':>14} {'ratio':>6}"
    print(header + f" {'headline':>8} {'lead':>5} {'body':>5} {'credits':>8}")
    everything = [s for rows in by_class.values() for s in rows]
    for name, rows in [*sorted(by_class.items()), ("all", everything)]:
        mean = lambda key, rows=rows: sum(r[key] for r in rows) / len(rows)  # noqa: E731
        total = lambda key, rows=rows: int(sum(r[key] for r in rows))  # noqa: E731
        ratio = mean("adapter") / mean("trafilatura") if mean("trafilatura") else float("inf")
        n = len(rows)
        print(
            f"{name:<20} {n:>5} {mean('adapter'):>10.3f} {mean('trafilatura'):>14.3f}"
            f" {ratio:>6.3f} {total('headline'):>5}/{n:<2} {total('lead'):>2}/{n:<2}"
            f" {total('body'):>2}/{n:<2} {total('credits'):>4}/{total('pictures'):<3}"
        )


if __name__ == "__main__":
    main()
