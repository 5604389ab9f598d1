"""End to end: the real command crawls the real test portal over loopback into a real SQLite file."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.e2e import REPO, crawl, manifest, rows
from tuban_crawler.crawl.outcome import CrawlOutcome, format_report
from tuban_crawler.places import offices
from tuban_crawler.portal import PortalServer

ARTICLES = 60
SEED_PATH = "/entry/asn-dituntut-disiplin-profesional-dan-bertanggung-jawab"
SEED_TEXT = (  # the seed's eight paragraphs, dateline and credit removed
    "Demi meningkatkan budaya kinerja yang lebih profesional di lingkungan Pemkab Tuban",
    "dalam melaksanakan tugas sehari-hari.",
)


@pytest.fixture(scope="module")
def portal():
    with PortalServer(articles=ARTICLES, seed=1, edition=1) as server:
        yield server


@pytest.fixture(scope="module")
def archived(portal, tmp_path_factory):
    """The archive after one crawl of the portal, and that crawl's result."""
    db = tmp_path_factory.mktemp("crawl") / "archive.db"
    result = crawl(db, portal.base_url)
    assert result.returncode == 0, result.stderr[-3000:]
    return db, result


def test_every_portal_entry_is_archived_once_with_its_fields(portal, archived):
    db, result = archived
    truth = manifest(portal.base_url)["entries"]
    archive = {row["url"]: row for row in rows(db, "select * from articles")}
    assert len(archive) == len(truth) == ARTICLES + 1 + sum(e["kind"] == "page" for e in truth)
    for entry in truth:
        row = archive[portal.base_url + entry["path"]]
        assert (row["kind"], row["title"]) == (entry["kind"], entry["title"]), entry["path"]
        # pages without a metadata list take the date written beside their link on a listing
        assert row["published_at"] == entry["published_iso"], entry["path"]
        if entry["has_meta_list"]:
            assert row["author"] == entry["author"], entry["path"]
            assert json.loads(row["categories"]) == (
                [entry["category"]] if entry["category"] else []
            )
            assert row["views"] == entry["views"], entry["path"]
        if entry["kind"] == "article":
            assert row["dateline"] == "Tubankab", entry["path"]
            assert row["credit"] == entry["credit"].strip("()"), entry["path"]
            assert len(row["body_text"].split("\n\n")) == entry["paragraphs"], entry["path"]
            assert (
                "Tubankab" not in row["body_text"][:12] and entry["credit"] not in row["body_text"]
            )
            assert "Disqus" not in row["body_text"] and "Sumber :" not in row["body_text"]
    assert "run" in result.stdout and ": ok" in result.stdout


def test_the_seed_row_is_exact(portal, archived):
    db, _ = archived
    [row] = rows(db, "select * from articles where url = ?", (portal.base_url + SEED_PATH,))
    assert row["title"] == "ASN DITUNTUT DISIPLIN, PROFESIONAL DAN BERTANGGUNG JAWAB"
    assert row["published_at"] == "2017-07-26T13:24:00+07:00"
    assert row["published_raw"] == "26 July 2017 13:24"
    assert (row["author"], json.loads(row["categories"]), row["views"]) == (
        "Yolency",
        ["Kegiatan Pemerintahan"],
        628,
    )
    assert (row["dateline"], row["credit"], row["kind"]) == (
        "Tubankab",
        "chusnul huda/hei",
        "article",
    )
    paragraphs = row["body_text"].split("\n\n")
    assert len(paragraphs) == 8
    assert paragraphs[0].startswith(SEED_TEXT[0]) and paragraphs[-1].endswith(SEED_TEXT[1])
    mentioned = rows(
        db,
        "select mentioned_date from mentioned_dates where url = ? order by position",
        (row["url"],),
    )
    assert {"2017-07-26", "2017-07-28"} <= {m["mentioned_date"] for m in mentioned}


def office_ids_by_name() -> dict[str, str]:
    """Return every name, former name, alias and abbreviation of the regency's offices (lower case) → office_id."""
    names: dict[str, str] = {}
    for office in offices():
        for name in (office.name, office.abbreviation, *office.former_names, *office.aliases):
            if name:
                names.setdefault(name.lower(), office.office_id)
    return names


def test_the_places_and_offices_of_every_entry_are_the_ones_the_portal_wrote(portal, archived):
    db, _ = archived
    truth = manifest(portal.base_url)["entries"]
    places: dict[str, set] = {}
    for row in rows(db, "select article_url, kind, name, kecamatan, version from article_places"):
        places.setdefault(row["article_url"], set()).add(
            (row["kind"], row["name"], row["kecamatan"])
        )
        assert row["version"] == 1
    offices_found: dict[str, set] = {}
    for row in rows(db, "select article_url, office_id from article_offices"):
        offices_found.setdefault(row["article_url"], set()).add(row["office_id"])
    ids = office_ids_by_name()
    unknown = set()
    for entry in truth:
        url = portal.base_url + entry["path"]
        assert places.get(url, set()) == {tuple(p) for p in entry["places"]}, entry["path"]
        expected = {ids[name.lower()] for name in entry["offices"] if name.lower() in ids}
        assert offices_found.get(url, set()) == expected, entry["path"]
        if entry["index"] is not None:  # generated text names only offices the gazetteer lists
            assert all(name.lower() in ids for name in entry["offices"]), entry["path"]
        else:
            unknown |= {name for name in entry["offices"] if name.lower() not in ids}
    # The tables are full: most articles name a place and an office.
    assert len(places) > len(truth) / 2 and len(offices_found) > len(truth) / 2
    assert "Sekretariat Daerah" not in unknown


def test_aliases_never_make_a_second_row(portal, archived):
    db, _ = archived
    urls = [row["url"] for row in rows(db, "select url from articles")]
    assert all("?" not in url and "#" not in url and not url.endswith("/") for url in urls)
    assert all(url.startswith(portal.base_url + "/entry/") for url in urls)
    assert len(set(urls)) == len(urls)


def test_full_text_search_finds_the_seed(portal, archived):
    db, _ = archived
    found = rows(
        db,
        "select articles.url from articles join articles_fts on articles.rowid = articles_fts.rowid "
        "where articles_fts match ?",
        ("disiplin",),
    )
    assert portal.base_url + SEED_PATH in {row["url"] for row in found}


def test_a_run_is_recorded_with_its_counts(archived):
    db, _ = archived
    [run] = rows(db, "select * from crawl_runs")
    assert run["status"] == "ok" and run["finished_at"] >= run["started_at"]
    assert run["new"] == len(rows(db, "select url from articles"))
    assert run["requests"] >= run["new"] and run["failed"] == 0


def test_recrawl_adds_nothing_and_growth_adds_exactly_k(portal, archived, tmp_path):
    db, _ = archived
    before = len(rows(db, "select url from articles"))
    again = crawl(db, portal.base_url)
    assert again.returncode == 0, again.stderr[-3000:]
    assert len(rows(db, "select url from articles")) == before

    grown = 7
    portal.configure(articles=ARTICLES + grown)
    try:
        result = crawl(db, portal.base_url)
    finally:
        portal.configure(articles=ARTICLES)
    assert result.returncode == 0, result.stderr[-3000:]
    assert len(rows(db, "select url from articles")) == before + grown
    last = rows(db, "select * from crawl_runs order by started_at desc, rowid desc limit 1")[0]
    assert (last["mode"], last["new"]) == ("incremental", grown)


def scrapy(*args, cwd=REPO):
    return subprocess.run(
        [sys.executable, "-m", "scrapy.cmdline", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=240,
    )


def test_scrapy_crawl_works_from_the_repository_root_and_exports_only_articles(portal, tmp_path):
    db, out = tmp_path / "scrapy.db", tmp_path / "out.jsonl"
    done = scrapy(
        "crawl",
        "tuban",
        "-a",
        f"base_url={portal.base_url}",
        "-s",
        f"ARCHIVE_DB={db}",
        "-s",
        f"WARC_DIR={tmp_path / 'warc'}",
        "-s",
        "DOWNLOAD_DELAY=0",
        "-s",
        "AUTOTHROTTLE_ENABLED=False",
        "-s",
        "CONCURRENT_REQUESTS_PER_DOMAIN=16",
        "-s",
        "LOG_LEVEL=WARNING",
        "-O",
        str(out),
    )
    assert done.returncode == 0, done.stderr[-3000:]
    entries = {portal.base_url + e["path"] for e in manifest(portal.base_url)["entries"]}
    assert len(rows(db, "select url from articles")) == len(entries)
    # -O gets the articles only: the bookkeeping items (links found, failures, 304s) stay inside the crawl.
    items = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(items) == len(entries) and {item["url"] for item in items} == entries


def test_scrapy_crawl_keeps_the_archives_protections(portal, archived, tmp_path):
    db, _ = archived
    warc = db.parent / "warc"
    files_before = sorted(path.name for path in warc.iterdir())
    index_before = (warc / "index.cdxj").read_bytes()
    runs_before = rows(db, "select run_id from crawl_runs")
    # issue 19: `scrapy crawl` into another archive wrote its WARC file into this one's folder
    other = tmp_path / "other" / "other.db"
    refused = scrapy(
        "crawl",
        "tuban",
        "-a",
        f"base_url={portal.base_url}",
        "-s",
        f"ARCHIVE_DB={other}",
        "-s",
        f"WARC_DIR={warc}",
    )
    assert refused.returncode == 1, refused.stderr[-3000:]
    errors = [line for line in refused.stderr.splitlines() if "] ERROR:" in line]
    assert len(errors) == 1 and "holds the WARC files of another archive" in errors[0]
    assert not other.parent.exists()  # nothing created, nothing claimed
    # and into this archive, another site
    refused = scrapy(
        "crawl", "tuban", "-a", "base_url=http://127.0.0.1:9", "-s", f"ARCHIVE_DB={db}"
    )
    assert refused.returncode == 1, refused.stderr[-3000:]
    assert "is the archive of 127.0.0.1:" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert sorted(path.name for path in warc.iterdir()) == files_before
    assert (warc / "index.cdxj").read_bytes() == index_before
    assert rows(db, "select run_id from crawl_runs") == runs_before


@pytest.mark.parametrize(
    "command",
    [
        ["parse", "--spider", "tuban", "-c", "parse_entry"],
        # --spider: with the project's spider, its pipelines and middlewares (and, on Scrapy 2.14, without
        # it `shell`/`fetch` trip over allowed_domains being a property of the spider)
        ["shell", "--spider", "tuban", "-c", "response.status"],
        ["fetch", "--spider", "tuban", "--nolog"],
        # as the README shows them
        ["shell", "-c", "response.status"],
        ["fetch", "--nolog"],
    ],
)
def test_scrapy_commands_that_look_at_a_page_write_nothing(portal, tmp_path, command):
    url = portal.base_url + SEED_PATH
    done = scrapy(
        *command,
        url,
        "-s",
        f"ARCHIVE_DB={tmp_path / 'a.db'}",
        "-s",
        f"WARC_DIR={tmp_path / 'warc'}",
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert list(tmp_path.iterdir()) == []
    # issue 19: `parse` ended in KeyError: 'canonical_url' (exit 0, no item)
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    if command[0] == "parse":
        assert "'title': 'ASN DITUNTUT DISIPLIN" in done.stdout


def test_robots_txt_is_obeyed(portal, tmp_path):
    # the portal's robots.txt disallows /admin/: a start path there is never requested
    result = crawl(
        tmp_path / "robots.db", portal.base_url, "-s", "TUBAN_START_PATHS=/berita,/admin/berita"
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert portal.hits["/robots.txt"] >= 1
    assert not [path for path in portal.hits if path.startswith("/admin")]


def test_stats_reports_what_the_archive_holds(portal, archived):
    db, _ = archived
    done = subprocess.run(
        [sys.executable, "-m", "tuban_crawler.cli", "stats", "--db", str(db)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    # (an earlier test grew the portal: count what the archive holds, by kind)
    kinds = {
        row["kind"]: row["n"]
        for row in rows(db, "select kind, count(*) as n from articles group by kind")
    }
    assert (summary["articles"], summary["pages"]) == (kinds["article"], kinds["page"])
    assert summary["pages"] == sum(
        e["kind"] == "page" for e in manifest(portal.base_url)["entries"]
    )
    assert summary["last_run"]["status"] == "ok" and summary["last_run"]["report"]["problems"] == []


def test_extract_reads_a_live_page(portal):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tuban_crawler.cli",
            "extract",
            portal.base_url + SEED_PATH + "/?utm_source=x",
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    fields = json.loads(done.stdout)["fields"]
    assert fields["title"]["value"] == "ASN DITUNTUT DISIPLIN, PROFESIONAL DAN BERTANGGUNG JAWAB"
    assert (fields["views"]["value"], fields["views"]["source"]) == (628, "legacy")


def test_plain_datasette_serves_the_archive_and_finds_the_seed(portal, archived):
    db, _ = archived
    command = [
        sys.executable,
        "-m",
        "datasette",
        str(db),
        "--get",
        "/archive/articles.json?_search=disiplin&_shape=objects",
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert portal.base_url + SEED_PATH in {row["url"] for row in json.loads(done.stdout)["rows"]}


def test_the_summary_is_in_plain_words():
    report = {
        "mode": "backfill",
        "finish_reason": "finished",
        "requests": 1677,
        "new": 1505,
        "updated": 0,
        "unchanged": 0,
        "gone": 0,
        "failed": 0,
        "entries_discovered": 12815,
        "coverage_title": 1.0,
        "coverage_published": 1.0,
        "responses_by_status": {"200": 1677},
        "problems": [],
    }
    text = format_report(CrawlOutcome("r1", "ok", 0, report))
    assert "1,505 new articles archived" in text
    assert "12,815 links to articles seen, 11,310 of them duplicates of those" in text
    assert (
        "a walk of the whole site (until one walk has finished, every run walks everything)" in text
    )
    assert "(backfill, finished)" not in text and "a title 100%, a date 100%" in text


def test_a_run_nothing_answered_is_not_blamed_on_the_layout():
    report = {
        "mode": "incremental",
        "finish_reason": "finished",
        "requests": 20,
        "responses_by_status": {},
        "problems": [
            "no article was discovered (are the start paths, sitemap and feeds still right?)"
        ],
    }
    text = format_report(CrawlOutcome("r2", "broken", 3, report))
    assert (
        "the portal answered none of the 20 requests: is it up, and is the address right?" in text
    )
