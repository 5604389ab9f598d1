"""Categories from every markup that labels them, without their decoration (issue 18)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import PAGES
from tuban_crawler.extract import extract_entry
from tuban_crawler.items import ArticleItem
from tuban_crawler.normalize.article import normalize_article
from tuban_crawler.normalize.fields import normalize_categories
from tuban_crawler.normalize.published import settle_published

# Independent renditions of the seed article in templates unlike the portal's own: categories
# as a hashtag link, a breadcrumb step, a badge above the title, a bulleted metadata line.
RENDITIONS = PAGES / "renditions"
RENDITION_NAMES = sorted(path.stem for path in RENDITIONS.glob("*.json"))
SEED_COLUMNS = ("title", "published_at", "author", "categories", "views", "dateline", "credit")


def record_of(html: str, url: str):
    """Return the record normalise and validate make of HTML fetched from URL."""
    item = ArticleItem(url=url, fetch={}, raw=extract_entry(html, url))
    normalize_article(item)
    settle_published(item)
    return item.record


@pytest.mark.parametrize("name", RENDITION_NAMES)
def test_the_seed_row_is_exact_in_every_rendition(name):
    expected = json.loads((RENDITIONS / f"{name}.json").read_text(encoding="utf-8"))
    record = record_of((RENDITIONS / f"{name}.html").read_text(encoding="utf-8"), expected["url"])
    assert {c: record[c] for c in SEED_COLUMNS} == {c: expected[c] for c in SEED_COLUMNS}
    assert len(record["body_text"].split("\n\n")) == expected["paragraphs"]


def test_there_are_renditions_for_each_markup():
    assert {"hashtags", "breadcrumb", "badge", "bullets"} <= set(RENDITION_NAMES)


def page(around_title: str = "", after_body: str = "", chrome: str = "", head: str = "") -> str:
    """Return an article page of an unknown theme with markup AROUND_TITLE, AFTER_BODY and in its CHROME."""
    return f"""<html><head><title>Posyandu Balita Digelar Serentak - Dinkes</title>{head}</head><body>
    <header class="site-header"><a href="/">Dinkes</a>{chrome}</header>
    <div class="main"><div class="post">{around_title}
    <p class="meta">Senin, 12 Juni 2023 08:45 WIB | Oleh: Humas Dinkes</p>
    <div class="isi"><p>Posyandu balita digelar serentak di dua puluh kecamatan sepanjang bulan Juni
    dengan pemeriksaan tumbuh kembang anak dan pemberian vitamin A bagi seluruh balita.</p>
    <p>Petugas kesehatan mengajak orang tua membawa buku KIA agar hasil penimbangan tercatat
    lengkap dan dapat dipantau oleh bidan desa setiap bulannya.</p></div>{after_body}
    </div></div>
    <aside class="sidebar"><h3>Kategori</h3><ul><li><a href="/kategori/umum">Umum</a></li>
    <li><a href="/kategori/pendidikan">Pendidikan</a></li></ul></aside></body></html>"""


TITLE = "<h1>Posyandu Balita Digelar Serentak</h1>"
URL = "https://dinkes.example.go.id/berita/posyandu"


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        # a hashtag linking to its category's page, under the title or after the text
        (
            page(TITLE + '<div class="tags"><a href="/kategori/kesehatan">#Kesehatan</a></div>'),
            ["Kesehatan"],
        ),
        (
            page(TITLE, '<p class="hashtag"><a href="/category/kesehatan/">#Kesehatan</a></p>'),
            ["Kesehatan"],
        ),
        # a badge above the title: a link to the category, or a bare badge
        (page('<a class="chip" href="/rubrik/kesehatan">Kesehatan</a>' + TITLE), ["Kesehatan"]),
        (page('<span class="badge bg-success">Kesehatan</span>' + TITLE), ["Kesehatan"]),
        # WordPress' rel="category tag", two categories
        (
            page(
                TITLE + '<p class="cat-links"><a rel="category tag" href="/?p=3">Kesehatan</a>, '
                '<a rel="category tag" href="/?p=4">Posyandu</a></p>'
            ),
            ["Kesehatan", "Posyandu"],
        ),
        # a breadcrumb's category step, outside the article
        (
            page(TITLE).replace(
                '<div class="main">',
                '<div class="main"><ol class="breadcrumb"><li><a href="/">Beranda</a></li>'
                '<li><a href="/kategori/kesehatan">Kesehatan</a></li><li>Posyandu</li></ol>',
            ),
            ["Kesehatan"],
        ),
        # article:section and articleSection, decorated
        (page(TITLE, head='<meta property="article:section" content="#Kesehatan">'), ["Kesehatan"]),
        (
            page(
                TITLE,
                head='<script type="application/ld+json">{"@type": "NewsArticle",'
                ' "headline": "Posyandu Balita Digelar Serentak", "articleSection": ["• Kesehatan,"]}</script>',
            ),
            ["Kesehatan"],
        ),
        # not the article's: the chrome's category menu, a sidebar of every category, tags,
        # related articles with their categories, a breadcrumb to the news section only
        (page(TITLE, chrome='<nav><a href="/kategori/umum">#Umum</a></nav>'), []),
        (page(TITLE, '<div class="tags">Tag: <a href="/tag/posyandu">#posyandu</a></div>'), []),
        (
            page(
                TITLE,
                '<div class="tags"><a class="badge" href="/tag/kesehatan">#Kesehatan</a></div>',
            ),
            [],
        ),
        (
            page(
                TITLE,
                '<div class="terkait"><a href="/berita/vaksinasi-campak-untuk-anak-sekolah-dasar'
                '-digelar-di-seluruh-kecamatan">Vaksinasi Campak untuk Anak Sekolah Dasar Digelar di Seluruh'
                ' Kecamatan</a> <a href="/kategori/umum">Umum</a></div>',
            ),
            [],
        ),
        (
            page(TITLE).replace(
                '<div class="main">',
                '<div class="main"><ol class="breadcrumb"><li><a href="/">Beranda</a></li>'
                '<li><a href="/berita">Berita</a></li><li>Detail</li></ol>',
            ),
            [],
        ),
    ],
)
def test_categories_from_every_markup_that_labels_them(html, expected):
    assert record_of(html, URL)["categories"] == expected


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["#Kesehatan"], ["Kesehatan"]),
        (["＃Kesehatan", "#Umum"], ["Kesehatan", "Umum"]),
        (["• Kegiatan Pemerintahan,"], ["Kegiatan Pemerintahan"]),
        (["Umum, Kesehatan,"], ["Umum", "Kesehatan"]),
        (["» MTQ 2019 |"], ["MTQ 2019"]),
        (["Covid-19", "C-19"], ["Covid-19", "C-19"]),  # a hyphen inside a name stays
        (["#", " , "], []),
    ],
)
def test_category_names_lose_their_decoration(names, expected):
    assert normalize_categories(names) == expected
