"""URLs sharing one text: every first capture archived and linked, a generic page still refused (issue 18)."""

from __future__ import annotations

import asyncio
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from datasette.utils import tilde_encode
from sqlite_utils import Database

from tests.e2e import crawl, rows
from tests.test_archive import fetch, record
from tuban_crawler.store.archive import ArchiveStore
from tuban_crawler.store.migrations import migrations
from tuban_crawler.store.sametext import others_with_text, shared_in_run, text_hash
from tuban_crawler.web import serve

BASE = "https://tubankab.go.id/entry/"
TEMPLATE = "\n\n".join(
    [
        "Dalam rangka pelayanan informasi publik, Pemerintah Kabupaten Tuban menyampaikan"
        " pengumuman sebagaimana terlampir pada halaman ini.",
        "Untuk keterangan lebih lanjut silakan menghubungi kantor dinas terkait pada jam kerja.",
    ]
)


def announcement(n: int, **changes):
    """Return announcement N of a series: its own title, date and author, the series' one body."""
    fields = {
        "url": f"{BASE}pengumuman-{n}",
        "title": f"Pengumuman Seleksi Tahap {n}",
        "published_at": f"2024-03-{n:02d}T09:00:00+07:00",
        "author": ("Heri S", "Yolency")[n % 2],
        "body_text": TEMPLATE,
        "field_sources": {"published": "meta-list"},
    }
    return record(**{**fields, **changes})


def save(store, row, at="2026-11-01T00:00:00+00:00", run="r1"):
    return store.save_article(row, fetch(at, fetched_url=row["url"]), run)


@pytest.fixture
def store(tmp_path):
    with ArchiveStore(tmp_path / "archive.db") as opened:
        yield opened


def links(store):
    return dict(
        store.db.execute("select url, same_text_as from articles order by rowid").fetchall()
    )


def test_twenty_articles_sharing_one_body_are_all_archived_and_linked_to_the_first(store):
    outcomes = [
        save(store, announcement(n), f"2026-11-01T00:00:{n:02d}+00:00") for n in range(1, 21)
    ]
    assert outcomes == ["new"] * 20
    first = f"{BASE}pengumuman-1"
    assert links(store) == {
        f"{BASE}pengumuman-{n}": None if n == 1 else first for n in range(1, 21)
    }
    assert store.db.execute("select count(*) from rejected_copies").fetchone()[0] == 0
    assert store.db.execute("select count(*) from failures").fetchone()[0] == 0
    others = others_with_text(store.db, f"{BASE}pengumuman-7")
    assert len(others) == 19 and others[0]["url"] == first
    assert {row["text_hash"] for row in store.db.query("select text_hash from articles")} == {
        text_hash(TEMPLATE)
    }


def test_the_same_page_served_for_many_urls_is_still_refused_as_a_first_capture(store):
    # A notice in the site's layout, served for every address: one title, no author, and the
    # date its listing showed (not the page's own).
    def notice(n):
        return record(
            url=f"{BASE}berita-{n}",
            title="Pemerintah Kabupaten Tuban",
            author=None,
            published_at=f"2024-03-{n:02d}",
            field_sources={"published": "listing"},
            body_text="Situs ini sedang diperbarui. Kunjungi kembali beberapa saat lagi. " * 4,
        )

    assert [save(store, notice(n)) for n in range(1, 6)] == ["new", "new"] + ["rejected"] * 3
    [reason] = {r[0] for r in store.db.execute("select reason from rejected_copies")}
    assert "generic page" in reason and "title, author and text" in reason


def test_a_refetch_that_would_replace_its_text_by_a_shared_one_is_kept(store):
    for n in (1, 2):
        save(store, announcement(n))
    own = announcement(3, body_text="Teks pengumuman yang berbeda dan milik sendiri. " * 5)
    assert save(store, own) == "new"
    generic = announcement(3)  # its text becomes the two others' text
    assert save(store, generic, "2026-11-02T00:00:00+00:00", "r2") == "kept"
    assert store.get_article(own["url"])["body_text"] == own["body_text"]


def test_an_edited_title_in_a_series_is_an_update_not_a_generic_page(store):
    for n in (1, 2, 3):
        save(store, announcement(n))
    edited = announcement(3, title="Pengumuman Seleksi Tahap 3 (Revisi)")
    assert save(store, edited, "2026-11-02T00:00:00+00:00", "r2") == "updated"


def test_a_run_counts_the_articles_it_archived_whose_text_others_share(store):
    for n in (1, 2, 3):
        save(store, announcement(n))
    save(store, announcement(4, body_text="Teks milik sendiri. " * 5))
    save(store, announcement(5), run="r2")
    assert (shared_in_run(store.db, "r1"), shared_in_run(store.db, "r2")) == (3, 1)


def test_links_follow_a_text_that_changes(store):
    for n in (1, 2, 3):
        save(store, announcement(n), f"2026-11-01T00:00:0{n}+00:00")
    # The first of the series gets its own text: the second becomes the group's first.
    changed = announcement(1, body_text=TEMPLATE + "\n\nRalat: jadwal diundur satu minggu.")
    assert save(store, changed, "2026-11-02T00:00:00+00:00", "r2") == "updated"
    assert links(store) == {
        f"{BASE}pengumuman-1": None,
        f"{BASE}pengumuman-2": None,
        f"{BASE}pengumuman-3": f"{BASE}pengumuman-2",
    }


# -- end to end: a real crawl of a site publishing a series with one templated body -------
SERIES = 20
MONTHS = "Januari Februari Maret April".split()


def _page(title: str, body: str) -> bytes:
    return (
        "<!DOCTYPE html><html lang='id'><head><meta charset='utf-8'>"
        f"<title>{title} - Dinas Kominfo</title></head><body>"
        "<header><a href='/'>Dinas Kominfo</a><nav><a href='/'>Beranda</a></nav></header>"
        f"<main>{body}</main><footer>Hak cipta Dinas Kominfo</footer></body></html>"
    ).encode()


def _announcement_page(n: int) -> bytes:
    paragraphs = "".join(f"<p>{p}</p>" for p in TEMPLATE.split("\n\n"))
    return _page(
        f"Pengumuman Seleksi Tahap {n}",
        f"<article><h1>Pengumuman Seleksi Tahap {n}</h1>"
        f"<div class='meta'><span>{n} {MONTHS[n % 4]} 2024 09:{n:02d}</span>"
        f" <span>Oleh: {('Heri S', 'Yolency')[n % 2]}</span></div>"
        f"<div class='content'>{paragraphs}</div></article>",
    )


#: What a members-only wall says, on every entry of the walled site (none of quality's error phrases).
WALL = (
    "<p>Berita ini hanya dapat dibaca oleh anggota terdaftar portal kami.</p>"
    "<p>Daftarkan diri Anda melalui kantor layanan untuk mendapatkan akses penuh ke seluruh arsip.</p>"
)


class _SeriesSite(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        path = self.path.split("?")[0]
        if path == "/":
            items = "".join(
                f"<li><a href='/entry/pengumuman-seleksi-tahap-{n}'>Pengumuman Seleksi Tahap {n}</a></li>"
                for n in range(1, SERIES + 1)
            )
            body = _page("Dinas Kominfo", f"<h2>Pengumuman</h2><ul>{items}</ul>")
        elif path.startswith("/entry/") and self.server.walled:  # type: ignore[attr-defined]
            body = _page("Anggota", f"<article><h1>Khusus Anggota</h1>{WALL}</article>")
        elif path.startswith("/entry/pengumuman-seleksi-tahap-"):
            body = _announcement_page(int(path.rsplit("-", 1)[1]))
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def series_crawl(tmp_path_factory):
    """The site publishing 20 announcements with one body: its address, and one crawl of it by each
    of two archives, the second while the site serves one members-only wall for every entry."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _SeriesSite)
    server.walled = False  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base_url = f"http://127.0.0.1:{server.server_address[1]}"
        series, walled = (
            tmp_path_factory.mktemp(name) / "archive.db" for name in ("series", "walled")
        )
        crawled = {"series": (series, crawl(series, base_url, "-s", "DOWNLOAD_DELAY=0"))}
        server.walled = True  # type: ignore[attr-defined]
        crawled["walled"] = (walled, crawl(walled, base_url, "-s", "DOWNLOAD_DELAY=0"))
        yield crawled
    finally:
        server.shutdown()
        server.server_close()


def test_a_series_sharing_one_body_is_all_archived_on_the_first_crawl(series_crawl):
    db, result = series_crawl["series"]
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    archived = rows(db, "select url, title, author, published_at, same_text_as from articles")
    assert len(archived) == SERIES
    assert {r["title"] for r in archived} == {f"Pengumuman Seleksi Tahap {n}" for n in range(1, 21)}
    first = [r["url"] for r in archived if r["same_text_as"] is None]
    assert len(first) == 1 and all(r["same_text_as"] in first + [None] for r in archived)
    assert (
        rows(db, "select * from rejected_copies") == [] and rows(db, "select * from failures") == []
    )
    [run] = rows(db, "select status, new, failed from crawl_runs")
    assert run == {"status": "ok", "new": SERIES, "failed": 0}
    assert "20 articles archived share their text with other URLs" in result.stdout


# -- browsing: the article page names the others, a query lists the groups ---------------------
@pytest.fixture(scope="module")
def shared_archive(tmp_path_factory):
    """Return an archive of three announcements sharing one body and one article of its own."""
    path = tmp_path_factory.mktemp("shared") / "archive.db"
    with ArchiveStore(path) as opened:
        for n in (1, 2, 3):
            save(opened, announcement(n), f"2026-11-01T00:00:0{n}+00:00")
        save(opened, announcement(4, body_text="Teks milik sendiri yang tidak dibagi. " * 5))
    return path


def test_the_article_page_names_the_other_urls_sharing_its_text(shared_archive):
    datasette = serve.build_datasette(shared_archive)
    pages = [f"/archive/articles/{tilde_encode(f'{BASE}pengumuman-{n}')}" for n in (2, 4)]

    async def get_all():
        await datasette.invoke_startup()
        return [await datasette.client.get(p) for p in pages] + [
            await datasette.client.get("/archive/articles_sharing_text.json?_shape=objects")
        ]

    shared, alone, groups = asyncio.run(get_all())
    assert shared.status_code == alone.status_code == 200
    assert "The same text is archived under 2 other URLs" in shared.text
    assert "Pengumuman Seleksi Tahap 1</a>" in shared.text and "Tahap 3</a>" in shared.text
    assert f"text_hash={text_hash(TEMPLATE)}" in shared.text
    assert "The same text is archived" not in alone.text
    [group] = groups.json()["rows"]
    assert (group["url"], group["urls_sharing_the_text"]) == (f"{BASE}pengumuman-1", 3)


def test_an_archive_written_before_the_links_gets_them_when_opened(tmp_path):
    path = tmp_path / "archive.db"
    db = Database(path)
    migrations.apply(db, stop_before="m010_same_text_as")
    db.table("articles").insert_all(
        {"url": f"{BASE}{n}", "title": f"T{n}", "body_text": body, "first_seen_at": f"2020-0{n}"}
        for n, body in ((1, TEMPLATE), (2, "Lain."), (3, TEMPLATE), (4, None))
    )
    refused = "worse copy (a generic page: its text is the text of 2 other URLs); not archived"
    db.table("failures").insert_all(
        {"url": f"{BASE}{n}", "reason": reason, "attempts": 3, "gave_up_at": "2026-11-01"}
        for n, reason in ((5, refused), (6, "HTTP 500"))
    )
    db.close()
    with ArchiveStore(path) as opened:
        assert opened.db.execute(
            "select url, gave_up_at from failures order by url"
        ).fetchall() == [
            (f"{BASE}5", None),  # refused by the old rule: asked for again
            (f"{BASE}6", "2026-11-01"),
        ]
        assert links(opened) == {
            f"{BASE}1": None,
            f"{BASE}2": None,
            f"{BASE}3": f"{BASE}1",
            f"{BASE}4": None,
        }
        hashes = dict(opened.db.execute("select url, text_hash from articles").fetchall())
        assert hashes[f"{BASE}3"] == text_hash(TEMPLATE) and hashes[f"{BASE}4"] is None
        assert "articles_short_body" not in {i.name for i in opened.db.table("articles").indexes}


def test_one_wall_served_for_every_entry_is_refused_and_the_run_is_broken(series_crawl):
    db, result = series_crawl["walled"]
    assert result.returncode == 3, result.stdout + result.stderr[-3000:]
    assert len(rows(db, "select url from articles")) == 2  # nothing told the first two apart yet
    rejected = rows(db, "select reason from rejected_copies")
    assert len(rejected) == SERIES - 2
    assert all("title, author and text are those of" in r["reason"] for r in rejected)
    assert "18 of the 20 entries fetched were refused or failed" in result.stdout + result.stderr
    [run] = rows(db, "select status from crawl_runs")
    assert run["status"] == "broken"
