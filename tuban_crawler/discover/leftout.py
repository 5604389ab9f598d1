"""What the archive leaves out, named: the regency's hosts the crawl saw links to and does not archive.

A link is to one of *the regency's hosts* when its host shares the registrable domain of a
site in scope (``diskominfo.tubankab.go.id`` beside ``tubankab.go.id``: the public suffix is
``go.id``, read from the Public Suffix List that tldextract carries, never fetched), or, for a
site whose host is an address or a name without a public suffix (``127.0.0.1:8000``,
``localhost``), when it is the same host on another port. A link to such a host, not in scope,
is *left out*: the run report names its origin with the number of links seen, so that the
archivist can add it in one command.

Memory is bounded: ``MAX_HOSTS`` origins are counted, links to any further ones only as one
number (a portal linking a thousand hosts of its domain is itself news for the report).
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import tldextract

from tuban_crawler.discover.sites import site_of
from tuban_crawler.discover.urls import bare_host, in_scope

#: Origins counted by name in one run; links to more are counted together.
MAX_HOSTS = 200

# The Public Suffix List as tldextract ships it: no download (suffix_list_urls=()), no cache
# files written (cache_dir=None). A suffix newer than the snapshot only makes a host its own
# domain: it is then left out of this list, never wrongly put in.
_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


@functools.lru_cache(maxsize=16384)  # pages repeat their links (the site's chrome)
def _origin_and_host(url: str) -> tuple[str, str] | None:
    """Return URL's site (``sites.site_of``) and its bare host, or None when it has none."""
    origin = site_of(url)
    if not origin:
        return None
    return origin, bare_host(urlsplit(origin).hostname or "")


@functools.lru_cache(maxsize=4096)
def family(host: str) -> str:
    """Return the registrable domain of HOST, or HOST itself when it is an address or has no public suffix.

    >>> family("diskominfo.tubankab.go.id"), family("www.tubankab.go.id"), family("127.0.0.1")
    ('tubankab.go.id', 'tubankab.go.id', '127.0.0.1')
    >>> family("a.example.co.uk"), family("localhost")
    ('example.co.uk', 'localhost')
    """
    host = bare_host(host.strip("[]"))
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    parts = _EXTRACT(host)
    if not parts.suffix or not parts.domain:
        return host
    return f"{parts.domain}.{parts.suffix}"


def _host_of(site: str) -> str:
    """Return the host of SITE as ``site_key`` writes it (``host`` or ``host:port``, ``[v6]:port``)."""
    if site.startswith("["):
        return site[1 : site.index("]")]
    host, _, port = site.rpartition(":")
    return host if port.isdigit() and host else site


def families(sites: Iterable[str]) -> frozenset[str]:
    """Return the families of SITES (as ``urls.site_key`` writes them: ``host`` or ``host:port``).

    >>> sorted(families(["127.0.0.1:8000", "tubankab.go.id", "ppid.tubankab.go.id"]))
    ['127.0.0.1', 'tubankab.go.id']
    """
    return frozenset(family(_host_of(site)) for site in sites)


def left_out_origin(url: str, sites: frozenset[str], of_sites: frozenset[str]) -> str | None:
    """Return the origin of URL when it is one of the regency's hosts left out of SITES, else None.

    Parameters:
        url: an absolute link.
        sites: the sites in scope, as ``urls.site_key`` writes them.
        of_sites: their ``families`` (computed once per run).

    >>> scope = frozenset({"127.0.0.1:8000", "tubankab.go.id"})
    >>> left_out_origin("http://127.0.0.1:8004/entry/x", scope, families(scope))
    'http://127.0.0.1:8004'
    >>> left_out_origin("https://ppid.tubankab.go.id/page/3", scope, families(scope))
    'https://ppid.tubankab.go.id'
    >>> [left_out_origin(u, scope, families(scope)) for u in
    ...  ("http://127.0.0.1:8000/x", "https://www.tubankab.go.id/y", "https://example.org/", "mailto:x@y")]
    [None, None, None, None]
    """
    if in_scope(url, sites):  # most links: one cached look-up (urls.site_key)
        return None
    found = _origin_and_host(url)
    if found is None:
        return None
    origin, host = found
    return origin if family(host) in of_sites else None


@dataclass
class LeftOut:
    """The regency's hosts a run saw links to and does not archive, with how many links each."""

    sites: frozenset[str]
    max_hosts: int = MAX_HOSTS
    links: dict[str, int] = field(default_factory=dict)  # origin -> links seen
    more_links: int = 0  # links to origins past MAX_HOSTS
    of_sites: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        self.of_sites = families(self.sites)

    def count(self, page_links: Iterable[str]) -> int:
        """Count the left-out links of one page (each distinct link once); return how many there were."""
        found = 0
        for link in set(page_links):
            origin = left_out_origin(link, self.sites, self.of_sites)
            if origin is None:
                continue
            found += 1
            if origin in self.links or len(self.links) < self.max_hosts:
                self.links[origin] = self.links.get(origin, 0) + 1
            else:
                self.more_links += 1
        return found

    def report(self) -> dict[str, Any]:
        """Return what the run report keeps: ``{"hosts": {origin: links}, "more_links": n}``, most linked first."""
        ranked = sorted(self.links.items(), key=lambda item: (-item[1], item[0]))
        return {"hosts": dict(ranked), "more_links": self.more_links}
