"""The selectors and patterns of discovery: links, pagination, feeds, listing dates, the site's chrome.

Read from a page's structure, never from path words (``discover.links``): anchors and
``rel=next``, labels of a next or previous page, page parameters and path suffixes, files
that are never pages, the dates a listing writes beside its links, and the class, id, tag
and role words of the navigation, header, footer and sidebars. Compiled once at import,
like ``extract.xpaths``.
"""

from __future__ import annotations

import re

from lxml import etree

ANCHORS = etree.XPath("//a[@href]")
REL_NEXT = etree.XPath(
    "//a[contains(concat(' ', normalize-space(@rel), ' '), ' next ')]/@href"
    " | //link[contains(concat(' ', normalize-space(@rel), ' '), ' next ')]/@href"
)
#: Feeds a page announces (``<link rel="alternate" type="application/rss+xml">``, Atom).
FEED_LINKS = etree.XPath(
    "//link[contains(concat(' ', normalize-space(@rel), ' '), ' alternate ')]"
    "[contains(@type, 'rss') or contains(@type, 'atom')]/@href"
)
#: Labels of a link to the next page or to "more", in Indonesian or English, and arrows.
NEXT_LABEL = re.compile(
    r"\b(selanjutnya|berikutnya|lanjut(kan)?|next|older|lebih\s+lama|posting(an)?\s+lama|post\s+lama"
    r"|lihat\s+(lainnya|lebih\s+banyak|semua|selengkapnya)|lainnya|muat\s+(lebih\s+banyak|lagi|lainnya)"
    r"|tampilkan\s+lebih\s+banyak|load\s+more|more|more\s+posts)\b"
    r"|^\W*(»|›|>|>>|→|⟩|⟫|▶|►|▸)+\W*$",
    re.I,
)
#: Labels of a link back: never a next page, even when page-shaped.
PREVIOUS_LABEL = re.compile(
    r"\b(sebelumnya|previous|prev|newer|lebih\s+baru|posting(an)?\s+baru|terbaru|mulai|first|awal|pertama)\b"
    r"|^\W*(«|‹|<|<<|←|⟨|⟪|◀|◄)+\W*$",
    re.I,
)
#: Query parameters that name a page of a listing.
PAGE_PARAMETER = re.compile(
    r"^(page|paged|pg|p|hal|halaman|start|limitstart|offset|from|updated-max|pagenum|page_num|pagina)$",
    re.I,
)
#: A trailing path segment that names a page of a listing: ``/page/2``, ``/hal/3``, ``/4``.
PAGE_PATH_SUFFIX = re.compile(r"/(?:(?:page|hal|halaman|p|pg)/)?\d{1,6}$", re.I)
#: Links to files, never pages of the site.
ASSET_PATH = re.compile(
    r"\.(jpe?g|png|gif|webp|svg|ico|bmp|pdf|docx?|xlsx?|pptx?|odt|zip|rar|7z|gz|tar|mp[34]|avi|mov|wav"
    r"|css|js|woff2?|ttf|eot|apk|exe)$",
    re.I,
)
#: Dates a listing item carries for machines (preferred: they have the time and zone).
MACHINE_DATES = etree.XPath(
    ".//time/@datetime | .//abbr/@title | .//*[@itemprop='datePublished']/@content"
    " | .//*[@itemprop='datePublished']/@datetime"
)
_MONTH_NAMES = (
    r"(jan(uari|uary)?|feb(ruari|ruary)?|mar(et|ch)?|apr(il)?|mei|may|jun[ei]?|jul[iy]?|agu(stus)?|agt|aug(ust)?"
    r"|sep(t(ember)?)?|okt(ober)?|oct(ober)?|nop(ember)?|nov(ember)?|des(ember)?|dec(ember)?)\.?"
)
_WEEKDAY = r"((senin|selasa|rabu|kamis|jum'?at|sabtu|minggu|ahad|monday|tuesday|wednesday|thursday|friday|saturday|sunday|sen|sel|rab|kam|jum|sab|min|mon|tue|wed|thu|fri|sat|sun)\.?,?\s*)?"
_TIME = r"(\s*([-|,•@]|pukul|jam|at)?\s*\d{1,2}[:.]\d{2}([:.]\d{2})?(\s*(WIB|WITA|WIT|AM|PM))?)?"
#: A date in any shape a listing writes (weekday, Indonesian or English month, numeric, ISO),
#: with its time; what it matches goes through ``dates.parse_date``.
DATE_IN_TEXT = re.compile(
    rf"\b\d{{4}}-\d{{2}}-\d{{2}}([T ]\d{{2}}:\d{{2}}(:\d{{2}}(\.\d+)?)?(Z|[+-]\d{{2}}:?\d{{2}})?)?"
    rf"|\b{_WEEKDAY}(\d{{1,2}}\s+{_MONTH_NAMES},?\s+\d{{4}}|\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{4}}"
    rf"|{_MONTH_NAMES}\s+\d{{1,2}},?\s+\d{{4}}){_TIME}",
    re.I,
)
#: Class or id words of the site's chrome (navigation, header, footer, sidebars): links there
#: are on every page and never make a page a listing (``links.in_chrome``).
CHROME_TOKENS = frozenset(
    {
        "nav",
        "navbar",
        "navigation",
        "menu",
        "sidebar",
        "widget",
        "footer",
        "header",
        "masthead",
        "breadcrumb",
        "breadcrumbs",
        "topbar",
        "aside",
        "site-header",
        "site-footer",
        "site-nav",
        "main-nav",
        "main-menu",
    }
)
CHROME_PREFIXES = (
    "header-",
    "nav-",
    "navbar-",
    "menu-",
    "sidebar-",
    "footer-",
    "widget-",
    "topbar-",
)
CHROME_SUFFIXES = (
    "-nav",
    "-navbar",
    "-menu",
    "-sidebar",
    "-navigation",
    "-footer",
    "-widget",
    "-widgets",
)
CHROME_TAGS = frozenset({"nav", "footer", "aside"})
CHROME_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary"})
#: A listing item with more text than this (outside its links) is a page section, not an item.
MAX_LISTING_ITEM_TEXT = 600
