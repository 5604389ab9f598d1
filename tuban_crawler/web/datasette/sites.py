"""The site facet of the articles page (issue 22): articles per site, most first; a value filters by ``?site=``.

Datasette's column facet, except that an archive older than ``articles.site`` (m015, served
before its next crawl) shows no site facet instead of an error: its one site is its name.
"""

from __future__ import annotations

import logging
from typing import Any

from datasette import hookimpl
from datasette.facets import ColumnFacet
from datasette.utils import escape_sqlite

from tuban_crawler.web.datasette.facets import _facet

logger = logging.getLogger(__name__)

#: The column naming each article's site (``store.sites``).
SITE_COLUMN = "site"


class SiteFacet(ColumnFacet):
    """Articles per site, most first; absent from an archive without the column."""

    type = "site"

    async def suggest(self) -> list[dict[str, Any]]:
        """Return no suggestions (the column facet already suggests the column)."""
        return []

    async def facet_results(self) -> tuple[list[dict[str, Any]], list[str]]:
        """Return (the site facet with each site's count, the columns that timed out)."""
        columns = (
            await self.ds.databases[self.database].table_columns(self.table) if self.table else []
        )
        results, timed_out = [], []
        for entry in self.get_configs():
            column = entry["config"].get("column") or entry["config"]["simple"]
            if column not in columns:
                continue
            name = escape_sqlite(column)
            sql = (
                f"select {name} as value, count(*) as count from ({self.sql})"
                f" where {name} is not null group by value order by count desc, value"
            )
            result = await _facet(self, entry, column, sql, column)
            if result is None:
                timed_out.append(column)
            else:
                results.append(result)
        return results, timed_out


@hookimpl(specname="register_facet_classes")
def sites_facet_classes() -> list[type]:
    """Return the facet counting articles per site."""
    return [SiteFacet]
