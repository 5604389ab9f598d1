"""Item pipelines, one step each: normalise → validate → store.

The pipelines are thin: the work is done by the pure functions of ``normalize``,
``dates`` and ``sanitize``, and by ``archive.ArchiveStore``.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider, DropItem, NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future

from tuban_crawler.crawl.halt import HALT_STAT, halt_crawl, halted, storage_failure
from tuban_crawler.crawl.runs import current_run_id
from tuban_crawler.crawl.writer import ArchiveWriter
from tuban_crawler.discover.walk import update_covered_starts, walk_record
from tuban_crawler.items import ArticleItem, DiscoveredEntries, FetchFailure
from tuban_crawler.normalize.article import normalize_article
from tuban_crawler.store.archive import ArchiveStore
from tuban_crawler.store.lock import ArchiveBusy, ArchiveLock
from tuban_crawler.store.report import RunReport

logger = logging.getLogger(__name__)


class NormalizePipeline:
    """Turn the raw fields of an ``ArticleItem`` into archive columns."""

    def process_item(self, item: Any) -> Any:
        """Return ITEM, normalised when it is an ``ArticleItem``."""
        if isinstance(item, ArticleItem):
            normalize_article(item)
        return item


class ValidatePipeline:
    """Turn an article that can't be archived into a recorded ``FetchFailure``, never a silent drop.

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
            )
        return item


class StorePipeline:
    """Write every item to the archive, and own the run: its lock, its row, its report."""

    #: The crawl's stats key holding why the archive was refused (another crawl holds it).
    REFUSED_STAT = "tuban/refused"

    def __init__(self, crawler: Crawler, db_path: str) -> None:
        self.crawler = crawler
        self.store = ArchiveStore(
            db_path, max_attempts=crawler.settings.getint("TUBAN_MAX_ATTEMPTS", 3)
        )
        self.lock = ArchiveLock(db_path)
        self.report = RunReport.from_settings(crawler.settings)
        self.opened = False
        self.history: dict[str, Any] = {}
        self.writer: ArchiveWriter | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        """Return the pipeline for CRAWLER, writing to the ``ARCHIVE_DB`` setting."""
        db_path = crawler.settings.get("ARCHIVE_DB")
        if not db_path:
            raise NotConfigured("ARCHIVE_DB is empty")
        if not crawler.settings.getbool("TUBAN_WRITE_ARCHIVE"):
            # `scrapy parse`/`shell`/`fetch` look at pages; only a crawl stores them.
            raise NotConfigured("not a crawl (TUBAN_WRITE_ARCHIVE is off): nothing is stored")
        pipeline = cls(crawler, db_path)
        # The run ends at spider_closed, the first moment its finish reason is known
        # (pipelines are closed before it).
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    @property
    def run_id(self) -> str:
        """Return the id of this crawl."""
        return current_run_id(self.crawler)

    def open_spider(self) -> None:
        """Take the archive's lock, open it and record the start of the run.

        Another crawl holding the lock (two started in the same instant) closes this one
        before its first request, touching nothing.
        """
        try:
            self.lock.acquire()
        except ArchiveBusy as busy:
            self.crawler.stats.set_value(self.REFUSED_STAT, str(busy))
            raise CloseSpider("archive_busy") from None
        try:
            self.store.open()
            mode = self.crawler.stats.get_value("tuban/mode") or self.crawler.settings.get(
                "TUBAN_MODE"
            )
            self.store.start_run(self.run_id, mode, self.crawler.settings.get("TUBAN_BASE_URL"))
            # What the archive held before this run: the report compares the run with it.
            last_walk = self.store.get_state("last_walk")
            self.history = {
                "coverage": self.store.field_coverage(),
                "last_walk": json.loads(last_walk) if last_walk else None,
            }
            settings = self.crawler.settings
            self.writer = ArchiveWriter(
                self.store.path,
                self.store.max_attempts,
                self.run_id,
                on_written=self._written,
                max_pending=settings.getint("TUBAN_WRITER_MAX_PENDING", 1000),
                max_batch=settings.getint("TUBAN_WRITER_MAX_BATCH", 500),
            )
            self.writer.start()
        except (sqlite3.Error, OSError) as error:
            cause = storage_failure(error)
            if cause is None:
                raise
            self.crawler.stats.set_value(HALT_STAT, cause)
            raise CloseSpider("archive_failed") from None
        self.opened = True

    def spider_closed(self, reason: str) -> None:
        """Record the run's counts and report, then close the archive and release the lock."""
        if not self.opened:
            self.lock.release()
            return
        try:
            if self.writer is not None:
                self.writer.close()  # everything queued is written before the run is judged
            stats = {**self.crawler.stats.get_stats(), "finish_reason": reason}
            status, counts, report = self.report.summarise(
                stats, frontier=len(self.store.frontier()), history=self.history
            )
            self.store.finish_run(self.run_id, status, counts, report)
            sources = getattr(self.crawler.spider, "sources_seen", None)
            if (
                sources
            ):  # what the feeds and sitemaps answered: the next nights ask conditionally, or not
                self.store.save_discovery_sources(sources)
            if report.get("backfill_complete"):
                self.store.set_state("backfill_complete", self.run_id)
                walk = getattr(self.crawler.spider, "walk", None)
                if walk is not None and walk.listing_pages:
                    self.store.set_state("last_walk", json.dumps(walk_record(walk, self.run_id)))
            elif status == "ok" and (self.history or {}).get("last_walk"):
                walk = getattr(self.crawler.spider, "walk", None)
                if (
                    walk is not None and walk.start_pages
                ):  # a night that read its start pages: are they still covered?
                    updated = update_covered_starts(self.history["last_walk"], walk)
                    self.store.set_state("last_walk", json.dumps(updated))
        except (sqlite3.Error, OSError) as error:
            # A full disk may not even take the run's last row: the command still says why.
            cause = storage_failure(error)
            if cause is None:
                raise
            logger.error("could not record the end of the run: %s", cause)
            self.crawler.stats.set_value(HALT_STAT, halted(self.crawler) or cause)
        finally:
            self.store.close()
            self.lock.release()

    async def process_item(self, item: Any) -> Any:
        """Return ITEM once the archive writer has it (nothing is written once the crawl is halted).

        The entries a listing discovered are waited for until committed: they are in the
        archive's frontier before any of them is requested, so that a kill loses none.
        """
        if not self.opened or halted(self.crawler):
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
