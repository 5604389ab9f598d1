"""The articles page by site (web/datasette/sites.py, issue 22): a column, a facet, a filter."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest

from tests.demo_archive import article, fetch
from tests.test_serve import get
from tuban_crawler.store.archive import ArchiveStore
from tuban_crawler.web import serve

PORTAL, PPID = "https://tubankab.go.id", "https://ppid.tubankab.go.id"


@pytest.fixture(scope="module")
def two_sites(tmp_path_factory) -> Path:
    """Return an archive of three articles of the portal and two of an office's site."""
    path = tmp_path_factory.mktemp("sites") / "archive.db"
    urls = [f"{PORTAL}/entry/a-{n}" for n in range(3)] + [f"{PPID}/page/{n}" for n in (7, 8)]
    with ArchiveStore(path) as store:
        for n, url in enumerate(urls):
            store.save_article(
                article(url, f"Judul {n}", f"2021-02-0{n + 1}T08:00:00+07:00", None, [], ["Teks."]),
                fetch(url, "2026-01-01T00:00:00+00:00"),
                "run",
            )
    return path


def test_the_site_facet_counts_articles_per_site_and_filters_by_it(two_sites):
    datasette = serve.build_datasette(two_sites)
    everything, office = get(
        datasette,
        "/archive/articles.json?_shape=objects",
        f"/archive/articles.json?_shape=objects&site={PPID}",
    )
    facet = everything.json()["facet_results"]["site"]
    assert [(v["value"], v["count"]) for v in facet["results"]] == [(PORTAL, 3), (PPID, 2)]
    assert {row["url"] for row in office.json()["rows"]} == {f"{PPID}/page/7", f"{PPID}/page/8"}
    assert facet["results"][1]["toggle_url"].endswith(f"&site={quote(PPID, safe='')}")


def test_the_articles_page_shows_each_rows_site(two_sites):
    (page,) = get(serve.build_datasette(two_sites), "/archive/articles")
    assert 'class="col-site' in page.text and f">{PPID}<" in page.text


def test_an_archive_older_than_the_site_column_shows_no_site_facet_and_no_error(tmp_path):
    path = tmp_path / "archive.db"
    with ArchiveStore(path) as store:
        store.save_article(
            article(f"{PORTAL}/entry/x", "Judul", None, None, [], ["Teks."]),
            fetch(f"{PORTAL}/entry/x", "2026-01-01T00:00:00+00:00"),
            "run",
        )
        store.db.execute("drop index if exists idx_articles_site_published_at")
        store.db.execute("alter table articles drop column site")
    (response,) = get(serve.build_datasette(path), "/archive/articles.json")
    assert response.status_code == 200 and "site" not in response.json()["facet_results"]
