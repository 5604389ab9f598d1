"""``tuban-crawler dataset`` and ``export --format parquet``: typed Parquet read back by pyarrow and pandas, and a card that counts right."""

from __future__ import annotations

import builtins
import json
import os
import re
import sqlite3
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import run_cli
from tests.demo_archive import SEED_URL, article, build_demo_archive, fetch
from tuban_crawler.store.archive import ArchiveStore

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

PLACES_URL = "https://tubankab.go.id/entry/posyandu-desa-sugihwaras"
STRING, INT16, INT32, INT64 = "string", "int16", "int32", "int64"
WIB, UTC = "timestamp[us, tz=+07:00]", "timestamp[us, tz=UTC]"
STRINGS = "list<element: string>"
IMAGES = "list<element: struct<src: string, caption: string, alt: string>>"
SOURCES = "list<element: struct<field: string, source: string>>"
#: Every column of every file with its type: a new column fails here until it is typed and described.
ARTICLE_TYPES = {
    "url": STRING,
    "kind": STRING,
    "title": STRING,
    "published_at": WIB,
    "published_year": INT16,
    "published_month": STRING,
    "published_raw": STRING,
    "published_precision": STRING,
    "date_reason": STRING,
    "date_warnings": STRINGS,
    "author": STRING,
    "categories": STRINGS,
    "views": INT64,
    "body_text": STRING,
    "body_html": STRING,
    "dateline": STRING,
    "credit": STRING,
    "images": IMAGES,
    "photo_caption": STRING,
    "layout": STRING,
    "field_sources": SOURCES,
    "content_hash": STRING,
    "version": INT32,
    "first_seen_at": UTC,
    "last_seen_at": UTC,
    "last_changed_at": UTC,
    "gone_at": UTC,
    "gone_status": INT16,
    "etag": STRING,
    "last_modified": STRING,
    "fetched_url": STRING,
    "published_date": "date32[day]",
    "text_hash": STRING,
    "same_text_as": STRING,
    "warc_record_id": STRING,
    "payload_sha256": STRING,
    "site": STRING,  # issue 22
    "story_hash": STRING,
    "reposted_from": STRING,
    "teaser_of": STRING,
}
VERSION_TYPES = {
    "id": INT64,
    "url": STRING,
    "version": INT32,
    "content_hash": STRING,
    "title": STRING,
    "published_at": WIB,
    "author": STRING,
    "categories": STRINGS,
    "body_text": STRING,
    "body_html": STRING,
    "dateline": STRING,
    "credit": STRING,
    "images": IMAGES,
    "photo_caption": STRING,
    "kind": STRING,
    "first_seen_at": UTC,
    "replaced_at": UTC,
    "replaced_by_run": STRING,
    "warc_record_id": STRING,
    "payload_sha256": STRING,
}
EVIDENCE = {"matched": STRING, "field": STRING, "start_char": INT32, "end_char": INT32}
FILES = {
    "articles": ("articles", ARTICLE_TYPES),
    "versions": ("article_versions", VERSION_TYPES),
    "places": (
        "article_places",
        {
            "article_url": STRING,
            "version": INT32,
            "kind": STRING,
            "name": STRING,
            "kecamatan": STRING,
            "code": STRING,
            **EVIDENCE,
        },
    ),
    "offices": (
        "article_offices",
        {
            "article_url": STRING,
            "version": INT32,
            "office_id": STRING,
            "name": STRING,
            "abbreviation": STRING,
            **EVIDENCE,
        },
    ),
    "view_counts": (
        "view_counts",
        {"url": STRING, "seen_at": UTC, "views": INT64, "run_id": STRING},
    ),
}


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    """Return a demo archive with an article that names a desa, its kecamatan and two offices."""
    path = build_demo_archive(tmp_path_factory.mktemp("dataset") / "archive.db")
    with ArchiveStore(path) as store:
        store.start_run("run-2", "incremental", "https://tubankab.go.id")
        store.save_article(
            article(
                PLACES_URL,
                "Bupati Resmikan Posyandu di Desa Sugihwaras, Kecamatan Jenu",
                "2020-02-03T10:00:00+07:00",
                "Heri S",
                ["Kesehatan", "Umum"],
                ["Dinas Kesehatan dan BPBD Tuban hadir bersama Camat Palang."],
            ),
            fetch(PLACES_URL, "2026-03-01T00:00:00+00:00"),
            "run-2",
        )
        store.finish_run("run-2", "ok", {"new": 1}, {"status": "ok", "problems": []})
    return path


@pytest.fixture(scope="module")
def dataset(archive, tmp_path_factory) -> Path:
    """Return the folder ``tuban-crawler dataset`` wrote from ARCHIVE."""
    folder = tmp_path_factory.mktemp("out") / "tuban-news"
    done = run_cli("dataset", "--db", str(archive), "--output", str(folder))
    assert done.returncode == 0, done.stderr
    return folder


def count(archive: Path, sql: str) -> int:
    connection = sqlite3.connect(archive)
    try:
        return connection.execute(sql).fetchone()[0]
    finally:
        connection.close()


@pytest.mark.parametrize("name", FILES)
def test_every_file_has_every_row_and_every_column_typed_as_pyarrow_reads_it(
    archive, dataset, name
):
    table, types = FILES[name]
    read = pq.read_table(dataset / f"{name}.parquet")
    assert {f.name: str(f.type) for f in read.schema} == types
    assert list(read.schema.names) == list(types)  # in the archive's column order
    assert read.num_rows == count(archive, f"select count(*) from {table}") > 0


def read_with_pandas(path: Path, *where: str) -> dict:
    """Return what pandas reads of the Parquet file PATH (``tests/pandas_reader.py``), in the tools' environment."""
    wayback = os.environ.get("TUBAN_PYWB")
    candidates = [Path(wayback).with_name("python")] if wayback else []
    candidates.append(Path(__file__).parent.parent / ".venv-replay" / "bin" / "python")
    for python in candidates:
        if python.is_file() and subprocess.run([python, "-c", "import pandas"]).returncode == 0:
            done = subprocess.run(
                [python, Path(__file__).with_name("pandas_reader.py"), path, *where],
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert done.returncode == 0, done.stderr[-2000:]
            return json.loads(done.stdout)
    if os.environ.get("CI"):
        pytest.fail(
            "pandas is not installed beside pywb (TUBAN_PYWB): scripts/test installs it in .venv-replay"
        )
    pytest.skip("pandas is not installed beside pywb: scripts/test installs it in .venv-replay")


@pytest.mark.parametrize("name", FILES)
def test_pandas_reads_every_column_with_its_type(dataset, name):
    _, types = FILES[name]
    read = read_with_pandas(dataset / f"{name}.parquet")
    assert read["dtypes"] == types
    # Read the default way, instants keep their zone: WIB for publication, UTC for the archive's own.
    instants = {column: kind for column, kind in types.items() if kind in (WIB, UTC)}
    assert read["zones"] == {column: 7 if kind == WIB else 0 for column, kind in instants.items()}


def test_the_seed_reads_back_as_it_was_published(dataset):
    [seed] = read_with_pandas(dataset / "articles.parquet", "url", SEED_URL)["rows"]
    assert seed["published_at"] == "2017-07-26T13:24:00+07:00"  # in WIB, as the portal wrote it
    assert seed["categories"] == ["Kegiatan Pemerintahan"]
    assert seed["published_date"] == "2017-07-26"
    assert seed["views"] == 628 and seed["version"] == 1
    mine = read_with_pandas(dataset / "places.parquet", "article_url", PLACES_URL)["rows"]
    assert {(r["kind"], r["name"], r["kecamatan"]) for r in mine} >= {
        ("desa", "Sugihwaras", "Jenu"),
        ("kecamatan", "Jenu", "Jenu"),
        ("kecamatan", "Palang", "Palang"),
    }


def card(dataset: Path) -> tuple[dict, str]:
    text = (dataset / "README.md").read_text(encoding="utf-8")
    _, header, body = text.split("---\n", 2)
    return yaml.safe_load(header), body


def test_the_card_is_a_hugging_face_card_whose_counts_are_the_archives(archive, dataset):
    header, body = card(dataset)
    assert header["license"] == "other" and header["language"] == ["id"]
    configs = {c["config_name"]: c for c in header["configs"]}
    assert set(configs) == set(FILES)
    for name, (table, types) in FILES.items():
        [files] = configs[name]["data_files"]
        assert (dataset / files["path"]).is_file()
        [info] = [i for i in header["dataset_info"] if i["config_name"] == name]
        assert [f["name"] for f in info["features"]] == list(types)
        [split] = info["splits"]
        assert split["num_examples"] == count(archive, f"select count(*) from {table}")
    counts = dict(re.findall(r"^\| ([^|]+?) \| (\d+) \|$", body, re.MULTILINE))
    assert int(counts["articles (kind article)"]) == count(
        archive, "select count(*) from articles where kind = 'article'"
    )
    assert int(counts["articles mentioning a place"]) == count(
        archive, "select count(distinct article_url) from article_places"
    )
    for name, (table, _) in FILES.items():
        assert int(counts[name]) == count(archive, f"select count(*) from {table}")
    # What it covers, how it was made, what is missing, what fields mean, licence, citation.
    first, last = (
        count(archive, f"select {f}(published_at) from articles") for f in ("min", "max")
    )
    assert f"published from {first} to {last} (WIB)" in body
    assert "| run-1 | full |" in body and "| run-hostile |" in body
    assert "Pages that failed and will be tried again: 1 (HTTP 500 (1))." in body
    assert "| categories | list<string> | List of the article's categories" in body
    assert "| published_at | timestamp[us, tz=+07:00] | " in body
    assert "no open licence" in body
    digest = re.search(r"content digest `([0-9a-f]{64})`", body)
    assert digest and digest.group(1) in body.split("```bibtex", 1)[1]


def test_without_pyarrow_one_line_says_which_extra_to_install(archive, tmp_path, monkeypatch):
    real_import = builtins.__import__

    def no_pyarrow(name, *args, **kwargs):
        if name.split(".")[0] == "pyarrow":
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    for args in (
        ("dataset", "--db", str(archive), "--output", str(tmp_path / "d")),
        (
            "export",
            "--format",
            "parquet",
            "--db",
            str(archive),
            "--output",
            str(tmp_path / "a.parquet"),
        ),
    ):
        done = run_cli(*args)
        assert done.returncode == 1
        assert done.stderr.count("\n") == 1, done.stderr
        assert "pip install 'tuban-crawler[dataset]'" in done.stderr
    assert not list(tmp_path.iterdir())


def test_export_writes_one_table_as_typed_parquet(archive, tmp_path):
    output = tmp_path / "places.parquet"
    done = run_cli(
        "export",
        "--format",
        "parquet",
        "--table",
        "article_places",
        "--db",
        str(archive),
        "--output",
        str(output),
    )
    assert done.returncode == 0, done.stderr
    read = pq.read_table(output)
    assert read.num_rows == count(archive, "select count(*) from article_places")
    assert str(read.schema.field("start_char").type) == INT32
    # A table the dataset does not describe: its declared types, *_at as UTC instants.
    runs = tmp_path / "runs.parquet"
    assert (
        run_cli(
            "export",
            "--format",
            "parquet",
            "--table",
            "crawl_runs",
            "--db",
            str(archive),
            "--output",
            str(runs),
        ).returncode
        == 0
    )
    schema = pq.read_schema(runs)
    assert (str(schema.field("started_at").type), str(schema.field("new").type)) == (UTC, INT64)


def test_export_parquet_needs_a_file_and_a_table_that_exists(archive, tmp_path):
    to_stdout = run_cli("export", "--format", "parquet", "--db", str(archive))
    assert to_stdout.returncode == 2 and "--output" in to_stdout.stderr
    missing = run_cli(
        "export",
        "--format",
        "parquet",
        "--table",
        "nope",
        "--db",
        str(archive),
        "--output",
        str(tmp_path / "x.parquet"),
    )
    assert missing.returncode == 1 and "no table 'nope'" in missing.stderr
    assert not list(tmp_path.iterdir())


def test_a_value_that_is_not_its_type_is_written_null_and_counted(tmp_path):
    from tuban_crawler.store.dataset import write_parquet

    path = tmp_path / "archive.db"
    with ArchiveStore(path) as store:
        store.db.execute(
            "insert into articles (url, published_at, categories, views) values (?, ?, ?, ?)",
            ["u", "kemarin", "not json", "many"],
        )
    connection = sqlite3.connect(path)
    written = write_parquet(connection, "articles", tmp_path / "a.parquet")
    connection.close()
    assert written.rows == 1
    assert written.unreadable == {"published_at": 1, "categories": 1, "views": 1}
    row = pq.read_table(tmp_path / "a.parquet").to_pylist()[0]
    assert (row["url"], row["published_at"], row["categories"], row["views"]) == (
        "u",
        None,
        None,
        None,
    )


def test_an_archive_from_before_the_places_is_tagged_then_written(tmp_path):
    from tests.demo_archive import older_archive

    path = older_archive(tmp_path / "old.db")
    done = run_cli("dataset", "--db", str(path), "--output", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    assert "tagging the places and offices of its articles (once)" in done.stderr
    assert pq.read_table(tmp_path / "out" / "articles.parquet").num_rows == 2


@pytest.mark.parametrize("problem", ["missing archive", "output is a file"])
def test_a_wrong_path_is_one_line(archive, tmp_path, problem):
    taken = tmp_path / "taken"
    taken.write_text("x")
    db, output = (
        (tmp_path / "nope.db", tmp_path / "out")
        if problem == "missing archive"
        else (archive, taken)
    )
    done = run_cli("dataset", "--db", str(db), "--output", str(output))
    assert done.returncode == 1 and done.stderr.count("\n") == 1, done.stderr
    assert "Traceback" not in done.stderr
