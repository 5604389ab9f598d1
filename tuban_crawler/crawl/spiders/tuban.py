"""The ``tuban`` spider: navigation only; its policies are ``discover``'s pure functions.

It finds entry pages (``/entry/<slug>``) through listings and their pagination, hubs
(whatever their path: see :mod:`.discovery`), sitemaps (configured, named in robots.txt,
indexes, gzip), feeds (configured or announced by ``<link rel="alternate">``) and
``/entry/`` links on any page, and requests each once. What a page says is read by
``extract``; what the archive keeps is decided by the pipelines.

A page that shows no date of its own is held back (not fetched again) until a listing,
feed or sitemap writes a date beside its link, or the crawl runs out of work
(``discover.held``). The start plan is ``discover.start``'s, read from the archive the run
recorder opened (``crawl.signals.archive_opened``: the spider never opens it); at close the
spider hands its walk and its sources' answers back (``crawl.signals.run_closing``).
Redirects, canonical aliases and failures are judged by ``discover.redirects``,
``.aliases`` and ``.failures``.

Modes (``TUBAN_MODE``, or ``crawl --full``):

- ``incremental``: walk listings newest first and stop once a listing page holds only
  archived articles (plus ``TUBAN_INCREMENTAL_OVERLAP_PAGES``); re-fetch articles
  published in the last ``TUBAN_REVISIT_DAYS`` days; retry earlier failures first.
  Feeds, sitemaps and start pages that repeat a main listing are asked for only when the
  listings did not catch up, or ``TUBAN_SOURCES_RECHECK_DAYS`` after they were last read
  (then conditionally); a feed or sitemap that answered 404 is not asked again before then.
- ``backfill``: what an archive gets until one walk of the whole site has finished
  (so a first backfill killed halfway is finished by the next run, not mistaken for
  an up-to-date archive): walk every listing, fetch what is not archived.
- ``full``: walk every listing and re-fetch every article (conditional requests make
  the unchanged ones cheap).
"""

from __future__ import annotations

import functools
import json
from collections.abc import AsyncIterator, Iterable
from typing import TYPE_CHECKING, Any

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, IgnoreRequest
from scrapy.http import Response
from twisted.python.failure import Failure

from tuban_crawler import settings as project_settings
from tuban_crawler.crawl import meta
from tuban_crawler.crawl import signals as tuban_signals
from tuban_crawler.crawl.config import requisites_enabled
from tuban_crawler.crawl.halt import halted
from tuban_crawler.crawl.spiders.discovery import PRIORITY_LISTING, DiscoveryMixin
from tuban_crawler.crawl.spiders.entries import EntriesMixin
from tuban_crawler.crawl.spiders.sites import SitesMixin
from tuban_crawler.discover import start as plan
from tuban_crawler.discover.aliases import CanonicalClaims
from tuban_crawler.discover.failures import (
    ABSENT,
    OPTIONAL_MISSES,
    PROBE_FAILED,
    FailedRequest,
    classify_failure,
)
from tuban_crawler.discover.held import HeldPages
from tuban_crawler.discover.scope import SiteScope
from tuban_crawler.discover.sources import SourceAnswers
from tuban_crawler.discover.urls import in_scope, scope_of
from tuban_crawler.discover.walk import Discovery, Walk, main_hubs
from tuban_crawler.items import ArticleItem, FailureCleared, FetchFailure
from tuban_crawler.store.database import utc_now
from tuban_crawler.store.sitereport import SITES_STAT

if TYPE_CHECKING:
    from tuban_crawler.crawl.extensions.run_recorder import ArchiveReads


class TubanSpider(SitesMixin, DiscoveryMixin, EntriesMixin, scrapy.Spider):
    """Discover and request every article and evergreen page of the portal."""

    name = "tuban"

    def __init__(self, base_url: str | None = None, mode: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._base_url_argument = base_url
        self._mode_argument = mode
        self.mode: str | None = None  # decided in start(), from the archive's state
        # The archive the run recorder opened (crawl.signals.archive_opened), read once in start().
        self.archive: ArchiveReads | None = None
        # What the archive held at the start (read in start()).
        self.archived = plan.ArchiveAtStart()
        # What this run did.
        self.requested: set[str] = set()  # entries asked for (canonical URLs)
        self.pages_requested: set[str] = set()  # discovery pages asked for (canonical URLs)
        self.dates: HeldPages[ArticleItem] = HeldPages()  # date hints, pages waiting for one
        self.claims = CanonicalClaims()
        self.walk = Walk()
        self.sources = SourceAnswers()  # what feeds, sitemaps, start pages answered, then and now
        self.catch_up = plan.CatchUp()  # chains caught up, listings failed, sources held till then
        # The sites: the base URL's and the archive's (``archive_opened``).
        self._scope: SiteScope | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> TubanSpider:
        """Return the spider, asking to hear when the crawl runs out of work."""
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.on_idle, signal=signals.spider_idle)
        crawler.signals.connect(spider.archive_opened, signal=tuban_signals.archive_opened)
        crawler.signals.connect(spider.run_closing, signal=tuban_signals.run_closing)
        crawler.signals.connect(spider.close_extraction, signal=signals.spider_closed)
        return spider

    @classmethod
    def handles_request(cls, request: scrapy.Request) -> bool:
        """Return True when REQUEST is for the portal the project archives (``settings.TUBAN_BASE_URL``).

        How ``scrapy shell URL`` and ``scrapy fetch URL`` pick a spider: Scrapy's own test reads
        ``allowed_domains``, a property here, which a class can't evaluate.
        """
        return in_scope(request.url, scope_of(project_settings.TUBAN_BASE_URL, []))

    def archive_opened(self, archive: ArchiveReads) -> None:
        """Keep the archive the run recorder opened, to plan the start from (``start()`` runs after ``spider_opened``),
        and its sites (issue 22): every site is crawled, each by its own rules."""
        self.archive = archive
        self._scope = SiteScope.of(
            self.base_url, archive.sites(), self.settings.getlist("TUBAN_EXTRA_HOSTS")
        )
        self.crawler.stats.set_value(SITES_STAT, [site.origin for site in self._scope.sites])
        if len(self._scope.sites) > 1:
            self.logger.info(
                "%d sites: %s",
                len(self._scope.sites),
                ", ".join(f"{s.origin} ({s.entry.text})" for s in self._scope.sites),
            )

    def run_closing(self) -> Discovery:
        """Return what this run's discovery hands the run recorder to keep: the walk, the sources' answers."""
        return Discovery(walk=self.walk, sources=self.sources.seen)

    @property
    def weak_hints(self) -> dict[str, str]:
        """Return the sitemaps' ``lastmod`` by canonical URL (a last resort for a page without a date)."""
        return self.dates.weak

    def on_idle(self) -> None:
        """Ask for the held sources if the listings did not catch up; flush the pages waiting for a date.

        Items are yielded from callbacks only, so one request for robots.txt (answered from the
        copy the robots middleware read, without a fetch) carries them: the pages themselves
        are never fetched a second time.
        """
        if self.catch_up.held:
            held, self.catch_up.held = self.catch_up.held, []
            if self.caught_up():
                self.logger.info(
                    "caught up: %d feeds, sitemaps or start pages not asked this run", len(held)
                )
            else:
                self.logger.info(
                    "the listings did not catch up: asking %d feeds, sitemaps, start pages",
                    len(held),
                )
                for request in held:
                    self.crawler.engine.crawl(request)
                raise DontCloseSpider
        if not self.dates:
            return
        request = self.page_request(f"{self.base_url}/robots.txt", self.parse_robots, optional=True)
        request.meta.update(
            {meta.FLUSH: True, meta.ROBOTS_SHARED: True, "handle_httpstatus_all": True}
        )
        self.crawler.engine.crawl(request.replace(dont_filter=True, priority=plan.PRIORITY_FAILED))
        raise DontCloseSpider

    def caught_up(self) -> bool:
        """Return True when this incremental run's listings reached archived articles (``discover.start.caught_up``)."""
        return self.catch_up.done(self.archived.last_walk, lost_main=bool(self.walk.lost_main_hubs))

    def flush_deferred(self) -> Iterable[Any]:
        """Yield the items of every page still waiting for a date (with a sitemap's lastmod, a last resort)."""
        yield from self.dates.flush()

    # -- configuration ------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        """Return the portal's base URL, without a trailing slash."""
        return (self._base_url_argument or self.settings.get("TUBAN_BASE_URL")).rstrip("/")

    @functools.cached_property
    def requisites_enabled(self) -> bool:
        """Return True when the run fetches page requisites (their references are read from each article)."""
        return requisites_enabled(self.settings)

    @property
    def allowed_domains(self) -> list[str] | None:
        """Return the domains Scrapy's offsite filter lets through (ports are checked by ``in_scope``).

        None for ``scrapy parse``/``shell``/``fetch`` (no crawl): the page asked for is fetched
        whatever its host (a copy of the portal, the test portal).
        """
        if not self.settings.getbool("TUBAN_WRITE_ARCHIVE"):
            return None
        domains = {
            h.rpartition(":")[0] if h.rpartition(":")[2].isdigit() else h for h in self.hosts
        }
        return sorted(domains | {f"www.{h}" for h in domains})

    # -- start ------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[Any]:
        """Yield retries of failures, leftovers of earlier runs, revisits, then discovery pages."""
        if self.archive is None:
            # Not a crawl (`scrapy shell`/`fetch`/`parse --spider tuban`: they bring their own
            # request), or the run recorder refused the run (another crawl holds the archive).
            return
        archive, self.archive = self.archive, None
        for request in self._start_requests(archive):
            if request is not None:  # an URL both failed and left over is asked once
                yield request

    def _start_requests(self, archive: ArchiveReads) -> Iterable[scrapy.Request | None]:
        known = archive.known_urls()
        validators = archive.validators()
        failed = archive.failed_urls()
        given_up = archive.given_up_urls()
        frontier = archive.frontier()
        backfill_done = archive.get_state("backfill_complete") is not None
        since = plan.revisit_since(self.settings.getfloat("TUBAN_REVISIT_DAYS"))
        revisit = set(archive.urls_published_since(since))
        last_walk = archive.get_state("last_walk")
        self.sources.before = archive.discovery_sources()
        self.archived = plan.ArchiveAtStart(
            known=known,
            validators=validators,
            failed_pages={url for url in failed if not self.is_entry(url)},
            failed_entries={url for url in failed if self.is_entry(url)},
            given_up=given_up,
            last_walk=json.loads(last_walk) if last_walk else None,
        )
        self.mode = plan.run_mode(
            self._mode_argument or self.settings.get("TUBAN_MODE"), backfill_done
        )
        self.crawler.stats.set_value("tuban/mode", self.mode)
        self.open_extraction()
        self.logger.info(
            "mode %s: %d archived, %d to revisit, %d failed to retry, %d left by earlier runs",
            self.mode,
            len(self.archived.known),
            len(revisit),
            len(failed),
            len(frontier),
        )
        for work in plan.archive_work(
            failed, frontier, revisit, self.archived.known, self.mode, self.is_entry
        ):
            if work.page:
                yield self.page_request(work.url, self.parse_listing, priority=work.priority)
                continue
            request = self.entry_request(work.url, work.priority, work.force, work.hint)
            # Past the duplicate filter a paused run (--resume) kept (self.requested keeps it once).
            yield request.replace(dont_filter=True) if request and work.past_filter else request
        # Listings and feeds first: they write dates beside their links, which the few pages
        # that show no date of their own fall back on. The site's main listings (the longest
        # chains of the last full walk) are checked to still list articles, and an incremental
        # run walks them wherever they are.
        main = main_hubs(self.archived.last_walk)
        for site in self.scope.sites:
            yield from self._start_pages(site, main)
        for hub in main:
            if self.mode == "incremental" and in_scope(hub, self.hosts) and self._once(hub):
                request = self.page_request(
                    hub, self.parse_listing, priority=PRIORITY_LISTING + 1, optional=True
                )
                request.meta.update({meta.FROM_START: True, meta.MAIN_HUB: True})
                yield request
        for site in self.scope.sites:
            yield from self._sources(site)

    def cleared(self, response: Response) -> Iterable[Any]:
        """Yield the end of the recorded failure of the discovery page RESPONSE answered, if it had one."""
        url = self.canonical((response.request or response).url)
        if url in self.archived.failed_pages:
            self.archived.failed_pages.discard(url)
            yield FailureCleared(url)

    def parse_requisite(self, result: Response | Failure) -> Iterable[Any]:
        """Yield nothing: requisites (photos, stylesheets) are the requisites middleware's."""
        return ()

    def on_error(self, failure: Failure) -> Iterable[Any]:
        """Record a request that failed after retries (HTTP error, timeout, dropped connection)."""
        request = failure.request  # type: ignore[attr-defined]
        if halted(self.crawler):
            return  # the crawl is stopping: the run's report says why, once
        response = getattr(failure.value, "response", None)
        status = response.status if response is not None else None
        if request.meta.get(meta.KIND) == "listing" and (
            request.meta.get(meta.MAIN_HUB) or request.meta.get(meta.HUB) != request.url
        ):
            self.catch_up.failed = True  # a broken chain says nothing about being caught up
        if request.meta.get(meta.SOURCE) and status in OPTIONAL_MISSES:
            self.note_source(request.meta[meta.SOURCE], status)
        verdict = classify_failure(
            FailedRequest(
                status=status,
                error=failure.getErrorMessage(),
                error_type=failure.type.__name__ if failure.type else "",
                refused=bool(failure.check(IgnoreRequest)),
                optional=bool(request.meta.get(meta.OPTIONAL)),
                probe=bool(request.meta.get(meta.PROBE)),
            )
        )
        if verdict.outcome == ABSENT:
            self.logger.info("no %s on this site (%s)", request.url, verdict.reason)
            return
        if verdict.outcome == PROBE_FAILED:  # a page tried as a listing: not the archive's loss
            self.crawler.stats.inc_value("tuban/probes_failed")
            self.logger.info("tried %s as a listing: %s", request.url, verdict.reason)
            return
        url = request.meta.get(meta.CANONICAL_URL) or self.canonical(request.url)
        self.logger.warning("failed %s: %s", request.url, verdict.reason)
        # Ignored requests (robots.txt) count attempts like the others: a robots.txt that answered
        # 5xx disallows everything for a while (RFC 9309), which must not give up every entry.
        yield FetchFailure(
            url=url,
            reason=verdict.reason,
            status=status,
            fetched_at=utc_now(),
            entry=request.meta.get(meta.KIND) == "entry",
        )
