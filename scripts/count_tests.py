"""Print how many tests pytest collects and how many ``assert`` statements the tests hold.

Run from the repository root (``python scripts/count_tests.py``) before and after a change to
the suite: neither number may go down. Asserts are counted on the syntax tree of every file
under ``tests/`` (an ``assert`` inside a loop or a helper counts once, wherever it is).
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def count_asserts(folder: Path) -> int:
    """Return the number of ``assert`` statements in the Python files under FOLDER."""
    total = 0
    for path in sorted(folder.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        total += sum(isinstance(node, ast.Assert) for node in ast.walk(tree))
    return total


def count_collected() -> int:
    """Return the number of tests ``pytest --collect-only`` finds (doctests included)."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "-n",
            "0",
            "-p",
            "no:cacheprovider",
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    match = re.search(r"(\d+) tests? collected", done.stdout)
    if match is None:
        sys.exit(f"pytest --collect-only said:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return int(match.group(1))


def main() -> None:
    """Print the two counts."""
    print(f"tests collected: {count_collected()}")
    print(f"assert statements under tests/: {count_asserts(REPO / 'tests')}")


if __name__ == "__main__":
    main()
