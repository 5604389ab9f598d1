"""Fail a redirect loop or an over-long chain with the path it took (issue 9)."""

from __future__ import annotations

from urllib.parse import urljoin

from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response

from tuban_crawler.discover.redirects import redirect_problem


class RedirectLoopMiddleware:
    """Downloader middleware: a redirect loop or an over-long chain fails its request with the path it took.

    Scrapy's RedirectMiddleware drops the second visit of a loop as a duplicate without a word
    (and says only "max redirections reached" of a long chain); entry pages, which the spider
    follows itself (``dont_redirect``), are checked by the spider with the same
    ``discover.redirects.redirect_problem``.
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
        problem = redirect_problem(chain, target, self.max_redirects)
        if problem:
            raise IgnoreRequest(problem)
        return response
