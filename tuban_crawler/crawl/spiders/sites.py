"""The spider's sites (issue 22): each URL judged by its own site, and each site's start requests.

An archive holds several sites (``store.sites``); the spider crawls them all in one run, each
from its own start paths, feeds, robots.txt and sitemaps (the project's settings when the site
names none), and recognises each site's entries by its own pattern (``discover.scope``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

import scrapy

from tuban_crawler.crawl import meta
from tuban_crawler.crawl.spiders.discovery import PRIORITY_LISTING
from tuban_crawler.discover import start as plan
from tuban_crawler.discover.scope import SiteScope
from tuban_crawler.discover.sites import Site
from tuban_crawler.discover.urls import in_scope

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings

    from tuban_crawler.discover.sources import SourceAnswers
    from tuban_crawler.discover.start import ArchiveAtStart, CatchUp


class SitesMixin:
    """The crawl's sites: scope, identity and entries by site, and every site's start requests."""

    _scope: SiteScope | None

    if TYPE_CHECKING:  # the state and callbacks TubanSpider provides (see tuban.py)
        settings: BaseSettings
        mode: str | None
        archived: ArchiveAtStart
        sources: SourceAnswers
        catch_up: CatchUp
        logger: Any

        @property
        def base_url(self) -> str: ...
        def _once(self, url: str) -> bool: ...
        def source_due(self, url: str) -> bool: ...
        def page_request(
            self,
            url: str,
            callback: Any,
            priority: int = PRIORITY_LISTING,
            optional: bool = False,
            hub: str | None = None,
            extra_meta: Mapping[str, Any] | None = None,
        ) -> scrapy.Request: ...
        def source_request(
            self, url: str, callback: Any, priority: int = PRIORITY_LISTING, hold: bool = True
        ) -> scrapy.Request | None: ...
        def parse_listing(self, response: Any) -> Iterable[Any]: ...
        def parse_feed(self, response: Any) -> Iterable[Any]: ...
        def parse_sitemap(self, response: Any) -> Iterable[Any]: ...
        def parse_robots(self, response: Any) -> Iterable[Any]: ...

    @property
    def scope(self) -> SiteScope:
        """Return the crawl's sites (the base URL's, then the archive's) and extra hosts; each URL judged by its site."""
        if self._scope is not None:
            return self._scope
        # Not a crawl (`scrapy parse`/`shell`), or the archive not open yet: the base URL's site alone.
        return SiteScope.of(self.base_url, (), self.settings.getlist("TUBAN_EXTRA_HOSTS"))

    @property
    def hosts(self) -> frozenset[str]:
        """Return the sites in scope: each site's host and port (without ``www.``) and TUBAN_EXTRA_HOSTS."""
        return self.scope.hosts

    def canonical(self, url: str) -> str:
        """Return the canonical URL of URL by its site's rules (``discover.scope``)."""
        return self.scope.canonical(url)

    def is_entry(self, url: str) -> bool:
        """Return True when URL is an entry of its site (by the site's entry pattern)."""
        return self.scope.is_entry(url)

    def _start_pages(self, site: Site, main: dict[str, int]) -> Iterable[scrapy.Request]:
        """Yield the requests for SITE's start pages (those held till the listings catch up kept aside)."""
        for url in self._paths(site, "TUBAN_START_PATHS", site.start_paths):
            if not self._once(url):
                continue
            request = self.page_request(
                url, self.parse_listing, priority=PRIORITY_LISTING + 1, optional=True
            )
            request.meta.update(
                {
                    meta.START: True,
                    meta.FROM_START: True,
                    meta.MAIN_HUB: url in main,
                    meta.SOURCE: url,
                }
            )
            last = self.sources.last(url) or {}
            action = plan.start_page(
                url,
                self.mode or "",
                self.mode != "incremental" or self.source_due(url),
                self.archived.last_walk,
                last,
                lambda link: in_scope(link, self.hosts),
            )
            if action == plan.SKIP:
                self.logger.info(
                    "not asking %s: it answered %s on %s", url, last["status"], last["checked_at"]
                )
            elif action == plan.HOLD:
                self.catch_up.held.append(request)
            else:
                yield request

    def _sources(self, site: Site) -> Iterable[scrapy.Request | None]:
        """Yield the requests for SITE's feeds, robots.txt (and the sitemaps it names) and sitemaps."""
        for url in self._paths(site, "TUBAN_FEED_PATHS", site.feeds):
            if self._once(url):
                yield self.source_request(url, self.parse_feed, priority=PRIORITY_LISTING + 1)
        robots = self._root(site) + "/robots.txt"
        if self._once(robots):
            # Answered by the robots middleware from the copy it read: robots.txt is fetched once.
            request = self.page_request(robots, self.parse_robots, optional=True)
            request.meta[meta.ROBOTS_SHARED] = True
            yield request
        for url in self._paths(site, "TUBAN_SITEMAP_PATHS", site.sitemaps):
            if self._once(url):
                yield self.source_request(url, self.parse_sitemap)

    def _paths(self, site: Site, setting: str, own: tuple[str, ...]) -> list[str]:
        """Return the absolute URLs of SITE's paths OWN, or of those listed in SETTING when it has none."""
        if own:
            return [site.url(p) for p in own]
        return [
            urljoin(self._root(site) + "/", p.strip().lstrip("/"))
            for p in self.settings.getlist(setting)
            if p.strip()
        ]

    def _root(self, site: Site) -> str:
        """Return where SITE's paths start: the base URL for the base site (as written, a path too), else its origin."""
        return self.base_url if site is self.scope.base else site.origin
