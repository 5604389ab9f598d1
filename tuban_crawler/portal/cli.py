"""Command line for the test portal: ``python -m tuban_crawler.portal`` or the project CLI."""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from .faults import BREAKAGES, KINDS
from .server import PortalServer
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
        "slow_delay=SECONDS,huge_size=BYTES (default: %(default)s)",
    )
    parser.add_argument(
        "--theme",
        default="classic",
        choices=list(THEMES),
        help="the site's template: the same content in other HTML, URLs, feeds and sitemaps "
        "(default: %(default)s)",
    )


def run(args: argparse.Namespace) -> int:
    """Serve the portal until SIGTERM/SIGINT; the first stdout line is its base URL. Return the exit code."""
    try:
        server = PortalServer(
            articles=args.articles,
            seed=args.seed,
            edition=args.edition,
            host=args.host,
            port=args.port,
            faults=args.faults,
            theme=args.theme,
        ).start()
    except (OSError, ValueError) as error:
        print(f"portal: {error}", file=sys.stderr)
        return 1
    print(server.base_url, flush=True)
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
