"""Any page → the links that lead to more of the portal: pure functions, no Scrapy objects.

The spider decides where to go; this reads what a page offers (entry links, next pages,
category pages, and the dates a listing writes beside its links).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from lxml import etree

from tuban_crawler import xpaths
from tuban_crawler.markup import parse_html, text_of


@dataclass
class PageLinks:
    """The links of one page that lead to more of the portal."""

    entries: list[str] = field(default_factory=list)
    next_pages: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    dates: dict[str, str] = field(default_factory=dict)  # entry link → date written beside it


def listing_dates(doc: etree._Element, base_url: str) -> dict[str, str]:
    """Return {absolute entry link: date as written} for links whose listing item shows one date.

    A block holding several entry links says nothing certain about any one of them, so
    only items with a single entry link count.
    """
    dates: dict[str, str] = {}
    for anchor in xpaths.ENTRY_ANCHORS(doc):
        items = xpaths.LISTING_ITEM(anchor)
        if not items or len(xpaths.ENTRY_ANCHORS(items[0])) > 1:
            continue
        # Text pieces joined by spaces: a title running into its date must not hide it.
        text = text_of(" ".join(items[0].itertext()))
        found = {m.group(0) for m in xpaths.PORTAL_DATE_IN_TEXT.finditer(text)}
        if len(found) == 1:
            links = _absolute_links([anchor.get("href", "")], base_url)
            if links:
                dates.setdefault(links[0], found.pop())
    return dates


def page_links(html: str | bytes | etree._Element, base_url: str) -> PageLinks:
    """Return the absolute entry, next-page and category links of any page, without repeats."""
    doc = parse_html(html)
    return PageLinks(
        entries=_absolute_links(xpaths.ENTRY_LINKS(doc), base_url),
        next_pages=_absolute_links(xpaths.NEXT_PAGE_LINKS(doc), base_url),
        categories=_absolute_links(xpaths.CATEGORY_LINKS(doc), base_url),
        dates=listing_dates(doc, base_url),
    )


def _absolute_links(hrefs: list[str], base_url: str) -> list[str]:
    links: list[str] = []
    for href in hrefs:
        href = href.strip()
        if not href or href.startswith(("javascript:", "mailto:", "tel:", "#")):
            continue
        try:
            absolute = urljoin(base_url, href)
            urlsplit(absolute).port  # raises on a port that is not a number
        except ValueError:  # a malformed link (http://[::1, host:P:80) is skipped, never fatal to its page
            continue
        if absolute not in links:
            links.append(absolute)
    return links
