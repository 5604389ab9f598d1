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
