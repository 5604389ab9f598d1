"""Benchmark: tuban_crawler.dates.parse_date against plain dateparser on portal-shaped strings.

Run `python benchmarks/dates.py` from the repository root. It normalises 100,000 strings made
deterministically in the shapes the portal and its feeds write (mostly `26 July 2017 13:24`),
times plain `dateparser.parse(text, languages=["id", "en"])` on an evenly spread sample (it
manages a few hundred strings a second, so all 100,000 would take minutes) and extrapolates,
and prints both rates, the ratio, and the accuracy of both on the test table.
A benchmark, not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import collections
import datetime
import platform
import random
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.date_cases import CASES, dateparser_is_right, relative_base  # noqa: E402
from tuban_crawler.dates import parse_date  # noqa: E402

WIB = datetime.timezone(datetime.timedelta(hours=7))
ID_MONTHS = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]
ID_SHORT = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agt", "Sep", "Okt", "Nop", "Des"]
ID_DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
EN_DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
# Spelled out here rather than taken from `calendar`, whose names follow the locale.
EN_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
NUMBER_WORDS = {1: "satu", 2: "dua", 3: "tiga", 4: "empat", 5: "lima"}

# (share of the strings, shape name); the portal's own format dominates a crawl.
MIX = [
    (0.70, "portal"),
    (0.06, "in-text weekday"),
    (0.06, "Indonesian month"),
    (0.04, "RSS"),
    (0.04, "ISO"),
    (0.05, "relative"),
    (0.03, "time"),
    (0.02, "numeric"),
]


def _make_one(rng: random.Random) -> tuple[str, str | None, str, str]:
    """Return (text, reference, expected ISO value, shape) for one portal-shaped string."""
    moment = datetime.datetime(2010, 1, 1, tzinfo=WIB) + datetime.timedelta(
        minutes=rng.randrange(16 * 365 * 24 * 60)
    )
    day = moment.date()
    ref = moment + datetime.timedelta(hours=rng.randrange(1, 72))
    shape = rng.choices([s for _, s in MIX], weights=[w for w, _ in MIX])[0]
    hm = f"{moment:%H:%M}"
    at = moment.replace(second=0).isoformat()
    if shape == "portal":
        return f"{day.day:02d} {EN_MONTHS[day.month - 1]} {day.year} {hm}", None, at, shape
    if shape == "in-text weekday":
        weekday = ID_DAYS[day.weekday()]
        form = rng.randrange(3)
        if form == 0:
            return f"{weekday} ({day.day}/{day.month:02d})", ref.isoformat(), day.isoformat(), shape
        if form == 1:
            return f"{weekday} ({day.day}/{day.month}/{day.year})", None, day.isoformat(), shape
        return f"{weekday} sore ({day.day}/{day.month}/{day.year})", None, day.isoformat(), shape
    if shape == "Indonesian month":
        form = rng.randrange(3)
        if form == 0:
            text = f"{ID_DAYS[day.weekday()]}, {day.day} {ID_MONTHS[day.month - 1]} {day.year} {hm} WIB"
            return text, None, at, shape
        if form == 1:
            return f"{day.day} {ID_SHORT[day.month - 1]} {day.year}", None, day.isoformat(), shape
        text = f"Tubankab - {day.day} {ID_MONTHS[day.month - 1]} {day.year}"
        return text, None, day.isoformat(), shape
    if shape == "RSS":
        utc = moment.astimezone(datetime.timezone.utc)
        text = f"{EN_DAYS[utc.weekday()]}, {utc:%d} {EN_MONTHS[utc.month - 1][:3]} {utc:%Y %H:%M:%S} +0000"
        return text, None, utc.replace(second=0).isoformat(), shape
    if shape == "ISO":
        return moment.replace(second=0).isoformat(), None, at, shape
    if shape == "relative":
        n = rng.randrange(1, 6)
        form = rng.randrange(4)
        if form == 0:
            return (
                f"{n} jam yang lalu",
                ref.isoformat(),
                (ref - datetime.timedelta(hours=n)).isoformat(),
                shape,
            )
        if form == 1:
            return (
                f"{n} hari lalu",
                ref.isoformat(),
                (ref.date() - datetime.timedelta(days=n)).isoformat(),
                shape,
            )
        if form == 2:
            text = f"{NUMBER_WORDS[n]} hari yang lalu"
            return (
                text,
                ref.isoformat(),
                (ref.date() - datetime.timedelta(days=n)).isoformat(),
                shape,
            )
        return (
            "kemarin",
            ref.isoformat(),
            (ref.date() - datetime.timedelta(days=1)).isoformat(),
            shape,
        )
    if shape == "time":
        text = f"pukul {moment:%H.%M} WIB"
        expected = datetime.datetime.combine(ref.date(), moment.time(), WIB).isoformat()
        return text, ref.isoformat(), expected, shape
    return f"{day.day:02d}/{day.month:02d}/{day.year}", None, day.isoformat(), shape


def make_strings(count: int, seed: int = 20170726) -> list[tuple[str, str | None, str, str]]:
    """Return COUNT portal-shaped (text, reference, expected, shape) rows, the same every run."""
    rng = random.Random(seed)
    return [_make_one(rng) for _ in range(count)]


def time_ours(
    rows: list[tuple[str, str | None, str, str]], repeat: int
) -> tuple[float, int, collections.Counter[str]]:
    """Return (best seconds of REPEAT runs, correct answers, methods used) for parse_date over ROWS."""
    # The timed loop keeps no results, as a crawl does not (and as the dateparser loop below);
    # holding 100,000 results would time the garbage collector too. Checking is a second pass.
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        for text, reference, _, _ in rows:
            parse_date(text, reference)
        timings.append(time.perf_counter() - start)
    elapsed = min(timings)
    methods: collections.Counter[str] = collections.Counter()
    correct = 0
    for text, reference, expected, _ in rows:
        parsed = parse_date(text, reference)
        methods[parsed.method] += 1
        correct += parsed.isoformat() == expected
    return elapsed, correct, methods


def time_dateparser(texts: list[str], repeat: int) -> float:
    """Return the best seconds of REPEAT runs of plain dateparser.parse over TEXTS (after a warm-up)."""
    import dateparser

    dateparser.parse("26 July 2017 13:24", languages=["id", "en"])  # loads its language data
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        for text in texts:
            dateparser.parse(text, languages=["id", "en"])
        timings.append(time.perf_counter() - start)
    return min(timings)


def table_accuracy() -> tuple[int, int]:
    """Return (ours, plain dateparser's) correct answers on the test table.

    dateparser gets RELATIVE_BASE set to each case's reference, and is judged leniently
    (a date case is right when its day is; see `date_cases.dateparser_is_right`).
    """
    import dateparser

    ours = sum(parse_date(c.text, c.reference).isoformat() == c.expected for c in CASES)
    theirs = 0
    for case in CASES:
        base = relative_base(case.reference)
        value = dateparser.parse(
            case.text, languages=["id", "en"], settings={"RELATIVE_BASE": base} if base else None
        )
        theirs += dateparser_is_right(case, value)
    return ours, theirs


def main(argv: list[str] | None = None) -> int:
    """Return 0 after printing the benchmark report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--count", type=int, default=100_000, help="strings for ours (default 100000)"
    )
    parser.add_argument(
        "--sample", type=int, default=2_000, help="strings for dateparser (default 2000)"
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of each timing; the best counts (default 3)"
    )
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")  # a benchmark report, not a test of dateparser's deprecations

    import dateparser

    rows = make_strings(args.count)
    shapes = collections.Counter(shape for *_, shape in rows)
    print(
        f"tuban-crawler dates benchmark (Python {platform.python_version()}, dateparser {dateparser.__version__})"
    )
    print(
        f"{len(rows):,} portal-shaped strings: "
        + ", ".join(f"{shape} {n / len(rows):.0%}" for shape, n in shapes.most_common())
    )

    for text, reference, _, _ in rows[:100]:
        parse_date(text, reference)  # warm-up
    ours_seconds, ours_correct, methods = time_ours(rows, args.repeat)
    ours_rate = len(rows) / ours_seconds
    print(f"timings: the best of {args.repeat} runs each (other processes share this machine)")
    print(
        f"ours:       {len(rows):>7,} strings in {ours_seconds:7.2f} s -> {ours_rate:>10,.0f} strings/s"
        f"   (paths: {', '.join(f'{m} {n:,}' for m, n in methods.most_common())})"
    )

    step = max(1, len(rows) // args.sample)
    sample = [text for text, *_ in rows[::step]][: args.sample]
    dp_seconds = time_dateparser(sample, args.repeat)
    dp_rate = len(sample) / dp_seconds
    print(
        f"dateparser: {len(sample):>7,} strings in {dp_seconds:7.2f} s -> {dp_rate:>10,.0f} strings/s"
        f"   (an evenly spread sample; extrapolated to {len(rows):,}: {len(rows) / dp_rate:,.0f} s)"
    )
    print(
        f"ratio: ours is {ours_rate / dp_rate:,.0f}x faster than plain dateparser (target: at least 100x)"
    )

    ours_table, dp_table = table_accuracy()
    print(
        f"accuracy on the test table ({len(CASES)} cases in tests/date_cases.py): "
        f"ours {ours_table}/{len(CASES)} ({ours_table / len(CASES):.1%}), "
        f"plain dateparser {dp_table}/{len(CASES)} ({dp_table / len(CASES):.1%}) "
        f"with RELATIVE_BASE = the case's reference"
    )
    print(f"self-check: ours gave the generated value for {ours_correct:,}/{len(rows):,} strings")
    return 0


if __name__ == "__main__":
    sys.exit(main())
