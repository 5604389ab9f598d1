"""Tests of the multi-site test portal (offices.py, multi.py): the plan without HTTP, then one live portal."""

from __future__ import annotations

import gzip
import http.client
import json
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from parsel import Selector

from tuban_crawler.portal import cli as portal_cli
from tuban_crawler.portal import content, parse_faults
from tuban_crawler.portal.faults import FaultState
from tuban_crawler.portal.multi import MultiPortal
from tuban_crawler.portal.offices import (
    FIRST_NUMBER,
    MIN_OFFICE_ARTICLES,
    OFFICE,
    PORTAL,
    UNLISTED,
    office_content,
    parse_site_faults,
    plan_sites,
    portal_link,
    sites_footer,
)
from tuban_crawler.portal.protocol import Request
from tuban_crawler.portal.site import Site, SiteExtras
from tuban_crawler.portal.themes import THEMES

PORTAL_URL = "http://127.0.0.1:8123"


def portal_site(articles: int = 60, seed: int = 1, theme: str = "classic") -> Site:
    return Site(
        seed=seed,
        articles=articles,
        edition=1,
        base_url=PORTAL_URL,
        faults=parse_faults(None),
        state=FaultState(),
        theme=theme,
    )


def office_site(spec, portal: Site, faults: object = None) -> tuple[Site, tuple]:
    extras, shared = office_content(spec, portal)
    site = Site(
        seed=spec.seed,
        articles=spec.articles,
        edition=1,
        base_url=f"http://127.0.0.1:{9000 + spec.number}",
        faults=parse_faults(faults),
        state=FaultState(),
        theme=spec.theme,
        extras=extras,
    )
    return site, shared


def get(site: Site, path: str) -> tuple[int, bytes]:
    reply = site.handle(Request("GET", path, "HTTP/1.1", {}))
    return reply.status, reply.body


def words(text: str) -> str:
    return " ".join(text.split())


# -- the plan -------------------------------------------------------------------------------


def test_one_site_is_todays_portal_alone():
    (spec,) = plan_sites(1, articles=60, seed=1)
    assert (spec.role, spec.theme, spec.seed, spec.articles, spec.numbered) == (
        PORTAL,
        "classic",
        1,
        60,
        False,
    )


def test_three_sites_are_a_portal_two_offices_one_numbered_and_an_unlisted_site_each_in_its_own_theme():
    specs = plan_sites(3, articles=600, seed=4, theme="classic", faults="slow")
    assert [s.role for s in specs] == [PORTAL, OFFICE, OFFICE, UNLISTED]
    assert len({s.theme for s in specs}) == 4
    assert [s.entry_pattern for s in specs] == [
        "/entry/<slug>",
        "/entry/<slug>",
        "/page/<id>",
        "/entry/<slug>",
    ]
    assert [s.articles for s in specs] == [600, 60, 60, 60]
    assert len({s.seed for s in specs}) == 4
    assert {s.faults for s in specs} == {"slow"}


def test_offices_are_a_tenth_of_the_portal_but_never_fewer_than_twenty():
    assert {s.articles for s in plan_sites(2, articles=60, seed=1)[1:]} == {MIN_OFFICE_ARTICLES}


def test_an_office_never_takes_the_portals_theme():
    for theme in THEMES:
        themes = [s.theme for s in plan_sites(5, articles=60, seed=1, theme=theme)]
        assert themes[0] == theme and theme not in themes[1:]


def test_site_faults_strike_one_site_only():
    specs = plan_sites(3, articles=60, seed=1, site_faults=parse_site_faults(["2=nolistings"]))
    assert [s.faults for s in specs] == [None, "nolistings", None, None]


@pytest.mark.parametrize(
    "values, message",
    [
        (["nolistings"], "SITE=FAULTS"),
        (["x=nolistings"], "SITE=FAULTS"),
        (["2="], "SITE=FAULTS"),
        (["7=nolistings"], "sites are 1 to 4"),
    ],
)
def test_a_malformed_site_fault_is_refused(values, message):
    with pytest.raises(ValueError, match=message):
        plan_sites(3, articles=60, seed=1, site_faults=parse_site_faults(values))


def test_zero_sites_is_refused():
    with pytest.raises(ValueError, match="--sites must be >= 1"):
        plan_sites(0, articles=60, seed=1)


# -- an office's content --------------------------------------------------------------------


@pytest.fixture(scope="module")
def three():
    portal = portal_site()
    specs = plan_sites(3, articles=60, seed=1)
    offices = {s.number: office_site(s, portal) for s in specs[1:]}
    return portal, specs, offices


def test_an_office_has_its_own_stories_and_none_takes_a_portal_slug(three):
    portal, _, offices = three
    for number in (2, 3, 4):
        site, shared = offices[number]
        shared_slugs = {s.entry.slug for s in shared}
        own = [e for e in site.live if e.slug not in shared_slugs]
        assert len(own) == MIN_OFFICE_ARTICLES
        assert not {e.slug for e in own} & set(portal.by_slug)
        assert all(
            e.article.index is not None for e in own
        )  # the real 2017 article is the portal's


def test_a_repost_keeps_the_slug_and_the_text_of_its_original(three):
    portal, _, offices = three
    site, shared = offices[2]
    reposts = [s for s in shared if s.kind == "repost"]
    assert len(reposts) >= 3
    for repost in reposts:
        assert repost.entry.slug == repost.original.slug
        assert repost.entry.path == repost.original.path
        assert repost.entry.article.published > repost.original.article.published
        status, body = get(site, repost.entry.path)
        _, original = get(portal, repost.original.path)
        assert status == 200
        shown = words(Selector(text=body.decode()).xpath("string(//body)").get())
        paragraphs = Selector(text=original.decode()).css(".post-content p, .news-body p")
        assert len(paragraphs) >= 2
        for paragraph in paragraphs:
            assert words(paragraph.xpath("string()").get()) in shown


def test_a_teaser_is_two_short_paragraphs_ending_with_a_link_to_the_portals_article(three):
    portal, _, offices = three
    for number in (2, 3):
        site, shared = offices[number]
        teasers = [s for s in shared if s.kind == "teaser"]
        assert len(teasers) >= 3
        for teaser in teasers:
            lead, ending = site.extras.bodies[teaser.entry.slug]
            assert ending == "Selengkapnya di : 127.0.0.1:8123"
            assert len(lead) < 400 and not lead.startswith("Tubankab")
            assert lead[:40] in " ".join(content.body(teaser.original.article, 1))
            status, body = get(site, teaser.entry.path)
            page = Selector(text=body.decode())
            link = page.xpath(f'//a[@href="{PORTAL_URL}{teaser.original.path}"]')
            assert status == 200 and link.xpath("string()").get() == ending


@pytest.mark.parametrize("theme", [t for t in THEMES if t != "classic"] + ["classic"])
def test_the_teasers_link_survives_every_theme(theme):
    portal = portal_site(theme="wordpress" if theme == "classic" else "classic")
    spec = next(
        s for s in plan_sites(6, articles=60, seed=2, theme=portal.theme_name) if s.theme == theme
    )
    site, shared = office_site(spec, portal)
    teaser = next(s for s in shared if s.kind == "teaser")
    body = get(site, teaser.entry.path)[1].decode()
    assert body.count(f'<a href="{PORTAL_URL}{teaser.original.path}">Selengkapnya di : ') == 1


def test_the_numbered_site_serves_its_entries_at_page_ids_and_nowhere_else(three):
    _, specs, offices = three
    assert specs[2].numbered
    site, shared = offices[3]
    numbers = sorted(e.number for e in site.live)
    assert numbers == list(range(FIRST_NUMBER, FIRST_NUMBER + len(numbers)))
    for entry in site.live:
        assert get(site, f"/page/{entry.number}")[0] == 200
        assert get(site, f"/entry/{entry.slug}")[0] == 404
    assert get(site, f"/page/{FIRST_NUMBER + len(numbers)}")[0] == 404
    assert get(site, "/page/0101")[0] == 404
    assert all(s.entry.path.startswith("/page/") for s in shared)


def test_the_plan_is_the_same_for_the_same_seed_and_another_for_another():
    def slugs(seed):
        portal = portal_site(seed=seed)
        spec = plan_sites(2, articles=60, seed=seed)[1]
        _, shared = office_content(spec, portal)
        return [(s.kind, s.entry.slug) for s in shared]

    assert slugs(1) == slugs(1)
    assert slugs(1) != slugs(2)


def test_the_portals_footer_links_every_other_site_and_an_office_links_back():
    specs = plan_sites(3, articles=60, seed=1)
    urls = [f"http://127.0.0.1:{9000 + s.number}" for s in specs]
    portal = portal_site()
    portal_html = get(portal, "/")[1]
    portal_site_footed = Site(
        seed=1,
        articles=60,
        edition=1,
        base_url=PORTAL_URL,
        faults=parse_faults(None),
        state=FaultState(),
        extras=SiteExtras(footer=sites_footer(list(zip(specs, urls, strict=True)))),
    )
    footed = Selector(text=get(portal_site_footed, "/")[1].decode())
    assert footed.css(".situs-opd a::attr(href)").getall() == [f"{u}/" for u in urls[1:]]
    assert b"situs-opd" not in portal_html
    assert PORTAL_URL in portal_link(PORTAL_URL)


# -- one live three-site portal -------------------------------------------------------------


def fetch(url: str) -> tuple[int, bytes]:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        conn.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""))
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sites")
    manifest, log = folder / "sites.json", folder / "requests.jsonl"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tuban_crawler.portal",
            *("--sites", "3", "--articles", "60", "--port", "0"),
            *("--manifest", str(manifest), "--request-log", str(log)),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        urls = [process.stdout.readline().strip() for _ in range(4)]
        yield urls, json.loads(manifest.read_text(encoding="utf-8")), log
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=10)
        assert process.returncode == 0, stderr


def test_the_live_portal_prints_its_sites_portal_first_as_the_manifest_names_them(live):
    urls, manifest, _ = live
    assert all(re.fullmatch(r"http://127\.0\.0\.1:\d+", u) for u in urls)
    assert len(set(urls)) == 4
    assert [s["origin"] for s in manifest["sites"]] == urls
    assert [s["role"] for s in manifest["sites"]] == [PORTAL, OFFICE, OFFICE, UNLISTED]
    assert manifest["sites"][2]["entry_pattern"] == "/page/<id>"


def test_every_entry_of_every_site_is_served_with_its_ground_truth(live):
    _, manifest, _ = live
    for site in manifest["sites"]:
        truth = json.loads(fetch(site["ground_truth"])[1])
        assert sorted(site["origin"] + e["path"] for e in truth["entries"]) == sorted(
            site["entries"]
        )
        for url in site["entries"]:
            assert fetch(url)[0] == 200, url


def test_live_reposts_have_their_originals_text_and_teasers_announce_a_portal_article(live):
    _, manifest, _ = live
    portal = manifest["sites"][0]
    bodies, fields = {}, {}
    for site in manifest["sites"]:
        truth = json.loads(fetch(site["ground_truth"] + "?body=1")[1])
        bodies.update({site["origin"] + e["path"]: e["body"] for e in truth["entries"]})
        fields.update({site["origin"] + e["path"]: e for e in truth["entries"]})
    reposts = [r for s in manifest["sites"] for r in s["reposts"]]
    teasers = [t for s in manifest["sites"] for t in s["teasers"]]
    assert len(reposts) >= 6 and len(teasers) >= 6
    for repost in reposts:
        assert repost["original"] in portal["entries"]
        assert bodies[repost["url"]] == bodies[repost["original"]]
        same_slug = repost["url"].rsplit("/", 1)[1] == repost["original"].rsplit("/", 1)[1]
        assert same_slug == (repost["by"] == "slug")
    host = urlsplit(portal["origin"]).netloc
    for teaser in teasers:
        assert teaser["announces"] in portal["entries"]
        same_slug = teaser["url"].rsplit("/", 1)[1] == teaser["announces"].rsplit("/", 1)[1]
        assert same_slug == (teaser["by"] == "slug")
        assert bodies[teaser["url"]][-1] == f"Selengkapnya di : {host}"
        assert len(bodies[teaser["url"]]) == 2
        assert (fields[teaser["url"]]["dateline_variant"], fields[teaser["url"]]["credit"]) == (
            None,
            None,
        )
        page = Selector(text=fetch(teaser["url"])[1].decode())
        assert page.xpath(f'//a[@href="{teaser["announces"]}"]')


def test_the_numbered_sites_sitemap_lists_only_its_page_urls(live):
    _, manifest, _ = live
    site = manifest["sites"][2]
    robots = fetch(site["origin"] + "/robots.txt")[1].decode()
    (sitemap,) = re.findall(r"(?m)^Sitemap: (\S+)$", robots)
    data = fetch(sitemap)[1]
    locs = re.findall(r"<loc>([^<]+)</loc>", gzip.decompress(data).decode())
    assert locs and all(urlsplit(u).path.startswith("/page/") for u in locs)
    assert sorted(locs) == sorted(site["entries"])


def test_the_portal_links_the_unlisted_site_and_every_office(live):
    _, manifest, _ = live
    portal, *others = manifest["sites"]
    links = Selector(text=fetch(portal["origin"] + "/")[1].decode()).css("a::attr(href)").getall()
    for site in others:
        assert site["origin"] + "/" in links


def test_the_request_log_has_one_timed_line_per_request_on_every_site(live):
    urls, manifest, log = live
    fetch(urls[3] + "/robots.txt")
    for _ in range(50):  # the line is written as the answer leaves, maybe after the client read it
        records = [json.loads(line) for line in Path(log).read_text().splitlines()]
        if records and records[-1]["path"] == "/robots.txt":
            break
        time.sleep(0.1)
    assert Counter(r["site"] for r in records).keys() == {1, 2, 3, 4}
    for record in records:
        assert record["completed"] >= record["arrived"]
        assert record["completed_monotonic"] >= record["arrived_monotonic"]
        assert manifest["sites"][record["site"] - 1]["origin"].endswith(f":{record['port']}")
    assert {"site": 4, "path": "/robots.txt", "status": 200}.items() <= records[-1].items()
    # This module's client waits for each answer before its next request, to any site: the
    # log, read as a politeness check would read it, shows no two requests in flight at once.
    records.sort(key=lambda r: r["arrived_monotonic"])
    for before, after in zip(records, records[1:], strict=False):
        assert before["completed_monotonic"] <= after["arrived_monotonic"], (before, after)


# -- faults, errors, in process ---------------------------------------------------------------


@pytest.mark.e2e  # serves the sites in this process
def test_a_site_fault_empties_that_sites_listings_only(tmp_path):
    specs = plan_sites(2, articles=40, seed=1, site_faults={2: "nolistings"})
    with MultiPortal(specs) as multi:
        manifest = multi.manifest()
        office = multi.servers[1].site
        portal = multi.servers[0].site
        assert [s["faults"] for s in manifest["sites"]] == [[], ["nolistings"], []]
        assert "nolistings" in office.faults and "nolistings" not in portal.faults
        multi.write_manifest(tmp_path / "m.json")
    assert json.loads((tmp_path / "m.json").read_text())["sites"][1]["faults"] == ["nolistings"]


@pytest.mark.e2e  # serves the sites in this process
@pytest.mark.parametrize(
    "argv, message",
    [
        (["--sites", "0"], "portal: --sites must be >= 1"),
        (["--sites", "2", "--site-faults", "5=nolistings"], "portal: --site-faults names site 5"),
        (["--site-faults", "2=bogus", "--sites", "2"], "portal: unknown fault kind 'bogus'"),
        (["--sites", "2", "--manifest", "/nonexistent/sites.json"], "portal: cannot write"),
        (["--request-log", "/nonexistent/requests.jsonl"], "portal: [Errno 2]"),
    ],
)
def test_bad_site_options_are_one_line_and_exit_1(argv, message, capsys):
    assert portal_cli.main(["--port", "0", "--articles", "5", *argv]) == 1
    err = capsys.readouterr().err
    assert err.startswith(message) and err.count("\n") == 1
