"""What the command groups share: the archive's default path and the one way a command fails."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from tuban_crawler import settings as defaults

#: Where commands look by default: the crawl's own defaults (``settings.py``).
DEFAULT_DB = defaults.ARCHIVE_DB
#: The WARC folder's help: by default the one the archive records, else ``warc`` beside it.
WARC_DIR_HELP = "the WARC folder (default: the one --db records, else warc beside --db)"

#: A command's handler: the parsed arguments in, the exit status out.
Handler = Callable[[argparse.Namespace], int]
#: Adds a command to the parser: its name, handler and help text in, its sub-parser out.
AddCommand = Callable[[str, Handler, str], argparse.ArgumentParser]


class CommandError(Exception):
    """A mistake of the command's user: the message says what is wrong and what to do.

    ``main`` prints it as one line on stderr and exits with ``ExitCode.ERROR``.
    """


class UsageError(CommandError):
    """A bad option or setting that argparse can't see alone (a value out of range, an empty query).

    ``main`` prints it as one line on stderr and exits with ``ExitCode.USAGE``.
    """


def terminal_overrides() -> dict[str, Any]:
    """Return the settings for a person watching at a terminal (none for cron and systemd)."""
    # A person watching gets a live status line; cron and systemd (no terminal) get the log only.
    return {"TUBAN_STATUS_LINE": True} if sys.stderr.isatty() else {}


def add_db_argument(command: argparse.ArgumentParser) -> None:
    """Add ``--db``, the archive file (default: the crawl's), to COMMAND."""
    command.add_argument("--db", default=DEFAULT_DB, help="archive file (default: %(default)s)")
