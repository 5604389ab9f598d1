"""Helpers for end-to-end tests: run the real ``tuban-crawler`` command against the test portal."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


@dataclass
class CrawlResult:
    """What one run of the command did."""

    returncode: int
    stdout: str
    stderr: str


def crawl_command(db: Path, base_url: str, *args: str) -> list[str]:
    """Return the command line of ``tuban-crawler crawl --db DB --base-url BASE_URL ARGS`` (WARC beside DB)."""
    return [
        sys.executable,
        "-m",
        "tuban_crawler.cli",
        "crawl",
        "--db",
        str(db),
        "--base-url",
        base_url,
        "--warc-dir",
        str(db.parent / "warc"),
        "-s",
        "LOG_LEVEL=WARNING",
        *args,
    ]


def crawl(db: Path, base_url: str, *args: str, timeout: float = 240) -> CrawlResult:
    """Return the result of ``tuban-crawler crawl --db DB --base-url BASE_URL ARGS`` run in a subprocess."""
    done = subprocess.run(
        crawl_command(db, base_url, *args),
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=REPO,
        env=os.environ.copy(),
    )
    return CrawlResult(done.returncode, done.stdout, done.stderr)


def manifest(base_url: str) -> dict:
    """Return the portal's ground truth (its ``/_portal/manifest.json``)."""
    with urllib.request.urlopen(f"{base_url}/_portal/manifest.json", timeout=30) as response:
        return json.load(response)


def rows(db: Path, sql: str, params: tuple = ()) -> list[dict]:
    """Return the rows of SQL on the archive DB, as dicts."""
    connection = sqlite3.connect(db)
    connection.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in connection.execute(sql, params)]
    finally:
        connection.close()
