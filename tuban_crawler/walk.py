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

logger = logging.getLogger(__name__)

#: A hub walked to at least this share of the largest hub's pages is a main listing: an
#: incremental run walks it (until caught up) even when no start path leads to it.
MAIN_HUB_SHARE = 0.5


@dataclass
class Walk:
    """The listing pages, hubs and announced entries of one run."""

    hub_pages: Counter[str] = field(default_factory=Counter)  # hub → listing pages walked
    start_hubs: set[str] = field(default_factory=set)  # hubs reached from a start path in one hop
    announced: set[str] = field(default_factory=set)  # entries a sitemap or feed listed
    unreached: set[str] = field(default_factory=set)  # of those, neither archived before nor reached
    settled: set[str] = field(default_factory=set)  # entries fetched to a conclusion this run
    lost_main_hubs: list[str] = field(default_factory=list)  # main hubs of the last walk that list nothing now

    @property
    def listing_pages(self) -> int:
        """Return how many listing pages the run walked."""
        return sum(self.hub_pages.values())

    def listing_page(self, hub: str, from_start: bool) -> None:
        """Count one listing page of HUB (FROM_START: the hub is a start page or linked from one)."""
        self.hub_pages[hub] += 1
        if from_start:
            self.start_hubs.add(hub)

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


def walk_record(walk: Walk, run_id: str) -> dict[str, Any]:
    """Return what ``crawl_state`` keeps of a complete walk (``last_walk``), for the next runs to compare with."""
    return {"run_id": run_id, "listing_pages": walk.listing_pages, "hubs": len(walk.hub_pages),
            "hub_pages": dict(walk.hub_pages)}


def main_hubs(last_walk: dict[str, Any] | None) -> dict[str, int]:
    """Return {hub: pages} of the main listings of LAST_WALK (the largest chains), or {} without one.

    >>> main_hubs({"hub_pages": {"/berita": 30, "/kategori/umum": 4, "/warta": 20}})
    {'/berita': 30, '/warta': 20}
    """
    pages = (last_walk or {}).get("hub_pages") or {}
    if not pages:
        return {}
    largest = max(pages.values())
    return {hub: n for hub, n in sorted(pages.items(), key=lambda kv: -kv[1]) if n >= largest * MAIN_HUB_SHARE}
