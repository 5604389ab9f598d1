"""A loop in a process of its own, fed by the crawl and reporting back on the crawl's thread (issue 10).

Scrapy runs a crawl on one thread, and Python threads share one interpreter lock: work moved
to a thread still takes the crawl's time. The archive's own work (the SQLite store, the
WARC files) runs instead in spawned processes, on the machine's other cores:

- ``WorkerProcess`` (in the crawl) starts ``python -m tuban_crawler.crawl.workers`` with two pipes,
  sends it jobs, and hands each report to a callback on the reactor's thread (a thread of
  its own waits for the reports);
- ``main`` (in the worker) imports nothing but the worker's loop, sets the process up and
  runs the loop, which takes jobs until ``None`` and puts a ``Report`` for each batch it did,
  the last one ``last=True``.

Not ``multiprocessing``'s spawn: it imports the crawl's main module again in each worker
(Scrapy and everything), 80 MB a worker for nothing.

A worker dies with the crawl (``PR_SET_PDEATHSIG`` on Linux), and ignores SIGINT and SIGTERM,
which reach every process of a crawl: the crawl handles them, finishes its run, and then
ends the worker's queue. A worker that died anyway is reported as ``WorkerDied``. What a
worker logs is logged again by the crawl, under the same logger names.
"""

from __future__ import annotations

import collections
import ctypes
import importlib
import logging
import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

logger = logging.getLogger(__name__)

_PR_SET_PDEATHSIG = 1


@dataclass
class Report:
    """What a worker did with some jobs: PAYLOAD for the crawl, and what it logged meanwhile."""

    payload: Any
    logs: list[tuple[str, int, str]] = field(default_factory=list)  # (logger, level, message)
    last: bool = False  # the worker's final report: it stopped


@dataclass(frozen=True)
class WorkerDied:
    """The payload reported for a worker that stopped without its final report."""

    name: str
    exitcode: int | None

    def __str__(self) -> str:
        return f"the {self.name} process stopped (exit status {self.exitcode})"


class WorkerProcess:
    """Run LOOP(jobs, reports, *ARGS) in a spawned process; deliver its reports to ON_REPORT.

    Parameters:
        name: the process's name, for ``ps`` and messages.
        loop: a module-level function (the worker imports it): takes jobs from its first
            argument until ``None``, and ``put``s a ``Report`` on its second for what it did.
        args: more arguments for LOOP (picklable).
        on_report: called on the crawl's thread with each report's payload, in order.
        reactor: the reactor whose thread that is (default: the one Scrapy installed).
    """

    def __init__(
        self,
        name: str,
        loop: Callable[..., None],
        args: tuple[Any, ...],
        on_report: Callable[[Any], None],
        reactor: Any = None,
    ) -> None:
        self.name = name
        self.loop = loop
        self.args = args
        self.on_report = on_report
        self._reports: collections.deque[Report] = collections.deque()
        self._stopped = threading.Event()
        self._arrived = threading.Event()
        self._outbox: list[Any] = []
        self._reactor = reactor
        self._process: Any = None
        self._jobs: Any = None
        self._results: Any = None

    def start(self) -> None:
        """Start the process, and the thread that waits for its reports."""
        if self._reactor is None:
            from twisted.internet import reactor  # the one Scrapy installed, by now

            self._reactor = reactor
        jobs_in, jobs_out = os.pipe()
        reports_in, reports_out = os.pipe()
        # A new interpreter, not a fork: a fork of a process with threads (Twisted's pool) may
        # inherit a lock some thread held.
        command = [
            sys.executable,
            "-m",
            "tuban_crawler.crawl.workers",
            self.name,
            f"{self.loop.__module__}:{self.loop.__qualname__}",
            str(jobs_in),
            str(reports_out),
        ]
        try:
            self._process = subprocess.Popen(
                command, pass_fds=(jobs_in, reports_out), stdin=subprocess.DEVNULL
            )
        finally:
            os.close(jobs_in)
            os.close(reports_out)
        self._jobs = Connection(jobs_out, readable=False)
        self._results = Connection(reports_in, writable=False)
        self._send(self.args)
        threading.Thread(
            target=self._wait_for_reports, name=f"{self.name}-reports", daemon=True
        ).start()

    def send(self, job: Any) -> None:
        """Queue JOB for the worker.

        Jobs sent in one turn of the reactor travel together, once it is over: one message,
        pickled once, instead of one each.
        """
        self._outbox.append(job)
        if len(self._outbox) == 1:
            self._reactor.callLater(0, self._flush)

    def _flush(self) -> None:
        if self._outbox and not self._stopped.is_set():
            self._send(self._outbox)
        self._outbox = []

    def _send(self, message: Any) -> None:
        try:
            # A full pipe waits for the worker: the crawl's back-pressure when the disk is slow.
            self._jobs.send(message)
        except OSError:  # the worker died: its reader reports it (WorkerDied)
            pass

    @property
    def pid(self) -> int | None:
        """Return the worker's process id while it runs."""
        return self._process.pid if self._process is not None else None

    @property
    def stopped(self) -> bool:
        """Return True once the worker has made its last report (or died)."""
        return self._stopped.is_set()

    def stop(self) -> None:
        """End the worker's queue, wait for its last report and deliver every report still undelivered."""
        if self._process is None:
            return
        if not self._stopped.is_set():
            self._flush()
            self._send(None)
            self._stopped.wait()
        self._process.wait()
        self._jobs.close()
        self._process = None
        self.deliver()

    def wait_until(self, condition: Callable[[], bool]) -> None:
        """Block until CONDITION holds (checked after each report delivered) or the worker stopped."""
        while True:
            self.deliver()
            if condition() or (self._stopped.is_set() and not self._reports):
                return
            self._arrived.wait(0.05)
            self._arrived.clear()

    def deliver(self) -> None:
        """Hand the reports received so far to ``on_report`` (on the crawl's thread)."""
        while self._reports:
            report = self._reports.popleft()
            for name, level, message in report.logs:
                logging.getLogger(name).log(level, "%s", message)
            self.on_report(report.payload)

    def _wait_for_reports(self) -> None:
        while True:
            try:
                report = self._results.recv()
            except (EOFError, OSError):  # the worker is gone without its last report
                report = Report(WorkerDied(self.name, self._process.wait()), last=True)
            self._reports.append(report)
            if report.last:
                self._stopped.set()
            self._arrived.set()
            self._reactor.callFromThread(self.deliver)
            if report.last:
                return


# -- in the worker ------------------------------------------------------------------------
class LogCollector(logging.Handler):
    """Keeps what the worker logs, for its next report."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.exc_info:
            message += "\n" + logging.Formatter().formatException(record.exc_info)
        self.records.append((record.name, record.levelno, message))

    def take(self) -> list[tuple[str, int, str]]:
        """Return the records logged since the last call."""
        records, self.records = self.records, []
        return records


#: The worker's collector: its loop puts ``Report(payload, logs=LOGS.take())``.
LOGS = LogCollector()


class _Jobs:
    """The worker's end of the jobs pipe, read as a queue (``get``, ``get_nowait``)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def get(self) -> Any:
        try:
            return self.connection.recv()
        except EOFError:  # the crawl is gone: nothing more will come
            return None

    def get_nowait(self) -> Any:
        if not self.connection.poll(0):
            raise queue.Empty
        return self.get()


class _Reports:
    """The worker's end of the reports pipe (``put``)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def put(self, report: Report) -> None:
        self.connection.send(report)


def main(argv: list[str]) -> None:
    """Run the worker NAME LOOP (``module:function``) JOBS-FD REPORTS-FD that ``WorkerProcess`` started."""
    _, name, spec, jobs_fd, reports_fd = argv
    _die_with_parent()
    # Ctrl-C and systemd's stop reach every process of the crawl: they are the crawl's to
    # handle, which finishes its run and then ends this worker's queue.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    logging.getLogger().addHandler(LOGS)
    logging.getLogger().setLevel(logging.INFO)
    module, _, function = spec.partition(":")
    loop = getattr(importlib.import_module(module), function)
    jobs, reports = (
        Connection(int(jobs_fd), writable=False),
        Connection(int(reports_fd), readable=False),
    )
    args = jobs.recv()
    try:
        loop(_Jobs(jobs), _Reports(reports), *args)
    finally:
        reports.close()


def _die_with_parent() -> None:
    """Have the kernel kill this process when the crawl dies (even by SIGKILL), on Linux."""
    if not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


def take_batch(jobs: Any, most: int) -> tuple[list[Any], bool]:
    """Return (the jobs waiting on JOBS, at least one message's and about MOST, whether the queue ended)."""
    batch: list[Any] = []
    message = jobs.get()
    while message is not None:
        batch += message
        if len(batch) >= most:
            break
        try:
            message = jobs.get_nowait()
        except queue.Empty:
            break
    return batch, message is None


if __name__ == "__main__":
    # Through the imported module, so that the loop's ``from tuban_crawler.crawl.workers import LOGS``
    # is this very collector.
    from tuban_crawler.crawl import workers

    workers.main(sys.argv)
