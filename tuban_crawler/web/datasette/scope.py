"""Which of a Datasette's databases are archives, and the metadata each gets whatever its file's name.

The plugin is loaded by plain ``datasette`` (a ``datasette`` entry point), so it sees every
database of the instance: it acts only on archives (a file with an ``articles`` table and
the ``tuban_crawler`` migrations), and leaves any other database as Datasette shows it.
"""

from __future__ import annotations

import functools
import json
import logging
import sqlite3
from typing import Any
from weakref import WeakKeyDictionary

from datasette.utils import tilde_encode

from tuban_crawler.search import search_sql

logger = logging.getLogger(__name__)

#: The database name the shipped metadata.json uses (``datasette archive.db`` names it so).
METADATA_DATABASE = "archive"
#: {datasette: {(database name, path): is an archive}}; a file's nature does not change while served.
_known: WeakKeyDictionary[Any, dict[tuple[str, str], frozenset[str] | None]] = WeakKeyDictionary()


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


@functools.cache
def _metadata_text(name: str, stemmed: bool) -> str:
    from tuban_crawler.web.datasette import METADATA_PATH

    metadata = json.loads(METADATA_PATH.read_text(encoding="utf-8"))
    database = metadata["databases"].pop(METADATA_DATABASE)
    metadata["databases"][name] = database
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


def archive_metadata(name: str = METADATA_DATABASE, stemmed: bool = True) -> dict[str, Any]:
    """Return the project's Datasette metadata for an archive served as NAME (a fresh copy).

    The shipped ``metadata.json`` describes a database called ``archive``; its entry is
    renamed and the relative links of the descriptions follow. STEMMED: whether the
    archive has the stemmed index (else its search uses the exact one).
    """
    return json.loads(_metadata_text(name, stemmed))


def plugin_metadata(datasette: Any, database: str | None) -> dict[str, Any]:
    """Return what the plugin adds to DATASETTE's metadata when it looks up DATABASE (None: the instance).

    The archives' metadata, and the instance's title and description when it serves one;
    nothing for a database that is not an archive.
    """
    names = archive_names(datasette)
    if not names or (database is not None and database not in names):
        return {}
    # Datasette asks for it dozens of times a page: the first archive's entry is parsed once.
    metadata = archive_metadata(names[0], is_stemmed(datasette, names[0]))
    first = metadata["databases"][names[0]]
    metadata["databases"] = {
        name: first
        if name == names[0]
        else archive_metadata(name, is_stemmed(datasette, name))["databases"][name]
        for name in ([database] if database else names)
    }
    return metadata
