"""The crawl's scheduler: Scrapy's own, its queue always on disk, so a backfill's memory stays flat.

A sitemap announces every article at once: with Scrapy's memory queue, a backfill holds
tens of thousands of requests (entries, their photos and stylesheets) in memory at its peak
(8,500 at 5,000 articles). Scrapy keeps its queue on disk only when the run has a JOBDIR
(``--resume``); without one, ``DiskQueueScheduler`` gives the run a queue folder of its own
beside the archive (not the system's temporary folder, often a tmpfs, which is memory again),
and removes it when the run closes. A queue folder left by a killed run is removed by the
next run of the same archive (which holds the archive's lock, so no other run uses it).

An entry is fetched once per run. A resumed run (``--resume``) finds the paused run's entries
twice: in the JOBDIR's queue, and in the archive's frontier, which the spider asks for again past
the duplicate filter (a request the paused run sent and never saw answered is in neither the
queue nor the archive). Whichever copy comes out of the queue first is fetched; the other is
dropped as it comes out (issue 19: most articles of a resumed backfill were fetched twice, and
reported as new and again as unchanged). A retry or a redirect followed is the same fetch going
on, not a second one.

A queue that can't be written or read (a full disk) halts the run as the archive's own writes
do (exit 74); what the run must not lose, the frontier of discovered entries, is in the
archive before it is requested, and the next run goes on from it.

Each request goes through the queue as Scrapy's ``Request.to_dict``, which names a callback by
looking it up among every member of the spider (``inspect.getmembers``, which also evaluates
each property): 0.3 ms a request, twice, on the crawl's thread (issue 20). ``DiskQueue``
names a spider's own method by its name, and leaves anything else to Scrapy.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path
from typing import Any

from scrapy import Request, Spider, squeues
from scrapy.core.scheduler import Scheduler
from twisted.internet.defer import Deferred

from tuban_crawler.crawl import meta
from tuban_crawler.crawl.halt import halt_crawl, storage_failure

logger = logging.getLogger(__name__)

#: How the queue folder of a run is named, after the archive's file name.
QUEUE_SUFFIX = ".queue-"


def queue_parent(archive_db: str) -> tuple[Path, str]:
    """Return the folder and name prefix of a run's queue folder for the archive ARCHIVE_DB.

    >>> queue_parent("/data/archive.db")
    (PosixPath('/data'), '.archive.db.queue-')
    """
    path = Path(archive_db)
    return path.parent, f".{path.name}{QUEUE_SUFFIX}"


def entry_key(request: Request) -> str | None:
    """Return the canonical URL of REQUEST when it is a first request for an entry, else None.

    A retry (``retry_times``) or a redirect followed (``redirect_chain``) continues a fetch.

    >>> from scrapy import Request
    >>> entry = {"tuban_kind": "entry", "canonical_url": "http://h/entry/a"}
    >>> entry_key(Request("http://www.h/entry/a?utm=x", meta=entry))
    'http://h/entry/a'
    >>> entry_key(Request("http://h/entry/a", meta={**entry, "retry_times": 1})) is None
    True
    """
    if request.meta.get(meta.KIND) != "entry":
        return None
    if request.meta.get("retry_times") or request.meta.get(meta.REDIRECT_CHAIN):
        return None
    return request.meta.get(meta.CANONICAL_URL)


def request_to_dict(request: Request, spider: Spider) -> dict[str, Any]:
    """Return REQUEST as ``Request.to_dict(spider=SPIDER)`` does (for the disk queue), without its search of the spider.

    >>> from scrapy import Spider
    >>> class S(Spider):
    ...     name = "s"
    ...     def parse_entry(self, response): ...
    >>> spider = S()
    >>> request = Request("http://h/entry/a", callback=spider.parse_entry, meta={"k": 1})
    >>> request_to_dict(request, spider) == request.to_dict(spider=spider)
    True
    """
    callback, errback = (
        _method_name(request.callback, spider),
        _method_name(request.errback, spider),
    )
    if callback is None or errback is None:
        return request.to_dict(spider=spider)  # not the spider's own methods: Scrapy's search
    data: dict[str, Any] = {
        "url": request.url,
        "callback": callback or request.callback,
        "errback": errback or request.errback,
        "headers": dict(request.headers),
    }
    for attribute in request.attributes:
        data.setdefault(attribute, getattr(request, attribute))
    if type(request) is not Request:
        data["_class"] = f"{type(request).__module__}.{type(request).__name__}"
    return data


def _method_name(function: Any, spider: Spider) -> str | None:
    """Return the name of SPIDER's method FUNCTION, "" when FUNCTION is no callable, None when unknown."""
    if not callable(function):
        return ""
    name = getattr(function, "__name__", None)
    own = getattr(spider, name, None) if name else None
    if getattr(function, "__self__", None) is spider and (
        getattr(own, "__func__", None) is getattr(function, "__func__", own)
    ):
        return name
    return None


class DiskQueue(squeues.PickleLifoDiskQueue):  # type: ignore[misc,valid-type]
    """Scrapy's LIFO disk queue (its default), requests named by ``request_to_dict``."""

    def push(self, request: Request) -> None:
        """Write REQUEST to the queue."""
        # Past Scrapy's request layer, to the pickling one beneath it.
        super(squeues.PickleLifoDiskQueue, self).push(  # type: ignore[misc]
            request_to_dict(request, self.spider)
        )


def remove_stale_queues(folder: Path, prefix: str) -> list[Path]:
    """Return the queue folders of earlier runs found in FOLDER, after removing them."""
    stale = [path for path in folder.glob(f"{prefix}*") if path.is_dir()]
    for path in stale:
        shutil.rmtree(path, ignore_errors=True)
    return stale


class DiskQueueScheduler(Scheduler):
    """Scrapy's scheduler with a disk queue in every run: a run-owned folder when there is no JOBDIR."""

    own_queue: Path | None = None
    made_folders: list[Path] = []  # noqa: RUF012 (replaced, never changed in place)
    #: The entries this run has taken out of the queue (canonical URLs): each is fetched once.
    entries_out: set[str]

    def open(self, spider: Spider) -> Deferred[None] | None:
        """Open the queues, the disk one in a new folder of this run's when the run has no JOBDIR."""
        # Only a crawl writes (``scrapy shell``/``fetch``/``parse`` write nothing, queue in memory),
        # and it holds the archive's lock: a queue folder found there was left by a killed run.
        if (
            self.dqdir is None
            and self.crawler is not None
            and self.crawler.settings.getbool("TUBAN_WRITE_ARCHIVE")
        ):
            folder, prefix = queue_parent(self.crawler.settings.get("ARCHIVE_DB"))
            # The archive's folder may not exist yet; made here, it goes again at close if the
            # run left nothing in it (a run refused at its start creates nothing).
            self.made_folders = [p for p in (folder, *folder.parents) if not p.exists()]
            folder.mkdir(parents=True, exist_ok=True)
            for stale in remove_stale_queues(folder, prefix):
                logger.info("Removed the request queue a stopped run left: %s", stale)
            self.own_queue = Path(tempfile.mkdtemp(prefix=prefix, dir=folder))
            self.dqdir = str(self.own_queue)
        self.entries_out = set()
        return super().open(spider)

    def next_request(self) -> Request | None:
        """Return the next request to fetch, dropping an entry this run already took out of the queue."""
        while True:
            request = super().next_request()
            key = None if request is None else entry_key(request)
            if key is None or key not in self.entries_out:
                if key is not None:
                    self.entries_out.add(key)
                return request
            logger.debug("Not fetching %s twice in one run (a resumed run's queue)", request)
            if self.stats is not None:
                self.stats.inc_value("tuban/entries_queued_twice")

    def close(self, reason: str) -> Deferred[None] | None:
        """Close the queues and remove this run's own queue folder (a JOBDIR's stays, to resume)."""
        try:
            return super().close(reason)
        except OSError as error:
            # A full disk again (the run is halting): the archive's frontier still holds every entry.
            logger.error(
                "Can't close the request queue in %s: %s",
                self.dqdir,
                storage_failure(error) or error,
            )
            return self.df.close(reason)
        finally:
            if self.own_queue is not None:
                shutil.rmtree(self.own_queue, ignore_errors=True)
            for folder in self.made_folders:  # deepest first
                try:
                    folder.rmdir()
                except OSError:
                    break  # the run wrote there: it stays

    def _dqpush(self, request: Request) -> bool:
        try:
            return super()._dqpush(request)
        except OSError as error:
            self._disk_failed(error)
            return False  # the request waits in memory

    def _dqpop(self) -> Request | None:
        try:
            return super()._dqpop()
        except OSError as error:
            self._disk_failed(error)
            return None

    def _disk_failed(self, error: OSError) -> None:
        # A full or failing disk: the run stops as for the archive's own writes, and says so.
        cause = storage_failure(error) or f"the request queue failed: {error}"
        logger.error("Can't use the request queue in %s: %s", self.dqdir, cause)
        if self.crawler is not None:
            halt_crawl(self.crawler, cause)
