"""The sites of an archive: each an origin with its own entry pattern, start paths, sitemaps and feeds (issue 22).

The regency does not publish on one host: the portal and its offices' sites (``diskominfo.``,
``ppid.``, ``ayoningtuban.``...) each have their own listings, robots.txt, sitemaps, feeds and
entry addresses. A site is named by its origin (``site_of``), and recognises its entries by
one pattern (``EntryPattern``):

- ``/entry/<slug>`` (the default, the portal's CMS): ``<slug>`` as the last part of a
  template is the rest of the path (lower-cased and trimmed in the canonical URL, as the
  CMS finds the same row for ``ABC`` and ``abc ``);
- another template with one ``<slug>`` or ``<id>`` (digits): ``/page/<id>``, ``/blog/<slug>``,
  ``/p/<id>.html``; a template entry drops its query and path parameters (``;jsessionid=``);
- ``re:`` and a regular expression, searched in the path and query (``re:^/berita\\.php\\?id=\\d+$``);
  such an entry keeps its non-tracking query parameters, as any other page.

Pure: no Scrapy, no SQLite. Where a site's rules are applied to a URL is ``discover.scope``.
"""

from __future__ import annotations

import functools
import json
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote, urlsplit

logger = logging.getLogger(__name__)

DEFAULT_PORTS = {"http": 80, "https": 443}
#: The portal's CMS: articles and evergreen pages at ``/entry/<slug>``.
DEFAULT_ENTRY_PATTERN = "/entry/<slug>"
_PLACEHOLDER = re.compile(r"<(slug|id)>")
#: Session ids some servers write into the path (``/entry/x;jsessionid=ABC``).
_PATH_PARAMETERS = re.compile(r";[^/?#]*")
_SAFE_PATH = "/-._~!$&'()*+,=:@"


class SiteError(ValueError):
    """A site or an entry pattern that can't be used, said in one line."""


@functools.lru_cache(maxsize=16384)
def site_of(url: str) -> str:
    """Return the site of URL: its origin ``scheme://host[:port]``, lower case, ``www.`` dropped, default port dropped.

    An empty string for what has no http(s) host (a relative or malformed URL).

    >>> site_of("https://WWW.TubanKab.go.id/entry/abc?x=1"), site_of("http://127.0.0.1:8123/")
    ('https://tubankab.go.id', 'http://127.0.0.1:8123')
    >>> site_of("https://tubankab.go.id:443"), site_of("/entry/abc"), site_of("http://[::1")
    ('https://tubankab.go.id', '', '')
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return ""
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower().rstrip(".")
    if scheme not in DEFAULT_PORTS or not host:
        return ""
    if host.startswith("www."):
        host = host[4:]
    if ":" in host:  # an IPv6 address keeps its brackets in an origin
        host = f"[{host}]"
    return (
        f"{scheme}://{host}"
        if port in (None, DEFAULT_PORTS[scheme])
        else f"{scheme}://{host}:{port}"
    )


@dataclass(frozen=True)
class EntryPattern:
    """How a site's entry pages are addressed: a path template with ``<slug>`` or ``<id>``, or a ``re:`` regex."""

    text: str
    prefix: str = ""  # a template's literal path before its placeholder
    placeholder: str = ""  # "slug" or "id"; empty for a regex
    suffix: str = ""  # a template's literal path after its placeholder
    regex: re.Pattern[str] | None = field(default=None, compare=False, hash=False)

    @classmethod
    @functools.lru_cache(maxsize=256)
    def parse(cls, text: str) -> EntryPattern:
        """Return the entry pattern TEXT writes, or raise SiteError saying why it can't be one.

        >>> EntryPattern.parse("/page/<id>").prefix, EntryPattern.parse("re:^/p/[0-9]+$").placeholder
        ('/page/', '')
        >>> EntryPattern.parse("/berita")
        Traceback (most recent call last):
        ...
        tuban_crawler.discover.sites.SiteError: entry pattern '/berita' has no <slug> or <id> (e.g. /entry/<slug>, /page/<id>, or re:REGEX)
        """
        text = (text or "").strip()
        if text.startswith("re:"):
            try:
                regex = re.compile(text[3:])
            except re.error as error:
                raise SiteError(
                    f"entry pattern {text!r} is not a regular expression: {error}"
                ) from None
            if not text[3:]:
                raise SiteError("entry pattern 're:' needs a regular expression after it")
            return cls(text, regex=regex)
        found = _PLACEHOLDER.findall(text)
        if not text.startswith("/"):
            raise SiteError(f"entry pattern {text!r} must be a path starting with / (or re:REGEX)")
        if len(found) != 1:
            raise SiteError(
                f"entry pattern {text!r} has "
                + ("no <slug> or <id>" if not found else "more than one <slug> or <id>")
                + " (e.g. /entry/<slug>, /page/<id>, or re:REGEX)"
            )
        prefix, _, suffix = _PLACEHOLDER.split(text, maxsplit=1)
        if "<" in prefix + suffix or ">" in prefix + suffix:
            raise SiteError(f"entry pattern {text!r}: only <slug> and <id> are placeholders")
        return cls(text, prefix=prefix, placeholder=found[0], suffix=suffix)

    @property
    def keeps_query(self) -> bool:
        """Return True when an entry's query is part of its identity (a ``re:`` pattern)."""
        return self.regex is not None

    def entry_path(self, path: str, query: str = "") -> str | None:
        """Return the canonical path of the entry at PATH (and QUERY), or None when it is no entry of this pattern.

        PATH is already normalised (no double or trailing slash). A template's entry loses its
        path parameters; a slug is unquoted, trimmed and lower-cased, then quoted again.

        >>> p = EntryPattern.parse("/entry/<slug>")
        >>> p.entry_path("/entry/ABC%20;jsessionid=1"), p.entry_path("/entry"), p.entry_path("/berita")
        ('/entry/abc', None, None)
        >>> EntryPattern.parse("/page/<id>").entry_path("/page/12"), EntryPattern.parse("/page/<id>").entry_path("/page/x")
        ('/page/12', None)
        >>> EntryPattern.parse("re:^/p\\\\?id=[0-9]+$").entry_path("/p", "id=3")
        '/p'
        """
        if self.regex is not None:
            return path if self.regex.search(path + (f"?{query}" if query else "")) else None
        if not path.startswith(self.prefix) or not path.endswith(self.suffix):
            return None
        end = len(path) - len(self.suffix)
        if end <= len(self.prefix):
            return None
        value = unquote(_PATH_PARAMETERS.sub("", path[len(self.prefix) : end]))
        if self.placeholder == "id":
            value = value.strip()
            if not value.isascii() or not value.isdigit():
                return None
        else:
            value = value.strip().lower().rstrip("/")
            # As the CMS: a slug ending a template is the rest of the path; inside one, one segment.
            if not value.strip("/") or (self.suffix and "/" in value):
                return None
        return self.prefix + quote(value, safe=_SAFE_PATH) + self.suffix

    def matches(self, path: str, query: str = "") -> bool:
        """Return True when PATH (and QUERY) address an entry of this pattern, as found in a link.

        >>> EntryPattern.parse("/entry/<slug>").matches("/entry/asn-dituntut/"), EntryPattern.parse("/entry/<slug>").matches("/entry/")
        (True, False)
        """
        if self.regex is None and len(path) > 1:
            path = path.rstrip("/")
        return self.entry_path(path, query) is not None


DEFAULT_ENTRY = EntryPattern.parse(DEFAULT_ENTRY_PATTERN)


@dataclass(frozen=True)
class Site:
    """One site of an archive: its origin, entry pattern, and the paths to start from (empty: the project's defaults)."""

    origin: str
    entry: EntryPattern = DEFAULT_ENTRY
    start_paths: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    note: str = ""

    def url(self, path_or_url: str) -> str:
        """Return PATH_OR_URL made absolute on this site (a URL is kept as given).

        >>> Site("http://127.0.0.1:8000").url("berita"), Site("https://a.go.id").url("https://b.go.id/rss")
        ('http://127.0.0.1:8000/berita', 'https://b.go.id/rss')
        """
        if "://" in path_or_url:
            return path_or_url
        return f"{self.origin}/{path_or_url.strip().lstrip('/')}"

    def row(self) -> dict[str, Any]:
        """Return the site as a row of the ``sites`` table (lists as JSON)."""
        return {
            "origin": self.origin,
            "entry_pattern": self.entry.text,
            "start_paths": json.dumps(list(self.start_paths)),
            "sitemaps": json.dumps(list(self.sitemaps)),
            "feeds": json.dumps(list(self.feeds)),
            "note": self.note,
        }

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Site:
        """Return the site a row of the ``sites`` table holds (a pattern no longer valid falls back to the default)."""
        try:
            entry = EntryPattern.parse(row.get("entry_pattern") or DEFAULT_ENTRY_PATTERN)
        except SiteError as error:
            logger.warning("site %s: %s; using %s", row["origin"], error, DEFAULT_ENTRY_PATTERN)
            entry = DEFAULT_ENTRY
        return cls(
            row["origin"],
            entry,
            start_paths=tuple(_json_list(row.get("start_paths"))),
            sitemaps=tuple(_json_list(row.get("sitemaps"))),
            feeds=tuple(_json_list(row.get("feeds"))),
            note=row.get("note") or "",
        )


def _json_list(value: Any) -> list[str]:
    try:
        items = json.loads(value) if isinstance(value, str) else value
    except ValueError:
        return []
    return [str(v) for v in items or [] if str(v).strip()]


def new_site(
    url: str,
    entry_pattern: str | None = None,
    start_paths: Sequence[str] = (),
    sitemaps: Sequence[str] = (),
    feeds: Sequence[str] = (),
    note: str = "",
) -> Site:
    """Return the site at URL with its settings checked, or raise SiteError saying what is wrong.

    Parameters:
        url: any URL of the site (its origin is kept: ``https://www.x.go.id/berita`` is ``https://x.go.id``).
        entry_pattern: how its entries are addressed (default ``/entry/<slug>``).
        start_paths: paths (or URLs on the site) to start discovery from.
        sitemaps, feeds: paths or URLs of its sitemaps and feeds.
        note: a word for the archivist.

    >>> new_site("http://www.diskominfo.tubankab.go.id/berita", "/page/<id>", ["berita"]).start_paths
    ('/berita',)
    >>> new_site("tubankab.go.id")
    Traceback (most recent call last):
    ...
    tuban_crawler.discover.sites.SiteError: 'tubankab.go.id' is not a web address: write it with http:// or https://
    """
    origin = site_of(url)
    if not origin:
        raise SiteError(f"{url!r} is not a web address: write it with http:// or https://")
    entry = EntryPattern.parse(entry_pattern) if entry_pattern else DEFAULT_ENTRY
    return Site(
        origin,
        entry,
        _paths(origin, start_paths, "start path"),
        _paths(origin, sitemaps, "sitemap"),
        _paths(origin, feeds, "feed"),
        note,
    )


def _paths(origin: str, values: Iterable[str], what: str) -> tuple[str, ...]:
    """Return VALUES as paths (``/x``) or absolute http(s) URLs, or raise SiteError for one that is neither."""
    paths = []
    for value in values:
        value = value.strip()
        if not value:
            continue
        if "://" in value:
            if not site_of(value):
                raise SiteError(f"{what} {value!r} is not a web address")
            paths.append(value)
        else:
            paths.append("/" + value.lstrip("/"))
    return tuple(dict.fromkeys(paths))


def same_site(a: str, b: str) -> bool:
    """Return True when origins (or URLs) A and B are one site whatever the scheme (http and https serve one site).

    >>> same_site("https://tubankab.go.id", "http://www.tubankab.go.id/x"), same_site("http://h:1", "http://h:2")
    (True, False)
    """
    first, second = site_of(a), site_of(b)
    return bool(first) and first.partition("://")[2] == second.partition("://")[2]
