"""HTML → raw fields: pure functions, no Scrapy objects needed to call them.

``extract_entry(html, url)`` reads one article or evergreen page. The modules, in the
order the page goes through them:

- ``layouts``: the portal's own layouts (``legacy``, ``current``); one claims the page only
  when its container, title and metadata or body are all there;
- ``structured``: JSON-LD (lenient, the article node first), microdata, RDFa, OpenGraph /
  ``article:*``, ``<time>``;
- ``metadata``: date, author, categories and views by their labels, icons and shapes,
  whatever markup holds them;
- ``categories``: categories shown by links to their pages, badges and breadcrumbs;
- ``title``: the title of a page no layout claims, reconciled from its headings and metadata;
- ``body``: the body, from the layout or by a vote of generic extractors (trafilatura,
  readability-lxml, the densest block);
- ``combine``: the one place where, per field, a source wins; ``ExtractedEntry.sources``
  says which, ``ExtractedEntry.candidates`` what every source said.

When a layout claims a page, the generic layer checks it cheaply (the densest block against
the layout's body, the page's declared title against the layout's): a disagreement is
listed in ``ExtractedEntry.drifted`` and counted by the run report ("selectors drifted").

Values here are raw: the date as written, categories as listed, views as printed.
Normalising is the job of ``normalize``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urljoin

from lxml import etree

from tuban_crawler.extract import (
    authors,
    categories,
    layouts,
    metadata,
    metaxpaths,
    structured,
    title,
    xpaths,
)
from tuban_crawler.extract import body as bodies
from tuban_crawler.extract.combine import combine, ordered
from tuban_crawler.extract.entry import ExtractedEntry
from tuban_crawler.extract.markup import parse_html, text_of
from tuban_crawler.extract.metadata import split_meta_items
from tuban_crawler.extract.structured import read_json_ld

__all__ = ["ExtractedEntry", "extract_entry", "read_json_ld", "split_meta_items"]

logger = logging.getLogger(__name__)

#: Below this 4-gram overlap between the layout's body and the densest block, the selectors drifted.
DRIFT_OVERLAP = 0.5
#: A headline that opens with its full date, set off by a dash, a bar or a colon (`23.01.2022 - ...`).
HEADLINE_DATE = re.compile(r"\s*(\d{1,2}\.\d{1,2}\.\d{4}|\d{4}-\d{2}-\d{2})\s*[-–—|:]\s*\w")
#: From this 4-gram overlap on, two bodies are the same text (a dateline or a credit apart).
AGREEMENT = 0.8


def _generic_container(doc: etree._Element) -> etree._Element:
    """Return the generic container (``<article>``, ``<main>``...) holding the most text, else DOC."""
    best, best_length = doc, 0
    for source, xpath in xpaths.ARTICLE_CONTAINERS:
        if source != "generic":
            continue
        for element in xpath(doc):
            length = len(text_of(element))
            if length > best_length:
                best, best_length = element, length
    return best


def _common_ancestor(a: etree._Element, b: etree._Element) -> etree._Element:
    ancestors = [
        a,
        *a.iterancestors(),
    ]  # held in a list: lxml's proxies are the same objects only while alive
    for element in [b, *b.iterancestors()]:
        if any(element is ancestor for ancestor in ancestors):
            return element
    return a.getroottree().getroot()


def _near(heading: etree._Element, body: etree._Element | None) -> etree._Element:
    """Return the ancestor of the title HEADING that holds the article's header (up to the body's parent)."""
    element = heading
    for _ in range(4):
        parent = element.getparent()
        if parent is None or parent.tag in ("body", "html"):
            break
        element = parent
        if (body is not None and body in element.iterdescendants()) or len(text_of(element)) >= 400:
            break
    return element


def _heading_element(doc: etree._Element, text: str | None) -> etree._Element | None:
    if not text:
        return None
    wanted = title.fold(text)
    for heading in xpaths.HEADINGS(doc):
        if title.fold(text_of(heading)) == wanted:
            return heading
    return None


def _read_photo_caption(entry: ExtractedEntry, container: etree._Element) -> None:
    for source, xpath in xpaths.PHOTO_CAPTION:
        captions = xpath(container)
        if captions:
            entry.photo_caption = xpaths.PHOTO_CAPTION_TEXT.sub("", text_of(captions[0]))
            entry.sources["photo_caption"] = source
            for caption in captions:
                caption.drop_tree()
            return


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
                entry.images.append(
                    {"src": src, "caption": caption, "alt": (img.get("alt") or "").strip()}
                )
                entry.sources.setdefault("images", source)


def _structured_readings(
    doc: etree._Element, scope: etree._Element, url: str
) -> dict[str, dict[str, Any]]:
    return {
        "json-ld": structured.json_ld_fields(doc),
        "microdata": structured.microdata_fields(doc),
        "opengraph": structured.opengraph_fields(doc),
        "rdfa": structured.rdfa_fields(doc),
        "time": structured.time_fields(doc, scope),
        "url": structured.url_fields(url),
    }


def _read_title(
    entry: ExtractedEntry, doc: etree._Element, readings: dict[str, dict[str, Any]]
) -> tuple[str, ...]:
    """Set ENTRY's title from DOC's headings and READINGS; return the names the site gives itself."""
    declared = {
        s: readings[s]["title"]
        for s in ("json-ld", "microdata", "opengraph")
        if readings[s].get("title")
    }
    names = title.site_names(doc)
    candidates = title.title_candidates(doc, declared, names)
    combine(entry, "title", candidates)
    return names


def _check_drift(
    entry: ExtractedEntry,
    doc: etree._Element,
    layout: layouts.LayoutReading,
    body: etree._Element,
    readings: dict[str, dict[str, Any]],
) -> None:
    """List in ENTRY.drifted the fields LAYOUT (body element BODY) reads unlike the generic layer (cheap checks)."""
    block = bodies.densest_block(doc)
    inside = block is None or block is body or any(block is e for e in body.iterdescendants())
    if not inside:  # the text is densest elsewhere than the layout's body: do they say the same?
        generic = bodies.paragraphs_of(block)
        if generic and bodies.overlap(entry.paragraphs, generic) < DRIFT_OVERLAP:
            entry.drifted.append("body")
    declared = [readings[s]["title"] for s in ("json-ld", "opengraph") if readings[s].get("title")]
    if declared and not any(
        title.fold(layout.title) in title.fold(d) or title.fold(d) in title.fold(layout.title)
        for d in declared
    ):
        entry.drifted.append("title")


def extract_entry(html: str | bytes | etree._Element, url: str) -> ExtractedEntry:
    """Return the raw fields of the entry page HTML fetched from URL.

    Parameters:
        html: the page, as text, UTF-8 bytes, or a tree from ``parse_html`` (which this
            prunes: read its links with ``links.page_links`` first).
        url: the address it was fetched from; relative image links resolve against it.
    """
    doc = parse_html(html)
    entry = ExtractedEntry(url=url)
    layout = layouts.claim(doc)
    if layout is not None:
        entry.layout = layout.name
        container = layout.container
        heading = _first_heading(container, layout.title)
        density = None
    else:
        container = _generic_container(doc)
        density = bodies.densest_block(doc)
    readings = _structured_readings(doc, container, url)
    scope = container
    if layout is not None:
        combine(entry, "title", [(layout.name, layout.title)])
        # The layout's page names its site in og:site_name (its JSON-LD is not read again).
        site_names = tuple(metaxpaths.META_PROPERTY(doc, name="og:site_name"))
    else:
        site_names = _read_title(entry, doc, readings)
        heading = _heading_element(doc, entry.title)
        if heading is not None and density is not None:
            container = _common_ancestor(heading, density)
    _read_photo_caption(entry, container)

    near = _near(heading, layout.body if layout else density) if heading is not None else None
    if heading is not None and layout is None:
        # Read again knowing the title: chrome that holds it is the article's (issue 18).
        readings["time"] = structured.time_fields(doc, scope, heading)
    meta_lines: list[str] = []
    if layout is None or len(layout.fields) < len(xpaths.META_ITEMS):
        # (A layout that read all four needs no second opinion: its speed is the crawl's.)
        readings["meta-shape"] = metadata.read_metadata(container, near, meta_lines, heading)
    if layout is not None:
        readings[layout.name] = layout.fields
    dated = HEADLINE_DATE.match(text_of(heading)) if heading is not None else None
    if dated:  # the title writes the day: believed after every other date but the address's
        readings["headline"] = {"published": dated[1]}
    shown = [
        r.get("author") for r in (layout.fields if layout else {}, readings.get("meta-shape", {}))
    ]
    if not any(authors.author_verdict(a) == "ok" for a in shown if a):
        # What the page shows names no one yet: its byline markup may.
        readings["byline"] = authors.byline_fields(doc, container)
    for source in ("meta-shape", "json-ld"):
        if readings.get(source, {}).get("editor"):
            readings[f"{source} (editor)"] = {"author": readings[source]["editor"]}
    if layout is None or "categories" not in layout.fields:
        found = categories.read_categories(doc, container, near, heading)
        readings["category-links"] = {"categories": found} if found else {}
    for field_name in ("published", "modified", "author", "categories", "views"):
        judge = _author_judge(doc, url, readings, site_names) if field_name == "author" else None
        readings_of = ordered(field_name, readings, entry.layout)
        if field_name == "author":  # the name without its label or footnote mark
            readings_of = [(source, authors.clean_name(value)) for source, value in readings_of]
        combine(entry, field_name, readings_of, judge)

    _read_images(entry, container)
    if layout is not None and layout.body is not None:
        entry.body_html = bodies.clean_body(layout.body, url)
        entry.paragraphs = bodies.paragraphs_of(layout.body)
        entry.sources["body"] = layout.name
        _check_drift(entry, doc, layout, layout.body, readings)
    else:  # no layout, or one whose body element is gone: the generic layer reads the body
        # The generic extractors parse the page themselves (a tree has lost its captions by now).
        page = html if isinstance(html, str) else etree.tostring(doc, encoding="unicode")
        not_body = {bodies.fold_line(line) for line in [*meta_lines, entry.title or ""]} - {""}
        winner, proposals = bodies.generic_body(doc, page, url, not_body)
        entry.candidates["body"] = [
            {
                "source": p.source,
                "value": " ".join(p.paragraphs)[:200],
                "verdict": _body_verdict(p, winner),
            }
            for p in proposals
        ]
        if winner is not None:
            entry.paragraphs, entry.body_html, entry.sources["body"] = (
                winner.paragraphs,
                winner.html,
                winner.source,
            )
            if layout is not None:
                entry.drifted.append(
                    "body"
                )  # the layout claimed the page, its body selector found nothing

    canonical = metaxpaths.CANONICAL_LINK(doc) or metaxpaths.META_PROPERTY(doc, name="og:url")
    entry.canonical_link = urljoin(url, canonical[0].strip()) if canonical else None
    return entry


def _author_judge(
    doc: etree._Element, url: str, readings: dict[str, dict[str, Any]], site_names: tuple[str, ...]
) -> Callable[[str, Any], str]:
    """Return the verdict on an author proposal of DOC: a name, not the site's, not furniture, not the editor's."""
    editors = {authors.fold(r["editor"]) for r in readings.values() if r.get("editor")}
    context: list[authors.AuthorContext] = []  # made once, when a proposal first needs it

    def judge(source: str, value: Any) -> str:
        if authors.author_verdict(value) != "ok":
            return authors.author_verdict(value)
        if not context:
            context.append(authors.page_context(doc, site_names, url))
        said = authors.author_verdict(value, context[0])
        if said == "ok" and not source.endswith("(editor)") and authors.fold(value) in editors:
            return "rejected: named as the editor, not the writer"
        return said

    return judge


def _body_verdict(proposal: bodies.BodyReading, winner: bodies.BodyReading | None) -> str:
    if proposal is winner:
        return "won"
    same = (
        winner is not None and bodies.overlap(proposal.paragraphs, winner.paragraphs) >= AGREEMENT
    )
    return "agrees" if same else "differs"


def _first_heading(container: etree._Element, text: str) -> etree._Element | None:
    wanted = title.fold(text)
    for heading in container.iter("h1", "h2", "h3", "h4"):
        if title.fold(text_of(heading)) == wanted:
            return heading
    return None
