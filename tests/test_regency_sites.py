"""All of Tuban's web in one archive (issue 22), end to end on the multi-site test portal.

``portal --sites 3``: the portal, an office site of ``/entry/<slug>`` pages, an office site of
``/page/<id>`` pages, and a fourth site the portal links to but the archive does not add. Every
site is on one address (127.0.0.1), so the request log shows what one server saw. Checked
against the portal's manifest: every site's entries archived with their fields, each re-post
and teaser linked as the manifest says, a report line per site, the fourth site named as left
out, one request at a time to the shared address with the delay between them, and a site whose
listings disappear makes the next run broken, naming it, the others' rows kept.
"""

from __future__ import annotations

import itertools
import json
import re

import pytest

from tests.conftest import run_cli
from tests.e2e import crawl, rows
from tuban_crawler.discover.sites import site_of
from tuban_crawler.portal.multi import MultiPortal
from tuban_crawler.portal.offices import plan_sites

#: Seconds between two requests to the one server in these runs (the default's 1.0 would make
#: the test minutes long; the rule measured is the same).
DELAY = 0.05


@pytest.fixture(scope="module")
def regency(tmp_path_factory):
    """Crawl three sites of a four-site portal into one archive, then again with one site's listings gone."""
    folder = tmp_path_factory.mktemp("regency")
    db, log = folder / "archive.db", folder / "requests.jsonl"
    with MultiPortal(plan_sites(3, articles=40, seed=22), request_log=log) as multi:
        manifest = multi.manifest()
        portal, pages, unlisted = (manifest["sites"][k] for k in (0, 2, 3))
        added = [
            run_cli("sites", "add", manifest["sites"][1]["origin"], "--db", str(db)),
            run_cli(
                "sites",
                "add",
                pages["origin"],
                "--entry-pattern",
                pages["entry_pattern"],
                "--db",
                str(db),
            ),
        ]
        # One request at a time to the one address, the delay between; no photos or stylesheets
        # (the rule is the same for them, and they would double the test's time).
        polite = (
            *("-s", f"DOWNLOAD_DELAY={DELAY}", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1"),
            *("-s", "TUBAN_REQUISITES_ENABLED=False"),
        )
        first = crawl(db, portal["origin"], *polite)
        requests = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
        listed = run_cli("sites", "list", "--db", str(db))
        multi.servers[2].configure(faults="nolistings")
        broken = crawl(db, portal["origin"], "--full", "-s", "TUBAN_REQUISITES_ENABLED=False")
        refused = crawl(db, unlisted["origin"])  # a site the archive does not hold
    yield {
        "listed": listed,
        "refused": refused,
        "db": db,
        "manifest": manifest,
        "added": added,
        "first": first,
        "requests": requests,
        "broken": broken,
        "unlisted": unlisted,
        "pages": pages,
    }


def archived_sites(regency) -> list[dict]:
    """Return the manifest's sites the archive holds (all but the unlisted one)."""
    return [site for site in regency["manifest"]["sites"] if site["role"] != "unlisted"]


def test_every_site_is_archived_with_its_fields(regency):
    for result in regency["added"]:
        assert result.returncode == 0, result.stderr
    first = regency["first"]
    assert first.returncode == 0, first.stdout + first.stderr[-3000:]
    archived = {row["url"]: row for row in rows(regency["db"], "select * from articles")}
    for site in archived_sites(regency):
        entries = site["entries"]
        got = [archived[url] for url in entries if url in archived]
        assert len(got) >= 0.99 * len(entries), (site["origin"], len(got), len(entries))
        assert {row["site"] for row in got} == {site_of(site["origin"])}
        complete = [row for row in got if row["title"] and row["body_text"]]
        dated = [row for row in got if row["kind"] != "article" or row["published_at"]]
        assert len(complete) >= 0.99 * len(entries), site["origin"]
        assert len(dated) >= 0.99 * len(entries), site["origin"]
    unlisted = site_of(regency["unlisted"]["origin"])
    assert not [url for url in archived if site_of(url) == unlisted]


def test_reposts_and_teasers_are_linked_as_the_manifest_says(regency):
    links = {
        row["url"]: row
        for row in rows(
            regency["db"], "select url, reposted_from, teaser_of, body_text from articles"
        )
    }
    reposts = [r for site in archived_sites(regency) for r in site["reposts"]]
    teasers = [t for site in archived_sites(regency) for t in site["teasers"]]
    assert reposts and teasers
    assert {r["url"]: links[r["url"]]["reposted_from"] for r in reposts} == {
        r["url"]: r["original"] for r in reposts
    }
    assert {t["url"]: links[t["url"]]["teaser_of"] for t in teasers} == {
        t["url"]: t["announces"] for t in teasers
    }
    for teaser in teasers:  # the announced article keeps its own, full text
        announced = links[teaser["announces"]]
        assert announced["teaser_of"] is None
        assert len(announced["body_text"]) > 2 * len(links[teaser["url"]]["body_text"])


def test_the_report_has_a_line_per_site_and_names_the_site_left_out(regency):
    report = regency["first"].stdout + regency["first"].stderr
    for site in archived_sites(regency):
        assert f"site {site_of(site['origin'])}: ok: " in report, report[-3000:]
    (run,) = rows(regency["db"], "select report from crawl_runs order by started_at limit 1")
    office = archived_sites(regency)[1]
    assert json.loads(run["report"])["sites"][site_of(office["origin"])]["new"] == len(
        office["entries"]
    )
    left_out = [line for line in report.splitlines() if "left out" in line]
    assert any(site_of(regency["unlisted"]["origin"]) in line for line in left_out), report[-3000:]
    assert not any(
        site_of(site["origin"]) in line for line in left_out for site in archived_sites(regency)
    )


def test_one_request_at_a_time_to_the_shared_address_with_the_delay_between(regency):
    requests = sorted(regency["requests"], key=lambda r: r["arrived_monotonic"])
    sites = {r["site"] for r in requests}
    assert len(sites) >= 3, sites  # the portal and both offices were asked, on one address
    overlapping = [
        (before["path"], after["path"])
        for before, after in itertools.pairwise(requests)
        if after["arrived_monotonic"] < before["completed_monotonic"]
    ]
    assert not overlapping
    # Scrapy waits between 0.5 and 1.5 times the delay from the request it sent last; the server
    # sees arrivals, which the loaded machine's scheduling moves by a few milliseconds either
    # way: the rare gap a little short is that jitter (without the shared slot, most are).
    hurried = [
        (
            before["site"],
            before["path"],
            after["site"],
            after["path"],
            after["arrived_monotonic"] - before["arrived_monotonic"],
        )
        for before, after in itertools.pairwise(requests)
        if after["arrived_monotonic"] - before["arrived_monotonic"] < 0.5 * DELAY - 0.005
    ]
    assert len(hurried) <= 0.01 * len(requests), (len(requests), hurried)


def test_sites_list_names_each_site_with_its_pattern_articles_and_last_run(regency):
    listed = regency["listed"]
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    for site in archived_sites(regency):
        header = next(line for line in lines if line.startswith(site_of(site["origin"])))
        assert f"entries {site['entry_pattern']}" in header
        assert f"{len(site['entries'])} articles archived" in header
        assert lines[lines.index(header) + 1].startswith("  last run ")
        assert ": ok" in lines[lines.index(header) + 1]


def test_a_crawl_of_a_site_not_in_the_set_is_refused_with_the_command_that_adds_it(regency):
    refused = regency["refused"]
    assert refused.returncode == 1
    assert "sites add" in refused.stderr


def test_a_site_whose_listings_disappear_breaks_the_run_by_name_and_the_rest_is_kept(regency):
    broken = regency["broken"]
    assert broken.returncode == 3, broken.stdout + broken.stderr[-3000:]
    said = broken.stdout + broken.stderr
    named, portal = (
        site_of(regency["pages"]["origin"]),
        site_of(regency["manifest"]["sites"][0]["origin"]),
    )
    assert re.search(
        rf"problem: site {re.escape(named)}: walked \d+ listing pages; the last full walk walked \d+",
        said,
    ), said[-3000:]
    assert f"site {portal}: ok: " in said and f"problem: site {portal}" not in said
    archived = {row["url"] for row in rows(regency["db"], "select url from articles")}
    for site in archived_sites(regency):
        assert sum(url in archived for url in site["entries"]) >= 0.99 * len(site["entries"])
