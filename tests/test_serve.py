"""Browsing the archive in Datasette: metadata, the plugin's pages, safety, read-only serving."""

from __future__ import annotations

import asyncio
import doctest
import json
import re
import shutil
import sqlite3
import subprocess
import sys
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest
from datasette.utils import tilde_encode

import tuban_crawler.web.datasette as plugin
from tests.demo_archive import (
    HOSTILE_RAW_URL,
    HOSTILE_STORED_URL,
    HOSTILE_TEXT,
    SEED_TITLE,
    SEED_URL,
    article,
    build_demo_archive,
    fetch,
    older_archive,
    serving,
)
from tuban_crawler.cli import main
from tuban_crawler.store.archive import ArchiveStore
from tuban_crawler.web import serve
from tuban_crawler.web.datasette import METADATA_PATH
from tuban_crawler.web.datasette import article as article_module
from tuban_crawler.web.datasette import chart as chart_module
from tuban_crawler.web.datasette.article import article_view, format_published, highlighted_snippet
from tuban_crawler.web.datasette.chart import monthly_bar_chart
from tuban_crawler.web.datasette.scope import archive_metadata


class LivePayloads(HTMLParser):
    """Collect what in a page could run: on* attributes, javascript: URLs, frames, the payloads' scripts and styles.

    Datasette's own markup has none of these (no inline handlers, no javascript: links);
    its inline scripts are its own, so a script counts only when it holds a payload.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("iframe", "frame", "object", "embed"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=>")
            elif name in ("href", "src", "action", "formaction", "xlink:href") and value.startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}={value[:30]}>")
            elif name == "style" and "javascript" in value:
                self.found.append(f"<{tag} style={value[:30]}>")
        self._open = tag if tag in ("script", "style") else None

    def handle_data(self, data: str) -> None:
        if self._open and (
            "__pwned" in data or "display: none !important" in data or "alert(" in data
        ):
            self.found.append(f"<{self._open}>{data[:40]}")


def live_payloads(html: str) -> list[str]:
    """Return what in HTML could run (see LivePayloads); [] for a safe page."""
    parser = LivePayloads()
    parser.feed(html)
    return parser.found


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    """Return the path of a demo archive named archive.db."""
    return build_demo_archive(tmp_path_factory.mktemp("serve") / "archive.db")


@pytest.fixture(scope="module")
def datasette(archive):
    """Return the Datasette that ``tuban-crawler serve`` would run on the demo archive."""
    return serve.build_datasette(archive)


#: The articles table's facets (the year, month and day newest first).
FACETS = {
    "categories",
    "author",
    "published_year",
    "published_month",
    "published_date",
    *("kecamatan", "desa", "office"),  # issue 24 (web/datasette/places.py)
    "site",  # issue 22 (web/datasette/sites.py)
}


def get(datasette, *paths: str, method: str = "get") -> list:
    """Return the responses of DATASETTE to PATHS (in-process, no server; redirects followed)."""

    async def requests() -> list:
        await datasette.invoke_startup()
        return [
            await getattr(datasette.client, method)(path, follow_redirects=True) for path in paths
        ]

    return asyncio.run(requests())


def row_path(url: str, table: str = "articles", database: str = "archive") -> str:
    """Return the path of the row page of URL."""
    return f"/{database}/{table}/{tilde_encode(url)}"


@pytest.mark.parametrize("module", [plugin, article_module, chart_module, serve])
def test_doctests(module):
    assert doctest.testmod(module).failed == 0


# -- metadata -----------------------------------------------------------------------------
def test_metadata_describes_every_table_and_column(tmp_path):
    metadata = json.loads(METADATA_PATH.read_text(encoding="utf-8"))
    tables = metadata["databases"]["archive"]["tables"]
    with ArchiveStore(tmp_path / "archive.db") as store:
        schema = {
            name: [
                c.name
                for c in (
                    store.db.view(name) if name in store.db.view_names() else store.db.table(name)
                ).columns
            ]
            for name in store.db.table_names() + store.db.view_names()
            if not name.startswith(("articles_fts", "articles_stem_fts"))
        }
    assert sorted(tables) == sorted(schema)
    for name, columns in schema.items():
        assert tables[name]["description"], name
        assert sorted(tables[name]["columns"]) == sorted(columns), name
        assert all(tables[name]["columns"].values()), name
    for key in ("title", "description_html", "source", "source_url", "license"):
        assert metadata[key]


def test_articles_are_newest_first_with_facets_and_search(datasette):
    (response,) = get(datasette, "/archive/articles.json?_shape=objects")
    data = response.json()
    published = [row["published_at"] for row in data["rows"] if row["published_at"]]
    assert published == sorted(published, reverse=True)
    assert set(data["facet_results"]) == FACETS
    assert (
        data["facet_results"]["categories"]["type"] == "array_values"
    )  # issue 10: Datasette's array facet, narrow
    (found,) = get(datasette, "/archive/articles.json?_search=disiplin&_shape=objects")
    assert [row["title"] for row in found.json()["rows"]] == [SEED_TITLE]


def facet_counts(response, name: str = "categories") -> list[tuple]:
    """Return the (value, count) pairs of facet NAME in a Datasette JSON RESPONSE."""
    return [(v["value"], v["count"]) for v in response.json()["facet_results"][name]["results"]]


@pytest.fixture(scope="module")
def categorised(tmp_path_factory) -> Path:
    """Return an archive of five articles whose categories repeat, are empty or are missing."""
    path = tmp_path_factory.mktemp("categories") / "archive.db"
    with ArchiveStore(path) as store:
        for n, categories in enumerate(
            [["Umum", "Umum", "Kesehatan"], ["Umum"], ["Kesehatan"], [], ["MTQ 2019"]]
        ):
            url = f"https://tubankab.go.id/entry/facet-{n}"
            store.save_article(
                article(
                    url,
                    f"Facet {n}",
                    f"2020-01-0{n + 1}T08:00:00+07:00",
                    "Yolency",
                    categories,
                    [f"Berita pembangunan desa nomor {n}."],
                ),
                fetch(url, "2026-01-01T00:00:00+00:00"),
                "run",
            )
    return path


@pytest.mark.parametrize(
    "query",
    [
        "",
        "&categories__arraycontains=Umum",
        "&_category=Umum",
        "&_search=pembangunan",
        "&author=nobody",
        "&_category=Umum&_category=Kesehatan",
        "&_search=pembangunan&_category=Kesehatan",
    ],
)
def test_the_category_facet_counts_as_datasettes_array_facet_does(categorised, query):
    # Issue 10: the same values and counts from the narrow article_categories rows as from
    # Datasette's own facet over whole rows; a category repeated within one article counts once.
    datasette = serve.build_datasette(categorised)
    (response,) = get(datasette, f"/archive/articles.json?_facet_array=categories&_size=0{query}")
    facets = response.json()["facet_results"]
    assert (
        facets["categories"]["type"] == "array" and facets["categories_2"]["type"] == "array_values"
    )
    assert facet_counts(response, "categories_2") == facet_counts(response, "categories")


def test_the_category_facet_and_filter_read_the_narrow_table(categorised):
    datasette = serve.build_datasette(categorised)
    (everything,) = get(datasette, "/archive/articles.json?_size=0")
    assert facet_counts(everything) == [("Kesehatan", 2), ("Umum", 2), ("MTQ 2019", 1)]
    # A value's link filters on it (the narrow filter); following it again removes it.
    link = everything.json()["facet_results"]["categories"]["results"][0]["toggle_url"]
    assert link.endswith("_category=Kesehatan")
    narrow, json_array = get(
        datasette,
        link.replace("http://localhost", "").replace("_size=0&", "") + "&_shape=objects",
        "/archive/articles.json?categories__arraycontains=Kesehatan&_shape=objects",
    )
    urls = [row["url"] for row in narrow.json()["rows"]]
    assert urls == [row["url"] for row in json_array.json()["rows"]] and len(urls) == 2
    assert narrow.json()["filtered_table_rows_count"] == 2
    assert narrow.json()["human_description_en"].startswith('where category is "Kesehatan"')
    selected = narrow.json()["facet_results"]["categories"]["results"]
    assert [(v["value"], v["count"], v["selected"]) for v in selected] == [
        ("Kesehatan", 2, True),
        ("Umum", 1, False),
    ]
    assert "_category" not in next(v for v in selected if v["selected"])["toggle_url"]
    (both,) = get(
        datasette, "/archive/articles.json?_category=Kesehatan&_category=Umum&_shape=objects"
    )
    assert [row["url"] for row in both.json()["rows"]] == ["https://tubankab.go.id/entry/facet-0"]


def test_the_category_filter_of_an_archive_without_the_narrow_table_reads_the_arrays(
    categorised, tmp_path
):
    path = tmp_path / "archive.db"
    shutil.copy(categorised, path)
    with sqlite3.connect(path) as connection:  # an archive from before m007
        connection.execute("drop table article_categories")
        connection.execute("delete from _sqlite_migrations where name = 'm007_article_categories'")
    datasette = serve.build_datasette(path)
    (everything, filtered) = get(
        datasette,
        "/archive/articles.json?_size=0",
        "/archive/articles.json?_category=Kesehatan&_shape=objects",
    )
    assert facet_counts(everything) == [("Kesehatan", 2), ("Umum", 2), ("MTQ 2019", 1)]
    assert everything.json()["facet_results"]["categories"]["results"][0]["toggle_url"].endswith(
        "categories__arraycontains=Kesehatan"
    )
    assert len(filtered.json()["rows"]) == 2


@pytest.mark.parametrize(
    "words", ["pembangunan", "desa nomor", "nomor OR Kesehatan", '"', "tidakada"]
)
def test_the_table_search_finds_what_datasettes_own_clause_finds(categorised, words):
    # Issue 10: the search clause is written +rowid (a test, not a lookup) for speed; rows,
    # order, count and facets are those of Datasette's own clause (which _fts_table keeps).
    datasette = serve.build_datasette(categorised)
    ours, theirs = get(
        datasette,
        f"/archive/articles.json?_search={words}&_shape=objects",
        f"/archive/articles.json?_search={words}&_shape=objects&_fts_table=articles_stem_fts",
    )
    assert (
        "+rowid in" in ours.json()["query"]["sql"] and "+rowid" not in theirs.json()["query"]["sql"]
    )
    for key in ("rows", "filtered_table_rows_count"):
        assert ours.json()[key] == theirs.json()[key], key
    for name in FACETS:
        assert facet_counts(ours, name) == facet_counts(theirs, name), name


def test_shipped_metadata_works_with_plain_datasette(archive):
    command = [
        sys.executable,
        "-m",
        "datasette",
        str(archive),
        "-m",
        str(METADATA_PATH),
        "--get",
        "/archive/articles.json?_search=disiplin&_shape=objects",
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert [row["url"] for row in data["rows"]] == [SEED_URL]
    assert "categories" in data["facet_results"]


def test_metadata_follows_a_database_named_otherwise(archive, tmp_path):
    metadata = archive_metadata("tuban 2025")
    assert "archive" not in metadata["databases"]
    assert 'href="tuban+2025/articles"' in metadata["description_html"]
    other = tmp_path / "tuban-2025.db"
    shutil.copy(archive, other)
    (response,) = get(serve.build_datasette(other), "/tuban-2025/articles.json")
    assert set(response.json()["facet_results"]) == FACETS


# -- canned queries and the chart ---------------------------------------------------------
def test_canned_queries_answer(datasette):
    month, search, empty_search, mention, changed = get(
        datasette,
        "/archive/articles_per_month.json?_shape=objects",
        "/archive/search_articles.json?text=disiplin&_shape=objects",
        "/archive/search_articles.json?text=&_shape=objects",
        "/archive/articles_mentioning_date.json?date=2017-07&_shape=objects",
        "/archive/changed_since.json?since=2026-01-15&_shape=objects",
    )
    assert {"month": "2017-07", "articles": 4} in month.json()["rows"]
    (hit,) = search.json()["rows"]
    assert hit["url"] == SEED_URL and "<mark>disiplin</mark>" in hit["snippet"].lower()
    assert empty_search.status_code == 200 and empty_search.json()["rows"] == []
    assert {(r["mentioned_date"], r["expression"]) for r in mention.json()["rows"]} == {
        ("2017-07-26", "Rabu (26/07)"),
        ("2017-07-28", "28 Juli 2017"),
    }
    assert [(r["title"], r["change"]) for r in changed.json()["rows"]] == [
        ("Jadwal Pelayanan Kesehatan Keliling", "updated")
    ]


def test_the_chart_page_draws_a_bar_per_month_linking_to_its_articles(datasette):
    (response,) = get(datasette, "/archive/articles_per_month")
    html = response.text
    assert '<svg class="tuban-chart-svg"' in html
    assert "<title>2017-07: 4 articles</title>" in html
    assert 'href="/archive/articles?published_month=2017-07"' in html


@pytest.mark.parametrize(
    ("counts", "bars"),
    [
        ({}, 0),
        ({"2017-07": 3}, 1),
        ({"2017-11": 1, "2018-02": 5}, 4),  # the two months between are drawn empty
    ],
)
def test_monthly_bar_chart(counts, bars):
    svg = monthly_bar_chart(counts)
    assert svg.count("<rect") == bars
    assert (svg == "") == (not counts)


def test_the_payload_detector_finds_every_payload():
    raw = (Path(__file__).parent / "pages" / "hostile_article.html").read_text(encoding="utf-8")
    assert len(live_payloads(raw)) >= 10


def test_search_snippets_are_highlighted_and_escaped(datasette):
    (response,) = get(datasette, "/archive/search_articles?text=disiplin")
    assert re.search(r"<mark>disiplin</mark>", response.text, re.I)
    assert (
        str(highlighted_snippet("<script>x</script> <mark>a</mark>"))
        == "&lt;script&gt;x&lt;/script&gt; <mark>a</mark>"
    )


# -- articles, readable and safe ----------------------------------------------------------
def test_the_row_page_shows_the_article_with_a_link_to_the_original(datasette):
    (response,) = get(datasette, row_path(SEED_URL))
    html = response.text
    article = html[html.index('<article class="tuban-article">') : html.index("</article>")]
    assert SEED_TITLE in article
    assert "26 July 2017, 13:24 WIB" in article
    assert f'<a href="{SEED_URL}" rel="noopener noreferrer nofollow">' in article
    assert "serta disiplin yang luar biasa" in article
    assert (
        'href="/archive/articles?_category=Kegiatan+Pemerintahan"' in article
    )  # issue 10: the narrow filter
    # issue 11: and to its capture in the replay (tuban-crawler replay)
    assert (
        '<a href="http://127.0.0.1:8090/tuban/http' in article and "As archived (replay)" in article
    )


@pytest.mark.parametrize("url", [HOSTILE_STORED_URL, HOSTILE_RAW_URL])
def test_nothing_from_a_hostile_article_reaches_a_page(datasette, url):
    pages = get(
        datasette,
        row_path(url),
        "/archive/articles",
        "/archive/articles?_search=menguji",
        "/archive/search_articles?text=menguji",
        "/archive?sql=select+*+from+articles",
        "/archive/article_versions",
    )
    for response in pages:
        assert response.status_code == 200
        assert live_payloads(response.text) == [], response.url
    assert HOSTILE_TEXT in pages[0].text


def test_a_body_written_raw_is_sanitised_when_shown(datasette):
    (response,) = get(datasette, row_path(HOSTILE_RAW_URL))
    article = response.text[response.text.index('<article class="tuban-article">') :]
    assert (
        "<p>Tubankab - Berita ini berisi kode berbahaya.</p>" in article
    )  # shown as HTML, not as source
    assert '<img src="x" alt="foto">' in article
    assert (
        "&lt;script&gt;window.__pwned = &#39;title&#39;&lt;/script&gt;" in article
    )  # the title, escaped


@pytest.mark.parametrize(
    ("row", "body"),
    [
        ({"body_html": '<p onclick="x()">Teks<script>alert(1)</script></p>'}, "<p>Teks</p>"),
        (
            {
                "body_html": None,
                "body_text": "Satu <b>.\n\nDua.",
                "dateline": "Tubankab",
                "credit": "rah",
            },
            "<p>Tubankab - Satu &lt;b&gt;.</p><p>Dua. (rah)</p>",
        ),
        ({"body_html": None, "body_text": None}, ""),
    ],
)
def test_article_view_sanitises_or_escapes_the_body(row, body):
    view = article_view({"url": "javascript:alert(1)", **row}, lambda column, value: "#")
    assert str(view["body"]) == body
    assert view["original_url"] is None


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("2017-07-26T13:24:00+07:00", "26 July 2017, 13:24 WIB"),
        ("2019-01-04", "4 January 2019"),
        ("2019-01-04T08:00:00+08:00", "4 January 2019, 08:00 WITA"),
        ("Juli 2017", "Juli 2017"),
        (None, None),
    ],
)
def test_format_published(value, shown):
    assert format_published(value) == shown


def test_every_page_carries_a_content_security_policy(datasette):
    for response in get(datasette, "/", "/archive/articles", "/-/tuban-archive.css"):
        policy = response.headers["content-security-policy"]
        assert "default-src 'self'" in policy and "frame-src 'none'" in policy


# -- read-only ----------------------------------------------------------------------------
def test_nothing_can_write_to_the_archive(datasette, archive):
    before = sqlite3.connect(archive).execute("select count(*) from articles").fetchone()[0]
    responses = get(
        datasette,
        "/archive?sql=delete+from+articles",
        "/archive?sql=insert+into+crawl_state+values('a','b')",
    )
    assert all(r.status_code == 400 for r in responses)
    posts = get(
        datasette,
        "/archive/articles",
        "/archive/search_articles",
        "/archive/-/create",
        method="post",
    )
    assert all(r.status_code >= 400 for r in posts)
    assert sqlite3.connect(archive).execute("select count(*) from articles").fetchone()[0] == before


def test_articles_archived_while_serving_show_up(archive, tmp_path):
    live = tmp_path / "archive.db"
    shutil.copy(archive, live)
    datasette = serve.build_datasette(live)
    url = "https://tubankab.go.id/entry/berita-baru-saat-dijelajahi"
    (before,) = get(datasette, "/archive/articles.json?_shape=objects&_search=dijelajahi")
    with ArchiveStore(live) as store:  # a crawl writing while Datasette reads
        store.save_article(
            article(
                url,
                "Berita Baru Saat Dijelajahi",
                "2026-01-05T10:00:00+07:00",
                "Yolency",
                ["Umum"],
                ["Berita ini diarsipkan saat arsip sedang dijelajahi."],
            ),
            fetch(url, "2026-01-05T04:00:00+00:00"),
            "run-live",
        )
        (during,) = get(datasette, "/archive/articles.json?_shape=objects&_search=dijelajahi")
    assert before.json()["rows"] == []
    assert [row["url"] for row in during.json()["rows"]] == [url]


def test_tuban_crawler_serve_answers_on_loopback(archive):
    with serving(archive) as served:
        with urllib.request.urlopen(f"{served.base_url}/-/metadata.json", timeout=2) as response:
            assert json.load(response)["title"].startswith("Arsip Berita")
    assert f"{served.base_url}/" in served.output
    # stopped with SIGTERM (systemd, kill) as with Ctrl-C: exit 0, not the signal's 143 (issue 19)
    assert served.returncode == 0


def test_serve_refuses_what_is_not_an_archive(tmp_path, capsys):
    assert main(["serve", "--db", str(tmp_path / "missing.db"), "--port", "0"]) == 1
    sqlite3.connect(tmp_path / "other.db").execute("create table t (x)").connection.close()
    assert main(["serve", "--db", str(tmp_path / "other.db"), "--port", "0"]) == 1
    err = capsys.readouterr().err
    assert "no archive at" in err and "not a tuban-crawler archive" in err


# -- plain Datasette: the plugin from its entry point, on archives only --------------------
def datasette_get(db_path: Path, path: str, *options: str) -> subprocess.CompletedProcess:
    """Return the finished ``datasette DB_PATH --get PATH`` (plain Datasette, no metadata, no flags)."""
    return subprocess.run(
        [sys.executable, "-m", "datasette", str(db_path), *options, "--get", path],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_plain_datasette_on_a_renamed_archive_is_the_whole_project(archive, tmp_path):
    renamed = tmp_path / "tuban 2025.db"
    shutil.copy(archive, renamed)
    name = tilde_encode("tuban 2025")
    page = datasette_get(renamed, row_path(SEED_URL, database=name))
    assert page.returncode == 0, page.stderr
    assert (
        '<article class="tuban-article">' in page.stdout and "/-/tuban-archive.css" in page.stdout
    )
    chart = datasette_get(renamed, f"/{name}/articles_per_month")
    assert '<svg class="tuban-chart-svg"' in chart.stdout
    assert f'href="/{name}/articles?published_month=2017-07"' in chart.stdout
    found = datasette_get(renamed, f"/{name}/articles.json?_search=kedisiplinan&_shape=objects")
    assert [row["url"] for row in json.loads(found.stdout)["rows"]] == [SEED_URL]
    home = datasette_get(renamed, "/")
    assert (
        f'href="{name}/articles"' in home.stdout and "Arsip Berita Kabupaten Tuban" in home.stdout
    )


def test_a_database_that_is_not_an_archive_is_untouched(archive, tmp_path):
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute(
            "create table articles (url text primary key, title text, body_text text)"
        )
        connection.execute(
            "insert into articles values ('https://example.org/a', 'Kegiatan', 'teks')"
        )
    connection.close()
    responses = get(
        serve.build_datasette(other),
        "/other/articles",
        "/other/articles.json",
        "/other/search_articles",
    )
    table, data, canned = responses
    assert "tuban-archive.css" not in table.text and "content-security-policy" not in table.headers
    assert "facet_results" not in data.json() or not data.json()["facet_results"]
    assert canned.status_code == 404
    (both,) = get(plain_datasette(archive, other), "/other/articles")
    assert "tuban-archive.css" not in both.text and "content-security-policy" not in both.headers


def plain_datasette(*paths: Path):
    """Return a plain Datasette serving PATHS (the plugin loaded by its entry point)."""
    from datasette.app import Datasette

    return Datasette([str(p) for p in paths])


def test_plain_datasette_on_an_older_archive_searches_exact_words_without_errors(tmp_path):
    datasette = plain_datasette(older_archive(tmp_path / "old.db"))
    table, quote, canned, lone = get(
        datasette,
        "/old/articles.json?_search=kegiatan&_shape=objects",
        '/old/articles?_search="',
        "/old/search_articles.json?text=kegiatan&_shape=objects",
        '/old/search_articles?text="',
    )
    assert [r.status_code for r in (table, quote, canned, lone)] == [200] * 4
    assert len(table.json()["rows"]) == len(canned.json()["rows"]) == 1
    assert "published_date" not in table.json()["facet_results"]


def test_the_search_queries_are_the_search_modules(datasette):
    from tuban_crawler.search import search_sql

    queries = json.loads(METADATA_PATH.read_text(encoding="utf-8"))["databases"]["archive"][
        "queries"
    ]
    assert (queries["search_articles"]["sql"], queries["search_exact"]["sql"]) == (
        search_sql(),
        search_sql(exact=True),
    )


# -- local dates --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def after_midnight(archive, tmp_path_factory) -> Path:
    """Return a copy of the demo archive with an article published at 00:30 WIB (17:30 UTC the day before)."""
    path = tmp_path_factory.mktemp("dates") / "archive.db"
    shutil.copy(archive, path)
    url = "https://tubankab.go.id/entry/berita-tengah-malam"
    with ArchiveStore(path) as store:
        store.save_article(
            article(
                url,
                "Berita Tengah Malam",
                "2019-03-02T00:30:00+07:00",
                "Yolency",
                ["Umum"],
                ["Berita ini terbit tengah malam."],
            ),
            fetch(url, "2026-01-05T04:00:00+00:00"),
            "r",
        )
    return path


def test_an_article_of_0030_wib_is_on_its_own_day_in_the_facet_and_the_filter(after_midnight):
    datasette = serve.build_datasette(after_midnight)
    url = "https://tubankab.go.id/entry/berita-tengah-malam"
    filtered, faceted = get(
        datasette,
        "/archive/articles.json?published_date=2019-03-02&_shape=objects",
        "/archive/articles.json?published_month=2019-03&_shape=objects",
    )
    assert url in [row["url"] for row in filtered.json()["rows"]]
    days = {
        r["value"]: r["count"] for r in faceted.json()["facet_results"]["published_date"]["results"]
    }
    assert days.get("2019-03-02") == 1 and "2019-03-01" not in days


def test_the_date_facets_list_the_newest_first(datasette):
    (response,) = get(datasette, "/archive/articles.json?_shape=objects")
    facets = response.json()["facet_results"]
    for name in ("published_year", "published_month", "published_date"):
        values = [r["value"] for r in facets[name]["results"]]
        assert values == sorted(values, reverse=True) and len(values) > 1, name
    newest = next(r for r in facets["published_month"]["results"])
    assert newest["toggle_url"].endswith(f"published_month={newest['value']}")


def test_an_archive_from_before_versions_shows_its_article_pages(tmp_path):
    from tests.demo_archive import BASE, older_archive

    path = older_archive(tmp_path / "archive.db")
    (page,) = get(serve.build_datasette(path), "/archive/articles/" + tilde_encode(BASE + "a"))
    assert page.status_code == 200, page.text[-500:]
    assert "Kegiatan Desa" in page.text
