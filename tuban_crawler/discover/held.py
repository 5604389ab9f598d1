"""Pages held for a date: the dates written beside links, and the pages that show none of their own.

A page that shows no date (old ones do) may be listed with one on a listing page not walked
yet: it is held until a listing, feed or sitemap writes a date beside its link, or until the
crawl runs out of work, and never fetched a second time. A sitemap's ``lastmod`` is a weak
hint: the last resort, given only to the pages still held at the end.
"""

from __future__ import annotations

from typing import Generic, Protocol, TypeVar


class Dateable(Protocol):
    """A page's item, which carries the dates found beside its links."""

    hint_published: str | None
    hint_modified: str | None


Page = TypeVar("Page", bound=Dateable)


class HeldPages(Generic[Page]):
    """Date hints by canonical URL, and the pages waiting for one.

    >>> from types import SimpleNamespace as Item
    >>> held = HeldPages()
    >>> held.hold("u", Item(hint_published=None, hint_modified=None))
    >>> held.hint("u", "26 Juli 2017").hint_published, bool(held)
    ('26 Juli 2017', False)
    """

    def __init__(self) -> None:
        self.hints: dict[str, str] = {}  # canonical URL → date written beside a link to it
        self.weak: dict[str, str] = {}  # canonical URL → sitemap lastmod (a last resort)
        self.pages: dict[str, Page] = {}  # pages without a date, waiting for a hint

    def __bool__(self) -> bool:
        return bool(self.pages)

    def hint(self, url: str, hint: str) -> Page | None:
        """Return the page held for a date that HINT (written beside a link to URL) releases, or None.

        The first date seen beside a link to URL is the one kept.
        """
        self.hints.setdefault(url, hint)
        page = self.pages.pop(url, None)
        if page is not None:
            page.hint_published = self.hints[url]
        return page

    def hint_for(self, url: str) -> str | None:
        """Return the date written beside a link to URL, if one was seen."""
        return self.hints.get(url)

    def hold(self, url: str, page: Page) -> None:
        """Hold PAGE (at canonical URL) until a date is written beside a link to it."""
        self.pages[url] = page

    def flush(self) -> list[Page]:
        """Return every page still held, each with the hints found meanwhile (a sitemap's lastmod included)."""
        pages, self.pages = self.pages, {}
        for url, page in pages.items():
            page.hint_published = self.hints.get(url)
            page.hint_modified = self.weak.get(url)
        return list(pages.values())
