"""The start of a run: its mode, the archive's own work first, and which start pages to ask for.

Retries of earlier failures come first, then the entries earlier runs discovered but never
fetched (the frontier), then revisits of recent articles, then (``full``) every archived one;
the discovery pages follow (``crawl.spiders.tuban``).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping, Set
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from tuban_crawler.discover.failures import OPTIONAL_MISSES
from tuban_crawler.discover.urls import is_entry_url
from tuban_crawler.discover.walk import main_hubs

#: Priorities: retries of failures first, then what earlier runs left, then the rest.
PRIORITY_FAILED, PRIORITY_FRONTIER, PRIORITY_REVISIT = 30, 20, 10
#: The portal's time zone (WIB): dates in the archive are written in it.
WIB = timezone(timedelta(hours=7))
#: What ``start_page`` says of a start page: ask for it, hold it like the sources, or skip it.
ASK, HOLD, SKIP = "ask", "hold", "skip"


def run_mode(requested: str, backfill_done: bool) -> str:
    """Return the run's mode: REQUESTED, except that an archive whose backfill never finished is walked in full.

    >>> run_mode("incremental", False), run_mode("incremental", True), run_mode("full", False)
    ('backfill', 'incremental', 'full')
    """
    return "backfill" if requested == "incremental" and not backfill_done else requested


def revisit_since(days: float, now: datetime | None = None) -> str:
    """Return the publication time (WIB, ISO) after which an article is fetched again, DAYS before NOW.

    >>> revisit_since(7, datetime(2026, 12, 8, 0, 0, tzinfo=timezone.utc))
    '2026-12-01T07:00:00+07:00'
    """
    since = (now or datetime.now(timezone.utc)) - timedelta(days=days)
    return since.astimezone(WIB).isoformat(timespec="seconds")


@dataclass
class ArchiveAtStart:
    """What the archive held when the run started, as the start plan and the spider's callbacks read it."""

    #: Archived entries (canonical URLs).
    known: set[str] = field(default_factory=set)
    #: Each archived entry's ``ETag`` and ``Last-Modified``: its next request is conditional.
    validators: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    #: Discovery pages that failed before: their failure is cleared when one is read.
    failed_pages: set[str] = field(default_factory=set)
    #: Entries that failed before: retried first.
    failed_entries: set[str] = field(default_factory=set)
    #: Failed too often (``TUBAN_MAX_ATTEMPTS``): not asked for again.
    given_up: set[str] = field(default_factory=set)
    #: The last full walk (``discover.walk.walk_record``), or None.
    last_walk: dict[str, Any] | None = None


@dataclass(frozen=True)
class EntryWork:
    """A request the archive owes at the start of a run: an entry, or a discovery page that failed."""

    url: str
    priority: int
    page: bool = False  # a discovery page (read as a listing), not an entry
    force: bool = True  # fetched even when archived
    hint: str | None = None  # the date written beside its link
    past_filter: bool = False  # past the duplicate filter a paused run (--resume) kept


def archive_work(
    failed: Collection[str],
    frontier: Mapping[str, str | None],
    revisit: Set[str],
    known: Set[str],
    mode: str,
    is_entry: Callable[[str], bool] = is_entry_url,
) -> Iterator[EntryWork]:
    """Yield the archive's own work, in order: failures to retry, the frontier, revisits, then (``full``) the rest.

    IS_ENTRY says which failed URLs are entries (by their site's pattern); the others are pages.

    >>> [(w.url, w.priority) for w in archive_work({"http://h/x"}, {"http://h/entry/f": None}, set(), set(), "incremental")]
    [('http://h/x', 30), ('http://h/entry/f', 20)]
    """
    for url in failed:
        yield EntryWork(url, PRIORITY_FAILED, page=not is_entry(url))
    for url, hint in frontier.items():
        # A request a paused run sent but never saw answered is still the archive's to fetch.
        yield EntryWork(url, PRIORITY_FRONTIER, force=False, hint=hint, past_filter=True)
    for url in sorted(revisit):
        yield EntryWork(url, PRIORITY_REVISIT)
    if mode == "full":
        for url in sorted(set(known) - set(revisit)):
            yield EntryWork(url, 0)


def start_page(
    url: str,
    mode: str,
    due: bool,
    last_walk: dict[str, Any] | None,
    last_answer: Mapping[str, Any] | None,
    in_scope: Callable[[str], bool],
) -> str:
    """Return ``ASK``, ``HOLD`` or ``SKIP`` for the start page at URL.

    A start page that listed nothing its main listing's first page did not (a home page showing
    the newest articles) is held like the sources, and read again as often: the main listing is
    walked anyway. One that answered a miss is not asked again before it is DUE (a main listing
    lost is loud: it is asked).

    Parameters:
        url: the start page.
        mode: the run's mode.
        due: it was never read, or not for ``TUBAN_SOURCES_RECHECK_DAYS``.
        last_walk: the record of the last full walk (its main listings, the starts they cover).
        last_answer: what it answered last (``status``, ``checked_at``).
        in_scope: whether a URL is on the portal.

    >>> walk = {"hub_pages": {"http://h/berita": 30}, "covered_starts": {"http://h/": "http://h/berita"}}
    >>> start_page("http://h/", "incremental", False, walk, {"status": 200}, lambda u: True)
    'hold'
    """
    if mode != "incremental" or due:
        return ASK
    main = set(main_hubs(last_walk))
    covered = (last_walk or {}).get("covered_starts") or {}
    if (last_answer or {}).get("status") in OPTIONAL_MISSES and url not in main:
        return SKIP
    if covered.get(url) in main and in_scope(covered[url]):
        return HOLD
    return ASK


def caught_up(
    caught_up_hubs: Set[str], last_walk: dict[str, Any] | None, lost_main: bool, failed: bool
) -> bool:
    """Return True when an incremental run's listings reached archived articles: nothing newer is unseen.

    The main listings of the last full walk decide when there are some (a chain that caught up
    among them, none lost, no page of a chain failed); else any listing.

    >>> caught_up({"http://h/b"}, None, lost_main=False, failed=False)
    True
    """
    if failed or lost_main:
        return False
    main = set(main_hubs(last_walk))
    return bool(caught_up_hubs & main if main else caught_up_hubs)


@dataclass
class CatchUp:
    """An incremental run catching up: the chains that reached archived articles, and what waits on it.

    ``held`` are the requests (feeds, sitemaps, start pages) asked for only if the listings do
    not catch up; a listing that ``failed`` says nothing about being caught up.

    >>> catch_up = CatchUp()
    >>> catch_up.hubs.add("http://h/b")
    >>> catch_up.done(None, lost_main=False)
    True
    >>> catch_up.failed = True
    >>> catch_up.done(None, lost_main=False)
    False
    """

    hubs: set[str] = field(default_factory=set)
    failed: bool = False
    held: list[Any] = field(default_factory=list)

    def done(self, last_walk: dict[str, Any] | None, lost_main: bool) -> bool:
        """Return True when the listings caught up (``caught_up``), given the LAST_WALK and whether a main hub was lost."""
        return caught_up(self.hubs, last_walk, lost_main=lost_main, failed=self.failed)
