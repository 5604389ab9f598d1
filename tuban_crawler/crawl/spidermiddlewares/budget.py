"""Drop what a run's caps cut: the frontier budget (``discover.budget``) applied to what the spider yields.

The spider tags every request with its kind and every listing with the first page of its chain
(``crawl.meta``); a listing linked from a listing of the same path or shape joins its chain.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler
from scrapy.http import Request, Response
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware

from tuban_crawler.crawl import meta
from tuban_crawler.discover.budget import REPORTED_SHAPES, Caps, FrontierBudget, same_listing
from tuban_crawler.items import DiscoveredEntries

logger = logging.getLogger(__name__)


class FrontierBudgetMiddleware(BaseSpiderMiddleware):
    """Drop the requests (and announced entries) a run's caps cut, counting them in the stats."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.budget = FrontierBudget(Caps.from_settings(crawler.settings))

    def get_processed_request(self, request: Request, response: Response | None) -> Request | None:
        """Return REQUEST, or None when a cap cuts it (start requests are the archive's own work: never cut)."""
        kind = request.meta.get(meta.KIND)
        if response is None or kind is None:
            return request
        if kind == "listing" and response.meta.get(meta.KIND) == "listing":
            parent_hub = response.meta.get(meta.HUB) or response.url
            if same_listing(request.url, response.url):
                request.meta[meta.HUB] = (
                    parent_hub  # a calendar, or pagination reached as a "category", is one chain
                )
        url = request.meta.get(meta.CANONICAL_URL, request.url) if kind == "entry" else request.url
        cap = self.budget.admit(url, kind, request.meta.get(meta.HUB), request.meta.get("depth", 0))
        if cap is None:
            return request
        self._count_cut(cap, url)
        return None

    def get_processed_item(self, item: Any, response: Response | None) -> Any:
        """Return ITEM, without the announced entries a cap cuts (they never enter the frontier)."""
        if response is None or not isinstance(item, DiscoveredEntries):
            return item
        kept = {}
        for url, hint in item.entries.items():
            cap = self.budget.admit(url, "entry")
            if cap is None:
                kept[url] = hint
            else:
                self._count_cut(cap, url)
        return DiscoveredEntries(kept) if kept else None

    def _count_cut(self, cap: str, url: str) -> None:
        stats = self.crawler.stats
        if not stats.get_value(f"tuban/cut/{cap}"):
            logger.warning(
                "cap %s reached (first cut: %s); what it cuts is counted in the run report",
                cap,
                url,
            )
        stats.inc_value(f"tuban/cut/{cap}")
        stats.set_value(
            "tuban/cut_shapes", dict(self.budget.cut_shapes.most_common(REPORTED_SHAPES))
        )
