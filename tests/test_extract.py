"""Extraction from saved pages: golden pairs (HTML + the fields expected, as JSON)."""

import json
import re
from collections import Counter

import pytest

from tests.conftest import PAGES
from tuban_crawler.extract import extract_entry, split_meta_items
from tuban_crawler.items import ArticleItem
from tuban_crawler.pipelines import normalize_article
from tuban_crawler.links import page_links

GOLDEN = sorted(path.stem for path in PAGES.glob("*.json") if path.with_suffix(".html").exists())


@pytest.mark.parametrize("name", GOLDEN)
def test_golden_page(name):
    expected = json.loads((PAGES / f"{name}.json").read_text(encoding="utf-8"))
    got = extract_entry((PAGES / f"{name}.html").read_text(encoding="utf-8"), expected["url"]).as_dict()
    got.pop("body_html")
    # What every source said and the drift check are tested on their own, below.
    got.pop("candidates"), got.pop("drifted")
    assert got == expected


def test_golden_pages_cover_both_layouts_and_every_fallback():
    sources = set()
    layouts = set()
    for name in GOLDEN:
        expected = json.loads((PAGES / f"{name}.json").read_text(encoding="utf-8"))
        sources |= set(expected["sources"].values())
        layouts.add(expected["layout"])
    assert {"legacy", "current"} <= layouts
    assert {"meta-shape", "json-ld", "opengraph", "time", "heading", "trafilatura"} <= sources


def extract_file(name, url="https://tubankab.go.id/entry/x"):
    return extract_entry((PAGES / f"{name}.html").read_text(encoding="utf-8"), url)


def test_site_decoys_are_not_taken_for_article_fields():
    entry = extract_file("unknown_theme_meta_list")
    assert entry.title != "Pemerintah Kabupaten Tuban"  # the logo's <h1>
    assert entry.published_raw == "26 July 2017 13:24"  # not the sidebar's date
    assert all("Disqus" not in p for p in entry.paragraphs)


def test_body_html_keeps_article_markup_with_absolute_links_and_drops_scripts():
    entry = extract_file("opengraph_time", "https://tubankab.go.id/entry/festival")
    assert "<p>" in entry.body_html and "<script" not in entry.body_html
    current = json.loads((PAGES / "current_plain.json").read_text(encoding="utf-8"))
    assert current["images"] and all(image["src"].startswith("https://tubankab.go.id/") for image in current["images"])
    assert all(image["caption"] for image in current["images"])


@pytest.mark.parametrize("html", ["", "   ", "<html></html>", "\x00\xff garbage <<<", "<?xml version='1.0' encoding='utf-8'?><p>x</p>"])
def test_junk_gives_empty_fields_not_an_error(html):
    entry = extract_entry(html, "https://tubankab.go.id/entry/x")
    assert entry.published_raw is None and entry.author is None


@pytest.mark.parametrize(
    "items, expected",
    [
        (["26 July 2017 13:24", "Yolency", "Kegiatan Pemerintahan,", "628"],
         {"published": "26 July 2017 13:24", "author": "Yolency", "categories": "Kegiatan Pemerintahan,", "views": "628"}),
        (["- 06 March 2018 08:05", "- Heri S", "- MTQ 2019,", "- 1.204"],
         {"published": "06 March 2018 08:05", "author": "Heri S", "categories": "MTQ 2019,", "views": "1.204"}),
        # a missing item shifts nothing
        (["26 July 2017 13:24", "Umum,", "9"], {"published": "26 July 2017 13:24", "categories": "Umum,", "views": "9"}),
        # an author before any date is not trusted as one
        (["Beranda", "Berita"], {}),
    ],
)  # fmt: skip
def test_split_meta_items(items, expected):
    assert split_meta_items(items) == expected


def test_page_links_finds_entries_next_pages_categories_and_listing_dates():
    html = """<div class="news-item"><h3><a href="/entry/a?utm_source=x">A</a></h3><span>27 November 2011 15:40</span></div>
    <div class="news-item"><a href="/entry/b/">B</a></div>
    <ul><li><a href="/entry/c">C</a> <a href="/entry/d">D</a> 01 May 2020 10:00</li></ul>
    <a href="javascript:void(0)">x</a> <a href="/kategori/umum">Umum</a> <a class="next" rel="next" href="/berita?page=3">Next</a>"""
    links = page_links(html, "https://tubankab.go.id/berita?page=2")
    assert links.entries == [f"https://tubankab.go.id/entry/{s}" for s in ("a?utm_source=x", "b/", "c", "d")]
    assert links.next_pages == ["https://tubankab.go.id/berita?page=3"]
    assert links.categories == ["https://tubankab.go.id/kategori/umum"]
    # one date for one link; a block with two links says nothing certain about either
    assert links.dates == {"https://tubankab.go.id/entry/a?utm_source=x": "27 November 2011 15:40"}


# -- golden pages of other CMS layouts that Indonesian local governments use -----------------
# Written for these tests (WordPress, Joomla, Drupal, Blogger, Lokomedia, Laravel/Bootstrap, a
# page with no structured data, a server-rendered app); the JSON beside each says what a reader
# sees: title, date to the minute, author, body. No selector of ours names any of them.
CMS_PAGES = PAGES / "cms"
CMS_GOLDEN = sorted(path.stem for path in CMS_PAGES.glob("*.json"))


def token_f1(expected: str, got: str) -> float:
    """Return the F1 of the word tokens of GOT against EXPECTED (bags of words)."""
    a, b = Counter(re.findall(r"\w+", expected.casefold())), Counter(re.findall(r"\w+", got.casefold()))
    shared = sum((a & b).values())
    return 2 * shared / (sum(a.values()) + sum(b.values())) if shared else 0.0


def cms_record(name):
    expected = json.loads((CMS_PAGES / f"{name}.json").read_text(encoding="utf-8"))
    raw = extract_entry((CMS_PAGES / f"{name}.html").read_text(encoding="utf-8"), expected["url"])
    item = ArticleItem(url=expected["url"], fetch={}, raw=raw)
    normalize_article(item)
    return expected, raw, item.record


def test_there_are_eight_cms_golden_pages():
    assert len(CMS_GOLDEN) >= 8


@pytest.mark.parametrize("name", CMS_GOLDEN)
def test_cms_golden_page(name):
    expected, raw, record = cms_record(name)
    assert raw.layout is None  # none of them is the portal's
    assert record["title"] == expected["title"]
    assert record["published_at"] == expected["published_at"]
    assert record["author"] == expected["author"]
    if "categories" in expected:
        assert record["categories"] == expected["categories"]
    if "views" in expected:
        assert record["views"] == expected["views"]
    assert token_f1("\n\n".join(expected["body"]), record["body_text"] or "") >= 0.95
