"""The files in deploy/ work as written: systemd accepts the units, the timers fire at 02:17 WIB,
the cron line creates its log folder and leaves the run's report in its log."""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e import REPO
from tuban_crawler.cli import build_parser
from tuban_crawler.portal import PortalServer

DEPLOY = REPO / "deploy"
INSTALL_DIR = "/srv/tuban-archive"
UNITS = [
    "tuban-crawler@.service",
    "tuban-crawler-failed@.service",
    "tuban-crawler-nightly.timer",
    "tuban-crawler-monthly.timer",
    "tuban-crawler-verify.service",
    "tuban-crawler-verify.timer",
]


def installed(tmp_path: Path) -> Path:
    """Return a stand-in for /srv/tuban-archive whose .venv/bin/tuban-crawler is this checkout's command."""
    home = tmp_path / "srv"
    (home / ".venv" / "bin").mkdir(parents=True)
    command = Path(sys.executable).parent / "tuban-crawler"
    (home / ".venv" / "bin" / "tuban-crawler").symlink_to(command)
    return home


@pytest.mark.skipif(
    not shutil.which("systemd-analyze"), reason="systemd-analyze is not installed (no systemd here)"
)
def test_systemd_accepts_every_unit(tmp_path):
    home = installed(tmp_path)
    units = tmp_path / "units"
    units.mkdir()
    for name in UNITS:
        text = (DEPLOY / name).read_text(encoding="utf-8").replace(INSTALL_DIR, str(home))
        (units / name).write_text(text, encoding="utf-8")
    names = [
        "tuban-crawler-nightly.timer",
        "tuban-crawler-monthly.timer",
        "tuban-crawler@incremental.service",
        "tuban-crawler@full.service",
        "tuban-crawler-failed@tuban-crawler@full.service.service",
        "tuban-crawler-verify.timer",
        "tuban-crawler-verify.service",
    ]
    # The trailing colon keeps systemd's own units (timers.target...) in the search path.
    env = {**os.environ, "SYSTEMD_UNIT_PATH": f"{units}:"}
    done = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *names],
        capture_output=True,
        text=True,
        env=env,
        cwd=units,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    ours = [line for line in done.stderr.splitlines() if "tuban-crawler" in line]
    assert ours == [], ours  # e.g. "RuntimeMaxSec= has no effect in combination with Type=oneshot"


@pytest.mark.skipif(
    not shutil.which("systemd-analyze"), reason="systemd-analyze is not installed (no systemd here)"
)
@pytest.mark.parametrize(
    ("timer", "first_day"), [("tuban-crawler-nightly.timer", 2), ("tuban-crawler-monthly.timer", 1)]
)
def test_the_timers_fire_at_02_17_in_jakarta_whatever_the_servers_zone(timer, first_day):
    text = (DEPLOY / timer).read_text(encoding="utf-8")
    calendar = next(
        line.split("=", 1)[1] for line in text.splitlines() if line.startswith("OnCalendar=")
    )
    done = subprocess.run(
        ["systemd-analyze", "calendar", "--iterations=3", calendar],
        capture_output=True,
        text=True,
        env={**os.environ, "TZ": "UTC"},
        timeout=30,
    )
    assert done.returncode == 0, done.stderr
    elapses = [
        line for line in done.stdout.splitlines() if "Next elapse" in line or "Iter." in line
    ]
    assert len(elapses) == 3 and all("19:17:00 UTC" in line for line in elapses), (
        done.stdout
    )  # 02:17 WIB


def test_the_verify_timer_runs_a_sliced_audit_on_the_15th_at_04_17_in_jakarta():
    timer = (DEPLOY / "tuban-crawler-verify.timer").read_text(encoding="utf-8")
    assert "OnCalendar=*-*-15 04:17:00 Asia/Jakarta" in timer
    assert "Unit=tuban-crawler-verify.service" in timer
    service = (DEPLOY / "tuban-crawler-verify.service").read_text(encoding="utf-8")
    command = next(line for line in service.splitlines() if line.startswith("ExecStart="))
    argv = command.split("=", 1)[1].split()
    assert argv[1:3] == ["verify", "--db"] and "--since-days" in argv
    # The options as written parse (the operator stands for the unit's environment variable).
    args = build_parser().parse_args([a.replace("${TUBAN_CONTACT_URL}", "x") for a in argv[1:]])
    assert args.since_days == 25 and args.operator == "x"


def cron_commands() -> list[str]:
    """Return the commands of the crawl lines of deploy/tuban-crawler.cron (after the five time fields)."""
    lines = (DEPLOY / "tuban-crawler.cron").read_text(encoding="utf-8").splitlines()
    return [line.split(None, 5)[5] for line in lines if line[:1].isdigit()]


def cron_environment(home: Path) -> dict[str, str]:
    """Return the variables the cron file sets, as cron would pass them (plus a PATH)."""
    lines = (DEPLOY / "tuban-crawler.cron").read_text(encoding="utf-8").splitlines()
    variables = dict(line.split("=", 1) for line in lines if line[:1].isupper() and "=" in line)
    # PYTHONPATH, when the tests run a checkout other than the installed one, keeps the command
    # this checkout's (cron itself passes none).
    checkout = {"PYTHONPATH": os.environ["PYTHONPATH"]} if os.environ.get("PYTHONPATH") else {}
    return {**variables, "PATH": "/usr/bin:/bin", "HOME": str(home), **checkout}


def test_the_cron_lines_create_their_log_folder_and_log_the_report(tmp_path):
    home = installed(tmp_path)
    nightly, monthly = cron_commands()
    assert "--full" in monthly and "--full" not in nightly
    # After each run, the digest of what changed (issue 21): a first crawl changed nothing.
    assert all(
        "tuban-crawler changes --db archive.db --since-last-run" in c for c in (nightly, monthly)
    )
    with PortalServer(articles=15, seed=4) as portal:
        # As written, except the installation folder and the portal (the tests never reach the internet).
        command = nightly.replace(INSTALL_DIR, str(home)).replace(
            " crawl ", f" crawl --base-url {portal.base_url} "
        )
        done = subprocess.run(
            ["sh", "-c", command],
            capture_output=True,
            text=True,
            env=cron_environment(home),
            timeout=240,
        )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == ""  # cron mails nothing when the run is healthy
    log = (home / "logs" / "crawl.log").read_text(encoding="utf-8")
    assert "new articles archived" in log
    # The contact URL set in the cron file reaches the portal's admins (User-Agent, warcinfo).
    contact = cron_environment(home)["TUBAN_CONTACT_URL"]
    assert any(
        contact.encode() in gzip.decompress(path.read_bytes())
        for path in (home / "warc").glob("*.warc.gz")
    )


def test_a_failing_cron_run_mails_the_end_of_its_log(tmp_path):
    home = installed(tmp_path)
    nightly = cron_commands()[0]
    command = nightly.replace(INSTALL_DIR, str(home)).replace(
        " crawl ", " crawl --base-url http://127.0.0.1:9 "
    )
    done = subprocess.run(
        ["sh", "-c", command],
        capture_output=True,
        text=True,
        env=cron_environment(home),
        timeout=120,
    )
    assert "can't reach 127.0.0.1:9" in done.stdout  # what cron mails


@pytest.mark.skipif(not shutil.which("logrotate"), reason="logrotate is not installed")
def test_logrotate_accepts_the_rotation(tmp_path):
    home = installed(tmp_path)
    (home / "logs").mkdir()
    (home / "logs" / "crawl.log").write_text("a run\n", encoding="utf-8")
    config = tmp_path / "tuban-crawler"
    text = (
        (DEPLOY / "tuban-crawler.logrotate")
        .read_text(encoding="utf-8")
        .replace(INSTALL_DIR, str(home))
    )
    config.write_text(text.replace("su tuban tuban", "su root root"), encoding="utf-8")
    done = subprocess.run(
        ["logrotate", "--debug", "--state", str(tmp_path / "state"), str(config)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0 and "error" not in done.stderr.lower(), done.stderr
