"""Teasers: a short text that points to the full article on another page (issue 22; pure).

The regency's office sites announce the portal's stories with a lead of a sentence or two
under the story's own slug, ending "Selengkapnya di : www.tubankab.go.id" (and sometimes a
link). The teaser is archived as the page it is, but it is not the story: the store links it
to the article it announces (``articles.teaser_of``) and never takes it for that article's
body (``store.reposts``).

A text is a teaser when it has fewer than ``TEASER_MAX_WORDS`` words and

1. links to a page with its own slug on another site (``/entry/<slug>`` here, there); or
2. says "selengkapnya" (or "baca lengkap", "read more"...) and links to a page: the last link
   is the one the cue points to; or
3. says "selengkapnya" and names a site (``www.host``, ``host:port``, a URL): the article
   announced is that site's page at the teaser's own path (the same slug), unless a path is
   written.

Why 60 words: a teaser is a lead, one or two sentences of 15 to 45 words, and its pointer
(3 to 6 words); the portal's shortest news runs to 80 words and more (an announcement of a
paragraph). A long article that says "selengkapnya" (a schedule, "informasi selengkapnya
hubungi ...") is an article. Whether the site announced belongs to the archive is the store's
question (``store.reposts``); this module reads the text only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from tuban_crawler.discover.urls import site_key
from tuban_crawler.normalize.reposts import slug_of, words

#: A teaser has fewer words than this (a lead and its pointer; see the module's docstring).
TEASER_MAX_WORDS = 60
#: What announces the rest of the story elsewhere (Indonesian and English), case-blind.
_CUE = (
    r"(?:\bselengkapnya\b|\blebih\s+lengkap(?:nya)?\b|\bbaca\s+lengkap\b|\bberita\s+lengkap\b"
    r"|\bread\s+more\b|\bfull\s+story\b)"
)
CUE = re.compile(_CUE, re.IGNORECASE)
#: A site named in the text after the cue: a URL, ``www.host``, ``host.tld``, an address with a port.
_NAMED = re.compile(
    # The pointer may be its own paragraph ("Selengkapnya di :" then the host, as two <p>).
    _CUE + r"\W{0,12}(?:\w+\W{1,6}){0,5}?"
    r"(?P<scheme>https?://)?(?P<host>(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}"
    r"|\d{1,3}(?:\.\d{1,3}){3}|localhost)(?::(?P<port>\d{1,5}))?(?P<path>/[^\s\"'<>()]*)?",
    re.IGNORECASE,
)
#: A link to a file is not an article's page.
_FILE = re.compile(r"\.(?:pdf|jpe?g|png|gif|webp|docx?|xlsx?|pptx?|zip|rar|mp[34])$", re.I)


@dataclass(frozen=True)
class Announcement:
    """The article a teaser announces: its URL (as linked, or the site named with the teaser's slug)."""

    url: str
    #: How the teaser names it: ``link`` (a link in its body) or ``named site`` (the text only).
    how: str

    @property
    def site(self) -> str:
        """Return the announced article's site (host and port, ``reposts.site``)."""
        return site_key(self.url)

    @property
    def slug(self) -> str | None:
        """Return the announced article's slug (``reposts.slug_of``)."""
        return slug_of(self.url)


class _Links(HTMLParser):
    """The ``href`` of every ``<a>`` of an HTML fragment, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href") if tag == "a" else None
        if href and href.strip():
            self.hrefs.append(href.strip())


def links_of(body_html: str | None, base: str) -> list[str]:
    """Return the absolute http(s) links to pages (not files) in BODY_HTML, resolved against BASE, in order.

    >>> links_of('<p><a href="/entry/a">a</a> <a href="x.pdf">f</a> <a href="mailto:x@y">m</a></p>', "http://h/entry/b")
    ['http://h/entry/a']
    """
    parser = _Links()
    parser.feed(body_html or "")
    found = []
    for href in parser.hrefs:
        url = urljoin(base, href)
        path = urlsplit(url).path
        if (
            url.lower().startswith(("http://", "https://"))
            and slug_of(url)
            and not _FILE.search(path)
        ):
            found.append(url.split("#", 1)[0])
    return found


def is_short(body_text: str | None) -> bool:
    """Return whether BODY_TEXT is short enough to be a teaser (some words, fewer than ``TEASER_MAX_WORDS``).

    >>> is_short("Bupati meresmikan pasar. Selengkapnya di : www.tubankab.go.id"), is_short("")
    (True, False)
    """
    return 0 < len(words(body_text)) < TEASER_MAX_WORDS


def announcement(
    url: str, body_text: str | None, body_html: str | None = None
) -> Announcement | None:
    """Return what the page at URL announces when its text is a teaser (the module's rule), else None.

    Parameters:
        url: the page's canonical URL (its slug is the one a named site is asked for).
        body_text: its text; body_html: its body as HTML (for the links), if any.

    >>> announcement("http://office/entry/pasar-baru", "Bupati meresmikan pasar. Selengkapnya di : www.tubankab.go.id").url
    'http://tubankab.go.id/entry/pasar-baru'
    >>> announcement("http://office/entry/x", "Bupati meresmikan pasar.") is None
    True
    """
    if not is_short(body_text):
        return None
    own_site, own_slug = site_key(url), slug_of(url)
    links = [link for link in links_of(body_html, url) if link.rstrip("/") != url.rstrip("/")]
    for link in links:
        if site_key(link) != own_site and slug_of(link) == own_slug:
            return Announcement(link, "link")
    text = body_text or ""
    if links and CUE.search(text):
        return Announcement(links[-1], "link")
    for named in _NAMED.finditer(text):
        scheme = (named["scheme"] or f"{urlsplit(url).scheme or 'https'}://").lower()
        port = f":{named['port']}" if named["port"] else ""
        host = named["host"].lower().removeprefix("www.")  # the archive's URLs drop it
        path = (named["path"] or "").rstrip(".,;:!?")
        own_path = urlsplit(url).path
        target = f"{scheme}{host}{port}{path if slug_of(f'http://h{path}') else own_path}"
        if site_key(target) != own_site or (path and path.rstrip("/") != own_path.rstrip("/")):
            return Announcement(target, "named site")
    return None
