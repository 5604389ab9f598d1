"""The fixity audit's speed beside ``sha256sum`` of the same files: the figure of issue 23.

Run by hand (not a test): ``python benchmarks/verify.py [--articles 20000] [--db /tmp/archive-verify/archive.db] [--runs 3]``.
Without an archive at ``--db`` it builds one as ``benchmarks/crawl.py`` does: the test portal
(default theme, page requisites on) crawled in full by ``tuban-crawler crawl`` with WARC on, at
CONCURRENT_REQUESTS=32, no delay. Then, RUNS times each, alternating, on warm files:

- ``sha256sum`` of every WARC file and ``index.cdxj`` (what a plain fixity check costs);
- ``tuban-crawler verify`` as a user runs it (a process of its own, interpreter start included):
  every gzip member inflated, every block and payload digest computed again, the files' sha256,
  every row and index line checked, ``integrity_check``, the events written.

It prints the MB and files read, each run's wall and CPU time and the load average, and the
medians: verify's MB/s and the ratio verify / sha256sum, which the issue bounds at 2. Then the
floor, measured in this process on the same files: what the interpreter's start and verify's
imports cost, and what inflating every gzip member (ISA-L and zlib) and computing each record's
two digests cost with nothing else done: no check can go below their sum.
"""

from __future__ import annotations

import argparse
import hashlib
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


def members(data: bytes, inflate: object) -> list[bytes]:
    """Return DATA's gzip members inflated with INFLATE (zlib's API), in 2 kB slices as verify does."""
    view, fed, out = memoryview(data), 0, []
    while fed < len(view):
        decompressor = inflate.decompressobj(31)  # type: ignore[attr-defined]
        parts = []
        while not decompressor.eof and fed < len(view):
            piece = view[fed : fed + 2048]
            parts.append(decompressor.decompress(piece))
            fed += len(piece) - len(decompressor.unused_data)
        out.append(b"".join(parts))
    return out


def floor(warc_files: list[str], python: str) -> None:
    """Print what no verify can go below: its start, inflating every member, two digests a record."""
    import zlib

    from isal import isal_zlib

    _, cpu, _ = timed([python, "-c", "import tuban_crawler.cli, tuban_crawler.fixity.audit"])
    print(f"floor: interpreter start and imports {cpu:.2f} s CPU", end="")
    for name, inflate in (("ISA-L", isal_zlib), ("zlib", zlib)):
        began, inflated = time.process_time(), 0
        for warc in warc_files:
            inflated += len(blocks := members(Path(warc).read_bytes(), inflate))
        print(
            f"; inflating {inflated:,} members ({name}) {time.process_time() - began:.2f} s", end=""
        )
    began = time.process_time()
    for block in blocks:  # the block's digest and the payload's (about the block's size)
        hashlib.sha1(block).digest()
        hashlib.sha1(block).digest()
    print(f"; two sha1 a record {time.process_time() - began:.2f} s (of the last file)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--runs", type=int, default=5)
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
    print(f"load average after: {os.getloadavg()[0]:.2f}; {os.cpu_count()} cores")
    floor(files[:-1], sys.executable)


if __name__ == "__main__":
    main()
