"""Metadata a page may carry whatever its layout, and metadata read by its shape.

Structured data first (``extract.structured``): JSON-LD, ``<meta>`` tags (OpenGraph,
Dublin Core, Parse.ly...), microdata and RDFa, ``<time datetime>``, the canonical link.
Then what ``extract.metadata`` reads when no selector of ``extract.xpaths`` matched: labels
before a value (``Penulis:``, ``Diposting oleh``), icons, separators, and the shapes of a
date, a time, a view count and an author's name. Compiled once at import, like
``extract.xpaths`` (trafilatura's ``metaxpaths.py`` is the model).
"""

from __future__ import annotations

import re

from lxml import etree

# -- what pages usually carry anyway ----------------------------------------------------
JSON_LD = etree.XPath("//script[@type='application/ld+json']/text()")
_LOWER = "translate({}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
#: ``<meta>`` by property or name, case-folded (``DC.date.issued``, ``Author``): call with a lower-case $name.
META_PROPERTY = etree.XPath(
    f"//meta[{_LOWER.format('@property')}=$name or {_LOWER.format('@name')}=$name]/@content"
)
META_TAGS = etree.XPath("//meta[@content]")
TIME_DATETIME = etree.XPath(".//time[@datetime]/@datetime")
TIME_ELEMENTS = etree.XPath(".//time[@datetime]")
#: The publication microformats, read when no ``<time datetime>`` is there: hAtom's
#: ``published`` (``<abbr class="published" title="2020-04-28T21:11:00+02:00">``, every
#: Blogger page) and h-entry's ``dt-published``.
#: (``contains`` alone is quick; ``structured.time_fields`` checks the class is the word.)
PUBLISHED_MICROFORMATS = etree.XPath(
    ".//*[contains(@class, 'published')][@title or @datetime or @value]"
)
MICROFORMAT_CLASSES = frozenset({"published", "dt-published"})
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


#: Labels before a value, Indonesian and English first, most specific first (``Diposting oleh`` is
#: an author, ``Diposting`` a date). ``ignored`` labels keep their value from any field;
#: ``editor`` is read apart from the author.
META_LABELS = [
    (
        "author",
        _label(
            r"(?:ditulis|diposting|dipost|diunggah|dipublikasikan|diterbitkan|dikirim|dibuat|diupload)\s+oleh"
            r"|(?:posted|written|published|uploaded)\s+by|penulis|pengirim|pewarta|reporter|wartawan"
            r"|kontributor|author|oleh|by|uploader"
            # the same labels in the other languages real pages are written in
            r"|(?:(?:geschrieben|eingestellt|verfasst|gepostet)\s+)?von|autor(?:in)?|auteur|par|por|door|autore|журналист|автор|작성자|기자|記者"
        ),
    ),
    # The editor is kept apart: the writer beats the editor, who is named only when no one else is.
    ("editor", _label(r"editor|redaktur|penyunting|penyelaras|edited\s+by|disunting\s+oleh")),
    (
        "ignored",
        _label(r"fotografer|foto|sumber|source|tags?|tautan|share|bagikan"),
    ),
    # Updates, expiry and availability are never the publication (issue 18): an update goes
    # to ``modified``; ``Berlaku hingga``/``Verfügbar bis`` dates to no field.
    (
        "modified",
        _label(
            r"(?:terakhir\s+)?(?:diperbarui|diperbaharui|diupdate|diubah)(?:\s+pada)?|pembaruan(?:\s+terakhir)?"
            r"|(?:last\s+)?(?:updated|modified)(?:\s+on|\s+at)?|last\s+update|update"
            r"|actualizado(?:\s+el|\s+a\s+las)?|aktualisiert(?:\s+am)?|mis\s+à\s+jour(?:\s+le)?"
            r"|atualizado(?:\s+em)?|aggiornato(?:\s+il)?|bijgewerkt(?:\s+op)?|zaktualizowano"
            r"|обновлено|更新日?|수정(?:일)?|最終更新"
        ),
    ),
    (
        "ignored",
        _label(
            r"berlaku\s+(?:hingga|sampai)|batas\s+waktu|kedaluwarsa|available\s+until|valid\s+until"
            r"|expires?(?:\s+on)?|verfügbar\s+bis|gültig\s+bis|disponible\s+hasta|disponible\s+jusqu'au"
            # An event's date, a member's registration, a rule's start: not the article's.
            r"|termin|veranstaltung(?:sdatum)?|event\s+date|registriert(?:\s+seit)?|mitglied\s+seit"
            r"|member\s+since|joined|ab\s+dem|bis\s+zum"
        ),
    ),
    (
        "published",
        _label(
            r"hari\s*/\s*tanggal|hari,?\s+tanggal|tanggal\s+(?:terbit|posting|publikasi|unggah)|tanggal|tgl\.?"
            r"|(?:diposting|dipost|dipublikasikan|diterbitkan|diunggah|ditulis|dibuat|diupload|terbit)(?:\s+pada)?"
            r"|(?:posted|published)(?:\s+on)?|date|waktu|pada"
            r"|(?:veröffentlicht|publiziert|erschienen)(?:\s+am)?|veröffentlichung|erstellt(?:\s+am)?"
            r"|publié(?:\s+le)?|mise?\s+en\s+ligne(?:\s+le)?|publicado(?:\s+el)?|postado\s+em"
            r"|pubblicato(?:\s+il)?|gepubliceerd(?:\s+op)?|opublikowano|datum"
        ),
    ),
    (
        "categories",
        _label(
            r"kategori(?:e|en)?|categories|category|rubrik|kanal|topik|labels?|posted\s+in|filed\s+under"
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
#: Words of an update or an expiry anywhere in a date's text: it is no publication date.
NOT_PUBLISHED_HINT = re.compile(
    r"diperbarui|diperbaharui|diupdate|updated|modified|actualizado|aktualisiert|mis à jour"
    r"|atualizado|aggiornato|bijgewerkt|berlaku|verfügbar|gültig|available|expires?|valid until",
    re.I,
)
#: The page's chrome: its dates and names belong to the site or to other articles (issue 18); a
#: quotation (``<blockquote>``, an embedded post) has the date of what it quotes.
#: Not "widget": Blogger wraps the post itself in ``<div class="widget Blog">``.
CHROME_TAGS = frozenset({"aside", "nav", "blockquote"})
CHROME_ROLES = frozenset({"complementary", "navigation", "contentinfo", "banner"})
CHROME_WORDS = re.compile(
    r"(?:^|[\s_-])(?:sidebar|related|terkait|popular|populer|terpopuler|trending"
    r"|rekomendasi|recommended|comments?|komentar|breaking)(?:$|[\s_-])",
    re.I,
)
#: The site's footer by its class or id (a ``post-footer`` is the article's own: its labels).
SITE_FOOTER = re.compile(r"(?:^|\s)(?:(?:site|page|main|global)[-_]?)?footer(?:$|\s)", re.I)
#: What separates items written on one line.
META_SEPARATORS = re.compile(r"\s*[|•·●▪►»]\s*|\s+[/\\]\s+|\s+[-–—]\s+")
META_ITEM_STRIP = " \t\n\xa0-–—•·|»►▪●:;"
META_SKIP_TAGS = frozenset(
    {"script", "style", "noscript", "template", "select", "button", "form", "iframe"}
)
META_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
#: A link longer than this is a headline: its block lists other articles.
HEADLINE_LINK_LENGTH = 60
#: A time written apart from its date (``| 13:24``, ``pukul 10.15 WIB``), or at the start of a
#: text that goes on (``um 09:07 Uhr gespeichert unter``): joined back to the date before it.
TIME_LEAD = re.compile(
    r"^(?:pukul|jam|pkl\.?|um|à|a\s+las|at|@)?\s*\d{1,2}[:.h]\d{2}(?::\d{2})?"
    r"(?:\s*(?:[ap]\.?\s?m\.?|uhr|hrs?\.?|h)(?![a-z]))?(?:\s+(?:wita|wib|wit|(?-i:[A-Z]{3,4}))(?![a-z]))?(?=\s|$)",
    re.I,
)
#: Without one of these shapes a short text is no date: day month year, month day year, numeric, ISO.
DATE_HINT = re.compile(
    r"\d{1,4}\s*[/.-]\s*\d{1,2}|\b\d{1,2}(?:st|nd|rd|th)?\.?\s+(?:de\s+)?[^\W\d_]{3,}\.?,?\s+(?:del?\s+)?\d{2,4}\b"
    r"|\b[^\W\d_]{3,}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}\b"
)
#: Words without which a text is no relative date (``2 hari yang lalu``, ``kemarin``, ``3 hours ago``).
RELATIVE_DATE_HINT = re.compile(
    r"\b(lalu|ago|kemarin|yesterday|hari ini|today|baru saja|just now)\b", re.I
)
#: A name after the date: letters, no digits, a few words.
AUTHOR_SHAPE = re.compile(r"^(?=.{1,60}$)[^\W\d_][^\d:|@/]*$")
#: A view count, bare or as a phrase: ``628``, ``1.204 kali dibaca``, ``Dilihat 57x``, ``57 views``.
VIEWS_SHAPE = re.compile(
    r"^(?:(?:dibaca|dilihat|views?|hits|pembaca)\s*:?\s*)?(\d{1,3}(?:[.,]\d{3})+|\d+)"
    r"\s*(?:x|kali|times)?\s*(?:dibaca|dilihat|views?|hits|pembaca|viewed)?$",
    re.I,
)

# -- categories shown without a metadata list (``extract.categories``, issue 18) ------------
#: The path of a category's page: ``/kategori/kesehatan``, ``/category/umum/``, ``/rubrik/...``,
#: Blogger's ``/search/label/...``.
CATEGORY_PATH = re.compile(
    r"/(?:kategori|category|categories|rubrik|kanal|section|sections|topik|cat)(?:/|$)"
    r"|/search/label/",
    re.I,
)
#: The query of a category's page: ``?cat=4``, ``?kategori=umum``, ``?category_id=2``.
CATEGORY_QUERY = re.compile(r"[?&](?:cat|category|category_id|kategori|id_kategori)=", re.I)
#: Class or id words of a badge beside the title that names the category.
CATEGORY_BADGE = re.compile(
    r"badge|kicker|categor|kategori|rubrik|kanal|\bsection\b|\blabel\b|articlesection", re.I
)
#: Elements whose links are the site's, not the article's (by tag, role, class or id words):
#: never read as its category, unless they hold the article's title.
CATEGORY_CHROME_TAGS = frozenset({"nav", "footer", "aside", "header", "menu"})
CATEGORY_CHROME_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary"})
CATEGORY_CHROME_WORDS = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|navigation|menu|sidebar|widgets?|footer|header|masthead|topbar"
    r"|aside|related|terkait|popular|populer|terbaru|latest)(?:$|[\s_-])",
    re.I,
)
#: Breadcrumb trails: by class or id, ``aria-label``, or schema.org's BreadcrumbList.
BREADCRUMBS = etree.XPath(
    "//*[contains(@class, 'rumb') or contains(@id, 'rumb') or contains(@aria-label, 'rumb')"
    " or contains(@itemtype, 'BreadcrumbList') or contains(@typeof, 'BreadcrumbList')]"
)
