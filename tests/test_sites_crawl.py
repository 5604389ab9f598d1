"""One archive, two sites (issue 22): both crawled by one run, each row with its site, a report line per site,
and a site whose listings disappear makes the run broken, naming it, the other's work kept."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.e2e import crawl, manifest, rows
from tuban_crawler.discover.sites import site_of
from tuban_crawler.portal import PortalServer


def entry_urls(portal: PortalServer) -> set[str]:
    return {portal.base_url + entry["path"] for entry in manifest(portal.base_url)["entries"]}


@pytest.fixture(scope="module")
def two_sites(tmp_path_factory):
    """Two portals of other themes, the second added with `sites add` before the first crawl of the first."""
    db = tmp_path_factory.mktemp("sites") / "archive.db"
    with (
        PortalServer(articles=40, seed=61, theme="wordpress") as portal,
        PortalServer(articles=30, seed=62, theme="laravel") as office,
    ):
        added = run_cli("sites", "add", office.base_url, "--db", str(db))
        first = crawl(db, portal.base_url)
        listed = run_cli("sites", "list", "--db", str(db))
        office.configure(faults="nolistings")
        broken = crawl(db, portal.base_url, "--full")
        yield {
            "db": db,
            "portal": portal,
            "office": office,
            "added": added,
            "first": first,
            "listed": listed,
            "broken": broken,
            "portal_entries": entry_urls(portal),
            "office_entries": entry_urls(office),
        }


def test_both_sites_are_archived_each_row_with_its_site(two_sites):
    assert two_sites["added"].returncode == 0, two_sites["added"].stderr
    first = two_sites["first"]
    assert first.returncode == 0, first.stdout + first.stderr[-3000:]
    by_site: dict[str, set[str]] = {}
    for row in rows(two_sites["db"], "select url, site from articles"):
        by_site.setdefault(row["site"], set()).add(row["url"])
    portal, office = two_sites["portal"], two_sites["office"]
    assert by_site[site_of(portal.base_url)] >= two_sites["portal_entries"]
    assert by_site[site_of(office.base_url)] >= two_sites["office_entries"]
    assert set(by_site) == {site_of(portal.base_url), site_of(office.base_url)}


def test_the_report_has_a_line_per_site(two_sites):
    report = two_sites["first"].stdout + two_sites["first"].stderr
    for portal in (two_sites["portal"], two_sites["office"]):
        assert f"site {site_of(portal.base_url)}: ok: " in report, report[-3000:]
    runs = rows(two_sites["db"], "select report from crawl_runs order by started_at")
    sites = json.loads(runs[0]["report"])["sites"]
    assert sites[site_of(two_sites["office"].base_url)]["new"] == len(two_sites["office_entries"])


def test_sites_list_names_each_site_with_its_articles_and_last_run(two_sites):
    listed = two_sites["listed"]
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    office = site_of(two_sites["office"].base_url)
    header = next(line for line in lines if line.startswith(office))
    assert f"{len(two_sites['office_entries'])} articles archived" in header
    assert "entries /entry/<slug>" in header
    assert (
        lines[lines.index(header) + 1].startswith("  last run ")
        and ": ok" in lines[lines.index(header) + 1]
    )


def test_a_site_whose_listings_disappear_breaks_the_run_naming_it_the_others_work_kept(
    two_sites,
):
    broken = two_sites["broken"]
    office, portal = site_of(two_sites["office"].base_url), site_of(two_sites["portal"].base_url)
    assert broken.returncode == 3, broken.stdout + broken.stderr[-3000:]
    said = broken.stdout + broken.stderr
    assert re.search(
        rf"problem: site {re.escape(office)}: walked \d listing pages; the last full walk walked \d\d",
        said,
    ), said[-3000:]
    assert f"site {portal}: ok: " in said
    assert f"problem: site {portal}" not in said
    archived = {r["url"] for r in rows(two_sites["db"], "select url from articles")}
    assert two_sites["portal_entries"] | two_sites["office_entries"] <= archived


def test_a_crawl_of_a_site_not_in_the_set_is_still_refused(two_sites, tmp_path):
    with PortalServer(articles=5, seed=63) as stranger:
        refused = crawl(Path(two_sites["db"]), stranger.base_url)
        assert refused.returncode == 1
        assert "sites add" in refused.stderr and sum(stranger.hits.values()) == 0
