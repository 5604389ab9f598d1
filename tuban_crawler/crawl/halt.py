"""Stopping a crawl at once when the archive can no longer be written (issue 9).

A full disk, a read-only archive or a database that no retry cures make every later fetch
wasted work: each response would fail to be written (a torn WARC file, a dropped row) while
the run went on asking the server. The first such error stops the crawl (no more requests),
the run is recorded as ``failed`` with the cause in words, and the command exits with
``ExitCode.STORAGE``. The next run, with space, repairs the torn WARC file and finishes the work.
"""

from __future__ import annotations

import errno
import logging
import os
import sqlite3
from typing import Any

logger = logging.getLogger(__name__)

#: The crawl's stats key holding the cause, once the crawl is halted.
HALT_STAT = "tuban/halted"
#: Errors of the file system that waiting or retrying does not cure.
FATAL_ERRNOS = frozenset(
    {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO, errno.EFBIG, errno.EACCES, errno.EPERM}
)
#: What SQLite says when its file can no longer be written or read.
FATAL_SQLITE_MESSAGES = (
    "database or disk is full",
    "readonly database",
    "disk i/o error",
    "unable to open database file",
    "database disk image is malformed",
    "file is not a database",
)


def storage_failure(error: BaseException) -> str | None:
    """Return the cause in words when ERROR means the archive can't be written (no retry cures it), else None.

    >>> storage_failure(OSError(errno.ENOSPC, "No space left on device", "warc/x.open"))
    'No space left on device (warc/x.open)'
    >>> storage_failure(sqlite3.OperationalError("database or disk is full"))
    'the archive database failed: database or disk is full'
    >>> storage_failure(sqlite3.OperationalError("database is locked")) is None
    True
    """
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, OSError) and error.errno in FATAL_ERRNOS:
            where = f" ({error.filename})" if error.filename else ""
            return f"{error.strerror or os.strerror(error.errno)}{where}"
        if isinstance(error, sqlite3.DatabaseError):
            message = str(error)
            if any(text in message.lower() for text in FATAL_SQLITE_MESSAGES):
                return f"the archive database failed: {message}"
        error = error.__cause__ or error.__context__  # type: ignore[assignment]
    return None


def halted(crawler: Any) -> str | None:
    """Return the cause CRAWLER was halted for, or None while it runs normally."""
    return crawler.stats.get_value(HALT_STAT)


def halt_crawl(crawler: Any, cause: str) -> None:
    """Stop CRAWLER at once because of CAUSE (the first cause is kept; later calls do nothing)."""
    if halted(crawler):
        return
    crawler.stats.set_value(HALT_STAT, cause)
    crawler.stats.set_value(
        "tuban/requests_at_halt", crawler.stats.get_value("downloader/request_count", 0)
    )
    logger.error("the archive can't be written (%s): stopping the crawl", cause)
    if crawler.engine is not None:
        from scrapy.utils.defer import (
            deferred_from_coro,
        )  # here: the archive's workers use this module without Scrapy

        # Kept, so that a failure to close shows in the log rather than vanishing with the task.
        closing = deferred_from_coro(crawler.engine.close_spider_async(reason="archive_failed"))
        if hasattr(closing, "addErrback"):
            closing.addErrback(
                lambda failure: logger.error(
                    "closing the crawl failed: %s", failure.getErrorMessage()
                )
            )
