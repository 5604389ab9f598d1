"""Categories from the markup that labels them without a metadata list (issue 18).

Themes show an article's category in places ``metadata`` (labels and shapes) does not read:
a link to the category's page beside the title or under it (a badge, a chip, a hashtag
``#Kesehatan``), a short badge without a link next to the title, the category's step in a
breadcrumb (``Beranda » Kesehatan » the title``). What marks each of them is the link's
target (a category page: ``/kategori/...``, ``/category/...``, ``rel="category"``) or the
element's class (``badge``, ``category``...), never a theme's own names; the patterns live
in ``metaxpaths``. Values come back as written: ``normalize`` takes their decoration off
(``#``, bullets, trailing commas).

In the order believed: category links around the title, a badge beside it, category links
elsewhere in the article (a hashtag line after the text), the breadcrumb.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from lxml import etree

from tuban_crawler.extract import metaxpaths
from tuban_crawler.extract.markup import text_of

logger = logging.getLogger(__name__)

#: A category's name is short: longer link texts are headlines or sentences.
MAX_NAME_LENGTH = 40
MAX_NAME_WORDS = 5
#: More category links than this in one place list the site's categories, not the article's.
MAX_CATEGORIES = 3
#: A category link this close (in elements) to a headline sits in a list of other articles.
HEADLINE_BLOCK_DEPTH = 3


def is_category_link(link: etree._Element) -> bool:
    """Return True when LINK points at a category's page (by its address or its ``rel``).

    >>> from lxml import html
    >>> [is_category_link(html.fragment_fromstring(a)) for a in (
    ...     '<a href="/kategori/kesehatan">#Kesehatan</a>', '<a href="?cat=4">Umum</a>',
    ...     '<a rel="category tag" href="/x">Umum</a>', '<a href="/tag/tuban">Tuban</a>')]
    [True, True, True, False]
    """
    if "category" in (link.get("rel") or "").lower().split():
        return True
    href = link.get("href") or ""
    path = href.split("?", 1)[0].split("#", 1)[0]
    return bool(metaxpaths.CATEGORY_PATH.search(path) or metaxpaths.CATEGORY_QUERY.search(href))


def _name(element: etree._Element) -> str | None:
    text = text_of(element)
    if not text or len(text) > MAX_NAME_LENGTH or len(text.split()) > MAX_NAME_WORDS:
        return None
    return text


def _chrome(element: etree._Element) -> bool:
    if element.tag in metaxpaths.CATEGORY_CHROME_TAGS:
        return True
    if (element.get("role") or "").lower() in metaxpaths.CATEGORY_CHROME_ROLES:
        return True
    words = f"{element.get('class') or ''} {element.get('id') or ''}"
    return bool(metaxpaths.CATEGORY_CHROME_WORDS.search(words))


def _in_chrome(
    element: etree._Element, stop: etree._Element, heading: etree._Element | None
) -> bool:
    """Return True when ELEMENT sits in the site's chrome or in a list of headlines, below STOP."""
    for depth, ancestor in enumerate(element.iterancestors()):
        if ancestor is stop:
            return False
        if _chrome(ancestor) and not (
            heading is not None and any(node is heading for node in ancestor.iter())
        ):
            return True  # (an article's own <header> holds its title)
        if depth < HEADLINE_BLOCK_DEPTH and any(
            len(text_of(a)) > metaxpaths.HEADLINE_LINK_LENGTH for a in ancestor.iter("a")
        ):
            return True  # a block of other articles (related, popular) with their categories
    return False


def _links(scope: etree._Element, heading: etree._Element | None) -> list[str]:
    names: list[str] = []
    for link in scope.iter("a"):
        if not is_category_link(link) or _in_chrome(link, scope, heading):
            continue
        name = _name(link)
        if name and name not in names:
            names.append(name)
    # More than an article carries: a list of every category (a widget the chrome words missed).
    return names if len(names) <= MAX_CATEGORIES else []


def _badges(heading: etree._Element) -> list[str]:
    """Return the names on a badge right beside the title HEADING (before it or after it)."""
    for sibling in (heading.getprevious(), heading.getnext()):
        if sibling is None or not isinstance(sibling.tag, str):
            continue
        words = " ".join(sibling.get(a, "") for a in ("class", "id", "itemprop"))
        if metaxpaths.CATEGORY_BADGE.search(words) and not any(
            c.isdigit() for c in text_of(sibling)
        ):
            name = _name(sibling)
            if name:
                return [name]
    return []


def _breadcrumb(doc: etree._Element) -> list[str]:
    """Return the breadcrumb's category step: its last link to a category page."""
    for trail in metaxpaths.BREADCRUMBS(doc):
        names = [n for a in trail.iter("a") if is_category_link(a) and (n := _name(a))]
        if names:
            return names[-1:]
    return []


def read_categories(
    doc: etree._Element,
    container: etree._Element,
    near: etree._Element | None,
    heading: etree._Element | None,
) -> list[str]:
    """Return the category names the page's labelling markup shows, as written ([] when none).

    Parameters:
        doc: the whole page (for the breadcrumb, which sits outside the article).
        container: the element holding the article.
        near: the element around the title (its header), when found.
        heading: the title's heading, when found.
    """
    readings: list[Callable[[], list[str]]] = [
        lambda: _links(near, heading) if near is not None else [],
        lambda: _badges(heading) if heading is not None else [],
        lambda: _links(container, heading),
        lambda: _breadcrumb(doc),
    ]
    for reading in readings:  # the first that finds any, read only when those before found none
        names = reading()
        if names:
            return names
    return []
