"""Command line for the test portal: ``python -m tuban_crawler.portal`` or the project CLI."""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from .faults import BREAKAGES, KINDS
from .multi import MultiPortal
from .offices import parse_site_faults, plan_sites
from .themes import THEMES
from .traps import KINDS as TRAP_KINDS


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the portal's options (host, port, articles, seed, edition, faults) to PARSER."""
    parser.add_argument(
        "--host", default="127.0.0.1", help="interface to bind (default: %(default)s)"
    )
    parser.add_argument(
        "--port",
        type=int,
        default=8000,
        help="port to bind, 0 for a free one (default: %(default)s)",
    )
    parser.add_argument(
        "--articles", type=int, default=2000, help="generated articles (default: %(default)s)"
    )
    parser.add_argument("--seed", type=int, default=1, help="content seed (default: %(default)s)")
    parser.add_argument(
        "--edition", type=int, default=1, help="site edition, >= 1 (default: %(default)s)"
    )
    parser.add_argument(
        "--faults",
        default="none",
        help=f"none, chaos, traps, or a comma list of {', '.join((*KINDS, *BREAKAGES, *TRAP_KINDS))} with optional "
        "slow_delay=SECONDS,huge_size=BYTES, for every site but those --site-faults names "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--theme",
        default="classic",
        choices=list(THEMES),
        help="the site's template: the same content in other HTML, URLs, feeds and sitemaps "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--sites",
        type=int,
        default=1,
        metavar="N",
        help="serve N sites on N ports of --host (from --port on, or free ones with --port 0): "
        "the portal, then office sites in other themes with their own stories, re-posts and "
        "teasers of the portal's (every third at /page/<id>), and from N=2 one more site the "
        "portal links to (role unlisted); one base URL a line, the portal's first "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--manifest",
        metavar="FILE",
        help="write a JSON manifest of the sites: origin, role, theme, entry_pattern, entries, "
        "re-posts {url, original}, teasers {url, announces}",
    )
    parser.add_argument(
        "--site-faults",
        action="append",
        metavar="SITE=FAULTS",
        help="site SITE (1 is the portal) gets FAULTS instead of --faults, e.g. 2=nolistings "
        "(repeatable)",
    )
    parser.add_argument(
        "--request-log",
        metavar="FILE",
        help="append one JSON line per request: site, port, path, status, arrived and completed "
        "(wall clock and monotonic seconds)",
    )


def run(args: argparse.Namespace) -> int:
    """Serve the portal's sites until SIGTERM/SIGINT; the first stdout lines are their base URLs. Return the exit code."""
    try:
        specs = plan_sites(
            args.sites,
            articles=args.articles,
            seed=args.seed,
            theme=args.theme,
            faults=args.faults,
            site_faults=parse_site_faults(args.site_faults),
        )
        server = MultiPortal(
            specs,
            host=args.host,
            port=args.port,
            edition=args.edition,
            request_log=args.request_log,
        ).start()
    except (OSError, ValueError) as error:
        print(f"portal: {error}", file=sys.stderr)
        return 1
    try:
        if args.manifest:
            server.write_manifest(args.manifest)
    except OSError as error:
        server.stop()
        print(f"portal: cannot write the manifest: {error}", file=sys.stderr)
        return 1
    print("\n".join(server.base_urls), flush=True)
    stopping = threading.Event()

    def _stop(signum: int, frame: object) -> None:
        stopping.set()

    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        while not stopping.wait(0.5):
            pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        server.stop()
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse ARGV and run the portal; return the exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m tuban_crawler.portal",
        description="Serve the local test portal of tubankab.go.id.",
    )
    add_arguments(parser)
    return run(parser.parse_args(argv))
