"""End to end: the crawler reads the test portal in every theme, with default settings.

The themes (``tuban_crawler/portal/themes``) differ from the portal the crawler was first
written against in every dimension discovery depends on; nothing in the crawler knows them.
"""

from __future__ import annotations

import json

import pytest

from tests.e2e import crawl, manifest, rows
from tuban_crawler.portal import PortalServer
from tuban_crawler.portal.themes import THEMES

ARTICLES = 100
SEED_PATH = "/entry/asn-dituntut-disiplin-profesional-dan-bertanggung-jawab"
SHARE = 0.99


@pytest.fixture(scope="module", params=[name for name in THEMES if name != "classic"])
def crawled(request, tmp_path_factory):
    """A portal in each theme, its ground truth, and the archive after one crawl with default settings."""
    with PortalServer(articles=ARTICLES, seed=2, theme=request.param) as portal:
        db = tmp_path_factory.mktemp(request.param) / "archive.db"
        result = crawl(db, portal.base_url)
        yield portal, manifest(portal.base_url)["entries"], db, result


def _archive(portal, db):
    return {row["url"][len(portal.base_url) :]: row for row in rows(db, "select * from articles")}


def test_every_entry_is_archived_and_nothing_else(crawled):
    portal, truth, db, result = crawled
    assert result.returncode == 0, result.stderr[-3000:]
    archive = _archive(portal, db)
    paths = {entry["path"] for entry in truth}
    assert len(paths & set(archive)) >= SHARE * len(paths)
    assert set(archive) <= paths  # an index page under /entry/ is walked, never archived
    [run] = rows(db, "select * from crawl_runs")
    assert run["status"] == "ok" and run["failed"] == 0


def test_an_index_under_an_entry_url_is_walked_to_its_last_page(crawled):
    portal, truth, _, _ = crawled
    if portal.settings["theme"] != "laravel":
        pytest.skip("only the laravel theme has an index under /entry/")
    walked = {target for target in portal.hits if target.startswith("/entry/indeks-berita?hal=")}
    last = -(-sum(e["kind"] == "article" for e in truth) // 9)
    assert f"/entry/indeks-berita?hal={last}" in walked and len(walked) == last - 1


def test_a_start_path_that_redirects_within_the_site_is_followed(tmp_path):
    # /berita moved to /warta (301): the only way in, with the sitemaps and feeds closed
    with PortalServer(articles=20, seed=6, theme="wordpress") as portal:
        result = crawl(
            tmp_path / "archive.db",
            portal.base_url,
            "-s",
            "TUBAN_START_PATHS=/berita",
            "-s",
            "TUBAN_SITEMAP_PATHS=",
            "-s",
            "TUBAN_FEED_PATHS=",
            "-s",
            "TUBAN_ROBOTS_SITEMAPS=false",
        )
        truth = manifest(portal.base_url)["entries"]
    assert result.returncode == 0, result.stderr[-2000:]
    archived = {
        row["url"][len(portal.base_url) :]
        for row in rows(tmp_path / "archive.db", "select url from articles")
    }
    assert {e["path"] for e in truth if e["kind"] == "article"} <= archived


@pytest.mark.parametrize(
    "field, column, expected",
    [
        ("title", "title", lambda e: e["title"]),
        ("published", "published_at", lambda e: e["published_iso"]),
        ("author", "author", lambda e: e["author"]),
        ("categories", "categories", lambda e: json.dumps([e["category"]], ensure_ascii=False)),
        ("views", "views", lambda e: e["views"]),
    ],
)
def test_articles_have_the_fields_the_manifest_says(crawled, field, column, expected):
    portal, truth, db, _ = crawled
    archive = _archive(portal, db)
    articles = [entry for entry in truth if entry["kind"] == "article"]
    wrong = [
        e["path"]
        for e in articles
        if e["path"] not in archive or archive[e["path"]][column] != expected(e)
    ]
    assert len(wrong) <= (1 - SHARE) * len(articles), (field, len(wrong), wrong[:5])


def test_the_seed_row_is_exact(crawled):
    portal, _, db, _ = crawled
    row = _archive(portal, db)[SEED_PATH]
    assert row["title"] == "ASN DITUNTUT DISIPLIN, PROFESIONAL DAN BERTANGGUNG JAWAB"
    assert row["published_at"] == "2017-07-26T13:24:00+07:00"
    assert (row["author"], json.loads(row["categories"]), row["views"]) == (
        "Yolency",
        ["Kegiatan Pemerintahan"],
        628,
    )
    assert (row["dateline"], row["credit"], row["kind"]) == (
        "Tubankab",
        "chusnul huda/hei",
        "article",
    )


def test_no_entry_is_fetched_twice(crawled):
    # pages without a date of their own wait for their listing's date: never fetched again
    portal, truth, _, _ = crawled
    for entry in truth:
        hits = sum(
            n
            for target, n in portal.hits.items()
            if target.split("?")[0].rstrip("/") == entry["path"]
        )
        assert hits == 1, (entry["path"], entry["meta_style"], hits)


# -- loud when the site changes --------------------------------------------------------------
def test_a_site_whose_listings_became_unreachable_is_a_broken_run(tmp_path):
    db = tmp_path / "archive.db"
    with PortalServer(articles=30, seed=4, theme="wordpress") as portal:
        assert crawl(db, portal.base_url).returncode == 0
        portal.configure(faults="nolistings", articles=33)
        # a walk of the whole site: the sitemap still reaches every entry, the listings are gone
        full = crawl(db, portal.base_url, "--full")
        assert full.returncode == 3, full.stdout + full.stderr[-2000:]
        assert "listing pages; the last full walk" in full.stderr
        # a nightly run: the site's main listing lists nothing any more
        nightly = crawl(db, portal.base_url)
    assert nightly.returncode == 3
    assert "lists no articles now" in nightly.stderr
    assert [r["status"] for r in rows(db, "select status from crawl_runs order by started_at")] == [
        "ok",
        "broken",
        "broken",
    ]


def test_a_site_whose_metadata_became_unreadable_is_a_broken_run(tmp_path):
    db = tmp_path / "archive.db"
    with PortalServer(articles=30, seed=5, theme="laravel") as portal:
        assert crawl(db, portal.base_url).returncode == 0
        authors = rows(db, "select url, author from articles order by url")
        portal.configure(faults="nometa")
        result = crawl(db, portal.base_url, "--full")
    assert result.returncode == 3
    for lost in ("had an author", "had categories", "had a view count"):
        assert lost in result.stderr, result.stderr[-2000:]
    assert (
        rows(db, "select url, author from articles order by url") == authors
    )  # the archive kept what it had
