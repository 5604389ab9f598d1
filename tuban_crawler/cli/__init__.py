"""The ``tuban-crawler`` command: its parser, and the one way any of its commands fails.

One module per group of commands: :mod:`.crawl` (crawl, demo, portal), :mod:`.inspection`
(stats, extract, dates), :mod:`.archive` (search, export, warc, wacz), :mod:`.browse`
(serve, replay), :mod:`.changes` (changes), :mod:`.dataset` (dataset), :mod:`.fixity`
(verify, bag) and :mod:`.sites` (sites add, list, remove).
Each ends with an exit status of :class:`tuban_crawler.ExitCode`; a mistake ends as one line
on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import logging
import sys

from tuban_crawler import ExitCode, __version__
from tuban_crawler.cli import archive, browse, changes, crawl, dataset, fixity, inspection, sites
from tuban_crawler.cli.common import CommandError, Handler, UsageError

logger = logging.getLogger(__name__)

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``tuban-crawler`` command."""
    parser = argparse.ArgumentParser(
        prog="tuban-crawler",
        description="Archive the news of the Tuban regency government (tubankab.go.id) into SQLite.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
        command = commands.add_parser(name, help=help_text, description=help_text)
        command.set_defaults(handler=handler)
        return command

    for group in (crawl, inspection, archive, browse, changes, dataset, fixity, sites):
        group.add_commands(add)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the ``tuban-crawler`` command with ARGV and return its exit status."""
    from tuban_crawler.store.archivefile import ArchiveFileError

    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except UsageError as error:
        print(f"tuban-crawler {args.command}: {error}", file=sys.stderr)
        return ExitCode.USAGE
    except (CommandError, ArchiveFileError) as error:
        # Every mistake answered in one line: what is wrong and what to do.
        print(f"tuban-crawler {args.command}: {error}", file=sys.stderr)
        return ExitCode.ERROR
    except KeyboardInterrupt:
        print(f"tuban-crawler {args.command}: interrupted", file=sys.stderr)
        return ExitCode.INTERRUPTED_BY_USER
    except BrokenPipeError:
        # `tuban-crawler extract page.html | head`: the reader left, nothing went wrong.
        sys.stderr.close()
        return ExitCode.OK
