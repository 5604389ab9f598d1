"""An archive belongs to one site, and a WARC directory to one archive (issue 9).

The archive records its site's origin (host without ``www.``, and the port when it is not
the scheme's default: ``http`` and ``https`` serve the same site) at its first crawl, and a
crawl of another origin is refused unless asked for (``crawl --other-site``): a demo or a
mistyped ``--base-url`` never mixes another site's pages into a real archive.

A WARC directory holds a small file naming the archive whose captures it holds, so that two
archives never write into one directory (their revisit records would point into each
other's files).
"""

from __future__ import annotations

import logging
import uuid
from pathlib import Path
from urllib.parse import urlsplit

from tuban_crawler.discover.urls import bare_host
from tuban_crawler.store.archive import ArchiveStore

logger = logging.getLogger(__name__)

DEFAULT_PORTS = {"http": 80, "https": 443}
#: The file in a WARC directory naming the archive it belongs to.
WARC_OWNER_FILE = "tuban-archive-id"


def site_origin(url: str) -> str:
    """Return the origin of URL as the archive records it: scheme-insensitive host, and port if not a default.

    >>> site_origin("https://www.tubankab.go.id/berita"), site_origin("http://tubankab.go.id:80/")
    ('tubankab.go.id', 'tubankab.go.id')
    >>> site_origin("http://127.0.0.1:8000")
    '127.0.0.1:8000'
    """
    parts = urlsplit(url)
    host = bare_host((parts.hostname or "").lower())
    port = parts.port
    if port is None or port in DEFAULT_PORTS.values():
        return host
    return f"{host}:{port}"


def archive_origin(store: ArchiveStore) -> str | None:
    """Return the origin STORE's archive belongs to (recorded, or that of its first run), or None."""
    origin = store.get_state("origin")
    if origin:
        return origin
    first = next(
        iter(store.db.query("select base_url from crawl_runs order by started_at, rowid limit 1")),
        None,
    )
    return site_origin(first["base_url"]) if first and first["base_url"] else None


def claim_site(store: ArchiveStore, base_url: str, other_site: bool = False) -> str | None:
    """Return why STORE's archive refuses a crawl of BASE_URL, or None after recording its origin.

    Parameters:
        store: the open archive.
        base_url: the site about to be crawled.
        other_site: crawl it even when the archive belongs to another site.
    """
    origin, wanted = archive_origin(store), site_origin(base_url)
    if origin is None or store.get_state("origin") is None:
        store.set_state("origin", origin or wanted)
    if origin is None or origin == wanted:
        return None
    if other_site:
        logger.warning(
            "crawling %s into the archive of %s, as asked (--other-site)", wanted, origin
        )
        return None
    return (
        f"{store.path} is the archive of {origin}, not of {wanted}: not crawling "
        f"(another --db for another site, or --other-site to mix them)"
    )


def claim_warc_directory(store: ArchiveStore, directory: str | Path) -> str | None:
    """Return why DIRECTORY can't take STORE's WARC files (another archive's), or None after claiming it."""
    archive_id = store.get_state("archive_id")
    if archive_id is None:
        archive_id = uuid.uuid4().hex
        store.set_state("archive_id", archive_id)
    owner_file = Path(directory) / WARC_OWNER_FILE
    if owner_file.exists():
        owner = owner_file.read_text(encoding="ascii", errors="replace").strip()
        if owner != archive_id:
            return (
                f"{directory} holds the WARC files of another archive: give {store.path} "
                f"its own --warc-dir"
            )
        return None
    owner_file.parent.mkdir(parents=True, exist_ok=True)
    owner_file.write_text(archive_id + "\n", encoding="ascii")
    return None
