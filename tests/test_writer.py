"""The archive's writer process: order, batches, durability, back-pressure, bad items, full disks, death."""

from __future__ import annotations

import os
import signal
import sqlite3
import time
from collections import Counter
from pathlib import Path

from tuban_crawler.crawl.writer import WRITE_ERRORS_STAT, ArchiveWriter, write_item
from tuban_crawler.items import ArticleItem, DiscoveredEntries, FailureCleared, FetchFailure
from tuban_crawler.store.archive import ArchiveStore


class Reactor:
    """The two reactor calls the writer makes, run at once (the reports arrive on a thread of its own)."""

    def __init__(self) -> None:
        self.from_thread: list = []

    def callLater(self, delay, function, *args):  # noqa: N802 (Twisted's name)
        function(*args)

    def callFromThread(self, function, *args):  # noqa: N802
        self.from_thread.append((function, args))


class Outcomes:
    """What the writer reported back."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.failures: list[str] = []

    def __call__(self, counts: dict[str, int], failure: str | None) -> None:
        self.counts.update(counts)
        if failure is not None:
            self.failures.append(failure)


def started(db: Path, outcomes: Outcomes, **options) -> ArchiveWriter:
    ArchiveStore(db).open().close()  # the crawl opens (and migrates) the archive first
    writer = ArchiveWriter(db, 3, "run1", outcomes, reactor=Reactor(), **options)
    writer.start()
    return writer


def rows(db: Path, sql: str) -> list[tuple]:
    connection = sqlite3.connect(db)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def test_items_are_written_in_order_and_counted_once_committed(tmp_path: Path) -> None:
    db, outcomes = tmp_path / "archive.db", Outcomes()
    writer = started(db, outcomes)
    discovered = writer.put(
        DiscoveredEntries({"https://t.id/entry/a": None, "https://t.id/entry/b": "1 Mei 2024"}),
        durable=True,
    )
    fired = []
    discovered.addCallback(fired.append)
    writer.put(FetchFailure("https://t.id/entry/a", "HTTP 500", 500, "2026-12-01T00:00:00+00:00"))
    writer.put(FetchFailure("https://t.id/entry/c", "HTTP 503", 503, "2026-12-01T00:00:00+00:00"))
    writer.put(
        FailureCleared("https://t.id/entry/c")
    )  # after its failure: cleared, as the order says
    writer.close()
    assert fired == [None]
    assert outcomes.counts == {"archive/failed": 2} and outcomes.failures == []
    assert rows(db, "select url from failures") == [("https://t.id/entry/a",)]
    # a failure takes its URL out of the frontier; the other discovered entry stays
    assert rows(db, "select url, hint_published from frontier") == [
        ("https://t.id/entry/b", "1 Mei 2024")
    ]
    assert writer.pending == 0


def test_a_bad_item_is_one_counted_failure_and_its_batch_is_stored(tmp_path: Path) -> None:
    db, outcomes = tmp_path / "archive.db", Outcomes()
    writer = started(db, outcomes)
    writer.put(FetchFailure("https://t.id/entry/a", "HTTP 500", 500, "2026-12-01T00:00:00+00:00"))
    writer.put(
        ArticleItem(url="https://t.id/entry/bad", fetch={}, raw=None, record={"url": "x"})
    )  # no fetched_at
    writer.put(FetchFailure("https://t.id/entry/b", "HTTP 500", 500, "2026-12-01T00:00:00+00:00"))
    writer.close()
    assert outcomes.counts == {"archive/failed": 2, WRITE_ERRORS_STAT: 1}
    assert {url for (url,) in rows(db, "select url from failures")} == {
        "https://t.id/entry/a",
        "https://t.id/entry/b",
    }
    assert rows(db, "select count(*) from articles") == [(0,)]


def test_past_max_pending_the_caller_waits_until_a_batch_is_written(tmp_path: Path) -> None:
    db, outcomes = tmp_path / "archive.db", Outcomes()
    writer = started(db, outcomes, max_pending=2)
    waits = [
        writer.put(
            FetchFailure(f"https://t.id/entry/{n}", "HTTP 500", 500, "2026-12-01T00:00:00+00:00")
        )
        for n in range(3)
    ]
    assert waits[:2] == [None, None] and waits[2] is not None and not waits[2].called
    writer.close()
    assert waits[2].called and outcomes.counts == {"archive/failed": 3}


def test_an_archive_that_cannot_be_written_is_reported_once_and_nothing_more_is_written(
    tmp_path: Path,
) -> None:
    db, outcomes = tmp_path / "archive.db", Outcomes()
    writer = started(db, outcomes)
    os.remove(db)
    db.mkdir()  # the archive's path is now a directory: SQLite can't open it
    writer.put(FetchFailure("https://t.id/entry/a", "HTTP 500", 500, "2026-12-01T00:00:00+00:00"))
    writer.put(FetchFailure("https://t.id/entry/b", "HTTP 500", 500, "2026-12-01T00:00:00+00:00"))
    writer.close()
    assert len(outcomes.failures) == 1 and "unable to open database file" in outcomes.failures[0]
    assert outcomes.counts == {}


def test_a_writer_that_dies_is_a_failure_and_nobody_waits_for_it(tmp_path: Path) -> None:
    db, outcomes = tmp_path / "archive.db", Outcomes()
    writer = started(db, outcomes)
    os.kill(writer._worker.pid, signal.SIGKILL)
    time.sleep(0.2)
    waiting = writer.put(DiscoveredEntries({"https://t.id/entry/a": None}), durable=True)
    writer.close()
    assert waiting.called
    assert outcomes.failures and "stopped" in outcomes.failures[0]


def test_an_entrys_failure_is_counted_apart_from_a_listings(tmp_path: Path) -> None:
    with ArchiveStore(tmp_path / "archive.db") as store:
        keys = [
            write_item(
                store, FetchFailure(f"https://t.id/{path}", "HTTP 500", 500, entry=entry), "r"
            )
            for path, entry in (("entry/a", True), ("berita?page=2", False))
        ]
    assert keys == [["archive/failed", "archive/entries_failed"], ["archive/failed"]]
