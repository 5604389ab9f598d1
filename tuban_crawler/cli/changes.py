"""The ``changes`` command: what the portal changed (edits, new titles, removals, returns), for people and cron.

It prints nothing when nothing changed, so that cron's ``MAILTO`` mails a digest only after a
night that found something (``deploy/tuban-crawler.cron``).
"""

from __future__ import annotations

import argparse
import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from tuban_crawler import ExitCode
from tuban_crawler.cli.common import AddCommand, CommandError, add_db_argument


def since_value(text: str) -> str:
    """Return TEXT, a day or an ISO time, as the UTC ISO time changes are compared with.

    >>> since_value("2026-12-01"), since_value("2026-12-01T07:00:00+07:00")
    ('2026-12-01T00:00:00+00:00', '2026-12-01T00:00:00+00:00')
    """
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a date such as 2026-12-01 (or an ISO time), got {text!r}"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def diff_link(base: str, database: str, change: dict[str, Any]) -> str:
    """Return the address of CHANGE in the archive's Datasette at BASE: its diff, or the article's page.

    >>> diff_link("http://a.example/", "archive", {"url": "https://t.id/e/x", "from_version": 1, "to_version": 2})
    'http://a.example/archive/-/diff?url=https%3A%2F%2Ft.id%2Fe%2Fx&from=1&to=2'
    >>> diff_link("http://a.example", "archive", {"url": "https://t.id/e/x", "from_version": 2, "to_version": None})
    'http://a.example/archive/articles/https~3A~2F~2Ft~2Eid~2Fe~2Fx'
    """
    from datasette.utils import tilde_encode

    old, new = change.get("from_version"), change.get("to_version")
    root = f"{base.rstrip('/')}/{tilde_encode(database)}"
    if old is not None and new is not None and old != new:
        return f"{root}/-/diff?{urlencode({'url': change['url'], 'from': old, 'to': new})}"
    return f"{root}/articles/{tilde_encode(change['url'])}"


def text_digest(changes: list[dict[str, Any]], link: str | None, database: str) -> str:
    """Return CHANGES as the digest cron mails: a heading, then one block per change, newest first."""
    count = len(changes)
    lines = [f"{count} change{'' if count == 1 else 's'} on the portal", ""]
    for change in changes:
        kinds = ", ".join(str(change["kinds"]).split())
        lines.append(f"{change['changed_at']}  {kinds}: {change['title'] or '(no title)'}")
        lines.append(f"  {change['line']}")
        lines.append(f"  {change['url']}")
        if link:
            lines.append(f"  {diff_link(link, database, change)}")
        lines.append("")
    return "\n".join(lines).rstrip("\n")


def cmd_changes(args: argparse.Namespace) -> int:
    """Print the changes recorded (all, since a date, or found by the last run); nothing when there are none."""
    from tuban_crawler.store.archive import ArchiveStore
    from tuban_crawler.store.changes import has_changes_table, last_run_id, list_changes

    with ArchiveStore(args.db).open_read_only() as store:
        if not has_changes_table(store.db):
            raise CommandError(
                f"{args.db} has no change rows yet: its next crawl derives them (or run any crawl command on it)"
            )
        run_id = None
        if args.since_last_run:
            run_id = last_run_id(store.db)
            if run_id is None:
                return ExitCode.OK  # no run yet: nothing changed
        changes = list_changes(
            store.db, since=args.since, run_id=run_id, kind=args.kind, category=args.category
        )
    if not changes:
        return ExitCode.OK  # nothing printed: cron sends no mail
    if args.format == "json":
        for change in changes:
            if args.link:
                change["link"] = diff_link(args.link, Path(args.db).stem, change)
        print(json.dumps(changes, indent=2, ensure_ascii=False))
    else:
        print(text_digest(changes, args.link, Path(args.db).stem))
    return ExitCode.OK


def add_commands(add: AddCommand) -> None:
    """Add the ``changes`` command to the parser."""
    from tuban_crawler.store.changes import KINDS

    command = add(
        "changes",
        cmd_changes,
        "list what the portal changed: edits, new titles, removals, returns (nothing printed when nothing did)",
    )
    add_db_argument(command)
    when = command.add_mutually_exclusive_group()
    when.add_argument(
        "--since",
        type=since_value,
        metavar="DATE",
        help="only changes seen on or after DATE (2026-12-01, or an ISO time; UTC unless it says)",
    )
    when.add_argument(
        "--since-last-run",
        action="store_true",
        help="only the changes the latest crawl found (what cron mails after the nightly crawl)",
    )
    command.add_argument("--kind", choices=KINDS, help="only changes of this kind")
    command.add_argument("--category", help="only changes of articles in this category")
    command.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default: text)"
    )
    command.add_argument(
        "--link",
        metavar="URL",
        help="the address where the archive's Datasette is served: each change gets the link to its diff",
    )
