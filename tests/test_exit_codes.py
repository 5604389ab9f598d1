"""The exit statuses: one enum, and the README's table that documents it."""

import re

from tests.conftest import REPO
from tuban_crawler import ExitCode
from tuban_crawler.cli import build_parser


def test_the_readme_table_lists_every_exit_status_and_no_other():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Exit statuses") :].split("\n#", 1)[0]
    listed = [int(code) for code in re.findall(r"^\| (\d+) \|", section, re.MULTILINE)]
    assert listed == [code.value for code in ExitCode]


def test_crawl_help_names_every_exit_status():
    crawl = build_parser()._subparsers._group_actions[0].choices["crawl"]  # noqa: SLF001 (argparse has no public way)
    assert all(f"{code.value} {code.summary}" in crawl.description for code in ExitCode)
