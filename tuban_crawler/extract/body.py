"""The body of an article: its paragraphs and its HTML, from the portal's layout or from a generic extractor.

A layout hands over its body element (``paragraphs_of``). A page no layout claims goes to
the generic layer (``generic_body``): trafilatura (``favor_precision``, no comments), the
same with its recall settings, readability-lxml and our own densest-block reading each
propose a body, and the proposal the others agree with most wins (a vote; on the ScrapingHub
article-extraction benchmark it beats each of them alone: ``benchmarks/extraction.py``).
Text written as ``<br>`` lines or as ``<div>`` paragraphs counts as paragraphs everywhere.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass

import lxml.html
from lxml import etree

from tuban_crawler.extract import metaxpaths, xpaths
from tuban_crawler.extract.markup import text_of

logger = logging.getLogger(__name__)

_TOKEN = re.compile(r"\w+")
#: Below this many characters a block is not a body (a caption, a widget).
MIN_BODY_LENGTH = 100


@dataclass
class BodyReading:
    """One proposal for the body: who made it, its paragraphs, its HTML."""

    source: str
    paragraphs: list[str]
    html: str | None = None


def _keep(text: str) -> bool:
    return bool(text) and not xpaths.BODY_TRAILERS.match(text)


def lines_of(element: etree._Element) -> list[str]:
    """Return the text of ELEMENT cut into lines at block elements and ``<br>``.

    >>> lines_of(lxml.html.fromstring("<div>Satu<br>dua <b>tiga</b><div>empat</div></div>"))
    ['Satu', 'dua tiga', 'empat']
    """
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        block = node.tag in xpaths.BLOCK_TAGS
        if block:
            parts.append("\n")
        parts.append(node.text or "")
        for child in node:
            if isinstance(child.tag, str) and child.tag not in metaxpaths.META_SKIP_TAGS:
                walk(child)
            parts.append(child.tail or "")
        if block:
            parts.append("\n")

    walk(element)
    return [line for line in (text_of(raw) for raw in "".join(parts).split("\n")) if line]


def paragraphs_of(body: etree._Element) -> list[str]:
    """Return the paragraphs of the body element BODY: its blocks, else its lines, page furniture left out."""
    paragraphs = [
        text for text in (text_of(block) for block in xpaths.BODY_BLOCKS(body)) if _keep(text)
    ]
    covered = sum(len(p) for p in paragraphs)
    if covered < 0.8 * len(text_of(body)):
        # Bodies written as <br> lines or <div> paragraphs, wholly or in part.
        paragraphs = [line for line in lines_of(body) if _keep(line)]
    return paragraphs


def clean_body(body: etree._Element, url: str) -> str:
    """Return the HTML of BODY with its noise dropped and its links made absolute (BODY is changed)."""
    for noise in xpaths.BODY_NOISE(body):
        noise.drop_tree()
    # Links and images in the stored HTML must still work away from the portal.
    body.make_links_absolute(url, resolve_base_href=False, handle_failures="discard")
    return etree.tostring(body, encoding="unicode", method="html")


def densest_block(doc: etree._Element) -> etree._Element | None:
    """Return the element whose own paragraphs (``<p>``, text ``<div>``s, ``<br>`` lines) hold the most text."""
    best, best_length = None, 0
    for parent in xpaths.PARAGRAPH_PARENTS(doc):
        length = len((parent.text or "").strip())
        for child in parent:
            if not isinstance(child.tag, str):
                continue
            if child.tag == "p" or (
                child.tag in ("div", "span") and not xpaths.HAS_BLOCK_CHILD(child)
            ):
                length += len(text_of(child))
            elif child.tag == "br":
                length += len((child.tail or "").strip())
        if length > best_length:
            best, best_length = parent, length
    return best if best_length >= MIN_BODY_LENGTH else None


def _read_density(doc: etree._Element, url: str) -> BodyReading | None:
    block = densest_block(doc)
    if block is None:
        return None
    block = _copy(block)
    html = clean_body(block, url)
    return BodyReading("density", paragraphs_of(block), html)


def _copy(element: etree._Element) -> etree._Element:
    return lxml.html.fromstring(etree.tostring(element, encoding="unicode"))


def _read_trafilatura(
    html: str, url: str, source: str, favor_precision: bool = False
) -> BodyReading | None:
    import trafilatura  # imported on first use: the portal's own layouts never need it

    result = trafilatura.extract(
        html,
        url=url,
        include_comments=False,
        output_format="html",
        favor_precision=favor_precision,
    )
    if not result:
        return None
    body = lxml.html.fromstring(result).find(".//body")
    if body is None:
        return None
    body.tag = "div"
    # trafilatura's output is the article already: every line of it is kept, table cells and
    # code blocks included (``paragraphs_of`` keeps only paragraphs, lists and headings).
    paragraphs = [line for line in lines_of(body) if _keep(line)]
    return BodyReading(source, paragraphs, clean_body(body, url)) if paragraphs else None


def _read_readability(html: str, url: str) -> BodyReading | None:
    from readability import Document  # imported on first use, like trafilatura

    try:
        summary = Document(html, url=url).summary(html_partial=True)
    except Exception as error:  # noqa: BLE001 (readability raises bare Exceptions on odd pages)
        logger.debug("readability gave up on %s: %s", url, error)
        return None
    body = lxml.html.fromstring(summary) if summary.strip() else None
    if body is None:
        return None
    paragraphs = [line for line in lines_of(body) if _keep(line)]
    return BodyReading("readability", paragraphs, clean_body(body, url)) if paragraphs else None


def _shingles(paragraphs: list[str], n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(" ".join(paragraphs).casefold())
    return Counter(
        tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n]
    )


def overlap(a: list[str], b: list[str]) -> float:
    """Return the F1 of the word 4-grams of the texts A and B (1.0: the same text; 0.0: nothing shared).

    >>> overlap(["satu dua tiga empat lima"], ["satu dua tiga empat lima"]), overlap(["a b c d"], [])
    (1.0, 0.0)
    """
    return _shingle_f1(_shingles(a), _shingles(b))


def _shingle_f1(sa: Counter[tuple[str, ...]], sb: Counter[tuple[str, ...]]) -> float:
    shared = sum((sa & sb).values())
    total = sum(sa.values()) + sum(sb.values())
    return 2 * shared / total if total else 0.0


#: Readings whose agreement is this close to the best are a tie, which the shortest wins
#: (on the benchmark: F1 0.9722 against 0.9708 for the first of them). Only equal scores
#: tying would raise body F1 on trafilatura's evaluation pages (0.916 -> 0.921) but lets a
#: reading with the sidebar's agenda win on a Lokomedia page (tests/pages/cms).
TIE = 0.05


def vote(readings: list[BodyReading]) -> BodyReading | None:
    """Return the reading the others agree with most (near ties: the shortest), or None when there is none."""
    if not readings:
        return None
    shingles = [_shingles(reading.paragraphs) for reading in readings]
    scores = [
        sum(_shingle_f1(mine, other) for j, other in enumerate(shingles) if j != i)
        for i, mine in enumerate(shingles)
    ]
    # The densest block is the crudest reading (whatever block holds the most paragraph
    # text): it votes, but wins only alone. On trafilatura's evaluation pages body F1
    # 0.916 -> 0.918 (it won 68 of 989 pages, often a lead or a heading short).
    eligible = [i for i, r in enumerate(readings) if r.source != "density"] or [0]
    best = max(scores[i] for i in eligible)
    tied = [i for i in eligible if scores[i] >= best - TIE]
    return readings[min(tied, key=lambda i: sum(shingles[i].values()))]


#: A title or a byline is short.
MAX_FURNITURE_LENGTH = 120


def without_lines(reading: BodyReading, lines: set[str]) -> BodyReading:
    """Return READING without wordless paragraphs, nor the runs at its start and end that are LINES.

    LINES are folded (``fold_line``): the page's title and metadata, which extractors often
    keep above or below the story; the same words inside the story stay.
    """
    paragraphs = [p for p in reading.paragraphs if _TOKEN.search(p)]

    def furniture(text: str) -> bool:
        return len(text) <= MAX_FURNITURE_LENGTH and fold_line(text) in lines

    start, end = 0, len(paragraphs)
    while start < end and furniture(paragraphs[start]):
        start += 1
    while end > start and furniture(paragraphs[end - 1]):
        end -= 1
    return BodyReading(reading.source, paragraphs[start:end], reading.html)


def fold_line(text: str) -> str:
    """Return TEXT as ``without_lines`` compares it: its words, lower-cased.

    >>> fold_line("Penulis : Bagian Prokopim")
    'penulis bagian prokopim'
    """
    return " ".join(_TOKEN.findall(text.casefold()))


def generic_body(
    doc: etree._Element,
    html: str,
    url: str,
    not_body: set[str] | None = None,
) -> tuple[BodyReading | None, list[BodyReading]]:
    """Return (the body the generic extractors vote for, every proposal) for the page HTML parsed as DOC.

    Parameters:
        doc: the parsed page (not changed).
        html: the same page as text, for the extractors that parse it themselves.
        url: where it was fetched; links in the body HTML resolve against it.
        not_body: lines (``fold_line``) that are the page's title and metadata, dropped
            from every proposal: extractors often keep the headline and the byline.
    """
    readings = [
        _read_trafilatura(html, url, "trafilatura", favor_precision=True),
        _read_trafilatura(html, url, "trafilatura-recall"),
        _read_readability(html, url),
        _read_density(doc, url),
    ]
    proposals = [without_lines(r, not_body or set()) for r in readings if r is not None]
    proposals = [r for r in proposals if r.paragraphs]
    return vote(proposals), proposals
