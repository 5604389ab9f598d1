"""What a night costs: backfill a portal of N articles, then grow it and move it to edition 2.

Run by hand (not a test): ``python benchmarks/nightly.py [--articles 2000] [--grow 20]
[--no-requisites] [--sites N]``. Prints, for each run, its wall time, requests, new / updated /
unchanged / not-modified articles, as the archive's ``crawl_runs`` records them, the bytes
its WARC files took, and the page requisites (photos, stylesheets) it captured and their bytes.
Run it with and without ``--no-requisites`` to see what requisites cost per new article.

For the night that finds new articles it also prints every request, read from the WARC
records the night wrote: new articles, revisits, page requisites, and each other request
(the overhead) by URL and status, then ``PASS`` or ``FAIL`` for the nightly budget
``requests <= new + revisits + 3`` (issue 10: robots.txt, one listing page, and the feed or
sitemap only when it answers conditionally). Page requisites of new articles are extra
requests by design: the budget is checked on the others.

``--sites N`` (issue 22) crawls the multi-site test portal instead: the portal and its N - 1
office sites, added to the archive with ``tuban-crawler sites add``, on one address; only the
portal grows. The budget is then checked per site, on each site's own requests.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from tuban_crawler.discover.sites import site_of
from tuban_crawler.discover.urls import canonical_url
from tuban_crawler.portal import PortalServer
from tuban_crawler.portal.multi import MultiPortal
from tuban_crawler.portal.offices import plan_sites

#: Requests of a night beyond its new articles and revisits (issue 10).
OVERHEAD_BUDGET = 3


def crawl(db: Path, base_url: str, *args: str) -> float:
    """Run one crawl and return its wall time in seconds."""
    started = time.monotonic()
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
        "LOG_LEVEL=WARNING",
        *args,
    ]
    subprocess.run(command, check=False, capture_output=True)
    return time.monotonic() - started


def last_run(db: Path) -> dict:
    """Return the report of the latest run."""
    connection = sqlite3.connect(db)
    try:
        (report,) = connection.execute(
            "select report from crawl_runs order by started_at desc, rowid desc"
        ).fetchone()
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
        (run_id,) = connection.execute(
            "select run_id from crawl_runs order by started_at desc, rowid desc"
        ).fetchone()
        tables = {
            name
            for (name,) in connection.execute("select name from sqlite_master where type = 'table'")
        }
        if "requisites" not in tables:
            return 0, 0
        count, size = connection.execute(
            "select count(*), coalesce(sum(length), 0) from requisites where run_id = ?", [run_id]
        ).fetchone()
    finally:
        connection.close()
    return count, size


def warc_sizes(db: Path) -> dict[Path, int]:
    """Return {WARC file: size} beside DB, to read later only what a run appended."""
    return {path: path.stat().st_size for path in (db.parent / "warc").glob("*.warc.gz")}


def responses_since(db: Path, sizes: dict[Path, int]) -> list[tuple[str, int]]:
    """Return (URL, status) of every response record written to the WARC files after SIZES."""
    found = []
    for path in sorted((db.parent / "warc").glob("*.warc.gz")):
        with open(path, "rb") as stream:
            stream.seek(sizes.get(path, 0))
            for record in ArchiveIterator(stream):
                if record.rec_type not in ("response", "revisit"):
                    continue
                if record.http_headers is not None:
                    status = int(record.http_headers.get_statuscode())
                else:  # a 304's revisit record carries no HTTP block (warc/writer.py)
                    status = (
                        304
                        if "server-not-modified"
                        in (record.rec_headers.get_header("WARC-Profile") or "")
                        else 200
                    )
                found.append((record.rec_headers.get_header("WARC-Target-URI"), status))
    return found


def archived(db: Path) -> set[str]:
    """Return the URLs of the archived articles."""
    connection = sqlite3.connect(db)
    try:
        return {url for (url,) in connection.execute("select url from articles")}
    finally:
        connection.close()


def requisite_urls(db: Path) -> set[str]:
    """Return the URLs of every captured page requisite."""
    connection = sqlite3.connect(db)
    try:
        tables = {
            name
            for (name,) in connection.execute("select name from sqlite_master where type = 'table'")
        }
        return (
            {url for (url,) in connection.execute("select url from requisites")}
            if "requisites" in tables
            else set()
        )
    finally:
        connection.close()


def breakdown(
    responses: list[tuple[str, int]],
    known: set[str],
    now: set[str],
    requisites: set[str],
    requests: int,
    base_url: str,
) -> None:
    """Print a night's requests by what they were for, and whether the overhead kept to the budget."""
    entries = [(canonical_url(u, base_url), u, s) for u, s in responses]
    new = [u for c, u, _ in entries if c in now and c not in known]
    revisits = [u for c, u, _ in entries if c in known]
    fetched_requisites = [u for c, u, _ in entries if u in requisites and c not in now]
    overhead = [(u, s) for c, u, s in entries if c not in now and u not in requisites]
    print(
        f"  new articles {len(new)}, revisits {len(revisits)}, requisites {len(fetched_requisites)},"
        f" overhead {len(overhead)} (WARC responses {len(responses)}, requests {requests})"
    )
    for url, status in overhead:
        print(f"    overhead {status} {url}")
    budget = len(new) + len(revisits) + OVERHEAD_BUDGET
    counted = requests - len(fetched_requisites)
    verdict = "PASS" if counted <= budget else "FAIL"
    print(
        f"  {verdict}: requests{' less requisites' if fetched_requisites else ''} {counted}"
        f" <= new {len(new)} + revisits {len(revisits)} + {OVERHEAD_BUDGET} = {budget}"
    )


@contextlib.contextmanager
def serve(articles: int, sites: int) -> Iterator[tuple[PortalServer, list[tuple[str, str]]]]:
    """Yield the portal and the (origin, entry pattern) of its office sites (none when SITES is 1)."""
    if sites == 1:
        with PortalServer(articles=articles, seed=3) as portal:
            yield portal, []
        return
    with MultiPortal(plan_sites(sites, articles=articles, seed=3)) as multi:
        offices = [
            (site["origin"], site["entry_pattern"])
            for site in multi.manifest()["sites"]
            if site["role"] == "office"
        ]
        yield multi.servers[0], offices


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--grow", type=int, default=20)
    parser.add_argument("--recent", type=int, default=30, help="articles inside the revisit window")
    parser.add_argument(
        "--no-requisites", action="store_true", help="do not fetch photos, stylesheets..."
    )
    parser.add_argument(
        "--sites", type=int, default=1, help="the multi-site portal: the portal and N - 1 offices"
    )
    args = parser.parse_args()
    extra = ("-s", "TUBAN_REQUISITES_ENABLED=False") if args.no_requisites else ()
    with (
        tempfile.TemporaryDirectory() as folder,
        serve(args.articles, args.sites) as (portal, offices),
    ):
        db = Path(folder) / "archive.db"
        for origin, pattern in offices:
            add = [sys.executable, "-m", "tuban_crawler.cli", "sites", "add", origin]
            subprocess.run([*add, "--entry-pattern", pattern, "--db", str(db)], check=True)
        with urllib.request.urlopen(f"{portal.base_url}/_portal/manifest.json") as response:
            dated = sorted(
                e["published_iso"] for e in json.load(response)["entries"] if e["published_iso"]
            )
        oldest_recent = datetime.fromisoformat(dated[-args.recent])
        days = f"{(datetime.now(timezone.utc) - oldest_recent).total_seconds() / 86400 + 0.01:.4f}"
        nights = [
            ("backfill", {}, ()),
            (
                f"+{args.grow} articles, edition 2",
                {"articles": args.articles + args.grow, "edition": 2},
                ("--revisit-days", days),
            ),
            ("nothing changed", {}, ("--revisit-days", days)),
        ]
        print(
            f"{'night':<28} {'seconds':>8} {'requests':>9} {'new':>6} {'updated':>8} {'unchanged':>10} {'304':>5}"
            f" {'WARC bytes':>11} {'requisites':>10} {'their bytes':>11}"
        )
        for name, changes, options in nights:
            if changes:
                portal.configure(**changes)
            before, sizes, known = (
                warc_bytes(db),
                warc_sizes(db),
                archived(db) if db.exists() else set(),
            )
            seconds = crawl(db, portal.base_url, *options, *extra)
            r = last_run(db)
            count, size = requisites_of_last_run(db)
            print(
                f"{name:<28} {seconds:>8.1f} {r['requests']:>9} {r['new']:>6} {r['updated']:>8} {r['unchanged']:>10}"
                f" {r['not_modified']:>5} {warc_bytes(db) - before:>11} {count:>10} {size:>11}"
            )
            if not known:
                continue
            responses = responses_since(db, sizes)
            for site in sorted({site_of(url) for url, _ in responses}):
                mine = [(url, status) for url, status in responses if site_of(url) == site]
                if offices:
                    print(f"  {site}:")
                # One site alone: the run's own count of requests; several: the site's responses.
                requests = r["requests"] if not offices else len(mine)
                breakdown(mine, known, archived(db), requisite_urls(db), requests, site)
        print(f"(revisit window: the {args.recent} newest articles of the first night)")


if __name__ == "__main__":
    main()
