"""``replay`` stops its pywb whatever stops it (Ctrl-C, SIGTERM from systemd or kill, SIGHUP)."""

from __future__ import annotations

import gzip
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO, children_running
from tuban_crawler import ExitCode

#: Stands in for pywb's ``wayback``: says it started, then serves until stopped.
FAKE_WAYBACK = """#!{python}
import pathlib, sys, time
pathlib.Path({started!r}).write_text("started")
while True:
    time.sleep(1)
"""


def write_warc(folder: Path) -> None:
    """Write one WARC file holding one response record into FOLDER."""
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html>a</html>"
    record = (
        b"WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:1>\r\n"
        b"WARC-Target-URI: http://127.0.0.1:9/entry/a\r\nWARC-Date: 2026-12-08T00:00:00Z\r\n"
        b"Content-Type: application/http; msgtype=response\r\n"
        + f"Content-Length: {len(http)}\r\n\r\n".encode()
        + http
        + b"\r\n\r\n"
    )
    folder.mkdir()
    (folder / "tuban-1-00000-test.warc.gz").write_bytes(gzip.compress(record))


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_replay_stops_its_pywb_when_it_is_stopped(tmp_path, signum):
    write_warc(tmp_path / "warc")
    started = tmp_path / "started"
    wayback = tmp_path / "wayback"
    wayback.write_text(FAKE_WAYBACK.format(python=sys.executable, started=str(started)))
    wayback.chmod(0o755)
    replay = subprocess.Popen(
        [sys.executable, "-m", "tuban_crawler.cli", "replay", "--warc-dir", str(tmp_path / "warc")]
        + ["--port", "9", "--pywb", str(wayback)],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    try:
        deadline = time.monotonic() + 30
        while not started.exists() and time.monotonic() < deadline:
            assert replay.poll() is None, "replay exited"
            time.sleep(0.05)
        pywb = list(children_running(replay.pid))
        assert len(pywb) == 1
        replay.send_signal(signum)
        assert replay.wait(timeout=30) == 0
        # issue 19: SIGTERM and SIGHUP left pywb serving, its parent gone (PPID 1)
        assert not Path(f"/proc/{pywb[0]}").exists() or "Z" in _state(pywb[0])
    finally:
        replay.kill()
        replay.wait()


def _state(pid: int) -> str:
    stat = Path(f"/proc/{pid}/stat").read_text()
    return stat[stat.rindex(")") + 2]


def test_replay_exits_with_a_documented_status_when_pywb_fails(tmp_path):
    write_warc(tmp_path / "warc")
    wayback = tmp_path / "wayback"
    wayback.write_text(f"#!{sys.executable}\nimport sys\nsys.exit(3)\n")
    wayback.chmod(0o755)
    failed = subprocess.run(
        [sys.executable, "-m", "tuban_crawler.cli", "replay", "--warc-dir", str(tmp_path / "warc")]
        + ["--port", "9", "--pywb", str(wayback)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    # issue 19: replay exited with pywb's own status, which the README's table does not list
    assert failed.returncode == ExitCode.ERROR
    assert failed.stderr.count("\n") == 1 and "pywb stopped with status 3" in failed.stderr
