"""Tests for tuban_crawler.discover.aliases: the URL a page is archived under."""

from __future__ import annotations

import pytest

from tuban_crawler.discover.aliases import MAX_CANONICAL_ALIASES, CanonicalClaims

H = "https://tubankab.go.id"
HOSTS = frozenset({"tubankab.go.id"})


@pytest.mark.parametrize(
    ("canonical_link", "archived_as"),
    [
        (None, f"{H}/entry/a"),
        # Itself, in another spelling.
        ("http://www.tubankab.go.id/entry/a/", f"{H}/entry/a"),
        # Another entry of the portal: the page is its alias.
        (f"{H}/entry/b", f"{H}/entry/b"),
        # Not an entry, or off the portal: ignored.
        (f"{H}/berita", f"{H}/entry/a"),
        ("https://example.com/entry/b", f"{H}/entry/a"),
        # Another site of the archive (a re-post naming the portal's copy): its own row (issue 22).
        ("https://diskominfo.tubankab.go.id/entry/a", f"{H}/entry/a"),
    ],
)
def test_a_page_is_archived_under_its_canonical_entry(
    canonical_link: str | None, archived_as: str
) -> None:
    hosts = HOSTS | {"diskominfo.tubankab.go.id"}
    assert CanonicalClaims().target(f"{H}/entry/a", canonical_link, hosts, H) == archived_as


def test_a_canonical_link_claimed_by_too_many_pages_is_distrusted() -> None:
    claims = CanonicalClaims()
    targets = [
        claims.target(f"{H}/entry/p{n}", f"{H}/entry/home", HOSTS, H)
        for n in range(MAX_CANONICAL_ALIASES + 2)
    ]
    assert targets[:MAX_CANONICAL_ALIASES] == [f"{H}/entry/home"] * MAX_CANONICAL_ALIASES
    assert targets[MAX_CANONICAL_ALIASES:] == [
        f"{H}/entry/p{MAX_CANONICAL_ALIASES}",
        f"{H}/entry/p{MAX_CANONICAL_ALIASES + 1}",
    ]
