"""Two small middlewares that keep a run going and a small server breathing.

- ``RecordFailuresMiddleware`` (spider middleware): a page whose callback raised (an
  extraction bug, a page nobody foresaw) becomes a recorded ``FetchFailure`` with its
  reason, and the run goes on. Scrapy would otherwise only log it.
- ``RetryAfterMiddleware`` (downloader middleware): honours ``Retry-After`` on 429/503 by
  slowing the host's download slot for that long, so the retry that follows does not
  hammer a server that asked for a pause. Scrapy's RetryMiddleware ignores the header.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import reactor

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
        url = response.meta.get("canonical_url") or response.url
        reason = f"could not read the page: {type(exception).__name__}: {exception}"
        logger.error("%s: %s", response.url, reason, exc_info=exception)
        self.crawler.stats.inc_value("tuban/page_errors")
        return [FetchFailure(url=url, reason=reason, status=response.status, fetched_at=utc_now())]


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Return the wait a ``Retry-After`` header VALUE asks for, in seconds, or None.

    >>> retry_after_seconds("5"), retry_after_seconds("soon")
    (5.0, None)
    >>> retry_after_seconds("Sat, 28 Nov 2026 04:00:10 GMT", datetime(2026, 11, 28, 4, 0, tzinfo=timezone.utc))
    10.0
    """
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (moment - (now or datetime.now(timezone.utc))).total_seconds())


class RetryAfterMiddleware:
    """Slow a host's download slot down for as long as its ``Retry-After`` asks (capped)."""

    STATUSES = (429, 503)

    def __init__(self, crawler: Crawler, max_wait: float) -> None:
        self.crawler = crawler
        self.max_wait = max_wait

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        """Return the middleware, configured by ``TUBAN_RETRY_AFTER_MAX`` (0 switches it off)."""
        max_wait = crawler.settings.getfloat("TUBAN_RETRY_AFTER_MAX", 300)
        if max_wait <= 0:
            raise NotConfigured("TUBAN_RETRY_AFTER_MAX is 0")
        return cls(crawler, max_wait)

    def process_response(self, request: Request, response: Response) -> Response:
        """Return RESPONSE unchanged, after slowing its slot when the server asked to wait."""
        if response.status not in self.STATUSES:
            return response
        header = response.headers.get(b"Retry-After")
        wait = retry_after_seconds(header.decode("latin-1") if header else None)
        if wait is None:
            return response
        wait = min(wait, self.max_wait)
        downloader = self.crawler.engine.downloader if self.crawler.engine else None
        slot_key = request.meta.get("download_slot") or (
            downloader.get_slot_key(request) if downloader else None
        )
        slot = downloader.slots.get(slot_key) if downloader and slot_key else None
        if slot is None or slot.delay >= wait:
            return response
        previous = slot.delay
        slot.delay = wait
        logger.info(
            "%s asked to wait %.0f s (HTTP %d): slowing down", slot_key, wait, response.status
        )
        self.crawler.stats.inc_value("tuban/retry_after_waits")
        reactor.callLater(wait, self._restore, slot, wait, previous)  # type: ignore[attr-defined]
        return response

    @staticmethod
    def _restore(slot: Any, raised_to: float, previous: float) -> None:
        # AutoThrottle may have moved the delay meanwhile: only undo our own change.
        if slot.delay == raised_to:
            slot.delay = previous
