"""The WARC writer in a process of its own (issue 10): warcio and zlib off the crawl's thread.

``WarcWorker`` stands in the crawl for a ``WarcWriter`` that runs in a worker process
(``tuban_crawler.crawl.workers``): ``open`` and ``close`` wait for the writer, as the writer's own
do, and raise what it raised; ``write_exchange`` returns a Deferred of the ``CaptureRef``
(or of the writer's error). Exchanges are written in the order they are sent, each flushed
to the file before its reference comes back, so that a row the store writes later never
points at a record that is not in the file yet.
"""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Any

from twisted.internet.defer import Deferred

from tuban_crawler.crawl.halt import storage_failure
from tuban_crawler.crawl.workers import LOGS, Report, WorkerDied, WorkerProcess, take_batch
from tuban_crawler.warc.repair import Repair
from tuban_crawler.warc.writer import CaptureRef, FinishedFile, WarcWriter

#: Most exchanges written between two reports.
_BATCH = 64


class WarcWorker:
    """A ``WarcWriter`` (its OPTIONS) in a worker process."""

    def __init__(self, **options: Any) -> None:
        self.finished_files: list[Path] = []
        self.finished: list[FinishedFile] = []  # the same, with their digests (capture events)
        self.repairs: list[Repair] = []  # what opening repaired (repair events)
        self._ids = 0
        self._pending: dict[int, Deferred[CaptureRef]] = {}
        self._opened: BaseException | bool | None = None
        self._closed: BaseException | None = None
        self._worker = WorkerProcess("tuban-warc-writer", warc_loop, (options,), self._report)

    def open(self) -> None:
        """Start the writer and wait until it has repaired, indexed and opened its first file."""
        self._worker.start()
        self._worker.wait_until(lambda: self._opened is not None)
        if isinstance(self._opened, BaseException):
            raise self._opened

    def write_exchange(self, **exchange: Any) -> Deferred[CaptureRef]:
        """Return a Deferred of where the writer wrote EXCHANGE (``WarcWriter.write_exchange``'s arguments)."""
        self._ids += 1
        written: Deferred[CaptureRef] = Deferred()
        if self._worker.stopped:
            written.errback(_stopped())
            return written
        self._pending[self._ids] = written
        self._worker.send((self._ids, exchange))
        return written

    def close(self) -> None:
        """Finish the current file (the writer's ``close``) and stop the process."""
        self._worker.stop()
        if self._closed is not None:
            raise self._closed

    def _report(self, payload: Any) -> None:
        if isinstance(payload, WorkerDied):
            self._opened = self._opened or _stopped(str(payload))
            for written in self._pending.values():
                written.errback(_stopped(str(payload)))
            self._pending = {}
            return
        kind, value = payload
        if kind == "opened":
            error, self.repairs = value
            self._opened = _raised(error) if error else True
        elif kind == "written":
            for job_id, capture, error in value:
                written = self._pending.pop(job_id)
                if error is None:
                    written.callback(capture)
                else:
                    written.errback(_raised(error))
        elif kind == "closed":
            self.finished, error = value
            self.finished_files = [finished.path for finished in self.finished]
            self._closed = _raised(error) if error else None


def _stopped(why: str = "the WARC writer stopped") -> OSError:
    # An I/O error: the crawl halts (halt.storage_failure), as when a write fails.
    return OSError(errno.EIO, why)


def _described(error: BaseException) -> tuple[Any, ...]:
    if isinstance(error, OSError):
        return ("OSError", error.errno, error.strerror or str(error), error.filename)
    return (type(error).__name__, str(error))


def _raised(described: tuple[Any, ...]) -> BaseException:
    if described[0] == "OSError":
        _, number, message, filename = described
        return OSError(number, message, filename) if filename else OSError(number, message)
    return RuntimeError(described[1])


# -- the writer process ------------------------------------------------------------------
def warc_loop(jobs: Any, reports: Any, options: dict[str, Any]) -> None:
    """Write the exchanges of JOBS with a ``WarcWriter(**OPTIONS)`` until its end (None)."""
    writer = WarcWriter(**options)
    try:
        writer.open()
    except Exception as error:  # noqa: BLE001 (raised again in the crawl, by WarcWorker.open)
        reports.put(Report(("opened", (_described(error), [])), logs=LOGS.take(), last=True))
        return
    reports.put(Report(("opened", (None, writer.repairs)), logs=LOGS.take()))
    fatal: tuple[Any, ...] | None = (
        None  # a full disk: what was sent after the failed write is not written either (the crawl halts)
    )
    while True:
        work, last = take_batch(jobs, _BATCH)
        outcomes: list[tuple[Any, CaptureRef | None, tuple[Any, ...] | None]] = []
        for job_id, exchange in work:
            if fatal is not None:
                outcomes.append((job_id, None, fatal))
                continue
            try:
                outcomes.append((job_id, writer.write_exchange(**exchange), None))
            except Exception as error:  # noqa: BLE001 (the crawl decides: halt on a full disk)
                outcomes.append((job_id, None, _described(error)))
                if isinstance(error, OSError) and storage_failure(error) is not None:
                    fatal = outcomes[-1][2]
        if outcomes:
            reports.put(Report(("written", outcomes), logs=LOGS.take()))
        if last:
            try:
                writer.close()
                closed: tuple[Any, ...] = (writer.finished, None)
            except Exception as error:  # noqa: BLE001
                closed = (writer.finished, _described(error))
            reports.put(Report(("closed", closed), logs=LOGS.take(), last=True))
            return
