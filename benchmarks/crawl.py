"""The crawl's speed beside bare Scrapy's: the figure of issue 10.

Run by hand (not a test): ``python benchmarks/crawl.py [--articles 5000] [--runs 3] [--sizes 5000,20000]
[--requisites both|with|without]``. For each portal size it starts the test portal (default
theme), then alternates a bare Scrapy spider (``benchmarks/bare_spider.py``: the same walk, CSS
title/date/body, dicts, no pipelines) and ``tuban-crawler crawl --full`` into a fresh temporary
archive with WARC on, RUNS times each, both at CONCURRENT_REQUESTS=32 (per domain too),
AutoThrottle off, no delay, robots.txt obeyed; by default once with the articles' requisites
(photos, stylesheets...) and once without (issue 20: the requisites' requests cost both sides
the same, and pull the ratio toward 1).

Each run prints the 1-minute load average before it, its wall time, entries, requests,
entries/s, peak RSS (the crawl's process and its children together, and the crawl's own,
sampled), CPU share (user + system time over wall time, 100% being one core) and CPU per
article: the crawl's own process (Scrapy's thread, and its threads) and its children (the
project's writer, WARC and extraction workers) apart. The summary line per size and mode gives
the medians and the ratio project / bare, which is the figure; the portal runs in this process,
on the other core if there is one.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from tuban_crawler.portal import PortalServer

HERE = Path(__file__).resolve().parent
SAME_PACE = {
    "CONCURRENT_REQUESTS": "32",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "32",
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_DELAY": "0",
    "LOG_LEVEL": "WARNING",
}


@dataclass
class Run:
    """One measured crawl."""

    side: str
    load: float
    seconds: float
    entries: int
    requests: int
    peak_mb: float
    cpu_share: float
    returncode: int
    own_peak_mb: float = 0.0  # the crawl's own process
    own_cpu: float = 0.0  # CPU seconds of the crawl's own process
    children_cpu: float = 0.0  # CPU seconds of its children (the project's workers)

    @property
    def rate(self) -> float:
        """Return entries per second of wall time."""
        return self.entries / self.seconds if self.seconds else 0.0

    @property
    def own_ms(self) -> float:
        """Return the crawl's own CPU milliseconds per article."""
        return 1000 * self.own_cpu / self.entries if self.entries else 0.0

    @property
    def children_ms(self) -> float:
        """Return the CPU milliseconds per article of the crawl's children."""
        return 1000 * self.children_cpu / self.entries if self.entries else 0.0

    @property
    def total_ms(self) -> float:
        """Return the CPU milliseconds per article of the crawl and its children together."""
        return self.own_ms + self.children_ms


TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Sample:
    """One look at a process tree: resident memory (KiB) and CPU seconds so far, per process."""

    rss_kb: dict[int, int]
    cpu: dict[int, float]


def tree_sample(pid: int) -> Sample:
    """Return the resident memory and CPU time of process PID and of each of its descendants."""
    sample, pending = Sample({}, {}), [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            sample.rss_kb[current] = int(
                next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:"))
            )
            # Fields 14 and 15 (utime, stime), counted after the command's closing parenthesis.
            stat = Path(f"/proc/{current}/stat").read_text().rpartition(")")[2].split()
            sample.cpu[current] = (int(stat[11]) + int(stat[12])) / TICKS
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        except (OSError, StopIteration, ValueError, IndexError):
            continue
    return sample


def measure(side: str, command: list[str], cwd: Path) -> tuple[Run, str]:
    """Return the Run of COMMAND (entries still 0) and its standard output.

    Peak RSS is the largest sum over the crawl's process and its children (the project writes
    the archive and the WARC files, and extracts pages, in processes of their own), sampled
    every 0.1 s; CPU is theirs together (``os.wait4`` counts the children it reaped), the
    crawl's own being its last sample (its children's, the rest).
    """
    load = os.getloadavg()[0]
    started = time.monotonic()
    peak, own_peak, own_cpu = [0], [0], [0.0]
    with open(cwd / "stdout", "w+b") as out, open(cwd / "stderr", "w+b") as err:
        process = subprocess.Popen(command, stdout=out, stderr=err, cwd=cwd)
        done = threading.Event()

        def sample() -> None:
            while not done.wait(0.1):
                seen = tree_sample(process.pid)
                peak[0] = max(peak[0], sum(seen.rss_kb.values()))
                own_peak[0] = max(own_peak[0], seen.rss_kb.get(process.pid, 0))
                own_cpu[0] = max(own_cpu[0], seen.cpu.get(process.pid, 0.0))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        done.set()
        sampler.join()
        seconds = time.monotonic() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        stdout = out.read().decode("utf-8", "replace")
    cpu = usage.ru_utime + usage.ru_stime
    peak_mb = max(peak[0], usage.ru_maxrss) / 1024
    own = min(own_cpu[0], cpu)
    run = Run(side, load, seconds, 0, 0, peak_mb, cpu / seconds, process.returncode)
    run.own_peak_mb, run.own_cpu, run.children_cpu = own_peak[0] / 1024, own, cpu - own
    return run, stdout


def bare_run(base_url: str, folder: Path, requisites: bool) -> Run:
    """Return the measure of one bare-spider crawl of BASE_URL."""
    settings = [f"{k}={v}" for k, v in SAME_PACE.items()] + [f"REQUISITES={requisites}"]
    run, stdout = measure(
        "bare", [sys.executable, str(HERE / "bare_spider.py"), base_url, *settings], folder
    )
    lines = stdout.strip().splitlines()
    counts = json.loads(lines[-1]) if lines else {}
    run.entries, run.requests = counts.get("items", 0), counts.get("requests", 0)
    return run


#: More settings for the project's side (``--setting``), e.g. TUBAN_EXTRACT_WORKERS=0.
PROJECT_SETTINGS: dict[str, str] = {}


def project_run(base_url: str, folder: Path, requisites: bool) -> Run:
    """Return the measure of one ``tuban-crawler crawl --full`` of BASE_URL into a fresh archive in FOLDER."""
    db = folder / "archive.db"
    pace = {**SAME_PACE, "TUBAN_REQUISITES_ENABLED": str(requisites), **PROJECT_SETTINGS}
    settings = [arg for k, v in pace.items() for arg in ("-s", f"{k}={v}")]
    command = [
        sys.executable,
        "-m",
        "tuban_crawler.cli",
        "crawl",
        "--full",
        "--db",
        str(db),
        "--base-url",
        base_url,
        "--warc-dir",
        str(folder / "warc"),
        *settings,
    ]
    run, _ = measure("project", command, folder)
    if db.exists():
        connection = sqlite3.connect(db)
        try:
            (run.entries,) = connection.execute("select count(*) from articles").fetchone()
            (run.requests,) = connection.execute(
                "select coalesce(sum(requests), 0) from crawl_runs"
            ).fetchone()
        finally:
            connection.close()
    return run


def show(run: Run) -> str:
    """Return one line for RUN."""
    flag = "" if run.returncode == 0 else f"  (exit {run.returncode})"
    return (
        f"  {run.side:<8} load {run.load:5.2f}  {run.seconds:7.1f} s  {run.entries:>6} entries {run.requests:>6} requests  {run.rate:6.1f}/s"
        f"  peak {run.peak_mb:6.1f} MB (own {run.own_peak_mb:5.1f})  cpu {run.cpu_share:4.0%}"
        f"  ms/article own {run.own_ms:5.2f} children {run.children_ms:5.2f}{flag}"
    )


def bench_size(articles: int, runs: int, modes: list[bool]) -> dict[bool, list[Run]]:
    """Return the runs of both sides per mode (with requisites or not), alternated, on a portal of ARTICLES articles."""
    done: dict[bool, list[Run]] = {mode: [] for mode in modes}
    with PortalServer(articles=articles, seed=3) as portal:
        print(f"portal of {articles} articles at {portal.base_url}", flush=True)
        for requisites in modes:
            print(f" {'with' if requisites else 'without'} requisites", flush=True)
            for _ in range(runs):
                for runner in (bare_run, project_run):
                    with tempfile.TemporaryDirectory(prefix="tuban-bench-") as folder:
                        done[requisites].append(runner(portal.base_url, Path(folder), requisites))
                    print(show(done[requisites][-1]), flush=True)
    return done


def summary(articles: int, requisites: bool, done: list[Run]) -> str:
    """Return the medians of both sides and their ratio."""

    def median(side: str, field: str) -> float:
        return statistics.median(getattr(r, field) for r in done if r.side == side)

    bare, project = median("bare", "rate"), median("project", "rate")
    bare_ms = median("bare", "total_ms")
    project_ms = median("project", "total_ms")
    return (
        f"{articles:>6} articles {'with' if requisites else 'without':>7} requisites:"
        f" bare {bare:6.1f}/s, project {project:6.1f}/s, ratio {project / bare:.2f}"
        f"  (peak RSS bare {median('bare', 'peak_mb'):.0f} MB, project {median('project', 'peak_mb'):.0f} MB;"
        f" cpu bare {median('bare', 'cpu_share'):.0%}, project {median('project', 'cpu_share'):.0%};"
        f" ms/article bare {bare_ms:.2f}, project {project_ms:.2f}"
        f" = crawl {median('project', 'own_ms'):.2f} + workers {median('project', 'children_ms'):.2f},"
        f" {project_ms / bare_ms if bare_ms else 0:.2f}x)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--articles", type=int, default=5000, help="portal size (default: %(default)s)"
    )
    parser.add_argument(
        "--sizes", help="comma-separated portal sizes instead, e.g. 2000,5000,20000"
    )
    parser.add_argument(
        "--runs", type=int, default=3, help="runs of each side per size (default: %(default)s)"
    )
    parser.add_argument(
        "--requisites",
        choices=("both", "with", "without"),
        default="both",
        help="whether both sides fetch the articles' photos and stylesheets (default: %(default)s,"
        " one line each)",
    )
    parser.add_argument(
        "--no-requisites",
        dest="requisites",
        action="store_const",
        const="without",
        help="the same as --requisites without",
    )
    parser.add_argument(
        "--setting",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a setting of the project's side, e.g. TUBAN_EXTRACT_WORKERS=0 (repeatable)",
    )
    args = parser.parse_args()
    PROJECT_SETTINGS.update(pair.split("=", 1) for pair in args.setting)
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else [args.articles]
    modes = {"both": [True, False], "with": [True], "without": [False]}[args.requisites]
    print(f"{os.cpu_count()} cores; medians of {args.runs} alternated runs per side", flush=True)
    lines = []
    for articles in sizes:
        runs = bench_size(articles, args.runs, modes)
        for requisites in modes:
            lines.append(summary(articles, requisites, runs[requisites]))
            print(lines[-1], flush=True)
    print(
        "\n".join(
            ["", "ratio = project entries/s over bare entries/s (median of each side):", *lines]
        )
    )


if __name__ == "__main__":
    main()
