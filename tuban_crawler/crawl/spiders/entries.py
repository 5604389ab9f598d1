"""The entry callbacks of ``TubanSpider``: requests for entries, ``parse_entry`` and its redirects.

An entry (``/entry/<slug>``) is requested once per run by its canonical URL, conditionally
when archived; its redirects are followed by hand (``dont_redirect``) so that it keeps the
URL it was discovered under (``discover.redirects`` judges them); a page without a date of its
own is held for one (``discover.held``); a ``rel=canonical`` alias is archived under its
target unless too many pages claim it (``discover.aliases``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

import scrapy
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.settings import BaseSettings
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.python.failure import Failure

from tuban_crawler.crawl import meta
from tuban_crawler.crawl.entry_pages import EntryPage, EntryPageJob, read_entry_page
from tuban_crawler.crawl.extensions.run_recorder import run_refused
from tuban_crawler.crawl.extraction import ExtractionPool, PageNotRead
from tuban_crawler.crawl.fetches import fetch_record, header
from tuban_crawler.crawl.halt import halted
from tuban_crawler.discover import redirects
from tuban_crawler.discover.aliases import CanonicalClaims
from tuban_crawler.discover.held import HeldPages
from tuban_crawler.discover.links import PageLinks
from tuban_crawler.discover.scope import SiteScope
from tuban_crawler.discover.start import ArchiveAtStart
from tuban_crawler.discover.urls import in_scope
from tuban_crawler.discover.walk import Walk
from tuban_crawler.items import (
    ArticleItem,
    DiscoveredEntries,
    EntryGone,
    EntryNotModified,
    FetchFailure,
    NotAnEntry,
)
from tuban_crawler.store.sitereport import site_stat

GONE_STATUSES = (404, 410)
REDIRECT_STATUSES = (301, 302, 303, 307, 308)


class EntriesMixin:
    """Entry requests and callbacks of ``TubanSpider`` (whose state they read)."""

    # The spider's state and its other parts, which these callbacks use.
    crawler: Crawler
    settings: BaseSettings
    archived: ArchiveAtStart
    requested: set[str]
    dates: HeldPages[ArticleItem]
    claims: CanonicalClaims
    walk: Walk
    mode: str | None
    #: The extraction workers, in a crawl that has them (``open_extraction``).
    extraction: ExtractionPool | None = None

    if TYPE_CHECKING:

        @property
        def base_url(self) -> str: ...
        @property
        def hosts(self) -> frozenset[str]: ...
        @property
        def scope(self) -> SiteScope: ...
        def canonical(self, url: str) -> str: ...
        def is_entry(self, url: str) -> bool: ...
        @property
        def requisites_enabled(self) -> bool: ...

        def on_error(self, failure: Failure) -> Iterable[Any]: ...
        def entry_is_listing(self, response: Response, links: PageLinks, raw: Any) -> bool: ...
        def follow_page(self, response: Response, links: PageLinks) -> Iterable[Any]: ...
        def _count_links(self, links: PageLinks) -> None: ...

    # -- the extraction workers -----------------------------------------------------------
    def open_extraction(self) -> None:
        """Start the extraction workers of a backfill or a full walk (``TUBAN_EXTRACT_WORKERS``; none to read pages on the crawl's thread).

        A night (``incremental``) reads its few pages on the crawl's thread: it stops a listing
        chain at the first page holding only archived entries or entries found earlier, and
        the entries its revisited pages link to are found as each page comes, before the next
        listing page is judged (a worker's answer would come after it: one listing page more).
        """
        workers = self.settings.getint("TUBAN_EXTRACT_WORKERS")
        # Only a crawl that stores (not `scrapy parse`), and not one refused at its start.
        if (
            workers <= 0
            or not self.settings.getbool("TUBAN_WRITE_ARCHIVE")
            or self.mode == "incremental"
        ):
            return
        if run_refused(self.crawler) or halted(self.crawler):
            return
        self.extraction = ExtractionPool(workers)
        self.extraction.start()

    def close_extraction(self) -> None:
        """Stop the extraction workers (at ``spider_closed``: every callback is done by then)."""
        if self.extraction is not None:
            self.extraction.stop()

    # -- requests -----------------------------------------------------------------------
    def entry_request(
        self,
        url: str,
        priority: int = 0,
        force: bool = False,
        hint: str | None = None,
        fetch_url: str | None = None,
    ) -> scrapy.Request | None:
        """Return a request for the entry at canonical URL, or None when it needs no fetch.

        Parameters:
            url: the canonical URL (the archive's key).
            priority: scheduling priority.
            force: fetch even when archived (revisits, retries, ``--full``).
            hint: the date written beside its link, a last resort for pages without one.
            fetch_url: the address to fetch, when it differs from URL (an alias).
        """
        if url in self.requested or (url in self.archived.known and not force):
            return None
        self.requested.add(url)
        return self._entry_request(url, priority, hint, fetch_url)

    def _entry_request(
        self, url: str, priority: int, hint: str | None, fetch_url: str | None
    ) -> scrapy.Request:
        headers = {}
        etag, last_modified = self.archived.validators.get(url, (None, None))
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return scrapy.Request(
            fetch_url or url,
            # A crawl with extraction workers reads the page there (the same callback's result).
            callback=self.read_entry if self.extraction is not None else self.parse_entry,
            errback=self.on_error,
            priority=priority,
            headers=headers,
            meta={
                meta.CANONICAL_URL: url,
                meta.HINT_PUBLISHED: hint,
                meta.KIND: "entry",
                "dont_redirect": True,
                "handle_httpstatus_list": [304, *GONE_STATUSES, *REDIRECT_STATUSES],
            },
        )

    def _discover_entries(
        self,
        links: Iterable[str],
        hints: dict[str, str] | None = None,
        entries: list[tuple[str, str]] | None = None,
    ) -> Iterable[Any]:
        """Yield requests for new entries among LINKS and one item remembering them.

        ENTRIES: LINKS already filtered and made canonical (``SiteScope.entry_links``), by an
        extraction worker.
        """
        found: dict[str, str | None] = {}
        addresses: list[str] = []  # what to fetch for each of FOUND (its link, perhaps an alias)
        if entries is None:
            entries = self.scope.entry_links(links)
        stats = self.crawler.stats
        if entries:
            stats.inc_value("tuban/entries_discovered", len(entries))
        for link, url in entries:
            stats.inc_value(site_stat(url, "discovered"))
            hint = (hints or {}).get(link)
            if hint:
                released = self.dates.hint(url, hint)  # the date a held page was waiting for
                if released is not None:
                    yield released
            if (
                url in self.archived.known
                or url in self.requested
                or url in found
                or url in self.archived.given_up
            ):
                continue
            found[url] = hint
            addresses.append(link)
            self.requested.add(url)
        if found:
            # Remembered before they are requested, so that a kill loses none of them.
            yield DiscoveredEntries(found)
        # Made one at a time as Scrapy takes them (it takes a callback's output a few at a time
        # between downloads): a sitemap's thousands of requests never wait in memory all at once.
        for (url, hint), link in zip(found.items(), addresses, strict=False):
            yield self._entry_request(url, 0, hint, link)

    # -- entries ----------------------------------------------------------------------
    def parse_entry(self, response: Response) -> Iterable[Any]:
        """Yield the article item of an entry page (or what its status says), then follow its links.

        The page is read on the crawl's thread (``scrapy parse -c parse_entry``, and
        ``TUBAN_EXTRACT_WORKERS=0``); ``read_entry`` hands it to the extraction workers.
        """
        url, fetch, answer = self._entry_answer(response)
        if answer is not None:
            yield from answer
            return
        yield from self._entry_read(
            response, url, read_entry_page(self._entry_job(response, url, fetch))
        )

    async def read_entry(self, response: Response) -> AsyncIterator[Any]:
        """Yield what ``parse_entry`` does, the page read by an extraction worker meanwhile."""
        url, fetch, answer = self._entry_answer(response)
        if answer is not None:
            for output in answer:
                yield output
            return
        job = self._entry_job(response, url, fetch)
        pool = self.extraction
        try:
            page = (
                await maybe_deferred_to_future(pool.read(job))
                if pool is not None
                else read_entry_page(job)
            )
        except PageNotRead as error:
            # One bad page, one recorded failure (as RecordFailuresMiddleware records a callback's).
            self.crawler.stats.inc_value("tuban/page_errors")
            yield FetchFailure(
                url,
                f"could not read the page: {error}",
                response.status,
                fetch["fetched_at"],
                entry=True,
            )
            return
        for output in self._entry_read(response, url, page):
            yield output

    def _entry_answer(self, response: Response) -> tuple[str, dict[str, Any], list[Any] | None]:
        """Return (canonical URL, fetch record, what to yield when the answer is no page to read, else None)."""
        # `scrapy parse -c parse_entry URL` brings its own request, without the spider's meta.
        url = response.meta.get(meta.CANONICAL_URL) or self.canonical(response.url)
        fetch = fetch_record(response)
        if response.status != 200 and response.status not in REDIRECT_STATUSES:
            self._reached(url)
        if response.status == 304:
            return url, fetch, [EntryNotModified(url, fetch)]
        if response.status in GONE_STATUSES:
            gone = (
                EntryGone(url, fetch)
                if url in self.archived.known
                else FetchFailure(
                    url, f"HTTP {response.status}", response.status, fetch["fetched_at"], entry=True
                )
            )
            return url, fetch, [gone]
        if response.status in REDIRECT_STATUSES:
            return url, fetch, list(self._follow_entry_redirect(response, url, fetch))
        if not isinstance(response, scrapy.http.TextResponse):
            kind = (response.headers.get("Content-Type", b"?") or b"").decode()
            failure = FetchFailure(
                url, f"not an HTML page ({kind})", response.status, fetch["fetched_at"], entry=True
            )
            return url, fetch, [failure]
        return url, fetch, None

    def _entry_job(self, response: Response, url: str, fetch: dict[str, Any]) -> EntryPageJob:
        assert isinstance(response, scrapy.http.TextResponse)
        return EntryPageJob(
            url=url,
            fetched_url=response.url,
            body=response.body,
            encoding=response.encoding,
            fetch=fetch,
            etag=header(response, b"ETag"),
            last_modified=header(response, b"Last-Modified"),
            hint_published=self._hint(response, url),
            requisites=self.requisites_enabled,
            scope=self.scope,
        )

    def _hint(self, response: Response, url: str) -> str | None:
        return response.meta.get(meta.HINT_PUBLISHED) or self.dates.hint_for(url)

    def _entry_read(self, response: Response, url: str, page: EntryPage) -> Iterable[Any]:
        """Yield the article of an entry PAGE read (unless it is a listing, or held for a date), then follow its links."""
        links, item = page.links, page.item
        self._reached(url)
        if self.entry_is_listing(response, links, item.raw):
            # An /entry/ URL that lists entries (an index page): walked, never archived.
            self.crawler.stats.inc_value("tuban/entry_listings")
            yield NotAnEntry(url)
            yield from self.follow_page(response, links)
            return
        canonical_link = item.raw.canonical_link
        if canonical_link:
            site = self.scope.site(canonical_link) or self.scope.base
            target = self.claims.target(url, canonical_link, self.hosts, site.origin, site.entry)
        else:
            target = url
        if target != url:
            self.requested.add(target)
            self.crawler.stats.inc_value("tuban/aliases_merged")
            item.url = target
            if item.record is not None:
                item.record.url = target
        # The hint known now (a listing read meanwhile may have written one): if it differs
        # from the one the page's date was judged with, the validate step judges it again.
        item.hint_published = self._hint(response, target)
        if page.dateless and not item.hint_published:
            self.dates.hold(target, item)  # until a listing not walked yet shows its date
        else:
            yield item
        self._count_links(links)
        yield from self._discover_entries(links.entries, links.dates, page.entries)

    def _reached(self, url: str) -> None:
        self.walk.reached(url)
        self.crawler.stats.set_value("tuban/walk/announced_unreached", len(self.walk.unreached))

    def _follow_entry_redirect(
        self, response: Response, url: str, fetch: dict[str, Any]
    ) -> Iterable[Any]:
        location = urljoin(response.url, header(response, b"Location") or "")
        chain = [*response.meta.get(meta.REDIRECT_CHAIN, []), response.url]
        # The entry that was discovered: the failure is its.
        origin = response.meta.get(meta.REDIRECT_ORIGIN, url)
        problem = redirects.redirect_problem(
            chain, location, self.settings.getint("REDIRECT_MAX_TIMES")
        )
        status, fetched_at = response.status, fetch["fetched_at"]
        if problem:
            self.crawler.stats.inc_value("tuban/redirect_failures")
            yield FetchFailure(origin, problem, status, fetched_at, entry=True)
            return
        target = self.canonical(location)
        where = redirects.entry_redirect(
            url,
            location,
            target,
            in_scope(location, self.hosts),
            url in self.archived.known,
            self.is_entry,
        )
        if where == redirects.OFF_PORTAL:
            reason = f"redirected off the portal to {location}"
            yield FetchFailure(url, reason, status, fetched_at, final=True, entry=True)
        elif where in (redirects.SAME_ENTRY, redirects.MOVED):
            # Fetch the target, and keep archiving it under the URL we were given if it is the same.
            self.requested.discard(url)
            request = (
                self.entry_request(url, force=True, fetch_url=location)
                if where == redirects.SAME_ENTRY
                else self.entry_request(target)
            )
            if request is not None:
                request.meta.update({meta.REDIRECT_CHAIN: chain, meta.REDIRECT_ORIGIN: origin})
                yield request
        elif where == redirects.GONE:
            yield EntryGone(url, fetch)  # withdrawn articles redirect to the home page
        else:
            reason = f"redirected to a non-article page {location}"
            yield FetchFailure(url, reason, status, fetched_at, entry=True)
