"""The ``sites`` commands: the sites an archive holds (issue 22), added, listed and removed.

``sites add URL --db ARCHIVE`` makes URL's site one of the archive's: every crawl of the
archive then starts from its start paths, robots.txt, sitemaps and feeds (the project's
defaults, ``TUBAN_START_PATHS``..., unless given) and recognises its entries by its pattern.
``sites list`` says, for each, its entry pattern, how many articles are archived, and what
its last run found. ``sites remove`` stops crawling a site; its articles stay in the archive.
"""

from __future__ import annotations

import argparse
import json

from tuban_crawler import ExitCode
from tuban_crawler.cli.common import AddCommand, UsageError, add_db_argument
from tuban_crawler.normalize.columns import COVERAGE_WORDS

#: What ``sites list`` shows of a site's last run, from the run report's ``sites`` figures.
_FIGURES = (("reached", "entries reached"), ("listing_pages", "listing pages"))


def cmd_sites_add(args: argparse.Namespace) -> int:
    """Add (or change) a site of the archive; print what the next crawl will do with it."""
    from tuban_crawler.discover.sites import SiteError, new_site
    from tuban_crawler.store.archive import ArchiveStore
    from tuban_crawler.store.archivefile import check_writable
    from tuban_crawler.store.database import utc_now
    from tuban_crawler.store.sites import add_site

    try:
        site = new_site(args.url, args.entry_pattern, args.start, args.sitemap, args.feed)
    except SiteError as error:
        raise UsageError(str(error)) from None
    check_writable(args.db)  # not an archive, or read-only: one line, nothing touched
    with ArchiveStore(args.db).open() as store, store.atomic():
        new = add_site(store.db, site, utc_now(), note=args.note or "")
        backfill = new and store.get_state("backfill_complete") is not None
        if backfill:
            # The new site was never walked: the next run walks every site (fetching only what
            # is not archived), so that the new one is backfilled, not read incrementally.
            store.db.execute("delete from crawl_state where key = 'backfill_complete'")
    print(
        f"{'added' if new else 'changed'} {site.origin} to {args.db}: entries {site.entry.text}; "
        f"start {_paths(site.start_paths)}; sitemaps {_paths(site.sitemaps)}; feeds {_paths(site.feeds)}"
    )
    if backfill:
        print("the next crawl of this archive walks every site (the new one's backfill)")
    return ExitCode.OK


def _paths(paths: tuple[str, ...]) -> str:
    return " ".join(paths) if paths else "(the project's defaults)"


def cmd_sites_list(args: argparse.Namespace) -> int:
    """Print each site of the archive: entry pattern, articles archived, its last run's date and coverage."""
    from tuban_crawler.store.archive import ArchiveStore
    from tuban_crawler.store.sites import site_summaries

    with ArchiveStore(args.db).open_read_only() as store:
        summaries = site_summaries(store.db)
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "origin": s.site.origin,
                        "entry_pattern": s.site.entry.text,
                        "start_paths": list(s.site.start_paths),
                        "sitemaps": list(s.site.sitemaps),
                        "feeds": list(s.site.feeds),
                        "note": s.site.note,
                        "articles": s.articles,
                        "last_run": s.last_run,
                        "last_status": s.last_status,
                        "last_figures": s.coverage,
                    }
                    for s in summaries
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return ExitCode.OK
    if not summaries:
        print(f"{args.db} has no sites yet: its first crawl records its base URL's")
        return ExitCode.OK
    for s in summaries:
        print(f"{s.site.origin}  entries {s.site.entry.text}  {s.articles:,} articles archived")
        if s.last_run is None:
            print("  last run: never crawled")
        else:
            figures = "; ".join(
                f"{words} {s.coverage[key]:,}" for key, words in _FIGURES if key in s.coverage
            )
            coverage = ", ".join(
                f"{COVERAGE_WORDS.get(name, name)} {value:.0%}"
                for name, value in (s.coverage.get("coverage") or {}).items()
                if value is not None
            )
            print(
                f"  last run {s.last_run}: {s.last_status}"
                + (f"; {figures}" if figures else "")
                + (f"; pages with {coverage}" if coverage else "")
            )
        print(
            f"  start {_paths(s.site.start_paths)}; sitemaps {_paths(s.site.sitemaps)};"
            f" feeds {_paths(s.site.feeds)}"
        )
    return ExitCode.OK


def cmd_sites_remove(args: argparse.Namespace) -> int:
    """Remove a site from the archive's sites (its articles stay); say so."""
    from tuban_crawler.store.archive import ArchiveStore
    from tuban_crawler.store.archivefile import check_writable, connect_read_only
    from tuban_crawler.store.sites import read_sites, remove_site

    connect_read_only(args.db).close()  # no archive there: one line
    check_writable(args.db)
    with ArchiveStore(args.db).open() as store, store.atomic():
        sites = read_sites(store.db)
        removed = remove_site(store.db, args.url)
        if removed is None:
            known = ", ".join(site.origin for site in sites) or "none"
            raise UsageError(f"{args.url} is not a site of {args.db} (its sites: {known})")
        if len(sites) == 1:
            raise UsageError(
                f"{removed.origin} is the only site of {args.db}: nothing would be left to crawl"
            )
    print(f"removed {removed.origin} from {args.db}: its articles stay, no crawl asks for it again")
    return ExitCode.OK


def add_commands(add: AddCommand) -> None:
    """Add the ``sites`` command and its ``add``, ``list`` and ``remove`` actions to the parser."""
    command = add("sites", cmd_sites_list, "the sites an archive crawls: add, list, remove")
    actions = command.add_subparsers(dest="action", required=True, metavar="ACTION")
    adding = actions.add_parser(
        "add",
        help="add a site to the archive (every crawl of it reads the site too)",
        description="Add a site (the origin of URL) to the archive: every crawl then starts from its "
        "start paths, robots.txt, sitemaps and feeds, and archives its entries.",
    )
    adding.set_defaults(handler=cmd_sites_add)
    adding.add_argument(
        "url", metavar="URL", help="the site's address, e.g. https://ppid.tubankab.go.id"
    )
    adding.add_argument(
        "--entry-pattern",
        metavar="P",
        help="how its entries are addressed: /entry/<slug> (default), /page/<id>, /blog/<slug>, or re:REGEX",
    )
    for flag, what in (
        ("--start", "a path to start discovery from"),
        ("--sitemap", "a sitemap's path or URL"),
        ("--feed", "an RSS or Atom feed's path or URL"),
    ):
        adding.add_argument(
            flag,
            action="append",
            default=[],
            metavar="PATH",
            help=f"{what} (repeat for more; default: the project's, e.g. TUBAN_START_PATHS)",
        )
    adding.add_argument("--note", help="a word for the archivist (shown by sites list --json)")
    add_db_argument(adding)
    listing = actions.add_parser(
        "list",
        help="each site: entry pattern, articles archived, its last run and coverage",
        description="Each site of the archive: its entry pattern, articles archived, its last run's date, verdict and coverage.",
    )
    listing.set_defaults(handler=cmd_sites_list)
    listing.add_argument("--json", action="store_true", help="print JSON")
    add_db_argument(listing)
    removing = actions.add_parser(
        "remove",
        help="stop crawling a site (its articles stay)",
        description="Remove a site from the archive's sites: no crawl asks for it again; its articles stay.",
    )
    removing.set_defaults(handler=cmd_sites_remove)
    removing.add_argument("url", metavar="URL", help="the site's address")
    add_db_argument(removing)
