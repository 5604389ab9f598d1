"""An archive belongs to one site, a WARC directory to one archive; the demo keeps to its own (issue 9)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.e2e import REPO, crawl, rows
from tuban_crawler.crawl.ownership import site_origin
from tuban_crawler.portal import PortalServer
from tuban_crawler.store.archive import ArchiveStore


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("https://tubankab.go.id", "tubankab.go.id"),
        ("http://www.tubankab.go.id/berita", "tubankab.go.id"),  # scheme and www. are the same site
        ("https://tubankab.go.id:443/", "tubankab.go.id"),
        ("http://127.0.0.1:8000", "127.0.0.1:8000"),
        ("http://127.0.0.1:8001", "127.0.0.1:8001"),  # another port, another site
        ("https://diskominfo.tubankab.go.id", "diskominfo.tubankab.go.id"),
    ],
)
def test_the_origin_an_archive_records(url, origin):
    assert site_origin(url) == origin


def test_an_archive_refuses_another_site_unless_asked(tmp_path):
    db = tmp_path / "archive.db"
    with PortalServer(articles=10, seed=21) as first, PortalServer(articles=10, seed=22) as other:
        assert crawl(db, first.base_url).returncode == 0
        before = rows(db, "select url from articles")
        refused = crawl(db, other.base_url)
        assert refused.returncode == 1
        assert (
            refused.stderr.strip().count("\n") == 0
            and "is the archive of 127.0.0.1:" in refused.stderr
        )
        assert "--other-site" in refused.stderr and sum(other.hits.values()) == 0
        assert (
            rows(db, "select url from articles") == before
            and len(rows(db, "select * from crawl_runs")) == 1
        )
        mixed = crawl(db, other.base_url, "--other-site")
        assert mixed.returncode == 0, mixed.stderr[-2000:]
        assert len(rows(db, "select url from articles")) > len(before)


def test_a_warc_directory_belongs_to_one_archive(tmp_path):
    with PortalServer(articles=10, seed=23) as portal:
        assert (
            crawl(tmp_path / "one.db", portal.base_url).returncode == 0
        )  # WARC files in tmp_path/warc
        refused = crawl(tmp_path / "two.db", portal.base_url)
    assert refused.returncode == 1 and "holds the WARC files of another archive" in refused.stderr
    assert "Traceback" not in refused.stderr


def demo(db, warc) -> subprocess.CompletedProcess:
    command = [
        sys.executable,
        "-m",
        "tuban_crawler.cli",
        "demo",
        "--db",
        str(db),
        "--articles",
        "30",
        "--warc-dir",
        str(warc),
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=240, cwd=REPO)


def test_the_demo_run_twice_adds_nothing_the_second_time(tmp_path):
    db = tmp_path / "demo.db"
    first = demo(db, tmp_path / "warc")
    assert first.returncode == 0, first.stderr[-3000:]
    count = len(rows(db, "select url from articles"))
    assert count > 30
    second = demo(db, tmp_path / "warc")
    assert second.returncode == 0, second.stderr[-3000:]
    assert len(rows(db, "select url from articles")) == count
    assert rows(db, "select count(distinct base_url) as n from crawl_runs") == [{"n": 1}]


def test_the_demo_never_writes_into_the_archive_of_another_site(tmp_path):
    db = tmp_path / "archive.db"
    with ArchiveStore(db) as store:
        store.set_state("origin", "tubankab.go.id")
    refused = demo(db, tmp_path / "warc")
    assert refused.returncode == 1
    assert "archive of tubankab.go.id" in refused.stderr and "Traceback" not in refused.stderr
    assert rows(db, "select count(*) as n from articles") == [{"n": 0}]
    assert rows(db, "select count(*) as n from crawl_runs") == [{"n": 0}]
