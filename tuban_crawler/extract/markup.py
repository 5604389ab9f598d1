"""Bytes → text → tree: decoding and parsing the pages we fetch, shared by extraction and discovery."""

from __future__ import annotations

import re

import charset_normalizer
import lxml.html
from lxml import etree
from selectolax.lexbor import LexborHTMLParser
from w3lib.encoding import html_body_declared_encoding, read_bom, resolve_encoding

_SPACE = re.compile(r"\s+")
_PARSER = lxml.html.HTMLParser(huge_tree=True)
_MIN_GUESS_BYTES = 64
_WIDE_ENCODINGS = ["utf_16", "utf_16_be", "utf_16_le", "utf_32", "utf_32_be", "utf_32_le"]


def text_of(element: etree._Element | str | None) -> str:
    """Return the text of ELEMENT with runs of white space folded to one space.

    >>> text_of(lxml.html.fromstring("<p> a <b>b</b>\\n c </p>"))
    'a b c'
    """
    if element is None:
        return ""
    raw = element if isinstance(element, str) else element.text_content()
    return _SPACE.sub(" ", raw.replace("\xa0", " ")).strip()


def decode_html(body: bytes, declared: str | None = None) -> str:
    """Return BODY as text, in the encoding its bytes support best.

    DECLARED is the HTTP header's charset; without one, the page's own declaration counts
    (``<meta charset>``, ``<meta http-equiv="Content-Type">``, as w3lib reads them from the
    first 4 KB: a saved page has no header, issue 18). In order: the byte-order mark, which
    outranks every label as in browsers; UTF-8 when it decodes strictly (servers misdeclare: a ``charset=iso-8859-1``
    header on a UTF-8 page turns every curly quote into mojibake, and strict UTF-8 is almost
    never an accident); UTF-8 with a few bad bytes replaced when most of its non-ASCII text is
    valid UTF-8; the DECLARED encoding (as browsers read labels: ``iso-8859-1`` is cp1252) when
    it decodes strictly; charset-normalizer's guess (a cp1252 page declared as UTF-8, issue 9);
    cp1252 with replacements as the last word.

    >>> decode_html("“Tuban”".encode(), "iso-8859-1")
    '“Tuban”'
    >>> decode_html("caf\xe9".encode("latin-1"), "iso-8859-1")
    'café'
    >>> decode_html("Bupati “Tuban” – café".encode("cp1252"), "utf-8")
    'Bupati “Tuban” – café'
    >>> decode_html('<meta charset="gb2312"><p>北京</p>'.encode("gb2312"))
    '<meta charset="gb2312"><p>北京</p>'
    >>> decode_html(b"\\xef\\xbb\\xbfcaf\\xc3\\xa9", "iso-8859-1")
    'café'
    """
    bom, mark = read_bom(body)
    if bom and mark:
        return body[len(mark) :].decode(bom, errors="replace")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    lenient = body.decode("utf-8", errors="replace")
    replaced = lenient.count("\ufffd")
    if sum(1 for c in lenient if c > "\x7f") - replaced > replaced:
        return lenient
    declared = declared or html_body_declared_encoding(body)
    encoding = resolve_encoding(declared) if declared else None
    if encoding and encoding != "utf-8":
        try:
            return body.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            pass
    # Without a byte-order mark, UTF-16/32 is a misreading, never a web page; and a guess
    # from a few bytes is a coin toss.
    if len(body) >= _MIN_GUESS_BYTES:
        guess = charset_normalizer.from_bytes(body, cp_exclusion=_WIDE_ENCODINGS).best()
        if guess is not None:
            return str(guess)
    return body.decode("cp1252", errors="replace")


def parse_html(html: str | bytes | etree._Element) -> etree._Element:
    """Return the lxml tree of HTML (a tree is returned as it is); an empty document when HTML is empty.

    The page is read the way a browser reads it (an HTML5 parser, lexbor through selectolax),
    then handed to lxml as well-formed markup: libxml2 alone nests what a browser closes (one
    unclosed ``<font>`` per paragraph made 300 paragraphs one inside the other, and past depth
    255 it dropped the rest: 125 of 300 paragraphs kept, issue 9). ``huge_tree`` lifts that limit
    for pages that are deep by design. Measured on a portal article: 0.16 ms with lxml alone,
    0.23 ms this way; 2 ms for the 300-paragraph page, every paragraph kept, once.
    """
    if isinstance(html, etree._Element):
        return html
    if isinstance(html, bytes):
        html = decode_html(html)
    if not html.strip():
        return lxml.html.fromstring("<html><body></body></html>")
    # lxml refuses str input carrying an XML encoding declaration.
    html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)
    return lxml.html.fromstring(LexborHTMLParser(html).html or html, parser=_PARSER)


def text_places(
    scope: etree._Element, skipped: frozenset[str] = frozenset()
) -> dict[etree._Element, tuple[int, int]]:
    """Return where each element of SCOPE starts and ends in its text (characters read so far); the text of SKIPPED tags is not read."""
    places: dict[etree._Element, tuple[int, int]] = {}
    starts: dict[etree._Element, int] = {}
    read = 0
    for event, element in etree.iterwalk(scope, events=("start", "end")):
        if event == "start":
            starts[element] = read
            if isinstance(element.tag, str) and element.tag not in skipped:
                read += len((element.text or "").strip())
        else:
            places[element] = (starts.pop(element), read)
            if element is not scope:
                read += len((element.tail or "").strip())
    return places


def beside(
    block: etree._Element,
    heading: etree._Element | None,
    places: dict[etree._Element, tuple[int, int]],
    most: int,
    most_after: int | None = None,
) -> bool:
    """Return True when at most MOST characters of text stand between BLOCK and HEADING (their PLACES from ``text_places``).

    most_after: the limit for a BLOCK after the heading, if it differs (a subtitle or a lead
    may stand between a title and its date; above a title is the site's menu).
    """
    if heading is None or block not in places or heading not in places:
        return False
    (start, end), (title_start, title_end) = places[block], places[heading]
    if start >= title_end:
        return start - title_end <= (most if most_after is None else most_after)
    return 0 <= title_start - end <= most
