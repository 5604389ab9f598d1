"""Tests for tuban_crawler.discover.redirects: loops, long chains, and where an entry went."""

from __future__ import annotations

import pytest

from tuban_crawler.discover.redirects import (
    GONE,
    MOVED,
    NOT_AN_ARTICLE,
    OFF_PORTAL,
    SAME_ENTRY,
    entry_redirect,
    redirect_problem,
)

H = "https://tubankab.go.id"


@pytest.mark.parametrize(
    ("chain", "target", "problem"),
    [
        ([f"{H}/a"], f"{H}/b", None),
        # Back to where it started, or to itself.
        ([f"{H}/a", f"{H}/b"], f"{H}/a", f"redirect loop: {H}/a -> {H}/b -> {H}/a"),
        ([f"{H}/a"], f"{H}/a", f"redirect loop: {H}/a -> {H}/a"),
        # Longer than REDIRECT_MAX_TIMES (2 here).
        ([f"{H}/1", f"{H}/2"], f"{H}/3", None),
        (
            [f"{H}/1", f"{H}/2", f"{H}/3"],
            f"{H}/4",
            f"redirect chain longer than 2: {H}/1 -> {H}/2 -> {H}/3 -> {H}/4",
        ),
    ],
)
def test_a_redirect_loop_or_a_long_chain_is_a_problem(
    chain: list[str], target: str, problem: str | None
) -> None:
    assert redirect_problem(chain, target, 2) == problem


@pytest.mark.parametrize(
    ("location", "in_scope", "archived", "what"),
    [
        ("https://example.com/entry/a", False, True, OFF_PORTAL),
        # An alias of the same entry: scheme, www., a trailing slash.
        ("http://www.tubankab.go.id/entry/a/", True, False, SAME_ENTRY),
        (f"{H}/entry/a-baru", True, False, MOVED),
        # Withdrawn articles redirect to the home page.
        (f"{H}/", True, True, GONE),
        (f"{H}/", True, False, NOT_AN_ARTICLE),
    ],
)
def test_an_entry_redirect_says_where_the_entry_went(
    location: str, in_scope: bool, archived: bool, what: str
) -> None:
    url = f"{H}/entry/a"
    target = url if "/entry/a" in location and "baru" not in location else location
    assert entry_redirect(url, location, target, in_scope, archived) == what
