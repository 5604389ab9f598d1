"""``tuban-crawler dataset``: the archive as Parquet files and a dataset card, for research tools (issue 24)."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sqlite3
import sys
from contextlib import closing
from pathlib import Path

from tuban_crawler import ExitCode, __version__
from tuban_crawler.cli.common import AddCommand, CommandError, add_db_argument
from tuban_crawler.store.archive import ArchiveStore
from tuban_crawler.store.archivefile import connect_read_only
from tuban_crawler.store.card import archive_facts, dataset_card
from tuban_crawler.store.dataset import (
    DATASET_TABLES,
    ParquetUnavailable,
    TableWritten,
    require_pyarrow,
    write_parquet,
)

#: The archive's Datasette metadata: what each column means, said once for the pages and the card
#: (read as a file: importing the plugin would load Datasette for every command).
METADATA_PATH = Path(__file__).parent.parent / "web" / "datasette" / "metadata.json"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def column_descriptions() -> dict[str, dict[str, str]]:
    """Return archive table → column → what it means, as the archive's Datasette pages say it."""
    metadata = json.loads(METADATA_PATH.read_text(encoding="utf-8"))
    tables = next(iter(metadata["databases"].values()))["tables"]
    return {name: table.get("columns", {}) for name, table in tables.items()}


def _migrated(path: Path) -> None:
    """Bring the archive PATH's schema up to date when it predates the places (m014 tags its articles)."""
    with closing(connect_read_only(path)) as connection:
        tables = {r[0] for r in connection.execute("select name from sqlite_master")}
    if "articles" not in tables:
        raise CommandError(f"{path} is not a tuban-crawler archive (it has no articles table)")
    if "article_places" not in tables:
        print(f"{path}: tagging the places and offices of its articles (once)", file=sys.stderr)
        ArchiveStore(path).open().close()


def cmd_dataset(args: argparse.Namespace) -> int:
    """Write the archive's tables as Parquet files and their dataset card (README.md) to the output folder."""
    try:
        require_pyarrow()
    except ParquetUnavailable as error:
        raise CommandError(str(error)) from None
    folder = Path(args.output)
    if folder.exists() and not folder.is_dir():
        raise CommandError(f"{folder} is a file: give --output a folder to write the dataset into")
    _migrated(Path(args.db))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        written: dict[str, TableWritten] = {}
        digests: dict[str, str] = {}
        # One read transaction: the files and the card's counts come from one snapshot, even
        # while a crawl writes.
        with closing(connect_read_only(args.db)) as connection:
            connection.execute("begin")
            for table in DATASET_TABLES:
                target = folder / f"{table.name}.parquet"
                partial = target.with_name(target.name + ".partial")
                try:
                    written[table.name] = write_parquet(connection, table.table, partial)
                    os.replace(partial, target)
                finally:
                    partial.unlink(missing_ok=True)
                digests[table.name] = _sha256(target)
            card = dataset_card(
                connection,
                archive_facts(connection),
                written,
                digests,
                column_descriptions(),
                __version__,
            )
        (folder / "README.md").write_text(card, encoding="utf-8")
    except (sqlite3.DatabaseError, OSError, LookupError) as error:
        raise CommandError(str(error)) from None
    for table in DATASET_TABLES:
        print(f"{written[table.name].rows:>8} rows  {folder / (table.name + '.parquet')}")
    print(f"dataset card: {folder / 'README.md'}", file=sys.stderr)
    return ExitCode.OK


def add_commands(add: AddCommand) -> None:
    """Add ``dataset`` to the command's parser through ADD."""
    command = add(
        "dataset",
        cmd_dataset,
        "Write the archive as Parquet files (articles, versions, places, offices, view counts) "
        "with a dataset card, for pandas, polars, DuckDB, R and Hugging Face datasets.",
    )
    add_db_argument(command)
    command.add_argument(
        "--output", "-o", required=True, help="folder to write the files and README.md into"
    )
