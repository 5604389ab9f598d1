"""The changes as ``tuban-crawler serve`` serves them: in a real headless Chromium, from the Changes
page to a diff, marks seen, hostile text inert; and the feed read over HTTP, every link followed.

The archive and its changes are ``tests/test_changes_web.py``'s (no crawl); the browser and
its watch are ``tests/test_browser.py``'s (Debian's Chromium through Playwright, nothing
fetched but the local server).
"""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.demo_archive import build_demo_archive, serving
from tests.test_browser import DOM_PROBE, NOTHING_RAN, browser, page, screenshot  # noqa: F401 (fixtures)
from tests.test_changes_web import HOSTILE_EDIT_URL, HOSTILE_WORDS, add_changes, check_feed


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    """Return the demo archive with an edit carrying hostile text, a new title and a withdrawal."""
    return add_changes(build_demo_archive(tmp_path_factory.mktemp("browse_changes") / "archive.db"))


@pytest.fixture(scope="module")
def server(archive) -> Iterator[str]:
    """Yield the base URL of ``tuban-crawler serve --db ARCHIVE`` running on a free port."""
    with serving(archive) as served:
        yield served.base_url


def test_from_the_changes_page_to_a_diff_with_its_words_marked_and_nothing_hostile_running(
    page,  # noqa: F811 (test_browser's fixture)
    server,
):
    page, watch = page
    page.goto(server + "/archive/-/changes")
    rows = page.locator("tr.tuban-change")
    assert rows.count() == 3
    retitled = rows.filter(has_text="title changed")
    assert "retitled edited" in retitled.inner_text()
    screenshot(page, "changes.png", height=500)
    retitled.locator("a.tuban-change-link").click()
    page.wait_for_url("**/-/diff?*")
    assert HOSTILE_EDIT_URL in page.url.replace("%3A", ":").replace("%2F", "/")
    inserted = page.locator(".tuban-diff ins").all_inner_texts()
    deleted = page.locator(".tuban-diff del").all_inner_texts()
    assert "Ditunda" in inserted and any(text.startswith("125") for text in inserted)
    assert "120" in deleted
    # the marks are visible, not only present: inserted and deleted words are styled apart
    styles = page.evaluate(
        "() => ['ins', 'del'].map(t => getComputedStyle(document.querySelector('.tuban-diff ' + t)).textDecorationLine)"
    )
    assert styles == ["underline", "line-through"]
    # the hostile words are shown as the text they are, and nothing of them runs
    assert HOSTILE_WORDS in page.locator(".tuban-diff-body").inner_text()
    page.wait_for_timeout(200)
    probe = page.evaluate(DOM_PROBE)
    assert probe == NOTHING_RAN
    assert watch.dialogs == [] and watch.errors == []
    assert watch.scripts_or_pages_outside() == []
    screenshot(page, "diff.png", height=700)


def test_the_feed_served_by_tuban_crawler_serve_is_read_by_a_feed_reader(server):
    with urllib.request.urlopen(server + "/archive/-/changes.atom", timeout=30) as response:
        assert response.headers["content-type"].startswith("application/atom+xml")
        feed = check_feed(response.read().decode("utf-8"), 3)
    for entry in feed.entries:  # every link leads to a page the server answers
        with urllib.request.urlopen(entry.link, timeout=30) as linked:
            assert linked.status == 200
