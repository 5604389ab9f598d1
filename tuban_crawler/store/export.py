"""Write a whole table of the archive (every row, every column) as JSON lines or CSV (``tuban-crawler export``).

- JSON lines: one object per row, every column, in table order; the JSON columns
  (``categories``, ``images``, ``field_sources``, ``date_warnings``; ``report`` of
  ``crawl_runs``) are decoded, so ``categories`` is a list; NULL is ``null``.
- CSV: a header row, then one line per row; JSON columns stay the JSON text the archive
  stores (``["Kegiatan Pemerintahan"]``), and NULL is an empty cell. A text cell starting
  with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return) gets a leading ``'``, as OWASP
  advises against CSV injection, so that a spreadsheet shows it as text instead of running
  it as a formula (``=cmd|' /C calc'!A0`` from a hostile page).

- Parquet (``store.dataset``, with the optional extra ``dataset``): typed columns, timestamps
  with their zone, JSON columns as lists, structs and maps; written to a file only.

Rows come out in the order they were first stored (``rowid``). The archive is opened
read-only, so exporting while a crawl writes is safe (one consistent snapshot).
For one query or a filtered table, use Datasette's CSV/JSON links instead.
"""

from __future__ import annotations

import csv
import json
import logging
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import IO, Any

from tuban_crawler.normalize.columns import JSON_COLUMNS
from tuban_crawler.store.archivefile import connect_read_only

logger = logging.getLogger(__name__)

FORMATS = ("jsonl", "csv", "parquet")
#: Columns holding JSON text, per table (decoded in JSON lines).
JSON_COLUMNS_BY_TABLE = {
    "articles": JSON_COLUMNS,
    "article_versions": JSON_COLUMNS,
    "crawl_runs": ("report",),
}


def table_names(connection: sqlite3.Connection) -> list[str]:
    """Return the names of the tables in the database of CONNECTION."""
    return [
        row[0]
        for row in connection.execute(
            "select name from sqlite_master where type = 'table' order by name"
        )
    ]


def iter_rows(
    connection: sqlite3.Connection, table: str
) -> tuple[list[str], Iterator[tuple[Any, ...]]]:
    """Return (column names, rows) of every row of TABLE, in rowid order."""
    if table not in table_names(connection):
        raise LookupError(f"no table {table!r} in the archive")
    quoted = '"' + table.replace('"', '""') + '"'
    cursor = connection.execute(f"select * from {quoted} order by rowid")  # noqa: S608 (name checked above)
    return [d[0] for d in cursor.description], iter(cursor)


def decode_json_columns(
    row: dict[str, Any], json_columns: tuple[str, ...], table: str
) -> dict[str, Any]:
    """Return ROW with the text of its JSON_COLUMNS decoded (NULL stays None)."""
    for column in json_columns:
        value = row.get(column)
        if isinstance(value, str):
            try:
                row[column] = json.loads(value)
            except ValueError as error:
                key = next(iter(row.values()), None)
                raise ValueError(
                    f"{table} row {key!r}: column {column} is not JSON: {error}"
                ) from error
    return row


def write_jsonl(
    columns: list[str], rows: Iterator[tuple[Any, ...]], out: IO[str], table: str
) -> int:
    """Write ROWS as JSON lines to OUT, JSON columns decoded; return how many rows were written."""
    json_columns = tuple(c for c in JSON_COLUMNS_BY_TABLE.get(table, ()) if c in columns)
    count = 0
    for values in rows:
        row = decode_json_columns(dict(zip(columns, values, strict=False)), json_columns, table)
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count


#: What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """Return VALUE as a CSV cell a spreadsheet shows as text: ``'`` before a formula-leading string.

    >>> spreadsheet_safe("=cmd|' /C calc'!A0"), spreadsheet_safe("-5"), spreadsheet_safe(-5), spreadsheet_safe(None)
    ("'=cmd|' /C calc'!A0", "'-5", -5, '')
    """
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(columns: list[str], rows: Iterator[tuple[Any, ...]], out: IO[str]) -> int:
    """Write a header and ROWS as CSV to OUT (JSON columns as stored text, NULL empty, formulas defused); return the row count."""
    writer = csv.writer(out)
    writer.writerow(columns)
    count = 0
    for values in rows:
        writer.writerow([spreadsheet_safe(value) for value in values])
        count += 1
    return count


def export_table(db_path: str | Path, table: str, fmt: str, out: IO[str]) -> int:
    """Write every row of TABLE of the archive DB_PATH to OUT in format FMT; return the row count."""
    with closing(connect_read_only(db_path)) as connection:
        columns, rows = iter_rows(connection, table)
        if fmt == "csv":
            return write_csv(columns, rows, out)
        return write_jsonl(columns, rows, out, table)


def export_parquet(db_path: str | Path, table: str, path: Path) -> int:
    """Write every row of TABLE of the archive DB_PATH to the Parquet file PATH; return the row count.

    Raises ``dataset.ParquetUnavailable`` (saying which extra to install) without pyarrow.
    """
    from tuban_crawler.store.dataset import require_pyarrow, write_parquet

    require_pyarrow()  # before the archive is opened: the one line a user needs first
    with closing(connect_read_only(db_path)) as connection:
        if table not in table_names(connection):
            raise LookupError(f"no table {table!r} in the archive")
        return write_parquet(connection, table, path).rows
