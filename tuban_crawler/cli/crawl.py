"""The commands that crawl: ``crawl`` (the portal into the archive), ``demo`` and ``portal``."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tuban_crawler import ExitCode
from tuban_crawler.cli.common import (
    AddCommand,
    CommandError,
    add_db_argument,
    terminal_overrides,
)
from tuban_crawler.portal import cli as portal_cli
from tuban_crawler.portal.themes import THEMES


def _setting_pair(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    return name.strip(), value


def _http_url(text: str) -> str:
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise argparse.ArgumentTypeError(
            f"expected an http(s) URL such as https://tubankab.go.id, got {text!r}"
        )
    return text


def _crawl_overrides(args: argparse.Namespace) -> dict[str, Any]:
    overrides: dict[str, Any] = dict(args.setting or [])
    if args.base_url:
        overrides["TUBAN_BASE_URL"] = args.base_url
    if args.revisit_days is not None:
        overrides["TUBAN_REVISIT_DAYS"] = args.revisit_days
    if args.warc_dir:
        overrides["WARC_DIR"] = args.warc_dir
    if args.no_warc:
        overrides["WARC_ENABLED"] = False
    if args.resume:
        overrides["JOBDIR"] = args.resume if isinstance(args.resume, str) else f"{args.db}.jobdir"
    return overrides


def cmd_crawl(args: argparse.Namespace) -> int:
    """Crawl the portal into the archive; exit status says whether the run looks healthy."""
    from tuban_crawler.crawl.outcome import format_report
    from tuban_crawler.crawl.runner import run_crawl

    overrides = {**terminal_overrides(), **_crawl_overrides(args)}
    outcome = run_crawl(
        args.db, overrides, mode="full" if args.full else None, other_site=args.other_site
    )
    print(
        _report_lines(args, outcome, format_report(outcome)),
        file=sys.stderr if outcome.exit_code else sys.stdout,
    )
    return outcome.exit_code


def _report_lines(args: argparse.Namespace, outcome: Any, text: str) -> str:
    # A crawl that never started is one line, like every other mistake; a report stays as it is.
    return (
        f"tuban-crawler {args.command}: {text}" if outcome.status in ("refused", "error") else text
    )


def demo_port(db: str) -> int | str:
    """Return the port the demo's portal must use for archive DB (0: any), or why DB is not a demo archive.

    A demo archive keeps its portal's address: the same port on every run, so that a second
    run finds every article archived instead of storing them all again under a new origin.
    """
    import sqlite3

    from tuban_crawler.crawl.ownership import archive_origin
    from tuban_crawler.crawl.runner import LOOPBACK_HOSTS
    from tuban_crawler.store.archive import ArchiveStore
    from tuban_crawler.store.archivefile import ArchiveFileError

    if not Path(db).exists():
        return 0
    try:
        with ArchiveStore(db).open_read_only() as store:  # read only: DB may be someone else's file
            origin = archive_origin(store)
    except (sqlite3.DatabaseError, ArchiveFileError):
        return 0  # the crawl says clearly that it is not an archive
    if origin is None:
        return 0
    host, _, port = origin.rpartition(":")
    if host in LOOPBACK_HOSTS and port.isdigit():
        return int(port)
    return f"{db} is the archive of {origin}: the demo writes only into an archive of its own (try --db demo.db)"


def cmd_demo(args: argparse.Namespace) -> int:
    """Start the bundled test portal on a loopback port (the archive's own, or a free one), crawl it, say how to browse."""
    from tuban_crawler.crawl.outcome import format_report
    from tuban_crawler.crawl.runner import run_crawl
    from tuban_crawler.store.archivefile import ArchiveReadOnly, check_writable

    try:
        check_writable(args.db)  # before the portal starts: a wrong --db is one line
    except ArchiveReadOnly as error:
        # Storage it can't write, as for `crawl` (README: exit statuses).
        print(f"tuban-crawler demo: {error} (exit {ExitCode.STORAGE})", file=sys.stderr)
        return ExitCode.STORAGE
    port = demo_port(args.db)
    if isinstance(port, str):
        raise CommandError(port)
    portal = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tuban_crawler.portal",
            "--port",
            str(port),
            "--articles",
            str(args.articles),
            "--theme",
            args.theme,
        ],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,  # Ctrl-C stops the crawl, which stops the portal
    )
    try:
        base_url = portal.stdout.readline().strip() if portal.stdout else ""
        if not base_url.startswith("http"):
            where = (
                f" on port {port}, where this archive's demo portal lives (is another demo running?)"
                if port
                else ""
            )
            raise CommandError(f"the test portal did not start{where}")
        print(
            f"test portal ({args.theme} theme) with {args.articles} articles at {base_url}; "
            f"crawling into {args.db} ...",
            flush=True,
        )
        # Warnings only: the demo's reader watches the status line, not Scrapy's log.
        overrides = {
            "TUBAN_BASE_URL": base_url,
            "WARC_DIR": args.warc_dir or "",
            "LOG_LEVEL": "WARNING",
            **terminal_overrides(),
        }
        outcome = run_crawl(args.db, overrides)
    finally:
        portal.terminate()
        portal.wait(timeout=10)
    print(
        _report_lines(args, outcome, format_report(outcome)),
        file=sys.stderr if outcome.exit_code else sys.stdout,
    )
    if outcome.exit_code == ExitCode.OK:
        from tuban_crawler.store.archive import ArchiveStore

        with ArchiveStore(args.db).open_read_only() as store:
            summary = store.summary()
        print(
            f"\n{summary['articles']} articles and {summary['pages']} pages in {args.db}. Browse them with:"
        )
        print(f"  tuban-crawler serve --db {args.db}     (or: datasette {args.db})")
    return outcome.exit_code


def cmd_portal(args: argparse.Namespace) -> int:
    """Serve the local test portal until killed."""
    return portal_cli.run(args)


def add_commands(add: AddCommand) -> None:
    """Add ``crawl``, ``demo`` and ``portal`` to the command's parser through ADD."""
    exits = ", ".join(f"{code.value} {code.summary}" for code in ExitCode)
    crawl = add(
        "crawl",
        cmd_crawl,
        f"Crawl the portal into the archive (incremental unless --full). Exit {exits}.",
    )
    add_db_argument(crawl)
    crawl.add_argument(
        "--base-url", type=_http_url, help="portal to crawl (default: https://tubankab.go.id)"
    )
    crawl.add_argument(
        "--full", action="store_true", help="walk the whole history and re-fetch every article"
    )
    crawl.add_argument(
        "--resume",
        nargs="?",
        const=True,
        metavar="JOBDIR",
        help="keep the crawl's queue in JOBDIR (default: <db>.jobdir) so a stopped run resumes",
    )
    crawl.add_argument(
        "--revisit-days",
        type=float,
        help="re-fetch articles published in the last N days (default 7)",
    )
    crawl.add_argument(
        "--warc-dir",
        help="where WARC files go (default: the archive's own, else warc beside the archive)",
    )
    crawl.add_argument("--no-warc", action="store_true", help="do not write WARC files")
    crawl.add_argument(
        "--other-site",
        action="store_true",
        help="crawl the base URL even though the archive belongs to another site",
    )
    crawl.add_argument(
        "-s",
        "--setting",
        action="append",
        type=_setting_pair,
        metavar="NAME=VALUE",
        help="override a Scrapy setting, as with `scrapy crawl -s` (repeatable)",
    )

    demo = add(
        "demo",
        cmd_demo,
        "Start the bundled test portal on a loopback port (the same one for the same "
        "archive) and crawl it; never into the archive of another site.",
    )
    add_db_argument(demo)
    demo.add_argument(
        "--articles",
        type=int,
        default=1500,
        help="articles in the test portal (default: %(default)s)",
    )
    demo.add_argument(
        "--warc-dir",
        help="where WARC files go (default: the archive's own, else warc beside the archive)",
    )
    demo.add_argument(
        "--theme",
        default="classic",
        choices=list(THEMES),
        help="the test portal's template (default: %(default)s)",
    )

    portal = add(
        "portal",
        cmd_portal,
        "Serve the local test portal (prints its base URL first, serves until killed); "
        "--sites N serves the portal and its offices' sites, one base URL a line.",
    )
    portal_cli.add_arguments(portal)
