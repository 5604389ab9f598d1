"""The pages a person reads: the articles page's columns, tab titles, the archive's own site, the licence once."""

from __future__ import annotations

import doctest
import re
import shutil
import sqlite3
from html import unescape
from pathlib import Path

import pytest

from tests.demo_archive import SEED_TITLE, SEED_URL, build_demo_archive
from tests.test_serve import get, row_path
from tuban_crawler.web import serve
from tuban_crawler.web.datasette import articles_view
from tuban_crawler.web.datasette.articles_view import READER_COLUMNS


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    """Return the path of a demo archive named archive.db (its runs crawled tubankab.go.id)."""
    return build_demo_archive(tmp_path_factory.mktemp("articles-view") / "archive.db")


@pytest.fixture(scope="module")
def datasette(archive):
    """Return the Datasette that ``tuban-crawler serve`` would run on the demo archive."""
    return serve.build_datasette(archive)


def test_doctests():
    assert doctest.testmod(articles_view).failed == 0


def header_columns(html: str) -> list[str]:
    """Return the columns of a table page's header, in order."""
    head = html.split('<table class="rows-and-columns">', 1)[1].split("</thead>", 1)[0]
    return re.findall(r'data-column="([^"]+)"', head)


def title_of(html: str) -> str:
    """Return a page's <title>."""
    return unescape(re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip())


def test_the_articles_page_shows_a_readers_columns_first_and_every_column_a_click_away(datasette):
    (page,) = get(datasette, "/archive/articles?_sort=published_at")
    assert header_columns(page.text) == list(READER_COLUMNS)
    # The address as its path, linking to the article's page; the title links there too.
    assert re.search(r'title="https://tubankab.go.id/entry/[^"]+">/entry/[^<]+</a>', page.text)
    assert f'<a class="tuban-title-link" href="{row_path(SEED_URL)}">' in page.text
    every = unescape(re.search(r'<a href="([^"]+)">show all (\d+) columns</a>', page.text).group(1))
    (full,) = get(datasette, f"/archive/articles{every}")
    columns = header_columns(full.text)
    assert columns[: len(READER_COLUMNS)] == ["url", *READER_COLUMNS[:-1]]
    assert {"body_text", "content_hash", "fetched_url", "kind"} <= set(columns)
    assert len(columns) == int(re.search(r"show all (\d+) columns", page.text).group(1))


def test_columns_asked_for_are_datasettes_own(datasette):
    chosen, without = get(
        datasette, "/archive/articles?_col=views&_col=title", "/archive/articles?_nocol=body_html"
    )
    assert header_columns(chosen.text) == ["url", "views", "title"]
    assert "body_html" not in header_columns(without.text)
    assert len(header_columns(without.text)) > len(READER_COLUMNS)
    assert "show all" not in chosen.text + without.text


def test_tabs_name_the_article_and_the_query_not_the_table_or_its_sql(datasette):
    article, search, chart, table = get(
        datasette,
        row_path(SEED_URL),
        "/archive/search_articles?text=disiplin",
        "/archive/articles_per_month",
        "/archive/articles",
    )
    assert title_of(article.text) == f"{SEED_TITLE} · tubankab.go.id"
    assert title_of(search.text) == "Search with highlighted snippets: “disiplin” · tubankab.go.id"
    assert title_of(chart.text) == "Articles per month · tubankab.go.id"
    assert "select" not in (title_of(search.text) + title_of(chart.text)).lower()


def test_the_licence_is_shown_once_a_page(datasette):
    pages = get(datasette, "/", "/archive", "/archive/articles", row_path(SEED_URL))
    assert [page.text.count("Data license:") for page in pages] == [1, 1, 1, 1]


def test_an_archive_of_another_site_is_named_as_its_own(archive, tmp_path):
    demo = tmp_path / "demo.db"
    shutil.copy(archive, demo)
    with sqlite3.connect(demo) as connection:
        connection.execute("update crawl_runs set base_url = 'http://127.0.0.1:8123'")
        connection.execute("insert into crawl_state values ('origin', '127.0.0.1:8123')")
    connection.close()
    home, database, article = get(
        serve.build_datasette(demo), "/", "/demo", row_path(SEED_URL, database="demo")
    )
    assert title_of(home.text).startswith("News archive of 127.0.0.1:8123")
    for page in (home, database):
        assert "tubankab.go.id" not in page.text and "Kabupaten Tuban" not in page.text
        assert '<a href="http://127.0.0.1:8123" rel="noopener noreferrer nofollow">' in page.text
    assert title_of(article.text) == f"{SEED_TITLE} · 127.0.0.1:8123"


def test_the_archive_of_tubankab_go_id_keeps_its_names(datasette):
    (home,) = get(datasette, "/")
    assert title_of(home.text).startswith("Arsip Berita Kabupaten Tuban")
