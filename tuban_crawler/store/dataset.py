"""The archive as typed Parquet tables, the formats research tools read (issue 24).

Parquet files are written with pyarrow, an optional extra (``pip install 'tuban-crawler[dataset]'``):
``require_pyarrow`` says so in one line when it is missing. Every column has a type, never
"text that holds JSON":

- publication instants (``published_at``) are timestamps in WIB (``+07:00``, the portal's zone,
  as the archive writes them); a date without a time is midnight WIB, and
  ``published_precision`` says ``date``;
- the archive's own times (``first_seen_at``, ``seen_at``, ``replaced_at``...) are UTC timestamps;
- ``published_date`` is a date; counts and positions are integers;
- ``categories`` and ``date_warnings`` are lists of strings, ``images`` a list of
  ``{src, caption, alt}``, ``field_sources`` a list of ``{field, source}``.

A value that does not read as its type (a hand-written row) becomes null, and is counted
(``TableWritten.unreadable``), never a failed export. Rows come out in the order they were
stored (rowid), in batches, so an archive of any size is written in flat memory.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

#: How to get the writer, said in one line when it is missing.
INSTALL_HINT = "Parquet needs pyarrow: pip install 'tuban-crawler[dataset]'"
WIB = timezone(timedelta(hours=7), "WIB")
#: Rows per Parquet row group (and per batch read from SQLite).
BATCH_ROWS = 2_000


class ParquetUnavailable(RuntimeError):
    """pyarrow is not installed: the message says which extra to install."""


def require_pyarrow() -> Any:
    """Return the ``pyarrow`` module, or raise ``ParquetUnavailable`` saying which extra installs it."""
    try:
        import pyarrow
        import pyarrow.parquet  # noqa: F401 (the writer lives in this submodule)
    except ImportError:
        raise ParquetUnavailable(INSTALL_HINT) from None
    return pyarrow


# -- values ------------------------------------------------------------------------------
def instant(value: Any, naive_zone: timezone = timezone.utc) -> datetime | None:
    """Return the ISO text VALUE as an aware datetime (a naive one in NAIVE_ZONE), or None.

    >>> instant("2017-07-26T13:24:00+07:00").isoformat(), instant("2019-03-02", WIB).isoformat()
    ('2017-07-26T13:24:00+07:00', '2019-03-02T00:00:00+07:00')
    >>> instant("kemarin"), instant(None)
    (None, None)
    """
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=naive_zone)


def day(value: Any) -> date | None:
    """Return the ISO day VALUE (``2017-07-26``) as a date, or None.

    >>> day("2017-07-26"), day("26/07")
    (datetime.date(2017, 7, 26), None)
    """
    try:
        return date.fromisoformat(value[:10]) if isinstance(value, str) else None
    except ValueError:
        return None


def json_value(value: Any) -> Any:
    """Return the JSON text VALUE decoded (None when it is NULL or not JSON)."""
    if not isinstance(value, str):
        return None
    try:
        return json.loads(value)
    except ValueError:
        return None


def string_list(value: Any) -> list[str] | None:
    """Return the JSON array of strings VALUE as a list (None when it is not one).

    >>> string_list('["Umum", 3]'), string_list('{"a": 1}')
    (['Umum'], None)
    """
    items = json_value(value)
    return [i for i in items if isinstance(i, str)] if isinstance(items, list) else None


def image_list(value: Any) -> list[dict[str, str | None]] | None:
    """Return the JSON images VALUE as a list of ``{src, caption, alt}`` (None when it is not a list)."""
    items = json_value(value)
    if not isinstance(items, list):
        return None
    return [
        {key: (i.get(key) if isinstance(i.get(key), str) else None) for key in IMAGE_KEYS}
        for i in items
        if isinstance(i, dict)
    ]


def source_list(value: Any) -> list[dict[str, str]] | None:
    """Return the JSON object VALUE as a list of ``{field, source}`` (None when it is not an object).

    A list of structs rather than a Parquet map: Hugging Face ``datasets`` reads no maps.

    >>> source_list('{"title": "layout"}')
    [{'field': 'title', 'source': 'layout'}]
    """
    items = json_value(value)
    if not isinstance(items, dict):
        return None
    return [
        {"field": str(k), "source": v if isinstance(v, str) else json.dumps(v)}
        for k, v in items.items()
    ]


def whole(value: Any) -> int | None:
    """Return VALUE as an int when SQLite holds an integer there (None otherwise)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def number(value: Any) -> float | None:
    """Return VALUE as a float when SQLite holds a number there (None otherwise)."""
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def text(value: Any) -> str | None:
    """Return VALUE as text (None for NULL)."""
    return None if value is None else str(value)


IMAGE_KEYS = ("src", "caption", "alt")


# -- the tables' types -------------------------------------------------------------------
@dataclass(frozen=True)
class Kind:
    """A column's Parquet type (built from pyarrow when writing) and how a SQLite value becomes it."""

    name: str
    arrow: Callable[[Any], Any]
    convert: Callable[[Any], Any]


STRING = Kind("string", lambda pa: pa.string(), text)
INT64 = Kind("int64", lambda pa: pa.int64(), whole)
INT32 = Kind("int32", lambda pa: pa.int32(), whole)
INT16 = Kind("int16", lambda pa: pa.int16(), whole)
FLOAT = Kind("float64", lambda pa: pa.float64(), number)
DATE = Kind("date32", lambda pa: pa.date32(), day)
UTC_TIME = Kind("timestamp[us, tz=UTC]", lambda pa: pa.timestamp("us", tz="UTC"), instant)
WIB_TIME = Kind(
    "timestamp[us, tz=+07:00]",
    lambda pa: pa.timestamp("us", tz="+07:00"),
    lambda v: instant(v, WIB),
)
STRINGS = Kind("list<string>", lambda pa: pa.list_(pa.string()), string_list)
IMAGES = Kind(
    "list<struct<src, caption, alt>>",
    lambda pa: pa.list_(pa.struct([(k, pa.string()) for k in IMAGE_KEYS])),
    image_list,
)
SOURCES = Kind(
    "list<struct<field, source>>",
    lambda pa: pa.list_(pa.struct([("field", pa.string()), ("source", pa.string())])),
    source_list,
)

_ARTICLE_TYPES = {
    "published_at": WIB_TIME,
    "published_year": INT16,
    "published_date": DATE,
    "date_warnings": STRINGS,
    "categories": STRINGS,
    "views": INT64,
    "images": IMAGES,
    "field_sources": SOURCES,
    "version": INT32,
    "first_seen_at": UTC_TIME,
    "last_seen_at": UTC_TIME,
    "last_changed_at": UTC_TIME,
    "gone_at": UTC_TIME,
    "gone_status": INT16,
    "replaced_at": UTC_TIME,
    "id": INT64,
}
_MENTION_TYPES = {"version": INT32, "start_char": INT32, "end_char": INT32}


@dataclass(frozen=True)
class DatasetTable:
    """One Parquet file of the dataset: the archive table it comes from, and its columns' types."""

    name: str  # the file (``articles.parquet``) and the card's config name
    table: str  # the archive's table
    types: dict[str, Kind]  # column → type; a column not listed is a string
    leave_out: tuple[str, ...] = ()  # the archive's own bookkeeping, meaningless outside it
    what: str = ""


DATASET_TABLES = (
    DatasetTable(
        "articles",
        "articles",
        _ARTICLE_TYPES,
        what="one row per article or evergreen page: its latest version",
    ),
    DatasetTable(
        "versions",
        "article_versions",
        _ARTICLE_TYPES,
        what="earlier versions of articles whose content changed",
    ),
    DatasetTable(
        "places",
        "article_places",
        _MENTION_TYPES,
        leave_out=("article_rowid",),
        what="the kecamatan, desa and kelurahan each article mentions, with the text matched",
    ),
    DatasetTable(
        "offices",
        "article_offices",
        _MENTION_TYPES,
        leave_out=("article_rowid",),
        what="the regency's offices each article mentions, with the text matched",
    ),
    DatasetTable(
        "view_counts",
        "view_counts",
        {"seen_at": UTC_TIME, "views": INT64},
        what="the view counter of an article each time it was fetched",
    ),
)
#: SQLite's declared type → Parquet type, for a table the dataset does not describe.
_DECLARED = {"INTEGER": INT64, "REAL": FLOAT, "FLOAT": FLOAT, "TEXT": STRING}


def table_types(connection: sqlite3.Connection, table: str) -> list[tuple[str, Kind]]:
    """Return (column, type) of every column of TABLE as written to Parquet, in table order.

    A table of the dataset has its own types (``DATASET_TABLES``, its bookkeeping left out);
    any other, its declared SQLite types, with ``*_at`` text columns as UTC timestamps.
    """
    described = next((t for t in DATASET_TABLES if t.table == table), None)
    columns = [
        (row[1], (row[2] or "").upper())
        for row in connection.execute(f"pragma table_info([{table}])")
    ]
    if not columns:
        raise LookupError(f"no table {table!r} in the archive")
    if described is not None:
        return [
            (name, described.types.get(name, STRING))
            for name, _ in columns
            if name not in described.leave_out
        ]
    return [
        (
            name,
            UTC_TIME
            if name.endswith("_at") and declared == "TEXT"
            else _DECLARED.get(declared, STRING),
        )
        for name, declared in columns
    ]


@dataclass
class TableWritten:
    """What writing one Parquet file did."""

    path: Path
    rows: int = 0
    #: Column → values that did not read as the column's type (written as null).
    unreadable: dict[str, int] = field(default_factory=dict)


def _batches(
    connection: sqlite3.Connection, table: str, columns: list[str]
) -> Iterator[list[tuple[Any, ...]]]:
    names = ", ".join(f"[{c}]" for c in columns)
    cursor = connection.execute(f"select {names} from [{table}] order by rowid")  # noqa: S608 (names from the schema)
    while batch := cursor.fetchmany(BATCH_ROWS):
        yield batch


def write_parquet(connection: sqlite3.Connection, table: str, path: Path) -> TableWritten:
    """Write every row of TABLE to the Parquet file PATH, typed (``table_types``); return what was written.

    Raises ``ParquetUnavailable`` without pyarrow, ``LookupError`` for a table the archive lacks.
    """
    pa = require_pyarrow()
    import pyarrow.parquet as pq

    types = table_types(connection, table)
    schema = pa.schema([(name, kind.arrow(pa)) for name, kind in types])
    written = TableWritten(path)
    with pq.ParquetWriter(str(path), schema, compression="zstd") as writer:
        for batch in _batches(connection, table, [name for name, _ in types]):
            arrays = []
            for n, (name, kind) in enumerate(types):
                values = [kind.convert(row[n]) for row in batch]
                lost = sum(
                    1
                    for row, v in zip(batch, values, strict=True)
                    if v is None and row[n] is not None
                )
                if lost:
                    written.unreadable[name] = written.unreadable.get(name, 0) + lost
                arrays.append(pa.array(values, type=schema.field(name).type))
            writer.write_table(
                pa.Table.from_arrays(arrays, schema=schema), row_group_size=BATCH_ROWS
            )
            written.rows += len(batch)
    if written.unreadable:
        logger.warning(
            "%s: values that are not their column's type, written as null: %s",
            table,
            written.unreadable,
        )
    return written
