"""The page's chrome: sidebars, navigation, related and popular lists, comments, the site's footer.

Their dates and names belong to the site or to other articles (issue 18); the words and tags
that mark them live in ``metaxpaths``.
"""

from __future__ import annotations

from lxml import etree

from tuban_crawler.extract import metaxpaths


def is_chrome(element: etree._Element) -> bool:
    """Return True when ELEMENT is the page's chrome: a sidebar, a navigation, a related or popular list, comments, the site's footer.

    A ``<footer>`` inside an ``<article>`` is the article's own (its categories and tags).

    >>> import lxml.html
    >>> page = lxml.html.fromstring('<div><article><footer>a</footer></article><footer>b</footer></div>')
    >>> [is_chrome(e) for e in page.iter("footer")]
    [False, True]
    """
    words = f"{element.get('class', '')} {element.get('id', '')}"
    if element.tag in metaxpaths.CHROME_TAGS or element.get("role") in metaxpaths.CHROME_ROLES:
        return True
    footer = element.tag == "footer" or bool(metaxpaths.SITE_FOOTER.search(words))
    if footer and any(a.tag == "article" for a in element.iterancestors()):
        return False
    return footer or bool(metaxpaths.CHROME_WORDS.search(words))


def in_chrome(element: etree._Element, article: etree._Element | None = None) -> bool:
    """Return True when ELEMENT or one of its ancestors is the page's chrome (``is_chrome``).

    One that holds ARTICLE (the article's container or its title's surroundings) is not:
    a theme's ``<div class="content with-sidebar">`` or an unclosed ``<nav>`` wraps the
    article itself (issue 18).
    """
    holding = [article, *article.iterancestors()] if article is not None else []
    return any(
        is_chrome(node) and not any(node is held for held in holding)
        for node in (element, *element.iterancestors())
    )
