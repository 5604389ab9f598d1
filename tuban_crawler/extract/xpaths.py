"""The selectors of an article page's own parts: its container, title, metadata list, body and images.

Each field has an ordered list of ``(source, xpath)`` pairs, most specific first: the
portal's own layouts (``legacy``: the CMS theme used until 2018; ``current``: the theme
used since), then what article pages usually carry anyway. When the portal changes its
theme, this is the file to edit; ``tuban-crawler extract PAGE`` shows which source gave
each field. The other selectors and patterns live beside it, by what they read:

- ``extract.metaxpaths``: metadata every page may carry (JSON-LD, ``<meta>`` tags and
  OpenGraph, microdata and RDFa, ``<time>``, the canonical link) and metadata read by its
  shape (labels, icons, separators, what a date, a view count or an author looks like);
- ``discover.linkpaths``: links, pagination, feeds, the dates beside a listing's links and
  the site's chrome (navigation, sidebars, footer), read by ``discover.links``.

The expressions are compiled once at import (trafilatura's ``xpaths.py`` and
``metaxpaths.py`` are the model). Class tests use
``contains(concat(' ', normalize-space(@class), ' '), ' x ')`` so that ``post-title`` does
not also match ``post-title-small``.
"""

from __future__ import annotations

import re

from lxml import etree


def has_class(name: str) -> str:
    """Return an XPath predicate body that is true when an element carries class NAME."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def _compile(pairs: list[tuple[str, str]]) -> list[tuple[str, etree.XPath]]:
    return [(source, etree.XPath(expression)) for source, expression in pairs]


#: The portal's own layouts, in the order they are tried; their selectors are the sources named after them.
PORTAL_LAYOUTS = ("legacy", "current")

# -- the article's container: selectors below are tried inside it first ---------------
ARTICLE_CONTAINERS = _compile(
    [
        ("legacy", f"//div[@id='content']//div[{has_class('post')}]"),
        ("current", f"//article[{has_class('single-news')}]"),
        ("generic", "//article"),
        ("generic", "//*[@itemtype and contains(@itemtype, 'Article')]"),
        ("generic", "//main"),
    ]
)

# -- title -------------------------------------------------------------------------------
TITLE = _compile(
    [
        ("legacy", f".//h2[{has_class('post-title')}]"),
        ("current", f".//h1[{has_class('news-title')}]"),
        (
            "generic",
            f".//*[self::h1 or self::h2][{has_class('entry-title')} or {has_class('post-title')}]",
        ),
        ("generic", "//article//h1"),
    ]
)
#: Headings that may repeat the ``<title>`` text (an unknown theme's article title).
HEADINGS = etree.XPath("//h1 | //h2 | //h3 | //h4")
H1 = etree.XPath("//body//h1[not(ancestor::a[@href='/']) and not(.//a[@href='/'])]")
#: A heading that is (or holds) a link to the home page is the site's logo, not a title.
HOME_LINK = etree.XPath("ancestor-or-self::a[@href='/'] | .//a[@href='/']")
#: Suffix the CMS appends to ``<title>``; stripped when the title tag is the last resort.
TITLE_TAG_SUFFIX = re.compile(
    r"\s*[-|–—]\s*(Pemerintah\s+)?Kabupaten\s+Tuban.*$|\s*[-|–—]\s*tubankab\.go\.id.*$", re.I
)
TITLE_TAG = etree.XPath("//head/title")

# -- the metadata list: date, author, categories, views, in that order -------------------
# The portal's own markup first; failing that, a list whose items have the *shape* of the
# portal's metadata (``extract.metadata``, its patterns in ``metaxpaths``), which survives a
# change of classes.
META_ITEMS = {
    "published": _compile(
        [
            ("legacy", f".//ul[{has_class('post-meta')}]/li[i[{has_class('icon-time')}]]"),
            ("current", f".//*[{has_class('news-meta')}]/*[{has_class('news-date')}]"),
        ]
    ),
    "author": _compile(
        [
            ("legacy", f".//ul[{has_class('post-meta')}]/li[i[{has_class('icon-user')}]]"),
            ("current", f".//*[{has_class('news-meta')}]/*[{has_class('news-author')}]"),
        ]
    ),
    "categories": _compile(
        [
            (
                "legacy",
                f".//ul[{has_class('post-meta')}]/li[i[starts-with(@class, 'icon-folder')]]",
            ),
            ("current", f".//*[{has_class('news-meta')}]/*[{has_class('news-category')}]"),
        ]
    ),
    "views": _compile(
        [
            ("legacy", f".//ul[{has_class('post-meta')}]/li[i[starts-with(@class, 'icon-eye')]]"),
            ("current", f".//*[{has_class('news-meta')}]/*[{has_class('news-views')}]"),
        ]
    ),
}

# -- body ------------------------------------------------------------------------------
BODY = _compile(
    [
        ("legacy", f".//div[{has_class('post-content')}]"),
        ("current", f".//div[{has_class('news-body')}]"),
        ("generic", ".//*[@itemprop='articleBody']"),
        (
            "generic",
            f".//div[{has_class('entry-content')} or {has_class('article-content')} or {has_class('content')}]",
        ),
    ]
)
#: Where the densest-block reading looks: parents of paragraphs, of text ``<div>``s and of ``<br>`` lines.
PARAGRAPH_PARENTS = etree.XPath("//body//*[p or br or div[not(*)]]")
#: Block elements: they start a new line of text.
BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "table",
        "tr",
        "td",
        "th",
        "section",
        "article",
        "header",
        "footer",
        "figure",
        "figcaption",
        "hr",
        "main",
    }
)
HAS_BLOCK_CHILD = etree.XPath(
    "./*[self::p or self::div or self::ul or self::ol or self::table or self::h2 or self::h3]"
)
#: Block elements whose text makes a paragraph of the body.
BODY_BLOCKS = etree.XPath(".//p | .//blockquote[not(p)] | .//li | .//h2 | .//h3 | .//h4")
#: Elements inside a body that are never article text.
BODY_NOISE = etree.XPath(
    ".//script | .//style | .//noscript | .//iframe | .//form | .//button"
    f" | .//*[{has_class('disqus')} or @id='disqus_thread' or {has_class('share')} or {has_class('sharedaddy')}]"
)
#: Paragraphs that are page furniture, not body text (seen on the portal after the body).
BODY_TRAILERS = re.compile(
    r"^(comments powered by disqus\.?|sumber\s*:\s*.{0,60}|baca juga\s*:.*|share\s*:?.*|bagikan\s*:?.*)$",
    re.I,
)
#: A photo caption written before the title on some pages.
PHOTO_CAPTION = _compile(
    [
        ("legacy", f".//*[{has_class('foto-caption')}]"),
        (
            "generic",
            ".//p[starts-with(normalize-space(.), 'Foto :') or starts-with(normalize-space(.), 'Foto:')]",
        ),
    ]
)
PHOTO_CAPTION_TEXT = re.compile(r"^Foto\s*:\s*", re.I)

# -- images with captions -------------------------------------------------------------
IMAGE_BLOCKS = _compile(
    [
        ("legacy", f".//div[{has_class('post-thumb')}]"),
        ("current", f".//figure[{has_class('news-image')}]"),
        ("generic", ".//figure[.//img]"),
    ]
)
IMAGE_IMG = etree.XPath(".//img[@src or @data-src]")
IMAGE_CAPTION = etree.XPath(
    f".//figcaption | .//*[{has_class('caption')} or {has_class('wp-caption-text')}]"
)
