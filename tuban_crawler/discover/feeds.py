"""Sitemaps, feeds and robots.txt → entry links: pure functions over bytes.

The XML parser resolves no entities and fetches nothing (sitemaps come from the web); a
gzip sitemap is unpacked to a bounded size (a decompression bomb stops there).
"""

from __future__ import annotations

import logging
import re
import zlib

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


#: Largest sitemap accepted once unpacked (the protocol allows 50 MB).
MAX_SITEMAP_BYTES = 64 * 1024 * 1024
_SITEMAP_LINE = re.compile(rb"^\s*sitemap\s*:\s*(\S+)", re.I | re.M)


def unpack(body: bytes, limit: int = MAX_SITEMAP_BYTES) -> bytes:
    """Return BODY unpacked when it is gzip (``sitemap.xml.gz``), else as it is; b"" past LIMIT or corrupt.

    >>> import gzip
    >>> unpack(gzip.compress(b"<urlset/>")), unpack(b"<urlset/>")
    (b'<urlset/>', b'<urlset/>')
    """
    if body[:2] != b"\x1f\x8b":
        return body
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data = inflater.decompress(body, limit + 1)
    except zlib.error:
        logger.warning("corrupt gzip sitemap (%d bytes) skipped", len(body))
        return b""
    if len(data) > limit:
        logger.warning("gzip sitemap larger than %d bytes unpacked: skipped", limit)
        return b""
    return data


def robots_sitemaps(body: bytes) -> list[str]:
    """Return the sitemap URLs a robots.txt names in ``Sitemap:`` lines.

    >>> robots_sitemaps(b"User-agent: *\\nDisallow: /admin/\\nSitemap: https://t.id/s.xml\\n")
    ['https://t.id/s.xml']
    """
    return [
        m.decode("utf-8", "replace") for m in _SITEMAP_LINE.findall(body.replace(b"\\n", b"\n"))
    ]


def sitemap_urls(body: bytes) -> tuple[dict[str, str | None], list[str]]:
    """Return ({page URL: lastmod as written}, sitemap URLs) listed by a sitemap or a sitemap index (gzip or not).

    >>> sitemap_urls(b'<urlset><url><loc>https://t.id/entry/a</loc><lastmod>2017-07-26</lastmod></url></urlset>')
    ({'https://t.id/entry/a': '2017-07-26'}, [])
    """
    root = _root(unpack(body))
    if root is None:
        return {}, []
    pages: dict[str, str | None] = {}
    sitemaps: list[str] = []
    for element in root.iter():
        if _local(element.tag) != "loc" or not (element.text or "").strip():
            continue
        parent = element.getparent()
        if parent is not None and _local(parent.tag) == "sitemap":
            sitemaps.append(element.text.strip())
            continue
        lastmod = next(
            (
                c.text.strip()
                for c in (parent if parent is not None else ())
                if _local(c.tag) == "lastmod" and (c.text or "").strip()
            ),
            None,
        )
        pages[element.text.strip()] = lastmod
    return pages, sitemaps


def sitemap_entries(body: bytes) -> tuple[list[str], list[str]]:
    """Return (page URLs, sitemap URLs) listed by a sitemap or a sitemap index.

    >>> sitemap_entries(b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc> https://t.id/entry/a </loc></url></urlset>')
    (['https://t.id/entry/a'], [])
    """
    pages, sitemaps = sitemap_urls(body)
    return list(pages), sitemaps


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
