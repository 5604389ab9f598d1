"""robots.txt per RFC 9309, in place of Scrapy's ``RobotsTxtMiddleware``.

Scrapy's middleware reads any answer's body as rules and a failed download as "no rules",
so a robots.txt answering 500, or a dropped connection, meant *allow all*; and protego
matches the URL as written, so ``/entry//secret``, ``/entry/../entry/secret`` and
``/entry/%2e%2e/admin`` got past a ``Disallow: /entry/secret`` (issue 9). Here:

- 2xx: the rules, read by protego for the User-Agent token ``ROBOTSTXT_USER_AGENT``
  (``tuban-crawler``); 4xx (and a redirect that leads nowhere): no rules, everything allowed;
- 5xx, 429 or unreachable: everything disallowed; requests to that site wait while
  robots.txt is asked again ``TUBAN_ROBOTS_RETRIES`` times, ``TUBAN_ROBOTS_RETRY_DELAY``
  seconds apart; if it never answers, the run fetches nothing there and records why;
- the spider's own request for robots.txt (``meta.ROBOTS_SHARED``: it reads the
  ``Sitemap:`` lines) is answered from the copy read here, not fetched a second time;
- a URL is checked as written, with its dot segments and doubled slashes resolved and
  its percent-encoding normalised, and in its canonical form: disallowed if any is.

A refused request fails with ``IgnoreRequest``; its message, which the spider records as
the failure's reason, starts with ``disallowed by robots.txt`` (a rule: final) or
``robots.txt unavailable`` (the server's trouble: retried by the next run).
"""

from __future__ import annotations

import asyncio
import logging
import time
from urllib.parse import urlsplit

from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Request, Response
from scrapy.http.request import NO_CALLBACK

from tuban_crawler.crawl import meta
from tuban_crawler.discover.robots import DISALLOWED, UNAVAILABLE, RobotsRules, rules_from

logger = logging.getLogger(__name__)


class RobotsMiddleware:
    """Downloader middleware: refuse what robots.txt disallows, and everything while it can't be read."""

    DOWNLOAD_PRIORITY = 1000

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        if not settings.getbool("ROBOTSTXT_OBEY"):
            raise NotConfigured("ROBOTSTXT_OBEY is off")
        self.crawler = crawler
        self.user_agent = settings.get("ROBOTSTXT_USER_AGENT") or settings.get("USER_AGENT")
        self.retries = settings.getint("TUBAN_ROBOTS_RETRIES")
        self.retry_delay = settings.getfloat("TUBAN_ROBOTS_RETRY_DELAY")
        self._rules: dict[str, RobotsRules] = {}
        self._pending: dict[str, asyncio.Future[RobotsRules]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RobotsMiddleware:
        """Return the middleware (``NotConfigured`` unless ``ROBOTSTXT_OBEY``)."""
        return cls(crawler)

    async def process_request(self, request: Request) -> Response | None:
        """Let REQUEST through (or answer the spider's robots.txt request), or raise ``IgnoreRequest`` with the reason."""
        if request.meta.get("dont_obey_robotstxt") or not request.url.startswith(
            ("http://", "https://")
        ):
            return None
        rules = await self._rules_for(request)
        if (
            request.meta.get(meta.ROBOTS_SHARED)
            and rules.response is not None
            and rules.error is None
        ):
            # "cached": the copy was written to the WARC file when it was read; a second fetch would cost a request.
            return rules.response.replace(request=request, flags=[*rules.response.flags, "cached"])
        if rules.error is not None:
            self.crawler.stats.inc_value("robotstxt/unavailable")
            raise IgnoreRequest(
                f"{UNAVAILABLE} ({rules.error}): not fetched, the next run tries again"
            )
        if not rules.allows(request.url, self.user_agent):
            self.crawler.stats.inc_value("robotstxt/forbidden")
            raise IgnoreRequest(f"{DISALLOWED}: {urlsplit(request.url).path}")
        return None

    async def _rules_for(self, request: Request) -> RobotsRules:
        parts = urlsplit(request.url)
        site = f"{parts.scheme}://{parts.netloc}"
        while True:
            rules = self._rules.get(site)
            if rules is not None and (rules.error is None or rules.attempts > self.retries):
                return rules
            pending = self._pending.get(site)
            if pending is None:
                pending = self._pending[site] = asyncio.ensure_future(self._read(site, rules))
            await asyncio.shield(pending)

    async def _read(self, site: str, previous: RobotsRules | None) -> RobotsRules:
        """Read SITE's robots.txt (after a pause when an earlier read failed) and remember the rules."""
        attempts = (previous.attempts if previous else 0) + 1
        if previous is not None:
            await asyncio.sleep(max(0.0, previous.checked_at + self.retry_delay - time.monotonic()))
        robots = Request(
            f"{site}/robots.txt",
            priority=self.DOWNLOAD_PRIORITY,
            callback=NO_CALLBACK,
            # allow_offsite: the robots.txt of a page asked for by hand (scrapy shell URL) is
            # read even when that page is outside the spider's domains, as Scrapy's own does.
            meta={"dont_obey_robotstxt": True, "allow_offsite": True},
        )
        try:
            response = await self.crawler.engine.download_async(robots)
            rules = rules_from(response)
            rules.response = response
        except Exception as error:  # every way of not answering means the same: unreachable
            rules = RobotsRules(error=f"{type(error).__name__}: {error}")
        finally:
            self._pending.pop(site, None)  # whatever happened, the next request may ask again
        self.crawler.stats.inc_value("robotstxt/request_count")
        rules.attempts, rules.checked_at = attempts, time.monotonic()
        if rules.error is not None:
            again = (
                "asking again later"
                if attempts <= self.retries
                else "nothing there is fetched this run"
            )
            logger.warning(
                "%s/robots.txt unreadable (%s): everything disallowed, %s", site, rules.error, again
            )
        self._rules[site] = rules
        return rules
