"""The spider's discovery callbacks: listings, hubs, sitemaps, feeds and robots.txt.

Listings are recognised by what they are, not by their path (issue 8): any in-scope page
that links to ``TUBAN_LISTING_MIN_ENTRIES`` distinct entries is a listing, and its
pagination is followed whatever it looks like (``links.next_page_links``). Hubs
(categories, tags, monthly archives, indexes) are the in-site pages a listing links to
that turn out to be listings themselves; a walk of the whole site (``backfill``,
``full``) tries each once, an ``incremental`` run walks the start pages and the main
listings of the last full walk until it is caught up. ``TUBAN_LISTING_PATTERNS`` can
name more listings; none is needed.

Every request carries ``meta[crawl.meta.KIND]`` (``listing``, ``entry``, ``sitemap``,
``feed``) and listings ``meta[crawl.meta.HUB]`` (the first page of their chain), which
``crawl.spidermiddlewares.budget.FrontierBudgetMiddleware`` bounds.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response, TextResponse

from tuban_crawler.crawl import meta
from tuban_crawler.discover.feeds import feed_entries, robots_sitemaps, sitemap_urls, unpack
from tuban_crawler.discover.leftout import LeftOut
from tuban_crawler.discover.links import PageLinks, listing_stem, page_links
from tuban_crawler.discover.urls import in_scope
from tuban_crawler.extract import markup
from tuban_crawler.store.report import LEFT_OUT_STAT

if TYPE_CHECKING:
    from twisted.python.failure import Failure

    from tuban_crawler.discover.scope import SiteScope
    from tuban_crawler.discover.sources import SourceAnswers
    from tuban_crawler.discover.start import ArchiveAtStart, CatchUp
    from tuban_crawler.discover.walk import Walk

    # The mixin runs only inside TubanSpider, a scrapy.Spider (settings, crawler, logger).
    _SpiderBase = scrapy.Spider
else:
    _SpiderBase = object

PRIORITY_LISTING = 5
_FEED_ROOT = re.compile(rb"^\s*(<\?xml[^>]*\?>\s*)?(<!--.*?-->\s*)*<(rss|feed|rdf:RDF)\b", re.S)
_SITEMAP_ROOT = re.compile(
    rb"^\s*(<\?xml[^>]*\?>\s*)?(<!--.*?-->\s*)*<(urlset|sitemapindex)\b", re.S
)


def document(response: TextResponse) -> Any:
    """Return the parsed page of RESPONSE, read as UTF-8 when it is (servers misdeclare charsets)."""
    return markup.parse_html(markup.decode_html(response.body, response.encoding))


class DiscoveryMixin(_SpiderBase):
    """Listing, hub, sitemap, feed and robots.txt callbacks of ``TubanSpider``."""

    if TYPE_CHECKING:  # the state and callbacks TubanSpider provides (see tuban.py)
        archived: ArchiveAtStart
        requested: set[str]

        @property
        def weak_hints(self) -> dict[str, str]: ...

        pages_requested: set[str]
        walk: Walk
        mode: str | None
        sources: SourceAnswers
        catch_up: CatchUp

        @property
        def base_url(self) -> str: ...
        @property
        def hosts(self) -> frozenset[str]: ...
        @property
        def scope(self) -> SiteScope: ...
        def canonical(self, url: str) -> str: ...
        def is_entry(self, url: str) -> bool: ...
        def on_error(self, failure: Failure) -> Iterable[Any]: ...
        def cleared(self, response: Response) -> Iterable[Any]: ...
        def flush_deferred(self) -> Iterable[Any]: ...
        def _discover_entries(
            self,
            links: Iterable[str],
            hints: dict[str, str] | None = None,
            entries: list[tuple[str, str]] | None = None,
        ) -> Iterable[Any]: ...

    @functools.cached_property
    def left_out(self) -> LeftOut:
        """Return the count of links to the regency's hosts not in scope (the run report names them)."""
        return LeftOut(self.hosts)

    @functools.cached_property
    def listing_patterns(self) -> list[re.Pattern[str]]:
        """Return the compiled TUBAN_LISTING_PATTERNS (paths always treated as listings)."""
        return [re.compile(p) for p in self.settings.getlist("TUBAN_LISTING_PATTERNS")]

    def page_request(
        self,
        url: str,
        callback: Any,
        priority: int = PRIORITY_LISTING,
        optional: bool = False,
        hub: str | None = None,
        extra_meta: Mapping[str, Any] | None = None,
    ) -> scrapy.Request:
        """Return a request for a discovery page (listing, sitemap, feed), tagged for the run's bounds.

        Parameters:
            url: the page to fetch.
            callback: ``parse_listing``, ``parse_sitemap``, ``parse_feed`` or ``parse_robots``.
            priority: scheduling priority.
            optional: a 404 is no failure (a guessed path: a sitemap, a feed, a start path).
            hub: for a listing, the first page of its chain (default: URL itself).
            extra_meta: more request meta (``crawl.meta.KNOWN_PAGES``, ``FROM_START``...).
        """
        kind = {self.parse_listing: "listing", self.parse_feed: "feed"}.get(callback, "sitemap")
        request_meta = {meta.OPTIONAL: optional, meta.KNOWN_PAGES: 0, meta.KIND: kind}
        request_meta.update(extra_meta or {})
        if kind == "listing":
            request_meta[meta.HUB] = hub or url
            request_meta[meta.FIRST_OF_CHAIN] = hub is None
        return scrapy.Request(
            url, callback=callback, errback=self.on_error, priority=priority, meta=request_meta
        )

    def source_request(
        self, url: str, callback: Any, priority: int = PRIORITY_LISTING, hold: bool = True
    ) -> scrapy.Request | None:
        """Return a request for a feed or sitemap at URL, or None when this run holds it back or skips it.

        An incremental run asks for a source read less than ``TUBAN_SOURCES_RECHECK_DAYS``
        ago only if its listings do not catch up (HOLD; a sitemap an index just listed is not
        held), skips one that answered 404 then, and asks for the others with the validators
        of their last answer (a ``304`` costs no body). A walk of the whole site asks for every one.
        """
        request = self.page_request(
            url,
            callback,
            priority=priority,
            optional=True,
            extra_meta={meta.SOURCE: url, "handle_httpstatus_list": [304]},
        )
        last = self.sources.last(url)
        if self.mode != "incremental" or not last:
            return request
        due = self.source_due(url)
        if not due and last.get("status") != 200:
            self.logger.info(
                "not asking %s: it answered %s on %s", url, last.get("status"), last["checked_at"]
            )
            return None
        if not due and hold:
            self.catch_up.held.append(request)
            return None
        if last.get("etag"):
            request.headers["If-None-Match"] = last["etag"]
        if last.get("last_modified"):
            request.headers["If-Modified-Since"] = last["last_modified"]
        return request

    def source_due(self, url: str) -> bool:
        """Return True when the source (or start page) at URL was never read, or not for TUBAN_SOURCES_RECHECK_DAYS."""
        return self.sources.due(url, self.settings.getfloat("TUBAN_SOURCES_RECHECK_DAYS"))

    def note_source(self, url: str, status: int, response: Response | None = None) -> None:
        """Remember what the source at URL answered (STATUS, and the validators of a 200 RESPONSE)."""
        validators = None
        if response is not None:
            etag, last_modified = (response.headers.get(h) for h in (b"ETag", b"Last-Modified"))
            validators = (
                etag.decode("latin-1") if etag else None,
                last_modified.decode("latin-1") if last_modified else None,
            )
        self.sources.note(url, status, validators)

    def _source_answered(self, response: Response) -> bool:
        """Return True when RESPONSE holds a source to read (not a ``304``), noting what it answered."""
        url = response.meta.get(meta.SOURCE)
        if url:
            self.note_source(url, response.status, response)
        if response.status == 304:
            self.crawler.stats.inc_value("tuban/sources_not_modified")
            return False
        return True

    def _once(self, url: str) -> bool:
        """Return True the first time a discovery page URL is asked for in this run.

        An index under an entry URL keeps its query (``/entry/indeks?hal=3`` is its own page).
        """
        key = url.split("#", 1)[0] if self.is_entry(url) else self.canonical(url)
        if key in self.pages_requested:
            return False
        self.pages_requested.add(key)
        return True

    # -- listings ---------------------------------------------------------------------
    def parse_listing(self, response: Response) -> Iterable[Any]:
        """Follow a page's entries; when it is a listing, its pagination (unless caught up) and hubs."""
        if not isinstance(response, scrapy.http.TextResponse):
            return
        yield from self.cleared(response)
        if response.meta.get(meta.START):
            self.note_source(response.meta[meta.SOURCE], response.status)
        if _FEED_ROOT.match(response.body[:512]):  # a hub candidate that is a feed
            yield from self.parse_feed(response)
            return
        if _SITEMAP_ROOT.match(unpack(response.body)[:512]):
            yield from self.parse_sitemap(response)
            return
        links = page_links(document(response), response.url, self.is_entry)
        yield from self.follow_page(response, links)

    def follow_page(self, response: Response, links: PageLinks) -> Iterable[Any]:
        """Yield what a listing-or-not page at RESPONSE leads to (its entries always)."""
        self._count_links(links)
        # What the page lists (the site's chrome left out), read before its new entries are requested.
        listed = {
            self.canonical(u) for u in links.listed or links.entries if in_scope(u, self.hosts)
        }
        archived_only = self._archived_only(listed)
        yield from self._discover_entries(links.entries, hints=links.dates)
        yield from self._follow_feeds(links.feeds)
        if not self.is_listing(response, links):
            if response.meta.get(meta.MAIN_HUB):
                self.walk.lost_main_hubs.append(response.meta[meta.HUB])
                self.crawler.stats.set_value(
                    "tuban/walk/lost_main_hubs", list(self.walk.lost_main_hubs)
                )
            return
        hub = response.meta.get(meta.HUB) or response.url
        from_start = bool(response.meta.get(meta.FROM_START))
        self.walk.listing_page(hub, from_start)
        if response.meta.get(meta.FIRST_OF_CHAIN):  # (a start page that redirected too)
            # A start page is judged by its news (the entries with a date beside them), not by
            # the profile pages and featured links a home page shows beside them.
            start = bool(response.meta.get(meta.START))
            dated = {
                self.canonical(u)
                for u in links.listed
                if links.dates.get(u) and in_scope(u, self.hosts)
            }
            self.walk.first_page(hub, frozenset(dated if start else listed), start)
        self._publish_walk()
        known_pages = response.meta.get(meta.KNOWN_PAGES, 0) + (1 if archived_only else 0)
        # An incremental run stops a chain at the first pages that hold only archived entries.
        overlap = self.settings.getint("TUBAN_INCREMENTAL_OVERLAP_PAGES")
        caught_up = self.mode == "incremental" and known_pages > overlap
        if caught_up:
            self.catch_up.hubs.add(hub)
        else:
            # A nightly run follows the surest next link only, so that it stops where it caught
            # up; a walk of the whole site takes every page link (a chain broken once is not lost).
            for link in links.next_page if self.mode == "incremental" else links.next_pages:
                if in_scope(link, self.hosts) and self._once(link):
                    yield self.page_request(
                        link,
                        self.parse_listing,
                        hub=hub,
                        extra_meta={
                            meta.KNOWN_PAGES: known_pages,
                            meta.FROM_START: from_start,
                            meta.MAIN_HUB: False,
                        },
                    )
        if self.mode != "incremental":
            for link in links.pages:
                if in_scope(link, self.hosts) and self._once(link):
                    # Only a probe: a page too large to be a listing is cut, a failure is no failure.
                    yield self.page_request(
                        link,
                        self.parse_listing,
                        optional=True,
                        extra_meta={
                            meta.PROBE: True,
                            "download_maxsize": self.settings.getint("DOWNLOAD_WARNSIZE"),
                            meta.FROM_START: bool(response.meta.get(meta.START)),
                        },
                    )

    def _archived_only(self, listed: set[str]) -> bool:
        """Return True when the entries of LISTED not found new earlier this run are all archived (and some are).

        An entry listed in failures is accounted for: it does not make an archive look behind.
        New entries an earlier page of the chain (or a feed) found are left out: a page that
        repeats them after newer articles pushed them down is still a page of archived ones.
        """
        rest = {url for url in listed if url in self.archived.known or url not in self.requested}
        return bool(rest) and not (
            rest - self.archived.known - self.archived.failed_entries - self.archived.given_up
        )

    def is_listing(self, response: Response, links: PageLinks) -> bool:
        """Return True when the page at RESPONSE is a listing: it lists several entries (or a pattern says so).

        Entry links in the site's chrome (navigation, sidebars, footer) are on every page: they
        do not count.
        """
        if any(p.search(urlsplit(response.url).path) for p in self.listing_patterns):
            return True
        minimum = self.settings.getint("TUBAN_LISTING_MIN_ENTRIES")
        own = response.meta.get(meta.CANONICAL_URL)
        entries = {self.canonical(u) for u in links.listed if in_scope(u, self.hosts)} - {own}
        return len(entries) >= minimum

    def entry_is_listing(self, response: Response, links: PageLinks, raw: Any) -> bool:
        """Return True when an ``/entry/`` page is a listing, not an article.

        It links to several entries and either has pages of its own (``?hal=2`` of the same
        path) or holds no article text at all. Related-article boxes alone never make an
        article a listing.
        """
        if not self.is_listing(response, links):
            return False
        stem = listing_stem(response.url)
        paginates = any(listing_stem(link) == stem for link in links.next_pages)
        return paginates or not (raw.paragraphs or raw.published_raw)

    def _count_links(self, links: PageLinks) -> None:
        if links.malformed:
            self.crawler.stats.inc_value("tuban/links_malformed", links.malformed)
        # Every page's links pass here, out-of-scope ones too (issue 22: what the archive leaves out).
        if self.left_out.count([*links.entries, *links.pages, *links.next_pages]):
            self.crawler.stats.set_value(LEFT_OUT_STAT, self.left_out.report())

    def _publish_walk(self) -> None:
        for key, value in self.walk.stats().items():
            self.crawler.stats.set_value(key, value)

    # -- sitemaps, feeds, robots.txt --------------------------------------------------
    def parse_robots(self, response: Response) -> Iterable[Any]:
        """Follow the sitemaps robots.txt names (``Sitemap:`` lines), then any deferred entries."""
        if response.meta.get(meta.FLUSH):
            yield from self.flush_deferred()
            return
        yield from self.cleared(response)
        if not self.settings.getbool("TUBAN_ROBOTS_SITEMAPS"):
            return
        for url in robots_sitemaps(response.body):
            if in_scope(url, self.hosts) and self._once(url):
                request = self.source_request(url, self.parse_sitemap)
                if request is not None:
                    yield request

    def parse_sitemap(self, response: Response) -> Iterable[Any]:
        """Follow a sitemap's entries (``lastmod`` kept as a weak date hint) and the sitemaps an index lists."""
        yield from self.cleared(response)
        if not self._source_answered(response):
            return
        entries, sitemaps = sitemap_urls(response.body)
        for url in sitemaps:
            if in_scope(url, self.hosts) and self._once(url):
                request = self.source_request(url, self.parse_sitemap, hold=False)
                if request is not None:
                    yield request
        self._announce(entries)
        for link, lastmod in entries.items():
            if lastmod and self.is_entry(link):
                self.weak_hints.setdefault(self.canonical(link), lastmod)
        yield from self._discover_entries(list(entries))

    def parse_feed(self, response: Response) -> Iterable[Any]:
        """Follow the entries of an RSS or Atom feed, keeping their publication dates as hints."""
        yield from self.cleared(response)
        if not self._source_answered(response):
            return
        entries = feed_entries(response.body)
        self._announce(entries)
        yield from self._discover_entries(entries, hints={k: v for k, v in entries.items() if v})

    def _follow_feeds(self, feeds: list[str]) -> Iterable[Any]:
        """Yield a request for each feed a page announces (``<link rel="alternate">``), once per run."""
        for url in feeds:
            if in_scope(url, self.hosts) and self._once(url):
                request = self.source_request(url, self.parse_feed, priority=PRIORITY_LISTING + 1)
                if request is not None:
                    yield request

    def _announce(self, links: Iterable[str]) -> None:
        for link in links:
            if self.is_entry(link) and in_scope(link, self.hosts):
                url = self.canonical(link)
                self.walk.announce(url, url in self.archived.known)
        self._publish_walk()
