"""Running one crawl in this process, and reading back what it did.

The command line's ``crawl`` and ``demo`` share this; so do the end-to-end tests (in a
subprocess each, since Twisted's reactor starts once per process).
"""

from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from tuban_crawler import __version__
from tuban_crawler.archive import ArchiveStore
from tuban_crawler.halt import EXIT_STORAGE, HALT_STAT, storage_failure
from tuban_crawler.lock import EXIT_LOCKED, ArchiveBusy, ArchiveLock
from tuban_crawler.ownership import claim_site, claim_warc_directory
from tuban_crawler.pipelines import StorePipeline
from tuban_crawler.runs import new_run_id
from tuban_crawler.spiders.tuban import TubanSpider

logger = logging.getLogger(__name__)

#: Exit statuses of a crawl, for cron and systemd ``OnFailure=`` (also EXIT_STORAGE 74, EXIT_LOCKED 75).
EXIT_OK, EXIT_ERROR, EXIT_BROKEN, EXIT_INTERRUPTED = 0, 1, 3, 4
EXIT_BY_STATUS = {"ok": EXIT_OK, "broken": EXIT_BROKEN, "interrupted": EXIT_INTERRUPTED, "failed": EXIT_STORAGE}

#: Settings for crawling the local test portal over loopback: no politeness delays.
LOCAL_PORTAL_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS": 32,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
    "RETRY_TIMES": 2,
}


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


@dataclass
class CrawlOutcome:
    """What a finished crawl reports: its status, exit code and report."""

    run_id: str
    status: str
    exit_code: int
    report: dict[str, Any] = field(default_factory=dict)
    message: str = ""


def project_settings(overrides: dict[str, Any] | None = None) -> Settings:
    """Return the project's Scrapy settings with OVERRIDES applied at command-line priority."""
    settings = Settings()
    settings.setmodule("tuban_crawler.settings", priority="project")
    for name, value in (overrides or {}).items():
        settings.set(name, value, priority="cmdline")
    return settings


def user_agent(contact_url: str) -> str:
    """Return the honest User-Agent: the archive's name, version and a contact URL."""
    return f"tuban-crawler/{__version__} (archive of Tuban regency news; +{contact_url})"


def run_crawl(db_path: str | Path, overrides: dict[str, Any] | None = None, mode: str | None = None,
              other_site: bool = False) -> CrawlOutcome:  # fmt: skip
    """Run one crawl into DB_PATH and return its outcome (blocks until the crawl ends).

    Parameters:
        db_path: the archive file.
        overrides: Scrapy settings for this run (``TUBAN_BASE_URL``, ``-s`` values...).
        mode: ``full`` to walk and re-fetch everything; None for the configured mode.
        other_site: crawl the base URL even when the archive belongs to another site.
    """
    run_id = new_run_id()
    overrides = dict(overrides or {})
    base_url = overrides.get("TUBAN_BASE_URL") or ""
    if urlsplit(str(base_url)).hostname in LOOPBACK_HOSTS:
        # The local test portal is ours: no need to be polite to it.
        overrides = {**LOCAL_PORTAL_SETTINGS, **overrides}
    settings = project_settings({**overrides, "ARCHIVE_DB": str(db_path), "RUN_ID": run_id})
    try:
        ArchiveLock(db_path).check()
        # Open (and migrate) it here, so that a wrong file is a clear message, not a traceback mid-crawl.
        with ArchiveStore(db_path).open() as store:
            refusal = claim_site(store, settings.get("TUBAN_BASE_URL"), other_site)
            if refusal is None and settings.getbool("WARC_ENABLED", True):
                refusal = claim_warc_directory(store, settings.get("WARC_DIR") or "warc")
    except ArchiveBusy as busy:
        return CrawlOutcome(run_id, "locked", EXIT_LOCKED, message=f"{busy} (exit {EXIT_LOCKED})")
    except (sqlite3.Error, OSError) as error:
        # A file that is no database is the wrong file, not a dead disk.
        not_an_archive = isinstance(error, sqlite3.DatabaseError) and not isinstance(error, sqlite3.OperationalError)
        cause = None if not_an_archive else storage_failure(error)
        if cause:
            return CrawlOutcome(run_id, "failed", EXIT_STORAGE, message=f"not crawling: {cause} (exit {EXIT_STORAGE})")
        return CrawlOutcome(run_id, "error", EXIT_ERROR, message=f"{db_path} is not a usable archive: {error}")
    if refusal:
        return CrawlOutcome(run_id, "refused", EXIT_ERROR, message=refusal)
    if "USER_AGENT" not in overrides:
        settings.set("USER_AGENT", user_agent(settings.get("TUBAN_CONTACT_URL")), priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(TubanSpider)
    process.crawl(crawler, mode=mode)
    process.start()
    refused = crawler.stats.get_value(StorePipeline.REFUSED_STAT)
    if refused:  # another crawl took the lock between the check above and this crawl's start
        return CrawlOutcome(run_id, "locked", EXIT_LOCKED, message=f"{refused} (exit {EXIT_LOCKED})")
    halted = crawler.stats.get_value(HALT_STAT)
    if halted:
        outcome = _read_or_none(db_path, run_id)
        at_halt = crawler.stats.get_value("tuban/requests_at_halt", 0)
        under_way = crawler.stats.get_value("downloader/request_count", 0) - at_halt
        message = (f"run {run_id}: failed: the archive can't be written ({halted}); stopped at once after "
                   f"{at_halt} requests ({under_way} under way). Free space or fix the archive and run again: "
                   f"the next run finishes the work (exit {EXIT_STORAGE})")  # fmt: skip
        return CrawlOutcome(run_id, "failed", EXIT_STORAGE, outcome.report if outcome else {}, message)
    return read_outcome(db_path, run_id)


def _read_or_none(db_path: str | Path, run_id: str) -> CrawlOutcome | None:
    try:
        return read_outcome(db_path, run_id)
    except (sqlite3.Error, OSError):
        return None


def read_outcome(db_path: str | Path, run_id: str) -> CrawlOutcome:
    """Return the outcome of run RUN_ID as recorded in the archive."""
    if not Path(db_path).exists():
        return CrawlOutcome(run_id, "error", EXIT_ERROR, message=f"the crawl did not start: {db_path} was not created")
    with ArchiveStore(db_path).open() as store:
        rows = list(store.db.query("select * from crawl_runs where run_id = ?", [run_id]))
    if not rows or rows[0]["status"] == "running":
        return CrawlOutcome(run_id, "error", EXIT_ERROR, message="the crawl stopped before recording its end (see the log)")
    row = rows[0]
    report = json.loads(row["report"] or "{}")
    return CrawlOutcome(run_id, row["status"], EXIT_BY_STATUS.get(row["status"], EXIT_ERROR), report)


def format_report(outcome: CrawlOutcome) -> str:
    """Return the run report as the few lines a person reads after a crawl."""
    if outcome.message:
        return outcome.message
    r = outcome.report
    lines = [
        f"run {outcome.run_id}: {outcome.status} ({r.get('mode')}, {r.get('finish_reason')})",
        f"  requests {r.get('requests', 0)}; entries discovered {r.get('entries_discovered', 0)}",
        f"  new {r.get('new', 0)}, updated {r.get('updated', 0)}, unchanged {r.get('unchanged', 0)}"
        f" (not modified {r.get('not_modified', 0)}), gone {r.get('gone', 0)}, failed {r.get('failed', 0)}",
    ]
    coverage = {k[len("coverage_"):]: v for k, v in r.items() if k.startswith("coverage_") and v is not None}
    if coverage:
        lines.append("  coverage " + ", ".join(f"{name} {value:.0%}" for name, value in coverage.items()))
    refused = r.get("kept_better_copy", 0) + r.get("rejected_error_pages", 0)
    if refused:
        lines.append(f"  {refused} fetched copies worse than the archive refused (see rejected_copies)")
    walk = r.get("walk") or {}
    if walk.get("listing_pages") or walk.get("announced"):
        lines.append(f"  listing pages {walk.get('listing_pages', 0)} in {walk.get('hubs', 0)} listings; "
                     f"sitemap and feed entries {walk.get('announced', 0)}, not reached "
                     f"{walk.get('announced_unreached', 0)}"
                     + (f"; malformed links skipped {r['links_malformed']}" if r.get("links_malformed") else ""))
    if r.get("frontier_left"):
        lines.append(f"  {r['frontier_left']} discovered entries not archived yet: the next run fetches them first")
    if r.get("selectors_drifted"):
        lines.append(f"  selectors drifted on {r['selectors_drifted']} pages: the portal's layout and the generic"
                     " reading disagree (compare with `tuban-crawler extract PAGE`)")  # fmt: skip
    if r.get("cut"):
        cut = ", ".join(f"{cap} {count}" for cap, count in sorted(r["cut"].items()))
        lines.append(f"  cut by the crawl's caps (traps?): {cut}")
    lines += [f"  problem: {p}" for p in r.get("problems", [])]
    return "\n".join(lines)
