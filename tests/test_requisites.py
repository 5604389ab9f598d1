"""Tests for tuban_crawler.discover.requisites and its middleware: what a page and a stylesheet reference, and a real crawl."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.e2e import CrawlResult, crawl, rows
from tuban_crawler.discover.requisites import css_requisites, page_requisites
from tuban_crawler.portal import PortalServer

PAGE = "https://tubankab.go.id/entry/berita"


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        # stylesheets, whatever the rel list's case and order
        ('<link rel="stylesheet" href="/a.css">', [("https://tubankab.go.id/a.css", "stylesheet")]),
        (
            '<link rel="alternate stylesheet" href="b.css">',
            [("https://tubankab.go.id/entry/b.css", "stylesheet")],
        ),
        # icons, fonts, scripts
        (
            '<link rel="shortcut icon" href="/favicon.ico">',
            [("https://tubankab.go.id/favicon.ico", "icon")],
        ),
        (
            '<link rel="preload" as="font" href="/f.woff2">',
            [("https://tubankab.go.id/f.woff2", "font")],
        ),
        (
            '<script src="https://cdn.example/x.js"></script>',
            [("https://cdn.example/x.js", "script")],
        ),
        # what is not a requisite
        ('<link rel="alternate" href="/rss"><script>var x = 1;</script><a href="/a.css">', []),
        (
            '<link rel="stylesheet" href="/a.css"><link rel="stylesheet" href="/a.css">',
            [("https://tubankab.go.id/a.css", "stylesheet")],
        ),
        ("", []),
    ],
)
def test_page_requisites(html: str, expected: list[tuple[str, str]]) -> None:
    assert page_requisites(html, PAGE) == expected


@pytest.mark.parametrize(
    ("css", "expected"),
    [
        ("@import url('print.css');", [("https://t.id/css/print.css", "stylesheet")]),
        ('a { background: url("../img/bg.png") }', [("https://t.id/img/bg.png", "image")]),
        (
            "@font-face { src: url(/f/a.woff2) format('woff2'), url(/f/a.ttf) }",
            [("https://t.id/f/a.woff2", "font"), ("https://t.id/f/a.ttf", "font")],
        ),
        ("a { background: url(data:image/png;base64,AAAA) }", []),
        ("a { color: red }", []),
    ],
)
def test_css_requisites(css: str, expected: list[tuple[str, str]]) -> None:
    assert css_requisites(css, "https://t.id/css/site.css") == expected


@pytest.fixture(scope="module")
def portal():
    with PortalServer(articles=12, seed=5, edition=1) as server:
        yield server


@pytest.fixture(scope="module")
def first_crawl(
    portal: PortalServer, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, CrawlResult, dict[str, int]]:
    """Return the archive of a first crawl of the portal, that crawl's result and the portal's hits after it."""
    db = tmp_path_factory.mktemp("requisites") / "archive.db"
    result = crawl(db, portal.base_url)
    return db, result, dict(portal.hits)


def test_a_crawl_captures_each_photo_and_stylesheet_once(
    portal: PortalServer, first_crawl: tuple[Path, CrawlResult, dict[str, int]]
) -> None:
    db, result, portal_hits = first_crawl
    assert result.returncode == 0, result.stderr[-3000:]
    captured = {row["url"]: row for row in rows(db, "select * from requisites")}
    images = rows(db, "select * from article_images")
    assert images and all(image["warc_record_id"] and image["payload_digest"] for image in images)
    assert {image["src"] for image in images} <= set(captured)
    kinds = {row["kind"] for row in captured.values()}
    assert {"image", "stylesheet"} <= kinds
    # the legacy stylesheet's background photo, found in the stylesheet itself
    assert portal.base_url + "/uploads/latar.jpg" in captured
    # one fetch per URL; the identical photos are stored once, the others as revisits
    hits = [path for path in portal_hits if path.startswith("/uploads/") or path.endswith(".css")]
    assert all(portal_hits[path] == 1 for path in hits)
    types = [row["record_type"] for row in captured.values() if row["kind"] == "image"]
    assert types.count("response") == 1 and types.count("revisit") == len(types) - 1
    all_images = [
        i["src"]
        for r in rows(db, "select images from articles")
        for i in json.loads(r["images"] or "[]")
    ]
    assert len(set(all_images)) == len(images)


@pytest.mark.parametrize(
    "switch",
    [
        ("-s", "TUBAN_REQUISITES_ENABLED=False"),
        # issue 19: without WARC files requisites were fetched (81 for 55 articles) and kept nowhere
        ("--no-warc",),
    ],
)
def test_requisites_can_be_switched_off(
    portal: PortalServer, tmp_path: Path, switch: tuple[str, ...]
) -> None:
    def requisite_hits() -> int:
        return sum(
            n for path, n in portal.hits.items() if path.startswith("/uploads/") or ".css" in path
        )

    before = requisite_hits()
    result = crawl(tmp_path / "archive.db", portal.base_url, *switch)
    assert result.returncode == 0, result.stderr[-3000:]
    assert requisite_hits() == before
    assert rows(tmp_path / "archive.db", "select count(*) as n from requisites") == [{"n": 0}]


def test_a_photo_archived_by_an_earlier_run_is_not_fetched_again(
    portal: PortalServer, first_crawl: tuple[Path, CrawlResult, dict[str, int]], tmp_path: Path
) -> None:
    # the first crawl's archive and WARC folder, copied: this test crawls them again
    shutil.copytree(first_crawl[0].parent, tmp_path / "copy")
    db = tmp_path / "copy" / "archive.db"
    assert first_crawl[1].returncode == 0
    photos = {path: n for path, n in portal.hits.items() if path.startswith("/uploads/")}
    stylesheets = {path: n for path, n in portal.hits.items() if path.endswith(".css")}
    portal.configure(edition=2)  # views grow: every article is fetched again in full
    try:
        result = crawl(db, portal.base_url, "--full")
    finally:
        portal.configure(edition=1)
    assert result.returncode == 0, result.stderr[-3000:]
    assert {path: portal.hits[path] for path in photos} == photos
    # a stylesheet may change under the same URL: once per run
    assert all(portal.hits[path] == n + 1 for path, n in stylesheets.items())
