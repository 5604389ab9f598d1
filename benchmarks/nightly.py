"""What a night costs: backfill a portal of N articles, then grow it and move it to edition 2.

Run by hand (not a test): ``python benchmarks/nightly.py [--articles 2000] [--grow 20]
[--no-requisites]``. Prints, for each run, its wall time, requests, new / updated /
unchanged / not-modified articles, as the archive's ``crawl_runs`` records them, the bytes
its WARC files took, and the page requisites (photos, stylesheets) it captured and their bytes.
Run it with and without ``--no-requisites`` to see what requisites cost per new article.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

from tuban_crawler.portal import PortalServer


def crawl(db: Path, base_url: str, *args: str) -> float:
    """Run one crawl and return its wall time in seconds."""
    started = time.monotonic()
    command = [sys.executable, "-m", "tuban_crawler.cli", "crawl", "--db", str(db), "--base-url", base_url,
               "--warc-dir", str(db.parent / "warc"), "-s", "LOG_LEVEL=WARNING", *args]  # fmt: skip
    subprocess.run(command, check=False, capture_output=True)
    return time.monotonic() - started


def last_run(db: Path) -> dict:
    """Return the report of the latest run."""
    connection = sqlite3.connect(db)
    try:
        (report,) = connection.execute("select report from crawl_runs order by started_at desc, rowid desc").fetchone()
    finally:
        connection.close()
    return json.loads(report)


def warc_bytes(db: Path) -> int:
    """Return the bytes of the WARC files beside DB."""
    return sum(path.stat().st_size for path in (db.parent / "warc").glob("*.warc.gz"))


def requisites_of_last_run(db: Path) -> tuple[int, int]:
    """Return (requisites captured, their bytes) by the latest run."""
    connection = sqlite3.connect(db)
    try:
        (run_id,) = connection.execute("select run_id from crawl_runs order by started_at desc, rowid desc").fetchone()
        tables = {name for (name,) in connection.execute("select name from sqlite_master where type = 'table'")}
        if "requisites" not in tables:
            return 0, 0
        count, size = connection.execute(
            "select count(*), coalesce(sum(length), 0) from requisites where run_id = ?", [run_id]
        ).fetchone()
    finally:
        connection.close()
    return count, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--grow", type=int, default=20)
    parser.add_argument("--recent", type=int, default=30, help="articles inside the revisit window")
    parser.add_argument("--no-requisites", action="store_true", help="do not fetch photos, stylesheets...")
    args = parser.parse_args()
    extra = ("-s", "TUBAN_REQUISITES_ENABLED=False") if args.no_requisites else ()
    with tempfile.TemporaryDirectory() as folder, PortalServer(articles=args.articles, seed=3) as portal:
        db = Path(folder) / "archive.db"
        with urllib.request.urlopen(f"{portal.base_url}/_portal/manifest.json") as response:
            dated = sorted(e["published_iso"] for e in json.load(response)["entries"] if e["published_iso"])
        oldest_recent = datetime.fromisoformat(dated[-args.recent])
        days = f"{(datetime.now(timezone.utc) - oldest_recent).total_seconds() / 86400 + 0.01:.4f}"
        nights = [("backfill", {}, ()), (f"+{args.grow} articles, edition 2", {"articles": args.articles + args.grow,
                  "edition": 2}, ("--revisit-days", days)), ("nothing changed", {}, ("--revisit-days", days))]  # fmt: skip
        print(f"{'night':<28} {'seconds':>8} {'requests':>9} {'new':>6} {'updated':>8} {'unchanged':>10} {'304':>5}"
              f" {'WARC bytes':>11} {'requisites':>10} {'their bytes':>11}")  # fmt: skip
        for name, changes, options in nights:
            if changes:
                portal.configure(**changes)
            before = warc_bytes(db)
            seconds = crawl(db, portal.base_url, *options, *extra)
            r = last_run(db)
            count, size = requisites_of_last_run(db)
            print(f"{name:<28} {seconds:>8.1f} {r['requests']:>9} {r['new']:>6} {r['updated']:>8} {r['unchanged']:>10}"
                  f" {r['not_modified']:>5} {warc_bytes(db) - before:>11} {count:>10} {size:>11}")  # fmt: skip
        print(f"(revisit window: the {args.recent} newest articles of the first night)")


if __name__ == "__main__":
    main()
