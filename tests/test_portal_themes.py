"""Tests of the test portal's themes: the same content, reachable, in templates unlike ``classic``."""

from __future__ import annotations

import gzip
import http.client
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from html import unescape
from urllib.parse import urljoin, urlsplit

import pytest

from tuban_crawler.portal import PortalServer
from tuban_crawler.portal.themes import THEMES

OTHER_THEMES = [name for name in THEMES if name != "classic"]
SEED_PATH = "/entry/asn-dituntut-disiplin-profesional-dan-bertanggung-jawab"
_HREF = re.compile(r"""href=["']([^"']+)["']""")
_SKIP = ("/uploads/", "/css/", "/js/", "/img/", "/feeds/", "/assets/")


def fetch(srv: PortalServer, target: str) -> tuple[int, dict[str, str], bytes]:
    """Return (status, lower-cased headers, body) of one GET of TARGET."""
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
    try:
        conn.request("GET", target)
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def manifest(srv: PortalServer) -> dict:
    """Return the portal's ground truth."""
    return json.loads(fetch(srv, "/_portal/manifest.json")[2])


def walk(srv: PortalServer) -> tuple[set[str], set[str]]:
    """Return (entry paths, other pages) reached by following every in-site link from the home page."""
    netloc = urlsplit(srv.base_url).netloc
    entries: set[str] = set()
    seen: set[str] = set()
    todo = ["/"]
    while todo:
        target = todo.pop()
        if target in seen:
            continue
        seen.add(target)
        status, _, body = fetch(srv, target)
        assert status == 200, (target, status)
        for link in _HREF.findall(body.decode()):
            url = urlsplit(urljoin(srv.base_url + target, unescape(link)))
            if url.netloc != netloc or url.path.startswith(_SKIP) or "format=feed" in url.query:
                continue
            if url.path.startswith("/entry/"):
                entries.add(url.path.rstrip("/"))
            elif "utm_" not in url.query and "fbclid" not in url.query and url.path != "#":
                todo.append(url.path + (f"?{url.query}" if url.query else ""))
    return entries, seen


@pytest.fixture(scope="module", params=OTHER_THEMES)
def themed(request: pytest.FixtureRequest):
    """Yield a small portal in each non-classic theme."""
    with PortalServer(articles=70, theme=request.param) as srv:
        yield srv


def test_every_entry_is_served_and_reachable_from_home(themed: PortalServer) -> None:
    truth = manifest(themed)
    assert truth["theme"] == themed.settings["theme"]
    paths = {e["path"] for e in truth["entries"]}
    reached, pages = walk(themed)
    assert reached >= paths
    assert len(pages) > 10  # hubs and their pages, not one flat page


def test_the_seed_article_shows_its_exact_metadata(themed: PortalServer) -> None:
    status, _, body = fetch(themed, SEED_PATH)
    text = unescape(body.decode())
    assert status == 200
    assert "ASN DITUNTUT DISIPLIN, PROFESIONAL DAN BERTANGGUNG JAWAB" in text
    assert "Yolency" in text and "Kegiatan Pemerintahan" in text and "628" in text
    assert re.search(r"26\D+(07|Juli|Jul)\D+2017", text) and re.search(r"13[:.]24", text)
    assert "(chusnul huda/hei)" in text


def test_themes_share_nothing_with_classic_markup(themed: PortalServer) -> None:
    pages = [fetch(themed, "/")[2].decode(), fetch(themed, SEED_PATH)[2].decode()]
    for html in pages:
        assert 'rel="next"' not in html and "post-meta" not in html and "news-meta" not in html
        assert "/kategori/" not in html and 'href="/berita' not in html
    assert fetch(themed, "/berita")[0] in (301, 404) and fetch(themed, "/rss")[0] == 404


@pytest.mark.parametrize("theme", OTHER_THEMES)
def test_themes_differ_from_one_another(theme: str) -> None:
    with PortalServer(articles=30, theme=theme) as srv:
        article = fetch(srv, SEED_PATH)[2].decode()
    others = []
    for other in OTHER_THEMES:
        if other != theme:
            with PortalServer(articles=30, theme=other) as srv:
                others.append(fetch(srv, SEED_PATH)[2].decode())
    title_tag = re.search(r"<title>.*</title>", article)[0]
    assert all(title_tag not in html for html in others)


def _sitemap_locs(srv: PortalServer, target: str) -> set[str]:
    status, headers, body = fetch(srv, target)
    assert status == 200
    if body[:2] == b"\x1f\x8b":
        body = gzip.decompress(body)
    root = ET.fromstring(body)
    locs = {e.text for e in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    if root.tag.endswith("sitemapindex"):
        return set().union(*(_sitemap_locs(srv, urlsplit(loc).path) for loc in locs))
    return locs


@pytest.mark.parametrize(
    "theme, has_sitemap",
    [("wordpress", True), ("joomla", False), ("blogger", True), ("laravel", True)],
)
def test_sitemaps_are_where_robots_or_the_default_path_say(theme: str, has_sitemap: bool) -> None:
    with PortalServer(articles=60, theme=theme) as srv:
        robots = fetch(srv, "/robots.txt")[2].decode()
        announced = re.findall(r"^Sitemap:\s*(\S+)", robots, re.M)
        sitemaps = [urlsplit(u).path for u in announced] or (
            ["/sitemap.xml"] if has_sitemap else []
        )
        if not has_sitemap:
            assert not announced and fetch(srv, "/sitemap.xml")[0] == 404
            return
        locs = set().union(*(_sitemap_locs(srv, p) for p in sitemaps))
        assert locs == {srv.base_url + e["path"] for e in manifest(srv)["entries"]}


@pytest.mark.parametrize("theme", ["wordpress", "joomla", "blogger"])
def test_feeds_are_announced_by_link_alternate(theme: str) -> None:
    with PortalServer(articles=40, theme=theme) as srv:
        home = fetch(srv, "/")[2].decode()
        links = re.findall(r"""<link[^>]+rel=['"]alternate['"][^>]*>""", home)
        assert links
        href = unescape(re.search(r"""href=['"]([^'"]+)""", links[0])[1])
        status, headers, body = fetch(srv, href)
        assert status == 200 and (
            "rss" in headers["content-type"] or "atom" in headers["content-type"]
        )
        newest = next(e for e in manifest(srv)["entries"] if e["kind"] == "article")
        assert newest["path"].encode() in body


def test_nolistings_hides_every_listing_but_not_the_sitemap() -> None:
    with PortalServer(articles=60, theme="wordpress", faults="nolistings") as srv:
        reached, pages = walk(srv)
        assert len(reached) < 15  # the home page and related links only
        assert len(_sitemap_locs(srv, "/sitemap_index.xml")) == len(manifest(srv)["entries"])
    with PortalServer(articles=60, faults="nolistings") as srv:
        assert b"/entry/" not in fetch(srv, "/berita")[2]


@pytest.mark.parametrize("theme", THEMES)
def test_nometa_drops_the_metadata_and_its_structured_data(theme: str) -> None:
    with PortalServer(articles=20, theme=theme, faults="nometa") as srv:
        text = fetch(srv, SEED_PATH)[2].decode()
    assert "ASN DITUNTUT" in text and "Yolency" not in text and "628" not in text
    assert "2017-07-26" not in text and "13:24" not in text


def test_an_unknown_theme_is_refused_at_once() -> None:
    with pytest.raises(ValueError, match="unknown theme"):
        PortalServer(theme="drupal")


def test_the_cli_serves_a_theme() -> None:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tuban_crawler.portal",
            "--port",
            "0",
            "--articles",
            "10",
            "--theme",
            "blogger",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        base_url = process.stdout.readline().strip()
        conn = http.client.HTTPConnection(
            urlsplit(base_url).hostname, urlsplit(base_url).port, timeout=10
        )
        conn.request("GET", "/robots.txt")
        assert b"sitemap-berita.xml.gz" in conn.getresponse().read()
        conn.close()
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()
