"""An archive belongs to its sites, and a WARC directory to one archive (issues 9, 22), whatever starts the crawl.

The archive records its site's origin (host without ``www.``, and the port when it is not
the scheme's default: ``http`` and ``https`` serve the same site) at its first crawl, and a
crawl of another origin is refused unless asked for (``crawl --other-site``): a demo or a
mistyped ``--base-url`` never mixes another site's pages into a real archive. Since issue 22
the archive holds a set of sites (``store.sites``: its first crawl's, and those added with
``tuban-crawler sites add``): a crawl whose base URL is any of them is the archive's own.

A WARC directory holds a small file naming the archive whose captures it holds, so that two
archives never write into one directory (their revisit records would point into each
other's files).

``refusal`` checks both without writing anything; ``claim`` records them once every check has
passed. The run recorder asks both at the start of every crawl (``tuban-crawler crawl``,
``demo`` and ``scrapy crawl`` alike); the command line asks ``refusal`` before it starts one,
so that a refused crawl starts no portal nor process.
"""

from __future__ import annotations

import logging
import sqlite3
import uuid
from pathlib import Path
from urllib.parse import urlsplit

from tuban_crawler.discover.sites import Site, same_site, site_of
from tuban_crawler.discover.urls import bare_host
from tuban_crawler.store.archive import ArchiveStore
from tuban_crawler.store.archivefile import ArchiveFileError
from tuban_crawler.store.database import utc_now
from tuban_crawler.store.sites import add_site, read_sites
from tuban_crawler.store.warcfolder import (
    ARCHIVE_ID_STATE,
    WARC_DIR_STATE,
    WARC_OWNER_FILE,
    warc_owner,
)

logger = logging.getLogger(__name__)

DEFAULT_PORTS = {"http": 80, "https": 443}


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


def refusal(
    db_path: str | Path, base_url: str, warc_dir: Path | None, other_site: bool = False
) -> str | None:
    """Return why a crawl of BASE_URL into the archive at DB_PATH must not start, or None; write nothing.

    Every way a crawl starts asks this before anything is created or claimed (issue 19: a
    refused run had already created the archive and recorded its site).

    Parameters:
        db_path: the archive file (it may not exist yet).
        base_url: the site about to be crawled.
        warc_dir: the WARC folder the run would write into (None: no WARC files).
        other_site: crawl it even when the archive belongs to another site.
    """
    origin, archive_id, sites = None, None, []
    if Path(db_path).is_file():
        try:
            with ArchiveStore(db_path).open_read_only() as store:
                origin, archive_id = archive_origin(store), store.get_state(ARCHIVE_ID_STATE)
                sites = read_sites(store.db)
        except (sqlite3.Error, ArchiveFileError):
            pass  # a new or empty file (or not an archive: opening it for the crawl says so)
    wanted = site_origin(base_url)
    # An archive never crawled is nobody's yet (its sites may have been added before its first
    # crawl); one older than its sites table (read only: not migrated) has its origin alone.
    ours = origin is None or any(same_site(site.origin, base_url) for site in sites)
    if not sites:
        ours = ours or origin == wanted
    if not ours and not other_site:
        names = ", ".join(site_origin(site.origin) for site in sites) or origin
        return (
            f"{db_path} is the archive of {names}, not of {wanted}: not crawling "
            f"(`tuban-crawler sites add {base_url} --db {db_path}` makes it one of its sites; "
            f"another --db for another site, or --other-site to mix them)"
        )
    owner = warc_owner(warc_dir) if warc_dir is not None else None
    if owner and owner != archive_id:
        return (
            f"{warc_dir} holds the WARC files of another archive: give {db_path} its own --warc-dir"
        )
    return None


def claim(store: ArchiveStore, base_url: str, warc_dir: Path | None) -> None:
    """Record in STORE's archive its site (at its first crawl) and WARC_DIR, and mark WARC_DIR as its.

    Called once ``refusal`` found nothing to refuse, with the archive open for the run.
    """
    origin, wanted = archive_origin(store), site_origin(base_url)
    if store.get_state("origin") is None:
        store.set_state("origin", origin or wanted)
    sites = read_sites(store.db)
    if (
        origin is None
        and site_of(base_url)
        and not any(same_site(s.origin, base_url) for s in sites)
    ):
        # The archive's first crawl: its set of sites holds the base URL's (issue 22).
        with store.atomic():
            add_site(store.db, Site(site_of(base_url)), utc_now(), note="the archive's first site")
    ours = any(same_site(site.origin, base_url) for site in sites)
    if (
        origin is not None and origin != wanted and not ours
    ):  # refusal() let it through: --other-site
        logger.warning(
            "crawling %s into the archive of %s, as asked (--other-site)", wanted, origin
        )
    if warc_dir is None:
        return
    archive_id = store.get_state(ARCHIVE_ID_STATE)
    if archive_id is None:
        archive_id = uuid.uuid4().hex
        store.set_state(ARCHIVE_ID_STATE, archive_id)
    owner_file = warc_dir / WARC_OWNER_FILE
    if not owner_file.exists():
        owner_file.parent.mkdir(parents=True, exist_ok=True)
        owner_file.write_text(archive_id + "\n", encoding="ascii")
    # Every command finds the folder from --db alone (store.warcfolder).
    store.set_state(WARC_DIR_STATE, str(warc_dir.resolve()))
