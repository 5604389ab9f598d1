"""The commands that read what the archive holds: ``search``, ``export``, ``warc``, ``wacz``."""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from tuban_crawler import ExitCode, search, warc
from tuban_crawler.cli.common import (
    WARC_DIR_HELP,
    AddCommand,
    CommandError,
    UsageError,
    add_db_argument,
)
from tuban_crawler.store import export
from tuban_crawler.store.archivefile import connect_read_only
from tuban_crawler.store.dataset import ParquetUnavailable
from tuban_crawler.store.warcfolder import find_warc_dir
from tuban_crawler.warc import wacz


def _open_searchable(path: Path) -> sqlite3.Connection:
    """Return a read-only connection to the archive PATH with the search functions registered."""
    # The same answers as every read command: missing, folder, unreadable, text, another database.
    connection = connect_read_only(path)
    tables = {
        row[0] for row in connection.execute("select name from sqlite_master where type = 'table'")
    }
    if "articles_fts" not in tables:
        connection.close()
        raise CommandError(f"{path} is not a tuban-crawler archive (it has no articles_fts table)")
    search.register_functions(connection)
    return connection


def cmd_search(args: argparse.Namespace) -> int:
    """Print the archive's best matches for the query (rank, date, title, URL, snippet)."""
    if args.limit < 1:
        raise UsageError(f"--limit must be 1 or more, got {args.limit}")
    with _open_searchable(Path(args.db)) as connection:
        exact = args.exact
        if (
            not exact
            and not connection.execute(
                "select 1 from sqlite_master where name = 'articles_stem_fts'"
            ).fetchone()
        ):
            print(
                f"{args.db} has no stemmed index yet (the next crawl adds it): matching exact words",
                file=sys.stderr,
            )
            exact = True
        total, rows = search.search(connection, args.query, exact, args.limit)
    if search.fts_query(args.query, stemmed=not exact) == search.MATCH_NOTHING:
        # The README's promise: anything typed is an answer, at worst that nothing matches.
        print(
            f"0 articles match {args.query!r}: it has no word to search for (AND, OR and NOT only join words)"
        )
        return ExitCode.OK
    for rank, row in enumerate(rows, 1):
        cut = row["snippet"].replace("<mark>", "[").replace("</mark>", "]")
        print(f"{rank:>3}. {row['published_date'] or '(no date)'}  {row['title'] or '(no title)'}")
        print(f"     {row['url']}")
        print(f"     {cut}")
    shown = f" (the best {len(rows)} shown; --limit N for more)" if total > len(rows) else ""
    print(
        f"{total} article{'s' if total != 1 else ''} match {args.query!r}{' (exact words)' if exact else ''}{shown}"
    )
    return ExitCode.OK


@contextmanager
def _output(path: str) -> Iterator[IO[str]]:
    if path == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    # Write beside the target and rename at the end: a failed export leaves no half file.
    partial = Path(f"{path}.partial")
    try:
        with open(partial, "w", encoding="utf-8", newline="") as handle:
            yield handle
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def cmd_export(args: argparse.Namespace) -> int:
    """Write the table of the archive as JSON lines, CSV or Parquet to the output."""
    if args.format == "parquet":
        return _export_parquet(args)
    try:
        with _output(args.output) as out:
            count = export.export_table(args.db, args.table, args.format, out)
    except BrokenPipeError:
        # The reader went away (``| head``): stop quietly, as a Unix filter does.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return ExitCode.OK
    except (LookupError, ValueError, sqlite3.DatabaseError, OSError) as error:
        raise CommandError(str(error)) from None
    if args.output != "-":
        print(f"{count} rows of {args.table} written to {args.output}", file=sys.stderr)
    return ExitCode.OK


def _export_parquet(args: argparse.Namespace) -> int:
    if args.output == "-":
        raise UsageError("Parquet is written to a file: give --output FILE.parquet")
    target = Path(args.output)
    partial = target.with_name(target.name + ".partial")
    try:
        count = export.export_parquet(args.db, args.table, partial)
        os.replace(partial, target)
    except ParquetUnavailable as error:
        raise CommandError(str(error)) from None
    except (LookupError, ValueError, sqlite3.DatabaseError, OSError) as error:
        raise CommandError(str(error)) from None
    finally:
        partial.unlink(missing_ok=True)
    print(f"{count} rows of {args.table} written to {args.output}", file=sys.stderr)
    return ExitCode.OK


def cmd_warc(args: argparse.Namespace) -> int:
    """Check the WARC files, or rebuild a page from them alone."""
    directory = find_warc_dir(args.db, args.dir)
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
    warc_dir, db = find_warc_dir(args.db, args.warc_dir), Path(args.db)
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
        add_db_argument(action)
        action.add_argument("--dir", help=WARC_DIR_HELP)


def _add_search(add: AddCommand) -> None:
    command = add(
        "search",
        cmd_search,
        "Search the archive: ranked titles, dates and snippets. Any form "
        "of a word finds every form (disiplin finds kedisiplinan); --exact for words as written.",
    )
    command.add_argument(
        "query",
        metavar="QUERY",
        help='words (any form: disiplin finds kedisiplinan), "a phrase", prefix*, OR, NOT',
    )
    add_db_argument(command)
    command.add_argument(
        "--exact", action="store_true", help="match words exactly as written (no stemming)"
    )
    command.add_argument(
        "--limit",
        type=int,
        default=search.DEFAULT_LIMIT,
        help="results shown (default: %(default)s)",
    )


def _add_export(add: AddCommand) -> None:
    command = add(
        "export", cmd_export, "Write every article, every column, as JSON lines, CSV or Parquet."
    )
    command.add_argument(
        "--format",
        choices=export.FORMATS,
        default="jsonl",
        help="output format (default: %(default)s)",
    )
    add_db_argument(command)
    command.add_argument(
        "--output", "-o", default="-", help="file to write (default: standard output)"
    )
    command.add_argument(
        "--table", default="articles", help="table to export (default: %(default)s)"
    )


def add_commands(add: AddCommand) -> None:
    """Add ``search``, ``export``, ``warc`` and ``wacz`` to the command's parser through ADD."""
    _add_search(add)
    _add_export(add)
    _add_warc(add)
    command = add(
        "wacz", cmd_wacz, "Package the WARC files, their index and a page per article as a WACZ."
    )
    add_db_argument(command)
    command.add_argument("--warc-dir", help=WARC_DIR_HELP)
    command.add_argument(
        "--output", default="archive.wacz", help="the WACZ file to write (default: %(default)s)"
    )
