"""The run's owner: its lock on the archive, its row in ``runs``, and its report and verdict at close.

An extension (``EXTENSIONS``), so that the store pipeline only stores. At ``spider_opened``
it takes the archive's lock (another crawl holding it closes this one before its first
request, touching nothing), opens the archive, records the start of the run, and hands the
open archive to the spider and the middlewares (``crawl.signals.archive_opened``): the
crawl's process opens the archive once, here. At ``spider_closed``, the first moment the
finish reason is known and after the pipelines have written everything, it records the
run's counts, report and verdict, then the walk and what the feeds and sitemaps answered
(which the spider hands over: ``crawl.signals.run_closing``), and releases the lock.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from pathlib import Path
from typing import Any, Protocol

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider

from tuban_crawler.crawl import signals as tuban_signals
from tuban_crawler.crawl.config import crawl_archive, crawl_warc_dir, with_project_defaults
from tuban_crawler.crawl.halt import HALT_STAT, halted, storage_failure
from tuban_crawler.crawl.ownership import claim, refusal
from tuban_crawler.crawl.runs import current_run_id
from tuban_crawler.discover.sites import Site
from tuban_crawler.discover.walk import (
    Discovery,
    update_covered_starts,
    walk_by_site,
    walk_record,
)
from tuban_crawler.store.archive import ArchiveStore
from tuban_crawler.store.lock import ArchiveBusy, ArchiveLock
from tuban_crawler.store.report import SHARED_TEXT_STAT, RunReport
from tuban_crawler.store.sametext import shared_in_run
from tuban_crawler.store.sitereport import WALK_SITES_STAT

logger = logging.getLogger(__name__)

#: The crawl's stats key holding why the archive was refused (another crawl holds it).
REFUSED_STAT = "tuban/refused"
#: The crawl's stats key holding why the archive or its WARC folder refused the run (another site's, another archive's).
CLAIM_REFUSED_STAT = "tuban/refused_claim"


def run_refused(crawler: Crawler) -> str | None:
    """Return why CRAWLER's run was refused at its start (the lock, the site, the WARC folder), or None."""
    stats = crawler.stats
    if stats is None:
        return None
    return stats.get_value(REFUSED_STAT) or stats.get_value(CLAIM_REFUSED_STAT)


class ArchiveReads(Protocol):
    """What the crawl's components read from the archive the recorder opened (``ArchiveStore``'s reads)."""

    def known_urls(self) -> set[str]: ...
    def validators(self) -> dict[str, tuple[str | None, str | None]]: ...
    def failed_urls(self) -> list[str]: ...
    def given_up_urls(self) -> set[str]: ...
    def frontier(self) -> dict[str, str | None]: ...
    def get_state(self, key: str, default: str | None = None) -> str | None: ...
    def urls_published_since(self, since_iso: str) -> list[str]: ...
    def discovery_sources(self) -> dict[str, dict[str, Any]]: ...
    def requisite_urls(self, kind: str) -> set[str]: ...
    def sites(self) -> list[Site]: ...


class RunRecorder:
    """Own one crawl's run: lock, row, report."""

    def __init__(self, crawler: Crawler, db_path: str) -> None:
        self.crawler = crawler
        self.store = ArchiveStore(
            db_path, max_attempts=crawler.settings.getint("TUBAN_MAX_ATTEMPTS")
        )
        self.lock = ArchiveLock(db_path)
        self.report = RunReport.from_settings(crawler.settings)
        self.opened = False
        self.history: dict[str, Any] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunRecorder:
        """Return the recorder for CRAWLER's ``ARCHIVE_DB``, or raise NotConfigured when the run is no crawl."""
        recorder = cls(crawler, crawl_archive(crawler.settings, "no run is recorded"))
        crawler.signals.connect(recorder.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(recorder.spider_closed, signal=signals.spider_closed)
        return recorder

    @property
    def run_id(self) -> str:
        """Return the id of this crawl."""
        return current_run_id(self.crawler)

    def spider_opened(self, spider: Spider | None = None) -> None:
        """Take the archive's lock, check the archive's site and WARC folder, open it and record
        the start of the run (or close the crawl, saying why, having written nothing)."""
        settings = with_project_defaults(self.crawler.settings)
        # The spider's own (``scrapy crawl tuban -a base_url=...``), else the setting.
        base_url = getattr(spider, "base_url", None) or settings.get("TUBAN_BASE_URL")
        warc_dir = crawl_warc_dir(settings)
        # The checks of every way a crawl starts (`tuban-crawler crawl`, `demo`, `scrapy crawl`):
        # before the lock (a refused run creates nothing), and again under it (another run may
        # have claimed the archive meanwhile).
        other_site = settings.getbool("TUBAN_OTHER_SITE")
        self._refuse_unless_ours(base_url, warc_dir, other_site)
        try:
            self.lock.acquire()
        except ArchiveBusy as busy:
            self.crawler.stats.set_value(REFUSED_STAT, str(busy))
            raise CloseSpider("archive_busy") from None
        self._refuse_unless_ours(base_url, warc_dir, other_site)
        try:
            self.store.open()
            claim(self.store, base_url, warc_dir)
            mode = self.crawler.stats.get_value("tuban/mode") or settings.get("TUBAN_MODE")
            self.store.start_run(self.run_id, mode, base_url)
            # What the archive held before this run: the report compares the run with it.
            last_walk = self.store.get_state("last_walk")
            self.history = {
                "coverage": self.store.field_coverage(),
                "last_walk": json.loads(last_walk) if last_walk else None,
            }
        except (sqlite3.Error, OSError) as error:
            cause = storage_failure(error)
            if cause is None:
                raise
            self.crawler.stats.set_value(HALT_STAT, cause)
            raise CloseSpider("archive_failed") from None
        self.opened = True
        reads: ArchiveReads = self.store
        self.crawler.signals.send_catch_log(tuban_signals.archive_opened, archive=reads)

    def _refuse_unless_ours(self, base_url: str, warc_dir: Path | None, other_site: bool) -> None:
        """Close the crawl, saying why in one line, when the archive or WARC_DIR is another's."""
        refused = refusal(self.store.path, base_url, warc_dir, other_site)
        if refused:
            logger.error("not crawling: %s", refused)
            self.crawler.stats.set_value(CLAIM_REFUSED_STAT, refused)
            raise CloseSpider("refused")

    def _discovery(self) -> Discovery | None:
        """Return what the spider's discovery hands over at close (``crawl.signals.run_closing``), if anything."""
        for _, answer in self.crawler.signals.send_catch_log(tuban_signals.run_closing):
            if isinstance(answer, Discovery):
                return answer
        return None

    def spider_closed(self, reason: str) -> None:
        """Record the run's counts and report, then close the archive and release the lock."""
        if not self.opened:
            self.lock.release()
            return
        try:
            stats = {**self.crawler.stats.get_stats(), "finish_reason": reason}
            stats[SHARED_TEXT_STAT] = shared_in_run(self.store.db, self.run_id)
            discovery = self._discovery()
            if discovery is not None:  # the walk by site, for the report's line per site
                stats[WALK_SITES_STAT] = walk_by_site(discovery.walk)
            status, counts, report = self.report.summarise(
                stats, frontier=len(self.store.frontier()), history=self.history
            )
            self.store.finish_run(self.run_id, status, counts, report)
            if discovery is not None and discovery.sources:
                # What the feeds and sitemaps answered: the next nights ask conditionally, or not.
                self.store.save_discovery_sources(discovery.sources)
            walk = discovery.walk if discovery is not None else None
            if report.get("backfill_complete"):
                self.store.set_state("backfill_complete", self.run_id)
                if walk is not None and walk.listing_pages:
                    self.store.set_state("last_walk", json.dumps(walk_record(walk, self.run_id)))
            elif status == "ok" and self.history.get("last_walk"):
                if walk is not None and walk.start_pages:
                    # A night that read its start pages: are they still covered?
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
