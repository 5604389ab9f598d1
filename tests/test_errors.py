"""Every everyday mistake, tried as a user makes it: one line saying what is wrong and what to do,
the right exit status, no traceback, and nothing written (issue 12, item 4).

Each row runs the real command in a subprocess against real files (a text file, another
SQLite database, an archive) and checks that none of them changed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.e2e import REPO, rows
from tuban_crawler.cli import build_parser
from tuban_crawler.portal import PortalServer
from tuban_crawler.store.archive import ArchiveStore


def run(*args: str, cwd: Path = REPO, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tuban_crawler.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=timeout,
    )


def closed_port() -> int:
    """Return a loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def snapshot(folder: Path) -> dict[str, str]:
    """Return {name: sha256} of every file under FOLDER: what "nothing written" compares."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def files(tmp_path: Path) -> Path:
    """Return a folder holding a text file, another program's SQLite database and an archive."""
    (tmp_path / "notes.txt").write_text("not a database\n", encoding="utf-8")
    other = sqlite3.connect(tmp_path / "other.db")
    other.execute("create table customers (name text)")
    other.commit()
    other.close()
    with ArchiveStore(tmp_path / "archive.db"):
        pass
    return tmp_path


# (command line, exit status, what the line says); {dir} is the fixture's folder, {dead} a closed port.
MISTAKES = [
    # a missing, foreign or text file given as the archive, to every command that reads one
    (["stats", "--db", "{dir}/missing.db"], 1, "no archive at"),
    (["stats", "--db", "{dir}/notes.txt"], 1, "not a SQLite database"),
    (["stats", "--db", "{dir}/other.db"], 1, "not a tuban-crawler archive"),
    (["stats", "--db", "{dir}"], 1, "is a folder"),
    (["export", "--db", "{dir}/notes.txt"], 1, "not a SQLite database"),
    (["export", "--db", "{dir}/other.db"], 1, "not a tuban-crawler archive"),
    (["export", "--db", "{dir}/missing.db"], 1, "no archive at"),
    (["serve", "--db", "{dir}/other.db"], 1, "not a tuban-crawler archive"),
    (["serve", "--db", "{dir}/notes.txt"], 1, "not a SQLite database"),
    (["serve", "--db", "{dir}/missing.db"], 1, "no archive at"),
    (["search", "giat", "--db", "{dir}/other.db"], 1, "not a tuban-crawler archive"),
    (["search", "giat", "--db", "{dir}/notes.txt"], 1, "not a SQLite database"),
    # ... and to crawl, which must not turn someone else's database into an archive
    (
        ["crawl", "--db", "{dir}/other.db", "--base-url", "http://127.0.0.1:{dead}"],
        1,
        "not touching it",
    ),
    (
        ["crawl", "--db", "{dir}/notes.txt", "--base-url", "http://127.0.0.1:{dead}"],
        1,
        "not touching it",
    ),
    # bad setting values, refused before the crawl (not a traceback, not "the layout changed")
    (
        ["crawl", "--db", "{dir}/new.db", "-s", "CONCURRENT_REQUESTS=abc"],
        2,
        "expected a whole number",
    ),
    (["crawl", "--db", "{dir}/new.db", "-s", "TUBAN_REVISIT_DAYS=abc"], 2, "expected a number"),
    (
        ["crawl", "--db", "{dir}/new.db", "-s", "ROBOTSTXT_OBEY=perhaps"],
        2,
        "expected true or false",
    ),
    (
        ["crawl", "--db", "{dir}/new.db", "-s", "TUBAN_MODE=everything"],
        2,
        "expected one of incremental, full",
    ),
    (["crawl", "--db", "{dir}/new.db", "--revisit-days", "abc"], 2, "invalid float value"),
    # a dead host is unreachable, not a changed layout
    (
        ["crawl", "--db", "{dir}/new.db", "--base-url", "http://127.0.0.1:{dead}"],
        1,
        "can't reach 127.0.0.1",
    ),
    (["demo", "--db", "{dir}/other.db", "--articles", "5"], 1, "not touching it"),
    # serve's port
    (["serve", "--db", "{dir}/archive.db", "--port", "70000"], 2, "expected a port number"),
    (["serve", "--db", "{dir}/archive.db", "--port", "http"], 2, "expected a port number"),
    # extract on what is not there
    (["extract", "{dir}/missing.html"], 1, "no file"),
    (["extract", "{dir}"], 1, "is a folder"),
    (["extract", "http://127.0.0.1:{dead}/entry/x"], 1, "can't fetch"),
    # the WARC commands on a folder that is not there (no "OK")
    (["warc", "check", "--dir", "{dir}/missing"], 1, "no WARC folder"),
    (["warc", "check", "--dir", "{dir}"], 1, "no WARC files"),
    (
        ["warc", "show", "--headers", "https://tubankab.go.id/", "--dir", "{dir}/missing"],
        1,
        "no WARC folder",
    ),
]


def invoke(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Return (exit status, stdout, stderr) of ``tuban-crawler ARGV`` run in this process."""
    from tuban_crawler.cli import main

    try:
        status = main(argv)
    except SystemExit as exit_:  # argparse's usage errors
        status = exit_.code
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.mark.parametrize(
    ("argv", "status", "says"), MISTAKES, ids=[" ".join(m[0]) for m in MISTAKES]
)
def test_a_mistake_gets_one_line_and_changes_nothing(files, capsys, argv, status, says):
    # In this process, for speed: a traceback would fail the test as an exception.
    before = snapshot(files)
    code, out, err = invoke([a.format(dir=files, dead=closed_port()) for a in argv], capsys)
    assert code == status, err
    assert says in err and out == ""
    lines = err.strip().splitlines()
    assert (
        lines[-1].startswith("tuban-crawler ") and len(lines) == 1 or lines[0].startswith("usage:")
    ), err
    assert snapshot(files) == before


@pytest.mark.parametrize(
    "argv",
    [
        ["stats", "--db", "{dir}/other.db"],
        ["crawl", "--db", "{dir}/other.db", "--base-url", "http://127.0.0.1:9"],
    ],
)
def test_the_command_itself_answers_a_foreign_database_in_one_line(files, argv):
    before = snapshot(files)
    result = run(*(a.format(dir=files) for a in argv))
    assert result.returncode == 1 and "not a tuban-crawler archive" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert snapshot(files) == before and not (files / "other.db-wal").exists()


def test_warc_show_takes_its_options_anywhere():
    args = build_parser().parse_args(
        ["warc", "show", "--headers", "https://tubankab.go.id/", "--dir", "w"]
    )
    assert (args.action, args.url, args.headers, args.dir) == (
        "show",
        "https://tubankab.go.id/",
        True,
        "w",
    )


def test_serve_on_a_busy_port_fails_before_saying_where_to_browse(files):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        result = run(
            "serve", "--db", str(files / "archive.db"), "--port", str(busy.getsockname()[1])
        )
    assert result.returncode == 1
    assert "can't listen on 127.0.0.1" in result.stderr and "try --port" in result.stderr
    assert "Browse" not in result.stdout + result.stderr


# -- read-only files: a mount namespace as root (root ignores file modes), file modes otherwise ----
def read_only_command(folder: Path, argv: list[str]) -> list[str]:
    """Return a command line running ARGV with FOLDER read-only to it."""
    command = [sys.executable, "-m", "tuban_crawler.cli", *argv]
    if os.geteuid() != 0:
        return command
    if not shutil.which("unshare"):
        pytest.skip("as root, a read-only folder needs unshare (util-linux) to mount it read-only")
    probe = subprocess.run(["unshare", "--mount", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(
            f"as root, a read-only folder needs a mount namespace: {probe.stderr.decode().strip()}"
        )
    script = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"'
    return ["unshare", "--mount", "sh", "-c", script, str(folder), *command]


@pytest.fixture
def read_only(files: Path):
    """Return FILES with the archive and its folder read-only (modes restored afterwards)."""
    (files / "archive.db").chmod(0o444)
    files.chmod(0o555)
    yield files
    files.chmod(0o755)
    (files / "archive.db").chmod(0o644)


@pytest.mark.parametrize(
    ("argv", "status", "says"),
    [
        (["stats", "--db", "{dir}/archive.db"], 0, ""),
        (["search", "giat", "--db", "{dir}/archive.db"], 0, ""),
        (["export", "--db", "{dir}/archive.db"], 0, ""),
        # the storage can't be written: exit 74, as for a full disk
        (
            ["crawl", "--db", "{dir}/archive.db", "--base-url", "http://127.0.0.1:9"],
            74,
            "read-only for this user",
        ),
        (
            ["crawl", "--db", "{dir}/sub/new.db", "--base-url", "http://127.0.0.1:9"],
            74,
            "is not writable by this user",
        ),
        (
            [
                "crawl",
                "--db",
                "/tmp/tuban-test-new.db",
                "--warc-dir",
                "{dir}/warc",
                "--base-url",
                "http://127.0.0.1:9",
            ],
            74,
            "can't write WARC files",
        ),
    ],
)
def test_a_read_only_archive_is_read_and_refused_for_writing(read_only, argv, status, says):
    before = snapshot(read_only)
    command = read_only_command(read_only, [a.format(dir=read_only) for a in argv])
    result = subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=120)
    assert result.returncode == status, result.stderr
    assert says in result.stderr and "Traceback" not in result.stderr
    assert snapshot(read_only) == before
    Path("/tmp/tuban-test-new.db").unlink(missing_ok=True)


def test_a_read_only_wal_archive_is_served_as_a_snapshot(read_only):
    command = read_only_command(
        read_only, ["serve", "--db", str(read_only / "archive.db"), "--port", "0"]
    )
    server = subprocess.Popen(
        command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        line = server.stdout.readline()
    finally:
        server.terminate()
        _, errors = server.communicate(timeout=30)
    assert line.startswith("Browse "), errors
    assert "read-only to this user and in WAL mode" in errors and "not a readable" not in errors


# -- a crawl stopped at once ---------------------------------------------------------------------
def test_a_double_ctrl_c_is_an_interrupted_run_not_a_running_one(tmp_path):
    db = tmp_path / "archive.db"
    with PortalServer(articles=200, seed=12) as portal:
        command = [
            sys.executable,
            "-m",
            "tuban_crawler.cli",
            "crawl",
            "--db",
            str(db),
            "--base-url",
            portal.base_url,
            "--no-warc",
            "-s",
            "DOWNLOAD_DELAY=0.1",
            "-s",
            "CONCURRENT_REQUESTS=1",
        ]
        crawl = subprocess.Popen(
            command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        deadline = time.monotonic() + 60
        while not portal.hits and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(1)
        crawl.send_signal(signal.SIGINT)
        time.sleep(0.02)
        crawl.send_signal(signal.SIGINT)
        _, errors = crawl.communicate(timeout=120)
    assert crawl.returncode == 4, errors
    assert "see the log" not in errors and "Traceback" not in errors
    assert [run["status"] for run in rows(db, "select status from crawl_runs")] == ["interrupted"]
    # Scrapy's consoles that can run code stay off (Scrapy 2.19 starts a remote control by default).
    enabled = errors.split("Enabled extensions:", 1)[1].split("]", 1)[0]
    assert "RemoteControl" not in enabled and "TelnetConsole" not in enabled
