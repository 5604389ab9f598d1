"""The table of column facts (``normalize.columns``) says what the archive's schema holds."""

from __future__ import annotations

from tuban_crawler.normalize.columns import (
    ARTICLE_COLUMNS,
    CONTENT_FIELDS,
    COVERAGE_FIELDS,
    EXTRACT_SOURCES,
    JSON_COLUMNS,
    QUALITY_FIELDS,
)
from tuban_crawler.store.archive import ArchiveStore

SQL_TYPES = {str: "TEXT", int: "INTEGER"}


def test_the_column_table_lists_every_column_of_a_migrated_archive_with_its_type(tmp_path):
    with ArchiveStore(tmp_path / "archive.db") as store:
        schema = {row[1]: row[2] for row in store.db.execute("pragma table_info(articles)")}
    assert {c.name: SQL_TYPES[c.type] for c in ARTICLE_COLUMNS} == schema


def test_every_derived_list_names_columns_of_the_table():
    names = {c.name for c in ARTICLE_COLUMNS}
    for derived in (CONTENT_FIELDS, QUALITY_FIELDS, JSON_COLUMNS, COVERAGE_FIELDS.values()):
        assert set(derived) <= names
    assert set(QUALITY_FIELDS) <= set(CONTENT_FIELDS)
    assert set(EXTRACT_SOURCES) <= names
