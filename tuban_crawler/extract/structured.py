"""Structured data → raw fields: JSON-LD, microdata (``itemprop``), RDFa, OpenGraph / ``article:*``, ``<time>``.

Each reader returns ``{field: value}`` for the fields it found (``title``, ``published``,
``modified``, ``author``, ``categories`` as a list, ``views``); ``combine`` decides which
source wins. Nothing here is evaluated: JSON-LD is only parsed, leniently, because CMS
plugins write blocks that strict JSON rejects (trailing commas, raw newlines, HTML comments,
several objects in one block).
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from tuban_crawler.extract import metaxpaths
from tuban_crawler.extract.authors import json_ld_names
from tuban_crawler.extract.chrome import in_chrome
from tuban_crawler.extract.markup import text_of

logger = logging.getLogger(__name__)

_DECODER = json.JSONDecoder(strict=False)
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_HTML_COMMENT = re.compile(r"<!--|-->|^\s*//\s*<!\[CDATA\[|//\s*\]\]>\s*$", re.M)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def parse_json_lenient(raw: str) -> list[Any]:
    """Return every JSON value written in RAW, forgiving what CMS plugins get wrong.

    >>> parse_json_lenient('<!-- {"a": [1, 2,],} --> {"b": 1}')
    [{'a': [1, 2]}, {'b': 1}]
    """
    text = _CONTROL.sub(" ", _HTML_COMMENT.sub(" ", raw))
    values: list[Any] = []
    position = 0
    for attempt in (text, _TRAILING_COMMA.sub(r"\1", text)):
        values, position = [], 0
        while True:
            start = _next_value(attempt, position)
            if start < 0:
                return values
            try:
                value, position = _DECODER.raw_decode(attempt, start)
            except ValueError:
                break
            values.append(value)
    return values


def _next_value(text: str, position: int) -> int:
    starts = [i for i in (text.find("{", position), text.find("[", position)) if i >= 0]
    return min(starts) if starts else -1


def json_ld_nodes(doc: etree._Element) -> list[dict[str, Any]]:
    """Return every JSON-LD object of DOC, ``@graph`` and lists flattened, in document order."""
    nodes: list[dict[str, Any]] = []
    for raw in metaxpaths.JSON_LD(doc):
        stack = parse_json_lenient(raw)
        if not stack:
            logger.debug("unreadable JSON-LD block skipped")
        while stack:
            node = stack.pop(0)
            if isinstance(node, list):
                stack[0:0] = node
            elif isinstance(node, dict):
                nodes.append(node)
                graph = node.get("@graph")
                if isinstance(graph, (list, dict)):
                    stack[0:0] = graph if isinstance(graph, list) else [graph]
    return nodes


def _types(node: dict[str, Any]) -> set[str]:
    types = node.get("@type", [])
    return {
        t.rsplit("/", 1)[-1]
        for t in (types if isinstance(types, list) else [types])
        if isinstance(t, str)
    }


def read_json_ld(doc: etree._Element) -> dict[str, Any]:
    """Return DOC's article JSON-LD node (an article type beats ``WebPage``), or {}."""
    nodes = json_ld_nodes(doc)
    for wanted in (metaxpaths.JSON_LD_ARTICLE_TYPES, metaxpaths.JSON_LD_PAGE_TYPES):
        for node in nodes:
            if wanted.intersection(_types(node)):
                return node
    return {}


def json_ld_text(value: Any) -> str | None:
    """Return the text of a JSON-LD value: a string, the first of a list, an object's ``name``.

    >>> json_ld_text([{"@type": "Person", "name": " Heri S "}]), json_ld_text(""), json_ld_text(12)
    ('Heri S', None, None)
    """
    if isinstance(value, list):
        value = next((v for v in value if v), None)
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value")
    return text_of(value) or None if isinstance(value, str) else None


def _json_ld_views(node: dict[str, Any]) -> str | None:
    statistics = node.get("interactionStatistic") or []
    for statistic in statistics if isinstance(statistics, list) else [statistics]:
        if not isinstance(statistic, dict):
            continue
        kind = json_ld_text(statistic.get("interactionType")) or str(
            statistic.get("interactionType", "")
        )
        count = statistic.get("userInteractionCount")
        if any(word in kind for word in metaxpaths.VIEW_ACTIONS) and count not in (None, ""):
            return str(count)
    count = node.get("interactionCount")
    if isinstance(count, (int, str)) and str(count).strip():
        return str(count)
    return None


def _as_names(value: Any) -> list[str]:
    names = value if isinstance(value, list) else [value]
    return [n.strip() for n in (json_ld_text(v) for v in names) if n]


def json_ld_fields(doc: etree._Element) -> dict[str, Any]:
    """Return the fields of DOC's article JSON-LD node."""
    node = read_json_ld(doc)
    found = {
        "title": json_ld_text(node.get("headline")) or json_ld_text(node.get("name")),
        "published": json_ld_text(node.get("datePublished"))
        or json_ld_text(node.get("dateCreated")),
        "modified": json_ld_text(node.get("dateModified")),
        "author": json_ld_names(node.get("author")) or json_ld_names(node.get("creator")),
        "editor": json_ld_names(node.get("editor")),
        "categories": _as_names(node.get("articleSection")),
        "views": _json_ld_views(node),
    }
    return {name: value for name, value in found.items() if value}


def _attribute_value(element: etree._Element) -> str:
    # <abbr title="2022-11-20T07:45:00+07:00">07.45</abbr>: the microformat puts the value in the title.
    for attribute in (
        "content",
        "datetime",
        "value",
        *(("title",) if element.tag == "abbr" else ()),
    ):
        if element.get(attribute, "").strip():
            return element.get(attribute).strip()
    if element.tag == "meta":
        return ""
    if element.get("itemscope") is not None or element.get("typeof") is not None:
        names = metaxpaths.ITEMPROP_NAME(element)
        if names:
            return _attribute_value(names[0])
    return text_of(element)


def _property_fields(elements: list[etree._Element], attribute: str) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for element in elements:
        for name in element.get(attribute, "").split():
            field_name = metaxpaths.STRUCTURED_PROPERTIES.get(
                name.rsplit(":", 1)[-1].rsplit("/", 1)[-1]
            )
            if not field_name or (field_name in found and field_name != "categories"):
                continue
            value = _attribute_value(element)
            if not value or len(value) > 300:
                continue
            if field_name == "categories":
                found.setdefault("categories", []).append(value)
            else:
                found[field_name] = value
    return found


def microdata_fields(doc: etree._Element) -> dict[str, Any]:
    """Return the fields written as microdata (``itemprop``) in DOC, the first of each."""
    return _property_fields(metaxpaths.ITEMPROP(doc), "itemprop")


def rdfa_fields(doc: etree._Element) -> dict[str, Any]:
    """Return the fields written as RDFa (``property`` on elements other than ``<meta>``) in DOC."""
    return _property_fields(metaxpaths.RDFA_PROPERTY(doc), "property")


def meta_tags(doc: etree._Element) -> dict[str, list[str]]:
    """Return DOC's ``<meta>`` contents by property or name, lower-cased, in document order."""
    tags: dict[str, list[str]] = {}
    for meta in metaxpaths.META_TAGS(doc):
        content = (meta.get("content") or "").strip()
        for key in {(meta.get("property") or "").lower(), (meta.get("name") or "").lower()} - {""}:
            if content:
                tags.setdefault(key, []).append(content)
    return tags


def meta_content(doc: etree._Element | dict[str, list[str]], names: tuple[str, ...]) -> str | None:
    """Return the first non-empty ``<meta>`` content named by one of NAMES (property or name, lower case).

    DOC is the page, or its ``meta_tags`` when they were read already.
    """
    tags = doc if isinstance(doc, dict) else meta_tags(doc)
    return next((tags[name][0] for name in names if name in tags), None)


def opengraph_fields(doc: etree._Element) -> dict[str, Any]:
    """Return the fields of DOC's OpenGraph, ``article:*`` and plain ``<meta>`` tags."""
    tags = meta_tags(doc)
    found: dict[str, Any] = {
        name: meta_content(tags, names) for name, names in metaxpaths.OPENGRAPH.items()
    }
    if found.get("author", "") and found["author"].startswith(("http://", "https://")):
        found["author"] = None  # article:author is often a profile URL, not a name
    categories = tags.get("article:section", [])
    found["categories"] = categories
    return {name: value for name, value in found.items() if value and name != "image"}


def time_fields(
    doc: etree._Element, scope: etree._Element, article: etree._Element | None = None
) -> dict[str, Any]:
    """Return the first ``<time datetime>`` (or hAtom/h-entry ``published``) of SCOPE (the article), else of DOC, as ``published``.

    Those in the page's chrome are left out, but for chrome that holds ARTICLE (the title,
    when known; else SCOPE).
    """
    for where, xpath in (
        (scope, metaxpaths.TIME_ELEMENTS),
        (doc, metaxpaths.TIME_ELEMENTS),
        (scope, metaxpaths.PUBLISHED_MICROFORMATS),
        (doc, metaxpaths.PUBLISHED_MICROFORMATS),
    ):
        for element in xpath(where):
            if xpath is metaxpaths.PUBLISHED_MICROFORMATS and not (
                metaxpaths.MICROFORMAT_CLASSES & set(element.get("class", "").split())
            ):
                continue
            value = next(
                (
                    v.strip()
                    for a in ("datetime", "title", "value")
                    if (v := element.get(a, "")).strip()
                ),
                "",
            )
            if value and not in_chrome(element, scope if article is None else article):
                return {"published": value}  # not a related article's, nor the footer's
    return {}


#: A full date in an address's path: ``/2012/05/31/``, ``/2012-05-31-slug``, ``_20120531_``.
URL_DATE = re.compile(
    r"/((?:19|20)\d\d)([/_-])(0[1-9]|1[0-2])\2(0[1-9]|[12]\d|3[01])(?=[/_.-]|$)"
    r"|[/_-]((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=[/_.-])"
)


def url_fields(url: str) -> dict[str, Any]:
    """Return ``{"published": "YYYY-MM-DD"}`` when URL's path writes a full date (a last resort, as htmldate's).

    >>> url_fields("https://example.org/2012/05/31/pasar-baru/"), url_fields("https://example.org/entry/a")
    ({'published': '2012-05-31'}, {})
    """
    path = urlsplit(url).path
    match = URL_DATE.search(path)
    if match is None:
        return {}
    year, _, month, day, *compact = match.groups()
    if year is None:
        year, month, day = compact
    return {"published": f"{year}-{month}-{day}"}
