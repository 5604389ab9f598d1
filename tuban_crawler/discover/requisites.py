"""What a page and a stylesheet reference to be shown as they were (page requisites): pure readers.

The requests for them are ``crawl.spidermiddlewares.requisites``'s.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from lxml import etree

from tuban_crawler.extract import markup

# What any HTML page references to be shown as it was: standard HTML, not the portal's
# templates, so these live here rather than in ``xpaths`` (which reads the portal's).
_PAGE_REFERENCES = (
    (
        "stylesheet",
        etree.XPath(
            "//link[contains(concat(' ', normalize-space(@rel), ' '), ' stylesheet ')]/@href"
        ),
    ),
    ("icon", etree.XPath("//link[contains(@rel, 'icon')]/@href")),
    ("font", etree.XPath("//link[@rel='preload'][@as='font']/@href")),
    ("script", etree.XPath("//script/@src")),
    # Every picture the page shows, not only the article's photos: a gallery, a logo, a banner.
    ("image", etree.XPath("//img/@src")),
)
_CSS_REFERENCE = re.compile(
    r"""@import\s+(?:url\()?\s*['"]?([^'")\s;]+)|url\(\s*['"]?([^'")]+?)['"]?\s*\)"""
)
_FONT_SUFFIXES = (".woff", ".woff2", ".ttf", ".otf", ".eot")


def page_requisites(html: bytes | str, page_url: str) -> list[tuple[str, str]]:
    """Return the (absolute URL, kind) of the stylesheets, icons, fonts and scripts PAGE references.

    >>> page_requisites(b'<link rel="stylesheet" href="/a.css"><script src="x.js"></script>', "https://t.id/e/1")
    [('https://t.id/a.css', 'stylesheet'), ('https://t.id/e/x.js', 'script')]
    """
    tree = markup.parse_html(html)
    found = []
    for kind, xpath in _PAGE_REFERENCES:
        found += [(urljoin(page_url, href.strip()), kind) for href in xpath(tree) if href.strip()]
    return _unique(found)


def css_requisites(css: str, css_url: str) -> list[tuple[str, str]]:
    """Return the (absolute URL, kind) of what the stylesheet CSS references (imports, fonts, images).

    >>> css_requisites("@import 'b.css'; a { background: url(/i.png) } @font-face { src: url('f.woff2') }",
    ...                "https://t.id/css/a.css")
    [('https://t.id/css/b.css', 'stylesheet'), ('https://t.id/i.png', 'image'), ('https://t.id/css/f.woff2', 'font')]
    """
    found = []
    for imported, referenced in _CSS_REFERENCE.findall(css):
        target = (imported or referenced).strip()
        if not target or target.startswith(("data:", "#")):
            continue
        url = urljoin(css_url, target)
        path = urlsplit(url).path.lower()
        kind = (
            "stylesheet"
            if imported or path.endswith(".css")
            else "font"
            if path.endswith(_FONT_SUFFIXES)
            else "image"
        )
        found.append((url, kind))
    return _unique(found)


def _unique(found: list[tuple[str, str]]) -> list[tuple[str, str]]:
    first: dict[str, str] = {}  # URL → the kind it was first found as
    for url, kind in found:
        first.setdefault(url, kind)
    return list(first.items())
