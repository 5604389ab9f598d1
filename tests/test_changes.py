"""Change rows: written by the store with each new version, removal and return; derived by m012."""

from tests.test_archive import URL, fetch, record
from tuban_crawler.store.archive import ArchiveStore

DAY = "2026-11-0{}T00:00:00+00:00"


def changes(store):
    return [
        dict(row)
        for row in store.db.query(
            "select url, run_id, kinds, line, from_version, to_version, words_added, words_removed,"
            " changed_at from article_changes order by id"
        )
    ]


def test_a_new_version_removal_and_return_each_write_one_change_row(tmp_path):
    with ArchiveStore(tmp_path / "archive.db") as store:
        store.save_article(record(), fetch(DAY.format(1)), "run1")
        store.save_article(record(views=900), fetch(DAY.format(2)), "run2")
        assert changes(store) == []  # new and unchanged: no change
        edited = record(body_text=record()["body_text"] + " Ralat: 125 orang.")
        assert store.save_article(edited, fetch(DAY.format(3)), "run3") == "updated"
        assert store.mark_gone(URL, fetch(DAY.format(4), status=410), "run4")
        assert store.mark_gone(URL, fetch(DAY.format(5), status=410), "run5")  # still gone: no row
        store.save_article(edited, fetch(DAY.format(6)), "run6")
        assert [(c["run_id"], c["kinds"], c["line"], c["words_added"]) for c in changes(store)] == [
            ("run3", "edited", "body: 1 paragraph edited, 3 words added", 3),
            ("run4", "removed", "removed from the portal (HTTP 410)", 0),
            ("run6", "returned", "back on the portal", 0),
        ]
        assert [(c["from_version"], c["to_version"]) for c in changes(store)] == [
            (1, 2),
            (2, None),
            (2, 2),
        ]


def test_a_version_that_changes_nothing_a_reader_sees_writes_no_change(tmp_path):
    with ArchiveStore(tmp_path / "archive.db") as store:
        store.save_article(record(), fetch(DAY.format(1)), "run1")
        spaced = record(body_text=record()["body_text"].replace(" ", "  "))
        assert store.save_article(spaced, fetch(DAY.format(2)), "run2") == "updated"
        assert changes(store) == []


def test_a_returned_page_answering_304_writes_its_return(tmp_path):
    with ArchiveStore(tmp_path / "archive.db") as store:
        store.save_article(record(), fetch(DAY.format(1)), "run1")
        store.mark_gone(URL, fetch(DAY.format(2), status=404), "run2")
        store.mark_not_modified(URL, fetch(DAY.format(3), status=304), "run3")
        assert [c["kinds"] for c in changes(store)] == ["removed", "returned"]


def test_the_changes_of_an_archive_written_before_them_are_derived(tmp_path):
    path = tmp_path / "archive.db"
    with ArchiveStore(path) as store:
        store.save_article(record(), fetch(DAY.format(1)), "run1")
        store.save_article(record(title="ASN DIMINTA DISIPLIN"), fetch(DAY.format(2)), "run2")
        body = "Demi meningkatkan budaya kinerja yang profesional.\n\nParagraf baru di sini."
        store.save_article(
            record(title="ASN DIMINTA DISIPLIN", body_text=body), fetch(DAY.format(3)), "run3"
        )
        store.mark_gone(URL, fetch(DAY.format(4), status=410), "run4")
        written = changes(store)
        store.db.execute("drop table article_changes")  # the archive as m009 left it
        store.db.execute("delete from _sqlite_migrations where name = 'm012_article_changes'")
    with ArchiveStore(path) as store:
        assert changes(store) == written
        assert [c["kinds"] for c in written] == ["retitled", "edited", "removed"]
        assert written[1]["line"] == "body: 1 paragraph edited, 1 added, 4 words added, 1 removed"
