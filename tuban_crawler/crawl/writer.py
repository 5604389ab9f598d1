"""The archive's writer process: the store's work off the crawl's hot path (issue 10).

Scrapy runs the whole crawl on one thread. Writing an article (its row, the full-text
triggers, the stemmed index, its fetch, history) took more of that thread than fetching and
reading the page, while the machine's other core idled. A thread of its own did not help:
sqlite-utils and the stemmer are Python, and held the interpreter lock the crawl needed
(measured: 29.7 s for a 1,000-article backfill, 19.4 s with the writes left out). So the
store pipeline hands each item to an ``ArchiveWriter``, whose process (``write_loop``) writes
them with its own connection, in batches: whatever items are waiting (up to ``max_batch``)
are written in one transaction, each inside a savepoint.

What it promises, as the synchronous store did:

- **Order**: one process takes the items first in, first out.
- **Durable before counted**: an item's outcome (``archive/new``...) reaches the crawl's
  stats only once the transaction holding it committed; the run's report is made after
  ``close`` has written everything still queued.
- **A kill loses nothing**: what no commit held yet is not archived, and the next run
  fetches it again (a backfill that did not finish is walked in full). The writer dies with
  the crawl (``workers``). An item
  that must be durable before the crawl goes on (the entries a listing discovered, stored
  before they are requested) is put with ``durable=True``: the caller waits for its commit.
- **Bounded memory**: at most ``max_pending`` items wait; past that the pipeline waits, so
  Scrapy's scraper stops taking responses and the downloader stops fetching.
- **One bad item is one failure**: its savepoint is rolled back, it is logged and counted
  (``archive/write_errors``, which makes the run broken), and the rest of its batch is stored.
- **A full disk stops the crawl**: a write that can never succeed (``halt.storage_failure``),
  or a writer that died, is reported to the caller, which halts the crawl (exit 74); nothing
  more is written.
"""

from __future__ import annotations

import collections
import dataclasses
import itertools
import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from twisted.internet.defer import Deferred

from tuban_crawler import settings as defaults
from tuban_crawler.crawl.halt import storage_failure
from tuban_crawler.crawl.workers import LOGS, Report, WorkerDied, WorkerProcess, take_batch
from tuban_crawler.items import (
    ArticleItem,
    DiscoveredEntries,
    EntryGone,
    EntryNotModified,
    FailureCleared,
    FetchFailure,
    NotAnEntry,
    RequisiteCaptured,
)
from tuban_crawler.store.quality import Evidence
from tuban_crawler.store.sitereport import site_stat

if TYPE_CHECKING:
    from tuban_crawler.store.archive import ArchiveStore

logger = logging.getLogger(__name__)

#: The stats key counting items that could not be written (a bug, not the disk).
WRITE_ERRORS_STAT = "archive/write_errors"


@dataclass
class Written:
    """What one batch did, as the writer process reports it."""

    items: int
    counts: dict[str, int] = field(default_factory=dict)
    durable: list[int] = field(default_factory=list)  # job ids committed that a caller waits for
    failure: str | None = None


class ArchiveWriter:
    """Write items to the archive in a process of its own, in batches, one transaction each.

    Parameters:
        db_path, max_attempts: the archive, as ``ArchiveStore`` takes them.
        run_id: the run the items belong to.
        on_written: called on the crawl's thread with each batch's counts and, once, the
            cause of a storage failure.
        max_pending: items queued beyond which ``put`` asks its caller to wait.
        max_batch: most items in one transaction.
        reactor: the crawl's reactor (default: the one Scrapy installed).
        operator: who runs the crawl (``TUBAN_CONTACT_URL``), named in the fixity events it logs.
    """

    def __init__(
        self,
        db_path: str,
        max_attempts: int,
        run_id: str,
        on_written: Callable[[dict[str, int], str | None], None],
        max_pending: int = defaults.TUBAN_WRITER_MAX_PENDING,
        max_batch: int = defaults.TUBAN_WRITER_MAX_BATCH,
        reactor: Any = None,
        operator: str | None = None,
    ) -> None:
        self.on_written = on_written
        self.max_pending = max_pending
        self.pending = 0  # the crawl's thread only
        self._ids = itertools.count(1)
        self._waiting_commit: dict[int, Deferred[None]] = {}
        self._room: collections.deque[Deferred[None]] = collections.deque()
        self._worker = WorkerProcess(
            "tuban-archive-writer",
            write_loop,
            (str(db_path), max_attempts, run_id, max_batch, operator),
            self._report,
            reactor,
        )

    def start(self) -> None:
        """Start the writer process."""
        self._worker.start()

    def put(self, item: Any, durable: bool = False) -> Deferred[None] | None:
        """Queue ITEM; return a Deferred to wait for when the caller must, else None.

        The Deferred fires once ITEM is committed (DURABLE), or once the queue has room again
        (more than ``max_pending`` items waiting).
        """
        job_id = next(self._ids)
        self.pending += 1
        self._worker.send((job_id, portable(item), durable))
        if durable:
            committed: Deferred[None] = Deferred()
            self._waiting_commit[job_id] = committed
            return committed
        if self.pending > self.max_pending:
            room: Deferred[None] = Deferred()
            self._room.append(room)
            return room
        return None

    def close(self) -> None:
        """Write everything still queued, stop the process and report the last batches."""
        self._worker.stop()

    def _report(self, written: Written | WorkerDied) -> None:
        if isinstance(written, WorkerDied):
            written = Written(0, failure=str(written))
        self.pending -= written.items
        self.on_written(written.counts, written.failure)
        for job_id in written.durable:
            committed = self._waiting_commit.pop(job_id, None)
            if committed is not None:
                committed.callback(None)
        if self._worker.stopped:
            # Nothing more will be written: nobody may wait for it.
            self._room.extend(self._waiting_commit.values())
            self._waiting_commit, self.pending = {}, 0
        while self._room and self.pending <= self.max_pending:
            self._room.popleft().callback(None)


def portable(item: Any) -> Any:
    """Return ITEM as the writer needs it: an article without its extraction (only its record is stored)."""
    if isinstance(item, ArticleItem):
        # The record is all the writer stores: the extraction stays in the crawl's process.
        return dataclasses.replace(item, raw=None, references=None)  # type: ignore[arg-type]
    return item


# -- the writer process ------------------------------------------------------------------
def write_item(store: ArchiveStore, item: Any, run_id: str) -> list[str]:
    """Store ITEM in STORE (run RUN_ID's) and return the stats keys its outcome counts (run in the writer process)."""
    if isinstance(item, ArticleItem):
        fetch = item.fetch
        evidence = Evidence(
            declared_length=fetch.get("declared_length"),
            received_length=fetch.get("received_length"),
            document_closed=fetch.get("document_closed"),
        )
        if item.record is None:  # never normalised: nothing to store
            raise ValueError(f"{item.url}: article item without a record")
        return [
            f"archive/{store.save_article(item.record, fetch, run_id, item.mentioned, evidence)}"
        ]
    if isinstance(item, FetchFailure):
        store.record_failure(
            item.url, item.reason, item.status, run_id, item.fetched_at, item.final
        )
        return ["archive/failed", "archive/entries_failed"] if item.entry else ["archive/failed"]
    if isinstance(item, FailureCleared):
        store.clear_failure(item.url)
    elif isinstance(item, EntryNotModified):
        return [
            f"archive/{store.mark_not_modified(item.url, item.fetch, run_id)}",
            "archive/not-modified",
        ]
    elif isinstance(item, EntryGone):
        return ["archive/gone"] if store.mark_gone(item.url, item.fetch, run_id) else []
    elif isinstance(item, DiscoveredEntries):
        store.add_to_frontier(item.entries, run_id)
    elif isinstance(item, RequisiteCaptured):
        store.save_requisite(
            item.url, item.kind, item.status, item.content_type, item.length, item.capture, run_id
        )
        return ["archive/requisites"]
    elif isinstance(item, NotAnEntry):
        store.drop_from_frontier(item.url)
    return []


def write_loop(
    jobs: Any,
    reports: Any,
    db_path: str,
    max_attempts: int,
    run_id: str,
    max_batch: int,
    operator: str | None = None,
) -> None:
    """Write the items of JOBS to the archive until its end (None); report each batch to REPORTS."""
    from tuban_crawler.store.archive import ArchiveStore
    from tuban_crawler.store.fixity import agent

    failure = None
    store = None
    try:
        store = ArchiveStore(db_path, max_attempts=max_attempts).open()
        store.agent = agent(operator)
    except (sqlite3.Error, OSError) as error:
        failure = storage_failure(error) or f"could not open the archive: {error}"
    reported = False
    try:
        while True:
            work, last = take_batch(jobs, max_batch)
            written = Written(len(work), durable=[job_id for job_id, _, durable in work if durable])
            if failure is None and store is not None and work:
                failure = _write_batch(store, [item for _, item, _ in work], written, run_id)
                reported = failure is not None
            elif failure is not None and not reported:
                written.failure, reported = (
                    failure,
                    True,
                )  # nothing more is written: the crawl stops
            reports.put(Report(written, logs=LOGS.take(), last=last))
            if last:
                return
    finally:
        if store is not None:
            store.close()


def _write_batch(
    store: ArchiveStore, items: list[Any], written: Written, run_id: str
) -> str | None:
    """Write ITEMS in one transaction, counting outcomes into WRITTEN; return a storage failure's cause."""
    counts: collections.Counter[str] = collections.Counter()
    try:
        with store.batch():
            for item in items:
                counts.update(_write_one(store, item, run_id))
    except (sqlite3.Error, OSError) as error:
        # The commit itself (or a write no savepoint could contain) failed: none of the batch
        # is archived, and writing on would only lose more.
        cause = storage_failure(error) or f"the archive could not be written: {error}"
        logger.error("could not write %d items to the archive: %s", len(items), cause)
        written.failure = cause
        return cause
    written.counts = dict(counts)
    return None


def site_keys(item: Any, keys: list[str]) -> list[str]:
    """Return the per-site stats keys (``store.sitereport``) of an entry's outcome KEYS; none for other items.

    >>> site_keys(EntryGone("http://h:1/entry/a", {}), ["archive/gone"])
    ['site/http://h:1/gone']
    """
    entry = isinstance(item, (ArticleItem, EntryNotModified, EntryGone)) or (
        isinstance(item, FetchFailure) and item.entry
    )
    if not entry:
        return []
    return [
        site_stat(item.url, key[len("archive/") :]) for key in keys if key != "archive/not-modified"
    ]


def _write_one(store: ArchiveStore, item: Any, run_id: str) -> list[str]:
    try:
        with store.atomic():
            keys = write_item(store, item, run_id)
        return keys + site_keys(item, keys)
    except Exception as error:
        if isinstance(error, (sqlite3.Error, OSError)) and storage_failure(error) is not None:
            raise  # the disk, not the item: the whole batch fails
        logger.exception("could not write %s to the archive", _describe(item))
    return [WRITE_ERRORS_STAT]


def _describe(item: Any) -> str:
    url = getattr(item, "url", None)
    return f"{type(item).__name__} {url}" if url else type(item).__name__
