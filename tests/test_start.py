"""Tests for tuban_crawler.discover.start: the run's mode, the archive's own work, start pages."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from tuban_crawler.discover.start import (
    ASK,
    HOLD,
    PRIORITY_FAILED,
    PRIORITY_FRONTIER,
    PRIORITY_REVISIT,
    SKIP,
    archive_work,
    caught_up,
    revisit_since,
    run_mode,
    start_page,
)

H = "https://tubankab.go.id"
WALK = {
    "hub_pages": {f"{H}/berita": 40, f"{H}/kategori/umum": 3},
    "covered_starts": {f"{H}/": f"{H}/berita", f"{H}/lain": f"{H}/kategori/umum"},
}


@pytest.mark.parametrize(
    ("requested", "backfill_done", "mode"),
    [
        ("incremental", True, "incremental"),
        # A first backfill killed halfway is finished by the next run.
        ("incremental", False, "backfill"),
        ("full", False, "full"),
        ("full", True, "full"),
    ],
)
def test_the_run_mode_follows_the_archive(requested: str, backfill_done: bool, mode: str) -> None:
    assert run_mode(requested, backfill_done) == mode


def test_revisits_start_days_before_now_in_wib() -> None:
    now = datetime(2026, 12, 8, 18, 30, tzinfo=timezone.utc)
    assert revisit_since(7.0, now) == "2026-12-02T01:30:00+07:00"
    assert revisit_since(0.5, now) == "2026-12-08T13:30:00+07:00"


def test_the_archive_work_comes_in_order_failures_frontier_revisits_then_the_rest() -> None:
    work = list(
        archive_work(
            failed=[f"{H}/entry/failed", f"{H}/berita?page=9"],
            frontier={f"{H}/entry/left": "26 Juli 2017"},
            revisit={f"{H}/entry/new"},
            known={f"{H}/entry/new", f"{H}/entry/old"},
            mode="full",
        )
    )
    assert [(w.url, w.priority, w.page, w.force) for w in work] == [
        (f"{H}/entry/failed", PRIORITY_FAILED, False, True),
        (f"{H}/berita?page=9", PRIORITY_FAILED, True, True),
        (f"{H}/entry/left", PRIORITY_FRONTIER, False, False),
        (f"{H}/entry/new", PRIORITY_REVISIT, False, True),
        (f"{H}/entry/old", 0, False, True),
    ]
    assert work[2].hint == "26 Juli 2017" and work[2].past_filter


def test_only_a_full_run_fetches_every_archived_entry_again() -> None:
    work = archive_work([], {}, set(), {f"{H}/entry/old"}, "incremental")
    assert list(work) == []


@pytest.mark.parametrize(
    ("url", "mode", "due", "last", "action"),
    [
        # A walk of the whole site asks for every start page.
        (f"{H}/", "backfill", False, {"status": 200}, ASK),
        # Due again (or never read): asked.
        (f"{H}/", "incremental", True, {"status": 200}, ASK),
        # A home page repeating the main listing: held like the sources.
        (f"{H}/", "incremental", False, {"status": 200}, HOLD),
        # One that answered 404 is not asked again before it is due.
        (f"{H}/hilang", "incremental", False, {"status": 404}, SKIP),
        # A main listing lost is loud: asked, whatever it answered.
        (f"{H}/berita", "incremental", False, {"status": 404}, ASK),
        # A start page covered by a listing that is not a main one: asked.
        (f"{H}/lain", "incremental", False, {"status": 200}, ASK),
    ],
)
def test_a_start_page_is_asked_held_or_skipped(
    url: str, mode: str, due: bool, last: dict, action: str
) -> None:
    assert start_page(url, mode, due, WALK, last, lambda link: True) == action


def test_a_start_page_covered_by_a_listing_off_the_site_is_asked() -> None:
    assert start_page(f"{H}/", "incremental", False, WALK, {}, lambda link: False) == ASK


@pytest.mark.parametrize(
    ("hubs", "last_walk", "lost", "failed", "expected"),
    [
        ({f"{H}/berita"}, WALK, False, False, True),
        # Only the main listings decide when there are some.
        ({f"{H}/kategori/umum"}, WALK, False, False, False),
        # Without a last walk, any listing that caught up.
        ({f"{H}/kategori/umum"}, None, False, False, True),
        (set(), None, False, False, False),
        # A main listing lost, or a page of a chain failed: not caught up.
        ({f"{H}/berita"}, WALK, True, False, False),
        ({f"{H}/berita"}, WALK, False, True, False),
    ],
)
def test_a_run_caught_up_when_its_main_listings_reached_archived_articles(
    hubs: set, last_walk: dict | None, lost: bool, failed: bool, expected: bool
) -> None:
    assert caught_up(hubs, last_walk, lost_main=lost, failed=failed) is expected
