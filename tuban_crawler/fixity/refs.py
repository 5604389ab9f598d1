"""What the archive's rows say is where: each row pointing at a WARC record, each article citing one."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Ref:
    """One row that points at a WARC record: its table and key, and what it says the record is."""

    table: str
    key: str
    url: str
    filename: str
    offset: int
    record_id: str | None
    length: int | None
    payload_digest: str | None
    payload_sha256: str | None

    @property
    def name(self) -> str:
        """Return how an event names the row (``fetches 12``, ``requisites https://...``)."""
        return f"{self.table} {self.key}"


@dataclass(frozen=True)
class ArticleRef:
    """An article's current version, or an earlier one, and the capture it cites."""

    table: str
    url: str
    version: int | None
    record_id: str
    payload_sha256: str | None


#: Each table whose rows point at WARC records: its key, and its columns in ``Ref``'s order.
_ROW_SQL = {
    "fetches": "select id, url, warc_filename, warc_offset, warc_record_id, warc_length,"
    " payload_digest, payload_sha256 from fetches",
    "requisites": "select url, url, warc_filename, warc_offset, warc_record_id, warc_length,"
    " payload_digest, null from requisites",
    "rejected_copies": "select id, url, warc_filename, warc_offset, warc_record_id, null,"
    " null, null from rejected_copies",
}


def row_refs(connection: sqlite3.Connection) -> list[Ref]:
    """Return every row of CONNECTION's archive that points at a WARC record."""
    refs = []
    for table, sql in _ROW_SQL.items():
        query = f"{sql} where warc_filename is not null and warc_offset is not null"
        for key, url, filename, offset, record_id, length, digest, sha256 in connection.execute(
            query
        ):
            refs.append(
                Ref(table, str(key), url, filename, offset, record_id, length, digest, sha256)
            )
    return refs


def article_refs(connection: sqlite3.Connection) -> Iterator[ArticleRef]:
    """Yield every article and earlier version that cites its capture (``warc_record_id``)."""
    for table in ("articles", "article_versions"):
        for url, version, record_id, sha256 in connection.execute(
            f"select url, version, warc_record_id, payload_sha256 from {table}"
            " where warc_record_id is not null"
        ):
            yield ArticleRef(table, url, version, record_id, sha256)
