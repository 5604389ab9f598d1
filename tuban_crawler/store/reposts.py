"""Re-posts and teasers linked as they are saved (issue 22): both rows kept, each pointing to the story.

The rules are pure (``normalize.reposts``, ``normalize.teasers``); this module applies them to
the archive, in the save's own transaction (``ArchiveStore.save_article`` calls ``link_saved``
after every new or changed article):

- ``articles.story_hash``: the fingerprint of the story's words (``normalize.reposts.story_hash``),
  indexed, so that finding another site's copy costs an index look-up (so does its title, m008);
- ``articles.reposted_from``: for every copy of a story re-posted across sites, the URL of the
  original (published first; a tie goes to the portal's, then to the copy archived first);
  None for the original and for a story on one site. "Also at" is a query: the rows sharing
  an original (``ALSO_AT_SQL``). A link once made stays when a copy is fetched again;
- ``articles.teaser_of``: for a teaser, the URL of the article it announces. A teaser is its
  own row: it never replaces, merges into or versions the announced article (the links are
  the only columns written here, never the original's content). An announced article not
  archived yet is waited for in ``pending_teasers`` (its site and slug) and linked when it
  arrives; the teaser names it already when its site belongs to the archive. A teaser on a
  ``/page/<id>`` site naming only a site is matched by title (``by_title``): it stays in
  ``pending_teasers`` and chooses again, the nearest in time, as articles with its title arrive.

Whichever copy arrives first, the links end the same once both are stored.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from sqlite_utils import Database

from tuban_crawler.discover.urls import site_key
from tuban_crawler.normalize.reposts import Copy, is_repost, original_of, slug_of, story_hash
from tuban_crawler.normalize.teasers import TEASER_MAX_WORDS, Announcement, announcement

logger = logging.getLogger(__name__)

PENDING_TABLE = "pending_teasers"
#: Candidates a save compares with (copies of one story on the regency's sites: a handful).
MAX_CANDIDATES = 200
#: A body longer than this has more words than a teaser (a word is at least 2 characters and a space).
TEASER_MAX_CHARS = TEASER_MAX_WORDS * 40
_COLUMNS = "url, title, body_text, body_html, published_at, first_seen_at, teaser_of, reposted_from"

#: The other copies of :url's story: its original and every row re-posted from it (Datasette's article page).
ALSO_AT_SQL = """with this as (select coalesce(reposted_from, url) as original from articles where url = :url)
    select url, title, published_at, reposted_from is null as is_original from articles, this
    where (url = this.original or reposted_from = this.original) and url != :url
    order by published_at, first_seen_at limit :limit"""
#: The teasers announcing :url.
TEASERS_SQL = """select url, title, published_at from articles where teaser_of = :url
    order by first_seen_at limit :limit"""


def create_repost_schema(db: Database) -> None:
    """Add the columns and the table of re-posts and teasers (m016), and link what the archive holds."""
    articles = db.table("articles")
    for column in ("story_hash", "reposted_from", "teaser_of"):
        if column not in articles.columns_dict:
            articles.add_column(column, str)
        articles.create_index([column], if_not_exists=True)
    db.execute(
        f"create table if not exists {PENDING_TABLE} (url text primary key, site text not null,"
        " slug text, title text, announced text not null)"
    )
    for key in ("slug", "title"):
        db.execute(
            f"create index if not exists {PENDING_TABLE}_site_{key} on {PENDING_TABLE} (site, {key})"
        )
    # The full-text index's update trigger would index every text again for a column it does
    # not hold: it is set aside while the fingerprints are written, and put back as it was.
    trigger = db.execute(
        "select sql from sqlite_master where type = 'trigger' and name = 'articles_au'"
    ).fetchone()
    if trigger:
        db.execute("drop trigger articles_au")
    # A thousand texts at a time: an archive of 100,000 articles never holds every text in memory.
    last = 0
    while chunk := db.execute(
        "select rowid, body_text from articles where rowid > ? order by rowid limit 1000", [last]
    ).fetchall():
        db.conn.executemany(
            "update articles set story_hash = ? where rowid = ?",
            [(story_hash(body), rowid) for rowid, body in chunk if body],
        )
        last = chunk[-1][0]
    if trigger:
        db.execute(trigger[0])
    relink_all(db)


def relink_all(db: Database) -> None:
    """Link every teaser and re-post the archive holds (after m016, or a change of the rules).

    Only what can be linked is visited: the short texts that are teasers, and, when the archive
    holds more than one site, one member of each group sharing a story or a title.
    """
    teasers = [
        url
        for url, text, html in db.execute(
            "select url, body_text, body_html from articles where length(body_text) <= ?"
            " order by rowid",
            [TEASER_MAX_CHARS],
        )
        if announcement(url, text, html) is not None
    ]
    shared = []
    if len({site_key(origin) for origin in archived_origins(db)}) > 1:
        shared = db.execute(
            """select min(url) from articles where story_hash is not null
               group by story_hash having count(*) > 1
               union select min(url) from articles where title is not null
               group by title having count(*) > 1"""
        ).fetchall()
    for url in [*teasers, *(url for (url,) in shared)]:
        link_saved(db, url)


def portal_site(db: Database) -> str | None:
    """Return the site the archive was made for (its portal: host, and port unless the default), or None."""
    # As crawl.ownership.archive_origin reads it: recorded, else the first run's base URL.
    found = db.execute("select value from crawl_state where key = 'origin'").fetchone()
    if found and found[0]:
        return str(found[0])
    first = db.execute(
        "select base_url from crawl_runs order by started_at, rowid limit 1"
    ).fetchone()
    return site_key(first[0]) if first and first[0] else None


def _row(db: Database, url: str) -> dict[str, Any] | None:
    cursor = db.execute(f"select {_COLUMNS} from articles where url = ?", [url])
    found = cursor.fetchone()
    return dict(zip([c[0] for c in cursor.description], found, strict=True)) if found else None


def _rows(db: Database, where: str, params: list[Any]) -> list[dict[str, Any]]:
    cursor = db.execute(
        f"select {_COLUMNS} from articles where {where} limit {MAX_CANDIDATES}", params
    )
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, found, strict=True)) for found in cursor]


def _is_teaser(row: dict[str, Any]) -> bool:
    return (
        bool(row["teaser_of"])
        or announcement(row["url"], row["body_text"], row["body_html"]) is not None
    )


def _copy(row: dict[str, Any]) -> Copy:
    return Copy(
        row["url"],
        row["body_text"],
        row["published_at"],
        row["first_seen_at"],
        _is_teaser(row),
        row["title"],
    )


def _at_site(db: Database, where: str, ann_site: str, params: list[Any]) -> list[str]:
    """Return the archived URLs on site ANN_SITE (either scheme) matching WHERE (a range of the url index)."""
    found: list[str] = []
    for scheme in ("http", "https"):
        prefix = f"{scheme}://{ann_site}/"
        found += [
            url
            for (url,) in db.execute(
                f"select url from articles where url >= ? and url < ? and {where} limit {MAX_CANDIDATES}",
                [prefix, prefix[:-1] + "0", *params],
            )
        ]
    return found


def archived_origins(db: Database, most: int = 1000) -> list[str]:
    """Return the origins (``scheme://host[:port]``) of the archived URLs, at most MOST.

    Found by seeking through the ``url`` index from one origin to the next: a look-up per
    origin, whatever the number of articles.
    """
    found: list[str] = []
    after = ""
    while len(found) < most:
        row = db.execute(
            "select url from articles where url > ? order by url limit 1", [after]
        ).fetchone()
        if row is None:
            break
        origin = "/".join(str(row[0]).split("/", 3)[:3])
        found.append(origin)
        after = origin + "0"  # past every URL of the origin ("0" follows "/")
    return found


def site_is_known(db: Database, name: str) -> bool:
    """Return whether the site NAME (host and port) belongs to the archive: its portal, a site added, or archived."""
    if name == portal_site(db):
        return True
    if db["sites"].exists():  # 22b's list of sites, where the archive has it
        if any(site_key(origin) == name for (origin,) in db.execute("select origin from sites")):
            return True
    return any(site_key(origin) == name for origin in archived_origins(db))


def by_title(ann: Announcement) -> bool:
    """Return whether the article ANN names is found by the teaser's title, not by a slug.

    A teaser on a ``/page/<id>`` site that names only a site (its link lost or never written)
    gives an id, not the story's slug; it keeps the story's title.

    >>> by_title(Announcement("http://t.id/page/17", "named site")), by_title(Announcement("http://t.id/page/17", "link"))
    (True, False)
    """
    return ann.how == "named site" and (ann.slug is None or ann.slug.isdigit())


def _moment(value: str | None) -> float | None:
    try:
        return datetime.fromisoformat(value).timestamp() if value else None
    except ValueError:
        return None


def _announced(db: Database, teaser: dict[str, Any], ann: Announcement) -> str | None:
    """Return the archived URL of the article ANN names for TEASER (a row), or None.

    Its URL as announced (either scheme); else, for a teaser ``by_title``, the article of its
    site with the teaser's title published nearest the teaser (titles recur: a yearly event);
    else an article of its site with its slug under another path.
    """

    def announced(url: str) -> dict[str, Any] | None:
        row = _row(db, url)
        return row if url != teaser["url"] and row is not None and not _is_teaser(row) else None

    scheme, _, rest = ann.url.partition("://")
    for url in (ann.url, f"{'https' if scheme == 'http' else 'http'}://{rest}"):
        if announced(url):
            return url
    if by_title(ann):
        when = _moment(teaser["published_at"])
        titled = [
            found
            for (url,) in db.execute(
                "select url from articles where title = ? limit 50", [teaser["title"]]
            )
            if site_key(url) == ann.site and (found := announced(url))
        ]

        def distance(row: dict[str, Any]) -> tuple[float, str]:
            moment = _moment(row["published_at"])
            gap = abs(when - moment) if when is not None and moment is not None else float("inf")
            return gap, row["url"]

        return min(titled, key=distance)["url"] if titled and teaser["title"] else None
    if ann.slug is None:
        return None
    like = "%/" + ann.slug.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    for url in _at_site(db, "url like ? escape '\\'", ann.site, [like]):
        if slug_of(url) == ann.slug and announced(url):
            return url
    return None


def _set(db: Database, url: str, column: str, value: str | None) -> None:
    # Only a change is written: an update re-indexes the row's full text.
    db.execute(
        f"update articles set {column} = ? where url = ? and {column} is not ?", [value, url, value]
    )


def _link_teaser(db: Database, row: dict[str, Any], ann: Announcement | None) -> None:
    url = row["url"]
    if ann is None:  # not (or no longer) a teaser: a full text under the URL
        db.execute(f"delete from {PENDING_TABLE} where url = ?", [url])
        if row["teaser_of"]:
            _set(db, url, "teaser_of", None)
        return
    target = _announced(db, row, ann)
    titled = by_title(ann)
    if target is not None and not titled:
        db.execute(f"delete from {PENDING_TABLE} where url = ?", [url])
        _set(db, url, "teaser_of", target)
        return
    # Waiting: for its slug, or (by title) for any article of the site with its title, each
    # arrival choosing again the nearest, so that the order of arrival does not matter.
    db.execute(
        f"insert or replace into {PENDING_TABLE} (url, site, slug, title, announced)"
        " values (?, ?, ?, ?, ?)",
        [url, ann.site, None if titled else ann.slug, row["title"] if titled else None, ann.url],
    )
    if target is not None:
        _set(db, url, "teaser_of", target)
    elif not titled and site_is_known(db, ann.site):  # in scope: named now, resolved later
        _set(db, url, "teaser_of", ann.url)


def _resolve_pending(db: Database, url: str, title: str | None) -> None:
    """Link the teasers waiting for an article at URL's site with its slug to URL; those waiting for its TITLE choose again."""
    for (teaser,) in db.execute(
        f"select url from {PENDING_TABLE} where site = ? and slug = ? and url != ?",
        [site_key(url), slug_of(url), url],
    ).fetchall():
        _set(db, teaser, "teaser_of", url)
        db.execute(f"delete from {PENDING_TABLE} where url = ?", [teaser])
    if not title:
        return
    for (teaser,) in db.execute(
        f"select url from {PENDING_TABLE} where site = ? and title = ? and url != ?",
        [site_key(url), title, url],
    ).fetchall():
        row = _row(db, teaser)
        if row is not None:
            _link_teaser(db, row, announcement(teaser, row["body_text"], row["body_html"]))


def _link_reposts(db: Database, row: dict[str, Any]) -> None:
    url, digest = row["url"], story_hash(row["body_text"])
    this = Copy(
        url, row["body_text"], row["published_at"], row["first_seen_at"], title=row["title"]
    )
    # Another template may change a word of the text and the title: the same path on the
    # archive's other sites is a candidate too (same slug).
    path = urlsplit(url).path
    same_path = [o + path for o in archived_origins(db) if site_key(o) != site_key(url)] or [url]
    candidates = _rows(
        db,
        # Through the indexes of story_hash, title and url (m016, m008), never teaser_of's ("+").
        f"(story_hash = ? or title = ? or url in ({', '.join('?' * len(same_path))}))"
        " and url != ? and +teaser_of is null",
        [digest, row["title"], *same_path, url],
    )
    group = {url} | {c["url"] for c in candidates if is_repost(this, _copy(c))}
    if len(group) == 1 and not row["reposted_from"]:
        if (
            db.execute("select 1 from articles where reposted_from = ? limit 1", [url]).fetchone()
            is None
        ):
            return  # a story on one site (most saves): nothing to link, nothing linked before
    # The links already made stay (a re-fetched copy keeps its group): the originals of the
    # group's members, and every copy pointing to one of them.
    originals = {url} | {
        r["reposted_from"] or r["url"]
        for r in _rows(db, f"url in ({', '.join('?' * len(group))})", sorted(group))
    }
    placeholders = ", ".join("?" * len(originals))
    linked = _rows(
        db,
        f"url in ({placeholders}) or reposted_from in ({placeholders})",
        [*originals, *originals],
    )
    members = {r["url"]: r for r in linked} | {
        r["url"]: r for r in _rows(db, f"url in ({', '.join('?' * len(group))})", sorted(group))
    }
    if len(members) < 2:
        return
    original = original_of([_copy(r) for r in members.values()], portal_site(db)).url
    for member in members:
        _set(db, member, "reposted_from", None if member == original else original)


def link_saved(db: Database, url: str) -> None:
    """Link the article just saved at URL: as a teaser of what it announces, else with its re-posts and waiting teasers."""
    row = _row(db, url)
    if row is None:
        return
    ann = announcement(url, row["body_text"], row["body_html"])
    _link_teaser(db, row, ann)
    if ann is None:
        _resolve_pending(db, url, row["title"])
        _link_reposts(db, row)
