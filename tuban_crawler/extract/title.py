"""The title of a page no portal layout claims, reconciled from its headings, its metadata and ``<title>``.

A page names its story several times: in an ``<h1>`` (or a lesser heading), in ``og:title``,
in the JSON-LD ``headline`` and in ``<title>`` with the site's name around it. A heading
that one of the others confirms wins (the logo's ``<h1>`` and a sidebar's headings are
confirmed by none); failing that the metadata title, then the page's only ``<h1>``, then
``<title>`` without the site's name.
"""

from __future__ import annotations

import logging
import re

from lxml import etree

from tuban_crawler.extract import metaxpaths, xpaths
from tuban_crawler.extract.markup import text_of
from tuban_crawler.extract.structured import json_ld_nodes, json_ld_text, meta_content, meta_tags

logger = logging.getLogger(__name__)

_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:»·]\s+|\s*[|»]\s*|\s+::\s+|(?<=\w):\s+")
_STRONG_SEPARATORS = re.compile(r"\s+[|\-–—»·]\s+|\s*[|»]\s*|\s+::\s+")
_FOLD = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """Return TEXT reduced to its words, lower-cased, for comparing titles.

    >>> fold("ASN Dituntut Disiplin, Profesional!")
    'asn dituntut disiplin profesional'
    """
    return _FOLD.sub(" ", text.casefold()).strip()


def title_tag(doc: etree._Element, site_names: tuple[str, ...] = ()) -> str:
    """Return ``<title>`` without the site's name (``Judul - Pemerintah Kabupaten Tuban`` → ``Judul``).

    Parameters:
        doc: the page.
        site_names: names the site gives itself (``og:site_name``); the portal's own are known.
    """
    titles = xpaths.TITLE_TAG(doc)
    text = text_of(titles[0]) if titles else ""
    text = xpaths.TITLE_TAG_SUFFIX.sub("", text)
    parts = [p for p in _TITLE_SEPARATORS.split(text) if p.strip()]
    if len(parts) < 2:
        return text
    names = {fold(n) for n in site_names if n}
    kept = [p for p in parts if fold(p) not in names and not any(n and n in fold(p) for n in names)]
    if kept and len(kept) < len(parts):
        return _rejoin(text, kept)
    # No name to go by: the site's name is the shorter end (``Judul | Situs``, ``Situs - Judul``);
    # a colon is too often part of a title (``Bupati: ...``) to cut at.
    parts = [p for p in _STRONG_SEPARATORS.split(text) if p.strip()]
    if len(parts) < 2:
        return text
    first, last = parts[0], parts[-1]
    return _rejoin(text, parts[:-1] if len(last) <= len(first) else parts[1:])


def _rejoin(text: str, parts: list[str]) -> str:
    start = text.find(parts[0])
    end = text.rfind(parts[-1]) + len(parts[-1])
    return text[start:end].strip() if 0 <= start < end else " ".join(parts)


def site_names(doc: etree._Element) -> tuple[str, ...]:
    """Return the names DOC gives its site (OpenGraph, application name, JSON-LD publisher and website)."""
    tags = meta_tags(doc)
    names = [meta_content(tags, (name,)) for name in metaxpaths.SITE_NAME]
    names += [json_ld_text(node.get("name")) for node in json_ld_nodes(doc) if _kinds(node)]
    names += [json_ld_text(node.get("publisher")) for node in json_ld_nodes(doc)]
    return tuple(dict.fromkeys(n for n in names if n))


def _kinds(node: dict) -> set[str]:
    """Return the site-like types of a JSON-LD NODE (``WebSite``, ``...Organization``)."""
    kinds = node.get("@type", [])
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return {
        k for k in kinds if isinstance(k, str) and (k == "WebSite" or k.endswith("Organization"))
    }


def _agrees(heading: str, others: list[str]) -> bool:
    folded = fold(heading)
    return bool(folded) and any(
        folded == fold(o) or (len(folded) > 15 and folded in fold(o)) for o in others
    )


def title_candidates(
    doc: etree._Element, structured: dict[str, str], names: tuple[str, ...]
) -> list[tuple[str, str]]:
    """Return the title candidates of DOC, best first, each as (source, text).

    Parameters:
        doc: the page.
        structured: source → title from structured data (``json-ld``, ``microdata``, ``opengraph``).
        names: the site's names, stripped from ``<title>``.
    """
    tag = title_tag(doc, names)
    candidates: list[tuple[str, str]] = []
    folded_names = {fold(n) for n in names}
    headings = [text_of(h) for h in xpaths.HEADINGS(doc) if not xpaths.HOME_LINK(h)]  # not the logo
    headings = [h for h in headings if h and len(h) <= 300 and fold(h) not in folded_names]
    # A heading the structured data confirms, else one the <title> confirms; of several, the
    # longest (the site's name in a heading is confirmed by <title> too).
    for confirmations in (list(structured.values()), [tag] if tag else []):
        agreeing = [h for h in headings if _agrees(h, confirmations)]
        if agreeing:
            candidates.append(("heading", max(agreeing, key=lambda h: len(fold(h)))))
            break
    candidates.extend(
        (source, _strip_site(title, names)) for source, title in structured.items() if title
    )
    h1s = [text_of(h) for h in xpaths.H1(doc) if text_of(h)]
    if len(h1s) == 1 and fold(h1s[0]) not in {fold(n) for n in names}:
        candidates.append(("h1", h1s[0]))
    if tag:
        candidates.append(("title-tag", tag))
    return candidates


def _strip_site(title: str, names: tuple[str, ...]) -> str:
    parts = [p for p in _TITLE_SEPARATORS.split(title) if p.strip()]
    folded = {fold(n) for n in names}
    kept = [p for p in parts if fold(p) not in folded]
    return _rejoin(title, kept) if kept and len(kept) < len(parts) else title
