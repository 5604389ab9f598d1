"""The commands that use what the archive holds: ``search``, ``serve``, ``export``, ``warc``, ``wacz``, ``replay``."""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

from tuban_crawler import ExitCode, search, warc
from tuban_crawler.cli.common import DEFAULT_DB, AddCommand, CommandError
from tuban_crawler.store import export
from tuban_crawler.warc import wacz
from tuban_crawler.web import replay, serve


def cmd_search(args: argparse.Namespace) -> int:
    """Print the archive's articles best matching a query, any form of its words."""
    return search.run(args)


def cmd_serve(args: argparse.Namespace) -> int:
    """Browse the archive in Datasette with the project's metadata and plugins."""
    return serve.run(args)


def cmd_export(args: argparse.Namespace) -> int:
    """Write the whole archive as JSON lines or CSV."""
    return export.run(args)


def cmd_warc(args: argparse.Namespace) -> int:
    """Check the WARC files, or rebuild a page from them alone."""
    directory = Path(args.dir)
    if not directory.is_dir():
        raise CommandError(
            f"no WARC folder at {directory} (crawl first, or give --dir the folder of the WARC files)"
        )
    if args.action == "check":
        problems = warc.check_directory(directory)
        for problem in problems:
            print(problem, file=sys.stderr)
        files = sorted(directory.glob("*.warc.gz"))
        if not files and not problems:
            raise CommandError(
                f"no WARC files in {directory} (crawl first, or give --dir the folder of the WARC files)"
            )
        verdict = "OK" if not problems else f"{len(problems)} problems (listed above)"
        print(
            f"{len(files)} WARC files in {directory}: {verdict}",
            file=sys.stderr if problems else sys.stdout,
        )
        return ExitCode.ERROR if problems else ExitCode.OK
    try:
        page = warc.reconstruct(directory, args.url)
    except KeyError:
        raise CommandError(f"no capture of {args.url} in {directory}") from None
    if args.headers:
        print(f"HTTP/1.1 {page.status}", file=sys.stderr)
        for name, value in page.headers:
            print(f"{name}: {value}", file=sys.stderr)
    sys.stdout.buffer.write(page.body)
    return ExitCode.OK


def cmd_wacz(args: argparse.Namespace) -> int:
    """Package the WARC files and a page per article as one WACZ."""
    warc_dir, db = Path(args.warc_dir), Path(args.db)
    warcs = sorted(warc_dir.glob("*" + warc.WARC_SUFFIX))
    if not warcs:
        raise CommandError(f"no WARC files in {warc_dir}")
    if not db.exists():
        raise CommandError(f"no archive at {db}")
    try:
        wacz.write_wacz(
            Path(args.output),
            warc_dir,
            warcs,
            wacz.pages(db),
            title=f"Tuban regency news ({db.name})",
        )
    except (OSError, sqlite3.Error) as error:
        raise CommandError(f"cannot write {args.output}: {error}") from None
    print(f"{args.output}: {len(warcs)} WARC files")
    return ExitCode.OK


def cmd_replay(args: argparse.Namespace) -> int:
    """Replay the archive's WARC files through pywb on 127.0.0.1."""
    return replay.run(args)


def _add_warc(add: AddCommand) -> None:
    command = add(
        "warc",
        cmd_warc,
        "Check the WARC files (warcio check), or print a page rebuilt from them alone.",
    )
    actions = command.add_subparsers(dest="action", required=True, metavar="ACTION")
    check = actions.add_parser(
        "check", help="validate every WARC file", description="Validate every WARC file."
    )
    show = actions.add_parser(
        "show",
        help="print a page rebuilt from the WARC files alone",
        description="Print the page of URL rebuilt from the WARC files alone.",
    )
    show.add_argument("url", help="the address of the page")
    show.add_argument(
        "--headers", action="store_true", help="print the status and headers on stderr first"
    )
    for action in (check, show):
        action.add_argument("--dir", default="warc", help="the WARC folder (default: %(default)s)")


def add_commands(add: AddCommand) -> None:
    """Add ``search``, ``serve``, ``export``, ``warc``, ``wacz`` and ``replay`` to the command's parser through ADD."""
    search.add_arguments(
        add(
            "search",
            cmd_search,
            "Search the archive: ranked titles, dates and snippets. Any form "
            "of a word finds every form (disiplin finds kedisiplinan); --exact for words as written.",
        )
    )
    serve.add_arguments(
        add(
            "serve",
            cmd_serve,
            "Browse the archive in Datasette (read-only, on 127.0.0.1 by default).",
        )
    )
    export.add_arguments(
        add("export", cmd_export, "Write every article, every column, as JSON lines or CSV.")
    )
    _add_warc(add)
    command = add(
        "wacz", cmd_wacz, "Package the WARC files, their index and a page per article as a WACZ."
    )
    command.add_argument("--db", default=DEFAULT_DB, help="archive file (default: %(default)s)")
    command.add_argument(
        "--warc-dir", default="warc", help="the WARC folder (default: %(default)s)"
    )
    command.add_argument(
        "--output", default="archive.wacz", help="the WACZ file to write (default: %(default)s)"
    )
    replay.add_arguments(
        add(
            "replay",
            cmd_replay,
            "Replay the archived pages as captured, through pywb on 127.0.0.1.",
        )
    )
