"""A page whose callback raised becomes a recorded failure, and the run goes on.

A spider middleware: an extraction bug or a page nobody foresaw becomes a ``FetchFailure``
with its reason; Scrapy would otherwise only log it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError

from tuban_crawler.crawl import meta
from tuban_crawler.items import FetchFailure
from tuban_crawler.store.database import utc_now

logger = logging.getLogger(__name__)


class RecordFailuresMiddleware:
    """Turn an exception raised while reading a page into a recorded failure."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RecordFailuresMiddleware:
        """Return the middleware for CRAWLER."""
        return cls(crawler)

    def process_spider_exception(
        self, response: Response, exception: Exception
    ) -> Iterable[Any] | None:
        """Return a ``FetchFailure`` for RESPONSE, or None for errors other middlewares own."""
        if isinstance(exception, HttpError):
            return None
        url = response.meta.get(meta.CANONICAL_URL) or response.url
        reason = f"could not read the page: {type(exception).__name__}: {exception}"
        logger.error("%s: %s", response.url, reason, exc_info=exception)
        self.crawler.stats.inc_value("tuban/page_errors")
        entry = response.meta.get(meta.KIND) == "entry"
        return [
            FetchFailure(
                url=url, reason=reason, status=response.status, fetched_at=utc_now(), entry=entry
            )
        ]
