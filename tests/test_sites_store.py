"""The archive's sites (store/sites.py, m015_sites) and the ``sites`` commands (cli/sites.py)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import run_cli
from tuban_crawler.crawl.ownership import claim, refusal
from tuban_crawler.discover.sites import new_site
from tuban_crawler.store.archive import ArchiveStore
from tuban_crawler.store.sites import add_site, read_sites, remove_site, site_summaries

PORTAL = "https://tubankab.go.id"


def article(url: str) -> dict:
    return {
        "url": url,
        "kind": "article",
        "title": "Bupati meninjau jalan",
        "published_at": "2026-11-01T09:00:00+07:00",
        "body_text": f"Teks berita {url}.",
        "content_hash": url,
    }


def fetch() -> dict:
    return {"fetched_at": "2026-11-01T00:00:00+00:00", "status": 200}


def test_m015_fills_the_site_of_an_archive_written_before_it_and_records_its_first_site(tmp_path):
    path = tmp_path / "archive.db"
    with ArchiveStore(path) as store:
        store.start_run("run1", "backfill", "https://www.tubankab.go.id")
        store.save_article(article(f"{PORTAL}/entry/a"), fetch(), "run1")
        store.save_article(article("https://diskominfo.tubankab.go.id/entry/b"), fetch(), "run1")
        store.finish_run("run1", "ok", {}, {"new": 2, "problems": [], "coverage_title": 1.0})
        # the archive as m014 left it
        store.db.execute("drop table sites")
        store.db.execute("drop index if exists idx_articles_site_published_at")
        store.db.execute("alter table articles drop column site")
        store.db.execute("delete from _sqlite_migrations where name = 'm015_sites'")
    with ArchiveStore(path) as store:
        assert sorted(store.db.execute("select url, site from articles").fetchall()) == [
            ("https://diskominfo.tubankab.go.id/entry/b", "https://diskominfo.tubankab.go.id"),
            (f"{PORTAL}/entry/a", PORTAL),
        ]
        assert [s.origin for s in read_sites(store.db)] == [PORTAL]
        # its last run, recorded before runs reported by site, is its first site's
        (summary,) = site_summaries(store.db)
        assert (summary.articles, summary.last_status, summary.coverage["reached"]) == (1, "ok", 2)
        assert "site" in {i.columns[0] for i in store.db.table("articles").indexes}
        # a new row gets its site as it is written
        store.save_article(article("http://127.0.0.1:8123/entry/c"), fetch(), "run2")
        assert store.db.execute(
            "select site from articles where url = 'http://127.0.0.1:8123/entry/c'"
        ).fetchone() == ("http://127.0.0.1:8123",)


def test_a_site_added_again_is_changed_not_doubled_and_removed_its_articles_stay(tmp_path):
    with ArchiveStore(tmp_path / "archive.db") as store:
        assert add_site(store.db, new_site("https://ppid.tubankab.go.id"), "2026-12-01")
        assert not add_site(
            store.db, new_site("http://www.ppid.tubankab.go.id", "/page/<id>"), "2026-12-02"
        )
        (site,) = read_sites(store.db)
        assert (site.origin, site.entry.text) == ("http://ppid.tubankab.go.id", "/page/<id>")
        store.save_article(article("http://ppid.tubankab.go.id/page/3"), fetch(), "run1")
        assert [(s.site.origin, s.articles, s.last_run) for s in site_summaries(store.db)] == [
            ("http://ppid.tubankab.go.id", 1, None)
        ]
        assert remove_site(store.db, "https://ppid.tubankab.go.id") == site
        assert read_sites(store.db) == [] and store.db.table("articles").count == 1


def test_an_archive_belongs_to_its_set_of_sites(tmp_path):
    path = tmp_path / "archive.db"
    office = "http://127.0.0.1:8124"
    # sites added before the first crawl: the archive is nobody's yet
    assert run_cli("sites", "add", office, "--db", str(path)).returncode == 0
    assert refusal(path, PORTAL, None) is None
    with ArchiveStore(path) as store:
        claim(store, PORTAL, None)
        assert [s.origin for s in read_sites(store.db)] == [office, PORTAL]
        store.start_run("run1", "backfill", PORTAL)
    assert refusal(path, office, None) is None  # one of its sites
    refused = refusal(path, "http://127.0.0.1:9999", None)
    assert refused and "sites add http://127.0.0.1:9999" in refused
    assert refusal(path, "http://127.0.0.1:9999", None, other_site=True) is None


# -- the commands ------------------------------------------------------------------------------
def test_sites_add_and_list_say_what_each_site_is(tmp_path):
    db = str(tmp_path / "archive.db")
    added = run_cli(
        "sites", "add", "https://www.ppid.tubankab.go.id/x", "--entry-pattern", "/page/<id>",
        "--start", "/informasi", "--feed", "/rss.xml", "--db", db,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert added.stdout.startswith("added https://ppid.tubankab.go.id to ")
    listed = run_cli("sites", "list", "--db", db)
    assert listed.returncode == 0
    assert listed.stdout.splitlines() == [
        "https://ppid.tubankab.go.id  entries /page/<id>  0 articles archived",
        "  last run: never crawled",
        "  start /informasi; sitemaps (the project's defaults); feeds /rss.xml",
    ]
    (site,) = json.loads(run_cli("sites", "list", "--json", "--db", db).stdout)
    assert site["start_paths"] == ["/informasi"] and site["last_run"] is None


def test_adding_a_site_to_a_finished_archive_makes_the_next_run_walk_every_site(tmp_path):
    path = tmp_path / "archive.db"
    with ArchiveStore(path) as store:
        store.set_state("backfill_complete", "run1")
    added = run_cli("sites", "add", "http://127.0.0.1:8125", "--db", str(path))
    assert "walks every site" in added.stdout
    with ArchiveStore(path) as store:
        assert store.get_state("backfill_complete") is None


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["add", "tubankab.go.id"], "is not a web address"),
        (["add", "http://x.go.id", "--entry-pattern", "/berita"], "has no <slug> or <id>"),
        (["add", "http://x.go.id", "--entry-pattern", "re:("], "is not a regular expression"),
        (["add", "http://x.go.id", "--sitemap", "ftp://x.go.id/s.xml"], "is not a web address"),
        (["remove", "http://nowhere.go.id"], "is not a site of"),
    ],
)
def test_bad_input_is_one_clear_line_and_exit_2(tmp_path, args, says):
    db = str(tmp_path / "archive.db")
    assert run_cli("sites", "add", "http://127.0.0.1:8127", "--db", db).returncode == 0
    result = run_cli("sites", *args, "--db", db)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and says in result.stderr, result.stderr


def test_a_file_that_is_not_an_archive_is_refused_untouched(tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("not an archive\n")
    for args in (["add", "http://x.go.id"], ["remove", "http://x.go.id"], ["list"]):
        result = run_cli("sites", *args, "--db", str(text))
        assert result.returncode == 1 and result.stderr.count("\n") == 1, result.stderr
    assert text.read_text() == "not an archive\n"


def test_the_only_site_is_not_removed(tmp_path):
    db = str(tmp_path / "archive.db")
    run_cli("sites", "add", "http://127.0.0.1:8126", "--db", db)
    result = run_cli("sites", "remove", "http://127.0.0.1:8126", "--db", db)
    assert result.returncode == 2 and "only site" in result.stderr
    assert "127.0.0.1:8126" in run_cli("sites", "list", "--db", db).stdout


# -- the run report's line per site (store/sitereport.py) -------------------------------------
THRESHOLDS = {
    "min_title_coverage": 0.9,
    "min_date_coverage": 0.8,
    "min_body_coverage": 0.9,
    "min_share_of_history": 0.7,
    "max_failed_share": 0.1,
}
A, B = "http://127.0.0.1:8001", "http://127.0.0.1:8002"
LAST_WALK = {"last_walk": {"hub_pages": {f"{A}/berita": 10, f"{B}/berita": 6, f"{B}/x": 1}}}


def stats_of(mode: str, b_pages: int, b_discovered: int) -> dict:
    return {
        "tuban/mode": mode,
        "tuban/sites": [A, B],
        f"site/{A}/discovered": 40,
        f"site/{B}/discovered": b_discovered,
        f"site/{A}/new": 3,
        "tuban/walk/sites": {
            A: {"listing_pages": 10, "announced": 40, "unreached": 0},
            B: {"listing_pages": b_pages, "announced": 0, "unreached": 0},
        },
    }


def test_a_site_that_lost_its_listings_in_a_full_walk_is_named_the_other_is_not():
    from tuban_crawler.store.sitereport import site_reports

    reports = site_reports(stats_of("full", 1, 30), LAST_WALK, THRESHOLDS, False)
    assert reports[A]["problems"] == [] and reports[A]["new"] == 3
    assert reports[B]["problems"] == [
        "walked 1 listing pages; the last full walk walked 7 "
        "(have its listings moved or stopped showing their articles?)"
    ]
    # a nightly run that asked a site for nothing, or was cut short, says nothing of it
    assert (
        site_reports(stats_of("incremental", 0, 0), LAST_WALK, THRESHOLDS, False)[B]["problems"]
        == []
    )
    assert site_reports(stats_of("full", 0, 0), LAST_WALK, THRESHOLDS, True)[B]["problems"] == []
    assert "no article was discovered" in " ".join(
        site_reports(stats_of("full", 7, 0), LAST_WALK, THRESHOLDS, False)[B]["problems"]
    )
