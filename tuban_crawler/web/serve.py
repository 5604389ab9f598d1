"""Datasette over the archive, read-only, with the project's metadata and plugin (``tuban-crawler serve``).

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

import logging
import socket
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8001
#: Datasette settings: facets over thousands of JSON arrays need more than the default 200 ms;
#: the metadata chooses the facets, so Datasette's suggestions would only be noise.
SETTINGS = {"sql_time_limit_ms": 5000, "facet_time_limit_ms": 2000, "suggest_facets": False}


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


async def serve_socket(datasette: Any, sock: socket.socket) -> None:
    """Serve DATASETTE on the listening socket SOCK until the server stops (Ctrl-C)."""
    import uvicorn

    await datasette.invoke_startup()
    config = uvicorn.Config(datasette.app(), log_level="warning", lifespan="on")
    await uvicorn.Server(config).serve(sockets=[sock])
