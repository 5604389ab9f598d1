"""Running one crawl in this process: its checks before it starts, then the crawl itself.

The command line's ``crawl`` and ``demo`` share this; so do the end-to-end tests (in a
subprocess each, since Twisted's reactor starts once per process). What the run did is read
back by ``crawl.outcome``.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from tuban_crawler import ExitCode, user_agent
from tuban_crawler.crawl.config import crawl_warc_dir
from tuban_crawler.crawl.extensions.run_recorder import CLAIM_REFUSED_STAT, REFUSED_STAT
from tuban_crawler.crawl.halt import HALT_STAT, storage_failure
from tuban_crawler.crawl.outcome import CrawlOutcome, read_or_none, read_outcome
from tuban_crawler.crawl.ownership import refusal
from tuban_crawler.crawl.runs import new_run_id
from tuban_crawler.crawl.spiders.tuban import TubanSpider
from tuban_crawler.store.archive import ArchiveStore
from tuban_crawler.store.archivefile import ArchiveFileError, ArchiveReadOnly, check_writable
from tuban_crawler.store.lock import ArchiveBusy, ArchiveLock

logger = logging.getLogger(__name__)

#: Settings for crawling the local test portal over loopback: no politeness delays.
LOCAL_PORTAL_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS": 32,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
    "RETRY_TIMES": 2,
}


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
MODES = ("incremental", "full")
#: With one of these set, Scrapy fetches through a proxy (HttpProxyMiddleware): no direct reachability check.
PROXY_VARIABLES = (
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
)


def project_settings(overrides: dict[str, Any] | None = None) -> Settings:
    """Return the project's Scrapy settings with OVERRIDES applied at command-line priority."""
    settings = Settings()
    settings.setmodule("tuban_crawler.settings", priority="project")
    for name, value in (overrides or {}).items():
        settings.set(name, value, priority="cmdline")
    return settings


def per_ip_as_per_address(settings: Settings) -> int | None:
    """Return N after turning Scrapy's ``CONCURRENT_REQUESTS_PER_IP=N`` into slots per address with N each, else None.

    Scrapy 2.19 deprecates the setting and its default scheduler queue refuses it (a
    traceback at open); here it means what it always meant: one budget per server
    (``TUBAN_SLOTS_PER_ADDRESS``), N requests at a time (``CONCURRENT_REQUESTS_PER_DOMAIN``).
    """
    try:
        per_ip = int(settings["CONCURRENT_REQUESTS_PER_IP"] or 0)  # [], not get(): no warning
    except (TypeError, ValueError):
        return None  # check_settings says why, in one line
    if per_ip <= 0:
        return None
    settings.set("TUBAN_SLOTS_PER_ADDRESS", True, priority="cmdline")
    settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", per_ip, priority="cmdline")
    settings.set("CONCURRENT_REQUESTS_PER_IP", 0, priority="cmdline")
    return per_ip


class CrawlRefused(Exception):
    """A crawl that can't start (bad setting, unusable archive, unreachable portal); nothing was written."""

    def __init__(self, message: str, exit_code: ExitCode = ExitCode.ERROR) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def check_settings(settings: Settings, names: Iterable[str]) -> None:
    """Raise CrawlRefused (exit 2) when a setting among NAMES has a value its default's type can't take.

    The type comes from the default (Scrapy's or the project's): ``-s CONCURRENT_REQUESTS=abc``
    is refused before the crawl, not a traceback (or a wrong diagnosis) in the middle of it.
    """
    defaults = project_settings()
    for name in names:
        default, value = defaults.get(name), settings.get(name)
        getter: dict[type, Callable[[str], Any]] = {
            bool: settings.getbool,
            int: settings.getint,
            float: settings.getfloat,
            dict: settings.getdict,
        }
        kind = next((t for t in getter if isinstance(default, t)), None)
        if kind is None or value is None:
            continue
        try:
            getter[kind](name)
        except (TypeError, ValueError):
            expected = {
                bool: "true or false",
                int: "a whole number",
                float: "a number",
                dict: "a JSON object",
            }[kind]
            raise CrawlRefused(
                f"setting {name}={value!r} is not valid: expected {expected}", ExitCode.USAGE
            ) from None
    if settings.get("TUBAN_MODE") not in MODES:
        raise CrawlRefused(
            f"setting TUBAN_MODE={settings.get('TUBAN_MODE')!r}: expected one of {', '.join(MODES)}",
            ExitCode.USAGE,
        )


def check_reachable(base_url: str, timeout: float) -> None:
    """Raise CrawlRefused when BASE_URL's host can't be reached over TCP (nothing to crawl)."""
    if any(os.environ.get(name) for name in PROXY_VARIABLES):
        return  # Scrapy goes through the proxy; the proxy decides what is reachable.
    parts = urlsplit(base_url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        socket.create_connection((parts.hostname, port), timeout=timeout).close()
    except OSError as error:
        reason = error.strerror or str(error) or type(error).__name__
        raise CrawlRefused(
            f"can't reach {parts.hostname}:{port} ({reason}): check --base-url and this machine's network; nothing was crawled"
        ) from None


def prepare(
    db_path: str | Path, settings: Settings, override_names: Iterable[str], other_site: bool
) -> None:
    """Raise CrawlRefused unless a crawl of SETTINGS into DB_PATH can start; write nothing.

    Parameters:
        db_path: the archive file.
        settings: the crawl's settings.
        override_names: the settings given on the command line (their values are checked).
        other_site: crawl the base URL even when the archive belongs to another site.
    """
    check_settings(settings, override_names)
    try:
        check_writable(db_path)
    except ArchiveReadOnly as error:
        raise CrawlRefused(f"{error} (exit {ExitCode.STORAGE})", ExitCode.STORAGE) from None
    except ArchiveFileError as error:
        raise CrawlRefused(str(error)) from None
    warc_dir = crawl_warc_dir(settings)
    if warc_dir is not None:
        existing = next(p for p in (warc_dir, *warc_dir.parents, Path(".")) if p.exists())
        if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
            raise CrawlRefused(
                f"can't write WARC files into {warc_dir}: {existing} is not a writable folder "
                f"(see --warc-dir; exit {ExitCode.STORAGE})",
                ExitCode.STORAGE,
            )
    check_reachable(
        settings.get("TUBAN_BASE_URL"), min(settings.getfloat("DOWNLOAD_TIMEOUT"), 30.0)
    )
    # The archive's site and WARC folder, read only (the run recorder checks again inside the
    # crawl, and claims them): a refused run creates and claims nothing, not even the lock file.
    why = refusal(db_path, settings.get("TUBAN_BASE_URL"), warc_dir, other_site)
    if why:
        raise CrawlRefused(why)
    try:
        ArchiveLock(db_path).check()
    except ArchiveBusy as busy:
        raise CrawlRefused(f"{busy} (exit {ExitCode.LOCKED})", ExitCode.LOCKED) from None
    except OSError as error:
        raise CrawlRefused(
            f"can't lock {db_path} ({error.strerror}): is its folder writable by this user?"
        ) from None


def run_crawl(
    db_path: str | Path,
    overrides: dict[str, Any] | None = None,
    mode: str | None = None,
    other_site: bool = False,
) -> CrawlOutcome:
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
    settings = project_settings(
        {**overrides, "ARCHIVE_DB": str(db_path), "RUN_ID": run_id, "TUBAN_WRITE_ARCHIVE": True}
    )
    other_site = other_site or settings.getbool("TUBAN_OTHER_SITE")  # --other-site, or -s
    try:
        # Settings, files, folders, the portal and the lock first: a refusal writes nothing.
        prepare(db_path, settings, overrides, other_site)
    except CrawlRefused as refused:
        return CrawlOutcome(run_id, "refused", refused.exit_code, message=str(refused))
    settings.set("TUBAN_OTHER_SITE", other_site, priority="cmdline")
    per_ip_as_per_address(settings)
    try:
        ArchiveLock(db_path).check()  # again: another crawl may have started meanwhile
        # Open (and migrate) it here, so that a wrong file is a clear message, not a traceback mid-crawl.
        with ArchiveStore(db_path).open():
            pass
    except ArchiveBusy as busy:
        return CrawlOutcome(
            run_id, "locked", ExitCode.LOCKED, message=f"{busy} (exit {ExitCode.LOCKED})"
        )
    except (sqlite3.Error, OSError) as error:
        # A file that is no database is the wrong file, not a dead disk.
        not_an_archive = isinstance(error, sqlite3.DatabaseError) and not isinstance(
            error, sqlite3.OperationalError
        )
        cause = None if not_an_archive else storage_failure(error)
        if cause:
            return CrawlOutcome(
                run_id,
                "failed",
                ExitCode.STORAGE,
                message=f"not crawling: {cause} (exit {ExitCode.STORAGE})",
            )
        return CrawlOutcome(
            run_id, "error", ExitCode.ERROR, message=f"{db_path} is not a usable archive: {error}"
        )
    if "USER_AGENT" not in overrides:
        settings.set(
            "USER_AGENT", user_agent(settings.get("TUBAN_CONTACT_URL")), priority="cmdline"
        )
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(TubanSpider)
    process.crawl(crawler, mode=mode)
    process.start()
    # The crawl is over: a late Ctrl-C or SIGTERM must not kill the process while it records and
    # prints the run's end (the exit status has to say what happened). One crawl per process.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, signal.SIG_IGN)
    locked = crawler.stats.get_value(REFUSED_STAT)
    if locked:  # another crawl took the lock between the check above and this crawl's start
        return CrawlOutcome(
            run_id, "locked", ExitCode.LOCKED, message=f"{locked} (exit {ExitCode.LOCKED})"
        )
    claimed = crawler.stats.get_value(CLAIM_REFUSED_STAT)
    if claimed:  # another run claimed the archive or the WARC folder meanwhile
        return CrawlOutcome(run_id, "refused", ExitCode.ERROR, message=claimed)
    halted = crawler.stats.get_value(HALT_STAT)
    if halted:
        outcome = read_or_none(db_path, run_id)
        at_halt = crawler.stats.get_value("tuban/requests_at_halt", 0)
        under_way = crawler.stats.get_value("downloader/request_count", 0) - at_halt
        message = (
            f"run {run_id}: failed: the archive can't be written ({halted}); stopped at once after "
            f"{at_halt} requests ({under_way} under way). Free space or fix the archive and run again: "
            f"the next run finishes the work (exit {ExitCode.STORAGE})"
        )
        return CrawlOutcome(
            run_id, "failed", ExitCode.STORAGE, outcome.report if outcome else {}, message
        )
    return read_outcome(db_path, run_id)
