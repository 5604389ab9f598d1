"""End to end: two crawls of the test portal (the second answered 304), replayed in a real pywb.

pywb lives in its own environment (see tuban_crawler/replay.py): the test finds its
``wayback`` through ``$TUBAN_PYWB`` (``.ci/run`` sets it) or PATH, and skips without it,
except on CI, where a missing pywb fails.
"""

from __future__ import annotations

import gzip
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest

from tests.e2e import REPO, crawl, manifest, rows
from tuban_crawler.extract import extract_entry
from tuban_crawler.portal import PortalServer
from tuban_crawler.web.replay import find_wayback, pywb_config

ARTICLES = 24


@pytest.fixture(scope="module")
def portal() -> Iterator[PortalServer]:
    with PortalServer(articles=ARTICLES, seed=3, edition=1) as server:
        yield server


@pytest.fixture(scope="module")
def crawled(portal: PortalServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The archive after a first crawl and a --full one whose conditional requests got 304."""
    db = tmp_path_factory.mktemp("replay") / "archive.db"
    for args in ((), ("--full",)):
        result = crawl(db, portal.base_url, *args)
        assert result.returncode == 0, result.stderr[-3000:]
    return db


def wacz_command() -> list[str]:
    """Return py-wacz's command (the replay environment's, beside pywb), or skip/fail without it."""
    wayback = find_wayback()
    candidate = Path(wayback).with_name("wacz") if wayback else None
    if candidate is None or not candidate.is_file():
        if os.environ.get("CI"):
            pytest.fail(
                "py-wacz is not installed beside pywb (TUBAN_PYWB): .ci/run installs both in .venv-replay"
            )
        pytest.skip(
            "py-wacz is not installed beside pywb: set TUBAN_PYWB (README: Replay and WACZ)"
        )
    return [str(candidate)]


def run_cli(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "tuban_crawler.cli", *args],
        capture_output=True,
        timeout=300,
        cwd=REPO,
    )


def articles(db: Path) -> list[dict]:
    return rows(
        db, "select url, fetched_url, title, body_text, images from articles where kind = 'article'"
    )


def test_second_run_was_answered_not_modified(crawled: Path) -> None:
    outcomes = rows(crawled, "select outcome, count(*) as n from fetches group by outcome")
    assert {row["outcome"]: row["n"] for row in outcomes}.get("not-modified", 0) >= ARTICLES


def test_warc_show_prints_the_full_article_after_two_runs(crawled: Path) -> None:
    for article in articles(crawled)[:5]:
        done = run_cli(
            "warc",
            "show",
            article["fetched_url"] or article["url"],
            "--dir",
            str(crawled.parent / "warc"),
        )
        assert done.returncode == 0, done.stderr
        assert extract_entry(done.stdout.decode(), article["url"]).title.strip() == article["title"]


def test_wacz_validates_and_lists_every_article(crawled: Path) -> None:
    output = crawled.parent / "archive.wacz"
    done = run_cli(
        "wacz",
        "--db",
        str(crawled),
        "--warc-dir",
        str(crawled.parent / "warc"),
        "--output",
        str(output),
    )
    assert done.returncode == 0, done.stderr
    validated = subprocess.run(
        [*wacz_command(), "validate", "-f", str(output)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert validated.returncode == 0 and "passed WACZ is valid" in validated.stdout, (
        validated.stdout
    )
    with zipfile.ZipFile(output) as package:
        lines = [json.loads(line) for line in package.read("pages/pages.jsonl").splitlines()]
        assert any(name.startswith("archive/") for name in package.namelist())
    listed = {line["url"] for line in lines[1:]}
    assert lines[0]["format"] == "json-pages-1.0"
    assert {a["fetched_url"] or a["url"] for a in articles(crawled)} <= listed
    assert all(line["text"] and line["title"] and line["ts"] for line in lines[1:])


# --- replay in pywb --------------------------------------------------------------------


@pytest.fixture(scope="module")
def pywb(crawled: Path) -> Iterator[str]:
    """The base URL of ``tuban-crawler replay`` serving the crawled archive."""
    wayback = find_wayback()
    if wayback is None:
        if os.environ.get("CI"):
            pytest.fail("pywb is not installed (TUBAN_PYWB): .ci/run installs it in .venv-replay")
        pytest.skip("pywb is not installed: set TUBAN_PYWB to its `wayback` (README: Replay)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tuban_crawler.cli",
            "replay",
            "--warc-dir",
            str(crawled.parent / "warc"),
            "--port",
            str(port),
            "--pywb",
            wayback,
        ],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/tuban/"
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).close()
                break
            except OSError:
                assert process.poll() is None, "tuban-crawler replay exited"
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
    # pywb stopped with the command that started it (nothing is left listening)
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=5).close()


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            status, headers, body = response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        status, headers, body = error.code, dict(error.headers), error.read()
    if headers.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return status, headers, body


def test_every_article_replays_in_full_at_its_latest_capture(
    crawled: Path, pywb: str, portal: PortalServer
) -> None:
    truth = {portal.base_url + e["path"]: e for e in manifest(portal.base_url)["entries"]}
    for article in articles(crawled):
        status, headers, body = fetch(f"{pywb}id_/{article['fetched_url'] or article['url']}")
        assert status == 200, article["url"]
        replayed = extract_entry(body.decode(), article["url"])
        assert replayed.title.strip() == article["title"]
        # a body paragraph per portal paragraph, plus the dateline's and credit's
        assert len(replayed.paragraphs) >= truth[article["url"]]["paragraphs"]
        latest = max(
            r["fetched_at"]
            for r in rows(
                crawled, "select fetched_at from fetches where url = ?", (article["url"],)
            )
        )
        assert parsedate_to_datetime(headers["Memento-Datetime"]).date().isoformat() == latest[:10]


def test_each_photo_replays(crawled: Path, pywb: str) -> None:
    photos = [
        image["src"]
        for article in articles(crawled)
        for image in json.loads(article["images"] or "[]")
    ]
    assert photos
    for src in photos:
        status, headers, body = fetch(f"{pywb}id_/{src}")
        assert (status, headers.get("Content-Type")) == (200, "image/jpeg"), src
        assert body.startswith(b"\xff\xd8")


def test_the_first_capture_is_reachable_by_its_timestamp(crawled: Path, pywb: str) -> None:
    warc_dir = crawled.parent / "warc"
    index = [line.split(" ", 2) for line in (warc_dir / "index.cdxj").read_text().splitlines()]
    firsts = {}
    for _, timestamp, data in index:
        fields = json.loads(data)
        if "/entry/" in fields["url"] and fields.get("status") == "200":
            firsts.setdefault(fields["url"], min(timestamp, firsts.get(fields["url"], timestamp)))
    assert firsts
    for url, timestamp in firsts.items():
        status, headers, body = fetch(f"{pywb}{timestamp}id_/{url}")
        assert status == 200 and b"</html>" in body.lower()
        assert (
            parsedate_to_datetime(headers["Memento-Datetime"]).strftime("%Y%m%d%H%M%S") == timestamp
        )


def test_replay_config_points_pywb_at_the_index() -> None:
    config = pywb_config(Path("/srv/warc"), "nightly")
    assert (
        'archive_paths: "/srv/warc/"' in config and 'index_paths: "/srv/warc/index.cdxj"' in config
    )
    assert config.startswith("collections:\n  nightly:")


def test_a_run_can_write_its_own_wacz(crawled: Path, portal: PortalServer) -> None:
    # Last in this module: a third (incremental) run over the same archive.
    wacz_dir = crawled.parent / "wacz"
    result = crawl(
        crawled, portal.base_url, "-s", "WACZ_PER_RUN=True", "-s", f"WACZ_DIR={wacz_dir}"
    )
    assert result.returncode == 0, result.stderr[-3000:]
    [package] = wacz_dir.glob("*.wacz")
    validated = subprocess.run(
        [*wacz_command(), "validate", "-f", str(package)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert validated.returncode == 0, validated.stdout
    with zipfile.ZipFile(package) as archive:
        warcs = [name for name in archive.namelist() if name.startswith("archive/")]
        lines = archive.read("pages/pages.jsonl").splitlines()
    # its files and those its revisits need; pages: the header, then what this run fetched
    assert len(warcs) >= 2 and json.loads(lines[0])["format"] == "json-pages-1.0"
