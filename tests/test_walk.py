"""Tests of walk: what one run's discovery saw, kept for the run report."""

from tuban_crawler.discover.walk import Walk, main_hubs, update_covered_starts, walk_record


def test_an_announced_entry_is_unreached_until_fetched_whatever_the_order():
    walk = Walk()
    walk.announce("https://t.id/entry/a", known=False)
    walk.announce("https://t.id/entry/b", known=True)  # archived before: nothing to reach
    walk.reached("https://t.id/entry/c")
    walk.announce("https://t.id/entry/c", known=False)  # reached before the feed listed it
    assert walk.stats()["tuban/walk/announced"] == 3
    assert walk.stats()["tuban/walk/announced_unreached"] == 1
    walk.reached("https://t.id/entry/a")
    assert walk.stats()["tuban/walk/announced_unreached"] == 0


def test_listing_pages_by_hub_and_the_main_listings():
    walk = Walk()
    for _ in range(10):
        walk.listing_page("https://t.id/warta", from_start=True)
    walk.listing_page("https://t.id/tag/mtq", from_start=False)
    record = walk_record(walk, "run-1")
    assert (record["listing_pages"], record["hubs"]) == (11, 2)
    assert main_hubs(record) == {"https://t.id/warta": 10}
    assert main_hubs(None) == {}


def test_a_start_page_repeating_the_main_listing_is_covered_by_it():
    walk = Walk()
    newest = frozenset(f"https://t.id/entry/{n}" for n in range(20))
    for _ in range(10):
        walk.listing_page("https://t.id/warta", from_start=True)
    walk.first_page("https://t.id/warta", newest, start=False)
    walk.listing_page("https://t.id/", from_start=True)
    walk.first_page(
        "https://t.id/", frozenset(list(newest)[:5]), start=True
    )  # its news: the newest five
    walk.listing_page("https://t.id/pengumuman", from_start=True)
    walk.first_page("https://t.id/pengumuman", frozenset({"https://t.id/entry/other"}), start=True)
    assert walk.covered_starts() == {
        "https://t.id/": "https://t.id/warta",
        "https://t.id/pengumuman": None,
    }
    record = walk_record(walk, "run-1")
    assert record["covered_starts"] == {"https://t.id/": "https://t.id/warta"}

    # a night that read the home page again and found news the main listing does not show
    night = Walk()
    night.listing_page("https://t.id/warta", from_start=True)
    night.first_page("https://t.id/warta", newest, start=False)
    night.listing_page("https://t.id/", from_start=True)
    night.first_page("https://t.id/", frozenset({"https://t.id/entry/only-at-home"}), start=True)
    assert update_covered_starts(record, night)["covered_starts"] == {}
    assert (
        update_covered_starts(record, Walk())["covered_starts"] == record["covered_starts"]
    )  # not read: kept
