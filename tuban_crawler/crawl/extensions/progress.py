"""Progress of a long run: a line logged every ``TUBAN_PROGRESS_INTERVAL`` seconds, and on a
terminal a status line redrawn every second (``TUBAN_STATUS_LINE``).

Scrapy's LogStats counts pages; an archivist watching a backfill wants to know what the
archive gained, and how much is still queued.
"""

from __future__ import annotations

import logging
import shutil
import sys
import time
from typing import IO, Any

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
        queued = queued_requests(self.crawler)
        logger.info(
            "progress: %d requests, %d new, %d updated, %d unchanged, %d gone, %d failed; %d queued",
            stats.get_value("downloader/request_count", 0),
            stats.get_value("archive/new", 0),
            stats.get_value("archive/updated", 0),
            stats.get_value("archive/unchanged", 0),
            stats.get_value("archive/gone", 0),
            stats.get_value("archive/failed", 0),
            queued,
        )


def queued_requests(crawler: Crawler) -> int:
    """Return how many requests CRAWLER's scheduler holds (0 when it can't tell)."""
    engine = crawler.engine
    scheduler = getattr(engine, "scheduler", None) or getattr(
        getattr(engine, "slot", None), "scheduler", None
    )
    return len(scheduler) if scheduler is not None and hasattr(scheduler, "__len__") else 0


def _clock(seconds: float) -> str:
    minutes, seconds = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def status_text(stats: dict[str, Any], queued: int, elapsed: float) -> str:
    """Return the one-line status of a crawl whose Scrapy STATS these are, QUEUED requests waiting, ELAPSED seconds in.

    >>> status_text({"response_received_count": 120, "archive/new": 100, "archive/updated": 2}, 360, 30)
    '120 pages fetched · 100 new, 2 updated · 0 failed · 0:30 elapsed · about 1:30 left (360 queued)'
    """
    pages = int(stats.get("response_received_count", 0))
    articles = f"{stats.get('archive/new', 0):,} new, {stats.get('archive/updated', 0):,} updated"
    if stats.get("archive/unchanged"):
        articles += f", {stats['archive/unchanged']:,} unchanged"
    text = f"{pages:,} pages fetched · {articles} · {stats.get('archive/failed', 0):,} failed · {_clock(elapsed)} elapsed"
    if queued and pages and elapsed >= 1:
        # An estimate for what is queued now; discovery may queue more.
        text += f" · about {_clock(queued * elapsed / pages)} left ({queued:,} queued)"
    return text


class StatusLine:
    """Redraw a one-line status of the crawl on a terminal every second, and erase it before each log line."""

    def __init__(self, crawler: Crawler, stream: IO[str], interval: float = 1.0) -> None:
        self.crawler = crawler
        self.stream = stream
        self.interval = interval
        self.started = time.monotonic()
        self.shown = False
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StatusLine:
        """Return the extension, or raise NotConfigured unless TUBAN_STATUS_LINE is on."""
        if not crawler.settings.getbool("TUBAN_STATUS_LINE"):
            raise NotConfigured  # without a message: Scrapy would log every run without a terminal
        # The terminal is the point of this extension: it writes to stderr, where a person watches.
        extension = cls(crawler, sys.stderr)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def filter(self, record: logging.LogRecord) -> bool:
        """Erase the status line before a log line takes its place (a logging filter; keeps every record)."""
        self.erase()
        return True

    def spider_opened(self) -> None:
        """Start redrawing, and erase the line before any log line."""
        self.started = time.monotonic()
        for handler in logging.getLogger().handlers:
            handler.addFilter(self)
        self.loop = task.LoopingCall(self.draw)
        self.loop.start(self.interval, now=True)

    def spider_closed(self) -> None:
        """Stop redrawing and leave the terminal as it was."""
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        for handler in logging.getLogger().handlers:
            handler.removeFilter(self)
        self.erase()

    def draw(self) -> None:
        """Redraw the status line."""
        text = status_text(
            self.crawler.stats.get_stats(),
            queued_requests(self.crawler),
            time.monotonic() - self.started,
        )
        width = shutil.get_terminal_size((100, 24)).columns - 1
        self.stream.write("\r\033[K" + text[:width])
        self.stream.flush()
        self.shown = True

    def erase(self) -> None:
        """Erase the status line if it is shown."""
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.shown = False
