"""Nightly archiving against the test portal: incremental runs, history, faults, kills, the lock."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from types import SimpleNamespace

import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.e2e import REPO, crawl_command, manifest, rows
from tests.e2e import crawl as e2e_crawl
from tuban_crawler.portal import PortalServer


def archived_urls(db: Path) -> list[str]:
    return [row["url"] for row in rows(db, "select url from articles")]


def expected_urls(portal: PortalServer) -> set[str]:
    return {portal.base_url + entry["path"] for entry in manifest(portal.base_url)["entries"]}


def last_run(db: Path) -> dict:
    return rows(db, "select * from crawl_runs order by started_at desc, rowid desc limit 1")[0]


# These nights count articles and listings; page requisites (a photo per article) have
# their own tests (test_requisites.py, test_replay.py) and would double a backfill's time.
NO_REQUISITES = ("-s", "TUBAN_REQUISITES_ENABLED=False")


def crawl(db: Path, base_url: str, *args: str) -> object:
    return e2e_crawl(db, base_url, *NO_REQUISITES, *args)


def start_crawl(db: Path, base_url: str, *args: str) -> subprocess.Popen:
    command = crawl_command(db, base_url, *NO_REQUISITES, *args)
    return subprocess.Popen(
        command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def count_when_ready(db: Path) -> int:
    try:
        connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return connection.execute("select count(*) from articles").fetchone()[0]
        finally:
            connection.close()
    except sqlite3.Error:
        return 0


def kill_when(process: subprocess.Popen, db: Path, articles: int, timeout: float = 120) -> int:
    """SIGKILL PROCESS once DB holds at least ARTICLES rows; return how many it held."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        held = count_when_ready(db)
        if held >= articles:
            break
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.communicate()
    return count_when_ready(db)


# -- incremental runs -------------------------------------------------------------------
@pytest.fixture(scope="module")
def big_archive(tmp_path_factory):
    """A portal of 300 articles and its archive after one backfill.

    300 is enough to tell a night from a walk (about 50 requests against 600); the cost of a
    night on a portal of the real site's size is measured in benchmarks/.
    """
    db = tmp_path_factory.mktemp("nightly") / "archive.db"
    with PortalServer(articles=300, seed=3, edition=1) as portal:
        result = crawl(db, portal.base_url)
        assert result.returncode == 0, result.stderr[-3000:]
        yield portal, db


def test_the_next_night_fetches_only_what_is_new_or_recent(big_archive):
    portal, db = big_archive
    assert len(archived_urls(db)) == len(expected_urls(portal))
    truth = sorted(
        (e for e in manifest(portal.base_url)["entries"] if e["published_iso"]),
        key=lambda e: e["published_iso"],
    )
    # A revisit window holding the 30 newest articles (the portal's clock stops in 2026).
    oldest_recent = datetime.fromisoformat(truth[-30]["published_iso"])
    days = (datetime.now(timezone.utc) - oldest_recent).total_seconds() / 86400 + 0.01
    recent = {portal.base_url + e["path"] for e in truth[-30:]}

    portal.configure(articles=320, edition=2)
    result = crawl(db, portal.base_url, "--revisit-days", f"{days:.4f}")
    assert result.returncode == 0, result.stderr[-3000:]
    run = last_run(db)
    assert (run["mode"], run["new"]) == ("incremental", 20)
    # robots.txt and two listing pages (the 20 new, then archived ones): no feed, sitemap or home page
    assert run["requests"] <= 20 + len(recent) + 3, run
    edited = {
        portal.base_url + e["path"]
        for e in manifest(portal.base_url)["entries"]
        if e["edited_in_edition"]
    }
    versions = {row["url"] for row in rows(db, "select url from article_versions")}
    assert versions == edited & recent and versions
    assert run["updated"] == len(versions)
    # every revisit recorded the view counter it saw, which grew since edition 1
    for url in recent:
        counts = [
            r["views"]
            for r in rows(
                db, "select views from view_counts where url = ? order by seen_at", (url,)
            )
        ]
        assert len(counts) == 2 and counts[1] > counts[0], url
    assert len(archived_urls(db)) == len(expected_urls(portal))

    # The night after, nothing changed: the revisits are conditional and answered 304.
    result = crawl(db, portal.base_url, "--revisit-days", f"{days:.4f}")
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(last_run(db)["report"])
    assert (report["new"], report["updated"]) == (0, 0)
    assert report["not_modified"] >= len(recent) and report["responses_by_status"].get(
        "304", 0
    ) >= len(recent)


def night_hits(portal: PortalServer, db: Path, *args: str, code: int = 0) -> dict[str, int]:
    """Return {path: requests} of the discovery pages (not entries) one incremental night (exiting CODE) asked for."""
    before = portal.hits.copy()
    result = crawl(db, portal.base_url, *args)
    assert result.returncode == code, result.stderr[-3000:]
    assert last_run(db)["mode"] == "incremental"
    return {path: n for path, n in (portal.hits - before).items() if not path.startswith("/entry/")}


def test_a_night_with_several_new_listing_pages_finds_every_new_article(tmp_path):
    db = tmp_path / "archive.db"
    with PortalServer(articles=200, seed=21) as portal:
        assert crawl(db, portal.base_url).returncode == 0
        portal.configure(articles=255)  # 55 new: listing pages 1 and 2 new, page 3 half new
        hits = night_hits(portal, db)
        assert set(archived_urls(db)) == expected_urls(portal)
        assert last_run(db)["new"] == 55
        # robots.txt once (shared by the robots middleware and the Sitemap: lines), the listing
        # up to its first page of archived articles, and nothing else
        assert hits == {
            "/robots.txt": 1,
            "/berita": 1,
            "/berita?page=2": 1,
            "/berita?page=3": 1,
            "/berita?page=4": 1,
        }, hits
        # the night after, nothing new: one listing page
        assert night_hits(portal, db) == {"/robots.txt": 1, "/berita": 1}


def test_a_night_whose_listings_fall_behind_asks_the_feeds_and_sitemaps(tmp_path):
    db = tmp_path / "archive.db"
    with PortalServer(articles=120, seed=22) as portal:
        assert crawl(db, portal.base_url).returncode == 0
        portal.configure(
            articles=130, faults="nolistings"
        )  # the listings stop showing their articles
        hits = night_hits(portal, db, code=3)  # broken: the listings lost their articles
        assert {"/rss", "/sitemap.xml", "/"} <= set(hits), hits
        assert "/feed" not in hits  # it answered 404 a night ago: not asked again this week
        assert set(archived_urls(db)) == expected_urls(
            portal
        )  # found through the feed and the sitemap
        report = json.loads(last_run(db)["report"])
        assert any("lists no articles now" in problem for problem in report["problems"]), report[
            "problems"
        ]


def test_sources_due_again_are_asked_conditionally_and_404s_again(tmp_path):
    db = tmp_path / "archive.db"
    with PortalServer(articles=60, seed=23) as portal:
        assert crawl(db, portal.base_url).returncode == 0
        recheck = (
            "-s",
            "TUBAN_SOURCES_RECHECK_DAYS=0",
            "--revisit-days",
            "0",
        )  # no revisit answers 304
        assert {"/rss", "/feed", "/sitemap.xml", "/"} <= set(night_hits(portal, db, *recheck))
        report = json.loads(last_run(db)["report"])
        assert (
            report["responses_by_status"].get("304", 0) >= 2
        )  # the feed and the sitemap had not changed
        assert report["responses_by_status"].get("404", 0) == 1  # /feed, asked again when due


# -- failures, gone pages, history --------------------------------------------------------
def test_faults_are_recorded_retried_first_and_cleared(tmp_path):
    db = tmp_path / "archive.db"
    with PortalServer(articles=60, seed=2, faults="chaos") as portal:
        permanent = set(portal.fault_paths["500"])
        result = crawl(db, portal.base_url, "-s", "RETRY_TIMES=2")
        assert result.returncode == 0, result.stderr[-3000:]
        failures = {row["url"]: row for row in rows(db, "select * from failures")}
        assert set(failures) == {portal.base_url + p for p in permanent}
        assert all(f["reason"] == "HTTP 500" and f["attempts"] == 1 for f in failures.values())
        # every other fault (503, 429, slow, dropped, truncated, wrong charset) was overcome
        assert set(archived_urls(db)) == expected_urls(portal) - set(failures)
        charset_victim = portal.base_url + portal.fault_paths["charset"][0]
        [row] = rows(db, "select title, body_text from articles where url = ?", (charset_victim,))
        assert "Ã" not in row["title"] + row["body_text"]
        assert not any("example.org" in u or "/agenda" in u for u in archived_urls(db))
        # the hostile article is archived, readable, and holds nothing that could run
        [hostile] = rows(
            db,
            "select * from articles where url = ?",
            (portal.base_url + portal.fault_paths["hostile"][0],),
        )
        assert "Informasi lebih lanjut hubungi kantor kecamatan." in hostile["body_text"]
        assert (hostile["dateline"], hostile["credit"]) != (None, None)
        for payload in (
            "<script",
            "onerror",
            "javascript:",
            "<iframe",
            "style=",
            "onmouseover",
            "__pwned",
        ):
            assert payload not in hostile["body_html"].lower()

        again = crawl(db, portal.base_url)
        assert again.returncode == 0
        assert {r["attempts"] for r in rows(db, "select attempts from failures")} == {2}

        portal.configure(faults=None)
        healed = crawl(db, portal.base_url)
        assert healed.returncode == 0
        assert rows(db, "select * from failures") == []
        assert set(archived_urls(db)) == expected_urls(portal)


def changes_command(db: Path, *args: str) -> subprocess.CompletedProcess:
    """Return the result of ``tuban-crawler changes --db DB ARGS`` run in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "tuban_crawler.cli", "changes", "--db", str(db), *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )


@pytest.fixture(scope="module")
def edition_two(tmp_path_factory):
    """A 40-article portal crawled in edition 1, in full in edition 2, then in full again unchanged.

    Returns what each step left: the archive, edition 2's manifest, the URLs archived before,
    the digests ``changes --since-last-run`` printed after the second and the third crawl, and
    the change rows after each.
    """
    db = tmp_path_factory.mktemp("edition_two") / "archive.db"
    with PortalServer(articles=40, seed=4, edition=1) as portal:
        assert crawl(db, portal.base_url).returncode == 0
        before = set(archived_urls(db))
        portal.configure(edition=2)
        truth = manifest(portal.base_url)["entries"]
        result = crawl(db, portal.base_url, "--full")
        assert result.returncode == 0, result.stderr[-3000:]
        digest = changes_command(db, "--since-last-run", "--format", "json")
        changes = rows(db, "select * from article_changes order by id")
        again = crawl(db, portal.base_url, "--full")
        assert again.returncode == 0, again.stderr[-3000:]
        quiet = changes_command(db, "--since-last-run")
        changes_after = rows(db, "select * from article_changes order by id")
    truth = [{**e, "url": portal.base_url + e["path"]} for e in truth]
    return SimpleNamespace(
        db=db,
        truth=truth,
        before=before,
        digest=digest,
        changes=changes,
        quiet=quiet,
        changes_after=changes_after,
    )


def test_a_full_run_keeps_history_and_marks_withdrawn_articles_gone(edition_two):
    db, truth = edition_two.db, edition_two.truth
    withdrawn = {e["url"]: e["withdrawn_status"] for e in truth if e["withdrawn"]}
    gone = {row["url"]: row for row in rows(db, "select * from articles where gone_at is not null")}
    assert set(gone) == set(withdrawn) and len(gone) == 2
    assert set(archived_urls(db)) == edition_two.before  # nothing deleted
    assert all(row["title"] and row["body_text"] for row in gone.values())
    edited = {e["url"] for e in truth if e["edited_in_edition"]}
    versions = rows(db, "select url, version, body_text from article_versions")
    assert {v["url"] for v in versions} == edited
    for version in versions:
        [current] = rows(
            db, "select version, body_text from articles where url = ?", (version["url"],)
        )
        assert (
            current["version"] == version["version"] + 1
            and current["body_text"] != version["body_text"]
        )


def test_every_edit_new_title_and_withdrawal_has_its_change_row_with_the_manifests_counts(
    edition_two,
):
    truth, changes = edition_two.truth, edition_two.changes
    by_url = {change["url"]: change for change in changes}
    assert len(by_url) == len(changes)  # one change per article in one run
    changed = [e for e in truth if e["edited_in_edition"] or e["withdrawn"]]
    assert set(by_url) == {e["url"] for e in changed}
    assert any(e["retitled_in_edition"] for e in changed)
    for entry in changed:
        change = by_url[entry["url"]]
        if entry["withdrawn"]:
            assert (change["kinds"], change["to_version"]) == ("removed", None), change
            assert change["line"].startswith("removed from the portal"), change
            continue
        counts = entry["edit_counts"]
        assert "edited" in change["kinds"].split(), change
        assert (
            change["words_added"],
            change["words_removed"],
            change["paragraphs_added"],
            change["paragraphs_edited"],
            change["paragraphs_removed"],
        ) == (
            counts["words_added"],
            counts["words_removed"],
            counts["paragraphs_added"],
            counts["paragraphs_edited"],
            0,
        ), (change, counts)
        assert f"{counts['words_added']} words added" in change["line"], change
        assert ("retitled" in change["kinds"].split()) == entry["retitled_in_edition"], change
        if entry["retitled_in_edition"]:
            assert change["line"].startswith("title changed; body: "), change
            assert change["title"] == entry["title"] != entry["previous_title"]


def test_changes_since_the_last_run_lists_exactly_those_and_a_quiet_night_prints_nothing(
    edition_two,
):
    digest = edition_two.digest
    assert digest.returncode == 0, digest.stderr
    listed = json.loads(digest.stdout)
    assert sorted(c["url"] for c in listed) == sorted(c["url"] for c in edition_two.changes)
    assert all(c["line"] and c["kinds"] for c in listed)
    # The third crawl found nothing new: no change row, and nothing for cron to mail.
    assert edition_two.changes_after == edition_two.changes
    assert (edition_two.quiet.returncode, edition_two.quiet.stdout) == (0, "")
    assert edition_two.quiet.stderr == ""


# -- interruptions ---------------------------------------------------------------------
def test_a_backfill_killed_again_and_again_finishes_with_nothing_lost_or_doubled(tmp_path):
    db = tmp_path / "archive.db"
    with PortalServer(articles=300, seed=5) as portal:
        expected = expected_urls(portal)
        held = []
        # kill points: at start-up, early, halfway and near the end of a first backfill
        for articles in (0, 25, 150, 280):
            held.append(kill_when(start_crawl(db, portal.base_url), db, articles))
        assert sum(1 for h in held if h < len(expected)) >= 3, held  # the kills did interrupt
        result = crawl(db, portal.base_url)
        assert result.returncode == 0, result.stderr[-3000:]
        urls = archived_urls(db)
        assert len(urls) == len(set(urls)) and set(urls) == expected
        assert rows(db, "select count(*) as n from frontier") == [{"n": 0}]
        [integrity] = rows(db, "pragma integrity_check")
        assert list(integrity.values()) == ["ok"]
        # the next night is incremental again
        assert crawl(db, portal.base_url).returncode == 0
        assert last_run(db)["mode"] == "incremental"
    files = [str(path) for path in (db.parent / "warc").glob("*.warc.gz")]
    check = subprocess.run(
        [sys.executable, "-c", "from warcio.cli import main; main()", "check", *files],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert not list((db.parent / "warc").glob("*.open"))


def test_every_article_row_is_traced_to_its_warc_record(tmp_path):
    db = tmp_path / "archive.db"
    with PortalServer(articles=20, seed=6) as portal:
        assert crawl(db, portal.base_url).returncode == 0
    warc = db.parent / "warc"
    fetches = rows(
        db,
        "select a.url, f.fetched_url, f.warc_filename, f.warc_offset, f.payload_digest from articles a "
        "join fetches f on f.url = a.url",
    )
    assert len({f["url"] for f in fetches}) == len(archived_urls(db))
    for fetch in fetches:
        with open(warc / fetch["warc_filename"], "rb") as stream:
            stream.seek(fetch["warc_offset"])
            record = next(iter(ArchiveIterator(stream)))
            assert record.rec_type in ("response", "revisit")
            assert record.rec_headers.get_header("WARC-Target-URI") == fetch["fetched_url"]
            assert record.rec_headers.get_header("WARC-Payload-Digest") == fetch["payload_digest"]


def test_a_paused_full_backfill_resumes_fetching_each_article_once(tmp_path):
    db = tmp_path / "archive.db"
    with PortalServer(articles=200, seed=7) as portal:
        first = start_crawl(
            db, portal.base_url, "--full", "--resume", "-s", "CONCURRENT_REQUESTS=2"
        )
        while count_when_ready(db) < 30 and first.poll() is None:
            time.sleep(0.05)
        first.send_signal(signal.SIGINT)  # a graceful stop: Scrapy keeps its queue in JOBDIR
        first.communicate(timeout=60)
        assert first.returncode == 4 and last_run(db)["status"] == "interrupted"
        assert Path(f"{db}.jobdir").is_dir()
        before = len(archived_urls(db))
        result = crawl(db, portal.base_url, "--full", "--resume")
        assert result.returncode == 0, result.stderr[-3000:]
        expected = expected_urls(portal)
        assert set(archived_urls(db)) == expected
    # Issue 19: the archive's frontier and the paused queue held the same entries, and the
    # resumed run fetched both (most articles twice, reported as new and again as unchanged).
    resumed = last_run(db)["run_id"]
    twice = rows(
        db,
        "select url, count(*) as n from fetches where run_id = ? group by url having n > 1",
        (resumed,),
    )
    assert twice == []
    report = json.loads(last_run(db)["report"])
    assert report["new"] == len(expected) - before
    assert report["unchanged"] == 0


# -- one crawl at a time ------------------------------------------------------------------
def test_a_second_crawl_is_refused_while_one_runs(tmp_path):
    db = tmp_path / "archive.db"
    with PortalServer(articles=100, seed=8) as portal:
        first = start_crawl(
            db, portal.base_url, "-s", "DOWNLOAD_DELAY=0.2", "-s", "CONCURRENT_REQUESTS=1"
        )
        try:
            deadline = time.monotonic() + 30
            while count_when_ready(db) < 1 and time.monotonic() < deadline:
                time.sleep(0.05)
            runs_before = rows(db, "select run_id from crawl_runs")
            second = crawl(db, portal.base_url)
            assert second.returncode == 75
            assert "another crawl" in second.stderr and str(first.pid) in second.stderr
            assert rows(db, "select run_id from crawl_runs") == runs_before
        finally:
            first.send_signal(signal.SIGKILL)
            first.communicate()


# -- a loud failure when the site changes ---------------------------------------------------
def test_a_run_that_finds_nothing_exits_non_zero(tmp_path):
    db = tmp_path / "archive.db"
    with PortalServer(articles=10, seed=9) as portal:
        # (robots.txt names the portal's sitemap: that way in is closed too)
        result = crawl(
            db,
            portal.base_url,
            "-s",
            "TUBAN_START_PATHS=/nirgends",
            "-s",
            "TUBAN_SITEMAP_PATHS=",
            "-s",
            "TUBAN_FEED_PATHS=",
            "-s",
            "TUBAN_ROBOTS_SITEMAPS=false",
        )
    assert result.returncode == 3
    assert "no article was discovered" in result.stderr
    assert last_run(db)["status"] == "broken"


# -- a backfill that ends (issue 9) -------------------------------------------------------------
def test_a_permanently_failing_article_does_not_keep_the_archive_in_backfill(tmp_path):
    settings = ("-s", "RETRY_TIMES=1", "-s", "TUBAN_MAX_ATTEMPTS=2")
    with PortalServer(articles=60, seed=12) as portal:
        # what an incremental night costs on a healthy portal
        clean = tmp_path / "clean" / "archive.db"
        clean.parent.mkdir()
        assert crawl(clean, portal.base_url, *settings).returncode == 0
        assert crawl(clean, portal.base_url, *settings).returncode == 0
        night = last_run(clean)["requests"]

        portal.configure(faults="500")  # two articles answer 500 for good
        failing = {portal.base_url + path for path in portal.fault_paths["500"]}
        db = tmp_path / "archive.db"
        first = crawl(db, portal.base_url, *settings)
        assert first.returncode == 0, first.stderr[-3000:]
        report = json.loads(last_run(db)["report"])
        assert (
            report["backfill_complete"] and report["frontier_left"] == 0
        )  # complete, the failures listed
        assert {row["url"] for row in rows(db, "select url from failures")} == failing
        assert rows(db, "select count(*) as n from frontier") == [{"n": 0}]

        second = crawl(db, portal.base_url, *settings)
        assert second.returncode == 0, second.stderr[-3000:]
        run = last_run(db)
        retries = len(failing) * 2  # each failure asked again once, and retried once
        assert run["mode"] == "incremental" and run["requests"] <= night + retries
        gave_up = rows(
            db, "select url, attempts, reason from failures where gave_up_at is not null"
        )
        assert {row["url"] for row in gave_up} == failing and all(
            r["reason"] == "HTTP 500" for r in gave_up
        )

        paths = [url[len(portal.base_url) :] for url in failing]
        hits = [portal.hits[path] for path in paths]
        third = crawl(db, portal.base_url, *settings)  # given up: no longer asked for
        assert third.returncode == 0 and last_run(db)["requests"] <= night
        assert [portal.hits[path] for path in paths] == hits


def test_two_crawls_started_together_one_exits_75(tmp_path):
    db = tmp_path / "archive.db"
    from tuban_crawler.store.lock import ArchiveLock

    with PortalServer(articles=10, seed=14) as portal:
        lock = ArchiveLock(db)
        lock.acquire()  # the winner of the race, which took the lock after the loser's check
        try:
            race = (
                "import sys; import tuban_crawler.store.lock as lock; lock.ArchiveLock.check = lambda self: None; "
                "from tuban_crawler.cli import main; sys.exit(main(sys.argv[1:]))"
            )
            loser = subprocess.run(
                [
                    sys.executable,
                    "-c",
                    race,
                    "crawl",
                    "--db",
                    str(db),
                    "--base-url",
                    portal.base_url,
                    "--warc-dir",
                    str(tmp_path / "warc"),
                    "-s",
                    "LOG_LEVEL=WARNING",
                ],
                capture_output=True,
                text=True,
                timeout=120,
                cwd=REPO,
            )
        finally:
            lock.release()
    assert loser.returncode == 75, loser.stderr[-3000:]
    assert "another crawl" in loser.stderr and "Traceback" not in loser.stderr
    assert rows(db, "select count(*) as n from crawl_runs") == [{"n": 0}]
    assert not [path for path in portal.hits if path.startswith("/entry/")]


def test_a_listing_that_failed_is_cleared_when_it_succeeds(tmp_path):
    db = tmp_path / "archive.db"
    with PortalServer(articles=60, seed=15, faults="503") as portal:
        assert (
            crawl(db, portal.base_url, "-s", "RETRY_TIMES=0").returncode == 0
        )  # 503s: first attempts only
        failed = {row["url"] for row in rows(db, "select url from failures")}
        assert any("/berita" in url for url in failed), failed
        assert crawl(db, portal.base_url, "-s", "RETRY_TIMES=0").returncode == 0
    assert rows(db, "select url from failures") == []
