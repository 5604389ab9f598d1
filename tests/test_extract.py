"""Extraction from saved pages: golden pairs (HTML + the fields expected, as JSON)."""

import json

import pytest

from tests.conftest import PAGES
from tuban_crawler.extract import extract_entry, split_meta_items

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
