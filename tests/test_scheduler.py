"""The scheduler keeps its queue on disk in every run, in a folder of the run's own when there is no JOBDIR."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
import scrapy
from scrapy.utils.test import get_crawler

from tests.e2e import crawl
from tuban_crawler.crawl import scheduler as scheduler_module
from tuban_crawler.crawl.scheduler import DiskQueueScheduler, queue_parent
from tuban_crawler.portal import PortalServer


class QueueSpider(scrapy.Spider):
    name = "queue"

    def parse(self, response):  # pragma: no cover - never downloaded
        yield from ()


def open_scheduler(db: Path, **settings) -> DiskQueueScheduler:
    """Return an opened scheduler of a crawl into the archive DB.

    Scrapy's plain priority queue: its default one asks a running engine's downloader for its
    slots (the crawl at the end of this file runs with it).
    """
    crawler = get_crawler(
        QueueSpider,
        {
            "ARCHIVE_DB": str(db),
            "TUBAN_WRITE_ARCHIVE": True,
            "SCHEDULER_PRIORITY_QUEUE": "scrapy.pqueues.ScrapyPriorityQueue",
            **settings,
        },
    )
    spider = QueueSpider.from_crawler(crawler)
    crawler.spider = spider
    scheduler = DiskQueueScheduler.from_crawler(crawler)
    scheduler.open(spider)
    return scheduler


def queue_folders(db: Path) -> list[Path]:
    """Return the run queue folders beside the archive DB."""
    folder, prefix = queue_parent(str(db))
    return sorted(folder.glob(f"{prefix}*"))


def requests_of(scheduler: DiskQueueScheduler, count: int) -> list[scrapy.Request]:
    """Return COUNT requests of the scheduler's spider, with callbacks, meta and headers as a crawl makes them."""
    spider = scheduler.spider
    return [
        scrapy.Request(
            f"http://127.0.0.1:1/entry/{n}",
            callback=spider.parse,
            priority=n % 3,
            headers={"If-None-Match": f'"{n}"'},
            meta={"canonical_url": f"https://t.id/entry/{n}"},
        )
        for n in range(count)
    ]


def test_a_run_without_jobdir_queues_on_disk_beside_the_archive_and_removes_the_folder(tmp_path):
    scheduler = open_scheduler(tmp_path / "archive.db")
    (folder,) = queue_folders(tmp_path / "archive.db")
    assert scheduler.dqdir == str(folder)
    for request in requests_of(scheduler, 50):
        assert scheduler.enqueue_request(request)
    assert scheduler.stats.get_value("scheduler/enqueued/disk") == 50
    assert not scheduler.stats.get_value("scheduler/enqueued/memory")
    popped = [scheduler.next_request() for _ in range(50)]
    assert scheduler.next_request() is None
    # Back from disk whole: the callback, the headers (conditional fetches) and the meta.
    assert sorted(r.url for r in popped) == sorted(r.url for r in requests_of(scheduler, 50))
    first = next(r for r in popped if r.url.endswith("/entry/7"))
    assert first.callback == scheduler.spider.parse
    assert (
        first.headers[b"If-None-Match"] == b'"7"'
        and first.meta["canonical_url"] == "https://t.id/entry/7"
    )
    # Priorities as Scrapy's memory queue keeps them: the highest first.
    assert [r.priority for r in popped] == sorted((r.priority for r in popped), reverse=True)
    scheduler.close("finished")
    assert queue_folders(tmp_path / "archive.db") == []


def test_a_queue_folder_left_by_a_killed_run_is_removed_by_the_next(tmp_path):
    db = tmp_path / "archive.db"
    folder, prefix = queue_parent(str(db))
    left = folder / f"{prefix}killed"
    left.mkdir()
    (left / "active.json").write_text("[0]")
    other = (
        tmp_path / ".other.db.queue-x"
    )  # another archive's, in the same folder: not ours to remove
    other.mkdir()
    scheduler = open_scheduler(db)
    assert not left.exists() and other.exists()
    assert queue_folders(db) == [Path(scheduler.dqdir)]
    scheduler.close("finished")


def test_a_jobdir_run_queues_in_its_jobdir_and_keeps_it_to_resume(tmp_path):
    jobdir = tmp_path / "archive.db.jobdir"
    scheduler = open_scheduler(tmp_path / "archive.db", JOBDIR=str(jobdir))
    assert queue_folders(tmp_path / "archive.db") == []
    for request in requests_of(scheduler, 5):
        scheduler.enqueue_request(request)
    scheduler.close("shutdown")
    assert (jobdir / "requests.queue" / "active.json").exists()
    resumed = open_scheduler(tmp_path / "archive.db", JOBDIR=str(jobdir))
    assert len(resumed) == 5
    resumed.close("finished")


def test_a_resumed_run_takes_each_entry_out_of_its_queue_once(tmp_path):
    # issue 19: the paused run's queue (JOBDIR) and the archive's frontier held the same entries
    jobdir = tmp_path / "archive.db.jobdir"
    scheduler = open_scheduler(tmp_path / "archive.db", JOBDIR=str(jobdir))
    spider = scheduler.spider

    def entry(address: str, **meta) -> scrapy.Request:
        meta = {"tuban_kind": "entry", "canonical_url": "https://t.id/entry/a", **meta}
        return scrapy.Request(address, callback=spider.parse, meta=meta, dont_filter=True)

    scheduler.enqueue_request(entry("http://www.t.id/entry/a?utm_source=x"))  # the paused run's
    scheduler.close("shutdown")
    resumed = open_scheduler(tmp_path / "archive.db", JOBDIR=str(jobdir))
    resumed.enqueue_request(entry("https://t.id/entry/a"))  # the frontier's, asked again
    resumed.enqueue_request(entry("https://t.id/entry/a", retry_times=1))  # a retry goes on
    resumed.enqueue_request(entry("https://t.id/entry/b", canonical_url="https://t.id/entry/b"))
    taken = []
    while (request := resumed.next_request()) is not None:
        taken.append((request.meta["canonical_url"], request.meta.get("retry_times")))
    assert sorted(taken, key=str) == [
        ("https://t.id/entry/a", 1),
        ("https://t.id/entry/a", None),
        ("https://t.id/entry/b", None),
    ]
    assert resumed.stats.get_value("tuban/entries_queued_twice") == 1
    resumed.close("finished")


def test_a_queue_that_cannot_be_written_keeps_the_request_in_memory_and_halts_the_run(
    tmp_path, monkeypatch
):
    scheduler = open_scheduler(tmp_path / "archive.db")

    def full(request):
        raise OSError(errno.ENOSPC, "No space left on device", scheduler.dqdir)

    halts = []  # halt_crawl itself (stats, closing the engine) is test_halt's
    monkeypatch.setattr(scheduler_module, "halt_crawl", lambda crawler, cause: halts.append(cause))
    monkeypatch.setattr(scheduler.dqs, "push", full)
    (request,) = requests_of(scheduler, 1)
    assert scheduler.enqueue_request(request)
    assert scheduler.next_request() is request  # not lost
    assert len(halts) == 1 and halts[0].startswith(
        "No space left on device"
    )  # the run stops, as for the archive's
    scheduler.close("archive_failed")
    assert queue_folders(tmp_path / "archive.db") == []


@pytest.fixture(scope="module")
def portal():
    with PortalServer(articles=30, seed=2) as server:
        yield server


def test_a_crawl_leaves_no_queue_folder_behind(portal, tmp_path):
    db = tmp_path / "archive.db"
    result = crawl(db, portal.base_url, "-s", "LOG_LEVEL=INFO")
    assert result.returncode == 0, result.stderr[-3000:]
    assert (
        "scheduler/enqueued/disk" in result.stderr
    )  # Scrapy's closing stats: the queue was on disk
    assert "scheduler/enqueued/memory" not in result.stderr
    assert queue_folders(db) == []
