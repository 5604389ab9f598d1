"""How well ``tuban-crawler extract`` reads real pages no one here wrote, beside htmldate and trafilatura.

Run by hand (not a test): ``python benchmarks/real_pages.py PATH`` where PATH is a folder
holding ``evaldata.json`` and the pages it names (under ``cache/``, ``eval/`` or beside it),
or the JSON file itself. The development set is trafilatura's own evaluation data (its
repository's ``tests/evaldata.json``, ``tests/eval/`` and ``tests/cache/``: public, not
shipped; copy them to a folder outside the project). Each entry is
``url -> {"file", "title", "date", "author", "with", "without"}``; a field that is absent is
not scored for that page, one that is empty says the page has none.

Scores, for us (``extract_entry``, then the normalise and validate steps, as ``extract FILE``
does), htmldate (``find_date``: the day only) and trafilatura (``bare_extraction`` with
metadata), all from the same run:

- title: equal after folding case and white space;
- day: the publication day equals the ground truth's;
- time to the minute: where the ground truth gives a time; trafilatura's data gives days only,
  so the times come from ``--times FILE`` (default ``benchmarks/data/real_pages_times.json``):
  the publication time each page shows its readers, checked by hand, with the offset it states
  (the reading is converted to that offset before comparing) or none (the reading's own
  wall-clock time is compared);
- wrong days: pages given a day that is not the ground truth's (a wrong date is worse than
  none: it gets archived and cited);
- author: the same names after folding case, white space and separators (``;``, ``,``,
  ``and``/``und``/``&``), on pages with a named author; and how many pages without an author
  were given one (an invented author is worse than none: it gets cited);
- body: trafilatura's own metric: ``with`` snippets found are true positives, ``without``
  snippets found false positives; precision, recall and F1 over all snippets.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

_SPACE = re.compile(r"\s+")
_NAME_SEPARATORS = re.compile(r"\s*(?:;|,|&|\band\b|\bund\b|\bet\b|\bdan\b|\by\b)\s*", re.I)


def fold(text: str | None) -> str:
    """Return TEXT folded for comparison: NFKC, case, white space, outer punctuation."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    return _SPACE.sub(" ", text).strip(" .,:;|-–—\"'“”«»")


def names(value: Any) -> frozenset[str]:
    """Return the set of folded names in an author VALUE (a string or a list)."""
    parts = value if isinstance(value, list) else [value or ""]
    found = set()
    for part in parts:
        for name in _NAME_SEPARATORS.split(str(part)):
            if fold(name):
                found.add(fold(name))
    return frozenset(found)


def snippet_counts(item: dict[str, Any], text: str | None) -> tuple[int, int, int]:
    """Return (tp, fp, fn) of the body TEXT against ITEM's with/without snippets."""
    folded = _SPACE.sub(" ", text or "")
    tp = sum(1 for w in item["with"] if _SPACE.sub(" ", w).strip() in folded)
    fp = sum(1 for w in item["without"] if _SPACE.sub(" ", w).strip() in folded)
    return tp, fp, len(item["with"]) - tp


@dataclass
class Reading:
    """What one tool read from one page (None: the tool does not read that field)."""

    title: str | None = None
    day: str | None = None
    minute: str | None = None
    instant: str | None = None  # the date and time as the tool gives it, with its offset if any
    author: str | None = None
    body: str | None = None


@dataclass
class Score:
    """One tool's running totals."""

    name: str
    fields: set[str]
    right: dict[str, int] = field(default_factory=dict)
    asked: dict[str, int] = field(default_factory=dict)
    invented: dict[str, int] = field(default_factory=dict)
    tp: int = 0
    fp: int = 0
    fn: int = 0
    seconds: float = 0.0
    misses: list[str] = field(default_factory=list)

    def count(self, what: str, asked: bool, right: bool = False, invented: bool = False) -> None:
        """Add one page's verdict on WHAT."""
        if asked:
            self.asked[what] = self.asked.get(what, 0) + 1
            self.right[what] = self.right.get(what, 0) + right
        self.invented[what] = self.invented.get(what, 0) + invented

    def cell(self, what: str) -> str:
        """Return the table cell for WHAT."""
        if what not in self.fields:
            return "-"
        asked = self.asked.get(what, 0)
        return f"{self.right.get(what, 0) / asked:.1%}" if asked else "n/a"

    def counts(self) -> str:
        """Return the raw counts (to add up the parts of a run split with --part)."""
        return (
            " ".join(f"{w} {self.right.get(w, 0)}/{n}" for w, n in sorted(self.asked.items()))
            + f" wrong-day {self.invented.get('wrong day', 0)}"
            + f" invented-author {self.invented.get('author', 0)} body tp {self.tp} fp {self.fp} fn {self.fn}"
        )

    def f1(self) -> tuple[float, float, float]:
        """Return the body's precision, recall and F1."""
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1


def read_ours(html: bytes, url: str) -> Reading:
    """Return what ``tuban-crawler extract`` reads from HTML."""
    from tuban_crawler.discover.urls import canonical_url
    from tuban_crawler.extract import extract_entry
    from tuban_crawler.items import ArticleItem
    from tuban_crawler.normalize.article import normalize_article
    from tuban_crawler.normalize.published import settle_published

    raw = extract_entry(html, url)
    item = ArticleItem(url=canonical_url(url), fetch={"fetched_url": url}, raw=raw)
    normalize_article(item)
    settle_published(item)
    record = item.record or {}
    published = record.get("published_at") or ""
    return Reading(
        title=record.get("title"),
        day=published[:10] or None,
        minute=published[:16] if "T" in published else None,
        instant=published or None,
        author=record.get("author"),
        body=record.get("body_text") or "\n".join(raw.paragraphs),
    )


def read_htmldate(html: bytes, url: str) -> Reading:
    """Return htmldate's publication date of HTML (its defaults: original date off, extensive search on)."""
    from htmldate import find_date

    found = find_date(html.decode("utf-8", "replace"), url=url, outputformat=INSTANT_FORMAT)
    return Reading(day=found[:10] if found else None, instant=found or None)


def read_trafilatura(html: bytes, url: str) -> Reading:
    """Return trafilatura's title, date, author and text of HTML (its benchmark's options)."""
    from trafilatura import bare_extraction
    from trafilatura.settings import set_date_params

    document = bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        date_extraction_params={**set_date_params(True), "outputformat": INSTANT_FORMAT},
    )
    if document is None:
        return Reading()
    get = document.get if isinstance(document, dict) else lambda k: getattr(document, k, None)
    date = get("date") or None
    return Reading(
        title=get("title"),
        day=date[:10] if date else None,
        instant=date,
        author=get("author"),
        body=get("text"),
    )


#: How htmldate and trafilatura are asked for a date: with its time and offset, when they find them.
INSTANT_FORMAT = "%Y-%m-%dT%H:%M:%S%z"

TOOLS = {
    "ours": (read_ours, {"title", "day", "minute", "author", "body"}),
    "htmldate": (read_htmldate, {"day", "minute"}),
    "trafilatura": (read_trafilatura, {"title", "day", "minute", "author", "body"}),
}
#: The hand-checked publication times of the development set's pages, when present.
TIMES = ROOT / "benchmarks" / "data" / "real_pages_times.json"


def load_times(path: Path | None) -> dict[str, dict[str, Any]]:
    """Return the hand-checked publication times at PATH by page file name (none without a file)."""
    if path is None or not path.is_file():
        return {}
    return {page["file"]: page for page in json.loads(path.read_text(encoding="utf-8"))["pages"]}


def same_minute(instant: str | None, truth: dict[str, Any]) -> bool:
    """Return True when INSTANT, a reading's date and time, shows TRUTH's day and time to the minute.

    With an offset in TRUTH the reading is converted to it; without, its wall-clock time is
    compared as written.

    >>> truth = {"day": "2020-01-20", "time": "06:05", "offset": "+00:00"}
    >>> same_minute("2020-01-20T07:05:00+01:00", truth), same_minute("2020-01-20T06:05:00+07:00", truth)
    (True, False)
    >>> same_minute("2020-01-20T06:05:00+07:00", {**truth, "offset": None}), same_minute("2020-01-20", truth)
    (True, False)
    """
    from datetime import datetime

    try:
        moment = datetime.fromisoformat(str(instant or ""))
    except ValueError:
        return False
    if "T" not in str(instant) and " " not in str(instant):
        return False  # a day without a time
    if truth.get("offset") and moment.tzinfo is not None:
        moment = moment.astimezone(
            datetime.fromisoformat(f"2000-01-01T00:00{truth['offset']}").tzinfo
        )
    return moment.strftime("%Y-%m-%d %H:%M") == f"{truth['day']} {truth['time']}"


def load(path: Path) -> tuple[dict[str, dict[str, Any]], Path]:
    """Return the ground truth at PATH and the folder its pages are under."""
    if path.is_dir():
        path = path / "evaldata.json"
    return json.loads(path.read_text(encoding="utf-8")), path.parent


def page_file(folder: Path, name: str) -> Path | None:
    """Return the saved page NAME under FOLDER (``cache/``, ``eval/`` or beside it), else None."""
    for sub in ("cache", "eval", "."):
        candidate = folder / sub / name
        if candidate.is_file():
            return candidate
    return None


def judge(
    score: Score,
    item: dict[str, Any],
    reading: Reading,
    label: str,
    shown_time: dict[str, Any] | None = None,
) -> None:
    """Add READING's verdicts against ITEM (the ground truth) to SCORE, and against SHOWN_TIME (the page's time) if any."""
    if "title" in item and item["title"]:
        right = fold(reading.title) == fold(item["title"])
        score.count("title", True, right)
        if not right and "title" in score.fields:
            score.misses.append(f"{label} title: {reading.title!r} != {item['title']!r}")
    gold_date = str(item.get("date") or "")
    if "date" in item:
        if gold_date:
            day = re.sub(r"\D", "-", gold_date[:10])
            score.count("day", True, reading.day == day)
            score.count("wrong day", False, invented=bool(reading.day) and reading.day != day)
            if reading.day != day and "day" in score.fields:
                score.misses.append(f"{label} day: {reading.day} != {day}")
            if shown_time is not None:
                right = same_minute(reading.instant, shown_time)
                score.count("minute", True, right)
                if not right and "minute" in score.fields:
                    score.misses.append(
                        f"{label} minute: {reading.instant} != {shown_time['day']} "
                        f"{shown_time['time']} {shown_time.get('zone') or ''}".rstrip()
                    )
            elif len(gold_date) >= 16 and gold_date[10] in "T ":
                score.count(
                    "minute", True, (reading.minute or "") == gold_date[:16].replace(" ", "T")
                )
        else:
            score.count("day", False, invented=bool(reading.day))
    if "author" in item:
        if item["author"]:
            right = names(reading.author) == names(item["author"])
            score.count("author", True, right)
            if not right and "author" in score.fields:
                score.misses.append(f"{label} author: {reading.author!r} != {item['author']!r}")
        else:
            score.count("author", False, invented=bool(reading.author))
            if reading.author and "author" in score.fields:
                score.misses.append(f"{label} author invented: {reading.author!r}")
    tp, fp, fn = snippet_counts(item, reading.body)
    score.tp, score.fp, score.fn = score.tp + tp, score.fp + fp, score.fn + fn


def main(argv: list[str] | None = None) -> int:
    """Return 0 after printing the scores of every tool on the pages at PATH."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path, help="evaldata.json, or the folder holding it")
    parser.add_argument("--limit", type=int, default=0, help="score only the first N pages")
    parser.add_argument("--tools", default="ours,htmldate,trafilatura", help="comma-separated")
    parser.add_argument("--misses", action="store_true", help="list our misses, page by page")
    parser.add_argument(
        "--part", default="1/1", help="K/N: score every Nth page from the Kth (runs side by side)"
    )
    parser.add_argument("--progress", action="store_true", help="say every 50 pages how far it is")
    parser.add_argument(
        "--times",
        type=Path,
        default=TIMES if TIMES.is_file() else None,
        help="the publication times the pages show, checked by hand (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    import logging

    logging.disable(logging.WARNING)  # the tools' warnings about odd pages are not the report
    if not args.path.exists():
        print(f"no ground truth at {args.path}", file=sys.stderr)
        return 2
    truth, folder = load(args.path)
    times = load_times(args.times)
    tools = [t for t in args.tools.split(",") if t in TOOLS]
    scores = {t: Score(t, TOOLS[t][1]) for t in tools}
    pages = 0
    part, parts = (int(n) for n in args.part.split("/"))
    chosen = sorted(truth.items())[: args.limit or None][part - 1 :: parts]
    for url, item in chosen:
        path = page_file(folder, item.get("file", ""))
        if path is None:
            continue
        html = path.read_bytes()
        pages += 1
        if args.progress and pages % 50 == 0:
            print(f"... {pages} pages", file=sys.stderr, flush=True)
        for tool in tools:
            start = time.perf_counter()
            try:
                reading = TOOLS[tool][0](html, url)
            except Exception as error:  # a crash is a miss on every field, as in production
                reading = Reading()
                scores[tool].misses.append(f"{path.name}: crashed: {type(error).__name__}: {error}")
            scores[tool].seconds += time.perf_counter() - start
            judge(scores[tool], item, reading, path.name, times.get(path.name))

    print(f"{pages} pages with ground truth from {args.path}")
    asked = scores[tools[0]].asked if tools else {}
    print(
        "scored: "
        + ", ".join(f"{w} on {asked.get(w, 0)}" for w in ("title", "day", "minute", "author"))
        + (
            " (no time in this ground truth and no --times: time to the minute is not measured here)"
            if not asked.get("minute")
            else ""
        )
    )
    print(
        f"{'tool':<12} {'title':>7} {'day':>7} {'wrong':>6} {'minute':>7} {'author':>7} {'invented':>9} "
        f"{'body P':>7} {'body R':>7} {'body F1':>7} {'s/page':>7}"
    )
    for score in scores.values():
        precision, recall, f1 = score.f1()
        body = "body" in score.fields
        invented = f"{score.invented.get('author', 0)}" if "author" in score.fields else "-"
        print(
            f"{score.name:<12} {score.cell('title'):>7} {score.cell('day'):>7} "
            f"{score.invented.get('wrong day', 0):>6} "
            f"{score.cell('minute'):>7} {score.cell('author'):>7} {invented:>9} "
            + (
                f"{precision:>7.3f} {recall:>7.3f} {f1:>7.3f}"
                if body
                else f"{'-':>7} {'-':>7} {'-':>7}"
            )
            + f" {score.seconds / max(pages, 1):>7.3f}"
        )
    print(
        "wrong: pages given a day that is not the ground truth's; minute: on the pages of --times"
    )
    print("invented: pages whose ground truth names no author that were given one")
    for score in scores.values():
        print(f"counts {score.name}: {score.counts()}")
    if args.misses and "ours" in scores:
        print("\n".join(scores["ours"].misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
