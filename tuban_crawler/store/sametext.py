"""Texts several URLs share: found by a fingerprint of the body, and linked (issue 18).

A portal publishes a series of announcements under their own titles, dates and authors with
one templated body; it re-posts a story under a second slug. Each is an article, and the
archive keeps every one: sharing its text is no reason to refuse a first capture. What the
archive records instead is the link:

- ``articles.text_hash``: SHA-256 of ``body_text`` (None without a body), indexed, so that
  finding the other URLs with a text costs one index look-up whatever the text's length;
- ``articles.same_text_as``: for every member of a group of URLs sharing one text, the URL
  archived first (by ``first_seen_at``, then row order); None for that first URL and for a
  text no other URL has. ``relink`` keeps it exact after each save.

What stays refused (``quality.judge``): a re-fetched copy whose new text is the text of many
other URLs (a generic page replacing a different archived text), and a first capture that is
the same page as many others: same text, same title, same author and no date of its own
that differs (a login wall or a notice served for many addresses).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from sqlite_utils import Database

from tuban_crawler.discover.urls import site_key

#: Where a publication date came from when the page itself did not state it (``normalize.published``).
BORROWED_DATE_SOURCES = frozenset({"listing", "sitemap"})


def text_hash(body_text: str | None) -> str | None:
    """Return the fingerprint of BODY_TEXT (SHA-256, hex), or None for no text.

    >>> text_hash("Pengumuman.") == text_hash("Pengumuman."), text_hash(""), len(text_hash("a"))
    (True, None, 64)
    """
    if not body_text:
        return None
    return hashlib.sha256(body_text.encode("utf-8")).hexdigest()


def page_date(record: dict[str, Any]) -> str | None:
    """Return RECORD's publication instant when the page itself states it (not its listing's or sitemap's).

    >>> page_date({"published_at": "2024-01-02", "field_sources": {"published": "listing"}})
    >>> page_date({"published_at": "2024-01-02", "field_sources": {"published": "meta-list"}})
    '2024-01-02'
    """
    sources = record.get("field_sources") or {}
    if isinstance(sources, dict) and sources.get("published") in BORROWED_DATE_SOURCES:
        return None
    return record.get("published_at")


def _like(text: str) -> str:
    """Return TEXT escaped for a LIKE pattern (escape character ``\\``)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def shared_counts(db: Database, record: dict[str, Any]) -> tuple[int, int]:
    """Return (other URLs of RECORD's site whose text is RECORD's, those of them that are the same page).

    The same page: same text, title and author, and no date stated by the page that tells
    them apart (a login wall has none of its own; its listing's date is not the page's).
    RECORD carries ``text_hash``.
    """
    digest = record.get("text_hash")
    if digest is None:
        return 0, 0
    date = page_date(record)
    # One server serves a wall for many addresses; another site's copy is a re-post (issue 22).
    here = [f"{scheme}://{_like(site_key(record['url']))}/%" for scheme in ("http", "https")]
    same_text, same_page = db.execute(
        "select count(*), coalesce(sum(title is ? and author is ? and (? is null or published_at is ?)), 0)"
        " from articles where text_hash = ? and url != ? and (url like ? escape '\\' or url like ? escape '\\')",
        [record.get("title"), record.get("author"), date, date, digest, record["url"], *here],
    ).fetchone()
    return same_text, same_page


def relink(db: Database, digests: Iterable[str | None]) -> None:
    """Set ``same_text_as`` of every URL whose text hash is one of DIGESTS: the group's first URL, or None.

    Only rows whose link changes are written (an update re-indexes the row's full text).
    """
    for digest in {d for d in digests if d}:
        first = db.execute(
            "select url from articles where text_hash = ? order by first_seen_at, rowid limit 1",
            [digest],
        ).fetchone()
        if first is None:
            continue
        db.execute(
            "update articles set same_text_as = nullif(?, url)"
            " where text_hash = ? and same_text_as is not nullif(?, url)",
            [first[0], digest, first[0]],
        )


#: The other archived URLs whose text is :url's, first archived first (Datasette's article page).
OTHERS_WITH_TEXT_SQL = """select other.url, other.title, other.published_at from articles as this
    join articles as other on other.text_hash = this.text_hash and other.url != this.url
    where this.url = :url order by other.first_seen_at, other.rowid limit :limit"""


def others_with_text(db: Database, url: str, limit: int = 100) -> list[dict[str, Any]]:
    """Return the other archived URLs whose text is URL's (url, title, published_at), first archived first."""
    cursor = db.execute(OTHERS_WITH_TEXT_SQL, {"url": url, "limit": limit})
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def shared_in_run(db: Database, run_id: str) -> int:
    """Return how many articles run RUN_ID archived (new or updated) whose text other URLs share."""
    return db.execute(
        """select count(distinct articles.url) from fetches
           join articles on articles.url = fetches.url
           where fetches.run_id = ? and fetches.outcome in ('new', 'updated')
             and articles.text_hash is not null
             and exists (select 1 from articles as other
                         where other.text_hash = articles.text_hash and other.url != articles.url)""",
        [run_id],
    ).fetchone()[0]
