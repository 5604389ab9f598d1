"""``tuban-crawler serve``: browse the archive in Datasette, read-only, with the project's metadata and plugin.

What it starts is plain Datasette (the stable 0.65 line) with the plugin package
``tuban_crawler.datasette``, which plain ``datasette archive.db`` loads too (an entry point):
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
import logging
import sqlite3
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
        "--host", default=DEFAULT_HOST,
        help="address to listen on (default: %(default)s, this machine only; 0.0.0.0 for every interface)",
    )  # fmt: skip
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="port to listen on (default: %(default)s)")


def check_archive(db_path: str | Path) -> str | None:
    """Return why DB_PATH can't be served (no such file, not an archive), or None when it can."""
    path = Path(db_path)
    if not path.is_file():
        return f"no archive at {path} (crawl first, or try: tuban-crawler demo --db {path})"
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            found = connection.execute(
                "select 1 from sqlite_master where type = 'table' and name = 'articles'"
            ).fetchone()
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        return f"{path} is not a readable SQLite file: {error}"
    return None if found else f"{path} is not a tuban-crawler archive (it has no articles table)"


def register_plugin() -> None:
    """Register the project's Datasette plugin (idempotent; it may already be loaded by an entry point)."""
    from datasette.plugins import pm

    import tuban_crawler.datasette as plugin

    if not pm.is_registered(plugin):
        pm.register(plugin, name=plugin.__name__)


def build_datasette(db_path: str | Path) -> Any:
    """Return a Datasette instance serving DB_PATH read-only with the project's plugin (and so its metadata)."""
    from datasette.app import Datasette

    register_plugin()
    return Datasette([str(db_path)], settings=SETTINGS)


async def _serve(datasette: Any, host: str, port: int) -> None:
    import uvicorn

    await datasette.invoke_startup()
    config = uvicorn.Config(datasette.app(), host=host, port=port, log_level="info", lifespan="on")
    await uvicorn.Server(config).serve()


def run(args: argparse.Namespace) -> int:
    """Serve the archive ARGS.db on ARGS.host:ARGS.port until interrupted; return the exit status."""
    problem = check_archive(args.db)
    if problem:
        print(problem, file=sys.stderr)
        return 1
    datasette = build_datasette(args.db)
    host = f"[{args.host}]" if ":" in args.host else args.host
    print(f"Browse {args.db} (read-only) at http://{host}:{args.port}/ — Ctrl-C to stop", flush=True)
    try:
        asyncio.run(_serve(datasette, args.host, args.port))
    except KeyboardInterrupt:
        pass
    return 0
