"""One archive, two sites (issue 22): both crawled by one run, each row with its site, a report line per site,
and a site whose listings disappear makes the run broken, naming it, the other's work kept."""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.e2e import crawl, manifest, rows
from tuban_crawler.discover.sites import site_of
from tuban_crawler.portal import PortalServer

#: A small office site of numbered pages (``/page/<id>``), as ``ppid.`` serves them.
PAGE_IDS = (3, 5, 8, 13, 21, 34)
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni")


def numbered_page(n: int, day: int) -> str:
    """Return page N of the office site: a title, a date, an author and a few paragraphs."""
    paragraphs = "".join(
        f"<p>Paragraf {k} informasi publik nomor {n} tentang layanan dinas bagi warga Tuban.</p>"
        for k in range(1, 5)
    )
    return (
        f"<!doctype html><html lang=id><head><title>Informasi {n}</title></head><body>"
        f"<nav><a href='/'>Beranda</a></nav><article><h1>Informasi Publik Nomor {n}</h1>"
        f"<div class=meta><span class=date>Senin, {day} {MONTHS[day % 6]} 2024</span>"
        f" <span class=author>Admin PPID</span></div>{paragraphs}</article></body></html>"
    )


class NumberedPages(BaseHTTPRequestHandler):
    """The office site: its home page lists every page with its date; /page/<id> are its entries."""

    def do_GET(self) -> None:  # noqa: N802 (the http.server API)
        path = self.path.split("?", 1)[0]
        if path == "/":
            items = "".join(
                f"<li><a href='/page/{n}'>Informasi Publik Nomor {n}</a>"
                f" <span>{day} {MONTHS[day % 6]} 2024</span></li>"
                for day, n in enumerate(PAGE_IDS, 1)
            )
            body = f"<!doctype html><html><body><h1>PPID</h1><ul>{items}</ul></body></html>"
        elif path.startswith("/page/") and path[6:].isdigit() and int(path[6:]) in PAGE_IDS:
            body = numbered_page(int(path[6:]), PAGE_IDS.index(int(path[6:])) + 1)
        else:
            self.send_error(404)
            return
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


def entry_urls(portal: PortalServer) -> set[str]:
    return {portal.base_url + entry["path"] for entry in manifest(portal.base_url)["entries"]}


@pytest.fixture(scope="module")
def two_sites(tmp_path_factory):
    """Two portals of other themes, the second added with `sites add` before the first crawl of the first."""
    db = tmp_path_factory.mktemp("sites") / "archive.db"
    with (
        PortalServer(articles=40, seed=61, theme="wordpress") as portal,
        PortalServer(articles=30, seed=62, theme="laravel") as office,
    ):
        added = run_cli("sites", "add", office.base_url, "--db", str(db))
        ppid = ThreadingHTTPServer(("127.0.0.1", 0), NumberedPages)
        threading.Thread(target=ppid.serve_forever, daemon=True).start()
        ppid_url = f"http://127.0.0.1:{ppid.server_address[1]}"
        pages = run_cli("sites", "add", ppid_url, "--entry-pattern", "/page/<id>", "--db", str(db))
        first = crawl(db, portal.base_url)
        listed = run_cli("sites", "list", "--db", str(db))
        office.configure(faults="nolistings")
        broken = crawl(db, portal.base_url, "--full")
        ppid.shutdown()
        ppid.server_close()
        yield {
            "db": db,
            "portal": portal,
            "office": office,
            "added": added,
            "pages": pages,
            "ppid": ppid_url,
            "first": first,
            "listed": listed,
            "broken": broken,
            "portal_entries": entry_urls(portal),
            "office_entries": entry_urls(office),
        }


def test_both_sites_are_archived_each_row_with_its_site(two_sites):
    assert two_sites["added"].returncode == 0, two_sites["added"].stderr
    first = two_sites["first"]
    assert first.returncode == 0, first.stdout + first.stderr[-3000:]
    by_site: dict[str, set[str]] = {}
    for row in rows(two_sites["db"], "select url, site from articles"):
        by_site.setdefault(row["site"], set()).add(row["url"])
    portal, office = two_sites["portal"], two_sites["office"]
    assert by_site[site_of(portal.base_url)] >= two_sites["portal_entries"]
    assert by_site[site_of(office.base_url)] >= two_sites["office_entries"]
    assert by_site[two_sites["ppid"]] == {f"{two_sites['ppid']}/page/{n}" for n in PAGE_IDS}
    assert set(by_site) == {site_of(portal.base_url), site_of(office.base_url), two_sites["ppid"]}


def test_an_office_site_of_numbered_pages_is_read_by_its_own_pattern(two_sites):
    assert two_sites["pages"].returncode == 0, two_sites["pages"].stderr
    titles = rows(
        two_sites["db"],
        "select title, published_date from articles where site = ?",
        (two_sites["ppid"],),
    )
    assert sorted(r["title"] for r in titles) == sorted(
        f"Informasi Publik Nomor {n}" for n in PAGE_IDS
    )
    assert all(r["published_date"] and r["published_date"].startswith("2024-") for r in titles)


def test_the_report_has_a_line_per_site(two_sites):
    report = two_sites["first"].stdout + two_sites["first"].stderr
    for portal in (two_sites["portal"], two_sites["office"]):
        assert f"site {site_of(portal.base_url)}: ok: " in report, report[-3000:]
    runs = rows(two_sites["db"], "select report from crawl_runs order by started_at")
    sites = json.loads(runs[0]["report"])["sites"]
    assert sites[site_of(two_sites["office"].base_url)]["new"] == len(two_sites["office_entries"])


def test_sites_list_names_each_site_with_its_articles_and_last_run(two_sites):
    listed = two_sites["listed"]
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    office = site_of(two_sites["office"].base_url)
    header = next(line for line in lines if line.startswith(office))
    assert f"{len(two_sites['office_entries'])} articles archived" in header
    assert "entries /entry/<slug>" in header
    assert (
        lines[lines.index(header) + 1].startswith("  last run ")
        and ": ok" in lines[lines.index(header) + 1]
    )


def test_a_site_whose_listings_disappear_breaks_the_run_naming_it_the_others_work_kept(
    two_sites,
):
    broken = two_sites["broken"]
    office, portal = site_of(two_sites["office"].base_url), site_of(two_sites["portal"].base_url)
    assert broken.returncode == 3, broken.stdout + broken.stderr[-3000:]
    said = broken.stdout + broken.stderr
    assert re.search(
        rf"problem: site {re.escape(office)}: walked \d listing pages; the last full walk walked \d\d",
        said,
    ), said[-3000:]
    assert f"site {portal}: ok: " in said
    assert f"problem: site {portal}" not in said
    archived = {r["url"] for r in rows(two_sites["db"], "select url from articles")}
    assert two_sites["portal_entries"] | two_sites["office_entries"] <= archived


def test_a_crawl_of_a_site_not_in_the_set_is_still_refused(two_sites, tmp_path):
    with PortalServer(articles=5, seed=63) as stranger:
        refused = crawl(Path(two_sites["db"]), stranger.base_url)
        assert refused.returncode == 1
        assert "sites add" in refused.stderr and sum(stranger.hits.values()) == 0
