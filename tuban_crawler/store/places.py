"""Where and who: the kecamatan, desa and offices each article mentions, kept beside it (issue 24).

Two tables, one row per mention, with its evidence (the text matched, the field and the
character offsets in it), each tagged with the article's ``version`` it was read from:

- ``article_places``: ``kind`` (``kecamatan``, ``desa`` or ``kelurahan``), ``name``, the
  ``kecamatan`` it lies in (itself for a kecamatan) and its Kemendagri ``code``;
- ``article_offices``: the office's ``office_id``, ``name`` and ``abbreviation``.

The tagger (``tuban_crawler.places.tag_article``) is pure and reads title and body only, so
the store runs it when an article's content is new or changed (``replace_article_tags``, in
the same transaction as the row): an unchanged article costs nothing, and the tables always
describe the version in ``articles``. Migration m014 creates them and tags the archive
already stored (``create_place_tables``); an archive opened by a newer tagger (its rules or its
gazetteer changed: ``places.tagger_version``, kept in ``crawl_state``) is tagged again whole
(``retag_if_stale``, at ``ArchiveStore.open``), so better rules reach every archived article. Mentions the tagger refused (a desa name shared by
two kecamatan with neither beside it, a word that is also a common noun) are not stored.

``article_rowid`` is the article's rowid, as in ``article_categories``: the Datasette filters
test it straight from an index of ``articles`` (``web.datasette.places``).
"""

from __future__ import annotations

import logging
from typing import Any

from sqlite_utils import Database

from tuban_crawler.places import Tags, tag_article, tagger_version

logger = logging.getLogger(__name__)

PLACES_TABLE = "article_places"
OFFICES_TABLE = "article_offices"
#: The columns of each table, in order (the article's three first, the evidence last).
PLACE_COLUMNS = (
    "article_url",
    "article_rowid",
    "version",
    "kind",
    "name",
    "kecamatan",
    "code",
    "matched",
    "field",
    "start_char",
    "end_char",
)
OFFICE_COLUMNS = (
    "article_url",
    "article_rowid",
    "version",
    "office_id",
    "name",
    "abbreviation",
    "matched",
    "field",
    "start_char",
    "end_char",
)
_EVIDENCE = "matched text not null, field text not null, start_char integer not null, end_char integer not null"
_ARTICLE = "article_url text not null, article_rowid integer not null, version integer"
#: The ``crawl_state`` key holding the version of the tagger the tables were made with.
TAGGER_STATE_KEY = "places_tagger_version"
#: Articles tagged per statement when the migration derives the tables of an existing archive.
_BACKFILL_BATCH = 500


def create_place_tables(db: Database) -> int:
    """Create ``article_places`` and ``article_offices`` with their indexes, tag every stored article; return how many.

    The body of migration m014 (``migrations``).
    """
    db.execute(
        f"create table {PLACES_TABLE} ({_ARTICLE}, kind text not null, name text not null,"
        f" kecamatan text not null, code text, {_EVIDENCE},"
        " primary key (article_url, field, start_char, kind, name, kecamatan))"
    )
    db.execute(
        f"create table {OFFICES_TABLE} ({_ARTICLE}, office_id text not null, name text not null,"
        f" abbreviation text, {_EVIDENCE}, primary key (article_url, field, start_char, office_id))"
    )
    # The facets count distinct articles per value, and the filters select an article's rowid
    # per value: (value, article_rowid) covers both. The article page reads by article_url (the key).
    for table, columns in (
        (PLACES_TABLE, ("kecamatan", "article_rowid")),
        (PLACES_TABLE, ("code", "article_rowid")),
        (PLACES_TABLE, ("kind", "name", "kecamatan")),
        (OFFICES_TABLE, ("office_id", "article_rowid")),
    ):
        db.execute(f"create index {table}_{'_'.join(columns)} on {table} ({', '.join(columns)})")
    tagged = tag_stored_articles(db)
    _record_version(db)
    return tagged


def places_stale(db: Database) -> bool:
    """Return whether DB's tags were made by another version of the tagger (its rules or its gazetteer)."""
    row = db.execute("select value from crawl_state where key = ?", [TAGGER_STATE_KEY]).fetchone()
    return row is None or row[0] != tagger_version()


def retag_if_stale(db: Database) -> int | None:
    """Tag every article of DB again when its tags are stale (``places_stale``); return how many, None when current.

    Within the caller's write transaction, which makes the check and the writes one step:
    two processes opening the archive at once tag it once.
    """
    if not places_stale(db):
        return None
    tagged = tag_stored_articles(db)
    _record_version(db)
    return tagged


def _record_version(db: Database) -> None:
    db.execute(
        "insert into crawl_state (key, value) values (?, ?)"
        " on conflict (key) do update set value = excluded.value",
        [TAGGER_STATE_KEY, tagger_version()],
    )


def tag_stored_articles(db: Database) -> int:
    """Tag every article of DB again (the tables of each replaced); return how many were tagged."""
    tagged = 0
    last = 0
    while True:
        batch = list(
            db.execute(
                "select rowid, url, version, title, body_text from articles where rowid > ?"
                " order by rowid limit ?",
                [last, _BACKFILL_BATCH],
            )
        )
        if not batch:
            break
        for rowid, url, version, title, body in batch:
            write_tags(db, url, rowid, version, tag_article(title or "", body or ""))
        tagged += len(batch)
        last = batch[-1][0]
    logger.info("tagged the places and offices of %d archived articles", tagged)
    return tagged


def place_rows(url: str, rowid: int, version: int | None, tags: Tags) -> list[tuple[Any, ...]]:
    """Return the ``article_places`` rows of TAGS for the article URL (ROWID, VERSION), in PLACE_COLUMNS order."""
    return [
        (
            url,
            rowid,
            version,
            p.kind,
            p.name,
            p.kecamatan,
            p.code,
            p.matched,
            p.field,
            p.start,
            p.end,
        )
        for p in tags.places
    ]


def office_rows(url: str, rowid: int, version: int | None, tags: Tags) -> list[tuple[Any, ...]]:
    """Return the ``article_offices`` rows of TAGS for the article URL (ROWID, VERSION), in OFFICE_COLUMNS order."""
    return [
        (
            url,
            rowid,
            version,
            o.office_id,
            o.name,
            o.abbreviation,
            o.matched,
            o.field,
            o.start,
            o.end,
        )
        for o in tags.offices
    ]


def write_tags(db: Database, url: str, rowid: int, version: int | None, tags: Tags) -> None:
    """Replace what the tables hold of the article URL by TAGS (within the caller's transaction)."""
    for table, columns, rows in (
        (PLACES_TABLE, PLACE_COLUMNS, place_rows(url, rowid, version, tags)),
        (OFFICES_TABLE, OFFICE_COLUMNS, office_rows(url, rowid, version, tags)),
    ):
        db.execute(f"delete from {table} where article_url = ?", [url])
        # "or ignore": one text can't be two mentions of the same thing at one position.
        db.conn.executemany(
            f"insert or ignore into {table} ({', '.join(columns)}) values ({', '.join('?' * len(columns))})",
            rows,
        )


def replace_article_tags(db: Database, url: str, title: str | None, body: str | None) -> None:
    """Tag the stored article URL from its TITLE and BODY, replacing its earlier tags (the store's save)."""
    found = db.execute("select rowid, version from articles where url = ?", [url]).fetchone()
    if found is None:
        return
    try:
        tags = tag_article(title or "", body or "")
    except Exception:  # noqa: BLE001 (a bug of the tagger must never cost the article its capture)
        # The article is stored; its earlier tags stay, their version saying which text they
        # describe, and the log says why (m014's backfill, run again, would tag it).
        logger.exception("%s: its places and offices could not be tagged", url)
        return
    write_tags(db, url, found[0], found[1], tags)
