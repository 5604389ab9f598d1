"""Item pipelines, one step each: normalise → validate (the date judged) → store.

The pipelines are thin: the work is done by the pure functions of ``normalize``,
``dates`` and ``sanitize``, and by ``archive.ArchiveStore``.
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider, DropItem
from scrapy.utils.defer import maybe_deferred_to_future

from tuban_crawler.crawl.config import crawl_archive
from tuban_crawler.crawl.extensions.run_recorder import run_refused
from tuban_crawler.crawl.halt import HALT_STAT, halt_crawl, halted, storage_failure
from tuban_crawler.crawl.runs import current_run_id
from tuban_crawler.crawl.writer import ArchiveWriter
from tuban_crawler.items import ArticleItem, DiscoveredEntries, FetchFailure
from tuban_crawler.normalize.article import normalize_article
from tuban_crawler.normalize.published import settle_published
from tuban_crawler.store.report import RunReport

logger = logging.getLogger(__name__)


class NormalizePipeline:
    """Turn the raw fields of an ``ArticleItem`` into archive columns (its date is ``ValidatePipeline``'s)."""

    def process_item(self, item: Any) -> Any:
        """Return ITEM, normalised when it is an ``ArticleItem`` (an extraction worker may have done it)."""
        if isinstance(item, ArticleItem) and item.record is None:
            normalize_article(item)
        return item


class ValidatePipeline:
    """Settle an article's date, and turn one that can't be archived into a recorded ``FetchFailure``, never a silent drop.

    Which publication date an article keeps is judged here, once, among the candidates
    extraction and normalise hand on (``normalize.published``): an implausible one is refused
    and the next taken.

    It also counts which fields the pages had (the run report's coverage), before any is
    turned away: a layout change shows up as missing titles, not as fewer pages.
    """

    def __init__(self, stats: Any = None) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatePipeline:
        """Return the pipeline counting into CRAWLER's stats."""
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        """Return ITEM, or a ``FetchFailure`` saying why it can't be archived."""
        if not isinstance(item, ArticleItem):
            return item
        if item.record is not None and item.settled_hints != (
            item.hint_published,
            item.hint_modified,
        ):
            # The one judgement of the date's plausibility (an extraction worker's, unless a
            # hint arrived since).
            settle_published(item)
        record: Any = item.record if item.record is not None else {}
        if self.stats is not None:
            RunReport.count_fields(self.stats, record)
            if item.raw.drifted:
                self.stats.inc_value("extract/selectors_drifted")
        missing = [name for name in ("url", "title") if not record.get(name)]
        if missing:
            reason = f"invalid page: no {' and no '.join(missing)} found (has the layout changed?)"
            logger.warning("%s: %s", item.fetch.get("fetched_url"), reason)
            return FetchFailure(
                url=item.url,
                reason=reason,
                status=item.fetch.get("status"),
                fetched_at=item.fetch.get("fetched_at"),
                entry=True,
            )
        return item


class StorePipeline:
    """Hand every item to the archive writer (a process of its own); the run is ``RunRecorder``'s."""

    def __init__(self, crawler: Crawler, db_path: str) -> None:
        self.crawler = crawler
        self.db_path = db_path
        self.opened = False
        self.writer: ArchiveWriter | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        """Return the pipeline for CRAWLER, writing to the ``ARCHIVE_DB`` setting."""
        pipeline = cls(crawler, crawl_archive(crawler.settings, "nothing is stored"))
        # At spider_opened, after the run recorder (an extension, connected before any
        # pipeline exists) took the archive's lock: a refused crawl starts no writer.
        crawler.signals.connect(pipeline.spider_opened, signal=signals.spider_opened)
        return pipeline

    def spider_opened(self) -> None:
        """Start the archive writer, unless the run was refused or could not open the archive."""
        stats = self.crawler.stats
        if run_refused(self.crawler) or stats.get_value(HALT_STAT):
            return
        settings = self.crawler.settings
        try:
            self.writer = ArchiveWriter(
                self.db_path,
                settings.getint("TUBAN_MAX_ATTEMPTS"),
                current_run_id(self.crawler),
                on_written=self._written,
                max_pending=settings.getint("TUBAN_WRITER_MAX_PENDING"),
                max_batch=settings.getint("TUBAN_WRITER_MAX_BATCH"),
                operator=settings.get("TUBAN_CONTACT_URL"),
            )
            self.writer.start()
        except (sqlite3.Error, OSError) as error:
            cause = storage_failure(error)
            if cause is None:
                raise
            stats.set_value(HALT_STAT, cause)
            raise CloseSpider("archive_failed") from None
        self.opened = True

    def close_spider(self) -> None:
        """Write everything still queued before the run is judged (at ``spider_closed``, which follows)."""
        if self.writer is not None:
            self.writer.close()

    async def process_item(self, item: Any) -> Any:
        """Return ITEM once the archive writer has it (nothing is written once the crawl is halted).

        The entries a listing discovered are waited for until committed: they are in the
        archive's frontier before any of them is requested, so that a kill loses none.
        """
        if not self.opened or self.writer is None or halted(self.crawler):
            return item
        wait = self.writer.put(item, durable=isinstance(item, DiscoveredEntries))
        if wait is not None:
            await maybe_deferred_to_future(wait)
        if not isinstance(item, ArticleItem):
            # Bookkeeping, stored by the writer: only articles go on to feed exports
            # (`scrapy crawl tuban -O a.jsonl`).
            raise DropItem(f"{type(item).__name__} stored", log_level="DEBUG")
        return item

    def _written(self, counts: dict[str, int], failure: str | None) -> None:
        for key, count in counts.items():
            self.crawler.stats.inc_value(key, count)
        if failure is not None:
            halt_crawl(self.crawler, failure)
