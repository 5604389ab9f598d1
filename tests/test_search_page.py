"""The archive's search page: the search box leads there, best matches first, a snippet each, twenty a page."""

from __future__ import annotations

import doctest
import re
import sqlite3
from html import unescape
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.demo_archive import SEED_TITLE, build_demo_archive
from tests.test_serve import get
from tuban_crawler import search
from tuban_crawler.web import serve
from tuban_crawler.web.datasette import search_page
from tuban_crawler.web.datasette.search_page import PAGE_SIZE


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    """Return the path of a demo archive named archive.db."""
    return build_demo_archive(tmp_path_factory.mktemp("search-page") / "archive.db")


@pytest.fixture(scope="module")
def datasette(archive):
    """Return the Datasette that ``tuban-crawler serve`` would run on the demo archive."""
    return serve.build_datasette(archive)


def test_doctests():
    assert doctest.testmod(search_page).failed == 0


def ranked_titles(archive: Path, text: str, exact: bool = False) -> list[str]:
    """Return the titles of every match of TEXT, best first, as tuban-crawler search ranks them."""
    connection = sqlite3.connect(archive)
    search.register_functions(connection)
    try:
        _, rows = search.search(connection, text, exact, limit=1000)
    finally:
        connection.close()
    return [row["title"] for row in rows]


def shown_titles(html: str) -> list[str]:
    """Return the result titles of a search page, in order."""
    return [unescape(t) for t in re.findall(r'class="tuban-result-title"[^>]*>([^<]*)<', html)]


def test_the_search_box_leads_to_the_search_page_best_match_first_with_its_snippet(datasette):
    (page,) = get(datasette, "/archive/articles?_search=kedisiplinan&_sort_desc=published_at")
    assert str(page.url).endswith("/archive/-/search?q=kedisiplinan")
    assert shown_titles(page.text)[0] == SEED_TITLE
    first = page.text.split('class="tuban-result"', 2)[1]
    assert '<p class="tuban-snippet">' in first and "<mark>disiplin</mark>" in first
    assert "<title>“kedisiplinan”: search · tubankab.go.id</title>" in page.text


@pytest.mark.parametrize(
    "path",
    [
        "/archive/articles?_search=giat&_category=Umum",
        "/archive/articles?_search=giat&_sort=title",
        "/archive/articles?_search=giat&_searchmode=escaped",
        "/archive/articles.json?_search=giat",
        "/archive/articles?_search=",
    ],
)
def test_a_search_with_anything_else_asked_stays_in_the_table(datasette, path):
    (page,) = get(datasette, path)
    assert "/-/search" not in str(page.url) and page.status_code == 200


def test_the_pages_hold_every_match_once_in_rank_order(datasette, archive):
    truth = ranked_titles(archive, "tuban")
    assert len(truth) > PAGE_SIZE  # the demo archive has two pages of them
    pages = get(datasette, *(f"/archive/-/search?q=tuban&page={n}" for n in (1, 2, 3)))
    assert [shown_titles(page.text) for page in pages] == [
        truth[:PAGE_SIZE],
        truth[PAGE_SIZE : 2 * PAGE_SIZE],
        [],
    ]
    assert 'rel="next" href="/archive/-/search?q=tuban&amp;page=2"' in pages[0].text
    assert 'rel="prev" href="/archive/-/search?q=tuban&amp;page=1"' in pages[1].text
    assert f"{len(truth)} articles match" in pages[0].text


@pytest.mark.parametrize("typed", ['"', "*", "(", "AND", "<script>", "pemba*", "x" * 300])
def test_any_input_is_a_page_never_an_error(datasette, typed):
    (page,) = get(datasette, f"/archive/-/search?q={quote(typed)}&page=x")
    content = page.text.split('<section class="content">', 1)[1].split("</section>", 1)[0]
    assert page.status_code == 200 and "<script>" not in content


def test_exact_words_match_as_written(datasette, archive):
    (page,) = get(datasette, "/archive/-/search?q=kedisiplinan&exact=1")
    assert shown_titles(page.text) == ranked_titles(archive, "kedisiplinan", exact=True)[:PAGE_SIZE]


def test_a_database_that_is_not_an_archive_has_no_search_page(datasette):
    (page,) = get(datasette, "/_internal/-/search?q=giat")
    assert page.status_code == 404


def test_the_home_and_database_pages_lead_to_the_search_page(datasette):
    home, database = get(datasette, "/", "/archive")
    for page in (home, database):
        assert 'href="archive/-/search"' in page.text
    (search,) = get(datasette, "/archive/-/search")
    assert search.status_code == 200 and 'id="q"' in search.text
