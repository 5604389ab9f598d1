"""The quality judgement: a worse copy never becomes the archived one (issue 9)."""

from __future__ import annotations

import pytest

from tests.e2e import crawl, rows
from tuban_crawler.normalize.columns import CONTENT_FIELDS
from tuban_crawler.portal import PortalServer
from tuban_crawler.store.quality import Evidence, cut_short, document_closed, error_page, judge

SENTENCE = "Pemerintah Kabupaten Tuban menggelar rapat koordinasi bersama seluruh camat se-Kabupaten Tuban. "
OLD = {
    "title": "Rapat Koordinasi Camat",
    "published_at": "2024-03-01T10:00:00+07:00",
    "author": "Heri S",
    "body_text": "\n\n".join([SENTENCE * 3] * 6),
    "credit": "rah",
}


def copy(**changes):
    return {**OLD, **changes}


# -- the judgement, case by case ---------------------------------------------------------
@pytest.mark.parametrize(
    ("new", "evidence", "verdict"),
    [
        # real edits: a correction, an added sentence, an added paragraph
        (copy(body_text=OLD["body_text"].replace("rapat", "Rapat")), Evidence(), None),
        (copy(body_text=OLD["body_text"] + " Data diperbarui."), Evidence(), None),
        (
            copy(body_text=OLD["body_text"] + "\n\nRalat: jumlah peserta 120 orang."),
            Evidence(),
            None,
        ),
        # error, login and maintenance pages, in Indonesian and English
        (
            copy(
                title="Halaman Tidak Ditemukan", body_text="Maaf, halaman yang Anda cari tidak ada."
            ),
            Evidence(),
            "error page",
        ),
        (copy(title="Page not found", body_text="Sorry."), Evidence(), "error page"),
        (
            copy(title="Rapat Koordinasi Camat", body_text="Silakan login untuk melanjutkan."),
            Evidence(),
            "error page",
        ),
        (
            copy(body_text="Situs sedang dalam perbaikan. Silakan kembali nanti."),
            Evidence(),
            "error page",
        ),
        # cut short: fewer bytes than declared, an unclosed page, a lost ending
        (
            copy(body_text=OLD["body_text"][:500]),
            Evidence(declared_length=9000, received_length=5000),
            "cut short",
        ),
        (copy(body_text=OLD["body_text"][:1500]), Evidence(document_closed=False), "cut short"),
        (copy(body_text=OLD["body_text"][:1500] + "menggel", credit=None), Evidence(), "cut short"),
        (copy(body_text=OLD["body_text"][:700]), Evidence(), "shrank"),
        # a page shared by many URLs, a date that moves by years
        (copy(body_text="Selamat datang."), Evidence(same_body_urls=5), "generic page"),
        (copy(title="Pemerintah Kabupaten Tuban"), Evidence(same_title_urls=40), "generic page"),
        (
            copy(),
            Evidence(same_title_urls=3),
            None,
        ),  # the same title as others, unchanged: duplicate titles exist
        (copy(published_at="2014-03-01T10:00:00+07:00"), Evidence(), "date moved"),
    ],
)
def test_a_copy_is_judged_against_the_archived_one(new, evidence, verdict):
    problem = judge(new, OLD, evidence)
    assert (problem is None) if verdict is None else (verdict in problem), problem


def test_an_entry_not_archived_yet_is_refused_when_it_is_an_error_page_and_noted_when_cut():
    assert judge(copy(), None) is None
    assert "cut short" in judge(
        copy(body_text=OLD["body_text"][:300]), None, Evidence(document_closed=False)
    )
    assert "error page" in judge(copy(title="Halaman Tidak Ditemukan", body_text="Maaf."), None)


def test_sharing_a_text_refuses_a_replacement_not_a_first_capture():
    # issue 18: a series with one templated body is a series of articles
    assert judge(copy(), None, Evidence(same_body_urls=19)) is None
    # one page served for many addresses (its title and author too) is still refused
    assert "generic page" in judge(copy(), None, Evidence(same_body_urls=5, same_page_urls=5))
    # a re-fetch keeping its archived text (an edited title) is no generic page either
    assert (
        judge(copy(title="Rapat Koordinasi Camat (Ralat)"), OLD, Evidence(same_body_urls=5)) is None
    )


def test_an_article_quoting_an_error_phrase_is_not_an_error_page():
    assert (
        error_page(
            copy(
                body_text=OLD["body_text"]
                + " Korban banjir tidak ditemukan. Halaman tidak ditemukan."
            )
        )
        is None
    )


def test_the_evidence_of_a_cut():
    assert (
        cut_short(Evidence(declared_length=100, received_length=100, document_closed=True)) is None
    )
    assert document_closed(b"<!DOCTYPE html><html><body><p>x</p></body></html>\n") is True
    assert document_closed(b"<!DOCTYPE html><html><body><p>x</p><div class=") is False
    assert document_closed(b"plain text") is None


# -- end to end: the portal's quality faults never make an archived row worse --------------------
def content(row: dict) -> dict:
    return {name: row[name] for name in (*CONTENT_FIELDS, "body_html", "views", "version")}


@pytest.fixture(scope="module")
def clean_archive(tmp_path_factory):
    """A portal of 80 articles and its archive after one clean crawl."""
    db = tmp_path_factory.mktemp("quality") / "archive.db"
    with PortalServer(articles=80, seed=2) as portal:
        result = crawl(db, portal.base_url)
        assert result.returncode == 0, result.stderr[-3000:]
        yield portal, db


@pytest.mark.parametrize(
    ("fault", "reason"),
    [("cut", "cut short"), ("soft404", "error page"), ("login", "error page"), ("500", None)],
)
def test_a_fault_never_makes_an_archived_row_worse(clean_archive, fault, reason):
    portal, db = clean_archive
    before = {row["url"]: content(row) for row in rows(db, "select * from articles")}
    portal.configure(faults=fault)
    try:
        struck = {portal.base_url + path for path in portal.fault_paths[fault]}
        result = crawl(db, portal.base_url, "--full")
    finally:
        portal.configure(faults=None)
    after = {row["url"]: content(row) for row in rows(db, "select * from articles")}
    assert set(after) == set(before)
    for url, old in before.items():
        for name, value in old.items():
            assert after[url][name] == value, (url, name)  # field by field: nothing got worse
    failures = {row["url"]: row["reason"] for row in rows(db, "select url, reason from failures")}
    if reason is None:  # a permanent 500: archived row untouched, the failure listed
        assert set(failures) >= struck and all("HTTP 500" in failures[u] for u in struck)
        return
    assert result.returncode == 0, result.stderr[-3000:]
    last_run = "select run_id from crawl_runs order by started_at desc, rowid desc limit 1"
    rejected = {
        row["url"]: row["reason"]
        for row in rows(
            db,
            f"select * from rejected_copies where reason like ? and run_id = ({last_run})",
            (f"%{reason}%",),
        )
    }
    assert rejected and set(rejected) <= struck
    if fault != "cut":  # a cut after the article's text changes nothing worth refusing
        assert set(rejected) == struck
    assert all(url in failures for url in rejected)


def test_a_first_copy_cut_short_is_archived_then_completed(tmp_path):
    db = tmp_path / "archive.db"
    with PortalServer(articles=40, seed=4, faults="cut") as portal:
        struck = {portal.base_url + path for path in portal.fault_paths["cut"]}
        assert crawl(db, portal.base_url).returncode == 0
        noted = {
            row["url"]
            for row in rows(
                db, "select url from failures where reason like 'archived a copy cut short%'"
            )
        }
        assert noted and noted <= struck
        portal.configure(faults=None)
        assert crawl(db, portal.base_url).returncode == 0
    assert rows(db, "select * from failures") == []
    completed = rows(
        db, f"select * from articles where url in ({','.join('?' * len(noted))})", tuple(noted)
    )
    assert all(row["credit"] for row in completed)  # every one ends with its credit now
    assert any(
        row["version"] == 2 for row in completed
    )  # the ones cut inside the text were completed
