"""What one run's discovery saw, to compare with what the site announces and with the last walk.

Pure bookkeeping, no Scrapy objects: the spider tells a ``Walk`` which listing pages it
walked (and under which hub, the first page of each listing chain), which entries the
sitemaps and feeds announced, and which entries it reached; the run report compares that
with the last full walk (``crawl_state`` ``last_walk``) so that a site that moved its
listings, or stopped showing them, makes the run broken instead of quietly smaller (issue 8).
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from tuban_crawler.discover.sites import site_of

logger = logging.getLogger(__name__)

#: A hub walked to at least this share of the largest hub's pages is a main listing: an
#: incremental run walks it (until caught up) even when no start path leads to it.
MAIN_HUB_SHARE = 0.5


@dataclass(frozen=True)
class Discovery:
    """What a run's discovery hands the run recorder at close: its walk and what the sources answered."""

    walk: Walk
    sources: dict[str, dict[str, Any]]


@dataclass
class Walk:
    """The listing pages, hubs and announced entries of one run."""

    hub_pages: Counter[str] = field(default_factory=Counter)  # hub → listing pages walked
    start_hubs: set[str] = field(default_factory=set)  # hubs reached from a start path in one hop
    announced: set[str] = field(default_factory=set)  # entries a sitemap or feed listed
    unreached: set[str] = field(
        default_factory=set
    )  # of those, neither archived before nor reached
    settled: set[str] = field(default_factory=set)  # entries fetched to a conclusion this run
    lost_main_hubs: list[str] = field(
        default_factory=list
    )  # main hubs of the last walk that list nothing now
    # hub → the entries its first page lists (of a start page: those with a date beside them)
    first_pages: dict[str, frozenset[str]] = field(default_factory=dict)
    start_pages: set[str] = field(default_factory=set)  # hubs that are start pages

    @property
    def listing_pages(self) -> int:
        """Return how many listing pages the run walked."""
        return sum(self.hub_pages.values())

    def listing_page(self, hub: str, from_start: bool) -> None:
        """Count one listing page of HUB (FROM_START: the hub is a start page or linked from one)."""
        self.hub_pages[hub] += 1
        if from_start:
            self.start_hubs.add(hub)

    def first_page(self, hub: str, entries: frozenset[str], start: bool) -> None:
        """Note the entries the first page of HUB lists (START: the hub is a start page)."""
        self.first_pages[hub] = entries
        if start:
            self.start_pages.add(hub)

    def covered_starts(self, main: dict[str, int] | None = None) -> dict[str, str | None]:
        """Return {start page read this run: the main hub whose first page lists all its dated entries, or None}.

        A home page repeating the newest of the main listing is one: an incremental run, which
        walks the main hubs anyway, need not fetch it (its paths are never looked at). MAIN:
        the main hubs (default: this walk's own).
        """
        main = main_hubs({"hub_pages": dict(self.hub_pages)}) if main is None else main
        covered: dict[str, str | None] = {}
        for start in sorted(self.start_pages - set(main)):
            covered[start] = None
            entries = self.first_pages.get(start)
            for hub in main:
                if entries and entries <= self.first_pages.get(hub, frozenset()):
                    covered[start] = hub
                    break
        return covered

    def announce(self, url: str, known: bool) -> None:
        """Note that a sitemap or feed lists entry URL (KNOWN: archived before this run)."""
        if url not in self.announced:
            self.announced.add(url)
            if not known and url not in self.settled:
                self.unreached.add(url)

    def reached(self, url: str) -> None:
        """Note that entry URL was fetched to a conclusion (archived, unchanged, gone)."""
        self.settled.add(url)
        self.unreached.discard(url)

    def stats(self) -> dict[str, Any]:
        """Return the walk as crawl stats (``tuban/walk/...``), which the run report reads."""
        return {
            "tuban/walk/listing_pages": self.listing_pages,
            "tuban/walk/hubs": len(self.hub_pages),
            "tuban/walk/start_hubs": len(self.start_hubs),
            "tuban/walk/announced": len(self.announced),
            "tuban/walk/announced_unreached": len(self.unreached),
            "tuban/walk/lost_main_hubs": list(self.lost_main_hubs),
        }


def walk_by_site(walk: Walk) -> dict[str, dict[str, int]]:
    """Return WALK's figures by site (``discover.sites.site_of``): listing pages, hubs, entries announced, not reached, reached.

    Computed once, at the end of a run, for the run report's line per site (issue 22).

    >>> w = Walk(); w.listing_page("http://a:1/berita", True); w.announce("http://b:2/entry/x", False)
    >>> walk_by_site(w)
    {'http://a:1': {'listing_pages': 1, 'hubs': 1, 'announced': 0, 'unreached': 0, 'reached': 0}, 'http://b:2': {'listing_pages': 0, 'hubs': 0, 'announced': 1, 'unreached': 1, 'reached': 0}}
    """
    figures: dict[str, Counter[str]] = {}

    def count(url: str, key: str, n: int = 1) -> None:
        figures.setdefault(site_of(url), Counter())[key] += n

    for hub, pages in walk.hub_pages.items():
        count(hub, "listing_pages", pages)
        count(hub, "hubs")
    for name, urls in (
        ("announced", walk.announced),
        ("unreached", walk.unreached),
        ("reached", walk.settled),
    ):
        for url in urls:
            count(url, name)
    keys = ("listing_pages", "hubs", "announced", "unreached", "reached")
    return {site: {k: c[k] for k in keys} for site, c in sorted(figures.items()) if site}


def pages_by_site(last_walk: dict[str, Any] | None) -> dict[str, int]:
    """Return the listing pages LAST_WALK walked, by site.

    >>> pages_by_site({"hub_pages": {"http://a:1/berita": 30, "http://a:1/x": 2, "http://b:2/": 4}})
    {'http://a:1': 32, 'http://b:2': 4}
    """
    pages: Counter[str] = Counter()
    for hub, n in ((last_walk or {}).get("hub_pages") or {}).items():
        pages[site_of(hub)] += n
    return dict(pages)


def walk_record(walk: Walk, run_id: str) -> dict[str, Any]:
    """Return what ``crawl_state`` keeps of a complete walk (``last_walk``), for the next runs to compare with."""
    covered = {start: hub for start, hub in walk.covered_starts().items() if hub}
    return {
        "run_id": run_id,
        "listing_pages": walk.listing_pages,
        "hubs": len(walk.hub_pages),
        "hub_pages": dict(walk.hub_pages),
        "covered_starts": covered,
    }


def update_covered_starts(last_walk: dict[str, Any], walk: Walk) -> dict[str, Any]:
    """Return LAST_WALK with what an incremental WALK saw of its start pages (covered by a main hub or not)."""
    covered = dict(last_walk.get("covered_starts") or {})
    for start, hub in walk.covered_starts(main_hubs(last_walk)).items():
        if hub:
            covered[start] = hub
        else:
            covered.pop(start, None)
    return {**last_walk, "covered_starts": covered}


def main_hubs(last_walk: dict[str, Any] | None) -> dict[str, int]:
    """Return {hub: pages} of the main listings of LAST_WALK (each site's largest chains), or {} without one.

    >>> main_hubs({"hub_pages": {"/berita": 30, "/kategori/umum": 4, "/warta": 20}})
    {'/berita': 30, '/warta': 20}
    >>> main_hubs({"hub_pages": {"http://a/berita": 30, "http://a/k": 4, "http://b/": 6}})
    {'http://a/berita': 30, 'http://b/': 6}
    """
    pages = (last_walk or {}).get("hub_pages") or {}
    if not pages:
        return {}
    # Each site's own (issue 22): an office's listings are its main ones however small beside the portal's.
    largest: dict[str, int] = {}
    for hub, n in pages.items():
        largest[site_of(hub)] = max(n, largest.get(site_of(hub), 0))
    return {
        hub: n
        for hub, n in sorted(pages.items(), key=lambda kv: -kv[1])
        if n >= largest[site_of(hub)] * MAIN_HUB_SHARE
    }
