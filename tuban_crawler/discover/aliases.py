"""Which URL a page is archived under: its ``rel=canonical`` entry, unless too many pages claim it."""

from __future__ import annotations

from tuban_crawler.discover.sites import DEFAULT_ENTRY, EntryPattern
from tuban_crawler.discover.urls import canonical_url, in_scope, is_entry_url, site_key

#: Pages that may name one entry as their ``rel=canonical`` before the claim is distrusted.
MAX_CANONICAL_ALIASES = 20


class CanonicalClaims:
    """The pages of one run that named each entry as their canonical link."""

    def __init__(self, max_aliases: int = MAX_CANONICAL_ALIASES) -> None:
        self.max_aliases = max_aliases
        self.claims: dict[str, set[str]] = {}  # rel=canonical target → pages naming it

    def target(
        self,
        url: str,
        canonical_link: str | None,
        hosts: frozenset[str] | set[str],
        base_url: str,
        entry: EntryPattern = DEFAULT_ENTRY,
    ) -> str:
        """Return the URL to archive the page at URL under: its in-scope ``rel=canonical`` entry when it names one.

        A template that gives every page the same canonical link must not fold the site into
        one row: past ``max_aliases`` pages claiming one target, the claim is ignored. A link to
        another site is a syndication claim, not an alias: a re-post or a teaser on an office's
        site keeps its own row, linked to the story (``store.reposts``, issue 22).

        Parameters:
            url: the page's canonical URL.
            canonical_link: the page's ``rel=canonical`` link, if any.
            hosts, base_url: the portal's scope and base URL.
            entry: the entry pattern of the canonical link's site.

        >>> claims = CanonicalClaims(max_aliases=1)
        >>> [claims.target(f"http://h/entry/{n}", "http://h/entry/x", {"h"}, "http://h") for n in "ab"]
        ['http://h/entry/x', 'http://h/entry/b']
        """
        if (
            not canonical_link
            or not is_entry_url(canonical_link, entry)
            or not in_scope(canonical_link, hosts)
            or site_key(canonical_link) != site_key(url)
        ):
            return url
        target = canonical_url(canonical_link, base_url, entry)
        if target == url:
            return url
        claims = self.claims.setdefault(target, set())
        claims.add(url)
        return url if len(claims) > self.max_aliases else target
