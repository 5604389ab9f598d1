"""The article page's list of the other URLs whose text is the article's (issue 18).

The archive keeps every URL of a group sharing one text (a series with one templated body, a
re-post) and links them (``store.sametext``); the row page of an article names the others,
and links to the table filtered on the text's fingerprint for the whole group.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlencode

from datasette.utils import tilde_encode

from tuban_crawler.store.sametext import OTHERS_WITH_TEXT_SQL

#: Other URLs named on an article's page; the filtered table lists them all.
SHOWN = 20


def same_text_lister(
    datasette: Any, database: str
) -> Callable[[dict[str, Any]], Awaitable[dict[str, Any] | None]]:
    """Return the template helper: for an article row, the other URLs sharing its text (None when none)."""

    async def others(row: dict[str, Any]) -> dict[str, Any] | None:
        row = dict(row)
        if not row.get("text_hash") or not row.get("url"):
            return None  # no text, or an archive older than m010
        db = datasette.get_database(database)
        result = await db.execute(OTHERS_WITH_TEXT_SQL, {"url": row["url"], "limit": SHOWN + 1})
        found = [dict(r) for r in result.rows]
        if not found:
            return None
        articles = datasette.urls.table(database, "articles")
        return {
            "others": [
                {
                    "title": other["title"] or other["url"],
                    "day": (other["published_at"] or "")[:10],
                    "href": datasette.urls.row(database, "articles", tilde_encode(other["url"])),
                }
                for other in found[:SHOWN]
            ],
            "more": len(found) > SHOWN,
            "group_href": f"{articles}?{urlencode({'text_hash': row['text_hash']})}",
        }

    return others
