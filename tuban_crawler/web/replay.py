"""pywb over the archive's WARC files and CDXJ index, on 127.0.0.1 (``tuban-crawler replay``).

pywb runs as its own program (``wayback``), from its own environment: its pins (werkzeug,
redis, pyOpenSSL) and its ``brotlipy``, which replaces the ``brotli`` module Scrapy
decodes ``br`` responses with, must not share an environment with the crawler. It is
found as ``--pywb``, else ``$TUBAN_PYWB``, else ``wayback`` beside this Python or on PATH.

The collection is written as a pywb ``config.yaml`` in a temporary folder pointing at the
WARC folder and its ``index.cdxj`` (nothing is copied), so a capture replays at
``http://127.0.0.1:PORT/COLLECTION/[TIMESTAMP/]URL``.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
import sys
from pathlib import Path

from tuban_crawler.warc import INDEX_NAME, LOCK_NAME
from tuban_crawler.warc.index import refresh_index

logger = logging.getLogger(__name__)

DEFAULT_PORT = 8090
COLLECTION = "tuban"


def pywb_config(warc_dir: Path, collection: str = COLLECTION) -> str:
    """Return pywb's config.yaml text for one collection over WARC_DIR and its CDXJ index.

    >>> print(pywb_config(Path("/data/warc")), end="")
    collections:
      tuban:
        archive_paths: "/data/warc/"
        index_paths: "/data/warc/index.cdxj"
    """
    directory = Path(warc_dir).resolve()
    # JSON strings are valid YAML scalars, whatever the path holds.
    return (
        f"collections:\n  {collection}:\n"
        f"    archive_paths: {json.dumps(str(directory) + os.sep)}\n"
        f"    index_paths: {json.dumps(str(directory / INDEX_NAME))}\n"
    )


def find_wayback(explicit: str | None = None) -> str | None:
    """Return the path of pywb's ``wayback`` program, or None when it is not installed."""
    for candidate in (explicit, os.environ.get("TUBAN_PYWB")):
        if candidate:
            return shutil.which(candidate) or (candidate if Path(candidate).is_file() else None)
    beside = Path(sys.executable).with_name("wayback")
    return str(beside) if beside.is_file() else shutil.which("wayback")


def replay_command(wayback: str, port: int) -> list[str]:
    """Return the command that starts pywb on 127.0.0.1:PORT."""
    return [wayback, "--port", str(port), "--bind", "127.0.0.1"]


def bring_index_up_to_date(warc_dir: Path) -> None:
    """Index the WARC files the index lacks, unless a crawl is writing (it will do it)."""
    with open(Path(warc_dir) / LOCK_NAME, "a", encoding="utf-8") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            logger.info("a crawl is writing in %s: replaying the index as it is", warc_dir)
            return
        refresh_index(Path(warc_dir))
