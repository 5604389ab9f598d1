"""A minimal spider for tests/test_capture.py: follows every link, reports warc_capture."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response


class CaptureSpider(scrapy.Spider):
    """Crawl the test server from ``-a start_url=...`` through the WARC middleware."""

    name = "capture"
    custom_settings = {
        "DOWNLOADER_MIDDLEWARES": {
            "tuban_crawler.crawl.downloadermiddlewares.capture.WarcCaptureMiddleware": 950
        },
        "ROBOTSTXT_OBEY": True,
        "USER_AGENT": "tuban-crawler-test/0.1",
        "RETRY_TIMES": 2,
        "TELNETCONSOLE_ENABLED": False,
        "TUBAN_WRITE_ARCHIVE": True,  # the capture is what this test crawl is for
        "LOG_LEVEL": "INFO",
    }

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield scrapy.Request(self.start_url)

    def parse(self, response: Response) -> Iterator[Any]:
        yield {
            "url": response.url,
            "status": response.status,
            "text": response.text,
            "warc_capture": response.meta.get("warc_capture"),
        }
        yield from response.follow_all(css="a::attr(href)")
