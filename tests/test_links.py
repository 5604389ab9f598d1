"""Tests of links: what any page offers to discovery, read from its structure."""

from __future__ import annotations

import pytest

from tuban_crawler.discover.links import absolute_link, is_page_shaped, listing_stem, page_links

BASE = "https://tubankab.go.id"


def test_page_links_finds_entries_next_pages_other_pages_and_listing_dates():
    html = """<div class="news-item"><h3><a href="/entry/a?utm_source=x">A</a></h3><span>27 November 2011 15:40</span></div>
    <div class="news-item"><a href="/entry/b/">B</a></div>
    <ul><li><a href="/entry/c">C</a> <a href="/entry/d">D</a> 01 May 2020 10:00</li></ul>
    <a href="javascript:void(0)">x</a> <a href="/kategori/umum">Umum</a> <a class="next" rel="next" href="/berita?page=3">Next</a>"""
    links = page_links(html, f"{BASE}/berita?page=2")
    assert links.entries == [f"{BASE}/entry/{s}" for s in ("a?utm_source=x", "b/", "c", "d")]
    assert links.next_pages == [f"{BASE}/berita?page=3"]
    assert links.pages == [f"{BASE}/kategori/umum"]
    # one date for one link; a block with two links says nothing certain about either
    assert links.dates == {f"{BASE}/entry/a?utm_source=x": "27 November 2011 15:40"}


@pytest.mark.parametrize(
    "page, html, expected",
    [
        # rel=next, on an anchor or a <link>
        ("/berita", '<link rel="next" href="/berita?page=2">', ["/berita?page=2"]),
        ("/berita", '<a rel="nofollow next" href="/x/2">2</a>', ["/x/2"]),
        # labels in Indonesian and English, whatever the URL
        ("/warta", '<a href="/warta/hal/2">Selanjutnya</a>', ["/warta/hal/2"]),
        (
            "/",
            "<a href='/search?updated-max=2017-07-26T13:24:00%2B07:00'>Older posts</a>",
            ["/search?updated-max=2017-07-26T13:24:00%2B07:00"],
        ),
        ("/x", '<a href="/x?start=12" title="Berikutnya">Berikutnya &raquo;</a>', ["/x?start=12"]),
        ("/", '<a class="btn" href="/news?hal=2">Lihat lainnya</a>', ["/news?hal=2"]),
        # arrows, with or without an aria-label
        ("/news", '<a href="/news?hal=2" aria-label="Next &raquo;">&rsaquo;</a>', ["/news?hal=2"]),
        ("/news", '<a href="/lain">&raquo;</a>', ["/lain"]),
        # numbered links of the same listing (query or path page), not of another one
        (
            "/berita",
            '<a href="/berita?page=2">2</a> <a href="/berita?page=9">9</a> <a href="/agenda?page=2">2</a>',
            ["/berita?page=2", "/berita?page=9"],
        ),
        ("/warta/hal/3", '<a href="/warta/hal/4">4</a> <a href="/warta">1</a>', ["/warta/hal/4"]),
        # previous pages are never next
        (
            "/news?hal=3",
            '<a href="/news?hal=2" rel="prev">&lsaquo;</a> <a href="/news?hal=2">Sebelumnya</a>',
            [],
        ),
        (
            "/x?start=24",
            '<a href="/x" title="Mulai">Mulai</a> <a href="/x?start=12">&laquo;</a>',
            [],
        ),
        # the page itself is not its own next page
        ("/berita?page=2", '<a href="/berita?page=2">2</a>', []),
        # an index under an entry URL pages itself with a query
        (
            "/entry/indeks",
            '<a href="/entry/indeks?hal=2">2</a> <a href="/entry/artikel-lain">Artikel</a>',
            ["/entry/indeks?hal=2"],
        ),
    ],
)
def test_next_pages_whatever_they_look_like(page, html, expected):
    assert page_links(html, BASE + page).next_pages == [BASE + path for path in expected]


@pytest.mark.parametrize(
    "item, expected",
    [
        (
            '<span class="posted-on">Rabu, 26 Juli 2017 - 13:24 WIB</span>',
            "Rabu, 26 Juli 2017 - 13:24 WIB",
        ),
        ('<dd class="published">Diterbitkan: 26/07/2017 13:24</dd>', "26/07/2017 13:24"),
        (
            "<small><i class='bi'></i> Rabu, 26/07/2017 13:24 WIB</small>",
            "Rabu, 26/07/2017 13:24 WIB",
        ),
        ("<span>26 Jul 2017 pukul 13.24 WIB</span>", "26 Jul 2017 pukul 13.24 WIB"),
        # a machine-readable date wins over the visible one of the same day (it has the time)
        (
            "<abbr class='published' title='2017-07-26T13:24:00+07:00'>Rabu, 26 Juli 2017</abbr>",
            "2017-07-26T13:24:00+07:00",
        ),
        (
            '<time datetime="2017-07-26T13:24:00+07:00">26 Juli 2017</time>',
            "2017-07-26T13:24:00+07:00",
        ),
        # month names English and Indonesian share
        ("<span>12 April 2018 09:00</span>", "12 April 2018 09:00"),
        ("<span>3 September 2019 10:15</span>", "3 September 2019 10:15"),
        ("<span>30 November 2020</span>", "30 November 2020"),
        # two different days say nothing certain; no date says nothing
        ("<span>26 Juli 2017</span> <span>27 Juli 2017</span>", None),
        ("<span>Kegiatan Pemerintahan</span>", None),
    ],
)
def test_listing_dates_in_any_shape(item, expected):
    html = (
        f'<div class="item"><h3><a href="/entry/a">HUT ke-728 Tuban 12 November 2021</a></h3>{item}</div>'
        '<div class="item"><a href="/entry/b">B</a></div>'
    )
    links = page_links(html, BASE + "/")
    assert links.dates.get(f"{BASE}/entry/a") == expected  # the title's own date is not the item's


def test_a_page_section_is_not_a_listing_item():
    # one link inside a long text: the text's dates are the article's, not the linked one's
    text = "Tuban - Kegiatan ini dilaksanakan mulai 26 Juli 2017 sampai 28 Juli 2017. " * 12
    html = f'<article><p>{text}</p><p>Baca juga: <a href="/entry/lain">Lain</a></p></article>'
    assert page_links(html, BASE + "/entry/x").dates == {}


def test_malformed_links_are_skipped_and_counted():
    html = """<a href="http://[::1">a</a> <a href="http://host:P:80/x">b</a> <a href="/entry/ok">ok</a>
    <a href="mailto:humas@tubankab.go.id">m</a> <a href="#top">top</a> <a href="ftp://tubankab.go.id/f">f</a>"""
    links = page_links(html, BASE + "/")
    assert links.entries == [f"{BASE}/entry/ok"]
    assert links.malformed == 2


def test_feeds_announced_by_link_alternate_and_assets_left_out():
    html = """<head><link rel="alternate" type="application/rss+xml" href="/warta/feed">
    <link rel="alternate" type="application/atom+xml" href="/feeds/posts/default">
    <link rel="alternate" hreflang="en" href="/en"></head>
    <body><a href="/uploads/foto.JPG">foto</a> <a href="/unduh/perda.pdf">perda</a> <a href="/profil">Profil</a></body>"""
    links = page_links(html, BASE + "/")
    assert links.feeds == [f"{BASE}/warta/feed", f"{BASE}/feeds/posts/default"]
    assert links.pages == [f"{BASE}/profil"]


@pytest.mark.parametrize(
    "url, shaped, stem",
    [
        ("/berita?page=2", True, "/berita"),
        ("/berita/hal/2", True, "/berita"),
        ("/category/umum/page/3/", True, "/category/umum"),
        ("/index.php?option=com_content&view=featured&start=12", True, "/index.php"),
        ("/search?updated-max=2017-07-26T13:24:00%2B07:00", True, "/search"),
        ("/kategori/umum", False, "/kategori/umum"),
    ],
)
def test_page_shapes_and_listing_stems(url, shaped, stem):
    assert is_page_shaped(BASE + url) is shaped
    assert listing_stem(BASE + url) == ("tubankab.go.id", stem)


def test_absolute_link():
    assert absolute_link(" /entry/a#komentar ", BASE + "/berita") == f"{BASE}/entry/a"
    assert absolute_link("javascript:void(0)", BASE) is None
    assert absolute_link("//example.org/x", BASE) == "https://example.org/x"


def test_the_surest_next_page_comes_first():
    # a nightly run follows only rel=next here, not the numbered links to pages 3 and 90
    html = """<nav><a href="/berita?page=1">1</a> <span>2</span> <a href="/berita?page=3">3</a>
    <a href="/berita?page=90">90</a> <a rel="next" href="/berita?page=3">Berikutnya</a></nav>"""
    links = page_links(html, BASE + "/berita?page=2")
    assert links.next_page == [f"{BASE}/berita?page=3"]
    assert links.next_pages == [f"{BASE}/berita?page=3", f"{BASE}/berita?page=90"]
    # a label that leads to a page of a listing beats one that leads elsewhere
    html = '<a href="/semua">Lihat semua</a> <a href="/news?hal=2">Lihat lainnya</a> <a href="/news?hal=5">5</a>'
    assert page_links(html, BASE + "/news").next_page == [f"{BASE}/news?hal=2"]
