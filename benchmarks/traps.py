"""What the portal's traps cost a crawl: requests per trap, rows per aliased article, text kept.

Run by hand (not a test): ``python benchmarks/traps.py [--seconds 60] [--checkout DIR] [--faults KINDS]``.
Serves the test portal with ``--faults traps`` and crawls it for at most SECONDS with the
crawler of CHECKOUT (default: this one; give another checkout's path to compare, e.g. the
code before issue 9), then prints what each trap cost.
"""

from __future__ import annotations

import argparse
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tuban_crawler.portal import PortalServer, traps

REPO = Path(__file__).resolve().parents[1]


def crawl(checkout: Path, db: Path, base_url: str, seconds: float) -> tuple[float, int | None]:
    """Run one crawl from CHECKOUT, stopped (SIGTERM) after SECONDS; return (wall time, exit status)."""
    command = [
        sys.executable,
        "-m",
        "tuban_crawler.cli",
        "crawl",
        "--db",
        str(db),
        "--base-url",
        base_url,
        "--warc-dir",
        str(db.parent / "warc"),
        "-s",
        "LOG_LEVEL=ERROR",
    ]
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    started = time.monotonic()
    process = subprocess.Popen(
        command, cwd=checkout, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        status = process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGTERM)
        status = None
        process.wait(timeout=60)
    return time.monotonic() - started, status


def main() -> None:
    """Print what each trap of the portal cost one crawl."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--checkout", type=Path, default=REPO)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument(
        "--faults", default="traps", help="fault kinds (default: the traps profile)"
    )
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as tmp,
        PortalServer(articles=args.articles, faults=args.faults) as portal,
    ):
        db = Path(tmp) / "archive.db"
        wall, status = crawl(args.checkout.resolve(), db, portal.base_url, args.seconds)
        hits = portal.hits
        paths = portal.fault_paths

        def cost(prefix: str) -> int:
            return sum(n for target, n in hits.items() if target.startswith(prefix))

        connection = sqlite3.connect(db)
        try:

            def query(sql: str, *params: object) -> list[tuple]:
                return connection.execute(sql, params).fetchall()

            print(
                f"crawl of {args.checkout}: {wall:.0f} s, exit {'stopped' if status is None else status}"
            )
            print(f"  requests: {sum(hits.values())}")
            print(
                f"  fan-out listing pages: {cost(traps.FANOUT_PATH)}; calendar under a listing: {cost(traps.CALENDAR_PATH)}"
            )
            print(
                f"  calendar under /entry/: {cost('/entry/agenda-')} requests, "
                f"{query('select count(*) from articles where url like ?', '%/entry/agenda-%')[0][0]} rows"
            )
            for path in paths.get("aliases", []):
                slug = path.rsplit("/", 1)[-1]
                aliased = query(
                    "select count(*) from articles where lower(url) like ?", f"%{slug[:40]}%"
                )[0][0]
                print(f"  rows for one aliased article: {aliased}")
            robots = sum(
                n for target, n in hits.items() if "rahasia" in target or "%2e%2e" in target
            )
            print(f"  requests robots.txt forbids: {robots}")
            for kind in (k for k in ("deep", "cp1252") if k in paths):
                body = query(
                    "select body_text from articles where url = ?", portal.base_url + paths[kind][0]
                )
                text = body[0][0] if body else ""
                print(
                    f"  {kind}: {len(text.split(chr(10) * 2)) if text else 0} paragraphs, "
                    f"{text.count('Paragraf tambahan')} 'Paragraf tambahan', {text.count(chr(0xFFFD))} U+FFFD, "
                    f"{len(text)} characters"
                )
        finally:
            connection.close()


if __name__ == "__main__":
    main()
