"""Tests for tuban_crawler.crawl.extensions.run_recorder: the run's lock, row and report (no crawl)."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.exceptions import CloseSpider, NotConfigured
from scrapy.utils.test import get_crawler

from tuban_crawler import settings as project
from tuban_crawler.crawl.extensions.run_recorder import REFUSED_STAT, ArchiveReads, RunRecorder
from tuban_crawler.crawl.signals import archive_opened, run_closing
from tuban_crawler.discover.walk import Discovery, Walk
from tuban_crawler.store.archive import ArchiveStore


def recorder_for(db: Path, run_id: str, **settings: object) -> RunRecorder:
    values = {name: value for name, value in vars(project).items() if name.isupper()}
    values.update(TWISTED_REACTOR=None, ARCHIVE_DB=str(db), RUN_ID=run_id, TUBAN_WRITE_ARCHIVE=True)
    values.update(settings)
    return RunRecorder.from_crawler(get_crawler(settings_dict=values))


def test_a_run_is_recorded_from_its_start_to_its_report(tmp_path: Path) -> None:
    recorder = recorder_for(tmp_path / "archive.db", "run1")
    recorder.spider_opened()
    recorder.spider_closed("finished")
    with ArchiveStore(tmp_path / "archive.db").open() as store:
        run = store.last_run()
    assert run is not None
    assert run["run_id"] == "run1" and run["finished_at"]
    assert run["status"] in ("ok", "broken") and run["report"]


def test_a_second_crawl_of_a_locked_archive_is_closed_before_it_starts(tmp_path: Path) -> None:
    first = recorder_for(tmp_path / "archive.db", "run1")
    first.spider_opened()
    second = recorder_for(tmp_path / "archive.db", "run2")
    with pytest.raises(CloseSpider) as closed:
        second.spider_opened()
    assert closed.value.reason == "archive_busy"
    assert second.crawler.stats.get_value(REFUSED_STAT)
    second.spider_closed("archive_busy")  # releases nothing it does not hold
    first.spider_closed("finished")
    with ArchiveStore(tmp_path / "archive.db").open() as store:
        assert (store.last_run() or {}).get("run_id") == "run1"


def test_only_a_crawl_records_a_run(tmp_path: Path) -> None:
    with pytest.raises(NotConfigured):
        recorder_for(tmp_path / "archive.db", "run1", TUBAN_WRITE_ARCHIVE=False)
    assert not (tmp_path / "archive.db").exists()


def test_the_recorder_hands_the_archive_it_opened_to_the_crawl(tmp_path: Path) -> None:
    recorder = recorder_for(tmp_path / "archive.db", "run1")
    handed: list[ArchiveReads] = []

    def keep(archive: ArchiveReads) -> None:
        handed.append(archive)

    recorder.crawler.signals.connect(keep, signal=archive_opened)
    recorder.spider_opened()
    assert handed == [recorder.store]  # one connection: the spider and middlewares read it
    assert handed[0].known_urls() == set()
    recorder.spider_closed("finished")


def test_a_refused_crawl_hands_no_archive(tmp_path: Path) -> None:
    first = recorder_for(tmp_path / "archive.db", "run1")
    first.spider_opened()
    second = recorder_for(tmp_path / "archive.db", "run2")
    handed: list[ArchiveReads] = []

    def keep(archive: ArchiveReads) -> None:
        handed.append(archive)

    second.crawler.signals.connect(keep, signal=archive_opened)
    with pytest.raises(CloseSpider):
        second.spider_opened()
    assert handed == []
    second.spider_closed("archive_busy")
    first.spider_closed("finished")


def test_the_recorder_keeps_what_the_spider_hands_over_at_close(tmp_path: Path) -> None:
    recorder = recorder_for(tmp_path / "archive.db", "run1")
    answered = {"checked_at": "2026-12-07T00:00:00+00:00", "status": 404}

    def hand_over() -> Discovery:
        return Discovery(walk=Walk(), sources={"https://tubankab.go.id/feed": answered})

    recorder.crawler.signals.connect(hand_over, signal=run_closing)
    recorder.spider_opened()
    recorder.spider_closed("finished")
    with ArchiveStore(tmp_path / "archive.db").open() as store:
        assert store.discovery_sources()["https://tubankab.go.id/feed"]["status"] == 404
