"""HTML → raw fields: pure functions, no Scrapy objects needed to call them.

``extract_entry(html, url)`` reads one article or evergreen page. Each field comes from
the first source that yields it, in the order set in ``xpaths``: the portal's own
layouts, then the metadata list recognised by its shape, then JSON-LD, OpenGraph /
``article:*`` meta tags and ``<time datetime>``. ``ExtractedEntry.sources`` says which
source gave each field, so a change of the site's layout shows up as a change of sources
before it shows up as missing data.

Values here are raw: the date as written, categories as listed, views as printed.
Normalising is the job of ``normalize``.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urljoin

from lxml import etree

from tuban_crawler import xpaths
from tuban_crawler.markup import parse_html, text_of

logger = logging.getLogger(__name__)

@dataclass
class ExtractedEntry:
    """The raw fields of one entry page, and the source of each."""

    url: str
    title: str | None = None
    published_raw: str | None = None
    modified_raw: str | None = None
    author: str | None = None
    categories: list[str] = field(default_factory=list)
    views_raw: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    body_html: str | None = None
    images: list[dict[str, str]] = field(default_factory=list)
    photo_caption: str | None = None
    canonical_link: str | None = None
    layout: str | None = None
    sources: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """Return the fields as a plain dict (what ``tuban-crawler extract`` prints)."""
        return asdict(self)


def _first(candidates: list[tuple[str, etree.XPath]], scope: etree._Element) -> tuple[str, list[Any]]:
    for source, xpath in candidates:
        found = xpath(scope)
        if found:
            return source, found
    return "", []


def _find_container(doc: etree._Element) -> tuple[str, etree._Element]:
    source, found = _first(xpaths.ARTICLE_CONTAINERS, doc)
    return (source, found[0]) if found else ("document", doc)


def _meta_content(doc: etree._Element, names: tuple[str, ...]) -> str | None:
    for name in names:
        for value in xpaths.META_PROPERTY(doc, name=name):
            if value and value.strip():
                return value.strip()
    return None


def read_json_ld(doc: etree._Element) -> dict[str, Any]:
    """Return the first article-like JSON-LD object of DOC, or {} (never evaluated, only parsed)."""
    for raw in xpaths.JSON_LD(doc):
        try:
            data = json.loads(raw)
        except ValueError:
            logger.debug("unreadable JSON-LD block skipped")
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            node = stack.pop(0)
            if not isinstance(node, dict):
                continue
            stack.extend(node.get("@graph", []) if isinstance(node.get("@graph"), list) else [])
            types = node.get("@type", [])
            types = types if isinstance(types, list) else [types]
            if xpaths.JSON_LD_ARTICLE_TYPES.intersection(t for t in types if isinstance(t, str)):
                return node
    return {}


def _json_ld_text(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    return value.strip() if isinstance(value, str) and value.strip() else None


def split_meta_items(texts: list[str]) -> dict[str, str]:
    """Return the metadata fields recognised by their shape in the list item TEXTS.

    The portal lists date, author, categories (comma-terminated) and views, in that
    order; this reads them by shape, not position, so a missing item shifts nothing.

    >>> split_meta_items(["26 July 2017 13:24", "Yolency", "Kegiatan Pemerintahan,", "628"])
    {'published': '26 July 2017 13:24', 'author': 'Yolency', 'categories': 'Kegiatan Pemerintahan,', 'views': '628'}
    """
    found: dict[str, str] = {}
    for text in (t.strip(" -–•\t") for t in texts):
        if not text:
            continue
        if "published" not in found and xpaths.PORTAL_DATE_SHAPE.match(text):
            found["published"] = text
        elif "views" not in found and xpaths.VIEWS_SHAPE.match(text):
            found["views"] = text
        elif "categories" not in found and text.endswith(","):
            found["categories"] = text
        elif "author" not in found and "published" in found and len(text) <= 60:
            found["author"] = text
    return found


def read_meta_shape(container: etree._Element) -> dict[str, str]:
    """Return the metadata read from the first list in CONTAINER shaped like the portal's."""
    for candidate in xpaths.META_LIST_CANDIDATES(container):
        items = [text_of(li) for li in xpaths.META_LIST_ITEMS(candidate)]
        if not items:
            own_text = text_of(candidate)
            if own_text.count(xpaths.META_BULLET) < 2 or len(own_text) > 300:
                continue
            items = own_text.split(xpaths.META_BULLET)
        fields = split_meta_items(items)
        if "published" in fields:
            return fields
    return {}


def _categories_from(element: etree._Element) -> list[str]:
    links = [text_of(a) for a in element.iter("a")]
    names = links if any(links) else text_of(element).split(",")
    return [n.strip(" ,") for n in names if n.strip(" ,")]


def _title_tag(doc: etree._Element) -> str:
    titles = xpaths.TITLE_TAG(doc)
    return xpaths.TITLE_TAG_SUFFIX.sub("", text_of(titles[0])) if titles else ""


def _read_title_heading(entry: ExtractedEntry, doc: etree._Element) -> None:
    """Take as title the heading that repeats the ``<title>`` text (an unknown theme)."""
    wanted = _title_tag(doc).casefold()
    if not wanted:
        return
    for heading in xpaths.HEADINGS(doc):
        text = text_of(heading)
        if text and text.casefold() == wanted:
            entry.title = text
            entry.sources["title"] = "heading"
            return


def _read_meta(entry: ExtractedEntry, container: etree._Element) -> None:
    for name, candidates in xpaths.META_ITEMS.items():
        source, found = _first(candidates, container)
        if not found:
            continue
        entry.sources[name] = source
        if name == "categories":
            entry.categories = _categories_from(found[0])
        else:
            setattr(entry, {"published": "published_raw", "views": "views_raw"}.get(name, name), text_of(found[0]))
    missing = [n for n in xpaths.META_ITEMS if n not in entry.sources]
    if not missing:
        return
    shaped = read_meta_shape(container)
    for name in missing:
        if name not in shaped:
            continue
        entry.sources[name] = "meta-shape"
        if name == "categories":
            entry.categories = [c.strip() for c in shaped[name].split(",") if c.strip()]
        else:
            setattr(entry, {"published": "published_raw", "views": "views_raw"}.get(name, name), shaped[name])


def _densest_paragraph_parent(doc: etree._Element) -> etree._Element | None:
    """Return the element whose own <p> children hold the most text (htmldate/trafilatura's idea)."""
    best, best_length = None, 0
    for parent in xpaths.PARAGRAPH_PARENTS(doc):
        length = sum(len(text_of(p)) for p in parent if p.tag == "p")
        if length > best_length:
            best, best_length = parent, length
    return best if best_length >= 100 else None


def _read_body(entry: ExtractedEntry, container: etree._Element) -> None:
    source, found = _first(xpaths.BODY, container)
    if found:
        body = found[0]
    else:
        body = _densest_paragraph_parent(container)
        source = "density"
        if body is None:
            return
    for noise in xpaths.BODY_NOISE(body):
        noise.drop_tree()
    paragraphs = []
    for block in xpaths.BODY_BLOCKS(body):
        text = text_of(block)
        if text and not xpaths.BODY_TRAILERS.match(text):
            paragraphs.append(text)
    if not paragraphs:
        # Bodies written as text separated by <br>, without <p>.
        paragraphs = [p for p in (text_of(line) for line in body.itertext()) if p and not xpaths.BODY_TRAILERS.match(p)]
    entry.paragraphs = paragraphs
    # Links and images in the stored HTML must still work away from the portal.
    body.make_links_absolute(entry.url, resolve_base_href=False, handle_failures="discard")
    entry.body_html = etree.tostring(body, encoding="unicode", method="html")
    entry.sources["body"] = source


def _read_images(entry: ExtractedEntry, container: etree._Element) -> None:
    seen: set[str] = set()
    for source, xpath in xpaths.IMAGE_BLOCKS:
        for block in xpath(container):
            caption_el = xpaths.IMAGE_CAPTION(block)
            caption = text_of(caption_el[0]) if caption_el else ""
            for img in xpaths.IMAGE_IMG(block):
                src = urljoin(entry.url, img.get("src") or img.get("data-src") or "")
                if src in seen:
                    continue
                seen.add(src)
                entry.images.append({"src": src, "caption": caption, "alt": (img.get("alt") or "").strip()})
                entry.sources.setdefault("images", source)


def _read_fallbacks(entry: ExtractedEntry, doc: etree._Element) -> None:
    """Fill what the portal's selectors left empty from JSON-LD, meta tags and ``<time>``."""
    json_ld = read_json_ld(doc)
    candidates: dict[str, list[tuple[str, Any]]] = {
        "title": [
            ("json-ld", _json_ld_text(json_ld.get("headline") or json_ld.get("name"))),
            ("opengraph", _meta_content(doc, xpaths.OPENGRAPH["title"])),
        ],
        "published_raw": [
            ("json-ld", _json_ld_text(json_ld.get("datePublished"))),
            ("opengraph", _meta_content(doc, xpaths.OPENGRAPH["published"])),
            ("time", next((t.strip() for t in xpaths.TIME_DATETIME(doc) if t.strip()), None)),
        ],
        "modified_raw": [
            ("json-ld", _json_ld_text(json_ld.get("dateModified"))),
            ("opengraph", _meta_content(doc, xpaths.OPENGRAPH["modified"])),
        ],
        "author": [
            ("json-ld", _json_ld_text(json_ld.get("author"))),
            ("opengraph", _meta_content(doc, xpaths.OPENGRAPH["author"])),
        ],
    }
    source_key = {"published_raw": "published", "modified_raw": "modified"}
    for attribute, options in candidates.items():
        if getattr(entry, attribute):
            continue
        for source, value in options:
            if value:
                setattr(entry, attribute, value)
                entry.sources[source_key.get(attribute, attribute)] = source
                break
    if not entry.categories:
        section = json_ld.get("articleSection") or _meta_content(doc, xpaths.OPENGRAPH["categories"])
        names = section if isinstance(section, list) else [section] if section else []
        entry.categories = [n.strip() for n in names if isinstance(n, str) and n.strip()]
        if entry.categories:
            entry.sources["categories"] = "json-ld" if json_ld.get("articleSection") else "opengraph"
    if not entry.title:
        title = _title_tag(doc)
        if title:
            entry.title = title
            entry.sources["title"] = "title-tag"


def extract_entry(html: str | bytes | etree._Element, url: str) -> ExtractedEntry:
    """Return the raw fields of the entry page HTML fetched from URL.

    Parameters:
        html: the page, as text, UTF-8 bytes, or a tree from ``parse_html`` (which this
            prunes: read its links with ``links.page_links`` first).
        url: the address it was fetched from; relative image links resolve against it.
    """
    doc = parse_html(html)
    entry = ExtractedEntry(url=url)
    container_source, container = _find_container(doc)
    entry.layout = container_source if container_source in ("legacy", "current") else None

    source, found = _first(xpaths.TITLE, container)
    if found and text_of(found[0]):
        entry.title = text_of(found[0])
        entry.sources["title"] = source
    else:
        _read_title_heading(entry, doc)
    caption_source, captions = _first(xpaths.PHOTO_CAPTION, container)
    if captions:
        entry.photo_caption = xpaths.PHOTO_CAPTION_TEXT.sub("", text_of(captions[0]))
        entry.sources["photo_caption"] = caption_source
        for caption in captions:
            caption.drop_tree()

    _read_meta(entry, container)
    _read_images(entry, container)
    _read_body(entry, container)
    _read_fallbacks(entry, doc)

    canonical = xpaths.CANONICAL_LINK(doc) or xpaths.META_PROPERTY(doc, name="og:url")
    entry.canonical_link = urljoin(url, canonical[0].strip()) if canonical else None
    return entry
