"""Canonical URLs and scope checks for the portal.

Every alias of an article URL (http/https, ``www.``, tracking parameters, trailing
slash, fragment, dot segments, ``;jsessionid=``, percent-encoding, case, a trailing
space) must resolve to one archive row, so identity is decided here and nowhere else.

A site is a host *and* a port: ``http://`` and ``https://`` on their default ports are the
same site, the same host on another port is another server (issue 9).
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

logger = logging.getLogger(__name__)

#: Query parameters that never change what a page shows (analytics, share buttons).
TRACKING_PARAMETERS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "ref",
        "ref_src",
        "amp",
        "share",
    }
)
TRACKING_PREFIXES = ("utm_",)

#: Path prefix of articles and evergreen pages on the portal's CMS.
ENTRY_PATH_PREFIX = "/entry/"
#: Session ids some servers write into the path (``/entry/x;jsessionid=ABC``).
_PATH_PARAMETERS = re.compile(r";[^/?#]*")
DEFAULT_PORTS = {"http": 80, "https": 443}


def bare_host(host: str) -> str:
    """Return HOST lower-cased without a leading ``www.``.

    >>> bare_host("WWW.TubanKab.go.id")
    'tubankab.go.id'
    """
    host = host.lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def _is_tracking(name: str) -> bool:
    name = name.lower()
    return name in TRACKING_PARAMETERS or name.startswith(TRACKING_PREFIXES)


@functools.lru_cache(maxsize=16384)
def site_key(url: str) -> str:
    """Return the site of URL: its bare host, with ``:port`` when the port is not its scheme's default.

    >>> site_key("https://www.tubankab.go.id:443/x"), site_key("http://127.0.0.1:8000/x")
    ('tubankab.go.id', '127.0.0.1:8000')
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:  # a malformed netloc (``http://[::1``, ``h:P:80``): no site of ours
        return ""
    host = bare_host(parts.hostname or "")
    return host if port in (None, DEFAULT_PORTS.get(parts.scheme.lower())) else f"{host}:{port}"


@functools.lru_cache(
    maxsize=16384
)  # pure, and listings, sitemaps and feeds repeat each link (issue 10)
def canonical_url(url: str, base_url: str | None = None) -> str:
    """Return the canonical form of URL: the identity of a page in the archive.

    Parameters:
        url: an absolute URL as found in a link, a sitemap or a redirect.
        base_url: the portal's base URL; when URL is on the same site (host and port,
            whatever the scheme), the base URL's scheme and port win (the portal serves the
            same paths over http and https) and a ``www.`` alias is folded into the bare host.

    w3lib's ``canonicalize_url`` comes first (percent-encoding, dot segments, query order);
    then the portal's rules. Entry pages (``/entry/<slug>``) drop every query parameter and
    path parameter, and their slug is lower-cased and trimmed: the CMS makes slugs lower-case
    and, like MySQL's default collation, finds the same row for ``ABC`` and ``abc ``.
    Other pages keep their non-tracking parameters, sorted (pagination matters).

    >>> canonical_url("http://www.tubankab.go.id/entry/./abc/;jsessionid=1?utm_source=fb#x", "https://tubankab.go.id")
    'https://tubankab.go.id/entry/abc'
    """
    try:
        url = canonicalize_url(url.strip(), keep_blank_values=True)
    except ValueError:  # w3lib refuses what urlsplit can't read: keep the URL as written
        url = url.strip()
    parts = urlsplit(url)
    scheme = parts.scheme.lower() or "https"
    host = bare_host(parts.hostname or "")
    site = site_key(url)
    port = site.rpartition(":")[2] if ":" in site else None
    if base_url and site_key(base_url) == site:
        scheme = urlsplit(base_url).scheme.lower()
        port = site_key(base_url).rpartition(":")[2] if ":" in site else None
    netloc = f"{host}:{port}" if port else host

    path = parts.path or "/"
    while "//" in path:
        path = path.replace("//", "/")
    if len(path) > 1:
        path = path.rstrip("/")

    if path.startswith(ENTRY_PATH_PREFIX):
        slug = (
            unquote(_PATH_PARAMETERS.sub("", path[len(ENTRY_PATH_PREFIX) :]))
            .strip()
            .lower()
            .rstrip("/")
        )
        path = ENTRY_PATH_PREFIX + quote(slug, safe="/-._~!$&'()*+,=:@")
        query = ""
    else:
        pairs = [
            (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)
        ]
        query = urlencode(sorted(pairs))
    return urlunsplit((scheme, netloc, path, query, ""))


def is_entry_url(url: str) -> bool:
    """Return True when URL points at an article or evergreen page (``/entry/<slug>``).

    >>> is_entry_url("https://tubankab.go.id/entry/asn-dituntut/?utm_source=x")
    True
    >>> is_entry_url("https://tubankab.go.id/entry/")
    False
    """
    path = urlsplit(url).path
    return path.startswith(ENTRY_PATH_PREFIX) and len(path.strip("/")) > len(
        ENTRY_PATH_PREFIX.strip("/")
    )


def scope_of(base_url: str, extra_hosts: list[str] | tuple[str, ...] = ()) -> frozenset[str]:
    """Return the sites in scope: the base URL's (host and port) and EXTRA_HOSTS (``host`` or ``host:port``).

    >>> sorted(scope_of("http://127.0.0.1:8000", ["diskominfo.tubankab.go.id"]))
    ['127.0.0.1:8000', 'diskominfo.tubankab.go.id']
    """
    return frozenset(
        {site_key(base_url)} | {bare_host(h.strip()) for h in extra_hosts if h.strip()}
    )


def in_scope(url: str, allowed_sites: frozenset[str] | set[str]) -> bool:
    """Return True when URL is http(s) on one of ALLOWED_SITES (as ``site_key`` writes them).

    >>> in_scope("http://www.tubankab.go.id/x", {"tubankab.go.id"})
    True
    >>> in_scope("https://example.org/x", {"tubankab.go.id"}), in_scope("http://tubankab.go.id:8080/x", {"tubankab.go.id"})
    (False, False)
    """
    if not url.lower().startswith(("http://", "https://")):
        return False
    return site_key(url) in allowed_sites


def entry_links(
    links: Iterable[str], allowed_sites: frozenset[str] | set[str], base_url: str | None
) -> list[tuple[str, str]]:
    """Return (link, canonical URL) for each of LINKS (absolute) that is an entry on one of ALLOWED_SITES.

    >>> entry_links(["http://t.id/entry/a?utm_source=x", "https://example.org/entry/b",
    ...              "http://t.id/berita", "http://t.id/entry/%2e%2e/admin"], {"t.id"}, "http://t.id")
    [('http://t.id/entry/a?utm_source=x', 'http://t.id/entry/a')]
    """
    found = []
    for link in links:
        if not is_entry_url(link) or not in_scope(link, allowed_sites):
            continue
        url = canonical_url(link, base_url)
        if is_entry_url(url):  # /entry/%2e%2e/admin is /admin
            found.append((link, url))
    return found
