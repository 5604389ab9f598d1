"""The exit statuses: one enum, and the README's table that documents it."""

import re

from tests.conftest import REPO
from tuban_crawler import ExitCode


def test_the_readme_table_lists_every_exit_status_and_no_other():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Exit statuses") :].split("\n#", 1)[0]
    listed = [int(code) for code in re.findall(r"^\| (\d+) \|", section, re.MULTILINE)]
    assert listed == [code.value for code in ExitCode]
