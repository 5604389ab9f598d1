"""A facet whose values come newest first (months, days, years), not most frequent first.

Datasette's column facet orders values by count: for ``published_month`` that lists the
busiest months of fifteen years in no order. ``{"newest": "published_month"}`` in a
table's ``facets`` lists the latest months instead, each with its count.
"""

from __future__ import annotations

import logging
from typing import Any

from datasette.database import QueryInterrupted
from datasette.facets import ColumnFacet
from datasette.utils import escape_sqlite, path_with_added_args, path_with_removed_args

logger = logging.getLogger(__name__)


class NewestFacet(ColumnFacet):
    """A column facet ordered by value, highest (newest) first."""

    type = "newest"

    async def suggest(self) -> list[dict[str, Any]]:
        """Return no suggestions (the column facet already suggests these columns)."""
        return []

    async def facet_results(self) -> tuple[list[dict[str, Any]], list[str]]:
        """Return (the facets with their newest values and counts, the columns that timed out)."""
        results, timed_out = [], []
        pairs = self.get_querystring_pairs()
        size = self.get_facet_size()
        # A column an older archive lacks (published_date before its next crawl) is left out.
        columns = await self.ds.databases[self.database].table_columns(self.table) if self.table else None
        for entry in self.get_configs():
            column = entry["config"].get("column") or entry["config"]["simple"]
            if columns is not None and column not in columns:
                continue
            sql = (
                f"select {escape_sqlite(column)} as value, count(*) as count from ({self.sql}) "
                f"where {escape_sqlite(column)} is not null group by value order by value desc limit {size + 1}"
            )
            try:
                rows = await self.ds.execute(
                    self.database, sql, self.params, truncate=False,
                    custom_time_limit=self.ds.setting("facet_time_limit_ms"),
                )  # fmt: skip
            except QueryInterrupted:
                timed_out.append(column)
                continue
            values = []
            for row in rows.rows[:size]:
                selected = (column, str(row["value"])) in pairs
                change = path_with_removed_args if selected else path_with_added_args
                toggle = change(self.request, {column: str(row["value"])})
                values.append({"value": row["value"], "label": row["value"], "count": row["count"],
                               "toggle_url": self.ds.absolute_url(self.request, self.ds.urls.path(toggle)),
                               "selected": selected})  # fmt: skip
            results.append({
                "name": column, "type": self.type, "hideable": entry["source"] != "metadata",
                "toggle_url": self.ds.urls.path(path_with_removed_args(self.request, {"_facet_newest": column})),
                "results": values, "truncated": len(rows.rows) > size,
            })  # fmt: skip
        return results, timed_out
