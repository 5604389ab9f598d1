"""End to end: one crawl of the portal's ``traps`` profile (portal/traps.py), every trap checked.

Traps stop under their caps, every alias of an article is one row, robots.txt is obeyed
through aliases, a malformed link breaks nothing, deep markup and a misdeclared charset
lose no text, redirect loops are recorded failures (issue 9).
"""

from __future__ import annotations

import json

import pytest

from tests.e2e import crawl, manifest, rows
from tuban_crawler.portal import PortalServer, traps

ARTICLES = 60
HUB_CAP, SHAPE_CAP = 20, 25


@pytest.fixture(scope="module")
def portal():
    with PortalServer(articles=ARTICLES, seed=1, edition=1, faults="traps") as server:
        yield server


@pytest.fixture(scope="module")
def crawled(portal, tmp_path_factory):
    """The archive after one crawl of the traps portal with small caps, and the crawl's result."""
    db = tmp_path_factory.mktemp("traps") / "archive.db"
    result = crawl(
        db,
        portal.base_url,
        "-s",
        f"TUBAN_MAX_LISTING_PAGES={HUB_CAP}",
        "-s",
        f"TUBAN_MAX_URLS_PER_SHAPE={SHAPE_CAP}",
    )
    return db, result, manifest(portal.base_url)


def _hits(portal, prefix):
    return sum(count for target, count in portal.hits.items() if target.startswith(prefix))


def _report(db):
    return json.loads(
        rows(db, "select report from crawl_runs order by started_at desc limit 1")[0]["report"]
    )


def test_the_run_is_ok_and_says_what_the_caps_cut(crawled):
    db, result, _ = crawled
    # one malformed link on /, /berita and an article no longer breaks the run
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert "cut by the crawl's caps" in result.stdout + result.stderr
    report = _report(db)
    assert report["cut"]["pages_per_hub"] > 0 and report["cut"]["per_shape"] > 0
    assert "/entry/agenda-#-#-#" in " ".join(report["cut_shapes"])


def test_every_trap_stops_under_its_cap(portal, crawled):
    db, _, _ = crawled
    assert 1 < _hits(portal, traps.FANOUT_PATH) <= HUB_CAP  # three next links per page: 3^n pages
    # every month links both neighbours; month links are no pagination, so discovery may not even enter it
    assert 1 <= _hits(portal, traps.CALENDAR_PATH) <= HUB_CAP
    assert 1 < _hits(portal, "/entry/agenda-") <= SHAPE_CAP  # a dated "article" per day, forever
    archived = rows(db, "select count(*) n from articles where url like '%/entry/agenda-%'")[0]["n"]
    assert 1 < archived <= SHAPE_CAP
    # cut entries never enter the frontier: the next run does not walk into the trap again
    assert not rows(db, "select url from frontier where url like '%/entry/agenda-%'")


def test_every_article_is_one_row_whatever_alias_links_it(portal, crawled):
    db, _, truth = crawled
    archive = {row["url"] for row in rows(db, "select url from articles")}
    expected = {portal.base_url + entry["path"] for entry in truth["entries"]}
    assert expected <= archive
    others = archive - expected
    assert all("/entry/agenda-" in url for url in others), sorted(
        others
    )  # the capped calendar, nothing else
    for path in truth["fault_paths"]["aliases"]:
        # each alias was recognised before it cost a request: only the canonical path was asked for,
        # and the AMP copy, which only its rel=canonical tells apart (merged into the same row)
        aliases = traps.alias_links(path, portal.base_url)
        assert portal.hits[path] == 1 and portal.hits[f"{path}/amp"] == 1
        assert not any(portal.hits[alias] for alias in aliases if not alias.endswith("/amp"))
        assert not rows(db, "select url from frontier where url like ?", (f"%{path}%",))
        # the same host on another port is another site: not fetched, not stored
        assert not rows(db, "select url from fetches where fetched_url = ?", (aliases[-1],))


def test_robots_txt_is_obeyed_through_aliases(portal, crawled):
    db, _, _ = crawled
    assert not [target for target in portal.hits if "rahasia" in target or "admin" in target]
    reasons = [
        r["reason"] for r in rows(db, "select reason from failures where url like '%rahasia%'")
    ]
    assert len(reasons) == 3 and all(r.startswith("disallowed by robots.txt") for r in reasons)


def test_deep_markup_keeps_every_paragraph_once(crawled):
    db, _, truth = crawled
    path = truth["fault_paths"]["deep"][0]
    entry = next(e for e in truth["entries"] if e["path"] == path)
    body = rows(db, "select body_text from articles where url = ?", (truth["base_url"] + path,))[0][
        "body_text"
    ]
    paragraphs = body.split("\n\n")
    assert len(paragraphs) == entry["paragraphs"] + traps.DEEP_PARAGRAPHS - 2
    assert all(
        body.count(f"Paragraf tambahan nomor {n} ") == 1
        for n in range(1, traps.DEEP_PARAGRAPHS - 1)
    )


def test_a_cp1252_page_declared_utf8_keeps_its_curly_quotes(crawled):
    db, _, truth = crawled
    path = truth["fault_paths"]["cp1252"][0]
    row = rows(
        db, "select title, body_text from articles where url = ?", (truth["base_url"] + path,)
    )[0]
    assert (
        traps.CURLY_SENTENCE in row["body_text"] and "\ufffd" not in row["body_text"] + row["title"]
    )


def test_redirect_loops_are_recorded_failures(portal, crawled):
    db, _, _ = crawled
    failures = {
        r["url"][len(portal.base_url) :]: r["reason"]
        for r in rows(db, "select url, reason from failures")
    }
    assert failures["/entry/putar-a"].startswith("redirect loop: ")
    assert any(
        url.startswith("/kategori/pindah") and reason.startswith("redirect loop: ")
        for url, reason in failures.items()
    )
