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
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

from tuban_crawler.discover.sites import DEFAULT_ENTRY, EntryPattern

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

#: Path prefix of articles and evergreen pages on the portal's CMS (a site's own: ``discover.sites``).
ENTRY_PATH_PREFIX = DEFAULT_ENTRY.prefix
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
def canonical_url(
    url: str, base_url: str | None = None, entry: EntryPattern = DEFAULT_ENTRY
) -> str:
    """Return the canonical form of URL: the identity of a page in the archive.

    Parameters:
        url: an absolute URL as found in a link, a sitemap or a redirect.
        base_url: the portal's base URL; when URL is on the same site (host and port,
            whatever the scheme), the base URL's scheme and port win (the portal serves the
            same paths over http and https) and a ``www.`` alias is folded into the bare host.
        entry: how the site of URL addresses its entries (``discover.sites``; default ``/entry/<slug>``).

    w3lib's ``canonicalize_url`` comes first (percent-encoding, dot segments, query order);
    then the portal's rules. Entry pages (``/entry/<slug>``, or the site's template) drop every
    query parameter and path parameter, and their slug is lower-cased and trimmed: the CMS makes
    slugs lower-case and, like MySQL's default collation, finds the same row for ``ABC`` and ``abc ``.
    Other pages (and entries of a ``re:`` pattern) keep their non-tracking parameters, sorted
    (pagination matters).

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

    entry_path = None if entry.keeps_query else entry.entry_path(path)
    if entry_path is not None:
        path, query = entry_path, ""
    else:
        query = _kept_query(parts.query)
    return urlunsplit((scheme, netloc, path, query, ""))


def _kept_query(query: str) -> str:
    """Return QUERY without its tracking parameters, sorted."""
    pairs = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if not _is_tracking(k)]
    return urlencode(sorted(pairs))


def is_entry_url(url: str, entry: EntryPattern = DEFAULT_ENTRY) -> bool:
    """Return True when URL points at an article or evergreen page (``/entry/<slug>``, or ENTRY).

    >>> is_entry_url("https://tubankab.go.id/entry/asn-dituntut/?utm_source=x")
    True
    >>> is_entry_url("https://tubankab.go.id/entry/")
    False
    """
    parts = urlsplit(url)
    query = parts.query
    if query and entry.keeps_query:  # a ``re:`` pattern sees the query as the archive keeps it
        query = _kept_query(query)
    return entry.matches(parts.path, query)


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
