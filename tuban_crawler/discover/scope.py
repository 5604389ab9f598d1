"""The sites a crawl archives, and each URL judged by its own site's rules (issue 22).

A crawl's scope is its sites (the base URL's, the portal, first; then those the archive lists,
added with ``tuban-crawler sites add``) and the hosts of ``TUBAN_EXTRA_HOSTS``. An extra host is
scope only: its links are followed and its ``/entry/<slug>`` pages archived, but it has no
start paths, sitemaps, feeds or entry pattern of its own; make it a site for those.

Identity (``canonical_url``) and what an entry is (``is_entry_url``) are decided per URL by the
site the URL is on, so that ``/page/12`` is an entry on ``ppid.`` and a page anywhere else.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from tuban_crawler.discover.sites import DEFAULT_ENTRY, EntryPattern, Site, site_of
from tuban_crawler.discover.urls import canonical_url, in_scope, is_entry_url, scope_of, site_key

logger = logging.getLogger(__name__)


def merge_sites(base: Site, archived: Iterable[Site]) -> tuple[Site, ...]:
    """Return the sites of a crawl: BASE first (with what the archive says of it), then ARCHIVED, each once.

    >>> [s.origin for s in merge_sites(Site("https://a.go.id"), [Site("http://a.go.id"), Site("https://b.go.id")])]
    ['https://a.go.id', 'https://b.go.id']
    """
    sites: dict[str, Site] = {site_key(base.origin): base}
    for site in archived:
        key = site_key(site.origin)
        if key == site_key(base.origin):
            # The archive's own row of the base site (its pattern and paths), at the base URL's scheme.
            sites[key] = Site(
                base.origin, site.entry, site.start_paths, site.sitemaps, site.feeds, site.note
            )
        else:
            sites.setdefault(key, site)
    return tuple(sites.values())


@dataclass(frozen=True)
class SiteScope:
    """The sites of a crawl and the extra hosts in scope; each URL judged by its site's rules."""

    sites: tuple[Site, ...]
    extra_hosts: tuple[str, ...] = ()

    @classmethod
    def of(
        cls, base_url: str, archived: Iterable[Site] = (), extra_hosts: Iterable[str] = ()
    ) -> SiteScope:
        """Return the scope of a crawl of BASE_URL (the default site) and the ARCHIVED sites, with EXTRA_HOSTS."""
        return cls(
            merge_sites(Site(site_of(base_url) or base_url.rstrip("/")), archived),
            tuple(extra_hosts),
        )

    @property
    def base(self) -> Site:
        """Return the default site (the base URL's)."""
        return self.sites[0]

    @functools.cached_property
    def hosts(self) -> frozenset[str]:
        """Return the sites in scope as ``site_key`` writes them (host, and port when not a default).

        >>> sorted(SiteScope.of("http://127.0.0.1:8000", [Site("http://127.0.0.1:8001")], ["x.go.id"]).hosts)
        ['127.0.0.1:8000', '127.0.0.1:8001', 'x.go.id']
        """
        return scope_of(self.base.origin, list(self.extra_hosts)) | {
            site_key(site.origin) for site in self.sites
        }

    def site(self, url: str) -> Site | None:
        """Return the site URL is on, or None (an extra host's, or out of scope)."""
        return self._by_key.get(site_key(url))

    @functools.cached_property
    def _by_key(self) -> dict[str, Site]:
        return {site_key(site.origin): site for site in self.sites}

    def entry_pattern(self, url: str) -> EntryPattern:
        """Return the entry pattern of URL's site (``/entry/<slug>`` off the sites)."""
        site = self.site(url)
        return site.entry if site else DEFAULT_ENTRY

    def is_entry(self, url: str) -> bool:
        """Return True when URL is an entry of its site (by the site's pattern).

        >>> from tuban_crawler.discover.sites import new_site
        >>> scope = SiteScope.of("https://tubankab.go.id", [new_site("https://ppid.tubankab.go.id", "/page/<id>")])
        >>> scope.is_entry("https://ppid.tubankab.go.id/page/4"), scope.is_entry("https://ppid.tubankab.go.id/entry/x")
        (True, False)
        >>> scope.is_entry("https://tubankab.go.id/entry/x"), scope.is_entry("https://tubankab.go.id/page/4")
        (True, False)
        """
        return is_entry_url(url, self.entry_pattern(url))

    def canonical(self, url: str) -> str:
        """Return the canonical URL of URL by its site's rules (its site's scheme and entry pattern)."""
        site = self.site(url)
        if site is None:
            return canonical_url(url, self.base.origin)
        return canonical_url(url, site.origin, site.entry)

    def in_scope(self, url: str) -> bool:
        """Return True when URL is http(s) on one of the sites or extra hosts."""
        return in_scope(url, self.hosts)

    def site_name(self, url: str) -> str:
        """Return the origin of the site URL belongs to (its own origin off the sites)."""
        site = self.site(url)
        return site.origin if site else site_of(url)

    def entry_links(self, links: Iterable[str]) -> list[tuple[str, str]]:
        """Return (link, canonical URL) for each of LINKS (absolute) that is an entry of its site in scope.

        >>> SiteScope.of("http://t.id").entry_links(["http://t.id/entry/a?utm_source=x",
        ...     "https://example.org/entry/b", "http://t.id/berita", "http://t.id/entry/%2e%2e/admin"])
        [('http://t.id/entry/a?utm_source=x', 'http://t.id/entry/a')]
        """
        found = []
        for link in links:
            if not self.is_entry(link) or not self.in_scope(link):
                continue
            url = self.canonical(link)
            if self.is_entry(url):  # /entry/%2e%2e/admin is /admin
                found.append((link, url))
        return found
