"""The command line, run as a user runs it, and the README that documents it."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PAGES, REPO
from tests.conftest import run_cli as run
from tuban_crawler import settings
from tuban_crawler.cli import build_parser

README = (REPO / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(build_parser()._subparsers._group_actions[0].choices)  # noqa: SLF001 (argparse has no public way)
PROJECT_SETTINGS = sorted(
    name for name in vars(settings) if name.startswith(("TUBAN_", "ARCHIVE_", "WARC_"))
)


@pytest.mark.e2e
@pytest.mark.parametrize(
    "command",
    [
        [sys.executable, "-m", "tuban_crawler.cli"],
        [str(Path(sys.executable).with_name("tuban-crawler"))],
    ],
    ids=["python -m tuban_crawler.cli", "tuban-crawler"],
)
def test_the_entry_points_start_the_command(command):
    result = subprocess.run(
        [*command, "--help"], capture_output=True, text=True, cwd=REPO, timeout=120
    )
    assert result.returncode == 0 and "usage: tuban-crawler" in result.stdout


def test_the_commands_the_issue_names_exist():
    assert {
        "crawl",
        "demo",
        "portal",
        "stats",
        "extract",
        "dates",
        "serve",
        "export",
        "warc",
    } <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_and_is_in_the_readme(command):
    result = run(command, "--help")
    assert result.returncode == 0 and "usage: tuban-crawler" in result.stdout
    assert f"`{command}" in README


@pytest.mark.parametrize("name", PROJECT_SETTINGS)
def test_every_project_setting_is_documented(name):
    assert f"`{name}`" in README


@pytest.mark.parametrize(
    "command",
    [
        "scripts/test",
        "scripts/test --min",
    ],
)
def test_the_readme_gives_the_test_commands_ci_runs(command):
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert command in README and command in ci


def test_the_minimum_constraints_pin_every_declared_floor():
    tomllib = pytest.importorskip("tomllib", reason="tomllib is in Python 3.11 and later")
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    floors = dict(
        re.match(r"([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?>=([^,;\s]+)", spec).groups()
        for spec in declared
    )
    lines = (REPO / "constraints-min.txt").read_text(encoding="utf-8").splitlines()
    pins = dict(line.split("==") for line in lines if line and not line.startswith("#"))
    assert {name.lower(): version for name, version in pins.items()} == {
        n.lower(): v for n, v in floors.items()
    }


def test_extract_prints_each_field_with_its_source():
    result = run(
        "extract", str(PAGES / "legacy_seed.html"), "--url", "https://tubankab.go.id/entry/asn"
    )
    assert result.returncode == 0, result.stderr
    fields = json.loads(result.stdout)["fields"]
    assert (
        fields["published_at"]["value"] == "2017-07-26T13:24:00+07:00"
        and fields["published_at"]["source"] == "legacy"
    )
    assert fields["author"]["value"] == "Yolency" and fields["author"]["source"] == "legacy"
    assert fields["dateline"]["value"] == "Tubankab"


def test_extract_shows_a_source_that_lost_and_why(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("""<html><head><title>Pasar Baru Dibuka - Pemkab</title>
    <script type="application/ld+json">{"@type": "NewsArticle", "headline": "Pasar Baru Dibuka",
      "datePublished": "0001-01-01T00:00:00Z",}</script></head>
    <body><article><h1>Pasar Baru Dibuka</h1><p class="meta">Diposting: Senin, 6 Januari 2020 | 09:30 WIB</p>
    <p>Pasar baru di Kecamatan Jenu dibuka untuk warga. Para pedagang menempati los yang telah disiapkan
    pemerintah desa sejak awal tahun, dan pembeli mulai berdatangan sejak pagi hari.</p></article></body></html>""")
    result = run("extract", str(page))
    published = json.loads(result.stdout)["fields"]["published_at"]
    assert published["value"] == "2020-01-06T09:30:00+07:00" and published["source"] == "meta-shape"
    assert (
        published["others"][0]["source"] == "json-ld"
        and "implausible" in published["others"][0]["verdict"]
    )


def test_extract_reads_a_page_of_an_unknown_theme_through_fallbacks():
    result = run("extract", str(PAGES / "jsonld_only.html"))
    fields = json.loads(result.stdout)["fields"]
    assert fields["published_at"] == {"value": "2021-01-04T09:15:00+07:00", "source": "json-ld"}


@pytest.mark.parametrize(
    ("encoding", "declaration", "title"),
    [
        ("gb2312", '<meta charset="gb2312">', "北京市发布暴雨预警"),
        (
            "iso-8859-15",
            '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-15">',
            "Coût de l’énergie : 15 € de plus",
        ),
        ("utf-16", "", "Harga cabai naik — “pedagang” mengeluh"),
    ],
    ids=["meta charset", "http-equiv", "byte-order mark"],
)
def test_extract_reads_a_saved_page_in_the_encoding_it_declares(
    tmp_path, encoding, declaration, title
):
    page = tmp_path / "page.html"
    text = f"""<html><head>{declaration}<title>{title}</title></head><body><article>
    <h1>{title}</h1><p>{title}. {title}. {title}.</p></article></body></html>"""
    page.write_bytes(
        text.replace("’", "'").encode(encoding)
        if encoding == "iso-8859-15"
        else text.encode(encoding)
    )
    result = run("extract", str(page))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["fields"]["title"]["value"] == title.replace("’", "'")


def test_stats_on_a_missing_archive_says_so(tmp_path):
    result = run("stats", "--db", str(tmp_path / "none.db"))
    assert result.returncode == 1 and "no archive" in result.stderr


def test_bad_arguments_are_refused_clearly():
    result = run("crawl", "-s", "NOVALUE")
    assert result.returncode == 2 and "NAME=VALUE" in result.stderr


def test_a_base_url_that_is_not_http_is_refused():
    result = run("crawl", "--base-url", "tubankab.go.id")
    assert result.returncode == 2 and "http(s) URL" in result.stderr


def test_a_file_that_is_not_an_archive_is_refused_untouched(tmp_path):
    not_a_db = tmp_path / "notes.db"
    not_a_db.write_text("not sqlite", encoding="utf-8")
    result = run("crawl", "--db", str(not_a_db), "--base-url", "http://127.0.0.1:9", "--no-warc")
    assert result.returncode == 1 and "not an archive" in result.stderr
    assert not_a_db.read_text(encoding="utf-8") == "not sqlite"


def test_every_promise_names_a_test_that_exists():
    promises = README[README.index("## Promises") :].split("\n## ", 1)[0]
    named = re.findall(r"`(tests/[\w/]+\.py)::(\w+)`", promises)
    assert named
    for path, test in named:
        assert f"def {test}(" in (REPO / path).read_text(encoding="utf-8"), f"{path}::{test}"
