"""Progress of a long run, logged every ``TUBAN_PROGRESS_INTERVAL`` seconds.

Scrapy's LogStats counts pages; an archivist watching a backfill wants to know what the
archive gained, and how much is still queued.
"""

from __future__ import annotations

import logging

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task

logger = logging.getLogger(__name__)


class ProgressLog:
    """Log the archive's gains and the queue's length at a fixed interval."""

    def __init__(self, crawler: Crawler, interval: float) -> None:
        self.crawler = crawler
        self.interval = interval
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProgressLog:
        """Return the extension, or raise NotConfigured when the interval is 0."""
        interval = crawler.settings.getfloat("TUBAN_PROGRESS_INTERVAL")
        if interval <= 0:
            raise NotConfigured("TUBAN_PROGRESS_INTERVAL is 0")
        extension = cls(crawler, interval)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self) -> None:
        """Start logging."""
        self.loop = task.LoopingCall(self.log)
        self.loop.start(self.interval, now=False)

    def spider_closed(self) -> None:
        """Stop logging."""
        if self.loop is not None and self.loop.running:
            self.loop.stop()

    def log(self) -> None:
        """Log one progress line."""
        stats = self.crawler.stats
        engine = self.crawler.engine
        scheduler = getattr(engine, "scheduler", None)  # Scrapy >= 2.19
        queued = len(scheduler) if scheduler is not None and hasattr(scheduler, "__len__") else 0
        logger.info(
            "progress: %d requests, %d new, %d updated, %d unchanged, %d gone, %d failed; %d queued",
            stats.get_value("downloader/request_count", 0), stats.get_value("archive/new", 0),
            stats.get_value("archive/updated", 0), stats.get_value("archive/unchanged", 0),
            stats.get_value("archive/gone", 0), stats.get_value("archive/failed", 0), queued,
        )  # fmt: skip
