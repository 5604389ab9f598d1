"""An article as its page shows it: safe links, readable dates, the body sanitised again, replay links.

Pure helpers of the plugin's row page and search page (no Datasette objects): each takes a row's
values and returns what a template shows.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from markupsafe import Markup, escape

from tuban_crawler.normalize.sanitize import clean_html
from tuban_crawler.web.datasette.filters import CATEGORY_ARG


def safe_href(url: object) -> str | None:
    """Return URL when it is an http(s) address (safe to link to), else None.

    >>> safe_href("https://tubankab.go.id/entry/x"), safe_href("javascript:alert(1)")
    ('https://tubankab.go.id/entry/x', None)
    """
    if isinstance(url, str) and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None


def format_published(value: str | None) -> str | None:
    """Return an ISO publication date as people read it ('26 July 2017, 13:24 WIB'); VALUE if unreadable.

    >>> format_published("2017-07-26T13:24:00+07:00"), format_published("2017-07-26")
    ('26 July 2017, 13:24 WIB', '26 July 2017')
    """
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    day = f"{moment.day} {moment:%B %Y}"
    if len(value) == 10:
        return day
    offset = moment.strftime("%z")
    zone = {"+0700": "WIB", "+0800": "WITA", "+0900": "WIT", "+0000": "UTC"}.get(offset, offset)
    return f"{day}, {moment:%H:%M} {zone}".strip()


def json_list(value: object) -> list[str]:
    """Return the strings of a JSON array held in VALUE ([] when it is not one)."""
    try:
        items = json.loads(value) if isinstance(value, str) else None
    except ValueError:
        return []
    return [item for item in items if isinstance(item, str)] if isinstance(items, list) else []


def body_markup(
    body_html: str | None,
    body_text: str | None,
    dateline: str | None = None,
    credit: str | None = None,
) -> Markup:
    """Return the article body to show: BODY_HTML sanitised again, or else BODY_TEXT as escaped paragraphs.

    BODY_HTML is the page's body as it was (dateline and credit included); BODY_TEXT lost
    them to their own columns, so DATELINE and CREDIT are put back around it.
    """
    if body_html:
        return Markup(clean_html(body_html))
    paragraphs = [p.strip() for p in (body_text or "").split("\n\n") if p.strip()]
    if paragraphs and dateline:
        paragraphs[0] = f"{dateline} - {paragraphs[0]}"
    if paragraphs and credit:
        paragraphs[-1] = f"{paragraphs[-1]} ({credit})"
    return Markup("").join(Markup("<p>{}</p>").format(p) for p in paragraphs)


def article_view(row: Mapping[str, Any], filter_href: Callable[[str, str], str]) -> dict[str, Any]:
    """Return what the row page shows of an article ROW: its fields ready for the template.

    Parameters:
        row: a row of ``articles`` or ``article_versions`` (a ``sqlite3.Row`` or a dict).
        filter_href: the link to the table filtered on (column, value), for categories and author.
    """
    row = dict(row)
    categories = json_list(row.get("categories"))
    return {
        "title": row.get("title"),
        "original_url": safe_href(row.get("url")),
        "published": format_published(row.get("published_at")),
        "author": row.get("author"),
        "author_href": filter_href("author", row["author"]) if row.get("author") else None,
        "categories": [(name, filter_href(CATEGORY_ARG, name)) for name in categories],
        "views": row.get("views"),
        "photo_caption": row.get("photo_caption"),
        "version": row.get("version"),
        "last_changed_at": row.get("last_changed_at"),
        "replaced_at": row.get("replaced_at"),
        "gone_at": row.get("gone_at"),
        "gone_status": row.get("gone_status"),
        "body": body_markup(
            row.get("body_html"), row.get("body_text"), row.get("dateline"), row.get("credit")
        ),
    }


#: Where ``tuban-crawler replay`` serves the WARC files (plugin setting ``replay_url``).
DEFAULT_REPLAY_URL = "http://127.0.0.1:8090/tuban/"


def replay_href(row: Mapping[str, Any], base: str) -> str | None:
    """Return the address of ROW's page in the replay (pywb) at BASE: latest, or a version's time.

    >>> replay_href({"url": "https://t.id/entry/a"}, "http://127.0.0.1:8090/tuban/")
    'http://127.0.0.1:8090/tuban/https://t.id/entry/a'
    >>> replay_href({"url": "https://t.id/entry/a", "first_seen_at": "2026-11-28T04:01:02+00:00",
    ...              "replaced_at": "2026-11-29T00:00:00+00:00"}, "http://r/c/")
    'http://r/c/20261128040102/https://t.id/entry/a'
    """
    url = safe_href(row.get("fetched_url")) or safe_href(row.get("url"))
    if url is None:
        return None
    # A version replays at the time it was seen; the article itself at its latest capture.
    moment = (
        "".join(ch for ch in str(row.get("first_seen_at") or "")[:19] if ch.isdigit())
        if "replaced_at" in row
        else ""
    )
    return f"{base.rstrip('/')}/{moment + '/' if len(moment) == 14 else ''}{url}"


def highlighted_snippet(value: str) -> Markup:
    """Return an FTS snippet escaped, with only its ``<mark>``/``</mark>`` markers kept as tags.

    >>> str(highlighted_snippet('<b onclick="x">a</b> <mark>disiplin</mark>'))
    '&lt;b onclick=&#34;x&#34;&gt;a&lt;/b&gt; <mark>disiplin</mark>'
    """
    escaped = str(escape(value))
    return Markup(escaped.replace("&lt;mark&gt;", "<mark>").replace("&lt;/mark&gt;", "</mark>"))
