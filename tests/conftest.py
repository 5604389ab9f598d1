"""Shared fixtures (paths, the saved pages) and the markers each test gets from what it starts."""

from __future__ import annotations

import ast
import ctypes
import inspect
import io
import os
import re
import signal
import subprocess
import sys
import time
import types
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from functools import cache
from pathlib import Path
from unittest.mock import patch

import pytest

TESTS = Path(__file__).parent
PAGES = TESTS / "pages"
REPO = TESTS.parent
#: Scripts run by tests in other environments (pandas_reader.py: the tools' Python), not collected.
collect_ignore = ["pandas_reader.py"]

# What makes a test end-to-end: it (or a fixture or test helper it calls) starts the test portal,
# a crawl or another process. `pytest -m "not e2e"` leaves these out.
STARTS_PROCESSES = re.compile(
    r"\bPortalServer\(|\bsubprocess\.(?:run|Popen|call|check_call|check_output)\(|\bcrawl\(|\bcrawl_demo_archive\(|\bThreadingHTTPServer\("
)
#: Markers a whole test module gets: the browser and replay tests need software the README
#: installs separately (scripts/test installs both).
MODULE_MARKERS = {"test_browser": ("browser", "e2e"), "test_replay": ("replay", "e2e")}
#: Fixtures that need root (they skip without it).
ROOT_FIXTURES = {"small_disk"}


@cache
def _starts_processes(function: types.FunctionType, depth: int = 2) -> bool:
    """Return whether FUNCTION, or a function of tests/ it names (DEPTH levels down), starts a process."""
    try:
        source = inspect.getsource(function)
    except (OSError, TypeError):
        return False
    if STARTS_PROCESSES.search(source):
        return True
    if depth == 0:
        return False
    names = function.__code__.co_names
    for name in names:
        called = function.__globals__.get(name)
        if (
            isinstance(called, types.FunctionType)
            and Path(called.__code__.co_filename).parent == TESTS
            and _starts_processes(called, depth - 1)
        ):
            return True
    return False


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test e2e, browser, replay or root from what it and its fixtures do."""
    for item in items:
        if not isinstance(item, pytest.Function):
            continue
        module = item.module.__name__.rpartition(".")[2] if item.module else ""
        for name in MODULE_MARKERS.get(module, ()):
            item.add_marker(name)
        fixtures = item._fixtureinfo.name2fixturedefs  # noqa: SLF001 (the fixtures a test uses)
        functions = [item.function] + [
            definitions[-1].func for definitions in fixtures.values() if definitions
        ]
        if any(
            isinstance(function, types.FunctionType)
            and Path(function.__code__.co_filename).parent == TESTS
            and _starts_processes(function)
            for function in functions
        ):
            item.add_marker("e2e")
        if ROOT_FIXTURES & set(item.fixturenames):
            item.add_marker("root")


def _shares_fixtures(path: Path) -> bool:
    """Return whether the test module at PATH defines a fixture wider than one test (a crawl, a portal)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "fixture":
            scopes = [k.value for k in node.keywords if k.arg == "scope"]
            if any(isinstance(v, ast.Constant) and v.value != "function" for v in scopes):
                return True
    return False


def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    """Return pytest-xdist's scheduler, keeping together the tests of a module that shares a fixture.

    Those run in one worker, so that the module's crawl or portal is built once; every other
    test goes wherever a worker is free, which spreads a file of independent crawls
    (test_nightly.py) over both. (xdist's own ``loadgroup`` marks do not group on pytest 9.)
    """
    from xdist.scheduler import LoadScopeScheduling

    shared = {
        path.relative_to(config.rootpath).as_posix()
        for path in TESTS.glob("test_*.py")
        if _shares_fixtures(path)
    }

    class SharedFixtureScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return module if module in shared else nodeid

    return SharedFixtureScheduling(config, log)


@pytest.fixture
def pages() -> Path:
    """Return the folder of saved pages (golden pairs)."""
    return PAGES


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Return what ``tuban-crawler ARGS`` did, run in this process (a subprocess costs a second).

    For the commands that neither crawl nor serve; one test runs the entry points as processes.
    """
    from tuban_crawler.cli import main

    out, err = io.StringIO(), io.StringIO()
    with (
        redirect_stdout(out),
        redirect_stderr(err),
        patch.object(sys, "stdin", io.StringIO(stdin or "")),
    ):
        try:
            returncode = main(list(args))
        except SystemExit as exit:  # argparse: --help and wrong options
            returncode = exit.code if isinstance(exit.code, int) else 1
    return subprocess.CompletedProcess(list(args), returncode, out.getvalue(), err.getvalue())


# -- no test leaves a process behind ----------------------------------------------------------
#: prctl(2): orphaned descendants are re-parented to this process instead of init (Linux).
PR_SET_CHILD_SUBREAPER = 36


def children_running(parent: int) -> dict[int, str]:
    """Return the command lines of the processes whose parent is PARENT and that still run (not zombies), by pid."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue  # ended meanwhile
        # pid (comm) state ppid ...: comm may hold spaces and parentheses
        state, ppid = stat[stat.rindex(")") + 2 :].split()[:2]
        if int(ppid) == parent and state != "Z":
            found[int(entry.name)] = cmdline.replace(b"\0", b" ").decode(errors="replace").strip()
    return found


@pytest.fixture(scope="session", autouse=True)
def no_process_left_behind() -> Iterator[None]:
    """Fail the session when a test leaves a process running (a pywb, a portal, a crawl), then stop it.

    Set up first, torn down last. The test process is made the subreaper of everything it
    starts, so a process whose parent ended (a pywb left by a stopped ``replay``) is still seen.
    """
    if not Path("/proc/self/stat").exists():
        yield
        return
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # without it, direct children are still checked
    yield
    deadline = time.monotonic() + 10  # a process being stopped gets time to end
    while (left := children_running(os.getpid())) and time.monotonic() < deadline:
        time.sleep(0.2)
    for pid in left:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert not left, "tests left processes running: " + "; ".join(
        f"pid {pid}: {command}" for pid, command in left.items()
    )
