"""The portal's own layouts (``legacy``, ``current``): which one claims a page, and what its selectors read.

A layout claims a page only when the page really is in it: the layout's container holds the
layout's own title and its own metadata or body (``xpaths``: the sources named after the
layout). A foreign page that happens to share one class name (a WordPress ``div.post`` in a
``#content``) is left to the generic layer.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from tuban_crawler.extract import xpaths
from tuban_crawler.extract.markup import text_of

logger = logging.getLogger(__name__)


@dataclass
class LayoutReading:
    """What one of the portal's layouts reads from a page it claims."""

    name: str
    container: etree._Element
    title: str
    fields: dict[str, Any] = field(default_factory=dict)  # published, author, categories, views
    body: etree._Element | None = None


def _own(pairs: list[tuple[str, etree.XPath]], name: str) -> list[etree.XPath]:
    return [xpath for source, xpath in pairs if source == name]


def _first_match(candidates: list[etree.XPath], scope: etree._Element) -> etree._Element | None:
    for xpath in candidates:
        found = xpath(scope)
        if found:
            return found[0]
    return None


def categories_from(element: etree._Element) -> list[str]:
    """Return the category names of ELEMENT: its links' texts, else its text split at commas."""
    links = [text_of(a) for a in element.iter("a")]
    names = links if any(links) else text_of(element).split(",")
    return [n.strip(" ,") for n in names if n.strip(" ,")]


def claim(doc: etree._Element) -> LayoutReading | None:
    """Return the reading of the portal layout that claims DOC, or None when none does."""
    for name in xpaths.PORTAL_LAYOUTS:
        for container_xpath in _own(xpaths.ARTICLE_CONTAINERS, name):
            for container in container_xpath(doc):
                reading = _read(name, container)
                if reading is not None:
                    return reading
    return None


def _read(name: str, container: etree._Element) -> LayoutReading | None:
    title_element = _first_match(_own(xpaths.TITLE, name), container)
    title = text_of(title_element) if title_element is not None else ""
    if not title:
        return None
    fields: dict[str, Any] = {}
    for field_name, candidates in xpaths.META_ITEMS.items():
        element = _first_match(_own(candidates, name), container)
        if element is not None:
            fields[field_name] = (
                categories_from(element) if field_name == "categories" else text_of(element)
            )
    body = _first_match(_own(xpaths.BODY, name), container)
    if not fields and body is None:
        return None
    return LayoutReading(name, container, title, fields, body)
