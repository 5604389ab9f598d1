"""The place and office facets read covering indexes, no article_places rows (m015b, store.facetindexes)."""

from __future__ import annotations

from tests.test_archive import fetch, record
from tuban_crawler.store.archive import ArchiveStore
from tuban_crawler.store.facetindexes import COVERING
from tuban_crawler.web.datasette.places import FACETS

TITLE = "Bupati Tuban meninjau Desa Sugiharjo"
BODY = "Dinas Kesehatan dan Bappeda meninjau posyandu di Desa Sugiharjo, Kecamatan Tuban."


def plan(db, sql: str) -> str:
    """Return SQLite's plan for SQL, its steps joined."""
    return " ".join(row[3] for row in db.execute(f"explain query plan {sql}"))


def test_every_place_facet_and_filter_reads_a_covering_index(tmp_path):
    with ArchiveStore(tmp_path / "archive.db") as store:
        store.save_article(record(title=TITLE, body_text=BODY), fetch(), "run1")
        for _, sql in FACETS.values():  # the facets' own SQL, as the articles page runs it
            assert "USING COVERING INDEX" in plan(store.db, sql.format(where="1")), sql
        for sql in (
            "select article_rowid from article_places where code = '35.23.16.2002'",
            "select article_rowid from article_offices where office_id = 'setda'",
        ):
            assert "USING COVERING INDEX" in plan(store.db, sql), sql
        # and the article was tagged (title and body), so the plans are over real rows
        assert store.db.execute(
            "select count(*) from article_places where kind = 'desa'"
        ).fetchone() == (2,)


def test_an_archive_as_m014_left_it_gets_the_covering_indexes_and_loses_the_narrow_ones(tmp_path):
    path = tmp_path / "archive.db"
    with ArchiveStore(path) as store:
        for table, narrow, columns in COVERING:
            store.db.execute(f"drop index {table}_{'_'.join(columns)}")
            store.db.execute(f"create index {narrow} on {table} ({', '.join(columns[:2])})")
        store.db.execute(
            "delete from _sqlite_migrations where name = 'm015b_covering_facet_indexes'"
        )
    with ArchiveStore(path) as store:
        names = {
            row[0]
            for row in store.db.execute(
                "select name from sqlite_master where type = 'index'"
                " and tbl_name in ('article_places', 'article_offices')"
            )
        }
        for table, narrow, columns in COVERING:
            assert f"{table}_{'_'.join(columns)}" in names
            assert narrow not in names
