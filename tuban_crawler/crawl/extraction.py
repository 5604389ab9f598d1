"""The extraction workers: entry pages read in processes of their own, on the machine's other cores (issue 20).

The crawl's thread was the bottleneck of a backfill (one core busy, the second mostly idle):
it fetched, navigated, and read every article (parsing, links, extraction, normalising, the
date) itself. The entry callback now hands the page's bytes to ``ExtractionPool.read`` and
awaits the page read (``entry_pages.read_entry_page``): links, references, the article
normalised and its date judged. The crawl's thread keeps what needs its state (which links
are new, aliases, held pages) and everything it promises:

- durable before counted: the article goes on through the pipelines to the archive's writer,
  which counts it once committed, as before;
- bounded: a page waits in a worker only while Scrapy holds its response (the scraper's slot,
  ``SCRAPER_SLOT_MAX_ACTIVE_SIZE``, stops the downloader past 5 MB of responses in hand);
  jobs are written to a worker's pipe by a thread of their own, so the reactor never waits
  for a busy worker;
- one bad page, one failure: a page whose reading raised comes back as that page's failure
  (``PageNotRead``, recorded by the callback); a worker that died is replaced, the pages it
  held are read again once by another, and the page it died on is recorded as failed. Past
  ``MAX_DEATHS`` deaths the pool reads the rest on the crawl's thread;
- kill-safe: workers are ``crawl/workers.py`` processes (they die with the crawl, even by
  SIGKILL, and ignore the SIGINT/SIGTERM the crawl handles); ``stop`` ends them at close.

A thread pool was measured too, and bought nothing: a page's reading is mostly Python (links,
extraction, normalising), which holds the interpreter lock; only parsing (lexbor, lxml) may
release it, 0.22 ms of a page's 2.76 ms, and two threads spent 24% more CPU than one on the
same 400 pages. Two workers measured worse than one on two cores (more CPU an article, the
crawl's thread no faster, 30 MB more): ``TUBAN_EXTRACT_WORKERS`` is 1.
"""

from __future__ import annotations

import logging
import queue
import threading
from dataclasses import dataclass, field
from typing import Any

from twisted.internet.defer import Deferred, succeed

from tuban_crawler.crawl.entry_pages import (
    EntryPage,
    EntryPageJob,
    extraction_loop,
    read_entry_page,
)
from tuban_crawler.crawl.workers import WorkerDied, WorkerProcess

logger = logging.getLogger(__name__)

#: Worker deaths after which the pool stops replacing them and reads pages on the crawl's thread.
MAX_DEATHS = 5


class PageNotRead(Exception):
    """A page that could not be read (its reading raised, or the worker died on it)."""


class _Worker(WorkerProcess):
    """A ``WorkerProcess`` whose jobs are written by a thread of its own: the reactor never waits on a busy worker."""

    def start(self) -> None:
        """Start the writing thread, then the process."""
        self._outgoing: queue.SimpleQueue[Any] = queue.SimpleQueue()
        threading.Thread(target=self._write, name=f"{self.name}-jobs", daemon=True).start()
        super().start()

    def _send(self, message: Any) -> None:
        self._outgoing.put(message)

    def stop(self) -> None:
        """End the worker (see ``WorkerProcess.stop``), and its writing thread."""
        super().stop()
        self._outgoing.put(None)

    def _write(self) -> None:
        while True:
            message = self._outgoing.get()
            try:
                self._jobs.send(message)
            except (OSError, AttributeError):  # the worker died: its reader reports it
                pass
            if message is None:
                return


@dataclass
class _Pending:
    job: EntryPageJob
    result: Deferred[EntryPage]
    worker: int
    attempts: int = 1


@dataclass
class _Slot:
    process: _Worker
    jobs: set[int] = field(default_factory=set)


class ExtractionPool:
    """WORKERS processes reading entry pages for the crawl's callbacks (``read``); ``start`` and ``stop`` on the reactor's thread."""

    def __init__(self, workers: int, reactor: Any = None) -> None:
        self.size = workers
        self._reactor = reactor
        self._slots: list[_Slot] = []
        self._pending: dict[int, _Pending] = {}
        self._numbers = iter(range(1, 1 << 62))
        self._stopping = False
        self.deaths = 0

    def start(self) -> None:
        """Start the workers."""
        self._slots = [_Slot(self._start_worker(i)) for i in range(self.size)]

    def _start_worker(self, index: int) -> _Worker:
        worker = _Worker(
            f"tuban-extract-{index + 1}",
            extraction_loop,
            (),
            on_report=lambda payload: self._on_report(index, payload),
            reactor=self._reactor,
        )
        worker.start()
        return worker

    @property
    def pids(self) -> list[int]:
        """Return the process ids of the running workers."""
        return [pid for slot in self._slots if (pid := slot.process.pid) is not None]

    def read(self, job: EntryPageJob) -> Deferred[EntryPage]:
        """Return a Deferred firing with the page of JOB read (``PageNotRead`` when it can't be)."""
        if not self._slots:  # no workers (they died too often, or the pool is stopped)
            try:
                return succeed(read_entry_page(job))
            except Exception as error:  # noqa: BLE001 (one page's failure, as in a worker)
                logger.exception("%s: could not read the page", job.fetched_url)
                raise PageNotRead(f"{type(error).__name__}: {error}") from error
        number = next(self._numbers)
        pending = _Pending(job, Deferred(), 0)
        self._pending[number] = pending
        self._dispatch(number, pending)
        return pending.result

    def _dispatch(self, number: int, pending: _Pending) -> None:
        index = min(range(len(self._slots)), key=lambda i: len(self._slots[i].jobs))
        pending.worker = index
        self._slots[index].jobs.add(number)
        self._slots[index].process.send((number, pending.job))

    def _on_report(self, index: int, payload: Any) -> None:
        if isinstance(payload, WorkerDied):
            self._died(index, payload)
            return
        for number, page, error in payload or ():
            pending = self._pending.pop(number, None)
            if pending is None:
                continue
            if index < len(self._slots):
                self._slots[index].jobs.discard(number)
            if error is None:
                pending.result.callback(page)
            else:
                pending.result.errback(PageNotRead(error))

    def _died(self, index: int, died: WorkerDied) -> None:
        slot = self._slots[index]
        lost, slot.jobs = sorted(slot.jobs), set()
        slot.process.stop()  # reaps it
        if self._stopping:
            return
        self.deaths += 1
        logger.error("%s; it was reading %d pages", died, len(lost))
        if self.deaths >= MAX_DEATHS:
            logger.error(
                "the extraction workers died %d times: pages are read on the crawl's thread",
                self.deaths,
            )
            others, self._slots = self._slots, []
            for other in others:
                if other is not slot:
                    lost += sorted(other.jobs)
                    other.process.stop()
        else:
            slot.process = self._start_worker(index)
        for number in lost:
            pending = self._pending.pop(number, None)
            if pending is None:
                continue
            if pending.attempts > 1 or not self._slots:
                # Read once again already (or no worker left): the page the worker died on.
                pending.result.errback(PageNotRead(f"{died} while reading it"))
            else:
                pending.attempts += 1
                self._pending[number] = pending
                self._dispatch(number, pending)

    def stop(self) -> None:
        """End every worker (their queues first: each reads what it holds), once the crawl's callbacks are done."""
        self._stopping = True
        slots, self._slots = self._slots, []
        for slot in slots:
            slot.process.stop()
        for number, pending in list(self._pending.items()):
            del self._pending[number]
            pending.result.errback(PageNotRead("the crawl stopped before the page was read"))
