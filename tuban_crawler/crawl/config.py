"""The project's settings beneath a crawler's: for components run outside the project.

A component reads each setting without a fallback: its default is written once, in
``settings.py``. A crawl outside the project (``scrapy runspider`` of another spider, a test's
``get_crawler()``) lacks the project's own names; ``with_project_defaults`` adds them.
"""

from __future__ import annotations

from pathlib import Path

from scrapy.exceptions import NotConfigured
from scrapy.settings import BaseSettings

from tuban_crawler import settings as project
from tuban_crawler.store.warcfolder import find_warc_dir


def with_project_defaults(settings: BaseSettings) -> BaseSettings:
    """Return SETTINGS, with ``settings.py``'s value for each of the project's names it lacks.

    >>> from scrapy.settings import Settings
    >>> with_project_defaults(Settings({"WARC_PREFIX": "x"})).getint("WARC_MAX_FILE_BYTES")
    1000000000
    """
    missing = {
        name: value
        for name, value in vars(project).items()
        if name.isupper() and name not in settings
    }
    if not missing:
        return settings
    layered = settings.copy()
    layered.frozen = False  # a copy of a running crawler's settings is frozen like them
    layered.setdict(missing, priority="default")
    return layered


def crawl_archive(settings: BaseSettings, skipped: str) -> str:
    """Return the ``ARCHIVE_DB`` a crawl writes to, or raise NotConfigured saying what is SKIPPED.

    ``scrapy parse``, ``shell`` and ``fetch`` look at pages (``TUBAN_WRITE_ARCHIVE`` off): they
    are no run, and store nothing.
    """
    db_path = settings.get("ARCHIVE_DB")
    if not db_path:
        raise NotConfigured("ARCHIVE_DB is empty")
    if not settings.getbool("TUBAN_WRITE_ARCHIVE"):
        raise NotConfigured(f"not a crawl (TUBAN_WRITE_ARCHIVE is off): {skipped}")
    return db_path


def requisites_enabled(settings: BaseSettings) -> bool:
    """Return True when a crawl with SETTINGS fetches page requisites.

    A requisite is kept only as its WARC capture: without WARC files (``--no-warc``) fetching
    one would cost the portal a request for nothing.

    >>> from scrapy.settings import Settings
    >>> requisites_enabled(Settings({"TUBAN_REQUISITES_ENABLED": True, "WARC_ENABLED": False}))
    False
    """
    return settings.getbool("TUBAN_REQUISITES_ENABLED") and settings.getbool("WARC_ENABLED")


def crawl_warc_dir(settings: BaseSettings) -> Path | None:
    """Return the folder a crawl with SETTINGS writes its WARC files into, or None without WARC files.

    ``WARC_DIR`` when set; else the archive's own (``store.warcfolder.find_warc_dir``).
    """
    if not settings.getbool("WARC_ENABLED"):
        return None
    return find_warc_dir(settings.get("ARCHIVE_DB"), settings.get("WARC_DIR"))
