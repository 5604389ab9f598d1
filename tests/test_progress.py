"""Progress a person can see: a live status line on a terminal, nothing of it under cron (no terminal)."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time

from tests.e2e import REPO, crawl
from tuban_crawler.crawl.extensions.progress import status_text
from tuban_crawler.portal import PortalServer


def run_on_a_terminal(command: list[str], timeout: float = 240) -> tuple[int, str]:
    """Return (exit status, everything written) of COMMAND run with a pseudo-terminal as stdout and stderr."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        command, cwd=REPO, stdin=subprocess.DEVNULL, stdout=follower, stderr=follower
    )
    os.close(follower)
    chunks, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 1)
        if ready:
            try:
                data = os.read(leader, 65536)
            except OSError:  # the terminal closed: the command ended
                break
            if not data:
                break
            chunks.append(data)
        elif process.poll() is not None:
            break
    os.close(leader)
    return process.wait(timeout=30), b"".join(chunks).decode("utf-8", "replace")


def test_the_status_line_says_pages_articles_failures_time_and_estimate():
    stats = {
        "response_received_count": 300,
        "archive/new": 250,
        "archive/updated": 3,
        "archive/failed": 1,
    }
    assert status_text(stats, queued=600, elapsed=60) == (
        "300 pages fetched · 250 new, 3 updated · 1 failed · 1:00 elapsed · about 2:00 left (600 queued)"
    )
    assert (
        status_text({}, queued=0, elapsed=0)
        == "0 pages fetched · 0 new, 0 updated · 0 failed · 0:00 elapsed"
    )


def test_demo_on_a_terminal_shows_a_live_status_line_then_the_summary(tmp_path):
    command = [
        sys.executable,
        "-m",
        "tuban_crawler.cli",
        "demo",
        "--db",
        str(tmp_path / "demo.db"),
        "--warc-dir",
        str(tmp_path / "warc"),
        "--articles",
        "40",
    ]
    status, screen = run_on_a_terminal(command)
    assert status == 0, screen[-3000:]
    assert "pages fetched" in screen and "\r\x1b[K" in screen  # redrawn in place
    summary = screen.rsplit("\x1b[K", 1)[
        1
    ]  # what stays on the screen after the status line is erased
    assert "new articles archived" in summary and "links to articles seen" in summary
    assert "pages fetched" not in summary


def test_without_a_terminal_a_crawl_prints_no_status_line(tmp_path):
    with PortalServer(articles=20, seed=3) as portal:
        # Slow enough (25+ requests one at a time) for a few progress lines 0.2 s apart.
        result = crawl(
            tmp_path / "archive.db",
            portal.base_url,
            "-s",
            "LOG_LEVEL=INFO",
            "-s",
            "TUBAN_PROGRESS_INTERVAL=0.2",
            "-s",
            "CONCURRENT_REQUESTS=1",
            "-s",
            "DOWNLOAD_DELAY=0.05",
        )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "pages fetched" not in result.stderr + result.stdout and "\x1b[K" not in result.stderr
    assert "progress:" in result.stderr  # the periodic log line is what cron and the journal get
    assert "new articles archived" in result.stdout
