"""Canonical URLs and scope checks for the portal.

Every alias of an article URL (http/https, ``www.``, tracking parameters, trailing
slash, fragment) must resolve to one archive row, so identity is decided here and
nowhere else.
"""

from __future__ import annotations

import logging
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

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


def canonical_url(url: str, base_url: str | None = None) -> str:
    """Return the canonical form of URL: the identity of a page in the archive.

    Parameters:
        url: an absolute URL as found in a link, a sitemap or a redirect.
        base_url: the portal's base URL; when given, its scheme wins (the portal serves
            the same paths over http and https) and a ``www.`` alias of its host is
            folded into the bare host.

    Entry pages (``/entry/<slug>``) drop every query parameter: the CMS ignores them.
    Other pages keep their non-tracking parameters, sorted (pagination matters).

    >>> canonical_url("http://www.tubankab.go.id/entry/abc/?utm_source=fb#x", "https://tubankab.go.id")
    'https://tubankab.go.id/entry/abc'
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower() or "https"
    host = bare_host(parts.hostname or "")
    port = parts.port
    if base_url:
        base = urlsplit(base_url)
        if bare_host(base.hostname or "") == host:
            scheme = base.scheme.lower()
            port = base.port
    default_port = {"http": 80, "https": 443}.get(scheme)
    netloc = host if port in (None, default_port) else f"{host}:{port}"

    path = parts.path or "/"
    while "//" in path:
        path = path.replace("//", "/")
    if len(path) > 1:
        path = path.rstrip("/")

    if path.startswith(ENTRY_PATH_PREFIX):
        query = ""
    else:
        pairs = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)]
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
    return path.startswith(ENTRY_PATH_PREFIX) and len(path.strip("/")) > len(ENTRY_PATH_PREFIX.strip("/"))


def in_scope(url: str, allowed_hosts: frozenset[str] | set[str]) -> bool:
    """Return True when URL is http(s) on one of ALLOWED_HOSTS (bare hosts: compared without ``www.``).

    >>> in_scope("http://www.tubankab.go.id/x", {"tubankab.go.id"})
    True
    >>> in_scope("https://example.org/x", {"tubankab.go.id"})
    False
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return False
    return bare_host(parts.hostname or "") in allowed_hosts

