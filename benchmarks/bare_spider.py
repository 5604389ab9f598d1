"""A bare Scrapy spider for the crawl benchmark: the same walk as the crawler, nothing else.

It shares no code with ``tuban_crawler``: listings, categories, the feed and the sitemaps
(found through robots.txt) lead to article pages (any path with ``/entry/``), which give a
title, a date and a body through CSS selectors as plain dicts; no pipelines, no storage.
Like the crawler, it fetches each article page's requisites once (photos, stylesheets,
scripts, icons, and what stylesheets reference) unless ``REQUISITES=False``: the same
requests, so that the comparison is of what is done with them. The measure of what Scrapy
itself costs on this machine.

Run by ``benchmarks/crawl.py``, or alone: ``python benchmarks/bare_spider.py BASE_URL [NAME=VALUE ...]``.
Prints one JSON line with the items scraped and the requests made.
"""

from __future__ import annotations

import json
import re
import sys
from urllib.parse import urlsplit

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.spiders import SitemapSpider

ENTRY = "/entry/"
# Assets and feeds' own markup are not pages to walk.
NOT_A_PAGE = re.compile(r"\.(css|js|jpe?g|png|gif|svg|ico|pdf|zip)(\?|$)", re.IGNORECASE)
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+?)['"]?\s*\)""")
REQUISITES = "img::attr(src), link[rel*=stylesheet]::attr(href), link[rel*=icon]::attr(href), script::attr(src)"
DATE = re.compile(r"\d{1,2}\s+\w+\s+\d{4}(?:\s+\d{1,2}[:.]\d{2})?")
SETTINGS = {
    "CONCURRENT_REQUESTS": 32,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 32,
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "ROBOTSTXT_OBEY": True,
    "LOG_LEVEL": "WARNING",
    "TELNETCONSOLE_ENABLED": False,
    "USER_AGENT": "tuban-crawler-benchmark (bare Scrapy)",
}


class BareSpider(SitemapSpider):
    """Walks listings, categories, feed and sitemap to every entry page; yields plain dicts."""

    name = "bare"

    def __init__(self, base_url: str, requisites: bool = True, **kwargs) -> None:
        self.base_url = base_url.rstrip("/")
        self.requisites = requisites
        self.allowed_domains = [urlsplit(self.base_url).hostname]
        self.sitemap_urls = [f"{self.base_url}/robots.txt"]
        super().__init__(**kwargs)

    async def start(self):
        """Yield the sitemaps (through robots.txt), the home page and the feed."""
        async for request in super().start():
            yield request
        for path in ("/", "/rss", "/feed"):
            yield scrapy.Request(f"{self.base_url}{path}", callback=self.parse_page)

    def parse(self, response):
        """Return the article of an entry page reached from a sitemap."""
        return self.parse_entry(response)

    def parse_page(self, response):
        """Yield a request for every same-site link of a listing, category page or feed."""
        if not isinstance(response, scrapy.http.TextResponse):
            return
        links = response.css("a::attr(href), link::text, item link::text").getall()
        for href in links:
            url = response.urljoin(href.strip())
            if not url.startswith(self.base_url) or NOT_A_PAGE.search(url):
                continue
            if ENTRY in url:  # one article, whatever alias form a listing links it by
                yield scrapy.Request(
                    re.split(r"[?#]", url)[0].rstrip("/"), callback=self.parse_entry
                )
            else:
                yield scrapy.Request(url, callback=self.parse_page)

    def parse_entry(self, response):
        """Yield the title, date and body of one article page."""
        if not isinstance(response, scrapy.http.TextResponse):
            return
        title = response.css("[class*=title]::text, article h1::text, title::text").get(default="")
        meta = " ".join(
            response.css(
                "time::attr(datetime), [class*=meta] ::text, [class*=date] ::text"
            ).getall()
        )
        date = DATE.search(meta)
        body = response.css("[class*=content] p ::text, article p ::text").getall()
        yield {
            "url": response.url,
            "title": title.strip(),
            "date": date.group(0) if date else None,
            "body": "\n".join(body),
        }
        if self.requisites:
            yield from self.requisite_requests(response, response.css(REQUISITES).getall())

    def requisite_requests(self, response, references):
        """Yield a request for each same-site reference (Scrapy's duplicate filter fetches each once)."""
        for reference in references:
            url = response.urljoin(reference.strip())
            if url.startswith(self.base_url) and not reference.strip().startswith("data:"):
                yield scrapy.Request(url, callback=self.parse_requisite, priority=-10)

    def parse_requisite(self, response):
        """Yield the requests for what a stylesheet references."""
        if response.url.endswith(".css") and isinstance(response, scrapy.http.TextResponse):
            yield from self.requisite_requests(response, CSS_URL.findall(response.text))


def main() -> None:
    """Crawl BASE_URL with the bare spider and print what it scraped as one JSON line."""
    settings = dict(SETTINGS)
    for pair in sys.argv[2:]:
        name, _, value = pair.partition("=")
        settings[name] = value
    requisites = settings.pop("REQUISITES", "True") != "False"
    process = CrawlerProcess(settings=settings)
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler, base_url=sys.argv[1], requisites=requisites)
    process.start()
    stats = crawler.stats.get_stats()
    print(
        json.dumps(
            {
                "items": stats.get("item_scraped_count", 0),
                "requests": stats.get("downloader/request_count", 0),
            }
        )
    )


if __name__ == "__main__":
    main()
