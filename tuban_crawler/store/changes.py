"""The archive's change rows (``article_changes``): every new version, removal and return, in words.

Promises (each with a test in ``tests/test_changes.py``):

- a new version of an article writes one row, in the transaction that keeps the old version,
  with its line and word counts (``diff.classify``); a new version that changes nothing a
  reader sees (whitespace, markup) writes none;
- an article the portal stops serving writes one ``removed`` row when it is first marked
  gone (not again each night it stays gone); one it serves again writes ``back on the portal``;
- the rows of an archive written before them are derived from ``article_versions`` and
  ``gone_at`` by migration m012 (``derive_changes``); a return before m012 left no trace.

``kinds`` holds the change's kinds separated by spaces (``retitled edited``, ``removed``,
``returned``); ``kind_clause`` filters on one of them.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Mapping
from typing import Any

from sqlite_utils import Database

from tuban_crawler.store.diff import Change, back, classify, removal

logger = logging.getLogger(__name__)

#: The kinds a change can have, as the Changes page and ``tuban-crawler changes`` offer them.
KINDS = ("edited", "retitled", "removed", "returned")
#: The columns an article and its kept versions share, that a change is read from.
VERSION_COLUMNS = (
    "url", "version", "title", "published_at", "author", "categories", "body_text",
    "dateline", "credit", "images", "photo_caption", "kind",
)  # fmt: skip

SCHEMA = """
create table if not exists article_changes (
    id integer primary key,
    url text not null references articles(url),
    changed_at text not null,
    run_id text,
    kinds text not null,
    line text not null,
    from_version integer,
    to_version integer,
    title text,
    words_added integer not null default 0,
    words_removed integer not null default 0,
    paragraphs_added integer not null default 0,
    paragraphs_removed integer not null default 0,
    paragraphs_edited integer not null default 0
);
create index if not exists article_changes_changed_at on article_changes (changed_at);
create index if not exists article_changes_url on article_changes (url, changed_at);
create index if not exists article_changes_run on article_changes (run_id);
"""


def kind_clause(column: str = "kinds") -> str:
    """Return the SQL test that COLUMN holds the kind given as the parameter ``:kind``.

    >>> kind_clause("c.kinds")
    "(' ' || c.kinds || ' ') like '% ' || :kind || ' %'"
    """
    return f"(' ' || {column} || ' ') like '% ' || :kind || ' %'"


def insert_change(
    db: Database,
    change: Change,
    *,
    url: str,
    changed_at: str,
    run_id: str | None,
    from_version: int | None,
    to_version: int | None,
    title: str | None,
) -> None:
    """Write CHANGE of the article at URL as a row of ``article_changes``."""
    db.execute(
        """insert into article_changes (url, changed_at, run_id, kinds, line, from_version, to_version,
             title, words_added, words_removed, paragraphs_added, paragraphs_removed, paragraphs_edited)
           values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            url,
            changed_at,
            run_id,
            " ".join(change.kinds),
            change.line,
            from_version,
            to_version,
            title,
            change.words_added,
            change.words_removed,
            change.paragraphs_added,
            change.paragraphs_removed,
            change.paragraphs_edited,
        ],
    )


def record_version(
    db: Database,
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    changed_at: str,
    run_id: str | None,
) -> Change | None:
    """Write the change from version OLD to NEW of one article (rows as stored or decoded); return it, or None."""
    change = classify(old, new)
    if change is not None:
        insert_change(
            db,
            change,
            url=new["url"],
            changed_at=changed_at,
            run_id=run_id,
            from_version=old.get("version"),
            to_version=new.get("version"),
            title=new.get("title"),
        )
    return change


def record_removal(
    db: Database, row: Mapping[str, Any], status: int | None, changed_at: str, run_id: str | None
) -> None:
    """Write that the archived article ROW is no longer served (answering STATUS)."""
    version = row.get("version")
    insert_change(
        db,
        removal(status),
        url=row["url"],
        changed_at=changed_at,
        run_id=run_id,
        from_version=version,
        to_version=None,
        title=row.get("title"),
    )


def record_return(
    db: Database, row: Mapping[str, Any], changed_at: str, run_id: str | None
) -> None:
    """Write that the archived article ROW, marked gone, is served again."""
    version = row.get("version")
    insert_change(
        db,
        back(),
        url=row["url"],
        changed_at=changed_at,
        run_id=run_id,
        from_version=version,
        to_version=version,
        title=row.get("title"),
    )


def derive_changes(db: Database) -> int:
    """Create ``article_changes`` and derive its rows from the versions and removals archived; return how many."""
    db.executescript(SCHEMA)
    before = db.execute("select count(*) from article_changes").fetchone()[0]
    # Each version is compared with the next one: the next kept version, or the article itself.
    shared = ", ".join(VERSION_COLUMNS)
    query = f"""
        select {shared}, first_seen_at, replaced_at, replaced_by_run from article_versions
        union all
        select {shared}, last_changed_at, null, null from articles a
        where exists (select 1 from article_versions v where v.url = a.url)
        order by url, version
    """
    names = (*VERSION_COLUMNS, "first_seen_at", "replaced_at", "replaced_by_run")
    previous: dict[str, Any] | None = None
    for values in db.execute(query).fetchall():
        row = dict(zip(names, values, strict=True))
        if previous is not None and previous["url"] == row["url"]:
            changed_at = previous["replaced_at"] or row["first_seen_at"]
            record_version(db, previous, row, changed_at, previous["replaced_by_run"])
        previous = row
    for url, version, title, gone_at, status in db.execute(
        "select url, version, title, gone_at, gone_status from articles where gone_at is not null"
    ).fetchall():
        run = db.execute(
            "select run_id from fetches where url = ? and outcome = 'gone' and fetched_at >= ?"
            " order by fetched_at limit 1",
            [url, gone_at],
        ).fetchone()
        row = {"url": url, "version": version, "title": title}
        record_removal(db, row, status, gone_at, run[0] if run else None)
    derived = db.execute("select count(*) from article_changes").fetchone()[0] - before
    logger.info("derived %d change rows from the archive's versions and removals", derived)
    return int(derived)


# -- reading ----------------------------------------------------------------------------
#: What the reading functions take: the store's database, or a plain connection (Datasette's).
Readable = Database | sqlite3.Connection

#: What a listed change holds (``list_changes``), newest first.
LISTED = (
    "c.id, c.url, c.changed_at, c.run_id, c.kinds, c.line, c.from_version, c.to_version, c.title,"
    " c.words_added, c.words_removed, c.paragraphs_added, c.paragraphs_removed, c.paragraphs_edited"
)


def has_changes_table(db: Readable) -> bool:
    """Return whether the archive holds ``article_changes`` (an older one gets it at its next crawl)."""
    return (
        db.execute(
            "select 1 from sqlite_master where type = 'table' and name = 'article_changes'"
        ).fetchone()
        is not None
    )


def last_run_id(db: Readable) -> str | None:
    """Return the id of the latest crawl run (what ``--since-last-run`` lists the changes of), or None."""
    row = db.execute(
        "select run_id from crawl_runs order by started_at desc, rowid desc limit 1"
    ).fetchone()
    return row[0] if row else None


def list_changes(
    db: Readable,
    *,
    since: str | None = None,
    run_id: str | None = None,
    kind: str | None = None,
    category: str | None = None,
    url: str | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Return the changes recorded, newest first, as dicts (``LISTED``).

    Parameters:
        since: only those seen at or after this UTC ISO time (or day).
        run_id: only those found by this run.
        kind: only those of this kind (``KINDS``).
        category: only those of articles in this category.
        url: only those of this article.
        limit: at most this many.
    """
    where: list[str] = []
    params: dict[str, Any] = {"since": since, "run_id": run_id, "kind": kind, "category": category}
    if since:
        where.append("c.changed_at >= :since")
    if run_id:
        where.append("c.run_id = :run_id")
    if kind:
        where.append(kind_clause("c.kinds"))
    if category:
        where.append(
            "c.url in (select article_url from article_categories where category = :category)"
        )
    if url:
        where.append("c.url = :url")
        params["url"] = url
    sql = f"select {LISTED} from article_changes c"
    if where:
        sql += " where " + " and ".join(where)
    sql += " order by c.changed_at desc, c.id desc"
    if limit is not None:
        sql += " limit :limit"
        params["limit"] = limit
    cursor = db.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]
