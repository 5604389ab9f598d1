"""Every selector and path of the portal, in one place.

Each field has an ordered list of ``(source, xpath)`` pairs, most specific first: the
portal's own layouts (``legacy``: the CMS theme used until 2018; ``current``: the theme
used since), then what article pages usually carry anyway. When the portal changes its
theme, this is the file to edit; ``tuban-crawler extract PAGE`` shows which source gave
each field.

The expressions are compiled once at import (trafilatura's ``xpaths.py`` is the model).
Class tests use ``contains(concat(' ', normalize-space(@class), ' '), ' x ')`` so that
``post-title`` does not also match ``post-title-small``.
"""

from __future__ import annotations

import re

from lxml import etree


def has_class(name: str) -> str:
    """Return an XPath predicate body that is true when an element carries class NAME."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def _compile(pairs: list[tuple[str, str]]) -> list[tuple[str, etree.XPath]]:
    return [(source, etree.XPath(expression)) for source, expression in pairs]


#: The portal's own layouts, in the order they are tried; their selectors are the sources named after them.
PORTAL_LAYOUTS = ("legacy", "current")

# -- the article's container: selectors below are tried inside it first ---------------
ARTICLE_CONTAINERS = _compile(
    [
        ("legacy", f"//div[@id='content']//div[{has_class('post')}]"),
        ("current", f"//article[{has_class('single-news')}]"),
        ("generic", "//article"),
        ("generic", "//*[@itemtype and contains(@itemtype, 'Article')]"),
        ("generic", "//main"),
    ]
)

# -- title -------------------------------------------------------------------------------
TITLE = _compile(
    [
        ("legacy", f".//h2[{has_class('post-title')}]"),
        ("current", f".//h1[{has_class('news-title')}]"),
        (
            "generic",
            f".//*[self::h1 or self::h2][{has_class('entry-title')} or {has_class('post-title')}]",
        ),
        ("generic", "//article//h1"),
    ]
)
#: Headings that may repeat the ``<title>`` text (an unknown theme's article title).
HEADINGS = etree.XPath("//h1 | //h2 | //h3 | //h4")
H1 = etree.XPath("//body//h1[not(ancestor::a[@href='/']) and not(.//a[@href='/'])]")
#: A heading that is (or holds) a link to the home page is the site's logo, not a title.
HOME_LINK = etree.XPath("ancestor-or-self::a[@href='/'] | .//a[@href='/']")
#: Suffix the CMS appends to ``<title>``; stripped when the title tag is the last resort.
TITLE_TAG_SUFFIX = re.compile(
    r"\s*[-|–—]\s*(Pemerintah\s+)?Kabupaten\s+Tuban.*$|\s*[-|–—]\s*tubankab\.go\.id.*$", re.I
)
TITLE_TAG = etree.XPath("//head/title")

# -- the metadata list: date, author, categories, views, in that order -------------------
# The portal's own markup first; failing that, a list whose items have the *shape* of the
# portal's metadata (see ``extract.read_meta_shape``), which survives a change of classes.
META_ITEMS = {
    "published": _compile(
        [
            ("legacy", f".//ul[{has_class('post-meta')}]/li[i[{has_class('icon-time')}]]"),
            ("current", f".//*[{has_class('news-meta')}]/*[{has_class('news-date')}]"),
        ]
    ),
    "author": _compile(
        [
            ("legacy", f".//ul[{has_class('post-meta')}]/li[i[{has_class('icon-user')}]]"),
            ("current", f".//*[{has_class('news-meta')}]/*[{has_class('news-author')}]"),
        ]
    ),
    "categories": _compile(
        [
            (
                "legacy",
                f".//ul[{has_class('post-meta')}]/li[i[starts-with(@class, 'icon-folder')]]",
            ),
            ("current", f".//*[{has_class('news-meta')}]/*[{has_class('news-category')}]"),
        ]
    ),
    "views": _compile(
        [
            ("legacy", f".//ul[{has_class('post-meta')}]/li[i[starts-with(@class, 'icon-eye')]]"),
            ("current", f".//*[{has_class('news-meta')}]/*[{has_class('news-views')}]"),
        ]
    ),
}
#: Candidate metadata lists for the shape-based fallback, in document order.
META_LIST_CANDIDATES = etree.XPath(
    ".//ul | .//ol | .//*[self::div or self::p or self::span][contains(., '•')]"
)
META_LIST_ITEMS = etree.XPath("./li")
#: Separator of the one-line metadata variant (``26 July 2017 13:24 • Yolency • Umum, • 628``).
META_BULLET = "•"
#: The portal's own publication format: zero-padded day, English month, 24 h clock.
PORTAL_DATE_SHAPE = re.compile(
    r"^\d{1,2}\s+(January|February|March|April|May|June|July|August|September|October|November|December)"
    r"\s+\d{4}(\s+\d{1,2}[:.]\d{2})?$",
    re.I,
)
#: A view count, bare or as a phrase: ``628``, ``1.204 kali dibaca``, ``Dilihat 57x``, ``57 views``.
VIEWS_SHAPE = re.compile(
    r"^(?:(?:dibaca|dilihat|views?|hits|pembaca)\s*:?\s*)?(\d{1,3}(?:[.,]\d{3})+|\d+)"
    r"\s*(?:x|kali|times)?\s*(?:dibaca|dilihat|views?|hits|pembaca|viewed)?$",
    re.I,
)

# -- body ------------------------------------------------------------------------------
BODY = _compile(
    [
        ("legacy", f".//div[{has_class('post-content')}]"),
        ("current", f".//div[{has_class('news-body')}]"),
        ("generic", ".//*[@itemprop='articleBody']"),
        (
            "generic",
            f".//div[{has_class('entry-content')} or {has_class('article-content')} or {has_class('content')}]",
        ),
    ]
)
#: Where the densest-block reading looks: parents of paragraphs, of text ``<div>``s and of ``<br>`` lines.
PARAGRAPH_PARENTS = etree.XPath("//body//*[p or br or div[not(*)]]")
#: Block elements: they start a new line of text.
BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "table",
        "tr",
        "td",
        "th",
        "section",
        "article",
        "header",
        "footer",
        "figure",
        "figcaption",
        "hr",
        "main",
    }
)
HAS_BLOCK_CHILD = etree.XPath(
    "./*[self::p or self::div or self::ul or self::ol or self::table or self::h2 or self::h3]"
)
#: Block elements whose text makes a paragraph of the body.
BODY_BLOCKS = etree.XPath(".//p | .//blockquote[not(p)] | .//li | .//h2 | .//h3 | .//h4")
#: Elements inside a body that are never article text.
BODY_NOISE = etree.XPath(
    ".//script | .//style | .//noscript | .//iframe | .//form | .//button"
    f" | .//*[{has_class('disqus')} or @id='disqus_thread' or {has_class('share')} or {has_class('sharedaddy')}]"
)
#: Paragraphs that are page furniture, not body text (seen on the portal after the body).
BODY_TRAILERS = re.compile(
    r"^(comments powered by disqus\.?|sumber\s*:\s*.{0,60}|baca juga\s*:.*|share\s*:?.*|bagikan\s*:?.*)$",
    re.I,
)
#: A photo caption written before the title on some pages.
PHOTO_CAPTION = _compile(
    [
        ("legacy", f".//*[{has_class('foto-caption')}]"),
        (
            "generic",
            ".//p[starts-with(normalize-space(.), 'Foto :') or starts-with(normalize-space(.), 'Foto:')]",
        ),
    ]
)
PHOTO_CAPTION_TEXT = re.compile(r"^Foto\s*:\s*", re.I)

# -- images with captions -------------------------------------------------------------
IMAGE_BLOCKS = _compile(
    [
        ("legacy", f".//div[{has_class('post-thumb')}]"),
        ("current", f".//figure[{has_class('news-image')}]"),
        ("generic", ".//figure[.//img]"),
    ]
)
IMAGE_IMG = etree.XPath(".//img[@src or @data-src]")
IMAGE_CAPTION = etree.XPath(
    f".//figcaption | .//*[{has_class('caption')} or {has_class('wp-caption-text')}]"
)

# -- what pages usually carry anyway ----------------------------------------------------
JSON_LD = etree.XPath("//script[@type='application/ld+json']/text()")
_LOWER = "translate({}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
#: ``<meta>`` by property or name, case-folded (``DC.date.issued``, ``Author``): call with a lower-case $name.
META_PROPERTY = etree.XPath(
    f"//meta[{_LOWER.format('@property')}=$name or {_LOWER.format('@name')}=$name]/@content"
)
META_TAGS = etree.XPath("//meta[@content]")
TIME_DATETIME = etree.XPath(".//time[@datetime]/@datetime")
CANONICAL_LINK = etree.XPath("//link[@rel='canonical']/@href")
OPENGRAPH = {
    "title": ("og:title", "twitter:title", "dc.title"),
    "published": (
        "article:published_time",
        "og:published_time",
        "datepublished",
        "pubdate",
        "publishdate",
        "dc.date.issued",
        "dc.date",
        "dcterms.created",
        "parsely-pub-date",
        "date",
    ),
    "modified": ("article:modified_time", "og:updated_time", "datemodified", "dcterms.modified"),
    "author": ("article:author", "author", "dc.creator", "parsely-author"),
    "image": ("og:image",),
}
#: Names the site gives itself, stripped from ``<title>``.
SITE_NAME = ("og:site_name", "application-name", "apple-mobile-web-app-title")
JSON_LD_ARTICLE_TYPES = frozenset(
    {
        "Article",
        "NewsArticle",
        "BlogPosting",
        "ReportageNewsArticle",
        "AnalysisNewsArticle",
        "OpinionNewsArticle",
        "BackgroundNewsArticle",
        "ReviewNewsArticle",
        "Report",
        "ScholarlyArticle",
        "TechArticle",
        "LiveBlogPosting",
        "SocialMediaPosting",
        "Posting",
    }
)
#: Taken only when no article node is there: a ``WebPage`` node describes the page, not the story.
JSON_LD_PAGE_TYPES = frozenset({"WebPage", "ItemPage", "AboutPage", "CollectionPage"})
#: ``interactionStatistic`` types that count readers.
VIEW_ACTIONS = ("ViewAction", "ReadAction", "WatchAction")
ITEMPROP = etree.XPath("//*[@itemprop]")
ITEMPROP_NAME = etree.XPath(".//*[@itemprop='name']")
RDFA_PROPERTY = etree.XPath("//*[@property and not(self::meta)]")
#: Microdata / RDFa property names (prefix dropped: ``dc:date`` → ``date``) → field.
STRUCTURED_PROPERTIES = {
    "headline": "title",
    "title": "title",
    "datePublished": "published",
    "dateCreated": "published",
    "created": "published",
    "issued": "published",
    "date": "published",
    "dateModified": "modified",
    "modified": "modified",
    "author": "author",
    "creator": "author",
    "articleSection": "categories",
    "interactionCount": "views",
    "userInteractionCount": "views",
}


# -- metadata by shape (``extract.metadata``): labels, icons, separators ----------------
def _label(words: str) -> re.Pattern[str]:
    return re.compile(rf"^(?:{words})(?:\s*[:：=]\s*|\s*[-–—]\s+|\s+|$)(?P<value>.*)$", re.I | re.S)


#: Labels before a value, Indonesian and English, most specific first (``Diposting oleh`` is
#: an author, ``Diposting`` a date). ``ignored`` labels keep their value from any field.
META_LABELS = [
    (
        "author",
        _label(
            r"(?:ditulis|diposting|dipost|diunggah|dipublikasikan|diterbitkan|dikirim|dibuat|diupload)\s+oleh"
            r"|(?:posted|written|published|uploaded)\s+by|penulis|pengirim|pewarta|reporter|wartawan"
            r"|kontributor|author|oleh|by|uploader"
        ),
    ),
    (
        "ignored",
        _label(
            r"editor|redaktur|penyunting|fotografer|foto|sumber|source|tags?|tautan|share|bagikan"
        ),
    ),
    (
        "published",
        _label(
            r"hari\s*/\s*tanggal|hari,?\s+tanggal|tanggal\s+(?:terbit|posting|publikasi|unggah)|tanggal|tgl\.?"
            r"|(?:diposting|dipost|dipublikasikan|diterbitkan|diunggah|ditulis|dibuat|diupload|terbit)(?:\s+pada)?"
            r"|(?:posted|published)(?:\s+on)?|date|waktu|pada"
        ),
    ),
    (
        "categories",
        _label(
            r"kategori|categories|category|rubrik|kanal|topik|labels?|posted\s+in|filed\s+under"
        ),
    ),
    # ``by Heri S in <a>Umum</a>``: a lone "in" before a link, never the start of a sentence.
    ("categories", re.compile(r"^(?:in|dalam)$(?P<value>)", re.I)),
    (
        "views",
        _label(
            r"dibaca|dilihat|views?|hits|pembaca|viewed|jumlah\s+pembaca|total\s+dilihat|pengunjung"
        ),
    ),
]
#: Words in an icon's class (Font Awesome, Bootstrap, Dashicons...) that say what follows it.
META_ICON_HINTS = [
    ("published", re.compile(r"calendar|clock|time|date|jadwal|tanggal", re.I)),
    ("author", re.compile(r"user|person|author|pencil|penulis|profile|avatar", re.I)),
    ("categories", re.compile(r"folder|tag|categor|kategori|bookmark|label|archive", re.I)),
    ("views", re.compile(r"eye|view|dilihat|dibaca|bar-chart|stats", re.I)),
]
#: What separates items written on one line.
META_SEPARATORS = re.compile(r"\s*[|•·●▪►»]\s*|\s+[/\\]\s+|\s+[-–—]\s+")
META_ITEM_STRIP = " \t\n-–—•·|»►▪●:;"
META_SKIP_TAGS = frozenset(
    {"script", "style", "noscript", "template", "select", "button", "form", "iframe"}
)
META_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
#: A link longer than this is a headline: its block lists other articles.
HEADLINE_LINK_LENGTH = 60
#: A time written apart from its date (``| 13:24``, ``pukul 10.15 WIB``), joined back to it.
TIME_ONLY = re.compile(
    r"^(?:pukul|jam|pkl\.?)?\s*\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:WIB|WITA|WIT)?$", re.I
)
#: Without one of these shapes a short text is no date: day month year, month day year, numeric, ISO.
DATE_HINT = re.compile(
    r"\d{1,4}\s*[/.-]\s*\d{1,2}|\b\d{1,2}\s+[^\W\d_]{3,}\.?,?\s+\d{2,4}\b|\b[^\W\d_]{3,}\.?\s+\d{1,2},?\s+\d{4}\b"
)
#: Words without which a text is no relative date (``2 hari yang lalu``, ``kemarin``, ``3 hours ago``).
RELATIVE_DATE_HINT = re.compile(
    r"\b(lalu|ago|kemarin|yesterday|hari ini|today|baru saja|just now)\b", re.I
)
#: A name after the date: letters, no digits, a few words.
AUTHOR_SHAPE = re.compile(r"^(?=.{1,60}$)[^\W\d_][^\d:|@/]*$")

# -- discovery: read from a page's structure, never from path words (links.py) -----------
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
