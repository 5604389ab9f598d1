"""End-to-end tests for tuban_crawler.crawl.downloadermiddlewares.capture: real Scrapy crawls of a loopback server."""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler
from warcio.archiveiterator import ArchiveIterator

from tuban_crawler.crawl.downloadermiddlewares.capture import WarcCaptureMiddleware
from tuban_crawler.warc import Capture, check_directory, iter_captures, reconstruct

SPIDER = Path(__file__).with_name("capture_spider.py")
REPO = Path(__file__).resolve().parents[1]

ARTICLE = b"<html><body><h1>Bupati Tuban meninjau pasar</h1></body></html>"
GZIP_PAGE = b"<html><body><p>Berita terkompresi: Tuban 2026</p></body></html>"
HOME = b"""<html><body>
<a href="/a.html">a</a> <a href="/gz.html">gz</a> <a href="/news.html">news</a>
<a href="/flaky.html">flaky</a> <a href="/private/secret.html">private</a>
</body></html>"""
SLOW_PAGES = 12


class PortalHandler(BaseHTTPRequestHandler):
    """A tiny portal: robots.txt, static, gzip-encoded, changing, flaky and slow pages."""

    hits: Counter[str]

    def do_GET(self) -> None:  # noqa: N802 (the http.server API)
        self.hits[self.path] += 1
        hit = self.hits[self.path]
        headers = {"Content-Type": "text/html; charset=utf-8"}
        status, body = 200, b""
        if self.path == "/robots.txt":
            headers["Content-Type"] = "text/plain"
            body = b"User-agent: *\nDisallow: /private/\n"
        elif self.path == "/":
            body = HOME
        elif self.path == "/a.html":
            body = ARTICLE
        elif self.path == "/gz.html" and "gzip" in self.headers.get("Accept-Encoding", ""):
            headers["Content-Encoding"] = "gzip"
            body = gzip.compress(GZIP_PAGE, mtime=0)
        elif self.path == "/news.html":
            body = b"<html><body>visit %d</body></html>" % hit
        elif self.path == "/flaky.html":
            status, body = (503, b"busy") if hit == 1 else (200, b"<html>fine</html>")
        elif self.path == "/slow/":
            body = b"".join(b'<a href="/slow/%d">%d</a>' % (n, n) for n in range(SLOW_PAGES))
        elif self.path.startswith("/slow/"):
            time.sleep(0.15)
            body = b"<html>slow %s</html>" % self.path.encode()
        else:
            status, body = 404, b"not here"
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Keep the test output quiet."""


@dataclass
class Portal:
    url: str
    hits: Counter[str]


@pytest.fixture(scope="module")
def portal() -> Iterator[Portal]:
    hits: Counter[str] = Counter()
    handler = type("Handler", (PortalHandler,), {"hits": hits})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Portal(f"http://127.0.0.1:{server.server_port}", hits)
    server.shutdown()
    server.server_close()


def crawl_command(
    start_url: str, warc_dir: Path, run_id: str, items: Path, *settings: str
) -> list[str]:
    command = [
        sys.executable,
        "-m",
        "scrapy",
        "runspider",
        str(SPIDER),
        "-a",
        f"start_url={start_url}",
        "-s",
        f"WARC_DIR={warc_dir}",
        "-s",
        f"RUN_ID={run_id}",
        "-O",
        f"{items}:jsonlines",
    ]
    for setting in settings:
        command += ["-s", setting]
    return command


def crawl_environment() -> dict[str, str]:
    # Run outside the project directory so only the spider's own settings apply.
    environment = {k: v for k, v in os.environ.items() if k != "SCRAPY_SETTINGS_MODULE"}
    environment["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(REPO), os.environ.get("PYTHONPATH")])
    )
    return environment


def run_crawl(cwd: Path, start_url: str, warc_dir: Path, run_id: str, *settings: str) -> list[dict]:
    """Return the items of a complete crawl, after checking it ended cleanly."""
    items = cwd / f"items-{run_id}.jsonl"
    result = subprocess.run(
        crawl_command(start_url, warc_dir, run_id, items, *settings),
        cwd=cwd,
        env=crawl_environment(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert "DeprecationWarning" not in result.stderr, result.stderr[-3000:]
    return [json.loads(line) for line in items.read_text().splitlines()]


@dataclass
class TwoCrawls:
    warc_dir: Path
    portal: Portal
    items: dict[str, list[dict]]

    def captures(self, run_id: str) -> list[Capture]:
        files = {
            path.name
            for path in self.warc_dir.glob("*.warc.gz")
            if warcinfo(path).get("run-id") == run_id
        }
        return [c for c in iter_captures(self.warc_dir) if c.filename in files]


def warcinfo(path: Path) -> dict[str, str]:
    """Return the fields of the warcinfo record that opens the WARC file PATH."""
    with open(path, "rb") as fh:
        record = next(iter(ArchiveIterator(fh)))
        lines = record.content_stream().read().decode().splitlines()
    return dict(line.split(": ", 1) for line in lines if ": " in line)


@pytest.fixture(scope="module")
def two_crawls(portal: Portal, tmp_path_factory: pytest.TempPathFactory) -> TwoCrawls:
    cwd = tmp_path_factory.mktemp("crawl")
    warc_dir = cwd / "warc"
    items = {}
    for run_id in ("run1", "run2"):
        items[run_id] = run_crawl(cwd, portal.url + "/", warc_dir, run_id)
    return TwoCrawls(warc_dir, portal, items)


def test_every_response_is_captured_including_robots_and_retries(two_crawls: TwoCrawls) -> None:
    base = two_crawls.portal.url
    captured = Counter((c.url.removeprefix(base), c.status) for c in two_crawls.captures("run1"))
    assert captured == {
        ("/robots.txt", 200): 1,
        ("/", 200): 1,
        ("/a.html", 200): 1,
        ("/gz.html", 200): 1,
        ("/news.html", 200): 1,
        ("/flaky.html", 503): 1,
        ("/flaky.html", 200): 1,
    }
    assert two_crawls.portal.hits["/private/secret.html"] == 0


def test_second_crawl_writes_revisits_for_unchanged_pages(two_crawls: TwoCrawls) -> None:
    base = two_crawls.portal.url
    kinds = {c.url.removeprefix(base): c.record_type for c in two_crawls.captures("run2")}
    assert kinds == {
        "/robots.txt": "revisit",
        "/": "revisit",
        "/a.html": "revisit",
        "/gz.html": "revisit",
        "/flaky.html": "revisit",
        "/news.html": "response",
    }


def test_warc_files_pass_warcio_check(two_crawls: TwoCrawls) -> None:
    assert check_directory(two_crawls.warc_dir) == []
    files = sorted(two_crawls.warc_dir.glob("*.warc.gz"))
    assert [warcinfo(path)["run-id"] for path in files] == ["run1", "run2"]
    assert all(
        re.fullmatch(r"tuban-\d{17}-00000-[A-Za-z0-9.-]+\.warc\.gz", path.name) for path in files
    )


def test_gzip_page_is_archived_as_received_and_reconstructed(two_crawls: TwoCrawls) -> None:
    url = two_crawls.portal.url + "/gz.html"
    [original] = [c for c in two_crawls.captures("run1") if c.url == url]
    assert original.payload_digest is not None
    rebuilt = reconstruct(two_crawls.warc_dir, url)
    assert rebuilt.body == GZIP_PAGE
    assert ("Content-Encoding", "gzip") in rebuilt.headers
    assert rebuilt.payload_record_id == original.record_id
    assert reconstruct(two_crawls.warc_dir, two_crawls.portal.url + "/a.html").body == ARTICLE


def test_spider_sees_where_each_response_was_captured(two_crawls: TwoCrawls) -> None:
    by_id = {c.record_id: c for c in iter_captures(two_crawls.warc_dir)}
    for run_id, items in two_crawls.items.items():
        assert len(items) == 5  # robots.txt is captured but not parsed
        for item in items:
            ref = item["warc_capture"]
            capture = by_id[ref["record_id"]]
            assert (capture.url, capture.filename, capture.offset, capture.length) == (
                item["url"],
                ref["filename"],
                ref["offset"],
                ref["length"],
            )
            assert warcinfo(two_crawls.warc_dir / ref["filename"])["run-id"] == run_id
    gz_item = next(i for i in two_crawls.items["run1"] if i["url"].endswith("/gz.html"))
    assert gz_item["text"] == GZIP_PAGE.decode()  # the spider still gets it decoded


def test_crawl_killed_with_sigkill_restarts_cleanly(portal: Portal, tmp_path: Path) -> None:
    warc_dir = tmp_path / "warc"
    start = portal.url + "/slow/"
    process = subprocess.Popen(
        crawl_command(
            start, warc_dir, "killed", tmp_path / "killed.jsonl", "CONCURRENT_REQUESTS=1"
        ),
        cwd=tmp_path,
        env=crawl_environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and responses_in_unfinished_files(warc_dir) < 5:
            time.sleep(0.02)
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    assert list(warc_dir.glob("*.open")), "the kill should leave an unfinished file"

    run_crawl(tmp_path, start, warc_dir, "restarted", "CONCURRENT_REQUESTS=1")

    assert check_directory(warc_dir) == []
    run_of = {path.name: warcinfo(path)["run-id"] for path in warc_dir.glob("*.warc.gz")}
    killed = [c for c in iter_captures(warc_dir) if run_of[c.filename] == "killed"]
    restarted = [c for c in iter_captures(warc_dir) if run_of[c.filename] == "restarted"]
    assert len(killed) >= 4
    assert len(restarted) == SLOW_PAGES + 2  # robots.txt, the listing, every page
    # What the killed run captured is known to the next one: unchanged pages are revisits.
    assert {c.url for c in killed} <= {c.url for c in restarted if c.record_type == "revisit"}


def responses_in_unfinished_files(warc_dir: Path) -> int:
    """Return how many complete response records the ``.open`` files of WARC_DIR hold so far."""
    count = 0
    for path in warc_dir.glob("*.open"):
        data = io.BytesIO(path.read_bytes())
        try:
            count += sum(1 for record in ArchiveIterator(data) if record.rec_type == "response")
        except Exception:  # noqa: BLE001 (a record being written is cut short)
            pass
    return count


def test_warc_disabled_is_not_configured() -> None:
    crawler = get_crawler(settings_dict={"WARC_ENABLED": False})
    with pytest.raises(NotConfigured):
        WarcCaptureMiddleware.from_crawler(crawler)
