"""Tests of the local test portal, over loopback with a real HTTP client."""

from __future__ import annotations

import email.utils
import gzip
import html
import http.client
import json
import random
import re
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from parsel import Selector

from tuban_crawler.portal import PortalServer, content, parse_faults
from tuban_crawler.portal.slugs import MAX_SLUG_LENGTH, SlugRegistry, base_slug

SEED_FILE = Path(__file__).parents[1] / "tuban_crawler" / "portal" / "data" / "seed_article.txt"
SEED_PATH = "/entry/asn-dituntut-disiplin-profesional-dan-bertanggung-jawab"
BOTH_LAYOUTS = 1300  # the first 2019 article (current layout) is index ~1148


def fetch(
    srv: PortalServer, path: str, headers: dict[str, str] | None = None, method: str = "GET"
) -> tuple[int, dict[str, str], bytes]:
    """Return (status, lower-cased headers, body) of one request on a fresh connection."""
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
    try:
        conn.request(method, path, headers=headers or {})
        response = conn.getresponse()
        body = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        conn.close()


def page(srv: PortalServer, path: str) -> Selector:
    status, _, body = fetch(srv, path)
    assert status == 200, path
    return Selector(text=body.decode("utf-8"))


def canonical(href: str, base_url: str) -> str:
    """Return the /entry/<slug> path a listing link points at, whatever alias form it uses."""
    return re.split(r"[?#]", href.removeprefix(base_url))[0].rstrip("/")


def manifest(srv: PortalServer, body: bool = False) -> dict:
    status, _, data = fetch(srv, "/_portal/manifest.json" + ("?body=1" if body else ""))
    assert status == 200
    return json.loads(data)


def by_index(doc: dict) -> dict[int, dict]:
    return {e["index"]: e for e in doc["entries"] if e["index"] is not None}


@pytest.fixture(scope="module")
def big():
    with PortalServer(articles=BOTH_LAYOUTS, seed=1) as srv:
        yield srv


@pytest.fixture(scope="module")
def big_manifest(big):
    return manifest(big, body=True)


# -- the real seed article ------------------------------------------------------------------


def test_seed_article_is_verbatim_in_a_tiny_archive():
    lines = SEED_FILE.read_text(encoding="utf-8").split("\n")
    with PortalServer(articles=5) as srv:
        sel = page(srv, SEED_PATH)
        assert sel.css("h2.post-title::text").get() == lines[0]
        items = [
            " ".join("".join(li.css("::text").getall()).split())
            for li in sel.css("ul.post-meta li")
        ]
        assert items == [line[2:] for line in lines[1:5]]  # 26 July 2017 13:24, Yolency, ..., 628
        paragraphs = [
            html.unescape("".join(p.css("::text").getall())) for p in sel.css("div.post-content p")
        ]
        assert paragraphs == lines[5:]
        assert len(paragraphs) == 8 and paragraphs[0].startswith("Tubankab - ")
        assert paragraphs[-1].endswith("(chusnul huda/hei)")
        entry = next(e for e in manifest(srv)["entries"] if e["path"] == SEED_PATH)
        assert (entry["views"], entry["paragraphs"], entry["layout"]) == (628, 8, "legacy")
        assert entry["published_iso"] == "2017-07-26T13:24:00+07:00"

        srv.configure(edition=2)
        sel2 = page(srv, SEED_PATH)
        assert int(sel2.css("ul.post-meta li")[3].css("::text").getall()[-1]) > 628
        assert sel2.css("div.post-content").get() == sel.css("div.post-content").get()


def test_seed_sits_at_its_date_position_in_listings(big, big_manifest):
    articles = [e for e in big_manifest["entries"] if e["kind"] == "article"]
    position = [e["path"] for e in articles].index(SEED_PATH)
    before, after = articles[position - 1]["published_iso"], articles[position + 1]["published_iso"]
    assert before > "2017-07-26T13:24:00+07:00" > after
    listing = page(big, f"/berita?page={position // 20 + 1}")
    assert any(SEED_PATH in h for h in listing.css("div.news-item a::attr(href)").getall())


# -- determinism ----------------------------------------------------------------------------


def test_same_seed_gives_the_same_bytes_and_another_seed_does_not():
    paths = ["/", "/berita?page=2", "/sitemap.xml", "/rss", SEED_PATH]
    with PortalServer(articles=60, seed=3) as one, PortalServer(articles=60, seed=3) as two:
        paths += [e["path"] for e in manifest(one)["entries"][::7]]
        for path in paths:
            a = fetch(one, path)[2].replace(one.base_url.encode(), b"BASE")
            b = fetch(two, path)[2].replace(two.base_url.encode(), b"BASE")
            assert a == b, path
        two.configure(seed=4)
        assert fetch(one, "/")[2] != fetch(two, "/")[2].replace(
            two.base_url.encode(), one.base_url.encode()
        )


def test_a_bigger_archive_is_a_superset_with_identical_articles():
    with PortalServer(articles=50) as srv:
        small = manifest(srv)["entries"]
        pages = {e["path"]: fetch(srv, e["path"])[2] for e in small}
        srv.configure(articles=80)
        larger = {e["path"]: e for e in manifest(srv)["entries"]}
        assert len(larger) == len(small) + 30
        for entry in small:
            assert larger[entry["path"]] == entry
            if entry["index"] is not None:  # the seed's neighbours are whatever precedes 2017
                assert fetch(srv, entry["path"])[2] == pages[entry["path"]], entry["path"]
        newest = sorted(
            (e for e in larger.values() if e["index"] is not None), key=lambda e: e["index"]
        )[-30:]
        assert {e["index"] for e in newest} == set(range(50, 80))
        older = [e["published_iso"] for e in small if e["index"] is not None]
        assert min(e["published_iso"] for e in newest) > max(older)


def test_publication_dates_increase_and_stay_in_range(big_manifest):
    generated = sorted(
        (e for e in big_manifest["entries"] if e["index"] is not None), key=lambda e: e["index"]
    )
    dates = [e["published_iso"] for e in generated]
    assert dates == sorted(dates) and len(set(dates)) == len(dates)
    assert dates[0].startswith("2010-01") and dates[-1] < "2026-11-01"


def test_twenty_thousand_articles_build_as_a_superset_with_dates_before_the_anchor():
    # Issue 10: the scale benchmarks crawl 20,000 articles; the curve's tail keeps minutes distinct.
    large, _ = content.build_archive(3, 20_000)
    small, _ = content.build_archive(3, 5_000)
    assert len(large) == 20_001 and len({e.slug for e in large}) == 20_001
    assert large[: len(small)] == small
    dates = [e.meta.published for e in large if e.meta.index is not None]
    assert all(a < b for a, b in zip(dates, dates[1:], strict=False)) and dates[-1] < content.ANCHOR
    with pytest.raises(ValueError):
        content.build_archive(3, content.MAX_ARTICLES + 1)


# -- layouts and content --------------------------------------------------------------------


def test_both_layouts_are_served_with_their_own_markup(big, big_manifest):
    entries = big_manifest["entries"]
    legacy = next(
        e
        for e in entries
        if e["layout"] == "legacy" and e["kind"] == "article" and e["has_meta_list"]
    )
    current = next(
        e for e in entries if e["layout"] == "current" and e["index"] and e["meta_style"] == "list"
    )
    old = page(big, legacy["path"])
    assert old.css("div#content div.post h2.post-title::text").get() == legacy["title"]
    assert old.css("ul.post-meta i.icon-time").get() and not old.css(".news-body, .news-title")
    new = page(big, current["path"])
    assert (
        new.css("main.site-main article.single-news h1.news-title::text").get() == current["title"]
    )
    assert new.css("span.news-date::text").get().strip() == current["published"]
    assert new.css('meta[property="og:title"]::attr(content)').get() == current["title"]
    assert new.css('meta[property="og:type"]::attr(content)').get() == "article"
    assert not new.css(".post-content, ul.post-meta")
    assert b"article:published_time" not in fetch(big, current["path"])[2]
    assert not new.css('script[type="application/ld+json"]')
    for sel in (old, new):  # decoys a careless extractor would pick up
        assert "".join(sel.css("h1")[0].css("::text").getall()) == "Pemerintah Kabupaten Tuban"
        assert re.search(
            r"\d\d \w+ 20\d\d \d\d:\d\d", "".join(sel.css("#footer, footer").css("::text").getall())
        )
        assert len(sel.css("#sidebar .date, aside.related .date")) == 5


def test_manifest_matches_the_pages(big, big_manifest):
    for entry in big_manifest["entries"][::97]:
        sel = page(big, entry["path"])
        container = "div.post-content" if entry["layout"] == "legacy" else "div.news-body"
        paragraphs = [
            html.unescape("".join(p.css("::text").getall())) for p in sel.css(f"{container} > p")
        ]
        trailers = {"comments powered by Disqus", "Sumber : Media Center"}
        body = [p for p in paragraphs if p not in trailers]
        assert body == entry["body"] and len(body) == entry["paragraphs"], entry["path"]
        if entry["kind"] == "article":
            assert body[0].startswith(entry["dateline_variant"]) and body[-1].endswith(
                entry["credit"]
            )
            if entry["published"]:
                assert (
                    entry["published"]
                    in sel.css("ul.post-meta, p.post-info, div.news-meta, p.news-meta-line").get()
                )


def test_titles_are_capitals_before_may_2018_and_mixed_after(big_manifest):
    articles = [e for e in big_manifest["entries"] if e["kind"] == "article"]
    assert all(
        e["title"] == e["title"].upper() for e in articles if e["published_iso"] < "2018-05-01"
    )
    later = [e for e in articles if e["published_iso"] >= "2018-05-01"]
    assert later and all(e["title"] != e["title"].upper() for e in later)


def test_variants_are_all_present(big_manifest):
    articles = [e for e in big_manifest["entries"] if e["kind"] == "article"]
    assert {e["dateline_variant"] for e in articles} == {
        "Tubankab - ",
        "Tubankab \u2013 ",
        "Tubankab \u2014 ",
        "Tubankab-",
        "Tubankab- ",
        "Tubankab .- ",
    }
    assert {"(chusnul huda/hei)", "(nanang wibowo/hei)", "(rah)"} <= {e["credit"] for e in articles}
    assert {"list", "bullets", "none"} == {e["meta_style"] for e in articles}
    assert any(e["caption"] for e in articles) and any(e["trailers"] for e in articles)
    assert {"Yolency", "Heri S", "Hand Excel"} <= {e["author"] for e in articles}
    assert {"Kegiatan Pemerintahan", "Kegiatan Bupati dan Wakil Bupati", "MTQ 2019", "Umum"} <= {
        e["category"] for e in articles
    }
    views = [e["views"] for e in articles]
    assert min(views) < 10 and max(views) > 1000


def test_special_pages_render_their_quirks(big, big_manifest):
    entries = by_index(big_manifest)
    no_meta = page(big, entries[10]["path"])
    assert not no_meta.css("ul.post-meta, p.post-info") and entries[10]["published"] is None
    bullets = page(big, entries[11]["path"]).css("p.post-info").get()
    assert bullets.count("\u2022") == 3 and entries[11]["published"] in bullets
    caption = page(big, entries[15]["path"])
    assert caption.css("div.foto-caption::text").get().startswith("Foto : ")
    assert (
        "Sumber : Media Center"
        in fetch(
            big,
            next(
                e["path"]
                for e in big_manifest["entries"]
                if "Sumber : Media Center" in e["trailers"]
            ),
        )[2].decode()
    )


def test_body_mentions_indonesian_dates(big_manifest):
    weekdays = "Senin|Selasa|Rabu|Kamis|Jumat|Sabtu|Minggu"
    articles = [e for e in big_manifest["entries"] if e["kind"] == "article"]
    for entry in articles[::50]:
        _, month, day = entry["published_iso"][:10].split("-")
        assert re.search(rf"(?:{weekdays}) \({int(day)}/{month}\)", entry["body"][0]), entry["path"]
    long_dates = re.compile(
        r"\b\d{1,2} (?:Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|"
        r"Oktober|November|Desember) \d{4}\b"
    )
    assert sum(bool(long_dates.search(" ".join(e["body"]))) for e in articles) > len(articles) / 3


def test_evergreen_pages(big, big_manifest):
    evergreen = [e for e in big_manifest["entries"] if e["kind"] == "page"]
    assert 3 <= len(evergreen) <= 5 and "/entry/museum-kambang-putih" in {
        e["path"] for e in evergreen
    }
    home_links = page(big, "/").css("a::attr(href)").getall()
    sitemap = fetch(big, "/sitemap.xml")[2].decode()
    rss = fetch(big, "/rss")[2].decode()
    listing = fetch(big, "/berita")[2].decode()
    for entry in evergreen:
        assert entry["path"] in home_links and f"{big.base_url}{entry['path']}<" in sitemap
        assert entry["path"] not in rss and entry["path"] not in listing
        assert entry["published"] is None and entry["author"] is None
        assert not page(big, entry["path"]).css("ul.post-meta, div.news-meta")


def test_images_are_served(big, big_manifest):
    sel = page(big, next(e["path"] for e in big_manifest["entries"] if e["images"]))
    src = sel.css("img::attr(src)").get()
    assert re.fullmatch(r"/uploads/\d{4}/\d{2}/[a-z0-9-]+\.jpg", src)
    status, headers, body = fetch(big, src)
    assert (status, headers["content-type"], body[:2], body[-2:]) == (
        200,
        "image/jpeg",
        b"\xff\xd8",
        b"\xff\xd9",
    )


# -- slugs ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        # punctuation dropped, hyphens kept
        (
            "ASN DITUNTUT DISIPLIN, PROFESIONAL DAN BERTANGGUNG JAWAB",
            SEED_PATH.removeprefix("/entry/"),
        ),
        ("Pra-Musrenbang Kecamatan Jenu", "pra-musrenbang-kecamatan-jenu"),
        ("Tuban - Bojonegoro: Siap!", "tuban-bojonegoro-siap"),
        # separators between digits
        ("1.018 Peserta Ikuti Jalan Sehat", "1-018-peserta-ikuti-jalan-sehat"),
        ("Realisasi Pajak Capai 92,5 Persen", "realisasi-pajak-capai-92-5-persen"),
        ("Jum'at Bersih, 2019.", "jumat-bersih-2019"),
        # curly quotes fall back to the internal id
        ("Bupati: \u201cJaga Kebersihan\u201d", "n-a-1203"),
    ],
)
def test_base_slug(title, expected):
    assert base_slug(title, 1203) == expected


def test_slugs_are_cut_at_128_characters_and_deduplicated():
    long_title = "Dalam Rangka Memperingati Hari Jadi Kabupaten Tuban " * 4
    cut = base_slug(long_title, 1)
    assert len(cut) == MAX_SLUG_LENGTH and long_title.lower().replace(" ", "-").startswith(cut)
    registry, rng = SlugRegistry(), random.Random(1)
    slugs = [registry.claim("apel-pagi", rng) for _ in range(4)]
    assert slugs[:2] == ["apel-pagi", "apel-pagi-2"] and len(set(slugs)) == 4
    assert all(re.fullmatch(r"apel-pagi-\d+", s) for s in slugs[1:])


def test_archive_slugs_follow_the_rules(big_manifest):
    entries = by_index(big_manifest)
    paths = [e["path"] for e in big_manifest["entries"]]
    assert len(set(paths)) == len(paths)
    assert entries[1]["path"].startswith("/entry/1-018-peserta-")
    assert len(entries[2]["path"]) - len("/entry/") == MAX_SLUG_LENGTH
    assert entries[3]["path"] == "/entry/n-a-1003" and "\u201c" in entries[3]["title"]
    first, second, third = (entries[i]["path"] for i in (4, 6, 13))
    assert second == f"{first}-2" and re.fullmatch(rf"{first}-\d+", third) and third != second
    assert all(len(p) - len("/entry/") <= MAX_SLUG_LENGTH for p in paths)


def test_edited_title_keeps_its_old_slug(big, big_manifest):
    entry = by_index(big_manifest)[5]
    assert "tuabn" in entry["path"] and "TUABN" not in entry["title"] and "TUBAN" in entry["title"]
    assert page(big, entry["path"]).css("h2.post-title::text").get() == entry["title"]


# -- listings, feeds, robots ----------------------------------------------------------------


def test_pagination_walks_every_article_and_ends(big, big_manifest):
    live = [e["path"] for e in big_manifest["entries"] if e["kind"] == "article"]
    seen, path, pages = [], "/berita", 0
    while path:
        sel = page(big, path)
        pages += 1
        hrefs = sel.css("div.news-item h3 a::attr(href)").getall()
        assert len(hrefs) == 20 or not sel.css("a.next")
        seen += [canonical(h, big.base_url) for h in hrefs]
        assert all(sel.css("span.news-item-date::text").getall())
        path = sel.css('a.next[rel="next"]::attr(href)').get()
        if path:
            assert path == f"/berita?page={pages + 1}"
    assert seen == live
    assert fetch(big, f"/berita?page={pages + 1}")[0] == 404
    for bad in ("/berita?page=0", "/berita?page=abc", "/berita?page=-1"):
        assert fetch(big, bad)[0] == 404
    assert fetch(big, "/berita?page=1")[2] == fetch(big, "/berita")[2]


def test_category_listings(big, big_manifest):
    mtq = [e["path"] for e in big_manifest["entries"] if e["category"] == "MTQ 2019"]
    sel = page(big, "/kategori/mtq-2019")
    assert len(sel.css("div.news-item")) == min(20, len(mtq))
    if len(mtq) > 20:
        assert sel.css("a.next::attr(href)").get() == "/kategori/mtq-2019?page=2"
    assert fetch(big, "/kategori/tidak-ada")[0] == 404


def test_robots_sitemap_and_rss(big, big_manifest):
    status, headers, body = fetch(big, "/robots.txt")
    assert status == 200 and headers["content-type"].startswith("text/plain")
    robots = body.decode().splitlines()
    expected = {
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /_portal/",
        f"Sitemap: {big.base_url}/sitemap.xml",
    }
    assert expected <= set(robots)

    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    status, headers, body = fetch(big, "/sitemap.xml")
    assert "xml" in headers["content-type"]
    urls = ET.fromstring(body).findall("s:url", ns)
    locs = [u.findtext("s:loc", namespaces=ns) for u in urls]
    assert sorted(locs) == sorted(big.base_url + e["path"] for e in big_manifest["entries"])
    lastmods = [u.findtext("s:lastmod", namespaces=ns) for u in urls]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00", value) for value in lastmods)

    status, headers, body = fetch(big, "/rss")
    assert "xml" in headers["content-type"]
    items = ET.fromstring(body).findall("channel/item")
    newest = [e for e in big_manifest["entries"] if e["kind"] == "article"][:20]
    assert [i.findtext("link") for i in items] == [big.base_url + e["path"] for e in newest]
    dates = [email.utils.parsedate_to_datetime(i.findtext("pubDate")).isoformat() for i in items]
    assert dates == [e["published_iso"] for e in newest]


def test_home_lists_the_latest_entries(big, big_manifest):
    sel = page(big, "/")
    hrefs = sel.css("section.headline div.news-item a::attr(href)").getall()
    newest = [e["path"] for e in big_manifest["entries"] if e["kind"] == "article"][:10]
    assert [canonical(h, big.base_url) for h in hrefs] == newest


# -- aliases and HTTP -----------------------------------------------------------------------


def test_alias_urls_serve_the_same_page(big):
    original = fetch(big, SEED_PATH)
    for query in (
        "/",
        "?utm_source=facebook&utm_medium=social",
        "?fbclid=IwAR0abc",
        "/?utm_source=x",
    ):
        alias = SEED_PATH + query
        status, headers, body = fetch(big, alias)
        assert (status, body, headers["etag"]) == (200, original[2], original[1]["etag"])
    assert fetch(big, f"{SEED_PATH}//")[0] == 404 and fetch(big, "/entry/tidak-ada")[0] == 404


def test_listing_links_mix_alias_forms(big):
    hrefs = []
    for number in range(1, 15):
        hrefs += page(big, f"/berita?page={number}").css("div.news-item a::attr(href)").getall()
    assert any(h.endswith("/") for h in hrefs) and any(
        "utm_source=facebook&utm_medium=social" in h for h in hrefs
    )
    assert any("fbclid=" in h for h in hrefs) and any(h.endswith("#komentar") for h in hrefs)
    assert any(h.startswith(big.base_url + "/entry/") for h in hrefs)
    assert sum(re.fullmatch(r"/entry/[a-z0-9-]+", h) is not None for h in hrefs) > len(hrefs) / 2


def test_conditional_requests_and_gzip(big):
    status, headers, body = fetch(big, SEED_PATH)
    etag, modified = headers["etag"], headers["last-modified"]
    assert etag.startswith('"') and modified == "Wed, 26 Jul 2017 06:24:00 GMT"
    assert (
        headers["content-length"] == str(len(body))
        and headers["content-type"] == "text/html; charset=utf-8"
    )
    status, headers, body = fetch(big, SEED_PATH, {"If-None-Match": etag})
    assert (status, body, headers["etag"]) == (304, b"", etag)
    assert fetch(big, SEED_PATH, {"If-None-Match": '"other", ' + etag})[0] == 304
    assert fetch(big, SEED_PATH, {"If-Modified-Since": modified})[0] == 304
    assert fetch(big, SEED_PATH, {"If-Modified-Since": "Wed, 26 Jul 2017 06:23:59 GMT"})[0] == 200
    # If-None-Match wins over If-Modified-Since
    assert (
        fetch(big, SEED_PATH, {"If-None-Match": '"stale"', "If-Modified-Since": modified})[0] == 200
    )

    status, headers, zipped = fetch(big, SEED_PATH, {"Accept-Encoding": "gzip"})
    assert (
        headers["content-encoding"] == "gzip"
        and gzip.decompress(zipped) == fetch(big, SEED_PATH)[2]
    )
    assert (
        headers["etag"] == f"W/{etag}"
        and fetch(big, SEED_PATH, {"If-None-Match": headers["etag"]})[0] == 304
    )

    status, headers, body = fetch(big, SEED_PATH, method="HEAD")
    assert status == 200 and body == b"" and int(headers["content-length"]) > 1000
    assert fetch(big, SEED_PATH, method="POST")[0] == 405


def test_keep_alive_serves_many_requests_on_one_connection(big):
    conn = http.client.HTTPConnection("127.0.0.1", big.port, timeout=10)
    try:
        for path in ("/", "/berita?page=2", SEED_PATH, "/tidak-ada", "/rss"):
            conn.request("GET", path)
            response = conn.getresponse()
            assert len(response.read()) == int(response.headers["Content-Length"])
            assert response.headers["Connection"] == "keep-alive"
    finally:
        conn.close()


def test_hits_count_request_targets():
    with PortalServer(articles=5) as srv:
        for _ in range(3):
            fetch(srv, f"{SEED_PATH}?utm_source=x")
        fetch(srv, "/")
        assert srv.hits[f"{SEED_PATH}?utm_source=x"] == 3 and srv.hits["/"] == 1


# -- editions -------------------------------------------------------------------------------


def test_edition_two_edits_grows_views_and_withdraws():
    with PortalServer(articles=120) as srv:
        first = manifest(srv, body=True)
        before = by_index(first)
        assert not first["entries"][0]["edited_in_edition"] and first["edition"] == 1
        old_headers = {i: fetch(srv, before[i]["path"])[1] for i in (12, 14)}
        srv.configure(edition=2)
        second = manifest(srv, body=True)
        after = by_index(second)
        assert all(after[i]["views"] > before[i]["views"] for i in before)

        edited = [i for i in after if after[i]["edited_in_edition"]]
        assert 12 in edited and 5 <= len(edited) <= 40
        assert any(i >= 100 for i in edited)  # some of the newest too
        for i in edited:
            assert (
                after[i]["body"] != before[i]["body"]
                and after[i]["last_modified_iso"] > before[i]["published_iso"]
            )
        unedited = [
            i for i in after if not after[i]["edited_editions"] and not after[i]["withdrawn"]
        ]
        assert all(after[i]["body"] == before[i]["body"] for i in unedited)

        status, headers, _ = fetch(
            srv, after[12]["path"], {"If-Modified-Since": old_headers[12]["last-modified"]}
        )
        assert status == 200 and headers["last-modified"] != old_headers[12]["last-modified"]
        if 14 in unedited:  # views changed, so the ETag did; the modification time did not
            assert (
                fetch(
                    srv, after[14]["path"], {"If-Modified-Since": old_headers[14]["last-modified"]}
                )[0]
                == 304
            )
            assert (
                fetch(srv, after[14]["path"], {"If-None-Match": old_headers[14]["etag"]})[0] == 200
            )

        assert (after[8]["withdrawn_status"], after[9]["withdrawn_status"]) == (410, 302)
        assert fetch(srv, after[8]["path"])[0] == 410
        status, headers, _ = fetch(srv, after[9]["path"])
        assert status == 302 and headers["location"] == f"{srv.base_url}/"
        listings = [f"/berita?page={n}" for n in range(1, 8)]
        feeds = b"".join(fetch(srv, p)[2] for p in ("/sitemap.xml", "/rss", "/", *listings))
        for i in (8, 9):
            assert (
                after[i]["path"].encode() + b"<" not in feeds
                and after[i]["path"].encode() + b'"' not in feeds
            )


# -- faults ---------------------------------------------------------------------------------


@pytest.fixture()
def chaos():
    with PortalServer(
        articles=40, faults={"profile": "chaos", "slow_delay": 0.3, "huge_size": 3_000_000}
    ) as srv:
        yield srv


def test_fault_paths_are_documented_and_clean_site_has_none(chaos):
    kinds = {
        "500",
        "503",
        "429",
        "slow",
        "drop",
        "truncate",
        "charset",
        "trap",
        "offsite",
        "huge",
        "hostile",
    }
    assert set(chaos.fault_paths) == kinds
    assert manifest(chaos)["fault_paths"] == chaos.fault_paths
    with PortalServer(articles=40) as clean:
        assert clean.fault_paths == {}
        home = fetch(clean, "/")[2].decode()
        assert "/agenda" not in home and "example.org" not in home and "/unduhan/" not in home
        for path in (
            "/agenda?bulan=2026-11",
            "/keluar?url=http://example.org/",
            "/unduhan/arsip-lengkap",
        ):
            assert fetch(clean, path)[0] == 404
        for paths in chaos.fault_paths.values():
            for path in paths:
                if path.startswith("/entry/"):
                    assert fetch(clean, path)[0] == 200


def test_server_errors(chaos):
    for path in chaos.fault_paths["500"]:
        assert fetch(chaos, path)[0] == 500 and fetch(chaos, path)[0] == 500
    for path in chaos.fault_paths["503"]:
        assert fetch(chaos, path)[0] == 503 and fetch(chaos, path)[0] == 200
    for path in chaos.fault_paths["429"]:
        status, headers, _ = fetch(chaos, path)
        assert (status, headers["retry-after"]) == (429, "1") and fetch(chaos, path)[0] == 200


def test_first_attempt_counts_aliases_too(chaos):
    path = chaos.fault_paths["503"][0]
    assert fetch(chaos, f"{path}?utm_source=facebook")[0] == 503 and fetch(chaos, path)[0] == 200


def test_slow_responses(chaos):
    path = chaos.fault_paths["slow"][0]
    started = time.perf_counter()
    assert fetch(chaos, path)[0] == 200
    assert time.perf_counter() - started >= 0.3


def test_dropped_connection_then_ok(chaos):
    path = chaos.fault_paths["drop"][0]
    with pytest.raises(http.client.RemoteDisconnected):
        fetch(chaos, path)
    assert fetch(chaos, path)[0] == 200


def test_truncated_body_then_ok(chaos):
    path = chaos.fault_paths["truncate"][0]
    with pytest.raises(http.client.IncompleteRead):
        fetch(chaos, path)
    status, headers, body = fetch(chaos, path)
    assert status == 200 and len(body) == int(headers["content-length"])


def test_wrong_charset_declaration(chaos):
    _, headers, body = fetch(chaos, chaos.fault_paths["charset"][0])
    assert headers["content-type"] == "text/html; charset=iso-8859-1"
    assert "\u201c" in body.decode("utf-8")  # the body really is UTF-8, with non-ASCII text


def test_calendar_trap_goes_on_forever(chaos):
    path = Selector(text=fetch(chaos, "/")[2].decode()).css('a[href^="/agenda"]::attr(href)').get()
    assert path == chaos.fault_paths["trap"][0]
    seen = set()
    for _ in range(30):
        seen.add(path)
        path = page(chaos, path).css("a.next::attr(href)").get()
    assert len(seen) == 30 and path == "/agenda?bulan=2029-05"
    assert fetch(chaos, "/agenda?bulan=2026-13")[0] == 404


def test_offsite_links_and_redirect(chaos):
    home = page(chaos, "/")
    assert any(h.startswith("http://example.org/") for h in home.css("a::attr(href)").getall())
    status, headers, _ = fetch(chaos, chaos.fault_paths["offsite"][0])
    assert (status, headers["location"]) == (302, "http://example.org/")


def test_huge_page(chaos):
    assert chaos.fault_paths["huge"][0] in fetch(chaos, "/")[2].decode()
    status, headers, body = fetch(chaos, chaos.fault_paths["huge"][0])
    assert status == 200 and int(headers["content-length"]) == len(body) == 3_000_000


def test_parse_faults_forms():
    assert parse_faults(None).kinds == parse_faults("none").kinds == frozenset()
    assert parse_faults("chaos").kinds == parse_faults({"profile": "chaos"}).kinds
    assert parse_faults(["drop", "slow"]).kinds == {"drop", "slow"}
    config = parse_faults("truncate,slow_delay=0.5,huge_size=100")
    assert (config.kinds, config.slow_delay, config.huge_size) == ({"truncate"}, 0.5, 100)
    with pytest.raises(ValueError):
        parse_faults("explode")


def test_only_the_requested_fault_kind_is_on():
    with PortalServer(articles=40, faults={"drop": True}) as srv:
        assert set(srv.fault_paths) == {"drop"}
        with PortalServer(articles=40, faults="chaos") as other:
            others = other.fault_paths
        for path in others["500"] + others["503"]:
            assert fetch(srv, path)[0] == 200


# -- command line ---------------------------------------------------------------------------


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_cli_prints_base_url_first_and_exits_cleanly(stop_signal):
    command = [
        sys.executable,
        "-m",
        "tuban_crawler.portal",
        "--port",
        "0",
        "--articles",
        "5",
        "--seed",
        "1",
    ]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as proc:
        try:
            base_url = proc.stdout.readline().strip()
            assert re.fullmatch(r"http://127\.0\.0\.1:\d+", base_url)
            conn = http.client.HTTPConnection(base_url.removeprefix("http://"), timeout=10)
            try:
                conn.request("GET", SEED_PATH)
                remote = conn.getresponse().read()
            finally:
                conn.close()
            with PortalServer(articles=5, seed=1) as local:  # same bytes from another process
                here = fetch(local, SEED_PATH)[2]
                assert remote.replace(base_url.encode(), b"B") == here.replace(
                    local.base_url.encode(), b"B"
                )
        finally:
            proc.send_signal(stop_signal)
            _, stderr = proc.communicate(timeout=10)
    assert proc.returncode == 0, stderr


def test_stop_closes_open_and_stalled_connections():
    srv = PortalServer(articles=5, faults={"huge": True, "huge_size": 50_000_000}).start()
    idle = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
    stalled = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
    try:
        idle.request("GET", "/")
        idle.getresponse().read()  # the connection stays open (keep-alive)
        stalled.request("GET", "/unduhan/arsip-lengkap")
        response = stalled.getresponse()
        response.read(1000)  # then stop reading a 50 MB body
        started = time.perf_counter()
        srv.stop()
        assert time.perf_counter() - started < 5
        with pytest.raises((http.client.IncompleteRead, ConnectionError)):
            response.read()
    finally:
        idle.close()
        stalled.close()


def test_the_hostile_article_carries_every_payload_and_keeps_its_dateline_and_credit(chaos):
    [path] = chaos.fault_paths["hostile"]
    page = fetch(chaos, path)[2].decode()
    for payload in (
        "<script>",
        "onerror=",
        'href="javascript:',
        "style=",
        "<iframe",
        "onmouseover=",
    ):
        assert payload in page
    body = page.split('<div class="post-content">', 1)[-1].split("</div>", 1)[0]
    assert body.lstrip().startswith("<p>Tubankab") and body.rstrip().endswith(")</p>")


# -- places and offices (issue 24) ------------------------------------------------------------


def test_the_portals_desa_are_real_desa_of_their_kecamatan_named_once_in_tuban():
    from tuban_crawler.places import kecamatan_list
    from tuban_crawler.portal import vocab

    gazetteer = {k.name: {d.name for d in k.desa if d.kind == "desa"} for k in kecamatan_list()}
    everywhere = [d.name for k in kecamatan_list() for d in k.desa]
    assert set(vocab.DESA_BY_KECAMATAN) == set(vocab.KECAMATAN) == set(gazetteer)
    for kecamatan, names in vocab.DESA_BY_KECAMATAN.items():
        for name in names:
            assert name in gazetteer[kecamatan], (kecamatan, name)
            assert everywhere.count(name) == 1 and name not in gazetteer, name


def test_every_generated_desa_lies_in_the_kecamatan_written_beside_it():
    from tuban_crawler.portal import vocab

    for i in range(300):
        fills = dict(content.article_meta(1, i).fills)
        assert fills["desa"] in vocab.DESA_BY_KECAMATAN[fills["kec"]]


def test_the_manifest_names_each_articles_places_and_offices():
    with PortalServer(articles=30, seed=1) as srv:
        entries = manifest(srv)["entries"]
    seed = next(e for e in entries if e["index"] is None)
    assert seed["places"] == [] and "Sekretariat Daerah" in seed["offices"]
    generated = [e for e in entries if e["kind"] == "article" and e["index"] is not None]
    assert sum(bool(e["places"]) for e in generated) > len(generated) / 2
    assert sum(bool(e["offices"]) for e in generated) > len(generated) / 2
    from tuban_crawler.portal import vocab

    for entry in generated:
        title = entry["title"].lower()
        for kecamatan, desa_names in vocab.DESA_BY_KECAMATAN.items():
            if f"kecamatan {kecamatan.lower()}" in title:
                assert ["kecamatan", kecamatan, kecamatan] in entry["places"], title
            for desa in desa_names:
                if f"desa {desa.lower()}" in title:
                    assert ["desa", desa, kecamatan] in entry["places"], title
