"""``store.places``: the places and offices of each article, kept with its version on a real SQLite file."""

from __future__ import annotations

import pytest

from tests.test_archive import URL, fetch, record
from tuban_crawler.places import tagger_version
from tuban_crawler.store.archive import ArchiveStore

TITLE = "Bupati Resmikan Posyandu di Desa Sugihwaras, Kecamatan Jenu"
BODY = "Dinas Kesehatan Kabupaten Tuban hadir bersama Camat Palang, Rabu (26/07)."


def places(db) -> list[tuple]:
    return [
        tuple(row)
        for row in db.execute(
            "select version, kind, name, kecamatan, matched, field, start_char, end_char"
            " from article_places order by field desc, start_char, kind"
        )
    ]


def office_ids(db) -> list[tuple]:
    return [
        tuple(row)
        for row in db.execute(
            "select version, office_id, matched, field from article_offices"
            " order by field desc, start_char, office_id"
        )
    ]


@pytest.fixture
def store(tmp_path):
    with ArchiveStore(tmp_path / "archive.db") as opened:
        yield opened


def test_a_new_article_is_stored_with_its_places_and_offices_and_their_evidence(store):
    store.save_article(record(title=TITLE, body_text=BODY), fetch(), "run1")
    found = places(store.db)
    assert [
        (kind, name, kecamatan, field) for _, kind, name, kecamatan, _, field, _, _ in found
    ] == [
        ("desa", "Sugihwaras", "Jenu", "title"),
        ("kecamatan", "Jenu", "Jenu", "title"),
        ("kecamatan", "Palang", "Palang", "body"),
    ]
    # The position is the matched text's, in its field.
    for version, _, _, _, matched, field, start, end in found:
        assert version == 1
        assert (TITLE if field == "title" else BODY)[start:end] == matched
    ids = [office for _, office, _, _ in office_ids(store.db)]
    assert "kecamatan-palang" in ids and len(ids) >= 2


def test_tags_follow_a_new_version_and_stay_when_nothing_changed(store):
    store.save_article(record(title=TITLE, body_text=BODY), fetch(), "run1")
    before = places(store.db), office_ids(store.db)
    assert (
        store.save_article(
            record(title=TITLE, body_text=BODY, views=700),
            fetch("2026-11-02T00:00:00+00:00"),
            "run2",
        )
        == "unchanged"
    )
    assert (places(store.db), office_ids(store.db)) == before
    edited = "Banjir melanda Desa Leran, Kecamatan Senori."
    assert (
        store.save_article(
            record(title="Banjir di Senori", body_text=edited),
            fetch("2026-11-03T00:00:00+00:00"),
            "run3",
        )
        == "updated"
    )
    assert {(v, kind, name) for v, kind, name, *_ in places(store.db)} == {
        (2, "kecamatan", "Senori"),
        (2, "desa", "Leran"),
    }
    assert office_ids(store.db) == []


def test_a_worse_copy_changes_no_tags(store):
    store.save_article(record(title=TITLE, body_text=BODY), fetch(), "run1")
    before = places(store.db)
    outcome = store.save_article(
        record(title=TITLE, body_text=None), fetch("2026-11-02T00:00:00+00:00"), "run2"
    )
    assert outcome == "kept" and places(store.db) == before


def test_the_migration_tags_an_archive_stored_before_it(tmp_path):
    path = tmp_path / "archive.db"
    with ArchiveStore(path) as store:
        store.save_article(record(title=TITLE, body_text=BODY), fetch(), "run1")
        store.save_article(
            record(url=URL + "-2", title="Kegiatan", body_text="Tanpa tempat."), fetch(), "run1"
        )
        expected = places(store.db), office_ids(store.db)
        store.db.execute("drop table article_places")
        store.db.execute("drop table article_offices")
        store.db.execute(
            "delete from _sqlite_migrations where name = 'm014_article_places_and_offices'"
        )
    with ArchiveStore(path) as store:  # opening applies m014 again: every article tagged
        assert (places(store.db), office_ids(store.db)) == expected
        assert expected[0]


def test_the_place_facets_read_an_index_not_the_rows(store):
    for sql in (
        "select kecamatan, count(distinct article_rowid) from article_places group by kecamatan",
        "select code, count(distinct article_rowid) from article_places group by code",
        "select office_id, count(distinct article_rowid) from article_offices group by office_id",
        "select article_rowid from article_places where kecamatan = 'Jenu'",
    ):
        plan = " ".join(row[3] for row in store.db.execute(f"explain query plan {sql}"))
        assert "USING COVERING INDEX" in plan, (sql, plan)


def test_a_desa_before_its_kecamatan_in_a_title_in_capitals_is_stored(store):
    # The portal's titles before May 2018, as the real one wrote them.
    store.save_article(
        record(title="BUPATI RESMIKAN POSYANDU DI DESA KEMLATEN KECAMATAN PARENGAN"),
        fetch(),
        "run1",
    )
    assert {(kind, name, kecamatan) for _, kind, name, kecamatan, *_ in places(store.db)} == {
        ("desa", "Kemlaten", "Parengan"),
        ("kecamatan", "Parengan", "Parengan"),
    }


def test_a_tagger_that_fails_never_costs_the_article_its_capture(store, monkeypatch, caplog):
    store.save_article(record(title=TITLE, body_text=BODY), fetch(), "run1")
    before = places(store.db)

    def broken(title, body):
        raise RuntimeError("a bug")

    monkeypatch.setattr("tuban_crawler.store.places.tag_article", broken)
    outcome = store.save_article(
        record(title=TITLE, body_text="Teks yang diralat."),
        fetch("2026-11-02T00:00:00+00:00"),
        "run2",
    )
    assert outcome == "updated" and store.get_article(URL)["version"] == 2
    assert places(store.db) == before  # version 1's tags, saying so
    assert "could not be tagged" in caplog.text


def test_an_archive_tagged_by_another_version_of_the_tagger_is_tagged_again_once(tmp_path):
    path = tmp_path / "archive.db"
    with ArchiveStore(path) as store:
        store.save_article(record(title=TITLE, body_text=BODY), fetch(), "run1")
        expected = places(store.db)
        # What an older tagger left: a row the current one would not write.
        store.db.execute(
            "insert into article_places values (?, 1, 1, 'desa', 'Leran', 'Senori', null,"
            " 'Leran', 'body', 0, 5)",
            [URL],
        )
        stale = places(store.db)
    with ArchiveStore(path) as store:  # the same tagger: nothing is tagged again
        assert places(store.db) == stale != expected
        store.db.execute(
            "update crawl_state set value = 'older' where key = 'places_tagger_version'"
        )
    with ArchiveStore(path) as store:
        assert places(store.db) == expected
        [(version,)] = store.db.execute(
            "select value from crawl_state where key = 'places_tagger_version'"
        ).fetchall()
        assert version == tagger_version()
