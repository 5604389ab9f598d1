"""Page requisites: the photos, stylesheets, scripts, fonts and icons of each archived article.

A spider middleware, so that the spider only navigates: after each article item the
spider yields, it requests the article's photos (the ``images`` column's ``src``) and what
the page references (``<link rel=stylesheet|icon|preload as=font>``, ``<script src>``),
then what each stylesheet references (``url(...)``, ``@import``). Requests go through
the same scheduler, robots.txt, scope and download slots as articles, at a lower
priority, each URL once per run (a photo once: one archived by an earlier run is not
fetched again), under a size cap (``TUBAN_REQUISITE_MAX_BYTES``). The
WARC capture middleware archives them like any response; identical payloads at other
URLs become revisits (the WARC writer de-duplicates by payload digest). Each capture is
stored as a ``RequisiteCaptured`` item (the ``requisites`` table). Hosts other than the
portal's are out of scope unless listed in ``TUBAN_REQUISITE_HOSTS``.

    SPIDER_MIDDLEWARES = {"tuban_crawler.crawl.spidermiddlewares.requisites.RequisitesMiddleware": 950}
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator
from typing import TYPE_CHECKING, Any

import scrapy
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from tuban_crawler.crawl import meta
from tuban_crawler.crawl import signals as tuban_signals
from tuban_crawler.crawl.config import requisites_enabled
from tuban_crawler.discover.requisites import css_requisites, page_requisites
from tuban_crawler.discover.urls import bare_host, in_scope
from tuban_crawler.items import ArticleItem, RequisiteCaptured

if TYPE_CHECKING:
    from tuban_crawler.crawl.extensions.run_recorder import ArchiveReads

logger = logging.getLogger(__name__)

#: Below every article, listing and retry (the spider's priorities are 0 and above).
PRIORITY_REQUISITE = -10


class RequisitesMiddleware:
    """Request the requisites of each archived article, and report each one captured."""

    def __init__(self, crawler: Crawler, extra_hosts: frozenset[str], max_bytes: int) -> None:
        self.crawler = crawler
        self.extra_hosts = extra_hosts
        self.max_bytes = max_bytes
        self.requested: set[str] = set()  # this run's, and photos archived by earlier runs

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RequisitesMiddleware:
        """Return the middleware configured by the TUBAN_REQUISITE* settings, or raise NotConfigured."""
        settings = crawler.settings
        if not requisites_enabled(settings):
            raise NotConfigured("page requisites are off (TUBAN_REQUISITES_ENABLED, WARC_ENABLED)")
        hosts = frozenset(
            bare_host(h.strip().lower())
            for h in settings.getlist("TUBAN_REQUISITE_HOSTS")
            if h.strip()
        )
        middleware = cls(crawler, hosts, settings.getint("TUBAN_REQUISITE_MAX_BYTES"))
        crawler.signals.connect(middleware.archive_opened, signal=tuban_signals.archive_opened)
        return middleware

    def archive_opened(self, archive: ArchiveReads) -> None:
        """Skip the photos earlier runs archived: a photo's URL keeps its bytes, unlike a stylesheet's."""
        self.requested |= archive.requisite_urls(kind="image")

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterator[Any]:
        """Return RESULT, with requisite requests after each article and a record of each requisite."""
        for output in result:
            yield output
            yield from self._after(response, output)
        yield from self._requisite_outputs(response)

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterable[Any]
    ) -> AsyncIterator[Any]:
        """Return RESULT, as :meth:`process_spider_output` does, for asynchronous callbacks."""
        async for output in result:
            yield output
            for request in self._after(response, output):
                yield request
        for output in self._requisite_outputs(response):
            yield output

    def _after(self, response: Response, output: Any) -> Iterator[scrapy.Request]:
        """Return the requisite requests of OUTPUT when it is an archived article."""
        if isinstance(output, ArticleItem):
            images = [(image["src"], "image") for image in output.raw.images if image.get("src")]
            references = (
                output.references
                if output.references is not None
                else page_requisites(response.body, response.url)
            )
            yield from self._requests(images + references)

    def _requisite_outputs(self, response: Response) -> Iterator[Any]:
        """Return the record of a captured requisite RESPONSE and what a stylesheet references."""
        kind = response.meta.get(meta.REQUISITE)
        if kind is None:
            return
        capture = response.meta.get(meta.CAPTURE)
        if response.status == 200 and capture:
            yield RequisiteCaptured(
                url=response.url,
                kind=kind,
                status=response.status,
                content_type=(response.headers.get("Content-Type") or b"").decode("latin-1")
                or None,
                length=len(response.body),
                capture=capture,
            )
        if kind == "stylesheet" and isinstance(response, scrapy.http.TextResponse):
            yield from self._requests(css_requisites(response.text, response.url))

    def _requests(self, references: list[tuple[str, str]]) -> Iterator[scrapy.Request]:
        spider: Any = self.crawler.spider  # the tuban spider: its scope and parse_requisite
        for url, kind in references:
            offsite = in_scope(url, self.extra_hosts)
            if url in self.requested or not (offsite or in_scope(url, spider.hosts)):
                continue
            self.requested.add(url)
            self.crawler.stats.inc_value("tuban/requisites_requested")
            yield scrapy.Request(
                url,
                callback=spider.parse_requisite,
                errback=spider.parse_requisite,
                priority=PRIORITY_REQUISITE,
                meta={
                    meta.REQUISITE: kind,
                    "download_maxsize": self.max_bytes,
                    "allow_offsite": offsite,
                },
            )
