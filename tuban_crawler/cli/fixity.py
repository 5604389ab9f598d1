"""The commands that prove and hand over the archive: ``verify`` (a fixity audit) and ``bag`` (BagIt)."""

from __future__ import annotations

import argparse
import sqlite3
import sys
from datetime import date
from pathlib import Path

from tuban_crawler import ExitCode
from tuban_crawler.cli.common import (
    WARC_DIR_HELP,
    AddCommand,
    CommandError,
    UsageError,
    add_db_argument,
)
from tuban_crawler.fixity.audit import Audit, AuditError, audit
from tuban_crawler.store import fixity
from tuban_crawler.store.warcfolder import find_warc_dir


def cmd_verify(args: argparse.Namespace) -> int:
    """Check every WARC file, record, row and index line of the archive; log one event per object."""
    if args.since_days is not None and args.since_days < 0:
        raise UsageError(f"--since-days must be 0 or more, got {args.since_days}")
    try:
        result = audit(
            Path(args.db),
            find_warc_dir(args.db, args.warc_dir),
            args.since_days,
            operator=args.operator,
        )
    except AuditError as error:
        raise CommandError(str(error)) from None
    except (OSError, sqlite3.Error) as error:
        raise CommandError(f"could not read the archive: {error}") from None
    _print_summary(result, args)  # first: a read-only archive still gets its findings
    try:
        fixity.record_now(args.db, result.events)
    except (OSError, sqlite3.Error) as error:
        raise CommandError(
            f"checked, but could not log the events in {args.db}: {error} (is it writable?)"
        ) from None
    print(f"{len(result.events):,} fixity events logged in {args.db} (table fixity_events)")
    return ExitCode.DAMAGED if result.failures else ExitCode.OK


def _print_summary(result: Audit, args: argparse.Namespace) -> None:
    megabytes = result.bytes_read / 1e6
    speed = megabytes / result.seconds if result.seconds else 0.0
    skipped = (
        f" ({result.skipped_files} checked in the last {args.since_days:g} days skipped)"
        if result.skipped_files
        else ""
    )
    rows = ", ".join(f"{count:,} {table}" for table, count in sorted(result.rows.items()))
    print(
        f"verified {result.files:,} WARC files{skipped}: {result.records:,} records, "
        f"{megabytes:,.1f} MB in {result.seconds:.1f} s ({speed:,.1f} MB/s)"
    )
    print(f"rows checked: {rows or 'none'}; index and database checked")
    failures = result.failures
    if not failures:
        print("OK: every object checked holds")
        return
    print(f"{len(failures)} failed:", file=sys.stderr)
    for event in failures:
        version = f" version {event.version}" if event.version else ""
        print(f"  {event.object_type} {event.object}{version}: {event.detail}", file=sys.stderr)


def _add_verify(add: AddCommand) -> None:
    command = add(
        "verify",
        cmd_verify,
        "Fixity audit: re-read every WARC file (gzip members, block and payload digests), check "
        "that every row points at its record, the index agrees with the files and SQLite's "
        "integrity_check passes; log one event per object checked (fixity_events). Read only "
        f"beside a running crawl. Exit {ExitCode.DAMAGED.value} names what failed.",
    )
    add_db_argument(command)
    command.add_argument("--warc-dir", help=WARC_DIR_HELP)
    command.add_argument(
        "--since-days",
        type=float,
        metavar="N",
        help="check only the WARC files not checked in the last N days (a slice; default: all)",
    )
    command.add_argument(
        "--operator",
        help="who runs the check, named in each event (default: the last crawl's TUBAN_CONTACT_URL)",
    )


def cmd_bag(args: argparse.Namespace) -> int:
    """Write the archive as a BagIt bag: WARC files, index, WACZ, a copy of the archive, the fixity log."""
    from tuban_crawler.fixity.bag import BagError, write_bag

    try:
        summary = write_bag(
            Path(args.db),
            find_warc_dir(args.db, args.warc_dir),
            Path(args.output),
            args.since,
            args.operator,
        )
    except BagError as error:
        raise CommandError(str(error)) from None
    except (OSError, sqlite3.Error) as error:
        raise CommandError(f"could not write the bag {args.output}: {error}") from None
    print(
        f"{summary.path}: a valid BagIt bag of {summary.warc_files} WARC files, their index, a WACZ, "
        f"the archive and its fixity log ({summary.payload_bytes / 1e6:,.1f} MB; sha256 and sha512 manifests)"
    )
    print(f"captures {summary.info['Date-Range']}; {summary.info['Runs']}")
    return ExitCode.OK


def _add_bag(add: AddCommand) -> None:
    command = add(
        "bag",
        cmd_bag,
        "Write a BagIt bag (RFC 8493) to hand the archive over: the WARC files, their CDXJ "
        "index, a WACZ, a consistent copy of the archive (safe while a crawl writes) and the "
        "fixity events, with bag-info.txt and sha256 and sha512 manifests.",
    )
    add_db_argument(command)
    command.add_argument("--warc-dir", help=WARC_DIR_HELP)
    command.add_argument("--output", required=True, help="the bag's folder (new, or empty)")
    command.add_argument(
        "--since",
        type=_parse_date,
        metavar="YYYY-MM-DD",
        help="pack only the WARC files captured on or after this day (default: all)",
    )
    command.add_argument(
        "--operator",
        help="who hands the bag over, named in bag-info.txt (default: the last crawl's TUBAN_CONTACT_URL)",
    )


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def add_commands(add: AddCommand) -> None:
    """Add ``verify`` and ``bag`` to the command's parser through ADD."""
    _add_verify(add)
    _add_bag(add)
