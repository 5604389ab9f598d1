"""Filters of the articles page that read indexes instead of every wide article row (issue 10).

Two clauses decide the speed of the articles page on a big archive, because the count, the
page and each facet repeat them:

- **The search.** Datasette writes ``rowid in (select rowid from <fts> where <fts> match ...)``.
  SQLite's planner assumes such a subquery gives about 25 rows, so it looks the matches up
  one by one and sorts them, every column, bodies included: 130 ms for a word found in half
  of 20,000 articles, and as long again for the count and each facet. The same clause written
  ``+rowid in (...)`` (the unary plus makes it a test, not a lookup) lets SQLite walk the
  ``published_at`` index in order and stop at the page's 51st match, and count and facet over
  covering indexes: a few milliseconds each. Rows and counts are the same.
- **A category.** ``categories__arraycontains`` parses the JSON array of every article.
  ``_category=NAME`` (what the plugin's facet and links use) reads the narrow
  ``article_categories`` table instead; the Datasette filter form keeps it and the page says it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from datasette.filters import FilterArguments
from datasette.utils import await_me_maybe, escape_sqlite

logger = logging.getLogger(__name__)

#: The query-string argument of the category filter (several: articles in every one of them).
CATEGORY_ARG = "_category"
#: The table holding one row per (category, article) (``archive.m007_article_categories``).
CATEGORY_TABLE = "article_categories"


def search_clause(fts_table: str) -> str:
    """Return the clause Datasette 0.65 writes for ``?_search=`` over FTS_TABLE (escaped mode)."""
    fts = escape_sqlite(fts_table)
    return f"rowid in (select rowid from {fts} where {fts} match escape_fts(:search))"


def indexed_search(result: Any, fts_table: str) -> Callable[[], Any]:
    """Return RESULT (a filters_from_request answer) with Datasette's search clause written as a test (``+rowid``).

    Any other answer, or a search clause written otherwise (another Datasette), is left as it is.
    """
    slow = search_clause(fts_table)

    async def rewritten() -> Any:
        arguments = await await_me_maybe(result)
        if isinstance(arguments, FilterArguments) and slow in arguments.where_clauses:
            arguments.where_clauses = [f"+{c}" if c == slow else c for c in arguments.where_clauses]
        return arguments

    return rewritten


def category_filter(request: Any, narrow: bool = True) -> FilterArguments | None:
    """Return the clauses of REQUEST's ``_category`` arguments, or None without any.

    NARROW: the archive has ``article_categories`` (else, an older archive until its next
    crawl, the clauses read the JSON arrays, as ``categories__arraycontains`` does).
    """
    names = request.args.getlist(CATEGORY_ARG)
    if not names:
        return None
    # A test on the rowid (the unary plus), which every index of articles holds: the page
    # walks the published_at index and the facets their covering indexes.
    clause = (
        f"+rowid in (select article_rowid from {CATEGORY_TABLE} where category = :tuban_category_{{n}})"
        if narrow
        else ":tuban_category_{n} in (select value from json_each([articles].categories))"
    )
    clauses = [clause.format(n=n) for n in range(len(names))]
    params = {f"tuban_category_{n}": name for n, name in enumerate(names)}
    descriptions = [f'category is "{name}"' for name in names]
    return FilterArguments(clauses, params, descriptions)
