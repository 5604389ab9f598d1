"""An archive belongs to one site, a WARC directory to one archive; the demo keeps to its own (issue 9)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import run_cli
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
    # issue 19: the refused run had created two.db and recorded its site in it
    assert not list(tmp_path.glob("two.db*"))


def crawl_from(cwd: Path, db: Path, base_url: str) -> subprocess.CompletedProcess:
    """Return what ``tuban-crawler crawl --db DB`` (no --warc-dir) did, run in the folder CWD."""
    command = [sys.executable, "-m", "tuban_crawler.cli", "crawl", "--db", str(db)]
    command += ["--base-url", base_url, "-s", "LOG_LEVEL=WARNING"]
    command += ["-s", "TUBAN_REQUISITES_ENABLED=False"]
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        command, cwd=cwd, env=environment, capture_output=True, text=True, timeout=240
    )


def test_the_warc_folder_follows_the_archive_and_every_command_finds_it(tmp_path):
    elsewhere, data = tmp_path / "elsewhere", tmp_path / "data"
    elsewhere.mkdir()
    first, second = data / "archive.db", data / "second.db"
    with PortalServer(articles=8, seed=24) as portal:
        done = crawl_from(elsewhere, first, portal.base_url)
        assert done.returncode == 0, done.stderr[-3000:]
        # a second archive in the same folder needs no --warc-dir
        done = crawl_from(elsewhere, second, portal.base_url)
        assert done.returncode == 0, done.stderr[-3000:]
    # issue 19: the WARC folder was ./warc wherever the command ran
    assert list(elsewhere.iterdir()) == []
    assert list((data / "warc").glob("*.warc.gz")) and list(
        (data / "second-warc").glob("*.warc.gz")
    )
    recorded = rows(first, "select value from crawl_state where key = 'warc_dir'")
    assert recorded == [{"value": str((data / "warc").resolve())}]
    checked = run_cli("warc", "check", "--db", str(first))
    assert checked.returncode == 0 and str(data / "warc") in checked.stdout, checked.stderr
    wacz = tmp_path / "first.wacz"
    packed = run_cli("wacz", "--db", str(first), "--output", str(wacz))
    assert packed.returncode == 0 and wacz.stat().st_size > 0, packed.stderr


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
