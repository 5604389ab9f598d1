"""The archive's writer process: the store's work off the crawl's hot path (issue 10).

Scrapy runs the whole crawl on one thread. Writing an article (its row, the full-text
triggers, the stemmed index, its fetch, history) took more of that thread than fetching and
reading the page, while the machine's other core idled. A thread of its own did not help:
sqlite-utils and the stemmer are Python, and held the interpreter lock the crawl needed
(measured: 29.7 s for a 1,000-article backfill, 19.4 s with the writes left out). So the
store pipeline hands each item to an ``ArchiveWriter``, whose process (``serve``) writes
them with its own connection, in batches: whatever items are waiting (up to ``max_batch``)
are written in one transaction, each inside a savepoint.

What it promises, as the synchronous store did:

- **Order**: one process takes the items first in, first out.
- **Durable before counted**: an item's outcome (``archive/new``...) reaches the crawl's
  stats only once the transaction holding it committed; the run's report is made after
  ``close`` has written everything still queued.
- **A kill loses nothing**: what no commit held yet is not archived, and the next run
  fetches it again (a backfill that did not finish is walked in full). The writer dies with
  the crawl (``PR_SET_PDEATHSIG`` on Linux; elsewhere it ends at its queue's end). An item
  that must be durable before the crawl goes on (the entries a listing discovered, stored
  before they are requested) is put with ``durable=True``: the caller waits for its commit.
- **Bounded memory**: at most ``max_pending`` items wait; past that the pipeline waits, so
  Scrapy's scraper stops taking responses and the downloader stops fetching.
- **One bad item is one failure**: its savepoint is rolled back, it is logged and counted
  (``archive/write_errors``, which makes the run broken), and the rest of its batch is stored.
- **A full disk stops the crawl**: a write that can never succeed (``halt.storage_failure``),
  or a writer that died, is reported to the caller, which halts the crawl (exit 74); nothing
  more is written.

What the writer logs is logged again by the crawl, under the same logger names.
"""

from __future__ import annotations

import collections
import ctypes
import dataclasses
import itertools
import logging
import multiprocessing
import queue
import signal
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from twisted.internet.defer import Deferred

from tuban_crawler.halt import storage_failure
from tuban_crawler.items import ArticleItem

logger = logging.getLogger(__name__)

#: The stats key counting items that could not be written (a bug, not the disk).
WRITE_ERRORS_STAT = "archive/write_errors"
#: Seconds between checks that the writer process is still alive while waiting for it.
_LIVENESS_SECONDS = 1.0
_PR_SET_PDEATHSIG = 1


@dataclass
class Written:
    """What one batch did, as the writer process reports it."""

    items: int
    counts: dict[str, int] = field(default_factory=dict)
    durable: list[int] = field(default_factory=list)  # job ids committed that a caller waits for
    failure: str | None = None
    logs: list[tuple[str, int, str]] = field(default_factory=list)  # (logger, level, message)
    last: bool = False  # the writer's final report: it stopped


class ArchiveWriter:
    """Write items to the archive in a process of its own, in batches, one transaction each.

    Parameters:
        db_path, max_attempts: the archive, as ``ArchiveStore`` takes them.
        run_id: the run the items belong to.
        on_written: called on the crawl's thread with each batch's counts and, once, the
            cause of a storage failure.
        max_pending: items queued beyond which ``put`` asks its caller to wait.
        max_batch: most items in one transaction.
    """

    def __init__(
        self,
        db_path: str,
        max_attempts: int,
        run_id: str,
        on_written: Callable[[dict[str, int], str | None], None],
        max_pending: int = 1000,
        max_batch: int = 500,
    ) -> None:
        self.args = (str(db_path), max_attempts, run_id, max_batch)
        self.on_written = on_written
        self.max_pending = max_pending
        self.pending = 0  # the crawl's thread only
        self._ids = itertools.count(1)
        self._waiting_commit: dict[int, Deferred[None]] = {}
        self._room: collections.deque[Deferred[None]] = collections.deque()
        self._written: collections.deque[Written] = collections.deque()
        self._stopped = threading.Event()
        self._reactor: Any = None
        self._process: Any = None
        self._jobs: Any = None
        self._results: Any = None
        self._reader: threading.Thread | None = None

    def start(self) -> None:
        """Start the writer process, and the thread that reads its reports."""
        from twisted.internet import reactor  # the one Scrapy installed, by now

        self._reactor = reactor
        # spawn: a fork of a process with threads (Twisted's pool) may inherit a held lock.
        context = multiprocessing.get_context("spawn")
        self._jobs, self._results = context.Queue(), context.Queue()
        self._process = context.Process(target=serve, args=(*self.args, self._jobs, self._results),
                                        name="tuban-archive-writer", daemon=True)  # fmt: skip
        self._process.start()
        self._reader = threading.Thread(target=self._read_reports, name="tuban-archive-writer-reports", daemon=True)
        self._reader.start()

    def put(self, item: Any, durable: bool = False) -> Deferred[None] | None:
        """Queue ITEM; return a Deferred to wait for when the caller must, else None.

        The Deferred fires once ITEM is committed (DURABLE), or once the queue has room again
        (more than ``max_pending`` items waiting).
        """
        job_id = next(self._ids)
        self.pending += 1
        self._jobs.put((job_id, portable(item), durable))
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
        if self._process is not None:
            self._jobs.put(None)
            self._stopped.wait()
            self._process.join()
            self._jobs.close()
        self.collect()

    def collect(self) -> None:
        """Report the batches written since the last call (on the crawl's thread)."""
        while self._written:
            written = self._written.popleft()
            self.pending -= written.items
            for name, level, message in written.logs:
                logging.getLogger(name).log(level, "%s", message)
            self.on_written(written.counts, written.failure)
            for job_id in written.durable:
                committed = self._waiting_commit.pop(job_id, None)
                if committed is not None:
                    committed.callback(None)
        if self._stopped.is_set():
            # Nothing more will be written: nobody may wait for it.
            waiting, self._waiting_commit = list(self._waiting_commit.values()), {}
            self._room.extend(waiting)
            self.pending = 0
        while self._room and self.pending <= self.max_pending:
            self._room.popleft().callback(None)

    def _read_reports(self) -> None:
        while True:
            try:
                written = self._results.get(timeout=_LIVENESS_SECONDS)
            except queue.Empty:
                if self._process.is_alive():
                    continue
                code = self._process.exitcode
                written = Written(0, failure=f"the archive's writer process stopped (exit status {code})", last=True)
            self._written.append(written)
            if written.last:
                self._stopped.set()
            self._reactor.callFromThread(self.collect)
            if written.last:
                return


def portable(item: Any) -> Any:
    """Return ITEM as the writer needs it: an article without its extraction (only its record is stored)."""
    if isinstance(item, ArticleItem):
        return dataclasses.replace(item, raw=None)
    return item


# -- the writer process ------------------------------------------------------------------
class _Collected(logging.Handler):
    """Keeps what the writer logs, for the crawl to log again."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.exc_info:
            message += "\n" + logging.Formatter().formatException(record.exc_info)
        self.records.append((record.name, record.levelno, message))

    def take(self) -> list[tuple[str, int, str]]:
        records, self.records = self.records, []
        return records


def serve(db_path: str, max_attempts: int, run_id: str, max_batch: int, jobs: Any, results: Any) -> None:
    """Write the items of JOBS to the archive until its end (None); report each batch to RESULTS."""
    from tuban_crawler.archive import ArchiveStore
    from tuban_crawler.pipelines import write_item

    _die_with_parent()
    # Ctrl-C and systemd's stop reach every process of the crawl: they are the crawl's to
    # handle, which finishes its run and then closes this queue.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    collected = _Collected()
    logging.getLogger().addHandler(collected)
    logging.getLogger().setLevel(logging.INFO)
    failure = None
    store = None
    try:
        store = ArchiveStore(db_path, max_attempts=max_attempts).open()
    except (sqlite3.Error, OSError) as error:
        failure = storage_failure(error) or f"could not open the archive: {error}"
    reported = False
    try:
        while True:
            batch = [jobs.get()]
            while len(batch) < max_batch and batch[-1] is not None:
                try:
                    batch.append(jobs.get_nowait())
                except queue.Empty:
                    break
            last = batch[-1] is None
            work = [job for job in batch if job is not None]
            written = Written(len(work), durable=[job_id for job_id, _, durable in work if durable], last=last)
            if failure is None and store is not None and work:
                failure = _write_batch(store, [item for _, item, _ in work], written,
                                       lambda s, item: write_item(s, item, run_id))  # fmt: skip
                reported = failure is not None
            elif failure is not None and not reported:
                written.failure, reported = failure, True  # nothing more is written: the crawl stops
            written.logs = collected.take()
            results.put(written)
            if last:
                return
    finally:
        if store is not None:
            store.close()
        results.close()
        results.join_thread()


def _write_batch(store: Any, items: list[Any], written: Written,
                 write: Callable[[Any, Any], Iterable[str]]) -> str | None:  # fmt: skip
    """Write ITEMS in one transaction, counting outcomes into WRITTEN; return a storage failure's cause."""
    counts: collections.Counter[str] = collections.Counter()
    try:
        with store.batch():
            for item in items:
                counts.update(_write_one(store, item, write))
    except (sqlite3.Error, OSError) as error:
        # The commit itself (or a write no savepoint could contain) failed: none of the batch
        # is archived, and writing on would only lose more.
        cause = storage_failure(error) or f"the archive could not be written: {error}"
        logger.error("could not write %d items to the archive: %s", len(items), cause)
        written.failure = cause
        return cause
    written.counts = dict(counts)
    return None


def _write_one(store: Any, item: Any, write: Callable[[Any, Any], Iterable[str]]) -> Iterable[str]:
    try:
        with store.atomic():
            return list(write(store, item))
    except (sqlite3.Error, OSError) as error:
        if storage_failure(error) is not None:
            raise
        logger.exception("could not write %s to the archive", _describe(item))
    except Exception:
        logger.exception("could not write %s to the archive", _describe(item))
    return [WRITE_ERRORS_STAT]


def _describe(item: Any) -> str:
    url = getattr(item, "url", None)
    return f"{type(item).__name__} {url}" if url else type(item).__name__


def _die_with_parent() -> None:
    """Have the kernel kill this process when the crawl dies (even by SIGKILL), on Linux."""
    if not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
