"""Metadata by shape: date, author, categories and views from whatever markup holds them.

A theme may write the four facts as list items, spans, divs, table cells, a definition list
or one line separated by ``|`` or bullets, with icons or labels around them (``Tanggal``,
``Diposting``, ``Penulis``, ``Oleh``, ``Kategori``, ``Dibaca``, ``Posted by``...). This reads
them by what they look like, not by class names: a block of short text is cut into items
(its child elements, its text between them, its separators), and each item is recognised
by its label, its icon, or its shape (a date ``dates.parse_date`` reads, a view count, a
comma-terminated category, a name after the date). Labels and shapes live in ``metaxpaths``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from lxml import etree

from tuban_crawler.dates import ParsedDate, parse_date
from tuban_crawler.dates.results import DateText
from tuban_crawler.extract import metaxpaths
from tuban_crawler.extract.chrome import is_chrome
from tuban_crawler.extract.markup import beside, text_of, text_places

logger = logging.getLogger(__name__)

#: Longer text is a paragraph, not a metadata block.
MAX_BLOCK_LENGTH = 300
#: A date, a name or a count is short; longer items are sentences.
MAX_ITEM_LENGTH = 80
#: A heading this short that writes a date is a dateline, not a title.
DATED_HEADING = 40
#: How deep an item's element is read again for items of its own.
MAX_NESTING = 6


@dataclass
class Item:
    """One piece of a metadata block: its text, the icon before it, the element it came from."""

    text: str
    hint: str | None = None
    element: etree._Element | None = None


def _icon_hint(element: etree._Element) -> str | None:
    for node in element.iter():
        if not isinstance(node.tag, str) or (node is element and text_of(node)):
            continue  # an icon is an element without text: the item's own classes say nothing
        if node is not element and text_of(node):
            break
        words = " ".join(
            node.get(attribute, "")
            for attribute in ("class", "data-icon", "alt", "title", "aria-label")
        )
        for field_name, pattern in metaxpaths.META_ICON_HINTS:
            if pattern.search(words):
                return field_name
    return None


def _split_text(
    text: str | None, element: etree._Element | None = None, hint: str | None = None
) -> list[Item]:
    pieces = [
        p.strip(metaxpaths.META_ITEM_STRIP) for p in metaxpaths.META_SEPARATORS.split(text or "")
    ]
    return [Item(p, hint if i == 0 else None, element) for i, p in enumerate(pieces) if p]


def items_of(block: etree._Element) -> list[Item]:
    """Return the items of BLOCK: its text and its children's, cut at separators, times joined to their dates."""
    items = _split_text(block.text)
    pending: str | None = None
    for child in block:
        if isinstance(child.tag, str) and child.tag not in metaxpaths.META_SKIP_TAGS:
            text = text_of(child)
            if text and _holds_items(child):
                items.extend(items_of(child))
            elif text:
                hint = _icon_hint(child) or pending
                pending = None
                pieces = _split_text(text, child, hint)
                items.extend(pieces)
            else:
                pending = _icon_hint(child) or pending
        if child.tail and child.tail.strip():
            items.extend(_split_text(child.tail, None, pending))
            pending = None
    return _join(items)


def _holds_items(element: etree._Element) -> bool:
    """Return True when ELEMENT holds several items of its own (two children with text, a list, a row)."""
    with_text = [
        c
        for c in element
        if isinstance(c.tag, str) and c.tag not in metaxpaths.META_SKIP_TAGS and text_of(c)
    ]
    return len(with_text) >= 2


def _join(items: list[Item]) -> list[Item]:
    """Return ITEMS with a time (or an item's leading time) joined to the date before it and a lone comma to the category before it."""
    joined: list[Item] = []
    for item in items:
        previous = joined[-1] if joined else None
        lead = metaxpaths.TIME_LEAD.match(item.text) if previous else None
        if previous and lead and _is_date(previous.text, {}):
            joined[-1] = Item(f"{previous.text} {lead[0].strip()}", previous.hint, previous.element)
            rest = item.text[lead.end() :].strip(metaxpaths.META_ITEM_STRIP)
            if rest and _labelled(rest):  # the time began the item: a labelled rest is an item
                joined.append(Item(rest, None, item.element))
        elif previous and item.text.startswith(",") and not item.text.strip(", "):
            joined[-1] = Item(f"{previous.text},", previous.hint, previous.element)
        else:
            joined.append(item)
    return joined


#: The parse of each text read so far (one metadata reading parses a text once).
Parses = dict[str, ParsedDate]


def _parse(text: str, parses: Parses) -> ParsedDate:
    parsed = parses.get(text)
    if parsed is None:
        parsed = parses[text] = parse_date(text)
    return parsed


def _is_date(text: str, parses: Parses) -> bool:
    # Short, with a digit, few words (`martes, 3 de mayo de 2022 a las 22h03`): more is a
    # sentence, and dateparser is slow on them.
    return (
        len(text) <= 60
        and len(text.split()) <= 10
        and bool(metaxpaths.DATE_HINT.search(text))
        and bool(_parse(text, parses))
    )


def is_relative_date(text: str, parsed: ParsedDate | None = None) -> bool:
    """Return True when TEXT (whose parse is PARSED, if made already) is a relative date (``2 hari yang lalu``).

    A relative date is readable only against a reference.

    >>> is_relative_date("2 hari yang lalu"), is_relative_date("26 Juli 2017")
    (True, False)
    """
    if not metaxpaths.RELATIVE_DATE_HINT.search(text):
        return False
    parsed = parse_date(text) if parsed is None else parsed
    return not parsed and parsed.method == "relative"


def _is_relative(text: str, parses: Parses) -> bool:
    return bool(metaxpaths.RELATIVE_DATE_HINT.search(text)) and is_relative_date(
        text, _parse(text, parses)
    )


def _labelled(text: str) -> tuple[str, str] | None:
    for field_name, pattern in metaxpaths.META_LABELS:
        match = pattern.match(text)
        if match:
            return field_name, match.group("value").strip(metaxpaths.META_ITEM_STRIP)
    return None


def _shape(text: str, found: dict[str, Any], parses: Parses) -> str | None:
    if len(text) > MAX_ITEM_LENGTH:
        return None
    if metaxpaths.VIEWS_SHAPE.match(text):
        return "views"
    if _is_date(text, parses) or (len(text) <= 40 and _is_relative(text, parses)):
        return "modified" if metaxpaths.NOT_PUBLISHED_HINT.search(text) else "published"
    if text.endswith(","):
        return "categories"
    if "published" in found and metaxpaths.AUTHOR_SHAPE.match(text):
        # The order themes keep (the portal's too): date, author, categories, views.
        return "author" if "author" not in found else "categories"
    return None


def _categories(item: Item, value: str) -> list[str]:
    links = (
        [text_of(a) for a in item.element.iter("a")]
        if item.element is not None and value == item.text
        else []
    )
    names = links if any(links) else value.split(",")
    return [n.strip(" ,") for n in names if n.strip(" ,")]


def classify_items(
    items: list[Item],
    used: list[str] | None = None,
    parses: Parses | None = None,
    depth: int = 0,
) -> tuple[dict[str, Any], bool]:
    """Return (fields recognised in ITEMS, whether any came from a label or an icon).

    An item no label or shape recognises is read again as the items of its element, down to
    ``MAX_NESTING`` levels (DEPTH counts them): markup nested hundreds deep took minutes.

    A label alone (``Penulis``) takes the next item as its value; ``ignored`` labels
    (``Tags``, ``Sumber``...) keep their value from being taken for another field; an
    ``Editor``'s name is kept as ``editor``, never as the author.
    USED, when given, receives the text of every item read as a label or a value.
    PARSES, when given, holds the date parses made so far (a date found goes on parsed).
    """
    used = [] if used is None else used
    parses = {} if parses is None else parses
    found: dict[str, Any] = {}
    labelled = False
    waiting: str | None = None
    field_name: str | None
    for item in items:
        text = item.text
        reading = _labelled(text)
        from_label = bool(reading or waiting or item.hint)
        if reading and not reading[1]:
            waiting = reading[0]
            used.append(text)
            continue
        if reading:
            field_name, value = reading
            value = text if field_name == "views" else value  # the count as written, label and all
        elif waiting:
            field_name, value = waiting, text
        elif item.hint and len(text) <= MAX_ITEM_LENGTH:
            field_name, value = item.hint, text
        else:
            field_name, value = _shape(text, found, parses), text
            if (
                field_name is None
                and item.element is not None
                and len(item.element)
                and depth < MAX_NESTING
            ):
                nested, nested_labelled = classify_items(
                    items_of(item.element), used, parses, depth + 1
                )
                for name, nested_value in nested.items():
                    found.setdefault(name, nested_value)
                labelled = labelled or nested_labelled
                continue
        waiting = None
        if field_name is None or field_name == "ignored" or field_name in found or not value:
            continue
        if field_name == "views" and not any(c.isdigit() for c in value):
            continue
        if field_name in ("published", "modified") and not (
            _is_date(value, parses) or _is_relative(value, parses)
        ):
            continue
        if field_name in ("author", "editor") and not metaxpaths.AUTHOR_SHAPE.match(value):
            continue
        labelled = labelled or from_label
        if field_name == "categories":
            found[field_name] = _categories(item, value)
        elif field_name in ("published", "modified"):
            found[field_name] = DateText(value, parses[value])
        else:
            found[field_name] = value
        used.append(text)
    return found, labelled


def split_meta_items(texts: list[str]) -> dict[str, str]:
    """Return the metadata fields recognised by their label or shape in the item TEXTS, as written.

    >>> split_meta_items(["26 July 2017 13:24", "Yolency", "Kegiatan Pemerintahan,", "628"])
    {'published': '26 July 2017 13:24', 'author': 'Yolency', 'categories': 'Kegiatan Pemerintahan,', 'views': '628'}
    >>> split_meta_items(["Diposting: Rabu, 26 Juli 2017 | 13:24 WIB", "Oleh: Heri S", "Dibaca 1.204 kali"])
    {'published': 'Rabu, 26 Juli 2017 13:24 WIB', 'author': 'Heri S', 'views': 'Dibaca 1.204 kali'}
    """
    joined = _join([piece for text in texts for piece in _split_text(text)])
    found, _ = classify_items(joined)
    raw = {name: value for name, value in found.items() if name != "categories"}
    if "categories" in found:
        raw["categories"] = next(
            (i.text for i in joined if i.text.endswith(",")), ", ".join(found["categories"])
        )
    # The portal's own order, whatever the page's.
    return {
        name: raw[name] for name in ("published", "author", "categories", "views") if name in raw
    }


def _lengths(root: etree._Element) -> dict[etree._Element, int]:
    lengths: dict[etree._Element, int] = {}
    for element in reversed(list(root.iter())):
        if not isinstance(element.tag, str) or element.tag in metaxpaths.META_SKIP_TAGS:
            lengths[element] = 0
            continue
        total = len((element.text or "").strip())
        for child in element:
            total += lengths.get(child, 0) + len((child.tail or "").strip())
        lengths[element] = total
    return lengths


def _blocks(
    scope: etree._Element,
    lengths: dict[etree._Element, int],
    holding: list[etree._Element] | None = None,
) -> list[etree._Element]:
    """Return the largest elements of SCOPE with short text, headings, headline lists and the chrome left out.

    HOLDING: the elements that hold the title's surroundings, never chrome.
    """
    blocks: list[etree._Element] = []
    stack = [scope]
    while stack:
        element = stack.pop()
        length = lengths.get(element, 0)
        if not length or (
            # A heading is a title, but for one that holds a short date and little else
            # (``<h3>21.01.2022</h3>`` over the title).
            element.tag in metaxpaths.META_HEADINGS
            and not (length <= DATED_HEADING and metaxpaths.DATE_HINT.search(text_of(element)))
        ):
            continue
        if (
            element is not scope
            and is_chrome(element)
            and not any(element is held for held in holding or ())
        ):
            continue
        holds_heading = any(
            node.tag in metaxpaths.META_HEADINGS for node in element.iterdescendants()
        )
        if length > MAX_BLOCK_LENGTH or holds_heading:
            stack.extend(reversed([c for c in element if isinstance(c.tag, str)]))
            continue
        if any(len(text_of(a)) > metaxpaths.HEADLINE_LINK_LENGTH for a in element.iter("a")):
            continue  # a list of other articles, with their dates
        blocks.append(element)
    return blocks


#: How much text may stand between the title and a date it shows (a kicker, a category, a credit),
#: and between the title and a date below it, after a subtitle or a lead (issue 18: real pages).
BESIDE_TITLE, BELOW_TITLE = 120, 600


def read_metadata(
    scope: etree._Element,
    near: etree._Element | None = None,
    lines: list[str] | None = None,
    heading: etree._Element | None = None,
) -> dict[str, Any]:
    """Return the metadata fields found in SCOPE (the article), by label anywhere and by shape NEAR the title.

    Parameters:
        scope: the element holding the article (its container, or the whole page).
        near: the element around the title; items recognised only by their shape count
            there (a site's header shows today's date, a sidebar the dates of others).
        lines: when given, receives the text of every item read (and of blocks made of them).
        heading: the title's element: chrome that holds it is the article's.
    """
    lengths = _lengths(scope)
    near_elements = set(near.iter()) if near is not None else None
    places = text_places(scope, metaxpaths.META_SKIP_TAGS) if heading is not None else {}
    found: dict[str, Any] = {}
    parses: Parses = {}  # blocks nest: a text is read in each, parsed once
    anchor = heading if heading is not None else near
    holding = [anchor, *anchor.iterancestors()] if anchor is not None else None
    for block in _blocks(scope, lengths, holding):
        used: list[str] = []
        fields, labelled = classify_items(
            items_of(block) or [Item(text_of(block), None, block)], used, parses
        )
        if not fields:
            continue
        if (
            not labelled
            and near_elements is not None
            and block not in near_elements
            and not beside(block, heading, places, BESIDE_TITLE)
        ):
            if not beside(block, heading, places, BESIDE_TITLE, BELOW_TITLE):
                continue
            # Further below the title only a date is the article's: a name there is a caption's.
            fields = {k: v for k, v in fields.items() if k in ("published", "modified")}
            if not fields:
                continue
        for name, value in fields.items():
            found.setdefault(name, value)
        if lines is not None:
            lines.extend(used)
            if len(used) * 2 >= len(items_of(block)):
                lines.append(text_of(block))  # the block is metadata through and through
        if len(found.keys() - {"editor", "modified"}) == 4:
            break
    return found
