"""How well the generic layer reads article bodies: the ScrapingHub article-extraction benchmark.

Run by hand (not a test): ``python benchmarks/extraction.py PATH`` where PATH holds the
benchmark's ``html/*.html.gz`` and ``ground-truth.json`` (public, not shipped: take them from
the scrapinghub/article-extraction-benchmark repository). Scores with the benchmark's own
metric: word 4-gram shingles per page, true/false positives and negatives normalised per
page, precision and recall averaged over pages, F1 of the two averages. Prints the score
of ``extract_entry`` (the generic layer, since no portal layout claims these pages) and of
trafilatura alone (``favor_precision=True, include_comments=False``) from the same run,
the pages below F1 0.5, and the time per page.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

import trafilatura

from tuban_crawler.extract import extract_entry

_TOKEN = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    """Return the word N-grams of TEXT with their counts (the benchmark's tokens: ``\\w+``)."""
    tokens = _TOKEN.findall(text or "")
    return Counter(
        tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n]
    )


def page_counts(true: str, predicted: str) -> tuple[float, float, float]:
    """Return (tp, fp, fn) of PREDICTED against TRUE, normalised to sum to 1 (every page weighs the same)."""
    expected, got = shingles(true), shingles(predicted)
    tp = sum((expected & got).values())
    fp = sum((got - expected).values())
    fn = sum((expected - got).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def page_f1(counts: tuple[float, float, float]) -> float:
    """Return the F1 of one page's COUNTS."""
    tp, fp, fn = counts
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def score(pages: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    """Return (F1, precision, recall) over PAGES: precision and recall averaged per page first."""
    precisions = [1.0 if fp == fn == 0 else tp / (tp + fp) for tp, fp, fn in pages if tp + fp > 0]
    recalls = [1.0 if fp == fn == 0 else tp / (tp + fn) for tp, fp, fn in pages if tp + fn > 0]
    precision = sum(precisions) / len(precisions)
    recall = sum(recalls) / len(recalls)
    return 2 * precision * recall / (precision + recall), precision, recall


def main() -> int:
    """Score both extractors on the benchmark at PATH and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path, help="folder with html/*.html.gz and ground-truth.json")
    parser.add_argument("--limit", type=int, help="score only the first N pages (a quick look)")
    args = parser.parse_args()
    truth_file = args.path / "ground-truth.json"
    if not truth_file.exists():
        print(f"no ground-truth.json in {args.path}", file=sys.stderr)
        return 1
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    keys = sorted(truth)[: args.limit] if args.limit else sorted(truth)
    ours, theirs, low = [], [], []
    ours_time = theirs_time = 0.0
    for key in keys:
        html = gzip.decompress((args.path / "html" / f"{key}.html.gz").read_bytes()).decode(
            "utf-8", "replace"
        )
        expected = truth[key].get("articleBody", "")
        started = time.perf_counter()
        entry = extract_entry(html, truth[key].get("url") or "https://example.org/")
        ours_time += time.perf_counter() - started
        counts = page_counts(expected, "\n".join(entry.paragraphs))
        ours.append(counts)
        if page_f1(counts) < 0.5:
            low.append((key, page_f1(counts), entry.sources.get("body")))
        started = time.perf_counter()
        text = trafilatura.extract(html, favor_precision=True, include_comments=False) or ""
        theirs_time += time.perf_counter() - started
        theirs.append(page_counts(expected, text))
    print(f"{len(keys)} pages")
    for name, pages, spent in (
        ("tuban-crawler generic layer", ours, ours_time),
        ("trafilatura alone", theirs, theirs_time),
    ):
        f1, precision, recall = score(pages)
        below = sum(page_f1(p) < 0.5 for p in pages)
        print(
            f"{name:<28} F1 {f1:.3f}  precision {precision:.3f}  recall {recall:.3f}  "
            f"pages below 0.5: {below}  {1000 * spent / len(keys):.0f} ms/page"
        )
    for key, f1, source in low:
        print(f"  below 0.5: {key[:16]} F1 {f1:.2f} (body from {source})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
