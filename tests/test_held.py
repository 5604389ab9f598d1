"""Tests for tuban_crawler.discover.held: pages held for a date, and the hints that release them."""

from __future__ import annotations

from dataclasses import dataclass

from tuban_crawler.discover.held import HeldPages


@dataclass
class Page:
    hint_published: str | None = None
    hint_modified: str | None = None


def test_a_held_page_is_released_by_the_first_date_beside_its_link() -> None:
    held: HeldPages[Page] = HeldPages()
    assert held.hint("u", "26 Juli 2017") is None  # nothing held yet: the hint is kept
    held.hold("u", page := Page())
    assert held.hint("u", "27 Juli 2017") is page
    assert page.hint_published == "26 Juli 2017"  # the first date seen wins
    assert not held and held.hint_for("u") == "26 Juli 2017"


def test_pages_still_held_at_the_end_get_what_hints_there_are() -> None:
    held: HeldPages[Page] = HeldPages()
    held.hold("a", a := Page())
    held.hold("b", b := Page())
    held.weak["b"] = "2017-07-26"  # a sitemap's lastmod: the last resort
    assert held.flush() == [a, b]
    assert (a.hint_published, a.hint_modified) == (None, None)
    assert (b.hint_published, b.hint_modified) == (None, "2017-07-26")
    assert held.flush() == []
