"""``tuban-crawler serve``: browse the archive in Datasette, read-only, with the project's metadata and plugin.

What it starts is plain Datasette (the stable 0.65 line) with the plugin package
``tuban_crawler.web.datasette``, which plain ``datasette archive.db`` loads too (an entry point):
the metadata (titles, descriptions of every table and column, facets, the stemmed search,
canned queries) whatever the file is called, article pages, the monthly chart, the
stylesheet, a Content-Security-Policy. What ``serve`` adds: Datasette settings for a big
archive (longer time limits) and a check that the file is an archive.

Read-only: the archive is opened in Datasette's normal ("mutable") mode, which reads
through ``mode=ro`` connections and, in 0.65, offers no endpoint that writes (no write
canned queries, no write plugins). It is not opened as immutable on purpose: a crawl
may be writing to the file (WAL mode) and an immutable database would not see new rows.
It listens on 127.0.0.1 unless ``--host`` says otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import errno
import logging
import socket
import sys
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8001
#: Datasette settings: facets over thousands of JSON arrays need more than the default 200 ms;
#: the metadata chooses the facets, so Datasette's suggestions would only be noise.
SETTINGS = {"sql_time_limit_ms": 5000, "facet_time_limit_ms": 2000, "suggest_facets": False}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``tuban-crawler serve`` to PARSER."""
    parser.add_argument("--db", default="archive.db", help="archive file (default: %(default)s)")
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help="address to listen on (default: %(default)s, this machine only; 0.0.0.0 for every interface)",
    )
    parser.add_argument(
        "--port",
        type=port_number,
        default=DEFAULT_PORT,
        help="port to listen on (default: %(default)s)",
    )


def port_number(text: str) -> int:
    """Return TEXT as a TCP port number (0 to 65535; 0 picks a free one), or raise ArgumentTypeError.

    >>> port_number("8001")
    8001
    """
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(
            f"expected a port number from 1 to 65535 (0: any free one), got {text!r}"
        )
    return port


def check_archive(db_path: str | Path) -> str | None:
    """Return why DB_PATH can't be served (no such file, not an archive, unreadable), or None when it can."""
    from tuban_crawler.store.archivefile import ArchiveFileError, connect_read_only

    try:
        connect_read_only(db_path).close()
    except ArchiveFileError as error:
        return str(error)
    return None


def register_plugin() -> None:
    """Register the project's Datasette plugin (idempotent; it may already be loaded by an entry point)."""
    from datasette.plugins import pm

    import tuban_crawler.web.datasette as plugin

    if not pm.is_registered(plugin):
        pm.register(plugin, name=plugin.__name__)


def build_datasette(db_path: str | Path, snapshot: bool = False) -> Any:
    """Return a Datasette instance serving DB_PATH read-only with the project's plugin (and so its metadata).

    SNAPSHOT serves it as immutable: for a WAL archive this user can't open ``mode=ro``.
    """
    from datasette.app import Datasette

    register_plugin()
    if snapshot:
        return Datasette([], immutables=[str(db_path)], settings=SETTINGS)
    return Datasette([str(db_path)], settings=SETTINGS)


def listen(host: str, port: int) -> socket.socket:
    """Return a socket bound to HOST:PORT and listening; raise OSError (busy port, unknown address)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock


async def _serve(datasette: Any, sock: socket.socket) -> None:
    import uvicorn

    await datasette.invoke_startup()
    config = uvicorn.Config(datasette.app(), log_level="warning", lifespan="on")
    await uvicorn.Server(config).serve(sockets=[sock])


def run(args: argparse.Namespace) -> int:
    """Serve the archive ARGS.db on ARGS.host:ARGS.port until interrupted; return the exit status."""
    from tuban_crawler.store.archivefile import needs_snapshot

    problem = check_archive(args.db)
    if problem:
        print(f"tuban-crawler serve: {problem}", file=sys.stderr)
        return 1
    snapshot = needs_snapshot(args.db)
    datasette = build_datasette(args.db, snapshot=snapshot)
    try:
        # Bound before saying where to browse: a busy port is one line, not a false address.
        sock = listen(args.host, args.port)
    except OSError as error:
        hint = (
            "another program listens there: try --port"
            if error.errno == errno.EADDRINUSE
            else "check --host"
        )
        print(
            f"tuban-crawler serve: can't listen on {args.host}:{args.port} ({error.strerror or error}): {hint}",
            file=sys.stderr,
        )
        return 1
    host = f"[{args.host}]" if ":" in args.host else args.host
    if snapshot:
        print(
            f"{args.db} is read-only to this user and in WAL mode: serving it as it is now "
            f"(restart to see later crawls)",
            file=sys.stderr,
        )
    print(
        f"Browse {args.db} (read-only) at http://{host}:{sock.getsockname()[1]}/ — Ctrl-C to stop",
        flush=True,
    )
    try:
        asyncio.run(_serve(datasette, sock))
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
    return 0
