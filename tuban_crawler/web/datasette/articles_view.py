"""The articles page as a person reads it: title, date, author, categories, views and the address first (issue 19).

``articles`` has 31 columns, and Datasette shows them in the table's order: the full URL
first, wrapping over several lines, with author, categories and views far off to the right.
Unless the page is asked for columns (``_col``/``_nocol``), the table shows the reader's
columns (``READER_COLUMNS``), the address as its path, and a link to every column (Datasette's
``_col``, after which its own column menu applies). Facets, search, filters, sorting and
exports are Datasette's, unchanged; the JSON and CSV keep every column.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlencode, urlsplit

from markupsafe import Markup

logger = logging.getLogger(__name__)

#: What a reader needs first, in order; the address (``url``, the key) closes the row.
READER_COLUMNS = ("title", "published_date", "author", "categories", "views", "site", "url")


def short_address(url: str) -> str:
    """Return URL as a reader scans it in a table: its path (the slug), or URL when it has none.

    >>> short_address("https://tubankab.go.id/entry/asn-dituntut-disiplin"), short_address("x")
    ('/entry/asn-dituntut-disiplin', 'x')
    """
    path = urlsplit(url).path
    return path if path not in ("", "/") else url


def all_columns_href(request: Any, names: Sequence[str]) -> str:
    """Return REQUEST's page with every column of NAMES, the reader's first (Datasette's ``_col``)."""
    first = [name for name in READER_COLUMNS if name in names and name != "url"]
    args = (
        [(key, value) for key in request.args.keys() for value in request.args.getlist(key)]
        if request is not None
        else []
    )
    columns = first + [name for name in names if name not in first and name != "url"]
    return "?" + urlencode(args + [("_col", name) for name in columns])


def reader_table(datasette: Any, database: str) -> Callable[..., dict[str, Any] | None]:
    """Return the template function ``tuban_reader_table`` of DATABASE's articles page (``reader_view``)."""
    from datasette.utils import tilde_encode

    def row_href(url: str) -> str:
        return str(datasette.urls.row(database, "articles", tilde_encode(url)))

    return lambda columns, rows, request: reader_view(columns, rows, request, row_href)


def reader_view(
    columns: Sequence[dict[str, Any]],
    rows: Sequence[Any],
    request: Any,
    row_href: Callable[[str], str],
) -> dict[str, Any] | None:
    """Return the reader's view of an articles page: its columns and rows, or None to show Datasette's.

    Parameters:
        columns: the page's ``display_columns`` (dicts with ``name``).
        rows: its ``display_rows`` (each a sequence of cells with ``column``, ``value``, ``raw``).
        request: the page's request (``_col``/``_nocol`` ask for Datasette's own columns).
        row_href: the article page of a URL.
    """
    if request is not None and ("_col" in request.args or "_nocol" in request.args):
        return None
    names = [column["name"] for column in columns]
    shown = [name for name in READER_COLUMNS if name in names]
    if "title" not in shown:
        return None
    by_name = {column["name"]: column for column in columns}
    reader_rows = []
    for row in rows:
        cells = {cell["column"]: cell for cell in row}
        out = []
        for name in shown:
            cell = dict(cells[name])
            if name == "url" and isinstance(cell.get("raw"), str):
                cell["value"] = Markup('<a href="{}" title="{}">{}</a>').format(
                    row_href(cell["raw"]), cell["raw"], short_address(cell["raw"])
                )
            out.append(cell)
        reader_rows.append(out)
    return {
        "columns": [by_name[name] for name in shown],
        "rows": reader_rows,
        "total": len(names),
        "all_href": all_columns_href(request, names),
    }
