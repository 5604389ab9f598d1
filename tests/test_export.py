"""``tuban-crawler export``: every row, every column, as JSON lines or CSV, round-tripped."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest

from tests.demo_archive import SEED_URL, build_demo_archive
from tuban_crawler import cli
from tuban_crawler.normalize.columns import JSON_COLUMNS
from tuban_crawler.store.export import export_table, write_csv


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    """Return the path of a demo archive."""
    return build_demo_archive(tmp_path_factory.mktemp("export") / "archive.db")


def stored(archive: Path, table: str) -> tuple[list[str], list[dict]]:
    """Return the columns and the rows of TABLE as sqlite3 reads them, in rowid order."""
    connection = sqlite3.connect(archive)
    try:
        cursor = connection.execute(f"select * from {table} order by rowid")
        columns = [d[0] for d in cursor.description]
        return columns, [dict(zip(columns, values, strict=False)) for values in cursor]
    finally:
        connection.close()


def test_jsonl_round_trips_every_article_and_every_column(archive, tmp_path):
    output = tmp_path / "articles.jsonl"
    assert (
        cli.main(["export", "--format", "jsonl", "--db", str(archive), "--output", str(output)])
        == 0
    )
    exported = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    columns, rows = stored(archive, "articles")
    assert len(exported) == len(rows) > 40
    for row, line in zip(rows, exported, strict=False):
        assert list(line) == columns  # every column, in table order
        decoded = {
            k: json.loads(v) if k in JSON_COLUMNS and v is not None else v for k, v in row.items()
        }
        assert line == decoded
    seed = next(line for line in exported if line["url"] == SEED_URL)
    assert seed["categories"] == ["Kegiatan Pemerintahan"]
    assert seed["published_at"] == "2017-07-26T13:24:00+07:00"


def test_csv_keeps_json_columns_as_their_text_and_null_as_empty(archive, tmp_path):
    output = tmp_path / "articles.csv"
    assert (
        cli.main(["export", "--format", "csv", "--db", str(archive), "--output", str(output)]) == 0
    )
    with output.open(encoding="utf-8", newline="") as handle:
        header, *lines = list(csv.reader(handle))
    columns, rows = stored(archive, "articles")
    assert header == columns
    assert lines == [["" if v is None else str(v) for v in row.values()] for row in rows]
    seed = dict(zip(header, next(line for line in lines if line[0] == SEED_URL), strict=False))
    assert seed["categories"] == '["Kegiatan Pemerintahan"]'


def test_jsonl_goes_to_standard_output_by_default(archive, capsys):
    assert cli.main(["export", "--db", str(archive)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(stored(archive, "articles")[1])
    assert all(isinstance(json.loads(line)["categories"], list) for line in lines)


@pytest.mark.parametrize(
    ("table", "decoded"),
    [
        ("article_versions", "categories"),
        ("crawl_runs", "report"),
        ("mentioned_dates", None),
    ],
)
def test_other_tables_export_too(archive, table, decoded):
    out = io.StringIO()
    count = export_table(archive, table, "jsonl", out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert count == len(lines) == len(stored(archive, table)[1]) > 0
    if decoded:
        assert all(not isinstance(line[decoded], str) for line in lines)


def test_export_fails_clearly_and_leaves_no_half_file(archive, tmp_path, capsys):
    assert cli.main(["export", "--db", str(tmp_path / "missing.db")]) == 1
    assert cli.main(["export", "--db", str(archive), "--table", "nope"]) == 1
    broken = tmp_path / "broken.db"
    broken.write_bytes(archive.read_bytes())
    with sqlite3.connect(broken) as connection:
        connection.execute("update articles set images = 'not json' where url = ?", [SEED_URL])
    connection.close()
    output = tmp_path / "out.jsonl"
    assert cli.main(["export", "--db", str(broken), "--output", str(output)]) == 1
    assert not output.exists() and not Path(f"{output}.partial").exists()
    err = capsys.readouterr().err
    assert "no archive at" in err and "no table 'nope'" in err and "images is not JSON" in err


@pytest.mark.parametrize(
    "cell", ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A2)", "\tx", "\r=1"]
)
def test_csv_cells_a_spreadsheet_would_run_are_shown_as_text(cell):
    out = io.StringIO()
    write_csv(["title", "views"], iter([(cell, -5), ("Rapat = koordinasi", None)]), out)
    _, hostile, plain = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert hostile == ["'" + cell, "-5"]  # a number stays a number
    assert plain == ["Rapat = koordinasi", ""]
