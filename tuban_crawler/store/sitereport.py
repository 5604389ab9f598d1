"""The run report's line per site (issue 22): each site's counts, walk and coverage, and what it lost.

A run of several sites is judged site by site as well as whole: one office site whose listings
disappeared is a small share of the whole run's listing pages, but all of that site's. Each
site's figures come from the run's stats, counted under ``site/<origin>/...`` (``site_stat``)
by the validate step (coverage), the writer (outcomes) and the spider (entries discovered),
and from the walk by site (``tuban/walk/sites``, ``discover.walk.walk_by_site``). A site's
problems are in the report's ``sites`` and, named, among the run's problems: the run is
broken, and every other site's work is kept as always.
"""

from __future__ import annotations

from typing import Any

from tuban_crawler.discover.sites import site_of
from tuban_crawler.discover.walk import pages_by_site

#: The stats key prefix of the figures counted per site.
SITE_PREFIX = "site/"
#: The crawl's sites (origins, the base URL's first), as the spider set them.
SITES_STAT = "tuban/sites"
#: The walk by site, set by the run recorder at close.
WALK_SITES_STAT = "tuban/walk/sites"


def site_stat(url: str, name: str) -> str:
    """Return the stats key counting NAME for the site of URL.

    >>> site_stat("http://127.0.0.1:8000/entry/x", "new")
    'site/http://127.0.0.1:8000/new'
    """
    return f"{SITE_PREFIX}{site_of(url)}/{name}"


def _key(origin: str) -> str:
    """Return ORIGIN without its scheme (http and https of one host are one site)."""
    return origin.partition("://")[2]


def stats_by_site(stats: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Return the ``site/<origin>/<name>`` STATS as {scheme-free origin: {name: value}}.

    >>> stats_by_site({"site/http://h:1/new": 2, "site/http://h:1/coverage/title": 1, "archive/new": 5})
    {'h:1': {'new': 2, 'coverage/title': 1}}
    """
    found: dict[str, dict[str, Any]] = {}
    for key, value in stats.items():
        if not key.startswith(SITE_PREFIX):
            continue
        scheme, sep, rest = key[len(SITE_PREFIX) :].partition("://")
        host, _, name = rest.partition("/")
        if sep and name:
            found.setdefault(host, {})[name] = value
    return found


def site_reports(
    stats: dict[str, Any],
    history: dict[str, Any],
    thresholds: dict[str, float],
    interrupted: bool,
) -> dict[str, dict[str, Any]]:
    """Return {site: its figures and problems} for each site of the run (none for a run that named no sites).

    Parameters:
        stats: the crawler's stats at close.
        history: ``last_walk`` of the archive before the run (its listing pages by site).
        thresholds: ``RunReport``'s (``min_title_coverage``... ``min_share_of_history``).
        interrupted: the run was cut short (a partial walk says nothing of a site).
    """
    from tuban_crawler.store.report import falls_short, too_many_failed

    sites = stats.get(SITES_STAT) or []
    counted = stats_by_site(stats)
    walks = {_key(site): figures for site, figures in (stats.get(WALK_SITES_STAT) or {}).items()}
    last_pages = {_key(site): n for site, n in pages_by_site(history.get("last_walk")).items()}
    min_share = thresholds["min_share_of_history"]
    reports = {}
    for origin in sites:
        mine, walk = counted.get(_key(origin), {}), walks.get(_key(origin), {})
        seen, articles = mine.get("coverage/seen", 0), mine.get("coverage/articles", 0)
        coverage = {
            name: round(mine.get(f"coverage/{name}", 0) / base, 4) if base else None
            for name, base in (("title", seen), ("published", articles), ("body", seen))
        }
        figures: dict[str, Any] = {
            **{k: mine.get(k, 0) for k in ("new", "updated", "unchanged", "failed", "gone")},
            "discovered": mine.get("discovered", 0),
            **{k: walk.get(k, 0) for k in ("listing_pages", "hubs", "announced", "unreached")},
            "reached": walk.get("reached", 0),
            "coverage": coverage,
        }
        problems = []
        walked_all = stats.get("tuban/mode") in ("backfill", "full")
        # A nightly run may rightly ask a site for nothing (its feeds and sitemaps held while
        # the listings caught up): only a walk of every site must find some of each one's.
        if not interrupted and walked_all and not figures["discovered"]:
            problems.append(
                "no article was discovered (are its start paths, sitemaps and feeds still right?)"
            )
        last = last_pages.get(_key(origin))
        walked = figures["listing_pages"]
        if not interrupted and last and walked_all and walked < min_share * last:
            problems.append(
                f"walked {walked} listing pages; the last full walk walked {last} "
                "(have its listings moved or stopped showing their articles?)"
            )
        announced, unreached = figures["announced"], figures["unreached"]
        if not interrupted and announced >= 5 and (announced - unreached) < min_share * announced:
            problems.append(
                f"{unreached} of the {announced} entries its sitemaps and feeds list were never reached"
            )
        for name, what, sample, threshold in (
            ("title", "pages had a title", seen, thresholds["min_title_coverage"]),
            ("body", "pages had a body", seen, thresholds["min_body_coverage"]),
            ("published", "articles had a date", articles, thresholds["min_date_coverage"]),
        ):
            if falls_short(coverage[name], sample, threshold):
                problems.append(f"only {coverage[name]:.0%} of {what} (has its layout changed?)")
        failed = too_many_failed(
            {
                f"archive/{k}": mine.get(k, 0)
                for k in ("new", "updated", "unchanged", "kept", "rejected")
            }
            | {"archive/entries_failed": mine.get("entries_failed", 0)},
            thresholds["max_failed_share"],
        )
        if failed:
            problems.append(failed)
        reports[origin] = {**figures, "problems": problems}
    return reports
