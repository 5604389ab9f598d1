"""The fixity audit's speed beside ``sha256sum`` of the same files: the figure of issue 23.

Run by hand (not a test): ``python benchmarks/verify.py [--articles 20000] [--db /tmp/archive-verify/archive.db] [--runs 3]``.
Without an archive at ``--db`` it builds one as ``benchmarks/crawl.py`` does: the test portal
(default theme, page requisites on) crawled in full by ``tuban-crawler crawl`` with WARC on, at
CONCURRENT_REQUESTS=32, no delay. Then, RUNS times each, alternating, on warm files:

- ``sha256sum`` of every WARC file and ``index.cdxj`` (what a plain fixity check costs);
- ``tuban-crawler verify`` as a user runs it (a process of its own, interpreter start included):
  every gzip member inflated, every block and payload digest computed again, the files' sha256,
  every row and index line checked, ``integrity_check``, the events written.

It prints the MB and files read, each run's wall time, and the medians: verify's MB/s and the
ratio verify / sha256sum, which the issue bounds at 2.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from tuban_crawler.portal import PortalServer

SAME_PACE = [
    "-s",
    "CONCURRENT_REQUESTS=32",
    "-s",
    "CONCURRENT_REQUESTS_PER_DOMAIN=32",
    "-s",
    "AUTOTHROTTLE_ENABLED=False",
    "-s",
    "DOWNLOAD_DELAY=0",
    "-s",
    "LOG_LEVEL=WARNING",
]


def build(db: Path, articles: int) -> None:
    """Crawl a portal of ARTICLES articles into DB (WARC files beside it, in ``warc/``)."""
    db.parent.mkdir(parents=True, exist_ok=True)
    began = time.monotonic()
    with PortalServer(articles=articles) as portal:
        command = [
            sys.executable,
            "-m",
            "tuban_crawler.cli",
            "crawl",
            "--full",
            "--db",
            str(db),
            "--warc-dir",
            str(db.parent / "warc"),
            "--base-url",
            portal.base_url,
            *SAME_PACE,
        ]
        done = subprocess.run(command, capture_output=True, text=True)
    print(f"built {db} in {time.monotonic() - began:.0f} s (exit {done.returncode})")
    if done.returncode != 0:
        print(done.stdout[-2000:], done.stderr[-2000:], file=sys.stderr)


def timed(command: list[str]) -> tuple[float, float, int]:
    """Return (wall seconds, CPU seconds, exit status) of COMMAND, its output discarded.

    CPU time (user + system) is the steadier figure on a shared machine: wall time there
    measures the neighbours too.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.monotonic()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.monotonic() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    db = args.db or Path(f"/tmp/archive-verify-{args.articles}/archive.db")
    if not db.exists():
        build(db, args.articles)
    warc_dir = db.parent / "warc"
    files = sorted(str(path) for path in warc_dir.glob("*.warc.gz")) + [
        str(warc_dir / "index.cdxj")
    ]
    size = sum(os.path.getsize(name) for name in files)
    articles = subprocess.run(
        ["sqlite3", str(db), "select count(*) from articles"], capture_output=True, text=True
    ).stdout.strip()
    print(f"{articles} articles; {len(files) - 1} WARC files and the index: {size / 1e6:,.1f} MB")
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    verify = [sys.executable, "-m", "tuban_crawler.cli", "verify", "--db", str(db)]
    verify += ["--warc-dir", str(warc_dir)]
    sha: list[tuple[float, float]] = []
    ours: list[tuple[float, float]] = []
    timed(["sha256sum", *files])  # warm the page cache for both
    for run in range(args.runs):
        wall, cpu, status = timed(["sha256sum", *files])
        sha.append((wall, cpu))
        print(f"run {run + 1}: sha256sum {wall:.2f} s wall, {cpu:.2f} s CPU", end="; ")
        wall, cpu, status = timed(verify)
        ours.append((wall, cpu))
        print(
            f"verify {wall:.2f} s wall, {cpu:.2f} s CPU (exit {status}, load {os.getloadavg()[0]:.2f})"
        )
    for index, kind in ((0, "wall"), (1, "CPU")):
        theirs = statistics.median(run[index] for run in sha)
        mine = statistics.median(run[index] for run in ours)
        print(
            f"median {kind}: sha256sum {theirs:.2f} s ({size / 1e6 / theirs:,.0f} MB/s), "
            f"verify {mine:.2f} s ({size / 1e6 / mine:,.0f} MB/s): "
            f"verify / sha256sum = {mine / theirs:.2f}"
        )


if __name__ == "__main__":
    main()
