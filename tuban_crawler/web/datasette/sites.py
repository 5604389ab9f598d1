"""The site facet of the articles page (issue 22): articles per site, most first; a value filters by ``?site=``.

Datasette's column facet, except that an archive older than ``articles.site`` (m015, served
before its next crawl) shows no site facet instead of an error: its one site is its name.
"""

from __future__ import annotations

from datasette import hookimpl

from tuban_crawler.web.datasette.facets import NewestFacet

#: The column naming each article's site (``store.sites``).
SITE_COLUMN = "site"


class SiteFacet(NewestFacet):
    """Articles per site, most first; absent from an archive without the column."""

    type = "site"
    order = "count desc, value"


@hookimpl(specname="register_facet_classes")
def sites_facet_classes() -> list[type]:
    """Return the facet counting articles per site."""
    return [SiteFacet]
