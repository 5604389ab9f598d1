"""One server, one budget: every request waits in the download slot of the address its host resolves to.

Scrapy keys its download slots (the concurrency ``CONCURRENT_REQUESTS_PER_DOMAIN``, the delay
``DOWNLOAD_DELAY``, AutoThrottle's delay) by host name: ten office sites on one server get ten
times the load the portal gets. Its ``CONCURRENT_REQUESTS_PER_IP`` keyed them by address, but
Scrapy 2.19 deprecates it, its default scheduler queue refuses it, and it knows the address
only once Scrapy's DNS cache does (``Downloader.get_slot_key``: ``dnscache.get(host, host)``,
filled when a connection is made): the first requests to each host, its robots.txt among
them, waited in a slot of the host's own name beside the address's. Here, with
``TUBAN_SLOTS_PER_ADDRESS``, the host is resolved before the request reaches the downloader
and the address is written into ``download_slot``, the slot Scrapy, AutoThrottle and
``RetryAfterMiddleware`` all read: the sites on one address share one slot from their first
request. Heritrix does the same (a DNS lookup is a prerequisite of a host's first fetch).

- an IP literal is its own address (the test portal's sites: ``127.0.0.1:PORT``; Scrapy's
  slots ignore the port in any case);
- a host that does not resolve keeps Scrapy's own key: its download fails as it would have
  (asked once a run: a DNS failure costs no more than one lookup);
- through a proxy (``meta["proxy"]``, or ``http_proxy``... as Scrapy reads them) nothing is
  resolved here: the proxy resolves, and the slot stays the host's;
- a ``download_slot`` set by someone else is kept.
"""

from __future__ import annotations

import ipaddress
import logging
from typing import Any, cast
from urllib.request import getproxies, proxy_bypass

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Request
from scrapy.resolver import dnscache
from scrapy.utils.datatypes import LocalCache
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached

from tuban_crawler.crawl import meta

logger = logging.getLogger(__name__)

#: Scrapy's own meta key: the downloader's slot of a request.
DOWNLOAD_SLOT = "download_slot"


def literal_address(host: str) -> str | None:
    """Return HOST when it is an IP address written out, else None.

    >>> literal_address("127.0.0.1"), literal_address("::1"), literal_address("tubankab.go.id")
    ('127.0.0.1', '::1', None)
    """
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return None


class ServerSlotMiddleware:
    """Downloader middleware: put each request in the slot of its host's address (``TUBAN_SLOTS_PER_ADDRESS``)."""

    def __init__(self, crawler: Crawler) -> None:
        if not crawler.settings.getbool("TUBAN_SLOTS_PER_ADDRESS"):
            raise NotConfigured("TUBAN_SLOTS_PER_ADDRESS is off: slots per host name")
        self.crawler = crawler
        # Scrapy's dnscache is off when DNSCACHE_ENABLED is: the addresses found here are kept
        # apart, as many as Scrapy keeps (a run's hosts are a handful).
        # (A host that does not resolve is kept as "": asked once a run, it keeps Scrapy's key.)
        self.addresses: LocalCache[str, str] = LocalCache(10_000)
        # Read as Scrapy's HttpProxyMiddleware reads them: through a proxy, the proxy resolves.
        self.proxies = getproxies()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ServerSlotMiddleware:
        """Return the middleware (``NotConfigured`` unless ``TUBAN_SLOTS_PER_ADDRESS``)."""
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        """Write the address of REQUEST's host into its ``download_slot`` (once per host; nothing else changes)."""
        parts = urlparse_cached(request)
        host = (parts.hostname or "").lower()
        if not host or self.proxied(request, parts.scheme, host):
            return
        if DOWNLOAD_SLOT in request.meta:
            placed_for = request.meta.get(meta.SLOT_HOST)
            if placed_for is None or placed_for == host:
                return  # someone else's choice, or placed already (a retry)
        # Not placed yet, or placed for another host (a redirect copies the meta).
        address = await self.address_of(host)
        if address is not None:
            request.meta[DOWNLOAD_SLOT] = address
            request.meta[meta.SLOT_HOST] = host
        else:  # a redirect to a host that does not resolve: Scrapy's key, as without us
            request.meta.pop(DOWNLOAD_SLOT, None)
            request.meta.pop(meta.SLOT_HOST, None)

    def proxied(self, request: Request, scheme: str, host: str) -> bool:
        """Return True when REQUEST goes through a proxy (the address of HOST is the proxy's business)."""
        if request.meta.get("proxy"):
            return True
        return bool(self.proxies.get(scheme)) and not proxy_bypass(host)

    async def address_of(self, host: str) -> str | None:
        """Return the address HOST resolves to (IPv4, as Scrapy's resolver), or None when it does not."""
        if host in self.addresses:
            return self.addresses[host] or None
        literal = literal_address(host)
        if literal is not None:
            self.addresses[host] = literal
            return literal
        cached = dnscache.get(host)
        address: str
        if isinstance(cached, str):
            address = cached
        else:
            from twisted.internet import reactor

            try:
                # The installed resolver (Scrapy's CachingThreadedResolver) fills Scrapy's cache too.
                address = await maybe_deferred_to_future(cast(Any, reactor).resolve(host))
            except Exception as error:  # noqa: BLE001 - every DNS failure means the same here
                logger.debug("%s does not resolve (%s): its own slot", host, error)
                self.addresses[host] = ""
                return None
        self.addresses[host] = address
        return address
