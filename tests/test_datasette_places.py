"""``web.datasette.places``: the articles page filtered and faceted by kecamatan, desa and office, the kecamatan pages, an article's places (in-process Datasette)."""

from __future__ import annotations

import asyncio
import sqlite3
from html import unescape
from pathlib import Path

import pytest
from datasette.utils import tilde_encode

from tests.demo_archive import article, build_demo_archive, fetch, older_archive
from tuban_crawler.store.archive import ArchiveStore
from tuban_crawler.web import serve

BASE = "https://tubankab.go.id/entry/"
#: (url, title, body): two articles in Jenu (one through its desa), one in Palang with two offices.
STORIES = (
    (
        BASE + "posyandu-sugihwaras",
        "Posyandu Baru di Desa Sugihwaras, Kecamatan Jenu",
        "Warga menyambut gembira.",
    ),
    (BASE + "panen-jenu", "Panen Raya di Kecamatan Jenu", "Dinas Kesehatan memeriksa petani."),
    (BASE + "banjir-palang", "Banjir di Desa Tasikmadu", "BPBD dan Camat Palang meninjau lokasi."),
)


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    path = build_demo_archive(tmp_path_factory.mktemp("places") / "archive.db")
    with ArchiveStore(path) as store:
        store.start_run("run-2", "incremental", "https://tubankab.go.id")
        for n, (url, title, body) in enumerate(STORIES):
            store.save_article(
                article(
                    url, title, f"202{n}-05-0{n + 1}T08:00:00+07:00", "Heri S", ["Umum"], [body]
                ),
                fetch(url, "2026-03-01T00:00:00+00:00"),
                "run-2",
            )
    return path


@pytest.fixture(scope="module")
def datasette(archive):
    return serve.build_datasette(archive)


def get(datasette, path: str):
    async def request():
        await datasette.invoke_startup()
        return await datasette.client.get(path)

    return asyncio.run(request())


def titles(datasette, query: str) -> set[str]:
    data = get(datasette, f"/archive/articles.json?_shape=objects&_col=title&{query}").json()
    return {row["title"] for row in data["rows"]}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # a kecamatan: named itself, or through one of its desa
        ("_kecamatan=Jenu", {STORIES[0][1], STORIES[1][1]}),
        ("_kecamatan=Palang", {STORIES[2][1]}),
        ("_desa=35.23.12.2017", {STORIES[0][1]}),  # Sugihwaras of Jenu, by its code
        ("_office=bpbd", {STORIES[2][1]}),
        ("_office=kecamatan-palang", {STORIES[2][1]}),  # Camat Palang
        ("_kecamatan=Jenu&_office=dinkes-p2kb", {STORIES[1][1]}),
        ("_kecamatan=Widang", set()),
    ],
)
def test_the_articles_page_filters_by_kecamatan_desa_and_office(datasette, query, expected):
    assert titles(datasette, query) == expected


def test_the_filter_says_what_it_selects_in_words(datasette):
    page = unescape(get(datasette, "/archive/articles?_desa=35.23.12.2017&_office=bpbd").text)
    assert (
        'where desa is "Sugihwaras (Jenu)" and office is "Badan Penanggulangan Bencana Daerah"'
        in page
    )


def facets(datasette, query: str = "") -> dict[str, dict[str, tuple[str, int]]]:
    data = get(datasette, f"/archive/articles.json?_extra=facet_results&{query}").json()
    results = data["facet_results"]
    return {
        name: {str(v["value"]): (v["label"], v["count"]) for v in results[name]["results"]}
        for name in ("kecamatan", "desa", "office")
        if name in results
    }


def test_the_facets_count_articles_per_kecamatan_desa_and_office_as_the_tables_say(
    datasette, archive
):
    found = facets(datasette)
    connection = sqlite3.connect(archive)
    expected = dict(
        connection.execute(
            "select kecamatan, count(distinct article_url) from article_places group by kecamatan"
        ).fetchall()
    )
    connection.close()
    assert {k: count for k, (_, count) in found["kecamatan"].items()} == expected
    assert found["kecamatan"]["Jenu"] == ("Jenu", 2)
    assert found["desa"]["35.23.12.2017"] == ("Sugihwaras (Jenu)", 1)
    assert found["office"]["bpbd"] == ("Badan Penanggulangan Bencana Daerah", 1)
    # On a filtered page, the facets count that page's articles only.
    narrowed = facets(datasette, "_kecamatan=Palang")
    assert set(narrowed["kecamatan"]) == {"Palang"} and "35.23.12.2017" not in narrowed["desa"]


def test_a_facet_value_toggles_its_filter(datasette):
    data = get(datasette, "/archive/articles.json?_extra=facet_results").json()
    [jenu] = [v for v in data["facet_results"]["kecamatan"]["results"] if v["value"] == "Jenu"]
    assert "_kecamatan=Jenu" in jenu["toggle_url"]
    toggled = jenu["toggle_url"].split("/archive/articles", 1)[1].replace(".json", "", 1)
    assert "2 rows" in get(datasette, "/archive/articles" + toggled).text


def test_the_kecamatan_page_shows_its_desa_years_offices_and_latest(datasette):
    page = unescape(get(datasette, "/archive/-/kecamatan/Jenu").text)
    assert "<h1>Kecamatan Jenu</h1>" in page and "35.23.12" in page
    assert page.count("<tr><td>") >= 17 + 2  # every desa of Jenu, and its years
    assert '<a href="/archive/articles?_desa=35.23.12.2017">Sugihwaras</a>' in page
    assert '<a href="/archive/articles?_kecamatan=Jenu&published_year=2020">2020</a>' in page
    assert "Dinas Kesehatan, Pengendalian Penduduk dan Keluarga Berencana</a> (1)" in page
    assert "2 articles</a> name it" in page
    assert STORIES[1][1] in page
    # any case finds it; the index lists the twenty
    assert get(datasette, "/archive/-/kecamatan/jenu").status_code == 200
    index = get(datasette, "/archive/-/kecamatan").text
    assert index.count('href="/archive/-/kecamatan/') == 20


@pytest.mark.parametrize("path", ["/archive/-/kecamatan/Kalitidu", "/nope/-/kecamatan/Jenu"])
def test_a_kecamatan_tuban_does_not_have_is_not_found(datasette, path):
    assert get(datasette, path).status_code == 404


def test_the_article_page_lists_its_places_and_offices_with_links(datasette):
    page = unescape(get(datasette, f"/archive/articles/{tilde_encode(STORIES[2][0])}").text)
    section = page.split('<section class="tuban-places">', 1)[1].split("</section>", 1)[0]
    assert 'href="/archive/articles?_desa=35.23.18.2002"' in section  # Desa Tasikmadu
    assert 'href="/archive/-/kecamatan/Palang">Kecamatan Palang</a>' in section
    assert ">Badan Penanggulangan Bencana Daerah (BPBD)</a>" in section
    assert 'href="/archive/articles?_office=bpbd"' in section
    # an article that names nothing shows no section
    quiet = get(
        datasette, f"/archive/articles/{tilde_encode(BASE + 'kegiatan-pemkab-tuban-nomor-1')}"
    )
    assert quiet.status_code == 200 and "tuban-places" not in quiet.text


def test_an_archive_from_before_the_places_is_shown_without_them(tmp_path):
    older = serve.build_datasette(older_archive(tmp_path / "archive.db"))
    page = get(older, "/archive/articles?_kecamatan=Jenu")
    assert page.status_code == 200 and "kecamatan (places)" not in page.text
    assert get(older, "/archive/-/kecamatan").status_code == 404
