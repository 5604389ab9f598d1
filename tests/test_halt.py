"""A full disk or a dead archive stops the crawl at once, and the next run finishes (issue 9)."""

from __future__ import annotations

import errno
import os
import re
import sqlite3
import subprocess
import sys

import pytest

from tests.conftest import run_cli
from tests.e2e import crawl, manifest, rows
from tuban_crawler import ExitCode
from tuban_crawler.crawl.halt import storage_failure
from tuban_crawler.portal import PortalServer


@pytest.mark.parametrize(
    ("error", "fatal"),
    [
        (OSError(errno.ENOSPC, "No space left on device", "warc/a.warc.gz.open"), True),
        (OSError(errno.EROFS, "Read-only file system"), True),
        (sqlite3.OperationalError("database or disk is full"), True),
        (sqlite3.OperationalError("attempt to write a readonly database"), True),
        (sqlite3.DatabaseError("database disk image is malformed"), True),
        # what waiting or a retry cures is not a reason to stop
        (sqlite3.OperationalError("database is locked"), False),
        (OSError(errno.ECONNRESET, "Connection reset by peer"), False),
        (ValueError("bad page"), False),
    ],
)
def test_storage_failures_that_no_retry_cures(error, fatal):
    assert (storage_failure(error) is not None) is fatal


def test_a_storage_failure_is_found_behind_the_error_that_wraps_it():
    try:
        try:
            raise OSError(errno.ENOSPC, "No space left on device")
        except OSError as cause:
            raise RuntimeError("write failed") from cause
    except RuntimeError as wrapped:
        assert storage_failure(wrapped) == "No space left on device"


@pytest.fixture
def small_disk(tmp_path, request):
    """A small tmpfs (1.5 MB, or the size the test is parametrised with) mounted for the test as root."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root (CI runs as root)")
    size = getattr(request, "param", "1536k")
    disk = tmp_path / "disk"
    disk.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(disk)],
        capture_output=True,
        text=True,
    )
    if done.returncode:
        pytest.skip(f"no tmpfs can be mounted here: {done.stderr.strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)


@pytest.mark.parametrize(
    ("small_disk", "full_part"),
    [("1536k", "archive and WARC"), ("384k", "WARC")],
    indirect=["small_disk"],
)
def test_a_full_disk_stops_the_crawl_at_once_and_the_next_run_finishes(
    small_disk, full_part, tmp_path
):
    db = small_disk / "archive.db" if full_part != "WARC" else tmp_path / "archive.db"
    warc = small_disk / "warc"
    with PortalServer(articles=300, seed=13) as portal:
        full = crawl(db, portal.base_url, "--warc-dir", str(warc))
        assert full.returncode == ExitCode.STORAGE, full.stderr[-3000:]
        assert "No space left on device" in full.stderr or "disk is full" in full.stderr
        assert "Traceback" not in full.stderr
        stopped = re.search(
            r"stopped at once after (\d+) requests \((\d+) under way\)", full.stderr
        )
        assert stopped and int(stopped[2]) <= 32, full.stderr[
            -2000:
        ]  # no new request after the failure
        assert len(list(warc.glob("*.open"))) <= 1

        subprocess.run(["mount", "-o", "remount,size=64m", str(small_disk)], check=True)
        again = crawl(db, portal.base_url, "--warc-dir", str(warc))
        assert again.returncode == 0, again.stderr[-3000:]
        expected = {
            portal.base_url + entry["path"] for entry in manifest(portal.base_url)["entries"]
        }
    assert {row["url"] for row in rows(db, "select url from articles")} == expected
    assert [row["status"] for row in rows(db, "select status from crawl_runs order by started_at")][
        -1
    ] == "ok"
    assert rows(db, "select status from crawl_runs order by started_at")[0]["status"] in (
        "failed",
        "interrupted",
    )
    assert not list(warc.glob("*.open"))
    files = [str(path) for path in warc.glob("*.warc.gz")]
    check = subprocess.run(
        [sys.executable, "-c", "from warcio.cli import main; main()", "check", *files],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout + check.stderr


@pytest.mark.parametrize("small_disk", ["16m"], indirect=True)
def test_a_demo_into_a_read_only_folder_exits_74(small_disk):
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    db = small_disk / "demo.db"
    refused = run_cli("demo", "--db", str(db), "--articles", "5")
    # issue 19: it exited 1, as for a wrong file, although the README says 74 for storage
    assert refused.returncode == ExitCode.STORAGE
    assert re.search("not writable", refused.stderr) and len(refused.stderr.splitlines()) == 1
    assert not db.exists()


def test_a_read_only_archive_is_refused_with_its_own_status(small_disk):
    db = small_disk / "archive.db"
    with PortalServer(articles=10, seed=13) as portal:
        assert crawl(db, portal.base_url).returncode == 0
        subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
        refused = crawl(db, portal.base_url)
    assert refused.returncode == ExitCode.STORAGE
    assert "Traceback" not in refused.stderr and re.search(
        "read-?only", refused.stderr, re.IGNORECASE
    ), refused.stderr
