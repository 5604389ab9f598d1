"""Tests of walk: what one run's discovery saw, kept for the run report."""

from tuban_crawler.walk import Walk, main_hubs, walk_record


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
