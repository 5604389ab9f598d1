"""Change rows: written by the store with each new version, removal and return; derived by m012."""

import json

import pytest

from tests.test_archive import URL, fetch, record
from tuban_crawler import ExitCode
from tuban_crawler.cli import main
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


# -- tuban-crawler changes ----------------------------------------------------------------
def archive_with_changes(path):
    """Return PATH holding an article edited by run2 and withdrawn by run3 (the last run)."""
    with ArchiveStore(path) as store:
        for run, day in (("run1", 1), ("run2", 2), ("run3", 3)):
            store.start_run(run, "incremental", "https://tubankab.go.id", DAY.format(day))
        store.save_article(record(), fetch(DAY.format(1)), "run1")
        edited = record(title="ASN DIMINTA DISIPLIN")
        store.save_article(edited, fetch(DAY.format(2)), "run2")
        store.mark_gone(URL, fetch(DAY.format(3), status=410), "run3")
    return path


def test_the_changes_command_prints_the_digest_newest_first(tmp_path, capsys):
    db = archive_with_changes(tmp_path / "archive.db")
    assert main(["changes", "--db", str(db), "--link", "http://archive.example/"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("2 changes on the portal\n")
    assert out.index("removed from the portal (HTTP 410)") < out.index("title changed")
    assert "http://archive.example/archive/-/diff?url=" in out


@pytest.mark.parametrize(
    ("args", "kinds"),
    [
        (["--since-last-run"], ["removed"]),
        (["--since", "2026-11-02"], ["removed", "retitled"]),
        (["--since", "2026-11-02T07:00:00+07:00"], ["removed", "retitled"]),
        (["--since", "2026-11-02T07:00:01+07:00"], ["removed"]),
        (["--since", "2026-11-04"], []),
        (["--kind", "retitled"], ["retitled"]),
        (["--category", "Umum"], []),
        (["--category", "Kegiatan Pemerintahan"], ["removed", "retitled"]),
    ],
)
def test_the_changes_command_filters_and_prints_nothing_when_nothing_changed(
    tmp_path, capsys, args, kinds
):
    db = archive_with_changes(tmp_path / "archive.db")
    assert main(["changes", "--db", str(db), "--format", "json", *args]) == 0
    out = capsys.readouterr().out
    assert [c["kinds"] for c in json.loads(out)] == kinds if kinds else out == ""


def test_the_changes_command_on_an_archive_before_them_says_so_in_one_line(tmp_path, capsys):
    db = archive_with_changes(tmp_path / "archive.db")
    with ArchiveStore(db) as store:
        store.db.execute("drop table article_changes")
    assert main(["changes", "--db", str(db)]) == ExitCode.ERROR
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "its next crawl derives them" in err
