"""The ``tuban-crawler`` command: crawl, demo, portal, stats, extract, dates, search, serve, export, warc, wacz, replay."""

from __future__ import annotations

import argparse
import json
import logging
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tuban_crawler import __version__

logger = logging.getLogger(__name__)

DEFAULT_DB = "archive.db"
#: A command that could not do what was asked (the one line on stderr says why); Ctrl-C (128 + SIGINT).
EXIT_FAILED, EXIT_INTERRUPTED_BY_USER = 1, 130


class CommandError(Exception):
    """A mistake of the command's user: the message says what is wrong and what to do."""


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


def _terminal_overrides() -> dict[str, Any]:
    # A person watching gets a live status line; cron and systemd (no terminal) get the log only.
    return {"TUBAN_STATUS_LINE": True} if sys.stderr.isatty() else {}


def cmd_crawl(args: argparse.Namespace) -> int:
    """Crawl the portal into the archive; exit status says whether the run looks healthy."""
    from tuban_crawler.crawl.runner import format_report, run_crawl

    overrides = {**_terminal_overrides(), **_crawl_overrides(args)}
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

    from tuban_crawler.crawl.runner import LOOPBACK_HOSTS
    from tuban_crawler.store.archive import ArchiveStore
    from tuban_crawler.store.archivefile import ArchiveFileError
    from tuban_crawler.store.ownership import archive_origin

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
    from tuban_crawler.crawl.runner import format_report, run_crawl
    from tuban_crawler.store.archivefile import check_writable

    check_writable(args.db)  # before the portal starts: a wrong --db is one line
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
            print(f"the test portal did not start{where}", file=sys.stderr)
            return 1
        print(
            f"test portal ({args.theme} theme) with {args.articles} articles at {base_url}; "
            f"crawling into {args.db} ...",
            flush=True,
        )
        # Warnings only: the demo's reader watches the status line, not Scrapy's log.
        overrides = {
            "TUBAN_BASE_URL": base_url,
            "WARC_DIR": args.warc_dir,
            "LOG_LEVEL": "WARNING",
            **_terminal_overrides(),
        }
        outcome = run_crawl(args.db, overrides)
    finally:
        portal.terminate()
        portal.wait(timeout=10)
    print(
        _report_lines(args, outcome, format_report(outcome)),
        file=sys.stderr if outcome.exit_code else sys.stdout,
    )
    if outcome.exit_code == 0:
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
    from tuban_crawler.portal import cli as portal_cli

    return portal_cli.run(args)


def cmd_stats(args: argparse.Namespace) -> int:
    """Print what the archive holds and how the last run went."""
    from tuban_crawler.store.archive import ArchiveStore

    # Read-only: a read command never writes (nor migrates, nor switches a file to WAL).
    with ArchiveStore(args.db).open_read_only() as store:
        print(json.dumps(store.summary(), indent=2, ensure_ascii=False, default=str))
    return 0


def _read_page(target: str) -> str:
    """Return the HTML of TARGET (a saved file or an http(s) URL); raise CommandError saying why not."""
    if target.startswith(("http://", "https://")):
        from tuban_crawler.settings import USER_AGENT

        request = urllib.request.Request(target, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (http(s) only, checked above)
                return response.read().decode(
                    response.headers.get_content_charset() or "utf-8", errors="replace"
                )
        except urllib.error.HTTPError as error:
            raise CommandError(
                f"{target} answered HTTP {error.code} {error.reason}: nothing to extract"
            ) from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", None) or error
            raise CommandError(
                f"can't fetch {target} ({reason}): check the address and the network"
            ) from None
    try:
        return Path(target).read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        raise CommandError(f"no file {target} (give a saved HTML file or an http(s) URL)") from None
    except IsADirectoryError:
        raise CommandError(
            f"{target} is a folder: give a saved HTML file or an http(s) URL"
        ) from None
    except PermissionError:
        raise CommandError(
            f"{target} is not readable by this user (check its permissions)"
        ) from None


def cmd_extract(args: argparse.Namespace) -> int:
    """Print as JSON the fields extracted from one saved or live page, each with its source."""
    from tuban_crawler.discover.urls import canonical_url
    from tuban_crawler.extract import extract_entry
    from tuban_crawler.items import ArticleItem
    from tuban_crawler.normalize.article import normalize_article

    target = args.page
    html = _read_page(target)
    url = args.url or (
        target if target.startswith(("http://", "https://")) else Path(target).resolve().as_uri()
    )
    raw = extract_entry(html, url)
    item = ArticleItem(url=canonical_url(url), fetch={"fetched_url": url}, raw=raw)
    normalize_article(item)
    # Which extraction source each archive column comes from (see ``xpaths``).
    from tuban_crawler.normalize.columns import EXTRACT_SOURCES as source_of

    fields = {
        name: {"value": item.record[name], "source": item.record["field_sources"].get(source)}
        for name, source in source_of.items()
    }
    # What every other source said, beside the column it would have filled.
    for name in ("title", "published_at", "author", "categories", "views", "body_text"):
        others = [
            c for c in raw.candidates.get(source_of[name], []) if not c["verdict"].startswith("won")
        ]
        if others:
            fields[name]["others"] = others
    summary = {
        "url": url,
        "kind": item.record["kind"],
        "layout": raw.layout,
        "fields": fields,
        "selectors_drifted": raw.drifted,
        "mentioned_dates": item.mentioned,
    }
    print(json.dumps(summary, indent=2, ensure_ascii=False))
    return 0


def cmd_dates(args: argparse.Namespace) -> int:
    """Read ``text<TAB>reference`` lines on stdin; write one ISO value (or an empty line) per line."""
    from tuban_crawler.dates import run_batch

    return run_batch(sys.stdin, sys.stdout)


def cmd_search(args: argparse.Namespace) -> int:
    """Print the archive's articles best matching a query, any form of its words."""
    from tuban_crawler import search

    return search.run(args)


def cmd_serve(args: argparse.Namespace) -> int:
    """Browse the archive in Datasette with the project's metadata and plugins."""
    from tuban_crawler.web import serve

    return serve.run(args)


def cmd_export(args: argparse.Namespace) -> int:
    """Write the whole archive as JSON lines or CSV."""
    from tuban_crawler.store import export

    return export.run(args)


def cmd_warc(args: argparse.Namespace) -> int:
    """Check the WARC files, or rebuild a page from them alone."""
    from tuban_crawler import warc

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
        return 1 if problems else 0
    try:
        page = warc.reconstruct(directory, args.url)
    except KeyError:
        print(f"no capture of {args.url} in {directory}", file=sys.stderr)
        return 1
    if args.headers:
        print(f"HTTP/1.1 {page.status}", file=sys.stderr)
        for name, value in page.headers:
            print(f"{name}: {value}", file=sys.stderr)
    sys.stdout.buffer.write(page.body)
    return 0


def cmd_wacz(args: argparse.Namespace) -> int:
    """Package the WARC files and a page per article as one WACZ."""
    from tuban_crawler.warc import wacz

    return wacz.run(args)


def cmd_replay(args: argparse.Namespace) -> int:
    """Replay the archive's WARC files through pywb on 127.0.0.1."""
    from tuban_crawler.web import replay

    return replay.run(args)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``tuban-crawler`` command."""
    parser = argparse.ArgumentParser(
        prog="tuban-crawler",
        description="Archive the news of the Tuban regency government (tubankab.go.id) into SQLite.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, handler: Any, help_text: str) -> argparse.ArgumentParser:
        command = commands.add_parser(name, help=help_text, description=help_text)
        command.set_defaults(handler=handler)
        return command

    crawl = add(
        "crawl",
        cmd_crawl,
        "Crawl the portal into the archive (incremental unless --full). "
        "Exit 0 ok, 1 could not start (the line printed says why), 2 bad option or setting, "
        "3 broken run (nothing found, layout changed, entries lost), 4 interrupted, "
        "74 the archive can't be written (disk full, read-only), 75 archive busy.",
    )
    crawl.add_argument("--db", default=DEFAULT_DB, help="archive file (default: %(default)s)")
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
    crawl.add_argument("--warc-dir", help="where WARC files go (default: warc)")
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
    demo.add_argument("--db", default=DEFAULT_DB, help="archive file (default: %(default)s)")
    demo.add_argument(
        "--articles",
        type=int,
        default=1500,
        help="articles in the test portal (default: %(default)s)",
    )
    demo.add_argument(
        "--warc-dir", default="warc", help="where WARC files go (default: %(default)s)"
    )
    from tuban_crawler.portal.themes import THEMES

    demo.add_argument(
        "--theme",
        default="classic",
        choices=list(THEMES),
        help="the test portal's template (default: %(default)s)",
    )

    portal = add(
        "portal",
        cmd_portal,
        "Serve the local test portal (prints its base URL first, serves until killed).",
    )
    from tuban_crawler.portal import cli as portal_cli

    portal_cli.add_arguments(portal)

    stats = add("stats", cmd_stats, "Print what the archive holds and how the last run went.")
    stats.add_argument("--db", default=DEFAULT_DB, help="archive file (default: %(default)s)")

    extract = add(
        "extract",
        cmd_extract,
        "Print as JSON the fields extracted from a saved or live page: "
        "the source that won each field and what the others said.",
    )
    extract.add_argument("page", metavar="FILE_OR_URL", help="a saved HTML file or an http(s) URL")
    extract.add_argument(
        "--url", help="the page's address (for a saved file; resolves relative links)"
    )

    from tuban_crawler import search
    from tuban_crawler.store import export
    from tuban_crawler.web import serve

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

    warc = add(
        "warc",
        cmd_warc,
        "Check the WARC files (warcio check), or print a page rebuilt from them alone.",
    )
    actions = warc.add_subparsers(dest="action", required=True, metavar="ACTION")
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

    from tuban_crawler.warc import wacz
    from tuban_crawler.web import replay

    wacz.add_arguments(
        add(
            "wacz",
            cmd_wacz,
            "Package the WARC files, their index and a page per article as a WACZ.",
        )
    )
    replay.add_arguments(
        add(
            "replay",
            cmd_replay,
            "Replay the archived pages as captured, through pywb on 127.0.0.1.",
        )
    )

    add(
        "dates",
        cmd_dates,
        "Read `text<TAB>reference` lines on stdin; write one ISO date per line (empty: unknown).",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the ``tuban-crawler`` command with ARGV and return its exit status."""
    from tuban_crawler.store.archivefile import ArchiveFileError

    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except (CommandError, ArchiveFileError) as error:
        # Every mistake answered in one line: what is wrong and what to do.
        print(f"tuban-crawler {args.command}: {error}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print(f"tuban-crawler {args.command}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED_BY_USER
    except BrokenPipeError:
        # `tuban-crawler extract page.html | head`: the reader left, nothing went wrong.
        sys.stderr.close()
        return 0
