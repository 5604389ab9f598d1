"""``tuban-crawler serve`` in a real headless Chromium: browse, search, facet, read, and nothing hostile runs.

The archive is what ``tuban-crawler demo`` crawls from the bundled test portal, plus two
hostile articles (see ``tests/demo_archive.py``). The browser is Debian's ``chromium``
(``scripts/install-browser.sh``), driven through Playwright's Python API; it never fetches
anything but the local server. Screenshots go to ``test-artifacts/``; with
``TUBAN_UPDATE_SCREENSHOTS=1`` (or when missing) they are copied to ``docs/screenshots/``
for the README.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from datasette.utils import tilde_encode
from playwright.sync_api import Browser, Page, sync_playwright

from tests.demo_archive import (
    CRAWLED_HOSTILE_TEXT,
    HOSTILE_RAW_URL,
    HOSTILE_STORED_URL,
    SEED_TITLE,
    crawl_demo_archive,
    crawled_hostile_url,
    serving,
)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REPO = Path(__file__).parent.parent
ARTIFACTS = REPO / "test-artifacts"
SCREENSHOTS = REPO / "docs" / "screenshots"
VIEWPORT = {"width": 1280, "height": 800}
#: What a reader needs of each article, in view on the articles page without scrolling.
READER_COLUMNS = ("title", "published_date", "author", "categories", "views")
#: Run in every page after loading: what in the DOM could run, and whether a payload did.
#: What DOM_PROBE finds on a page where nothing of an article's payload ran.
NOTHING_RAN = {
    "pwned": None,
    "handlers": [],
    "javascriptUrls": [],
    "frames": 0,
    "payloadScripts": 0,
    "bodyHidden": False,
}
DOM_PROBE = """() => {
    const urlAttributes = ['href', 'src', 'action', 'formaction', 'xlink:href'];
    const all = [...document.querySelectorAll('*')];
    return {
        pwned: typeof window.__pwned === 'undefined' ? null : String(window.__pwned),
        handlers: all.flatMap(el => [...el.attributes].filter(a => a.name.startsWith('on')).map(a => `${el.tagName} ${a.name}`)),
        javascriptUrls: all.filter(el => urlAttributes.some(n => (el.getAttribute(n) || '').trim().toLowerCase().startsWith('javascript:'))).map(el => el.outerHTML.slice(0, 80)),
        frames: document.querySelectorAll('iframe, frame, object, embed').length,
        payloadScripts: [...document.scripts].filter(s => s.textContent.includes('__pwned')).length,
        bodyHidden: getComputedStyle(document.body).display === 'none',
    };
}"""


@dataclass
class Watch:
    """What a page did besides loading: dialogs, console messages, errors, requests that left the server."""

    dialogs: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    outside: list[tuple[str, str]] = field(default_factory=list)

    def scripts_or_pages_outside(self) -> list[tuple[str, str]]:
        """Return the requests for anything but images that tried to leave the server (all were blocked).

        Article photos point at the portal; anything else (a script, a stylesheet, a frame,
        a navigation) would mean the page depends on, or leaks to, another origin.
        """
        return [(kind, url) for kind, url in self.outside if kind != "image"]


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    """Return a demo archive crawled by ``tuban-crawler demo``, with the hostile articles added.

    Sixty articles keep the test quick; the README's screenshots get a few years' worth.
    """
    articles = 400 if os.environ.get("TUBAN_UPDATE_SCREENSHOTS") == "1" else 60
    return crawl_demo_archive(tmp_path_factory.mktemp("browser") / "archive.db", articles=articles)


@pytest.fixture(scope="module")
def server(archive) -> Iterator[str]:
    """Yield the base URL of ``tuban-crawler serve --db ARCHIVE`` running on a free port."""
    with serving(archive) as served:
        yield served.base_url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Yield Debian's headless Chromium driven by Playwright."""
    if not CHROMIUM.exists():
        # Installing it needs root (scripts/test does it as root); on CI a missing browser fails.
        missing = f"{CHROMIUM} is missing: install it with scripts/install-browser.sh (apt-get install chromium, as root)"
        if os.environ.get("CI"):
            pytest.fail(missing)
        pytest.skip(missing)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, server) -> Iterator[tuple[Page, Watch]]:
    """Yield a fresh page that may only reach SERVER, and what it did."""
    context = browser.new_context(viewport=VIEWPORT, java_script_enabled=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    watch = Watch()

    def keep_local(route, request) -> None:
        if request.url.startswith(server + "/"):
            route.continue_()
        else:
            watch.outside.append((request.resource_type, request.url))
            route.abort()

    def on_dialog(dialog) -> None:
        watch.dialogs.append(dialog.message)
        dialog.dismiss()

    page.route("**/*", keep_local)
    page.on("dialog", on_dialog)
    page.on("console", lambda message: watch.console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: watch.errors.append(str(error)))
    yield page, watch
    context.close()


def seed_url(archive: Path) -> str:
    """Return the URL under which the demo crawl archived the seed article."""
    connection = sqlite3.connect(archive)
    try:
        return connection.execute(
            "select url from articles where title = ?", [SEED_TITLE]
        ).fetchone()[0]
    finally:
        connection.close()


def screenshot(page: Page, name: str, readme: bool = False, height: int | None = None) -> Path:
    """Save a screenshot of PAGE (its top HEIGHT pixels, default the viewport) as test-artifacts/NAME; return it.

    README screenshots are also copied to docs/screenshots/NAME when it is missing or when
    TUBAN_UPDATE_SCREENSHOTS=1 (so an ordinary test run leaves the work tree unchanged).
    """
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    clip = {"x": 0, "y": 0, "width": VIEWPORT["width"], "height": height} if height else None
    page.screenshot(path=str(path), full_page=bool(height), clip=clip)
    if readme and (
        os.environ.get("TUBAN_UPDATE_SCREENSHOTS") == "1" or not (SCREENSHOTS / name).exists()
    ):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, SCREENSHOTS / name)
    return path


def in_view(page: Page, selector: str) -> bool:
    """Return whether the first element of SELECTOR is wholly inside the viewport, unscrolled."""
    box = page.locator(selector).first.bounding_box()
    return bool(box) and (
        box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= VIEWPORT["width"]
        and box["y"] + box["height"] <= VIEWPORT["height"]
    )


def test_browse_search_facet_and_read_the_seed_article(page, server, archive):
    page, watch = page
    page.goto(f"{server}/archive/articles")
    assert page.locator("h1").inner_text() == "articles"
    # Issue 19: a reader's columns, header and first row, in view at 1280x800 without scrolling.
    for column in READER_COLUMNS:
        assert in_view(page, f"table.rows-and-columns th.col-{column}"), column
        assert in_view(page, f"table.rows-and-columns tbody tr td.col-{column}"), column
    assert page.locator("#facet-categories").is_visible()
    # For the README: the same view of a category (the hostile test articles are not in it).
    page.goto(f"{server}/archive/articles?_category=Kegiatan+Pemerintahan")
    assert all(in_view(page, f"tbody tr td.col-{column}") for column in READER_COLUMNS)
    screenshot(page, "articles.png", readme=True)
    page.goto(f"{server}/archive/articles")

    # A lone quote is no error page; disiplin lists the seed first, with its snippet.
    page.fill("#_search", '"')
    page.press("#_search", "Enter")
    page.wait_for_url("**/archive/-/search?q=%22")
    assert "No article matches" in page.locator("section.content").inner_text()
    page.fill("#q", "disiplin")
    page.press("#q", "Enter")
    page.wait_for_url("**/archive/-/search?q=disiplin**")
    assert page.title().startswith("“disiplin”: search")
    first = page.locator(".tuban-result").first
    assert first.locator(".tuban-result-title").inner_text() == SEED_TITLE
    assert "disiplin" in first.locator(".tuban-snippet mark").first.inner_text().lower()
    screenshot(page, "search.png", readme=True)

    # The same search in the table, newest first, narrowed by a category facet.
    page.locator("a", has_text="In the table, newest first").click()
    page.wait_for_url("**/archive/articles?_search=disiplin**")
    page.locator("#facet-categories a", has_text="Kegiatan Pemerintahan").click()
    page.wait_for_url("**_category=Kegiatan+Pemerintahan**")
    assert page.locator("#_search").input_value() == "disiplin"
    assert SEED_TITLE in page.locator("table.rows-and-columns tbody").inner_text()

    seed = seed_url(archive)
    page.locator("table.rows-and-columns td.col-title a", has_text=SEED_TITLE).click()
    page.wait_for_url(f"**/archive/articles/{tilde_encode(seed)}")
    assert page.title().startswith(SEED_TITLE)
    article = page.locator("article.tuban-article")
    assert article.locator("h2").inner_text() == SEED_TITLE
    body = article.locator(".tuban-article-body").inner_text()
    assert body.startswith("Tubankab - Demi meningkatkan budaya kinerja")
    assert "serta disiplin yang luar biasa" in body
    assert article.locator("a", has_text="Original page").get_attribute("href") == seed
    screenshot(page, "article.png", readme=True)

    # For the README: a category's articles, newest first, with the facets (no test data in view).
    page.goto(f"{server}/archive/articles?_category=Kegiatan+Pemerintahan")
    screenshot(page, "browse.png", readme=True, height=1300)
    assert (watch.dialogs, watch.errors, watch.scripts_or_pages_outside()) == ([], [], [])


def test_the_chart_of_articles_per_month_needs_no_sql(page, server):
    page, watch = page
    page.goto(f"{server}/")
    page.locator("a", has_text="Articles per month").first.click()
    page.wait_for_url("**/archive/articles_per_month")
    chart = page.locator("svg.tuban-chart-svg")
    assert chart.is_visible()
    assert chart.locator("rect").count() >= 3
    screenshot(page, "chart.png", readme=True)
    chart.locator("a").first.click()
    page.wait_for_url("**/archive/articles?published_month=*")
    assert page.locator("table.rows-and-columns tbody tr").count() >= 1
    assert (watch.dialogs, watch.errors, watch.scripts_or_pages_outside()) == ([], [], [])


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        (f"/archive/articles/{tilde_encode(HOSTILE_RAW_URL)}", "Berita ini berisi kode berbahaya"),
        (f"/archive/articles/{tilde_encode(HOSTILE_STORED_URL)}", "Berita ini menguji arsip"),
        ("/archive/articles?_search=menguji", "Berita Uji Keamanan Arsip"),
        ("/archive/articles?title__startswith=Berita+Uji", "Berita Uji Keamanan Arsip"),
        ("/archive/search_articles?text=menguji", "Berita Uji Keamanan Arsip"),
        ("/archive/articles?categories__arraycontains=Umum", "Berita Uji Keamanan Arsip"),
        ("/archive/articles?_category=Umum", "Berita Uji Keamanan Arsip"),
    ],
)
def test_nothing_from_a_hostile_article_runs(page, server, path, shown):
    check_nothing_runs(page, server, path, shown)


def test_nothing_from_the_crawled_hostile_article_runs(page, server, archive):
    """The portal's hostile page went through a real crawl; its row page runs nothing."""
    url = crawled_hostile_url(archive)
    check_nothing_runs(page, server, f"/archive/articles/{tilde_encode(url)}", CRAWLED_HOSTILE_TEXT)


def check_nothing_runs(page, server, path, shown):
    """Open PATH, poke every element of the shown body, and assert that nothing ran."""
    page, watch = page
    page.goto(server + path)
    assert shown in page.locator("section.content").inner_text()
    for element in page.locator(".tuban-body *, .tuban-article-body *").all():
        element.dispatch_event("mouseover")  # would fire an onmouseover that got through
    for link in page.locator(
        ".tuban-article-body a:not([href]), .tuban-article-body a[href^='javascript' i]"
    ).all():
        link.click()  # the payload's links: a javascript: URL that got through would run
    page.wait_for_timeout(200)
    probe = page.evaluate(DOM_PROBE)
    assert probe == NOTHING_RAN
    assert watch.dialogs == []
    assert watch.errors == []
    # A photo that can't load (the payload's <img src="x">, the portal's blocked photos) is fine; nothing else.
    assert [line for line in watch.console if "Failed to load resource" not in line] == []
    assert watch.scripts_or_pages_outside() == []
    if "tanpa-sanitasi" in path:
        screenshot(page, "hostile.png")


def test_facet_by_kecamatan_open_its_page_and_read_an_articles_places(page, server, archive):
    page, watch = page
    connection = sqlite3.connect(archive)
    try:
        kecamatan, named = connection.execute(
            "select kecamatan, count(distinct article_url) as n from article_places"
            " group by kecamatan order by n desc, kecamatan limit 1"
        ).fetchone()
        desa = connection.execute(
            "select count(*) from (select distinct code from article_places where kecamatan = ? and kind != 'kecamatan')",
            [kecamatan],
        ).fetchone()[0]
    finally:
        connection.close()
    page.goto(f"{server}/archive/articles")
    for facet in ("kecamatan", "desa", "office"):
        assert page.locator(f"#facet-{facet}").is_visible(), facet
    facet = page.locator("#facet-kecamatan")
    assert f"{kecamatan} {named}" in " ".join(facet.inner_text().split())
    facet.get_by_role("link", name=kecamatan, exact=True).click()
    page.wait_for_url(f"**_kecamatan={kecamatan}**")
    assert page.locator("table.rows-and-columns tbody tr").count() == min(named, 25)
    assert f'kecamatan is "{kecamatan}"' in page.locator("h3").first.inner_text()

    # The index of the twenty, then the kecamatan's page: its desa, years, offices, latest.
    page.goto(f"{server}/")
    page.get_by_role("link", name="The twenty kecamatan").first.click()
    page.wait_for_url("**/archive/-/kecamatan")
    page.locator("table.tuban-kecamatan-index a", has_text=kecamatan).first.click()
    page.wait_for_url(f"**/archive/-/kecamatan/{kecamatan}")
    assert page.locator("h1").inner_text() == f"Kecamatan {kecamatan}"
    rows = page.locator("table.tuban-desa tbody tr")
    assert rows.count() > 1 and page.locator("table.tuban-desa tbody a").count() == desa
    assert page.locator("table.tuban-years tbody tr").count() >= 1
    assert page.locator("ul.tuban-offices li").count() >= 1
    screenshot(page, "kecamatan.png", readme=True, height=1300)

    # An article of the kecamatan lists its places, each linked: back to the kecamatan's page.
    page.locator("ul.tuban-latest a").first.click()
    page.wait_for_url("**/archive/articles/*")
    places = page.locator("section.tuban-places")
    assert places.is_visible()
    back = places.get_by_role("link", name=f"Kecamatan {kecamatan}", exact=True).first
    assert back.is_visible()
    assert places.locator("a.tuban-office, .tuban-place-list a").count() >= 1
    back.click()
    page.wait_for_url(f"**/archive/-/kecamatan/{kecamatan}")
    assert (watch.dialogs, watch.errors, watch.scripts_or_pages_outside()) == ([], [], [])
