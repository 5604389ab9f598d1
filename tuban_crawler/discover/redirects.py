"""What a redirect means: a loop or an over-long chain (a failure), or where an entry went.

One check for both ways a redirect is followed: Scrapy's RedirectMiddleware for discovery pages
(``crawl.downloadermiddlewares.redirect_loops``) and the spider itself for entries, which it
follows by hand (``dont_redirect``) to keep the entry's canonical URL.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from tuban_crawler.discover.urls import is_entry_url

#: What the spider does with an entry's redirect (see ``entry_redirect``).
OFF_PORTAL, SAME_ENTRY, MOVED, GONE, NOT_AN_ARTICLE = (
    "off_portal",
    "same_entry",
    "moved",
    "gone",
    "not_an_article",
)


def redirect_problem(chain: Sequence[str], target: str, max_redirects: int) -> str | None:
    """Return why following a redirect to TARGET after CHAIN is a failure (a loop, too long a chain), or None.

    Parameters:
        chain: the URLs requested so far, the one that answered the redirect last.
        target: the absolute URL its ``Location`` names.
        max_redirects: the longest chain followed (``REDIRECT_MAX_TIMES``).

    >>> redirect_problem(["http://h/a", "http://h/b"], "http://h/a", 5)
    'redirect loop: http://h/a -> http://h/b -> http://h/a'
    >>> redirect_problem(["http://h/1", "http://h/2"], "http://h/3", 1)
    'redirect chain longer than 1: http://h/1 -> http://h/2 -> http://h/3'
    >>> redirect_problem(["http://h/1"], "http://h/2", 5) is None
    True
    """
    path = " -> ".join([*chain, target])
    if target in chain:
        return f"redirect loop: {path}"
    if len(chain) > max_redirects:
        return f"redirect chain longer than {max_redirects}: {path}"
    return None


def entry_redirect(
    url: str,
    location: str,
    target: str,
    in_scope: bool,
    archived: bool,
    is_entry: Callable[[str], bool] = is_entry_url,
) -> str:
    """Return what an entry's redirect is: ``OFF_PORTAL``, ``SAME_ENTRY``, ``MOVED``, ``GONE`` or ``NOT_AN_ARTICLE``.

    Parameters:
        url: the entry's canonical URL.
        location: the absolute URL it redirected to; TARGET is its canonical form.
        in_scope: LOCATION is on the portal.
        archived: the archive holds URL (a withdrawn article redirects to the home page).
        is_entry: whether a URL is an entry (by its site's pattern).

    >>> entry_redirect("https://h/entry/a", "http://www.h/entry/a", "https://h/entry/a", True, False)
    'same_entry'
    >>> entry_redirect("https://h/entry/a", "https://h/", "https://h/", True, True)
    'gone'
    """
    if not in_scope:
        return OFF_PORTAL
    if target == url:
        return SAME_ENTRY  # an alias of the same entry (scheme, www., slash)
    if is_entry(location):
        return MOVED
    return GONE if archived else NOT_AN_ARTICLE
