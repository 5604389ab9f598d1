"""Which of a Datasette's databases are archives, and the metadata each gets whatever its file's name.

The plugin is loaded by plain ``datasette`` (a ``datasette`` entry point), so it sees every
database of the instance: it acts only on archives (a file with an ``articles`` table and
the ``tuban_crawler`` migrations), and leaves any other database as Datasette shows it.
"""

from __future__ import annotations

import functools
import html
import json
import logging
import sqlite3
import time
from typing import Any
from weakref import WeakKeyDictionary

from datasette.utils import tilde_encode

from tuban_crawler.crawl.ownership import site_origin
from tuban_crawler.search import search_sql

logger = logging.getLogger(__name__)

#: The database name the shipped metadata.json uses (``datasette archive.db`` names it so).
METADATA_DATABASE = "archive"
#: {datasette: {(database name, path): is an archive}}; a file's nature does not change while served.
_known: WeakKeyDictionary[Any, dict[tuple[str, str], frozenset[str] | None]] = WeakKeyDictionary()
#: {datasette: {(database name, path): ((origin, address) or None, when it was read)}}.
_sites: WeakKeyDictionary[Any, dict[tuple[str, str], tuple[tuple[str, str] | None, float]]] = (
    WeakKeyDictionary()
)
#: Seconds before the site of an archive without one (never crawled) is read again.
SITE_RECHECK = 60.0
#: The site the shipped metadata.json describes (an archive of another site is named as its own).
DEFAULT_SITE = "tubankab.go.id"
#: The link to the default site in metadata.json's descriptions.
DEFAULT_SITE_LINK = (
    '<a href="https://tubankab.go.id" rel="noopener noreferrer nofollow">tubankab.go.id</a>'
)


def archive_tables(path: str) -> frozenset[str] | None:
    """Return the table names of the SQLite file at PATH when it is a tuban-crawler archive, else None."""
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            names = frozenset(
                row[0]
                for row in connection.execute("select name from sqlite_master where type = 'table'")
            )
            crawler = {"articles", "_sqlite_migrations"} <= names and connection.execute(
                "select 1 from _sqlite_migrations where migration_set = 'tuban_crawler' limit 1"
            ).fetchone() is not None
        finally:
            connection.close()
    except sqlite3.Error:
        return None
    return names if crawler else None


def _tables(datasette: Any, database: str | None) -> frozenset[str] | None:
    if not database:
        return None
    db = datasette.databases.get(database)
    if db is None or db.is_memory or not db.path:
        return None
    known = _known.setdefault(datasette, {})
    key = (database, str(db.path))
    if key not in known:
        known[key] = archive_tables(str(db.path))
    return known[key]


def archive_site(path: str) -> tuple[str, str] | None:
    """Return (origin, address) of the site the archive at PATH belongs to (its ownership record), or None before its first crawl."""
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            state = connection.execute(
                "select value from crawl_state where key = 'origin'"
            ).fetchone()
            first = connection.execute(
                "select base_url from crawl_runs order by started_at, rowid limit 1"
            ).fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        return None
    base_url = first[0] if first and first[0] else None
    origin = state[0] if state and state[0] else (site_origin(base_url) if base_url else None)
    if origin is None:
        return None
    scheme = base_url.split(":", 1)[0] if base_url else "https"
    return origin, f"{scheme}://{origin}"


def site_of(datasette: Any, database: str | None) -> tuple[str, str] | None:
    """Return (origin, address) of the site whose archive DATABASE is, or None (not an archive, not crawled yet)."""
    db = datasette.databases.get(database) if database else None
    if not is_archive(datasette, database) or db is None:
        return None
    # Asked dozens of times a page: an archive's site never changes once recorded, and one
    # not yet crawled is looked at again a minute later.
    known = _sites.setdefault(datasette, {})
    key = (str(database), str(db.path))
    site, checked = known.get(key, (None, -SITE_RECHECK))
    if site is None and time.monotonic() - checked >= SITE_RECHECK:
        known[key] = (site := archive_site(str(db.path))), time.monotonic()
    return site


def is_archive(datasette: Any, database: str | None) -> bool:
    """Return whether DATABASE, one of DATASETTE's databases, is an archive."""
    return _tables(datasette, database) is not None


def is_stemmed(datasette: Any, database: str | None) -> bool:
    """Return whether DATABASE is an archive with the stemmed index (older ones get it at their next crawl)."""
    return "articles_stem_fts" in (_tables(datasette, database) or ())


def has_category_table(datasette: Any, database: str | None) -> bool:
    """Return whether DATABASE is an archive with ``article_categories`` (older ones get it at their next crawl)."""
    return "article_categories" in (_tables(datasette, database) or ())


def has_table(datasette: Any, database: str | None, table: str) -> bool:
    """Return whether DATABASE is an archive holding TABLE (one an older archive may lack)."""
    return table in (_tables(datasette, database) or ())


def archive_names(datasette: Any) -> list[str]:
    """Return the names of DATASETTE's databases that are archives, in the order it serves them."""
    return [name for name in list(datasette.databases) if is_archive(datasette, name)]


def _own_site(metadata: dict[str, Any], database: dict[str, Any], site: tuple[str, str]) -> None:
    # An archive of another site (the demo's test portal, a subdomain) is named as what it is.
    origin, address = site
    link = f'<a href="{address}" rel="noopener noreferrer nofollow">{html.escape(origin)}</a>'
    metadata["title"] = f"News archive of {origin}"
    metadata["description_html"] = (
        metadata["description_html"]
        .replace(
            "The news of the regency government of Tuban (East Java, Indonesia), archived "
            f"article by article from its portal {DEFAULT_SITE_LINK}",
            f"The news of {link}, archived article by article",
        )
        .replace("the Pemerintah Kabupaten Tuban", "their publisher")
    )
    metadata["source"], metadata["source_url"] = origin, address
    metadata["license"] = (
        f"Articles © their publisher ({origin}); archived for research and preservation. "
        "Archive structure and code: MIT"
    )
    database["description_html"] = database["description_html"].replace(DEFAULT_SITE_LINK, link)


@functools.cache
def _metadata_text(name: str, stemmed: bool, site: tuple[str, str] | None = None) -> str:
    from tuban_crawler.web.datasette import METADATA_PATH

    metadata = json.loads(METADATA_PATH.read_text(encoding="utf-8"))
    database = metadata["databases"].pop(METADATA_DATABASE)
    metadata["databases"][name] = database
    if site is not None and site[0] != DEFAULT_SITE:
        _own_site(metadata, database, site)
    if not stemmed:
        # An archive from before the stemmed index: exact words until its next crawl adds it,
        # and the day derived from published_at (it may be older than published_date too).
        database["tables"]["articles"]["fts_table"] = "articles_fts"
        query = database["queries"]["search_articles"]
        query["sql"] = database["queries"]["search_exact"]["sql"] = search_sql(
            exact=True, stored_day=False
        )
        query["description"] = (
            "This archive has no stemmed index yet (its next crawl adds it): words match as written."
        )
    # The descriptions link to the database's pages by its name.
    old_link, new_link = f'href="{METADATA_DATABASE}/', f'href="{tilde_encode(name)}/'
    for entry in (metadata, database):
        entry["description_html"] = entry["description_html"].replace(old_link, new_link)
    return json.dumps(metadata)


def archive_metadata(
    name: str = METADATA_DATABASE, stemmed: bool = True, site: tuple[str, str] | None = None
) -> dict[str, Any]:
    """Return the project's Datasette metadata for an archive served as NAME (a fresh copy).

    The shipped ``metadata.json`` describes a database called ``archive``; its entry is
    renamed and the relative links of the descriptions follow. STEMMED: whether the
    archive has the stemmed index (else its search uses the exact one). SITE: (origin,
    address) of the archive's site, when it is not tubankab.go.id.
    """
    return json.loads(_metadata_text(name, stemmed, site))


def plugin_metadata(datasette: Any, database: str | None) -> dict[str, Any]:
    """Return what the plugin adds to DATASETTE's metadata when it looks up DATABASE (None: the instance).

    The archives' metadata, and the instance's title and description when it serves one;
    nothing for a database that is not an archive.
    """
    names = archive_names(datasette)
    if not names or (database is not None and database not in names):
        return {}
    # Datasette asks for it dozens of times a page: the first archive's entry is parsed once.
    metadata = archive_metadata(
        names[0], is_stemmed(datasette, names[0]), site_of(datasette, names[0])
    )
    first = metadata["databases"][names[0]]
    metadata["databases"] = {
        name: first
        if name == names[0]
        else archive_metadata(name, is_stemmed(datasette, name), site_of(datasette, name))[
            "databases"
        ][name]
        for name in ([database] if database else names)
    }
    return metadata
