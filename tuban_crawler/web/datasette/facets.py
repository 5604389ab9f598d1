"""Facets for the archive: newest values first, and JSON arrays counted over narrow rows.

Datasette's column facet orders values by count: for ``published_month`` that lists the
busiest months of fifteen years in no order. ``{"newest": "published_month"}`` in a
table's ``facets`` lists the latest months instead, each with its count.

Datasette 0.65's array facet de-duplicates ``select distinct j.value, inner.*``: every column
of every row, bodies included (608 of the 700 ms of the articles page at 21,800 articles, issue
10). ``{"array_values": "categories"}`` counts the same values as distinct primary keys per
value, which reads only the key and the array (an index on both covers it). On an archive's
``articles`` it counts the narrow ``article_categories`` rows instead (``archive`` keeps them by
triggers): no JSON parsed, no wide row read; its values toggle the ``_category`` filter
(``filters``), which reads the same rows.
"""

from __future__ import annotations

import logging
from typing import Any

from datasette.database import QueryInterrupted
from datasette.facets import ArrayFacet, ColumnFacet
from datasette.utils import escape_sqlite, path_with_added_args, path_with_removed_args

from tuban_crawler.web.datasette.filters import CATEGORY_ARG, CATEGORY_TABLE
from tuban_crawler.web.datasette.scope import is_archive

logger = logging.getLogger(__name__)


async def _facet(
    facet: Any, entry: dict[str, Any], column: str, sql: str, arg: str
) -> dict[str, Any] | None:
    """Return FACET's result for COLUMN from SQL's (value, count) rows, or None when it timed out.

    ARG is the query-string filter a value toggles (``published_month``, ``categories__arraycontains``).
    """
    size = facet.get_facet_size()
    try:
        rows = await facet.ds.execute(
            facet.database,
            f"{sql} limit {size + 1}",
            facet.params,
            truncate=False,
            custom_time_limit=facet.ds.setting("facet_time_limit_ms"),
        )
    except QueryInterrupted:
        return None
    pairs = facet.get_querystring_pairs()
    values = []
    for row in rows.rows[:size]:
        selected = (arg, str(row["value"])) in pairs
        change = path_with_removed_args if selected else path_with_added_args
        toggle = change(facet.request, {arg: str(row["value"])})
        values.append(
            {
                "value": row["value"],
                "label": row["label"] if "label" in row.keys() else row["value"],
                "count": row["count"],
                "toggle_url": facet.ds.absolute_url(facet.request, facet.ds.urls.path(toggle)),
                "selected": selected,
            }
        )
    return {
        "name": column,
        "type": facet.type,
        "hideable": entry["source"] != "metadata",
        "toggle_url": facet.ds.urls.path(
            path_with_removed_args(facet.request, {f"_facet_{facet.type}": column})
        ),
        "results": values,
        "truncated": len(rows.rows) > size,
    }


class NewestFacet(ColumnFacet):
    """A column facet ordered by value, highest (newest) first."""

    type = "newest"
    #: How the facet's values are ordered (SQL).
    order = "value desc"

    async def suggest(self) -> list[dict[str, Any]]:
        """Return no suggestions (the column facet already suggests these columns)."""
        return []

    async def facet_results(self) -> tuple[list[dict[str, Any]], list[str]]:
        """Return (the facets with their newest values and counts, the columns that timed out)."""
        results, timed_out = [], []
        # A column an older archive lacks (published_date before its next crawl) is left out.
        columns = (
            await self.ds.databases[self.database].table_columns(self.table) if self.table else None
        )
        for entry in self.get_configs():
            column = entry["config"].get("column") or entry["config"]["simple"]
            if columns is not None and column not in columns:
                continue
            sql = (
                f"select {escape_sqlite(column)} as value, count(*) as count from ({self.sql}) "
                f"where {escape_sqlite(column)} is not null group by value order by {self.order}"
            )
            result = await _facet(self, entry, column, sql, column)
            if result is None:
                timed_out.append(column)
            else:
                results.append(result)
        return results, timed_out


class ArrayValuesFacet(ArrayFacet):
    """Datasette's array facet, counting distinct primary keys per value instead of de-duplicating whole rows."""

    type = "array_values"

    async def suggest(self) -> list[dict[str, Any]]:
        """Return no suggestions (the array facet already suggests these columns)."""
        return []

    async def facet_results(self) -> tuple[list[dict[str, Any]], list[str]]:
        """Return (the facets with their most frequent values and counts, the columns that timed out)."""
        results, timed_out = [], []
        keys = await self.ds.databases[self.database].primary_keys(self.table) if self.table else []
        if len(keys) != 1:  # a rowid table, a compound key or a query: Datasette's own way
            return await super().facet_results()
        key = f"[inner].{escape_sqlite(keys[0])}"
        narrow = await self._narrow_rows()
        for entry in self.get_configs():
            column = entry["config"].get("column") or entry["config"]["simple"]
            if column == "categories" and narrow is not None:
                sql = f"select category as value, count(*) as count from {CATEGORY_TABLE}{narrow} group by category"
                arg = CATEGORY_ARG
            else:
                # Only the key and the array are read: an index on (column, key) covers it.
                sql = (
                    f"with inner as ({self.sql}) select j.value as value, count(distinct {key}) as count"
                    f" from inner join json_each([inner].{escape_sqlite(column)}) j group by j.value"
                )
                arg = f"{column}__arraycontains"
            result = await _facet(self, entry, column, f"{sql} order by count desc, value", arg)
            if result is None:
                timed_out.append(column)
            else:
                results.append(result)
        return results, timed_out

    async def _narrow_rows(self) -> str | None:
        """Return the condition on ``article_categories`` selecting the page's articles ('' for all), or None.

        None: not an archive's ``articles`` with ``article_categories`` (an older archive until
        its next crawl), or a query Datasette did not write as ``select <columns> from articles
        <where>``; the facet then counts the JSON arrays.
        """
        if self.table != "articles" or not is_archive(self.ds, self.database):
            return None
        db = self.ds.databases[self.database]
        if not await db.table_exists(CATEGORY_TABLE):
            return None
        columns = ", ".join(escape_sqlite(c) for c in await db.table_columns(self.table))
        prefix = f"select {columns} from {escape_sqlite(self.table)} "
        if not self.sql.startswith(prefix):
            return None
        where = self.sql[len(prefix) :].strip()
        # The page's rows by their rowid (the same WHERE, reading indexes), tested per narrow row.
        return (
            f" where +article_rowid in (select rowid from {escape_sqlite(self.table)} {where})"
            if where
            else ""
        )
