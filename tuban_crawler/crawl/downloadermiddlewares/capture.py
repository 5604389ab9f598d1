"""Downloader middleware that writes every response the crawl receives to WARC files.

Install it next to the downloader, after (above) HttpCompressionMiddleware (590)::

    DOWNLOADER_MIDDLEWARES = {"tuban_crawler.crawl.downloadermiddlewares.capture.WarcCaptureMiddleware": 950}

There it sees each response as received (still gzip-encoded), every retry attempt,
every redirect hop and robots.txt, and the request headers as they went out.
"""

from __future__ import annotations

import dataclasses
import http
import logging
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import CloseSpider, IgnoreRequest, NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future

from tuban_crawler import __version__
from tuban_crawler.crawl import fixity as crawl_fixity
from tuban_crawler.crawl import meta
from tuban_crawler.crawl.config import crawl_warc_dir, with_project_defaults
from tuban_crawler.crawl.extensions.run_recorder import run_refused
from tuban_crawler.crawl.halt import HALT_STAT, halt_crawl, halted, storage_failure
from tuban_crawler.crawl.runs import current_run_id
from tuban_crawler.crawl.warc_worker import WarcWorker
from tuban_crawler.store import fixity
from tuban_crawler.warc import CaptureRef

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Headers, Request, Response
    from twisted.internet.defer import Deferred

logger = logging.getLogger(__name__)


class WarcCaptureMiddleware:
    """Write each downloaded response, with its request, to the run's WARC files."""

    def __init__(
        self,
        crawler: Crawler,
        directory: Path,
        max_file_bytes: int,
        user_agent: str,
        robots_policy: str,
        extra_info: dict[str, str] | None = None,
        prefix: str = "tuban",
    ) -> None:
        self.crawler = crawler
        self.directory = directory
        self.max_file_bytes = max_file_bytes
        self.user_agent = user_agent
        self.robots_policy = robots_policy
        self.extra_info = dict(extra_info or {})
        self.prefix = prefix
        self.writer: WarcWorker | None = None
        self.db_path = ""  # the archive the run's fixity events go to
        self.agent = fixity.agent()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcCaptureMiddleware:
        """Return the middleware configured from the WARC_* settings, or raise NotConfigured."""
        settings = with_project_defaults(crawler.settings)  # a test's `scrapy runspider` has none
        if not settings.getbool("WARC_ENABLED"):
            raise NotConfigured("WARC capture is off (WARC_ENABLED)")
        if not settings.getbool("TUBAN_WRITE_ARCHIVE"):
            raise NotConfigured("not a crawl (TUBAN_WRITE_ARCHIVE is off): nothing is captured")
        middleware = cls(
            crawler,
            directory=crawl_warc_dir(settings) or Path(),
            max_file_bytes=settings.getint("WARC_MAX_FILE_BYTES"),
            user_agent=settings.get("USER_AGENT"),
            robots_policy="obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
            extra_info={
                # The fields Heritrix and Browsertrix write; empty ones are left out.
                "isPartOf": str(settings.get("WARC_COLLECTION") or ""),
                "description": str(settings.get("WARC_DESCRIPTION") or ""),
                "operator": str(settings.get("TUBAN_CONTACT_URL") or ""),
                "http-header-from": str(
                    settings.getdict("DEFAULT_REQUEST_HEADERS").get("From")
                    or settings.get("TUBAN_CONTACT_URL")
                    or ""
                ),
            },
            prefix=settings.get("WARC_PREFIX"),
        )
        middleware.db_path = str(settings.get("ARCHIVE_DB"))
        middleware.agent = fixity.agent(settings.get("TUBAN_CONTACT_URL"))
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def spider_opened(self) -> None:
        """Repair what a killed run left and start this run's WARC file (a full disk closes the crawl)."""
        if run_refused(self.crawler) or halted(self.crawler):
            return  # the run recorder refused the run (connected first): nothing is written
        try:
            self._open_writer()
        except OSError as error:
            cause = storage_failure(error)
            if cause is None:
                raise
            self.writer = None
            self.crawler.stats.set_value(HALT_STAT, cause)
            raise CloseSpider("archive_failed") from None

    def _open_writer(self) -> None:
        # The writer works in a process of its own (issue 10): warcio and zlib took a tenth of
        # the crawl's one thread.
        self.writer = WarcWorker(
            directory=self.directory,
            run_id=current_run_id(self.crawler),
            software=f"tuban-crawler/{__version__}",
            user_agent=self.user_agent,
            robots_policy=self.robots_policy,
            max_file_bytes=self.max_file_bytes,
            extra_info=self.extra_info,
            prefix=self.prefix,
        )
        self.writer.open()
        if self.writer.repairs:
            events = crawl_fixity.repair_events(
                self.directory, self.writer.repairs, current_run_id(self.crawler), self.agent
            )
            crawl_fixity.log_events(self.db_path, events)

    def spider_closed(self) -> None:
        """Finish the current WARC file (on a full disk it stays ``.open``, for the next run to repair),
        and package the run as a WACZ when WACZ_PER_RUN says so."""
        if self.writer is None:
            return
        writer, self.writer = self.writer, None
        try:
            writer.close()
        except OSError as error:
            cause = storage_failure(error)
            if cause is None:
                raise
            logger.error("could not finish the WARC file: %s", cause)
            return
        run_id = current_run_id(self.crawler)
        crawl_fixity.log_events(
            self.db_path, crawl_fixity.capture_events(writer.finished, run_id, self.agent)
        )
        settings = self.crawler.settings
        if settings.getbool("WACZ_PER_RUN") and writer.finished_files:
            from tuban_crawler.warc.wacz import write_run_wacz

            output = write_run_wacz(
                self.directory,
                writer.finished_files,
                Path(settings.get("ARCHIVE_DB")),
                current_run_id(self.crawler),
                Path(settings.get("WACZ_DIR") or self.directory),
            )
            logger.info("Wrote %s", output)

    async def process_response(self, request: Request, response: Response) -> Response:
        """Return RESPONSE unchanged, once it is written with REQUEST to the WARC file.

        Where it went is left in ``request.meta[meta.CAPTURE]`` (a CaptureRef as a
        dict), which the spider sees as ``response.meta[meta.CAPTURE]``. A failure to
        write propagates: the fetch fails rather than being stored without its capture; a
        write that can never succeed (full disk, read-only files) halts the crawl.
        """
        # Retries and redirects copy meta: only this attempt's own capture may show.
        request.meta.pop(meta.CAPTURE, None)
        request.meta[meta.LENGTHS] = _lengths(response)
        if halted(self.crawler):
            raise IgnoreRequest(f"not archived: the crawl stopped ({halted(self.crawler)})")
        # Responses served from HttpCacheMiddleware were not received in this run.
        if self.writer is None or "cached" in response.flags:
            return response
        latency = float(request.meta.get("download_latency") or 0.0)
        try:
            capture = await maybe_deferred_to_future(self._write(request, response, latency))
        except OSError as error:
            cause = storage_failure(error)
            if cause is None:
                raise
            if (
                not error.filename
            ):  # warcio writes through a gzip stream that does not name its file
                cause = f"{cause}, writing WARC files in {self.directory}"
            halt_crawl(self.crawler, cause)
            raise IgnoreRequest(f"not archived: {cause}") from error
        request.meta[meta.CAPTURE] = dataclasses.asdict(capture)
        self.crawler.stats.inc_value(f"warc/{capture.record_type}_count")
        self.crawler.stats.inc_value("warc/bytes", capture.length)
        logger.debug(
            "Captured %s as %s %s@%d",
            response.url,
            capture.record_type,
            capture.filename,
            capture.offset,
        )
        return response

    def _write(self, request: Request, response: Response, latency: float) -> Deferred[CaptureRef]:
        status = response.status
        try:
            reason = http.HTTPStatus(status).phrase
        except ValueError:
            reason = ""
        assert self.writer is not None
        return self.writer.write_exchange(
            url=response.url,
            method=request.method,
            request_headers=_header_pairs(request.headers),
            status=status,
            reason=reason,
            response_headers=_header_pairs(response.headers),
            body=response.body,
            # WARC-Date is when the capture began, not when it ended.
            fetched_at=datetime.now(timezone.utc) - timedelta(seconds=latency),
            protocol=response.protocol or "HTTP/1.1",
            request_body=request.body,
            ip_address=str(response.ip_address) if response.ip_address else None,
            truncated="disconnect" if "dataloss" in response.flags else None,
        )


def _lengths(response: Response) -> dict[str, int | None]:
    """Return RESPONSE's declared Content-Length and the bytes received (still content-encoded here)."""
    declared = response.headers.get(b"Content-Length")
    try:
        declared_length = int(declared) if declared else None
    except ValueError:
        declared_length = None
    return {"declared": declared_length, "received": len(response.body)}


def _header_pairs(headers: Headers) -> list[tuple[str, str]]:
    """Return Scrapy HEADERS as (name, value) pairs, one per value, in order."""
    # Latin-1 maps every byte to one character, so no header byte is lost or rejected.
    return [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name in headers
        for value in headers.getlist(name)
    ]
