"""The package's folders import, at module level, only the folders below them (STYLE.md).

Read from the source (AST), so no module is imported: an import inside a function, or in
an ``if TYPE_CHECKING:`` block, is not a dependency of the folder and is not counted.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import tuban_crawler

PACKAGE = Path(tuban_crawler.__file__).parent
#: The package root (``ExitCode``, ``__version__``) and ``settings.py`` (every default, read
#: by components without a fallback) import nothing of ours: any folder may use them.
OPEN_TO_ALL = {"__init__", "settings"}
EVERYTHING = frozenset({"*"})
#: What the crawl may use: every folder but the ones that show it, run it, or test it.
CRAWL = frozenset(
    {"discover", "extract", "dates", "normalize", "places", "store", "search", "warc", "items"}
)
#: What each folder (or top-level module) may import, below it in the order data flows.
ALLOWED: dict[str, frozenset[str]] = {
    "dates": frozenset(),
    # discover: the site of a URL (discover.urls.site_key), one rule for re-posts and scope (issue 22)
    "normalize": frozenset({"dates", "discover"}),
    # pure: text -> the kecamatan, desa and offices it names (issue 24)
    "places": frozenset(),
    "extract": frozenset({"dates"}),
    "discover": frozenset({"extract", "dates"}),
    # discover: the origin rule of a site (discover.sites, issue 22), one rule for every row
    "store": frozenset({"normalize", "dates", "places", "discover"}),
    "search": frozenset({"store", "normalize", "dates"}),
    "warc": frozenset({"store", "normalize", "dates"}),
    "fixity": frozenset({"store", "warc", "normalize", "dates"}),
    "items": frozenset({"normalize", "dates"}),
    "crawl": CRAWL,
    "web": CRAWL | {"crawl"},
    "cli": EVERYTHING,
    "portal": frozenset(),
    "__init__": frozenset(),
    "settings": frozenset(),
}
#: Imports that break the layering today, each with the way out; the list only shrinks.
KNOWN: dict[tuple[str, str], str] = {}
#: Folders that are pure, or the store: none of them imports Scrapy or Twisted.
WITHOUT_SCRAPY = (
    "dates",
    "normalize",
    "places",
    "extract",
    "discover",
    "store",
    "search",
    "warc",
    "fixity",
)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _module_level_imports(body: list[ast.stmt]) -> Iterator[ast.Import | ast.ImportFrom]:
    for node in body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        elif isinstance(node, ast.If):
            if not _is_type_checking(node.test):
                yield from _module_level_imports(node.body)
            yield from _module_level_imports(node.orelse)
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody, *(h.body for h in node.handlers)):
                yield from _module_level_imports(block)


def _part(path: Path) -> str:
    """Return the folder (or top-level module) of the package that PATH belongs to."""
    relative = path.relative_to(PACKAGE)
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


def _imported_modules(path: Path) -> Iterator[tuple[str, int]]:
    """Yield (dotted module name, line) for each module-level import of the file PATH."""
    package = ["tuban_crawler", *path.relative_to(PACKAGE).parent.parts]
    for node in _module_level_imports(ast.parse(path.read_text(encoding="utf-8")).body):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
            continue
        base = package[: len(package) - node.level + 1] if node.level else []
        module = ".".join([*base, *([node.module] if node.module else [])])
        for alias in node.names:
            # `from tuban_crawler import search` names a folder; `import ExitCode`, the root.
            yield f"{module}.{alias.name}", node.lineno


def _our_part(module: str) -> str | None:
    """Return the folder of tuban_crawler that MODULE is in, the root as ``__init__``, else None."""
    parts = module.split(".")
    if parts[0] != "tuban_crawler":
        return None
    if len(parts) > 1 and ((PACKAGE / parts[1]).is_dir() or (PACKAGE / f"{parts[1]}.py").is_file()):
        return parts[1]
    return "__init__"


def _imports() -> dict[tuple[str, str], list[str]]:
    """Return where (file:line) each folder imports each other folder of ours, at module level."""
    found: dict[tuple[str, str], list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        source = _part(path)
        for module, line in _imported_modules(path):
            target = _our_part(module)
            if target is not None and target != source:
                found.setdefault((source, target), []).append(f"{path.relative_to(PACKAGE)}:{line}")
    return found


def test_every_folder_has_its_place_in_the_layers():
    parts = {_part(path) for path in PACKAGE.rglob("*.py")}
    assert parts <= set(ALLOWED), f"add {sorted(parts - set(ALLOWED))} to ALLOWED"


def test_each_folder_imports_only_the_folders_below_it():
    wrong = {
        (source, target): where
        for (source, target), where in _imports().items()
        if target not in OPEN_TO_ALL
        and ALLOWED[source] is not EVERYTHING
        and target not in ALLOWED[source]
        and (source, target) not in KNOWN
    }
    assert not wrong, "\n".join(f"{s} -> {t}: {', '.join(w)}" for (s, t), w in wrong.items())


def test_each_known_exception_is_still_there():
    # A fixed exception leaves the list, so that it can't come back unnoticed.
    gone = sorted(set(KNOWN) - set(_imports()))
    assert not gone, f"{gone} no longer happen: remove them from KNOWN"


@pytest.mark.parametrize("folder", WITHOUT_SCRAPY)
def test_the_pure_folders_and_the_store_import_no_scrapy_or_twisted(folder):
    offending = [
        f"{path.relative_to(PACKAGE)}:{line} {module}"
        for path in sorted((PACKAGE / folder).rglob("*.py"))
        for module, line in _imported_modules(path)
        if module.split(".")[0] in ("scrapy", "twisted")
    ]
    assert not offending, "\n".join(offending)
