"""The extraction workers: a page read there is the page read on the crawl's thread; a bad page or a dead worker is one page's failure."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

from tuban_crawler.crawl.entry_pages import EntryPage, EntryPageJob, read_entry_page
from tuban_crawler.crawl.extraction import ExtractionPool, PageNotRead

PAGE = Path(__file__).parent / "pages" / "current_plain.html"
URL = "https://tubankab.go.id/entry/contoh"


class Reactor:
    """The reactor calls a worker makes: what comes from its threads is run by ``pump``."""

    def __init__(self) -> None:
        self.from_thread: list = []

    def callLater(self, delay, function, *args):  # noqa: N802 (Twisted's name)
        function(*args)

    def callFromThread(self, function, *args):  # noqa: N802
        self.from_thread.append((function, args))

    def pump(self, until: Callable[[], bool], timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while not until():
            assert time.monotonic() < deadline, "the workers never answered"
            while self.from_thread:
                function, args = self.from_thread.pop(0)
                function(*args)
            time.sleep(0.01)


def job(**changes) -> EntryPageJob:
    fetch = {"fetched_url": URL, "fetched_at": "2026-12-08T00:00:00Z", "status": 200}
    return EntryPageJob(
        **{
            "url": URL,
            "fetched_url": URL,
            "body": PAGE.read_bytes(),
            "encoding": "utf-8",
            "fetch": fetch,
            "requisites": True,
            **changes,
        }
    )


def outcome(reactor: Reactor, deferred: Deferred) -> EntryPage | Failure:
    results: list = []
    deferred.addBoth(results.append)
    reactor.pump(lambda: bool(results))
    return results[0]


@pytest.fixture(scope="module")
def pool() -> Iterator[tuple[ExtractionPool, Reactor]]:
    reactor = Reactor()
    started = ExtractionPool(1, reactor=reactor)
    started.start()
    yield started, reactor
    started.stop()


def test_a_page_read_by_a_worker_is_the_page_read_on_the_crawls_thread(pool):
    extraction, reactor = pool
    here = read_entry_page(job())
    there = outcome(reactor, extraction.read(job()))
    assert isinstance(there, EntryPage)
    assert there.links == here.links
    assert there.item.record == here.item.record and there.item.record is not None
    assert there.item.record.title and there.item.record.published_at
    assert there.item.references == here.item.references and here.item.references
    assert there.item.settled_hints == (None, None)  # its date judged there, once


def test_a_page_whose_reading_raises_is_that_pages_failure_and_the_worker_reads_on(pool):
    extraction, reactor = pool
    failed = outcome(reactor, extraction.read(job(fetch=None)))
    assert isinstance(failed, Failure) and failed.check(PageNotRead)
    assert "AttributeError" in str(failed.value)
    assert isinstance(outcome(reactor, extraction.read(job())), EntryPage)


def test_a_worker_that_dies_is_replaced_and_the_page_it_died_on_twice_is_one_failure():
    reactor = Reactor()
    extraction = ExtractionPool(1, reactor=reactor)
    extraction.start()
    try:
        (first,) = extraction.pids
        reading = extraction.read(job())
        # Killed while it starts (it imports for a second): the page is read again by the next.
        os.kill(first, signal.SIGKILL)
        reactor.pump(lambda: extraction.deaths == 1 and bool(extraction.pids))
        (second,) = extraction.pids
        assert second != first and not reading.called
        os.kill(second, signal.SIGKILL)
        failed = outcome(reactor, reading)
        assert isinstance(failed, Failure) and failed.check(PageNotRead)
        assert "stopped" in str(failed.value)
        # The crawl goes on: the third worker reads the next page.
        assert isinstance(outcome(reactor, extraction.read(job())), EntryPage)
        assert extraction.deaths == 2
    finally:
        extraction.stop()
