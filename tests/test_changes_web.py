"""The changes in Datasette: the Changes page, its Atom feed (read back by feedparser) and the diffs.

The archive is the demo archive (``tests/demo_archive.py``: an edited article among others)
plus the changes ``add_changes`` writes through the store: a hostile edit and a new title,
and a withdrawal.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import feedparser
import pytest
from datasette.utils import tilde_encode

from tests.demo_archive import BASE, EDITED_URL, article, build_demo_archive, fetch
from tests.test_serve import live_payloads
from tuban_crawler.store.archive import ArchiveStore
from tuban_crawler.web import serve

HOSTILE_EDIT_URL = BASE + "rapat-koordinasi-keamanan-pilkada"
WITHDRAWN_URL = BASE + "lomba-desa-tingkat-kabupaten"
#: Text a hostile editor could put in a version: it must be shown as text in the diff.
HOSTILE_WORDS = "<script>window.__pwned='diff'</script><img src=x onerror=\"window.__pwned='img'\">"


def add_changes(path: Path) -> Path:
    """Add to the archive PATH an article edited with hostile text and retitled, and one withdrawn; return PATH."""
    paragraphs = ["Rapat koordinasi digelar di pendopo.", "Sebanyak 120 personel disiagakan."]
    first = article(
        HOSTILE_EDIT_URL,
        "Rapat Koordinasi Keamanan Pilkada",
        "2024-10-01T09:00:00+07:00",
        "Heri S",
        ["Keamanan"],
        paragraphs,
    )
    edited = article(
        HOSTILE_EDIT_URL,
        "Rapat Koordinasi Keamanan Pilkada Ditunda",
        "2024-10-01T09:00:00+07:00",
        "Heri S",
        ["Keamanan"],
        [paragraphs[0], f"Sebanyak 125 personel disiagakan {HOSTILE_WORDS} di lokasi."],
    )
    gone = article(
        WITHDRAWN_URL,
        "Lomba Desa Tingkat Kabupaten",
        "2024-09-01T09:00:00+07:00",
        "Yolency",
        ["Umum"],
        ["Lomba desa diikuti 20 desa."],
    )
    with ArchiveStore(path) as store:
        store.start_run("run-2", "incremental", "https://tubankab.go.id")
        store.save_article(first, fetch(HOSTILE_EDIT_URL, "2026-03-01T00:00:00+00:00"), "run-2")
        store.save_article(gone, fetch(WITHDRAWN_URL, "2026-03-01T00:00:00+00:00"), "run-2")
        store.save_article(edited, fetch(HOSTILE_EDIT_URL, "2026-03-02T00:00:00+00:00"), "run-2")
        store.mark_gone(
            WITHDRAWN_URL,
            {**fetch(WITHDRAWN_URL, "2026-03-03T00:00:00+00:00"), "status": 410},
            "run-2",
        )
        store.finish_run("run-2", "ok", {}, {"status": "ok"})
    return path


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    """Return the demo archive with the changes of ``add_changes``."""
    return add_changes(build_demo_archive(tmp_path_factory.mktemp("changes") / "archive.db"))


@pytest.fixture(scope="module")
def datasette(archive):
    """Return the Datasette that ``tuban-crawler serve`` would run on the archive."""
    return serve.build_datasette(archive)


def get(datasette, *paths: str) -> list:
    """Return the responses of DATASETTE to PATHS (in-process, no server)."""

    async def requests() -> list:
        await datasette.invoke_startup()
        return [await datasette.client.get(path) for path in paths]

    return asyncio.run(requests())


def test_the_changes_page_lists_the_newest_first_each_with_its_diff(datasette):
    (response,) = get(datasette, "/archive/-/changes")
    assert response.status_code == 200
    html = response.text
    lines = [
        "removed from the portal (HTTP 410)",
        "title changed; body: 1 paragraph edited, 7 words added, 2 removed",
        "body: 1 paragraph edited, 2 words added, 1 removed",
    ]
    positions = [html.index(line) for line in lines]
    assert positions == sorted(positions)  # newest first
    diff = "/archive/-/diff?url=https%3A%2F%2Ftubankab.go.id%2Fentry%2Frapat-koordinasi-keamanan-pilkada&amp;from=1&amp;to=2"
    assert f'href="{diff}"' in html
    assert 'type="application/atom+xml"' in html
    assert live_payloads(html) == []


@pytest.mark.parametrize(
    ("query", "listed", "left_out"),
    [
        ("kind=removed", [WITHDRAWN_URL], [HOSTILE_EDIT_URL, EDITED_URL]),
        ("kind=retitled", [HOSTILE_EDIT_URL], [WITHDRAWN_URL, EDITED_URL]),
        ("kind=edited", [HOSTILE_EDIT_URL, EDITED_URL], [WITHDRAWN_URL]),
        ("category=Umum", [WITHDRAWN_URL, EDITED_URL], [HOSTILE_EDIT_URL]),
        ("kind=edited&category=Keamanan", [HOSTILE_EDIT_URL], [WITHDRAWN_URL, EDITED_URL]),
    ],
)
def test_the_changes_page_filters_by_kind_and_category(datasette, query, listed, left_out):
    (response,) = get(datasette, f"/archive/-/changes?{query}")
    html = response.text
    for url in listed:
        assert tilde_encode(url) in html, url
    for url in left_out:
        assert tilde_encode(url) not in html, url


def test_the_diff_marks_insertions_and_deletions_and_shows_hostile_text_as_text(datasette):
    (response,) = get(datasette, f"/archive/-/diff?url={HOSTILE_EDIT_URL}&from=1&to=2")
    assert response.status_code == 200
    html = response.text
    assert "<del>120</del> <ins>125</ins>" in html
    assert "Pilkada <ins>Ditunda</ins>" in html  # the title, word by word
    assert "&lt;script&gt;window.__pwned=" in html
    assert live_payloads(html) == []


@pytest.mark.parametrize(
    "path",
    [
        "/archive/-/diff?url=https://tubankab.go.id/entry/nothing&from=1&to=2",
        f"/archive/-/diff?url={EDITED_URL}&from=1&to=9",
        "/nosuch/-/changes",
        "/nosuch/-/changes.atom",
    ],
)
def test_a_diff_of_versions_that_do_not_exist_is_a_404_page_not_an_error(datasette, path):
    (response,) = get(datasette, path)
    assert response.status_code == 404


def test_a_diff_without_versions_compares_the_latest_with_the_one_before(datasette):
    (response,) = get(datasette, f"/archive/-/diff?url={EDITED_URL}&from=x")
    assert response.status_code == 200 and "Version 1 (seen" in response.text


def test_the_article_page_lists_its_versions_with_their_change_lines(datasette):
    (response,) = get(datasette, f"/archive/articles/{tilde_encode(HOSTILE_EDIT_URL)}")
    html = response.text
    section = html[html.index('<section class="tuban-versions">') : html.index("</section>")]
    assert "title changed; body: 1 paragraph edited, 7 words added, 2 removed" in section
    assert "diff with 1" in section and 'name="from"' in section
    assert live_payloads(html) == []


def check_feed(document: str, changes: int) -> feedparser.FeedParserDict:
    """Return the feed DOCUMENT parsed, after checking it is well-formed Atom with CHANGES entries, each linked."""
    feed = feedparser.parse(document)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert len(feed.entries) == changes
    for entry in feed.entries:
        assert entry.id.startswith("tag:tuban-crawler,2026:archive/changes/")
        assert entry.link and entry.title and entry.summary and entry.updated_parsed
    return feed


def test_the_feed_is_atom_that_a_feed_reader_reads_under_serve(datasette):
    (response,) = get(datasette, "/archive/-/changes.atom")
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = check_feed(response.text, 3)
    newest = feed.entries[0]
    assert newest.summary == "removed from the portal (HTTP 410)"
    retitled = feed.entries[1]
    assert "&lt;script" not in retitled.title and "Ditunda" in retitled.title
    link = urlsplit(retitled.link)
    assert link.path == "/archive/-/diff"
    assert parse_qs(link.query) == {"url": [HOSTILE_EDIT_URL], "from": ["1"], "to": ["2"]}
    (removed,) = check_feed(
        get(datasette, "/archive/-/changes.atom?kind=removed")[0].text, 1
    ).entries
    assert removed.link.endswith(f"/archive/articles/{tilde_encode(WITHDRAWN_URL)}")


def test_the_feed_is_served_by_plain_datasette_with_the_plugin(archive):
    command = [sys.executable, "-m", "datasette", str(archive), "--get", "/archive/-/changes.atom"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    feed = check_feed(done.stdout, 3)
    (response,) = get(
        serve.build_datasette(archive),
        urlsplit(feed.entries[1].link).path + "?" + urlsplit(feed.entries[1].link).query,
    )
    assert response.status_code == 200 and "<ins>125</ins>" in response.text


def test_an_archive_from_before_the_changes_says_its_next_crawl_derives_them(archive, tmp_path):
    older = tmp_path / "older.db"
    older.write_bytes(archive.read_bytes())
    with ArchiveStore(older) as store:
        store.db.execute("drop table article_changes")
    (page, feed) = get(serve.build_datasette(older), "/older/-/changes", "/older/-/changes.atom")
    assert page.status_code == 200 and "its next crawl derives them" in page.text
    check_feed(feed.text, 0)


def test_the_archives_front_page_leads_to_the_changes_and_their_feed(datasette):
    (response,) = get(datasette, "/")
    assert 'href="archive/-/changes"' in response.text
    assert 'href="archive/-/changes.atom"' in response.text
