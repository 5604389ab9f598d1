"""Shared fixtures: paths, the seed article, a running test portal."""

from __future__ import annotations

from pathlib import Path

import pytest

TESTS = Path(__file__).parent
PAGES = TESTS / "pages"
REPO = TESTS.parent


@pytest.fixture
def pages() -> Path:
    """Return the folder of saved pages (golden pairs)."""
    return PAGES
