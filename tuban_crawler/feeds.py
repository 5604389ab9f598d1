"""Sitemaps and feeds → entry links: pure functions over XML bytes.

The XML parser resolves no entities and fetches nothing (sitemaps come from the web).
"""

from __future__ import annotations

import logging

from lxml import etree

logger = logging.getLogger(__name__)

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _root(body: bytes) -> etree._Element | None:
    if not body.strip():
        return None
    try:
        return etree.fromstring(body, parser=_PARSER)
    except etree.XMLSyntaxError:
        logger.warning("unreadable XML (%d bytes) skipped", len(body))
        return None


def sitemap_entries(body: bytes) -> tuple[list[str], list[str]]:
    """Return (page URLs, sitemap URLs) listed by a sitemap or a sitemap index.

    >>> sitemap_entries(b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc> https://t.id/entry/a </loc></url></urlset>')
    (['https://t.id/entry/a'], [])
    """
    root = _root(body)
    if root is None:
        return [], []
    pages: list[str] = []
    sitemaps: list[str] = []
    for element in root.iter():
        if _local(element.tag) != "loc" or not (element.text or "").strip():
            continue
        parent = _local(element.getparent().tag) if element.getparent() is not None else ""
        (sitemaps if parent == "sitemap" else pages).append(element.text.strip())
    return pages, sitemaps


def feed_entries(body: bytes) -> dict[str, str | None]:
    """Return {link: publication date as written} of the items of an RSS or Atom feed.

    >>> feed_entries(b"<rss><channel><item><link>https://t.id/entry/a</link><pubDate>Wed, 26 Jul 2017 13:24:00 +0700</pubDate></item></channel></rss>")
    {'https://t.id/entry/a': 'Wed, 26 Jul 2017 13:24:00 +0700'}
    """
    root = _root(body)
    if root is None:
        return {}
    entries: dict[str, str | None] = {}
    for item in root.iter():
        if _local(item.tag) not in ("item", "entry"):
            continue
        link = published = None
        for child in item:
            name = _local(child.tag)
            if name == "link":
                link = (child.text or child.get("href") or "").strip() or link
            elif name in ("pubDate", "published", "date", "issued"):
                published = (child.text or "").strip() or None
        if link:
            entries[link] = published
    return entries
