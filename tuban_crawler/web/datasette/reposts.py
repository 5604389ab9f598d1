"""The article page says where else the story appears: its re-posts, its original, its teasers (issue 22).

The archive links one story's copies on the regency's sites (``store.reposts``):
``articles.reposted_from`` names the original, ``articles.teaser_of`` the article a teaser
announces. The row page of an article shows both directions, each copy by its site with a link
to its page in the archive (or to the live page, for an announced article not archived yet):

- "Also at: <site> <title>": for the original, every re-post; for a re-post, its original and
  the other re-posts;
- "Teaser for: <title>" on a teaser, "Teasers: <site> ..." on the article announced.

Every value is escaped by Jinja (``templates/_article_reposts.html``); a link leaves the
archive only for an http(s) address (``article.safe_href``). Archives from before m016 show none.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from datasette import hookimpl
from datasette.utils import tilde_encode

from tuban_crawler.discover.urls import site_key
from tuban_crawler.store.reposts import ALSO_AT_SQL, TEASERS_SQL
from tuban_crawler.web.datasette.article import safe_href
from tuban_crawler.web.datasette.scope import is_archive

#: Copies named on an article's page (the canned query lists them all).
SHOWN = 20


def copy_view(
    row: dict[str, Any], href: Callable[[str], str], archived: bool = True
) -> dict[str, Any]:
    """Return what the page shows of one copy ROW: its site, title, day and link (in the archive, or live).

    >>> copy_view({"url": "https://www.diskominfo.tubankab.go.id/entry/a", "title": None}, lambda u: "/row")
    {'site': 'diskominfo.tubankab.go.id', 'title': 'https://www.diskominfo.tubankab.go.id/entry/a', 'day': '', 'href': '/row', 'archived': True}
    """
    url = str(row["url"])
    return {
        "site": site_key(url),
        "title": row.get("title") or url,
        "day": str(row.get("published_at") or "")[:10],
        "href": href(url) if archived else safe_href(url),
        "archived": archived,
    }


def story_elsewhere(
    datasette: Any, database: str
) -> Callable[[Any], Awaitable[dict[str, Any] | None]]:
    """Return the template helper: for an article row, where else its story appears (None when nowhere)."""

    def href(url: str) -> str:
        return str(datasette.urls.row(database, "articles", tilde_encode(url)))

    async def elsewhere(row: Any) -> dict[str, Any] | None:
        row = dict(row)
        if "reposted_from" not in row or not row.get("url"):
            return None  # an archive older than m016
        db = datasette.get_database(database)
        params = {"url": row["url"], "limit": SHOWN}
        also = [dict(r) for r in (await db.execute(ALSO_AT_SQL, params)).rows]
        teasers = [dict(r) for r in (await db.execute(TEASERS_SQL, params)).rows]
        teaser_of = None
        if row.get("teaser_of"):
            found = (
                await db.execute(
                    "select url, title, published_at from articles where url = ?",
                    [row["teaser_of"]],
                )
            ).first()
            announced = dict(found) if found else {"url": row["teaser_of"], "title": None}
            teaser_of = copy_view(announced, href, archived=found is not None)
        if not (also or teasers or teaser_of):
            return None
        return {
            "is_repost": bool(row.get("reposted_from")),
            "also_at": [
                {**copy_view(r, href), "is_original": bool(r["is_original"])} for r in also
            ],
            "teasers": [copy_view(r, href) for r in teasers],
            "teaser_of": teaser_of,
        }

    return elsewhere


@hookimpl(specname="extra_template_vars")
def reposts_template_vars(database: str | None, datasette: Any) -> dict[str, Any]:
    """Return ``tuban_story_elsewhere`` (an article row → its re-posts, original and teasers) on an archive's pages."""
    if database is None or not is_archive(datasette, database):
        return {}
    return {"tuban_story_elsewhere": story_elsewhere(datasette, database)}
