"""Bytes → text → tree: decoding and parsing the pages we fetch, shared by extraction and discovery."""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

_SPACE = re.compile(r"\s+")


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
    """Return BODY as text: UTF-8 when it decodes as such, else the DECLARED encoding.

    Servers misdeclare (a ``charset=iso-8859-1`` header on a UTF-8 page turns every
    curly quote into mojibake); UTF-8 that decodes strictly is almost never an accident.

    >>> decode_html("“Tuban”".encode(), "iso-8859-1")
    '“Tuban”'
    >>> decode_html("caf\xe9".encode("latin-1"), "iso-8859-1")
    'café'
    """
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return body.decode(declared or "cp1252", errors="replace")
    except LookupError:
        return body.decode("cp1252", errors="replace")


def parse_html(html: str | bytes | etree._Element) -> etree._Element:
    """Return the lxml tree of HTML (a tree is returned as it is); an empty document when HTML is empty."""
    if isinstance(html, etree._Element):
        return html
    if isinstance(html, bytes):
        html = decode_html(html)
    if not html.strip():
        return lxml.html.fromstring("<html><body></body></html>")
    # lxml refuses str input carrying an XML encoding declaration.
    html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)
    return lxml.html.fromstring(html)
