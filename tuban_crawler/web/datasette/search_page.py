"""The archive's search page: best matches first, a highlighted snippet each, twenty a page (issue 19).

Datasette's table search filters the articles and keeps their order (newest first), and the
canned query *Search with highlighted snippets* lists every match on one page. A reader
searching wants the best matches first, each with the words that matched, and pages:
``/<database>/-/search?q=disiplin&page=2`` (``exact=1`` for words as written). The search
box of the articles page leads there when nothing else is asked of the table (a filter,
a facet, an order); the page links back to the same search in the table, with facets.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlencode

from datasette.utils import tilde_decode, tilde_encode
from datasette.utils.asgi import NotFound, Response

from tuban_crawler import search
from tuban_crawler.web.datasette.scope import is_archive, is_stemmed

logger = logging.getLogger(__name__)

PAGE_SIZE = 20
#: The articles page's default order, which its search form sends along.
DEFAULT_ORDER = ("_sort_desc", "published_at")
#: The search page of an archive database.
ROUTE = r"^/(?P<database>[^/]+)/-/search$"


def page_number(value: str | None) -> int:
    """Return the page asked for in VALUE: a number from 1, or 1 for anything else.

    >>> page_number("3"), page_number("0"), page_number("x"), page_number(None)
    (3, 1, 1, 1)
    """
    try:
        return max(int(value or 1), 1)
    except ValueError:
        return 1


def search_redirect(path: str, query_string: str) -> str | None:
    """Return where the articles page's search box at PATH?QUERY_STRING leads (the search page), or None.

    Only an HTML page asked for a search and nothing else (the form's hidden default order
    aside): with a filter, a facet, another order, a search mode or a format, the table
    answers as Datasette does.

    >>> search_redirect("/archive/articles", "_search=disiplin&_sort_desc=published_at")
    '/archive/-/search?q=disiplin'
    >>> search_redirect("/archive/articles", "_search=a&_category=Umum"), search_redirect("/archive/articles.json", "_search=a")
    (None, None)
    """
    match = re.fullmatch(r"(/[^/]+)/articles", path)
    args = parse_qsl(query_string, keep_blank_values=True)
    text = dict(args).get("_search", "")
    if match is None or not text.strip() or set(args) - {("_search", text), DEFAULT_ORDER}:
        return None
    return f"{match.group(1)}/-/search?{urlencode({'q': text})}"


def _pages(href: Callable[[int], str], page: int, total: int) -> dict[str, Any]:
    last = max(math.ceil(total / PAGE_SIZE), 1)
    return {
        "page": page,
        "last": last,
        "previous": href(page - 1) if page > 1 else None,
        "next": href(page + 1) if page < last else None,
        "first_shown": (page - 1) * PAGE_SIZE + 1,
        "last_shown": min(page * PAGE_SIZE, total),
    }


def _results(connection: Any, text: str, exact: bool, offset: int) -> tuple[int, list[dict]]:
    total, rows = search.search(connection, text, exact, PAGE_SIZE, offset)
    urls = [row["url"] for row in rows]
    more = {
        url: (categories, views)
        for url, categories, views in connection.execute(
            f"select url, categories, views from articles where url in ({', '.join('?' * len(urls))})",
            urls,
        )
    }
    for row in rows:
        row["categories"], row["views"] = more.get(row["url"], (None, None))
    return total, rows


async def search_page(request: Any, datasette: Any) -> Response:
    """Return the search page of the archive named in REQUEST's path."""
    from tuban_crawler.web.datasette.article import format_published, highlighted_snippet, json_list

    database = tilde_decode(request.url_vars["database"])
    if not is_archive(datasette, database):
        raise NotFound(f"{database} is not an archive")
    text = request.args.get("q") or ""
    exact = bool(request.args.get("exact")) or not is_stemmed(datasette, database)
    page = page_number(request.args.get("page"))
    total, rows = 0, []
    if text.strip():
        total, rows = await datasette.get_database(database).execute_fn(
            lambda connection: _results(connection, text, exact, (page - 1) * PAGE_SIZE)
        )
    table = datasette.urls.table(database, "articles")
    base = datasette.urls.path(f"/{tilde_encode(database)}/-/search")
    here = {"q": text, **({"exact": "1"} if exact else {})}
    results = [
        {
            "title": row["title"] or "(no title)",
            "href": datasette.urls.row(database, "articles", tilde_encode(row["url"])),
            "url": row["url"],
            "published": format_published(row["published_date"]) or "no date",
            "author": row["author"],
            "author_href": f"{table}?{urlencode({'author': row['author']})}",
            "categories": [
                (name, f"{table}?{urlencode({'_category': name})}")
                for name in json_list(row["categories"])
            ],
            "views": row["views"],
            "snippet": highlighted_snippet(row["snippet"]),
        }
        for row in rows
    ]
    context = {
        "database": database,
        "text": text,
        "exact": exact,
        "total": total,
        "results": results,
        "pages": _pages(lambda n: f"{base}?{urlencode({**here, 'page': n})}", page, total),
        # _searchmode (escaped: what the box does anyway) keeps the search in the table.
        "in_table": f"{table}?{urlencode({'_search': text, '_searchmode': 'escaped'})}",
        "action": base,
        "metadata": datasette.metadata(),
    }
    html = await datasette.render_template("tuban_search.html", context, request=request)
    return Response.html(html)
