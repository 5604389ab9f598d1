"""A bounded frontier: what one run may request of an unknown site, and what was cut.

Every crawler of a site it has never seen needs bounds (Heritrix's and Browsertrix's
frontiers have them): a listing that links three "next" pages from every page, or a
calendar that links the next month forever, must stop under a cap and say so in the run
report, not grow until the process is killed (issue 9).

``FrontierBudget`` is the pure policy; ``FrontierBudgetMiddleware`` applies it to what the
spider yields. The spider tags every request with ``meta["tuban_kind"]`` (``listing``,
``entry``, ``sitemap``, ``feed``) and every listing with ``meta["hub"]``, the first page
of its chain; ``meta["depth"]`` is Scrapy's (``DepthMiddleware``: hops from a start page).

The caps, each a setting:

- ``TUBAN_MAX_LISTING_PAGES``: listing pages per hub, every branch of its pagination counted;
- ``TUBAN_MAX_LISTING_PAGES_PER_RUN``, ``TUBAN_MAX_ENTRIES_PER_RUN``: all listings, all entries;
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

import logging
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.settings import BaseSettings
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware

from tuban_crawler.items import DiscoveredEntries

logger = logging.getLogger(__name__)

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


def _same_listing(url: str, other: str) -> bool:
    """Return True when URL and OTHER are pages of one listing: the same path, or the same shape.

    >>> _same_listing("http://h/kategori/a?page=3&v=ab", "http://h/kategori/a?page=2&v=a")
    True
    >>> _same_listing("http://h/berita/page/3", "http://h/berita/page/2")
    True
    """
    return urlsplit(url).path == urlsplit(other).path or url_shape(url) == url_shape(other)


@dataclass(frozen=True)
class Caps:
    """The bounds of one run (see the module docstring)."""

    pages_per_hub: int = 2000
    listing_pages: int = 20_000
    entries: int = 100_000
    requests_per_host: int = 150_000
    listing_depth: int = 2500
    per_shape: int = 1000

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> Caps:
        """Return the caps set by the ``TUBAN_MAX_*`` settings."""
        return cls(
            pages_per_hub=settings.getint("TUBAN_MAX_LISTING_PAGES", cls.pages_per_hub),
            listing_pages=settings.getint("TUBAN_MAX_LISTING_PAGES_PER_RUN", cls.listing_pages),
            entries=settings.getint("TUBAN_MAX_ENTRIES_PER_RUN", cls.entries),
            requests_per_host=settings.getint("TUBAN_MAX_REQUESTS_PER_HOST", cls.requests_per_host),
            listing_depth=settings.getint("TUBAN_MAX_LISTING_DEPTH", cls.listing_depth),
            per_shape=settings.getint("TUBAN_MAX_URLS_PER_SHAPE", cls.per_shape),
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
        shape = url_shape(url)
        caps = self.caps
        checks = [("requests_per_host", self.host_requests[host] >= caps.requests_per_host)]
        if kind == "listing":
            hub = hub or url
            checks += [
                ("listing_depth", depth > caps.listing_depth),
                ("pages_per_hub", self.hub_pages[hub] >= caps.pages_per_hub),
                ("listing_pages", self.kinds["listing"] >= caps.listing_pages),
            ]
        elif kind == "entry":
            checks.append(("entries", self.kinds["entry"] >= caps.entries))
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


class FrontierBudgetMiddleware(BaseSpiderMiddleware):
    """Drop the requests (and announced entries) a run's caps cut, counting them in the stats."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.budget = FrontierBudget(Caps.from_settings(crawler.settings))

    def get_processed_request(self, request: Request, response: Response | None) -> Request | None:
        """Return REQUEST, or None when a cap cuts it (start requests are the archive's own work: never cut)."""
        kind = request.meta.get("tuban_kind")
        if response is None or kind is None:
            return request
        if kind == "listing" and response.meta.get("tuban_kind") == "listing":
            parent_hub = response.meta.get("hub") or response.url
            if _same_listing(request.url, response.url):
                request.meta["hub"] = (
                    parent_hub  # a calendar, or pagination reached as a "category", is one chain
                )
        url = request.meta.get("canonical_url", request.url) if kind == "entry" else request.url
        cap = self.budget.admit(url, kind, request.meta.get("hub"), request.meta.get("depth", 0))
        if cap is None:
            return request
        self._count_cut(cap, url)
        return None

    def get_processed_item(self, item: Any, response: Response | None) -> Any:
        """Return ITEM, without the announced entries a cap cuts (they never enter the frontier)."""
        if response is None or not isinstance(item, DiscoveredEntries):
            return item
        kept = {}
        for url, hint in item.entries.items():
            cap = self.budget.admit(url, "entry")
            if cap is None:
                kept[url] = hint
            else:
                self._count_cut(cap, url)
        return DiscoveredEntries(kept) if kept else None

    def _count_cut(self, cap: str, url: str) -> None:
        stats = self.crawler.stats
        if not stats.get_value(f"tuban/cut/{cap}"):
            logger.warning(
                "cap %s reached (first cut: %s); what it cuts is counted in the run report",
                cap,
                url,
            )
        stats.inc_value(f"tuban/cut/{cap}")
        stats.set_value(
            "tuban/cut_shapes", dict(self.budget.cut_shapes.most_common(REPORTED_SHAPES))
        )


class RedirectLoopMiddleware:
    """Downloader middleware: a redirect loop or an over-long chain fails its request with the path it took.

    Scrapy's RedirectMiddleware drops the second visit of a loop as a duplicate without a word
    (and says only "max redirections reached" of a long chain); entry pages, which the spider
    follows itself (``dont_redirect``), are checked by the spider.
    """

    def __init__(self, max_redirects: int) -> None:
        self.max_redirects = max_redirects

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedirectLoopMiddleware:
        """Return the middleware, bounded by ``REDIRECT_MAX_TIMES``."""
        return cls(crawler.settings.getint("REDIRECT_MAX_TIMES"))

    def process_response(self, request: Request, response: Response) -> Response:
        """Return RESPONSE, or raise ``IgnoreRequest`` naming the loop or the chain it would extend."""
        location = response.headers.get(b"Location")
        if (
            request.meta.get("dont_redirect")
            or response.status not in (301, 302, 303, 307, 308)
            or not location
        ):
            return response
        target = urljoin(request.url, location.decode("latin-1"))
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if target in chain:
            raise IgnoreRequest("redirect loop: " + " -> ".join([*chain, target]))
        if len(chain) > self.max_redirects:
            raise IgnoreRequest(
                f"redirect chain longer than {self.max_redirects}: " + " -> ".join([*chain, target])
            )
        return response
