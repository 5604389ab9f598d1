"""ArchiveStore on a real SQLite file."""

import sqlite3

import pytest

from tuban_crawler.normalize.columns import CONTENT_FIELDS
from tuban_crawler.normalize.fields import content_hash
from tuban_crawler.store.archive import ArchiveStore

URL = "https://tubankab.go.id/entry/asn-dituntut-disiplin-profesional-dan-bertanggung-jawab"


def record(**changes):
    row = {
        "url": URL,
        "kind": "article",
        "title": "ASN DITUNTUT DISIPLIN",
        "published_at": "2017-07-26T13:24:00+07:00",
        "author": "Yolency",
        "categories": ["Kegiatan Pemerintahan"],
        "views": 628,
        "body_text": "Demi meningkatkan budaya kinerja yang lebih profesional.",
        "body_html": "<p>Demi</p>",
        "dateline": "Tubankab",
        "credit": "chusnul huda/hei",
        "images": [],
        "photo_caption": None,
    }
    row.update(changes)
    row["content_hash"] = content_hash({name: row.get(name) for name in CONTENT_FIELDS})
    return row


def fetch(at="2026-11-01T00:00:00+00:00", **changes):
    return {
        "fetched_url": URL,
        "fetched_at": at,
        "status": 200,
        "warc_filename": "t.warc.gz",
        "warc_offset": 10,
        **changes,
    }


@pytest.fixture
def store(tmp_path):
    with ArchiveStore(tmp_path / "archive.db") as opened:
        yield opened


def test_schema_is_created_in_wal_mode_and_reopening_is_harmless(tmp_path):
    path = tmp_path / "a.db"
    ArchiveStore(path).open().close()
    with ArchiveStore(path) as store:
        tables = set(store.db.table_names())
        assert {
            "articles",
            "article_versions",
            "view_counts",
            "fetches",
            "failures",
            "crawl_runs",
            "frontier",
            "mentioned_dates",
            "crawl_state",
            "articles_fts",
        } <= tables
        assert store.db.execute("pragma journal_mode").fetchone()[0] == "wal"


def test_the_category_facet_reads_an_index_not_the_rows(store):
    # Issue 10: the Datasette facet counts distinct urls per category; bodies stay unread.
    sql = (
        "with inner as (select * from articles) select j.value, count(distinct inner.url) from inner"
        " join json_each(inner.categories) j group by j.value"
    )
    plan = " ".join(row[3] for row in store.db.execute(f"explain query plan {sql}").fetchall())
    assert "COVERING INDEX idx_articles_categories_url" in plan
    for column in ("published_month", "published_year"):
        plan = store.db.execute(
            f"explain query plan select {column}, count(*) from articles group by 1"
        ).fetchall()
        assert f"COVERING INDEX idx_articles_{column}" in " ".join(row[3] for row in plan)


def categories_rows(db) -> list[tuple]:
    """Return article_categories as (category, url) pairs, checked against the articles' rowids."""
    rows = db.execute(
        "select category, article_url, article_rowid = (select rowid from articles where url = article_url)"
        " from article_categories order by article_url, category"
    ).fetchall()
    assert all(matches for _, _, matches in rows), rows
    return [(category, url) for category, url, _ in rows]


def test_article_categories_follow_every_write_of_the_categories(store):
    # Issue 10: the narrow rows of the Datasette category facet and filter, kept by triggers.
    store.save_article(record(categories=["Umum", "Umum", "Kesehatan"]), fetch(), "run1")
    assert categories_rows(store.db) == [("Kesehatan", URL), ("Umum", URL)]
    store.save_article(
        record(categories=["Pendidikan"], body_text="Teks yang diralat."),
        fetch("2026-11-03T00:00:00+00:00"),
        "run2",
    )
    assert categories_rows(store.db) == [("Pendidikan", URL)]
    # Any other writer: plain SQL, a value that is not an array, INSERT OR REPLACE, a delete.
    db = store.db
    db.execute(
        "insert into articles (url, categories) values ('u1', 'not json'), ('u2', '{\"a\": 1}'), ('u3', null)"
    )
    db.execute("insert into articles (url, categories) values ('u4', '[\"A\", null, 5]')")
    db.execute("update articles set categories = '[\"B\"]' where url = 'u1'")
    db.execute("insert or replace into articles (url, categories) values ('u4', '[\"C\"]')")
    assert categories_rows(db) == [("Pendidikan", URL), ("B", "u1"), ("C", "u4")]
    db.execute("delete from articles where url in ('u1', 'u4')")
    assert categories_rows(db) == [("Pendidikan", URL)]


def test_article_categories_are_filled_for_an_archive_written_before_them(tmp_path):
    path = tmp_path / "archive.db"
    with ArchiveStore(path) as store:
        store.save_article(record(categories=["Umum", "Kesehatan"]), fetch(), "run1")
        for trigger in ("ai", "au", "ad"):  # the archive as m006 left it
            store.db.execute(f"drop trigger article_categories_{trigger}")
        store.db.execute("drop table article_categories")
        store.db.execute("delete from _sqlite_migrations where name = 'm007_article_categories'")
    with ArchiveStore(path) as store:
        assert categories_rows(store.db) == [("Kesehatan", URL), ("Umum", URL)]


def test_new_then_unchanged_then_updated_keeps_the_earlier_version(store):
    assert store.save_article(record(), fetch(), "run1") == "new"
    assert (
        store.save_article(record(views=700), fetch("2026-11-02T00:00:00+00:00"), "run2")
        == "unchanged"
    )
    assert (
        store.save_article(
            record(views=710, body_text="Teks yang diralat."),
            fetch("2026-11-03T00:00:00+00:00"),
            "run3",
        )
        == "updated"
    )

    row = store.get_article(URL)
    assert row["body_text"] == "Teks yang diralat."
    assert row["version"] == 2
    assert row["views"] == 710
    assert row["first_seen_at"] == "2026-11-01T00:00:00+00:00"
    assert row["last_seen_at"] == row["last_changed_at"] == "2026-11-03T00:00:00+00:00"
    versions = list(store.db.query("select * from article_versions"))
    assert [(v["version"], v["body_text"], v["replaced_by_run"]) for v in versions] == [
        (1, "Demi meningkatkan budaya kinerja yang lebih profesional.", "run3")
    ]
    assert [
        r["views"] for r in store.db.query("select views from view_counts order by seen_at")
    ] == [628, 700, 710]
    assert store.db.table("articles").count == 1
    assert [f["outcome"] for f in store.db.query("select outcome from fetches order by id")] == [
        "new",
        "unchanged",
        "updated",
    ]


def test_a_worse_copy_never_replaces_a_better_one(store):
    store.save_article(record(), fetch(), "run1")
    outcome = store.save_article(
        record(published_at=None, body_text=None), fetch("2026-11-02T00:00:00+00:00"), "run2"
    )
    assert outcome == "kept"
    row = store.get_article(URL)
    assert row["published_at"] == "2017-07-26T13:24:00+07:00"
    assert row["body_text"].startswith("Demi")
    failure = store.db.table("failures").get(URL)
    assert "published_at" in failure["reason"] and "body_text" in failure["reason"]


def test_json_columns_round_trip(store):
    store.save_article(
        record(images=[{"src": "https://t.id/a.jpg", "caption": "Foto"}]), fetch(), "run1"
    )
    row = store.get_article(URL)
    assert row["categories"] == ["Kegiatan Pemerintahan"]
    assert row["images"] == [{"src": "https://t.id/a.jpg", "caption": "Foto"}]


def test_full_text_search_follows_inserts_and_updates(store):
    store.save_article(record(), fetch(), "run1")
    search = "select url from articles where rowid in (select rowid from articles_fts where articles_fts match ?)"
    assert [r["url"] for r in store.db.query(search, ["disiplin"])] == [URL]
    store.save_article(
        record(title="Judul Baru", body_text="Teks lain."),
        fetch("2026-11-02T00:00:00+00:00"),
        "run2",
    )
    assert list(store.db.query(search, ["disiplin"])) == []
    assert [r["url"] for r in store.db.query(search, ["baru"])] == [URL]


def test_failures_count_attempts_and_clear_on_success(store):
    store.record_failure(URL, "HTTP 500", 500, "run1")
    store.record_failure(URL, "HTTP 503", 503, "run2")
    failure = store.db.table("failures").get(URL)
    assert (failure["attempts"], failure["reason"], failure["run_id"]) == (2, "HTTP 503", "run2")
    assert store.failed_urls() == [URL]
    store.save_article(record(), fetch(), "run3")
    assert store.failed_urls() == []


def test_gone_articles_are_marked_never_deleted(store):
    assert store.mark_gone(URL, fetch(status=410), "run1") is False
    store.save_article(record(), fetch(), "run1")
    assert store.mark_gone(URL, fetch("2026-11-05T00:00:00+00:00", status=410), "run2") is True
    row = store.get_article(URL)
    assert (row["gone_at"], row["gone_status"], row["title"]) == (
        "2026-11-05T00:00:00+00:00",
        410,
        "ASN DITUNTUT DISIPLIN",
    )


def test_frontier_remembers_until_archived(store):
    store.add_to_frontier({URL: None, URL + "-2": "26 July 2017"}, "run1")
    store.add_to_frontier({URL: None}, "run2")
    assert store.frontier() == {URL: None, URL + "-2": "26 July 2017"}
    store.save_article(record(), fetch(), "run2")
    assert list(store.frontier()) == [URL + "-2"]


def test_mentioned_dates_are_queryable(store):
    mentions = [
        {"mentioned_date": "2017-07-26", "expression": "Rabu (26/07)"},
        {"mentioned_date": "2017-07-28", "expression": "28 Juli 2017"},
    ]
    store.save_article(record(), fetch(), "run1", mentions)
    rows = list(
        store.db.query("select url from mentioned_dates where mentioned_date = ?", ["2017-07-28"])
    )
    assert rows == [{"url": URL}]


def test_runs_and_state(store):
    store.start_run("run1", "backfill", "http://127.0.0.1:1")
    store.finish_run("run1", "ok", {"requests": 3, "new": 1}, {"problems": []})
    run = store.db.table("crawl_runs").get("run1")
    assert (run["status"], run["requests"], run["new"]) == ("ok", 3, 1)
    assert store.get_state("backfill_complete") is None
    store.set_state("backfill_complete", "run1")
    assert store.get_state("backfill_complete") == "run1"


def test_discovery_sources_are_merged_over_earlier_runs(store):
    assert store.discovery_sources() == {}
    feed = {
        "checked_at": "2026-01-01T00:00:00+00:00",
        "status": 200,
        "etag": '"a"',
        "last_modified": None,
    }
    store.save_discovery_sources(
        {"http://h/rss": feed, "http://h/feed": {"checked_at": feed["checked_at"], "status": 404}}
    )
    store.save_discovery_sources({"http://h/rss": {**feed, "etag": '"b"'}})
    sources = store.discovery_sources()
    assert sources["http://h/rss"]["etag"] == '"b"' and sources["http://h/feed"]["status"] == 404


def test_a_failing_write_rolls_back_whole(store, monkeypatch):
    store.save_article(record(), fetch(), "run1")

    def broken(*args, **kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(store, "_log_fetch", broken)
    with pytest.raises(sqlite3.OperationalError):
        store.save_article(record(body_text="Baru."), fetch("2026-11-02T00:00:00+00:00"), "run2")
    assert store.get_article(URL)["body_text"].startswith("Demi")
    assert store.db.table("article_versions").count == 0


def test_a_killed_run_is_marked_interrupted_by_the_next(store):
    store.start_run("run1", "backfill", "https://tubankab.go.id")  # killed: never finished
    store.start_run("run2", "backfill", "https://tubankab.go.id")
    statuses = {
        r["run_id"]: r["status"] for r in store.db.query("select run_id, status from crawl_runs")
    }
    assert statuses == {"run1": "interrupted", "run2": "running"}


def test_failures_leave_the_frontier_and_give_up_after_max_attempts(tmp_path):
    with ArchiveStore(tmp_path / "a.db", max_attempts=2) as store:
        store.add_to_frontier({URL: None, URL + "-2": None}, "run1")
        store.record_failure(URL, "HTTP 500", 500, "run1")
        assert list(store.frontier()) == [URL + "-2"]  # listed in failures, accounted for
        assert store.failed_urls() == [URL] and store.given_up_urls() == set()
        store.record_failure(URL, "HTTP 500", 500, "run2")
        assert store.failed_urls() == [] and store.given_up_urls() == {URL}
        store.record_failure(
            URL + "-2", "redirected off the portal to http://example.org/", 302, "run2", final=True
        )
        assert store.given_up_urls() == {URL, URL + "-2"} and store.frontier() == {}


def test_an_error_page_never_replaces_an_article_and_is_listed(store):
    long_body = "Demi meningkatkan budaya kinerja yang lebih profesional. " * 10
    store.save_article(record(body_text=long_body), fetch(), "run1")
    soft404 = record(
        title="Halaman Tidak Ditemukan", body_text="Maaf, halaman yang Anda cari tidak ditemukan."
    )
    assert store.save_article(soft404, fetch("2026-11-02T00:00:00+00:00"), "run2") == "kept"
    assert store.get_article(URL)["body_text"] == long_body
    [rejected] = store.db.query("select * from rejected_copies")
    assert "error page" in rejected["reason"] and rejected["warc_filename"] == "t.warc.gz"
    assert "error page" in store.db.table("failures").get(URL)["reason"]
    assert [v["views"] for v in store.db.query("select views from view_counts")] == [
        628
    ]  # not the rejected copy's
