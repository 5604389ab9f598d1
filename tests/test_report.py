import pytest

from tuban_crawler.store.report import RunReport


def stats(**values):
    base = {
        "finish_reason": "finished",
        "tuban/entries_discovered": 50,
        "tuban/mode": "incremental",
        "downloader/request_count": 60,
        "archive/new": 20,
        "coverage/seen": 24,
        "coverage/articles": 20,
        "coverage/title": 24,
        "coverage/published": 20,
        "coverage/author": 18,
        "coverage/body": 24,
    }
    base.update(values)
    return base


@pytest.mark.parametrize(
    "values, status, problem",
    [
        ({}, "ok", None),
        (
            {"tuban/entries_discovered": 0, "coverage/seen": 0, "coverage/articles": 0},
            "broken",
            "no article was discovered",
        ),
        ({"coverage/title": 10}, "broken", "of pages had a title"),
        ({"coverage/body": 12}, "broken", "of pages had a body"),
        ({"coverage/published": 15}, "broken", "of articles had a date"),
        ({"coverage/published": 16}, "ok", None),
        # evergreen pages have no date: dates are counted among articles only
        ({"coverage/seen": 30, "coverage/title": 30, "coverage/body": 30}, "ok", None),
        # a small night: a few pages short is luck, every page short is a changed layout
        (
            {
                "coverage/seen": 8,
                "coverage/articles": 8,
                "coverage/title": 8,
                "coverage/body": 8,
                "coverage/published": 5,
            },
            "ok",
            None,
        ),
        (
            {
                "coverage/seen": 8,
                "coverage/articles": 8,
                "coverage/title": 8,
                "coverage/body": 8,
                "coverage/published": 0,
            },
            "broken",
            "of articles had a date",
        ),
        # too few pages or articles to judge coverage by
        (
            {
                "coverage/seen": 3,
                "coverage/articles": 3,
                "coverage/title": 0,
                "coverage/body": 0,
                "coverage/published": 0,
            },
            "ok",
            None,
        ),
        ({"finish_reason": "shutdown"}, "interrupted", None),
        # more than a small share of the entries fetched refused or failed (issue 18)
        (
            {"archive/new": 2, "archive/rejected": 18},
            "broken",
            "18 of the 20 entries fetched were refused or failed",
        ),
        ({"archive/new": 18, "archive/kept": 1, "archive/entries_failed": 1}, "ok", None),
        (
            {"archive/new": 18, "archive/failed": 3, "archive/entries_failed": 3},
            "broken",
            "3 of the 21 entries fetched",
        ),
        ({"archive/new": 18, "archive/failed": 5}, "ok", None),  # listings, not entries
        (
            {"archive/new": 0, "archive/failed": 6, "archive/entries_failed": 6},
            "broken",
            "6 of the 6 entries fetched",
        ),
        (
            {"archive/new": 2, "archive/entries_failed": 3},
            "ok",
            None,
        ),  # too few to judge by a share
    ],
)
def test_status(values, status, problem):
    got_status, counts, report = RunReport().summarise(stats(**values), frontier=0)
    assert got_status == status
    if problem:
        assert any(problem in p for p in report["problems"])
    else:
        assert report["problems"] == []


def test_counts_and_backfill_flag():
    _, counts, report = RunReport().summarise(
        stats(**{"tuban/mode": "backfill", "archive/kept": 2, "archive/failed": 1}), frontier=0
    )
    assert counts["requests"] == 60 and counts["new"] == 20 and counts["failed"] == 3
    assert counts["coverage_author"] == 0.9
    assert report["backfill_complete"] is True
    _, _, report = RunReport().summarise(stats(**{"tuban/mode": "backfill"}), frontier=4)
    assert report["backfill_complete"] is False


def test_a_finished_run_that_left_discovered_entries_unarchived_is_not_ok():
    stats = {"tuban/entries_discovered": 10, "finish_reason": "finished", "tuban/mode": "backfill"}
    status, _, report = RunReport().summarise(stats, frontier=3)
    assert status == "broken" and not report["backfill_complete"]
    assert "3 discovered entries were neither archived nor recorded as failed" in report["problems"]


def test_a_halted_run_is_failed_with_its_cause():
    stats = {
        "tuban/entries_discovered": 10,
        "finish_reason": "archive_failed",
        "tuban/halted": "No space left on device",
    }
    status, _, report = RunReport().summarise(stats, frontier=3)
    assert status == "failed" and "No space left on device" in report["problems"][0]


# -- compared with what the site announces and with the archive's history (issue 8) --------
HISTORY = {
    "coverage": {
        "articles": 500,
        "published": 1.0,
        "author": 0.99,
        "categories": 0.99,
        "views": 0.98,
    },
    "last_walk": {"run_id": "r1", "listing_pages": 40, "hub_pages": {"https://t.id/warta": 30}},
}


@pytest.mark.parametrize(
    "values, problem",
    [
        ({"coverage/categories": 20, "coverage/views": 20}, None),
        # every view count lost: the page coverage alone would have said nothing
        (
            {"coverage/categories": 20, "coverage/views": 0},
            "only 0% of articles had a view count; the archive held",
        ),
        ({"coverage/author": 2, "coverage/categories": 20, "coverage/views": 20}, "had an author"),
        # most listings lost in a walk of the whole site
        (
            {
                "tuban/mode": "full",
                "tuban/walk/listing_pages": 3,
                "coverage/categories": 20,
                "coverage/views": 20,
            },
            "walked 3 listing pages; the last full walk (r1) walked 40",
        ),
        (
            {
                "tuban/mode": "full",
                "tuban/walk/listing_pages": 38,
                "coverage/categories": 20,
                "coverage/views": 20,
            },
            None,
        ),
        # an incremental run checks the main listings still list articles
        (
            {
                "tuban/walk/lost_main_hubs": ["https://t.id/warta"],
                "coverage/categories": 20,
                "coverage/views": 20,
            },
            "the listing https://t.id/warta (30 pages in the last full walk) lists no articles now",
        ),
        # what the sitemaps and feeds list but the run never reached
        (
            {
                "tuban/walk/announced": 100,
                "tuban/walk/announced_unreached": 60,
                "coverage/categories": 20,
                "coverage/views": 20,
            },
            "60 of the 100 entries the sitemaps and feeds list were never reached",
        ),
        (
            {
                "tuban/walk/announced": 100,
                "tuban/walk/announced_unreached": 2,
                "coverage/categories": 20,
                "coverage/views": 20,
            },
            None,
        ),
    ],
)
def test_losses_against_history(values, problem):
    status, _, report = RunReport().summarise(stats(**values), frontier=0, history=HISTORY)
    if problem:
        assert status == "broken" and any(problem in p for p in report["problems"]), report[
            "problems"
        ]
    else:
        assert status == "ok", report["problems"]


def test_no_history_no_comparison():
    status, _, report = RunReport().summarise(
        stats(**{"coverage/views": 0}), frontier=0, history={}
    )
    assert status == "ok" and report["coverage_views"] == 0.0
