"""Any page → the links that lead to more of the portal: pure functions, no Scrapy objects.

The spider decides where to go; this reads what a page offers, from its structure rather
than from path words (issue 8): entry links and the dates written beside them, the page's
pagination (``rel=next``, next/more labels in Indonesian or English, arrows, page-shaped
links of the same listing), the other in-site pages it links to (hub candidates: the
spider finds out which are listings), and the feeds it announces with ``<link
rel="alternate">``. A malformed link is skipped and counted, never fatal to its page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urljoin, urlsplit

from lxml import etree

from tuban_crawler.dates import parse_date
from tuban_crawler.dates.results import DateText
from tuban_crawler.discover import linkpaths
from tuban_crawler.discover.urls import is_entry_url
from tuban_crawler.extract.markup import parse_html, text_of


@dataclass
class PageLinks:
    """The links of one page that lead to more of the portal."""

    entries: list[str] = field(default_factory=list)
    listed: list[str] = field(
        default_factory=list
    )  # entry links outside the site's chrome (nav, sidebars)
    next_pages: list[str] = field(
        default_factory=list
    )  # every link to a further page, surest first
    next_page: list[str] = field(
        default_factory=list
    )  # the surest kind found (rel=next, else a label...)
    pages: list[str] = field(default_factory=list)  # other in-site pages: hub candidates
    feeds: list[str] = field(default_factory=list)
    dates: dict[str, str] = field(default_factory=dict)  # entry link → date written beside it
    malformed: int = 0  # hrefs that are no URL at all (``http://[::1``, ``host:P:80``)


_NOT_LINKS = ("#", "javascript:", "mailto:", "tel:", "data:", "whatsapp:", "sms:")


def _resolve(href: str | None, base_url: str) -> tuple[str | None, bool]:
    """Return (HREF resolved against BASE_URL or None, whether HREF was a malformed URL)."""
    href = (href or "").strip()
    if not href or href.lower().startswith(_NOT_LINKS):
        return None, False
    try:
        absolute = urljoin(base_url, href)
        parts = urlsplit(absolute)
        parts.port  # noqa: B018 -- raises ValueError on a malformed port
    except ValueError:
        return None, True
    if parts.scheme not in ("http", "https"):
        return None, False
    if not parts.hostname:
        return None, True
    return absolute.split("#", 1)[0], False


def absolute_link(href: str | None, base_url: str) -> str | None:
    """Return HREF resolved against BASE_URL, or None when it is empty, not http(s) or malformed.

    >>> absolute_link("/entry/a#x", "https://t.id/berita"), absolute_link("http://[::1", "https://t.id/")
    ('https://t.id/entry/a', None)
    """
    return _resolve(href, base_url)[0]


def listing_stem(url: str) -> tuple[str, str]:
    """Return (host, path) of URL without a trailing page segment: pages of one listing share it.

    >>> listing_stem("https://t.id/warta/hal/3"), listing_stem("https://t.id/berita?page=2")
    (('t.id', '/warta'), ('t.id', '/berita'))
    """
    parts = urlsplit(url)
    path = linkpaths.PAGE_PATH_SUFFIX.sub("", parts.path.rstrip("/")) or "/"
    return (parts.netloc.lower(), path)


def is_page_shaped(url: str) -> bool:
    """Return True when URL names a page of a listing (a page parameter or a trailing page segment).

    >>> is_page_shaped("https://t.id/news?hal=2"), is_page_shaped("https://t.id/x/page/3"), is_page_shaped("https://t.id/x")
    (True, True, False)
    """
    parts = urlsplit(url)
    if any(
        linkpaths.PAGE_PARAMETER.match(name)
        for name, _ in parse_qsl(parts.query, keep_blank_values=True)
    ):
        return True
    return bool(linkpaths.PAGE_PATH_SUFFIX.search(parts.path.rstrip("/")))


def page_number(url: str) -> int | None:
    """Return the number a page-shaped URL gives its page (or offset), or None.

    >>> page_number("https://t.id/berita?page=3"), page_number("https://t.id/warta/hal/4"), page_number("https://t.id/x")
    (3, 4, None)
    """
    parts = urlsplit(url)
    for name, value in parse_qsl(parts.query, keep_blank_values=True):
        if linkpaths.PAGE_PARAMETER.match(name) and value.isdigit():
            return int(value)
    match = linkpaths.PAGE_PATH_SUFFIX.search(parts.path.rstrip("/"))
    return int(match.group(0).rsplit("/", 1)[-1]) if match else None


def _label(anchor: etree._Element) -> str:
    """Return what an anchor says: its text, else its title, aria-label or image alt."""
    text = text_of(anchor)
    for extra in (anchor.get("aria-label"), anchor.get("title"), *anchor.xpath(".//img/@alt")):
        if extra:
            text = f"{text} {extra}"
    return text.strip()


def _is_next_label(label: str) -> bool:
    return bool(label) and len(label) <= 40 and bool(linkpaths.NEXT_LABEL.search(label))


def next_page_links(
    doc: etree._Element, base_url: str, anchors: list[tuple[etree._Element, str]]
) -> list[list[str]]:
    """Return the links to further pages of the listing at BASE_URL, however written, in tiers, surest first.

    Tiers: ``rel=next``; a link labelled as a next page or "more" that is a page of a
    listing (a page parameter or segment, or the same listing stem); any other such label;
    a page-shaped link (numbered, an arrow) of the same listing stem. Previous-page labels
    are left out (they lead back; a walk from page 1 never needs them).
    """
    tiers: list[list[str]] = [[], [], [], []]
    for href in linkpaths.REL_NEXT(doc):
        link = absolute_link(href, base_url)
        if link:
            tiers[0].append(link)
    stem = listing_stem(base_url)
    for anchor, link in anchors:
        label = _label(anchor)
        if (
            label
            and linkpaths.PREVIOUS_LABEL.search(label)
            and not linkpaths.NEXT_LABEL.search(label)
        ):
            continue
        rel = (anchor.get("rel") or "").lower().split()
        if "prev" in rel or "previous" in rel:
            continue
        same_listing = is_page_shaped(link) and listing_stem(link) == stem
        if _is_next_label(label):
            tiers[1 if same_listing or is_page_shaped(link) else 2].append(link)
        elif same_listing and (page_number(link) or 2) > (page_number(base_url) or 1):
            tiers[3].append(link)  # numbered links back (to page 1...) are not next pages
    current = base_url.split("#", 1)[0]
    seen: set[str] = {current}
    result = []
    for tier in tiers:
        kept = [link for link in dict.fromkeys(tier) if link not in seen]
        seen.update(kept)
        result.append(kept)
    return result


def in_chrome(anchor: etree._Element) -> bool:
    """Return True when ANCHOR sits in the site's chrome: navigation, a sidebar, the page header or footer.

    A ``<header>`` inside an ``<article>`` is the article's own (listing items wrap their
    title in one), not the page's.
    """
    ancestors = list(anchor.iterancestors())
    for position, element in enumerate(ancestors):
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in linkpaths.CHROME_TAGS or (element.get("role") or "") in linkpaths.CHROME_ROLES:
            return True
        if tag == "header" and not any(a.tag == "article" for a in ancestors[position + 1 :]):
            return True
        for token in f"{element.get('class') or ''} {element.get('id') or ''}".lower().split():
            if (
                token in linkpaths.CHROME_TOKENS
                or token.startswith(linkpaths.CHROME_PREFIXES)
                or token.endswith(linkpaths.CHROME_SUFFIXES)
            ):
                return True
    return False


def _item_blocks(anchors: list[tuple[etree._Element, str]]) -> dict[str, etree._Element]:
    """Return {entry link: the largest block around it that links to no other entry}."""
    owners: dict[etree._Element, set[str]] = {}
    for anchor, link in anchors:
        for ancestor in anchor.iterancestors():
            seen = owners.setdefault(ancestor, set())
            if len(seen) > 1:
                break
            seen.add(link)
    blocks: dict[str, etree._Element] = {}
    for anchor, link in anchors:
        if link in blocks:
            continue
        block = None
        for ancestor in anchor.iterancestors():
            if len(owners.get(ancestor, ())) != 1 or ancestor.tag in ("body", "html"):
                break
            block = ancestor
        if block is not None:
            blocks[link] = block
    return blocks


def _text_outside_links(block: etree._Element) -> str:
    """Return BLOCK's text without the text of its links (a title may carry a date of its own)."""
    pieces: list[str] = []

    def walk(element: etree._Element) -> None:
        if element.tag != "a" and element.tag is not etree.Comment and element.text:
            pieces.append(element.text)
        if element.tag != "a":
            for child in element:
                walk(child)
                if child.tail:
                    pieces.append(child.tail)

    walk(block)
    return text_of(" ".join(pieces))


def date_in_block(block: etree._Element) -> str | None:
    """Return the one publication date written in a listing item BLOCK, as written (carrying its parse), or None.

    Machine-readable dates (``<time datetime>``, ``abbr[title]``, ``itemprop`` content) and
    dates in the text outside the links are read with ``dates``; several that disagree on
    the day say nothing certain, and the most precise of those that agree wins.
    """
    candidates = [
        value.strip()
        for value in linkpaths.MACHINE_DATES(block)
        if linkpaths.DATE_IN_TEXT.search(value or "")
    ]
    text = _text_outside_links(block)
    if len(text) <= linkpaths.MAX_LISTING_ITEM_TEXT:
        candidates += [m.group(0) for m in linkpaths.DATE_IN_TEXT.finditer(text)]
    parsed = []
    for candidate in dict.fromkeys(candidates):
        result = parse_date(candidate)
        if result:
            parsed.append((result, candidate))
    if not parsed:
        return None
    days = {(result.isoformat() or "")[:10] for result, _ in parsed}
    if len(days) != 1:
        return None
    timed = {
        result.isoformat(): DateText(candidate, result)
        for result, candidate in parsed
        if result.precision == "datetime"
    }
    if len(timed) > 1:
        return None
    # Handed on with its parse: normalise reads it without parsing it again.
    return next(iter(timed.values())) if timed else DateText(parsed[0][1], parsed[0][0])


def listing_dates(doc: etree._Element, base_url: str) -> dict[str, str]:
    """Return {absolute entry link: date as written} for links whose listing item shows one date."""
    return _dates_for(_anchors(doc, base_url)[0])


def _anchors(
    doc: etree._Element, base_url: str, is_entry: Callable[[str], bool] = is_entry_url
) -> tuple[list, list, int]:
    """Return (entry anchors, other in-site page anchors, malformed hrefs) of DOC, as (element, link) pairs."""
    entries, others, malformed = [], [], 0
    for anchor in linkpaths.ANCHORS(doc):
        link, bad = _resolve(anchor.get("href"), base_url)
        malformed += bad
        if link is None:
            continue
        if is_entry(link):
            entries.append((anchor, link))
        elif not linkpaths.ASSET_PATH.search(urlsplit(link).path):
            others.append((anchor, link))
    return entries, others, malformed


def page_links(
    html: str | bytes | etree._Element,
    base_url: str,
    is_entry: Callable[[str], bool] = is_entry_url,
) -> PageLinks:
    """Return the absolute entry, next-page, other-page and feed links of any page, without repeats.

    IS_ENTRY says which links are entries (by their site's pattern: ``discover.scope``).
    """
    doc = parse_html(html)
    entry_anchors, other_anchors, malformed = _anchors(doc, base_url, is_entry)
    # An index living under an entry URL pages itself with a query (``/entry/indeks?hal=2``).
    stem = listing_stem(base_url)
    own_pages = [
        (a, link)
        for a, link in entry_anchors
        if urlsplit(link).query and is_page_shaped(link) and listing_stem(link) == stem
    ]
    tiers = next_page_links(doc, base_url, [*other_anchors, *own_pages])
    next_pages = [link for tier in tiers for link in tier]
    nexts = set(next_pages)
    feeds = [
        link
        for link in dict.fromkeys(absolute_link(h, base_url) for h in linkpaths.FEED_LINKS(doc))
        if link
    ]
    return PageLinks(
        entries=list(dict.fromkeys(link for _, link in entry_anchors)),
        listed=list(dict.fromkeys(link for anchor, link in entry_anchors if not in_chrome(anchor))),
        next_pages=next_pages,
        next_page=next((tier for tier in tiers if tier), []),
        pages=[
            link for link in dict.fromkeys(link for _, link in other_anchors) if link not in nexts
        ],
        feeds=feeds,
        dates=_dates_for(entry_anchors),
        malformed=malformed,
    )


def _dates_for(anchors: list[tuple[etree._Element, str]]) -> dict[str, str]:
    dates: dict[str, str] = {}
    for link, block in _item_blocks(anchors).items():
        found = date_in_block(block)
        if found:
            dates[link] = found
    return dates
