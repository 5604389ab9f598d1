"""robots.txt rules per RFC 9309: what an answer allows, and every form of a URL they are checked against.

Pure: the downloader middleware that reads robots.txt and refuses requests is
``crawl.downloadermiddlewares.robots``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from protego import Protego
from w3lib.url import canonicalize_url

from tuban_crawler.discover.urls import canonical_url

if TYPE_CHECKING:
    from scrapy.http import Response

DISALLOWED = "disallowed by robots.txt"
UNAVAILABLE = "robots.txt unavailable"


@dataclass
class RobotsRules:
    """What one site's robots.txt said: rules, allow-all (``parser`` None, no error) or disallow-all (error)."""

    parser: Protego | None = None
    error: str | None = None  # why robots.txt could not be read (disallow all)
    attempts: int = 0
    checked_at: float = 0.0
    response: Response | None = None  # the answer the rules came from, shared with the spider

    def allows(self, url: str, user_agent: str) -> bool:
        """Return True when URL may be fetched by USER_AGENT (every form of its path allowed)."""
        if self.error is not None:
            return False
        if self.parser is None:
            return True
        return all(self.parser.can_fetch(form, user_agent) for form in url_forms(url))


def url_forms(url: str) -> list[str]:
    """Return URL as written, with its path normalised, and canonical: the forms robots rules are checked against.

    >>> url_forms("http://h/entry/%2e%2e/admin")[1:]
    ['http://h/admin', 'http://h/admin']
    """
    try:
        normalised = canonicalize_url(url, keep_blank_values=True)
    except ValueError:
        return [url]
    parts = urlsplit(normalised)
    path = parts.path
    while "//" in path:
        path = path.replace("//", "/")
    normalised = parts._replace(path=path).geturl()
    return [url, normalised, canonical_url(url)]


def rules_from(response: Response) -> RobotsRules:
    """Return the rules a robots.txt RESPONSE gives (RFC 9309 section 2.3.1)."""
    if 200 <= response.status < 300:
        return RobotsRules(Protego.parse(response.body.decode("utf-8", errors="replace")))
    if response.status == 429 or response.status >= 500:
        return RobotsRules(error=f"HTTP {response.status}")
    return RobotsRules()  # 4xx, or a redirect with nowhere to go: no rules
