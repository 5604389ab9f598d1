"""Archives for the browsing and export tests.

- ``build_demo_archive``: written through ArchiveStore, fast and fixed: the seed article
  with its real text (``pages/seed_article.txt``), a few dozen articles over three years
  and four categories, an edited article (a row in ``article_versions``), an evergreen
  page, a failure and a finished run.
- ``crawl_demo_archive``: a real crawl of the bundled test portal, whose ``hostile`` fault
  serves one article with scripts, event handlers and ``javascript:`` links in its body.

Both get two hostile articles (``add_hostile_articles``): the page
``pages/hostile_article.html`` archived as a crawl does (extract → normalise → store, so
its body went through the sanitiser), and the same page under another URL whose body,
title, author and categories were then written raw with sqlite3, bypassing the
sanitiser, to prove that what is shown is sanitised again.
"""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from tuban_crawler.extract import extract_entry
from tuban_crawler.items import ArticleItem
from tuban_crawler.normalize.article import normalize_article
from tuban_crawler.normalize.columns import CONTENT_FIELDS
from tuban_crawler.normalize.fields import content_hash
from tuban_crawler.normalize.published import settle_published
from tuban_crawler.normalize.sanitize import clean_html
from tuban_crawler.store.archive import ArchiveStore
from tuban_crawler.store.migrations import migrations

PAGES = Path(__file__).parent / "pages"
BASE = "https://tubankab.go.id/entry/"
SEED_URL = BASE + "asn-dituntut-disiplin-profesional-dan-bertanggung-jawab"
SEED_TITLE = "ASN DITUNTUT DISIPLIN, PROFESIONAL DAN BERTANGGUNG JAWAB"
SEED_CATEGORY = "Kegiatan Pemerintahan"
HOSTILE_STORED_URL = BASE + "berita-uji-keamanan-arsip"
HOSTILE_RAW_URL = BASE + "berita-uji-keamanan-arsip-tanpa-sanitasi"
HOSTILE_TITLE = "Berita Uji Keamanan Arsip"
HOSTILE_TEXT = "Berita ini menguji arsip"
EDITED_URL = BASE + "jadwal-pelayanan-kesehatan-keliling"
#: The raw body of the unsanitised article: each payload would set window.__pwned or open a dialog.
HOSTILE_BODY = (
    "<p>Tubankab - Berita ini berisi kode berbahaya.</p>"
    "<script>window.__pwned = 'script'; alert('script')</script>"
    '<p><img src="x" onerror="window.__pwned = \'onerror\'; alert(\'onerror\')" alt="foto"></p>'
    "<p><a href=\"javascript:window.__pwned = 'link'; alert('link')\">Klik di sini</a></p>"
    '<p onmouseover="window.__pwned = \'mouseover\'" style="background:url(javascript:alert(1))">Paragraf</p>'
    "<iframe src=\"javascript:parent.__pwned = 'iframe'\"></iframe>"
    "<style>body { display: none }</style>"
    "<svg onload=\"window.__pwned = 'svg'\"><script>window.__pwned = 'svg-script'</script></svg>"
    "<p>Penutup (hei)</p>"
)
CATEGORIES = ["Kegiatan Pemerintahan", "Kegiatan Bupati dan Wakil Bupati", "Umum", "MTQ 2019"]
AUTHORS = ["Yolency", "Heri S", "Hand Excel"]


def read_seed() -> dict[str, object]:
    """Return the seed article's title, date, author, category, views and paragraphs from its text file."""
    lines = (PAGES / "seed_article.txt").read_text(encoding="utf-8").splitlines()
    return {
        "title": lines[0],
        "published_raw": lines[1].lstrip("- "),
        "author": lines[2].lstrip("- "),
        "category": lines[3].lstrip("- ").rstrip(","),
        "views": int(lines[4].lstrip("- ")),
        "paragraphs": [line for line in lines[5:] if line.strip()],
    }


def article(
    url: str,
    title: str,
    published_at: str | None,
    author: str | None,
    categories: list[str],
    paragraphs: list[str],
    *,
    views: int | None = 10,
    body_html: str | None = None,
) -> dict[str, object]:
    """Return an article record as the crawler's normalise step makes it."""
    record: dict[str, object] = {
        "url": url,
        "kind": "article" if published_at else "page",
        "title": title,
        "published_at": published_at,
        "published_year": int(published_at[:4]) if published_at else None,
        "published_month": published_at[:7] if published_at else None,
        "published_raw": published_at,
        "published_precision": "datetime" if published_at else None,
        "date_reason": None if published_at else "no date on the page",
        "date_warnings": None,
        "author": author,
        "categories": categories,
        "views": views,
        "body_text": "\n\n".join(paragraphs) or None,
        "body_html": clean_html(
            body_html if body_html is not None else "".join(f"<p>{p}</p>" for p in paragraphs)
        )
        or None,
        "dateline": "Tubankab" if published_at else None,
        "credit": "hei" if published_at else None,
        "images": [],
        "photo_caption": None,
        "layout": "test",
        "field_sources": {"title": "test"},
        "etag": None,
        "last_modified": None,
        "fetched_url": url,
    }
    record["content_hash"] = content_hash({name: record[name] for name in CONTENT_FIELDS})
    return record


def fetch(url: str, at: str) -> dict[str, object]:
    """Return the fetch facts of URL at time AT."""
    return {
        "fetched_url": url,
        "fetched_at": at,
        "status": 200,
        "warc_filename": "demo.warc.gz",
        "warc_offset": 0,
    }


def build_demo_archive(path: Path, others: int = 36) -> Path:
    """Write the demo archive to PATH (with OTHERS ordinary articles besides the special ones) and return PATH."""
    seed = read_seed()
    paragraphs = [p.removeprefix("Tubankab - ") for p in seed["paragraphs"]]
    paragraphs[-1] = paragraphs[-1].removesuffix(" (chusnul huda/hei)")
    with ArchiveStore(path) as store:
        store.start_run("run-1", "full", "https://tubankab.go.id", "2026-01-01T00:00:00+00:00")
        at = "2026-01-01T00:10:00+00:00"
        seed_record = article(
            SEED_URL,
            seed["title"],
            "2017-07-26T13:24:00+07:00",
            seed["author"],
            [seed["category"]],
            paragraphs,
            views=seed["views"],
            body_html="".join(f"<p>{p}</p>" for p in seed["paragraphs"]),
        )
        seed_record.update({"published_raw": seed["published_raw"], "credit": "chusnul huda/hei"})
        seed_record["content_hash"] = content_hash(
            {name: seed_record[name] for name in CONTENT_FIELDS}
        )
        store.save_article(
            seed_record,
            fetch(SEED_URL, at),
            "run-1",
            [
                {"mentioned_date": "2017-07-26", "expression": "Rabu (26/07)"},
                {"mentioned_date": "2017-07-28", "expression": "28 Juli 2017"},
            ],
        )
        for i in range(others):
            month = 1 + (i * 7) % 12
            year = 2017 + i % 3
            url = f"{BASE}kegiatan-pemkab-tuban-nomor-{i + 1}"
            text = [
                f"Pemkab Tuban menggelar kegiatan nomor {i + 1} di Kabupaten Tuban.",
                "Kegiatan berjalan lancar.",
            ]
            store.save_article(
                article(
                    url,
                    f"Kegiatan Pemkab Tuban Nomor {i + 1}",
                    f"{year}-{month:02d}-{1 + i % 27:02d}T09:{i % 60:02d}:00+07:00",
                    AUTHORS[i % 3],
                    [CATEGORIES[i % 4]],
                    text,
                    views=5 + i,
                ),
                fetch(url, at),
                "run-1",
            )
        store.save_article(
            article(
                EDITED_URL,
                "Jadwal Pelayanan Kesehatan Keliling",
                "2019-03-04T08:00:00+07:00",
                "Heri S",
                ["Umum"],
                ["Jadwal lama."],
            ),
            fetch(EDITED_URL, at),
            "run-1",
        )
        store.save_article(
            article(
                EDITED_URL,
                "Jadwal Pelayanan Kesehatan Keliling",
                "2019-03-04T08:00:00+07:00",
                "Heri S",
                ["Umum"],
                ["Jadwal yang diralat."],
            ),
            fetch(EDITED_URL, "2026-02-01T00:00:00+00:00"),
            "run-1",
        )
        museum = BASE + "museum-kambang-putih"
        store.save_article(
            article(
                museum, "Museum Kambang Putih", None, None, [], ["Museum di pusat Kota Tuban."]
            ),
            fetch(museum, at),
            "run-1",
        )
        store.record_failure(BASE + "halaman-rusak", "HTTP 500", 500, "run-1")
        store.finish_run(
            "run-1", "ok", {"requests": others + 6, "new": others + 5}, {"status": "ok"}
        )
    add_hostile_articles(path)
    return path


def archive_page(store: ArchiveStore, html_path: Path, url: str, run_id: str, at: str) -> str:
    """Archive the saved page HTML_PATH as URL the way a crawl does (extract → normalise → store); return the outcome."""
    raw = extract_entry(html_path.read_text(encoding="utf-8"), url)
    item = ArticleItem(url=url, fetch={"fetched_url": url}, raw=raw)
    normalize_article(item)
    settle_published(item)  # the validate step's date
    return store.save_article(item.record, fetch(url, at), run_id, item.mentioned)


def add_hostile_articles(path: Path) -> None:
    """Add the two hostile articles to the archive PATH: one archived as a crawl does, one written raw.

    The raw one bypasses the sanitiser (as a foreign tool or an older crawler could have
    written it): its body, title, author and categories hold live payloads.
    """
    with ArchiveStore(path) as store:
        store.start_run("run-hostile", "incremental", "https://tubankab.go.id")
        for url in (HOSTILE_STORED_URL, HOSTILE_RAW_URL):
            archive_page(
                store,
                PAGES / "hostile_article.html",
                url,
                "run-hostile",
                "2026-01-02T00:00:00+00:00",
            )
        store.finish_run("run-hostile", "ok", {"new": 2}, {"status": "ok"})
    with sqlite3.connect(path) as connection:
        connection.execute(
            "update articles set body_html = ?, title = ?, author = ?, categories = ? where url = ?",
            [
                HOSTILE_BODY,
                HOSTILE_TITLE + " <script>window.__pwned = 'title'</script>",
                "<img src=x onerror=\"window.__pwned = 'author'\">",
                json.dumps(["Umum", "<b onmouseover=\"window.__pwned = 'category'\">x</b>"]),
                HOSTILE_RAW_URL,
            ],
        )
    connection.close()


def crawl_demo_archive(path: Path, articles: int = 60) -> Path:
    """Crawl the bundled test portal into PATH, hostile page included, add the hostile articles; return PATH.

    The portal runs with its ``hostile`` fault: one of its articles carries a script, an
    ``onerror=`` image, a ``javascript:`` link, a style and an iframe, and the crawl
    archives it like any other (``CRAWLED_HOSTILE_TEXT`` finds it).
    """
    portal = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tuban_crawler.cli",
            "portal",
            "--port",
            "0",
            "--articles",
            str(articles),
            "--faults",
            "hostile",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        base_url = portal.stdout.readline().strip()
        command = [
            sys.executable,
            "-m",
            "tuban_crawler.cli",
            "crawl",
            "--db",
            str(path),
            "--base-url",
            base_url,
            "--warc-dir",
            str(path.parent / "warc"),
            "-s",
            "LOG_LEVEL=WARNING",
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=180, cwd=path.parent)
    finally:
        portal.terminate()
        portal.communicate(timeout=10)
    assert done.returncode == 0, f"tuban-crawler crawl failed:\n{done.stdout}\n{done.stderr}"
    add_hostile_articles(path)
    return path


#: A sentence of the portal's hostile article (its ``hostile`` fault), to find it in an archive.
CRAWLED_HOSTILE_TEXT = "Informasi lebih lanjut hubungi kantor kecamatan."


def crawled_hostile_url(path: Path) -> str:
    """Return the URL of the portal's hostile article in the archive PATH."""
    with sqlite3.connect(path) as connection:
        (url,) = connection.execute(
            "select url from articles where body_text like ?", [f"%{CRAWLED_HOSTILE_TEXT}%"]
        ).fetchone()
    connection.close()
    return url


@dataclass
class Served:
    """A running ``tuban-crawler serve``: its base URL, and its output and exit status once it has stopped."""

    base_url: str
    output: str = ""
    returncode: int | None = None


def free_port() -> int:
    """Return a TCP port free on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serving(archive: Path, timeout: float = 30) -> Iterator[Served]:
    """Run ``tuban-crawler serve --db ARCHIVE`` on a free loopback port while the block runs."""
    port = free_port()
    served = Served(f"http://127.0.0.1:{port}")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tuban_crawler.cli",
            "serve",
            "--db",
            str(archive),
            "--port",
            str(port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                urllib.request.urlopen(f"{served.base_url}/-/versions.json", timeout=2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    raise RuntimeError(
                        f"tuban-crawler serve did not start:\n{process.communicate()[0]}"
                    ) from None
                time.sleep(0.2)
        yield served
    finally:
        if process.poll() is None:
            process.terminate()
            served.output = process.communicate(timeout=10)[0]
            served.returncode = process.returncode


def older_archive(path: Path) -> Path:
    """Return PATH, an archive as the crawler wrote it before published_date and the stemmed index."""
    db = Database(path)
    migrations.apply(db, stop_before="m002_published_date")
    db.table("articles").insert_all(
        [
            {
                "url": BASE + "a",
                "kind": "article",
                "title": "Kegiatan Desa",
                "body_text": "Pembangunan jalan.",
                "published_at": "2020-03-01T00:30:00+07:00",
            },
            {
                "url": BASE + "b",
                "kind": "page",
                "title": "Profil",
                "body_text": "Museum.",
                "published_at": None,
            },
        ]
    )
    db.close()
    return path
