"""The article page says where else the story appears: re-posts both ways, teasers, escaped (issue 22).

The archive is the demo archive (no crawl) with one story on three of the regency's sites and
a teaser for it; the browser and its watch are ``tests/test_browser.py``'s.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from datasette.utils import tilde_encode
from sqlite_utils import Database

from tests.demo_archive import article, build_demo_archive, fetch, serving
from tests.test_browser import DOM_PROBE, NOTHING_RAN, browser, page  # noqa: F401 (fixtures)
from tests.test_reposts import STORY
from tuban_crawler.store.archive import ArchiveStore
from tuban_crawler.store.migrations import migrations
from tuban_crawler.web import serve

PORTAL = "https://tubankab.go.id/entry/pasar-baru-merakurak"
OFFICE = "https://diskominfo.tubankab.go.id/entry/pasar-baru-merakurak"
PPID = "https://ppid.tubankab.go.id/page/17"
TEASER = "https://disbudporapar.tubankab.go.id/entry/pasar-baru-merakurak"
HOSTILE_TITLE = '<img src=x onerror="window.pwned=1">Pasar Baru'
TEASER_TEXT = "Bupati meresmikan Pasar Baru Merakurak. Selengkapnya di : www.tubankab.go.id"


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    path = build_demo_archive(tmp_path_factory.mktemp("reposts") / "archive.db")
    with ArchiveStore(path) as store:
        store.start_run("run-sites", "incremental", "https://tubankab.go.id")
        copies = [
            (TEASER, "Pasar Baru Merakurak", [TEASER_TEXT]),
            (OFFICE, HOSTILE_TITLE, STORY.split("\n\n")),
            (PORTAL, "Bupati Resmikan Pasar Baru Merakurak", STORY.split("\n\n")),
            (PPID, "Pasar Baru Merakurak Diresmikan", STORY.split("\n\n")),
        ]
        for url, title, paragraphs in copies:
            row = article(url, title, "2024-05-02T09:00:00+07:00", "Heri S", ["Umum"], paragraphs)
            assert (
                store.save_article(row, fetch(url, "2026-03-01T00:00:00+00:00"), "run-sites")
                == "new"
            )
    return path


@pytest.fixture(scope="module")
def datasette(archive):
    return serve.build_datasette(archive)


def section(datasette, url: str) -> str:
    async def request():
        await datasette.invoke_startup()
        return await datasette.client.get(f"/archive/articles/{tilde_encode(url)}")

    response = asyncio.run(request())
    assert response.status_code == 200
    if 'class="tuban-elsewhere' not in response.text:
        return ""
    return response.text.split('class="tuban-elsewhere', 1)[1].split("</div>", 1)[0]


def href(url: str) -> str:
    return f'href="/archive/articles/{tilde_encode(url)}"'


def test_the_original_lists_its_reposts_and_teasers(datasette):
    shown = section(datasette, PORTAL)
    also = shown.split('class="tuban-also-at"', 1)[1].split("</p>", 1)[0]
    assert href(OFFICE) in also and href(PPID) in also
    assert "diskominfo.tubankab.go.id" in also and "ppid.tubankab.go.id" in also
    assert "this is a re-post" not in also
    teasers = shown.split('class="tuban-teasers"', 1)[1].split("</p>", 1)[0]
    assert href(TEASER) in teasers and "disbudporapar.tubankab.go.id" in teasers


def test_a_repost_names_its_original_and_the_other_reposts(datasette):
    shown = section(datasette, PPID)
    assert "this is a re-post" in shown
    assert (
        f"{href(PORTAL)}>Bupati Resmikan Pasar Baru Merakurak</a> (original, 2024-05-02)" in shown
    )
    assert href(OFFICE) in shown
    # The title another site gave its copy is shown as text, never as markup.
    assert "&lt;img src=x onerror=" in shown and "<img" not in shown


def test_a_teaser_names_the_article_it_announces(datasette):
    shown = section(datasette, TEASER)
    assert "Teaser for:" in shown and href(PORTAL) in shown
    assert "Also at" not in shown  # a teaser is not a copy of the story
    assert "Teaser for" not in section(datasette, PORTAL)


def test_an_article_on_one_site_only_and_an_archive_from_before_m016_show_nothing(
    datasette, tmp_path
):
    other = asyncio.run(_first_other_url(datasette))
    assert section(datasette, other) == ""
    db = Database(tmp_path / "archive.db")
    migrations.apply(db, stop_before="m016_reposts")
    db.table("articles").insert({"url": PORTAL, "title": "Pasar", "body_text": STORY, "version": 1})
    db.close()
    older = serve.build_datasette(tmp_path / "archive.db")
    assert section(older, PORTAL) == ""


async def _first_other_url(datasette) -> str:
    db = datasette.get_database("archive")
    return (
        await db.execute("select url from articles where url like '%kegiatan%' limit 1")
    ).first()[0]


def test_the_canned_query_lists_reposts_and_teasers(datasette):
    async def request():
        await datasette.invoke_startup()
        return await datasette.client.get("/archive/reposts_and_teasers.json?_shape=objects")

    rows = asyncio.run(request()).json()["rows"]
    assert sorted((r["kind"], r["url"], r["of_url"]) for r in rows) == [
        ("re-post", OFFICE, PORTAL),
        ("re-post", PPID, PORTAL),
        ("teaser", TEASER, PORTAL),
    ]


@pytest.fixture(scope="module")
def server(archive) -> Iterator[str]:
    with serving(archive) as served:
        yield served.base_url


def test_in_a_browser_a_reader_goes_from_a_repost_to_its_original_and_nothing_runs(
    page,  # noqa: F811 (test_browser's fixture)
    server,
):
    page, watch = page
    page.goto(f"{server}/archive/articles/{tilde_encode(OFFICE)}")
    also = page.locator(".tuban-also-at")
    assert "Also at:" in also.inner_text()
    also.get_by_role("link", name="Bupati Resmikan Pasar Baru Merakurak").click()
    page.wait_for_url(f"**/archive/articles/{tilde_encode(PORTAL)}")
    assert "ppid.tubankab.go.id" in page.locator(".tuban-also-at").inner_text()
    assert "disbudporapar.tubankab.go.id" in page.locator(".tuban-teasers").inner_text()
    page.wait_for_timeout(200)
    assert page.evaluate(DOM_PROBE) == NOTHING_RAN
    assert watch.dialogs == [] and watch.errors == []
