"""A bounded frontier: what one run may request of an unknown site, and what was cut.

Every crawler of a site it has never seen needs bounds (Heritrix's and Browsertrix's
frontiers have them): a listing that links three "next" pages from every page, or a
calendar that links the next month forever, must stop under a cap and say so in the run
report, not grow until the process is killed (issue 9).

``FrontierBudget`` is the pure policy; ``crawl.spidermiddlewares.budget`` applies it to what
the spider yields. The spider tags every request with its kind (``listing``, ``entry``,
``sitemap``, ``feed``) and every listing with its hub, the first page of its chain
(``crawl.meta``); the depth is Scrapy's (``DepthMiddleware``: hops from a start page).

The caps, each a setting:

- ``TUBAN_MAX_LISTING_PAGES``: listing pages per hub, every branch of its pagination counted;
- ``TUBAN_MAX_LISTING_PAGES_PER_RUN``, ``TUBAN_MAX_ENTRIES_PER_RUN``: all listings, all entries
  of one site (issue 22: a trap on one office's site never starves the portal's run);
- ``TUBAN_MAX_REQUESTS_PER_HOST``: everything the crawl discovers on one host (port included);
- ``TUBAN_MAX_LISTING_DEPTH``: listing hops from a start page;
- ``TUBAN_MAX_URLS_PER_SHAPE``: URLs that differ only in their digits (``/agenda/2024-01-05``,
  ``?bulan=2024-02``: a calendar or a counter) among entries, hubs, sitemaps and feeds.

A listing linked from a listing of the same path or the same shape joins its hub (a calendar
whose months link each other is one chain, whatever the links are called). Entries are admitted once, by
canonical URL, when the spider announces them (``DiscoveredEntries``), so an entry cut here
never enters the archive's frontier either.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from tuban_crawler import settings as defaults
from tuban_crawler.discover.sites import site_of

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings

_DIGITS = re.compile(r"\d+")
#: Shapes shown in the run report, most cut first.
REPORTED_SHAPES = 10


def url_shape(url: str) -> str:
    """Return URL with every run of digits replaced by ``#`` (scheme and fragment dropped).

    >>> url_shape("https://tubankab.go.id/agenda?bulan=2024-01#x")
    'tubankab.go.id/agenda?bulan=#-#'
    """
    parts = urlsplit(url)
    return _DIGITS.sub(
        "#", parts.netloc.lower() + parts.path + (f"?{parts.query}" if parts.query else "")
    )


def same_listing(url: str, other: str) -> bool:
    """Return True when URL and OTHER are pages of one listing: the same path, or the same shape.

    >>> same_listing("http://h/kategori/a?page=3&v=ab", "http://h/kategori/a?page=2&v=a")
    True
    >>> same_listing("http://h/berita/page/3", "http://h/berita/page/2")
    True
    """
    return urlsplit(url).path == urlsplit(other).path or url_shape(url) == url_shape(other)


#: Each cap's setting: its value in ``settings.py`` is the cap's default.
CAP_SETTINGS = {
    "pages_per_hub": "TUBAN_MAX_LISTING_PAGES",
    "listing_pages": "TUBAN_MAX_LISTING_PAGES_PER_RUN",
    "entries": "TUBAN_MAX_ENTRIES_PER_RUN",
    "requests_per_host": "TUBAN_MAX_REQUESTS_PER_HOST",
    "listing_depth": "TUBAN_MAX_LISTING_DEPTH",
    "per_shape": "TUBAN_MAX_URLS_PER_SHAPE",
}


@dataclass(frozen=True)
class Caps:
    """The bounds of one run (see the module docstring); by default the project's settings."""

    pages_per_hub: int = defaults.TUBAN_MAX_LISTING_PAGES
    listing_pages: int = defaults.TUBAN_MAX_LISTING_PAGES_PER_RUN
    entries: int = defaults.TUBAN_MAX_ENTRIES_PER_RUN
    requests_per_host: int = defaults.TUBAN_MAX_REQUESTS_PER_HOST
    listing_depth: int = defaults.TUBAN_MAX_LISTING_DEPTH
    per_shape: int = defaults.TUBAN_MAX_URLS_PER_SHAPE

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> Caps:
        """Return the caps set by the ``TUBAN_MAX_*`` SETTINGS (those it lacks: the project's)."""
        return cls(
            **{
                cap: settings.getint(name)
                for cap, name in CAP_SETTINGS.items()
                if settings.get(name) is not None
            }
        )


class FrontierBudget:
    """Counts what a run admits and decides what it cuts (no Scrapy objects needed)."""

    def __init__(self, caps: Caps) -> None:
        self.caps = caps
        self.admitted: set[str] = set()  # URLs (entries: canonical URLs) already let through
        self.hub_pages: Counter[str] = Counter()
        self.host_requests: Counter[str] = Counter()
        self.shape_urls: Counter[str] = Counter()
        self.kinds: Counter[str] = Counter()
        self.site_kinds: Counter[tuple[str, str]] = Counter()  # (site, kind) → admitted
        self.cut: Counter[str] = Counter()  # cap → requests cut
        self.cut_shapes: Counter[str] = Counter()  # shape → requests cut by the shape cap

    def admit(self, url: str, kind: str, hub: str | None = None, depth: int = 0) -> str | None:
        """Return None when URL may be requested (and count it), else the name of the cap that cuts it.

        Parameters:
            url: the URL (for entries, the canonical URL: an entry is admitted once).
            kind: ``listing``, ``entry``, ``sitemap`` or ``feed``.
            hub: for a listing, the first page of its chain.
            depth: listing hops from a start page.

        >>> budget = FrontierBudget(Caps(per_shape=2))
        >>> [budget.admit(f"http://h/agenda/{d}", "entry") for d in (1, 2, 3)]
        [None, None, 'per_shape']
        """
        if url in self.admitted:
            return None
        host = urlsplit(url).netloc.lower()
        site = site_of(url)
        shape = url_shape(url)
        caps = self.caps
        checks = [("requests_per_host", self.host_requests[host] >= caps.requests_per_host)]
        if kind == "listing":
            hub = hub or url
            checks += [
                ("listing_depth", depth > caps.listing_depth),
                ("pages_per_hub", self.hub_pages[hub] >= caps.pages_per_hub),
                ("listing_pages", self.site_kinds[site, "listing"] >= caps.listing_pages),
            ]
        elif kind == "entry":
            checks.append(("entries", self.site_kinds[site, "entry"] >= caps.entries))
        if kind != "listing" or url == hub:  # pagination within a hub is bounded by its hub
            checks.append(("per_shape", self.shape_urls[shape] >= caps.per_shape))
        for cap, exceeded in checks:
            if exceeded:
                self.cut[cap] += 1
                if cap == "per_shape":
                    self.cut_shapes[shape] += 1
                return cap
        self.admitted.add(url)
        self.host_requests[host] += 1
        self.kinds[kind] += 1
        self.site_kinds[site, kind] += 1
        if kind == "listing":
            self.hub_pages[hub or url] += 1
        if kind != "listing" or url == hub:
            self.shape_urls[shape] += 1
        return None

    def summary(self) -> dict[str, Any]:
        """Return what was cut, by cap, and the URL shapes cut most (for the run report)."""
        return {
            "by_cap": dict(self.cut),
            "shapes": dict(self.cut_shapes.most_common(REPORTED_SHAPES)),
        }
