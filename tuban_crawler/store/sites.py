"""The archive's sites (issue 22): the ``sites`` table, each article's ``site``, and what ``sites list`` shows.

- ``sites``: one row per site the archive holds (``origin`` its key; ``entry_pattern``;
  ``start_paths``, ``sitemaps``, ``feeds`` as JSON lists, empty for the project's defaults;
  ``added_at``; ``note``). An archive's first crawl records its base URL's site; more are
  added with ``tuban-crawler sites add``. The set is what the archive belongs to
  (``crawl.ownership``): a crawl of a site not in it is refused.
- ``articles.site``: the origin of each article's URL (``discover.sites.site_of``), indexed
  for the site facet; written with every new row, filled by m015 for the rows before it.

The origin rule is ``discover.sites``' (pure, no Scrapy): the store imports it so that one
rule names a row's site everywhere.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from tuban_crawler.discover.sites import Site, same_site, site_of

logger = logging.getLogger(__name__)

#: Rows updated per statement when m015 fills ``articles.site``.
_FILL_BATCH = 5000


def create_sites_schema(db: Database) -> None:
    """Create ``sites`` and ``articles.site`` (indexed), fill the site of every archived row, and record the archive's own site."""
    db.table("sites").create(
        {
            "origin": str,
            "entry_pattern": str,
            "start_paths": str,
            "sitemaps": str,
            "feeds": str,
            "added_at": str,
            "note": str,
        },
        pk="origin",
        if_not_exists=True,
    )
    if "site" not in db.table("articles").columns_dict:
        db.table("articles").add_column("site", str)
    cursor = db.execute("select rowid, url from articles where site is null")
    while batch := cursor.fetchmany(_FILL_BATCH):
        db.conn.executemany(
            "update articles set site = ? where rowid = ?",
            [(site_of(url or ""), rowid) for rowid, url in batch],
        )
    # The site facet counts over its first column; one site's page, newest first, reads it in order.
    db.table("articles").create_index(["site", "published_at"], if_not_exists=True)
    first = db.execute(
        "select base_url, started_at from crawl_runs where base_url is not null"
        " order by started_at, rowid limit 1"
    ).fetchone()
    if first and site_of(first[0]):
        # The site the archive was made for: its first crawl's base URL (crawl.ownership's origin).
        add_site(db, Site(site_of(first[0])), first[1], note="the archive's first site")


def add_site(db: Database, site: Site, added_at: str | None, note: str = "") -> bool:
    """Add SITE to the archive's sites (replacing the row of the same site, whatever its scheme); return True when it was new."""
    existing = find_site(db, site.origin)
    row = {**site.row(), "added_at": added_at, "note": note or site.note}
    if existing is not None:
        row["added_at"] = existing_added_at(db, existing.origin) or added_at
        db.execute("delete from sites where origin = ?", [existing.origin])
    db.table("sites").insert(row, pk="origin")
    return existing is None


def existing_added_at(db: Database, origin: str) -> str | None:
    """Return when the site ORIGIN was added, or None."""
    row = db.execute("select added_at from sites where origin = ?", [origin]).fetchone()
    return row[0] if row else None


def read_sites(db: Database) -> list[Site]:
    """Return the archive's sites in the order they were added (none for an archive older than m015)."""
    try:
        rows = db.execute(
            "select origin, entry_pattern, start_paths, sitemaps, feeds, note from sites"
            " order by added_at, rowid"
        ).fetchall()
    except sqlite3.OperationalError:  # read-only, before m015: no sites table yet
        return []
    names = ("origin", "entry_pattern", "start_paths", "sitemaps", "feeds", "note")
    return [Site.from_row(dict(zip(names, row, strict=True))) for row in rows]


def find_site(db: Database, url: str) -> Site | None:
    """Return the archive's site URL is on (whatever the scheme), or None."""
    return next((site for site in read_sites(db) if same_site(site.origin, url)), None)


def remove_site(db: Database, url: str) -> Site | None:
    """Remove the site URL is on from the archive's sites (its articles stay); return it, or None when it was none."""
    site = find_site(db, url)
    if site is not None:
        db.execute("delete from sites where origin = ?", [site.origin])
    return site


@dataclass(frozen=True)
class SiteSummary:
    """What ``sites list`` says of one site: its settings, articles archived, and its last run."""

    site: Site
    articles: int
    last_run: str | None  # when the last run that crawled it started
    last_status: str | None  # that run's verdict of the site: ok, or its problems
    coverage: dict[str, Any]  # that run's figures for the site (``store.report`` ``sites``)


def run_sites(report: dict[str, Any], base_url: str | None) -> dict[str, dict[str, Any]]:
    """Return a run REPORT's figures by site: its ``sites``, or for a run before them its own, as its base URL's.

    >>> run_sites({"new": 2, "unchanged": 1, "problems": [], "walk": {"listing_pages": 3}}, "http://h:1")
    {'http://h:1': {'reached': 3, 'listing_pages': 3, 'coverage': {}, 'problems': []}}
    """
    if "sites" in report:
        return report["sites"] or {}
    if not base_url or not site_of(base_url):
        return {}
    reached = sum(int(report.get(k) or 0) for k in ("new", "updated", "unchanged", "gone"))
    coverage = {
        key[len("coverage_") :]: value
        for key, value in report.items()
        if key in ("coverage_title", "coverage_published", "coverage_body")
    }
    return {
        site_of(base_url): {
            "reached": reached,
            "listing_pages": (report.get("walk") or {}).get("listing_pages", 0),
            "coverage": coverage,
            "problems": report.get("problems") or [],
        }
    }


def site_summaries(db: Database) -> list[SiteSummary]:
    """Return the summary of each of the archive's sites (``sites list``)."""
    sites = read_sites(db)
    counts = dict(db.execute("select site, count(*) from articles group by site").fetchall())
    last: dict[str, tuple[str, dict[str, Any]]] = {}
    runs = db.execute(
        "select started_at, report, base_url from crawl_runs where report is not null"
        " order by started_at desc, rowid desc limit 200"
    ).fetchall()
    for started_at, report, base_url in runs:
        try:
            per_site = run_sites(json.loads(report) or {}, base_url)
        except ValueError:
            continue
        for origin, figures in per_site.items():
            last.setdefault(origin, (started_at, figures))
    summaries = []
    for site in sites:
        count = sum(n for origin, n in counts.items() if origin and same_site(origin, site.origin))
        started_at, figures = next(
            ((at, f) for origin, (at, f) in last.items() if same_site(origin, site.origin)),
            (None, {}),
        )
        problems = figures.get("problems") or []
        status = None if started_at is None else ("; ".join(problems) if problems else "ok")
        summaries.append(SiteSummary(site, count, started_at, status, figures))
    return summaries
