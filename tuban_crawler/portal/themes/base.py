"""What every alternative theme shares: views (what a listing lists), paging, dates, resources.

A theme renders the same CMS content (:mod:`..content`) in another template: its own
listing and hub URLs, pagination, metadata markup, date shapes, body markup, structured
data, feeds and sitemaps. The crawler is never told which theme it meets.
"""

from __future__ import annotations

import gzip
import json
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape as xml_escape

from ..content import Entry
from ..feeds import WIB, entry_modified, iso_wib
from ..protocol import Reply
from ..render import esc
from ..text import MONTHS_ID, WEEKDAYS_ID

if TYPE_CHECKING:
    from ..site import Site

logger = logging.getLogger(__name__)

HTML = "text/html; charset=utf-8"
XML = "application/xml; charset=utf-8"
MONTHS_ID_SHORT = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Mei",
    "Jun",
    "Jul",
    "Agu",
    "Sep",
    "Okt",
    "Nov",
    "Des",
)
#: What the listings of a theme show when the ``nolistings`` fault is on: a script-filled shell.
EMPTY_SHELL = (
    '<div id="app" data-endpoint="/api/v2/posts"><p class="loading">Memuat berita...</p>'
    "<noscript>Aktifkan JavaScript untuk melihat daftar berita.</noscript></div>\n"
)


@dataclass(frozen=True)
class View:
    """What a listing lists: every live article, or those of one category, tag, month or author."""

    kind: str  # "all", "index" (every article again, under another URL), "category", "tag", "month", "author"
    key: str = ""  # category slug, topic key, "YYYY-MM" or author slug

    def entries(self, site: Site) -> list[Entry]:
        """Return the live articles of this view in SITE, newest first."""
        if self.kind in ("all", "index"):
            return site.live
        return site.collections.get((self.kind, self.key), [])


class Theme:
    """What every theme answers the same way: robots.txt (its ROBOTS text) and the home page."""

    name = ""
    #: robots.txt, ``{base}`` standing for the base URL.
    robots = ""
    #: (container, end of its first paragraph): where the ``hostile`` fault inserts its payload.
    hostile_anchor = (b"", b"")

    def route(self, site: Site, path: str, query: dict[str, list[str]]) -> Reply | None:
        """Return the reply for a non-entry PATH and QUERY, or None for a 404."""
        if path == "/robots.txt":
            return text_reply(self.robots.format(base=site.base_url))
        if path == "/" and hasattr(self, "home"):
            return html_reply(self.home(site))
        return self.resource(site, path, query)

    def resource(self, site: Site, path: str, query: dict[str, list[str]]) -> Reply | None:
        """Return the reply for a listing, feed or sitemap at PATH, or None for a 404."""
        raise NotImplementedError

    def article(
        self, site: Site, entry: Entry, paras: tuple[str, ...], views: int, sidebar: list[Entry]
    ) -> str:
        """Return the HTML of the article ENTRY with body PARAS, VIEWS and the SIDEBAR entries."""
        raise NotImplementedError

    def evergreen(self, site: Site, entry: Entry) -> str:
        """Return the HTML of the evergreen page ENTRY."""
        raise NotImplementedError


def known_view(site: Site, view: View) -> bool:
    """Return whether VIEW is a hub of SITE (a category always is, even when empty)."""
    if view.kind in ("all", "index"):
        return True
    if view.kind == "category":
        return view.key in site.category_names
    return view.key in site.views_of(view.kind)


def page_slice(site: Site, view: View, page: int, per_page: int) -> tuple[list[Entry], int] | None:
    """Return (the entries of listing PAGE of VIEW, the last page number), or None when there is no such page."""
    if not known_view(site, view):
        return None
    entries = view.entries(site)
    last = max(1, -(-len(entries) // per_page))
    if not 1 <= page <= last:
        return None
    return entries[(page - 1) * per_page : page * per_page], last


def window(page: int, last: int, width: int = 2) -> list[int]:
    """Return the page numbers a numbered pagination shows around PAGE (first and last included)."""
    return sorted({1, last, *(n for n in range(page - width, page + width + 1) if 1 <= n <= last)})


def weekday_long_id(when: datetime) -> str:
    """Return e.g. ``Rabu, 26 Juli 2017`` (weekday and Indonesian month)."""
    return f"{WEEKDAYS_ID[when.weekday()]}, {when.day} {MONTHS_ID[when.month - 1]} {when.year}"


def clock(when: datetime, sep: str = ":") -> str:
    """Return the 24 h time of WHEN, e.g. ``13:24`` (or ``13.24`` with SEP ``.``)."""
    return f"{when.hour:02d}{sep}{when.minute:02d}"


def thousands(number: int) -> str:
    """Return NUMBER with Indonesian thousands dots, e.g. ``1.204``."""
    return f"{number:,}".replace(",", ".")


def month_name(key: str) -> str:
    """Return the Indonesian heading of a ``YYYY-MM`` key, e.g. ``Juli 2017``."""
    year, month = key.split("-")
    return f"{MONTHS_ID[int(month) - 1]} {year}"


def view_name(site: Site, view: View) -> str:
    """Return what VIEW is called: a category's name, a tag, ``Juli 2017``, an author ("" for all)."""
    if view.kind == "category":
        return site.category_names.get(view.key, "")
    if view.kind == "tag":
        return tag_name(view.key)
    if view.kind == "month":
        return month_name(view.key)
    if view.kind == "author":
        return site.author_names.get(view.key, "")
    return ""


def tag_name(topic: str) -> str:
    """Return the label shown for a topic tag."""
    return topic.replace("-", " ").title()


def article_tags(entry: Entry) -> list[str]:
    """Return the tags (topic keys) of ENTRY; the real seed article has none."""
    meta = entry.article
    return [] if meta is None or meta.topic == "seed" else [meta.topic]


def json_ld(document: dict) -> str:
    """Return a JSON-LD script element for DOCUMENT."""
    text = json.dumps(document, ensure_ascii=False).replace("</", "<\\/")
    return f'<script type="application/ld+json">{text}</script>\n'


def article_json_ld(site: Site, entry: Entry, views: int | None, kind: str = "NewsArticle") -> dict:
    """Return a schema.org article node for ENTRY (views as interactionStatistic when given)."""
    meta = entry.article
    url = f"{site.base_url}{entry.path}"
    node: dict = {
        "@type": kind,
        "headline": meta.title,
        "mainEntityOfPage": url,
        "url": url,
        "datePublished": iso_wib(meta.published),
        "dateModified": iso_wib(entry_modified(entry, site.edition)),
        "author": {"@type": "Person", "name": meta.author},
        "articleSection": meta.category,
        "publisher": {"@type": "GovernmentOrganization", "name": "Pemerintah Kabupaten Tuban"},
    }
    if views is not None:
        node["interactionStatistic"] = {
            "@type": "InteractionCounter",
            "interactionType": "https://schema.org/ReadAction",
            "userInteractionCount": views,
        }
    return node


def fault_links(site: Site) -> str:
    """Return the home page's links to the fault pages that are switched on (trap, huge, offsite)."""
    from ..pages import HUGE_PATH, OFFSITE_REDIRECT, TRAP_START

    links = []
    if "trap" in site.faults:
        links.append(f'<li><a href="{TRAP_START}">Agenda Kegiatan</a></li>')
    if "huge" in site.faults:
        links.append(f'<li><a href="{HUGE_PATH}">Unduh Arsip Lengkap</a></li>')
    if "offsite" in site.faults:
        first = (
            f"http://example.org/entry/{site.live[0].slug}" if site.live else "http://example.org/"
        )
        links.append(
            f'<li><a href="{first}">Dimuat ulang oleh media mitra</a></li>'
            f'<li><a href="{OFFSITE_REDIRECT}">Situs Mitra</a></li>'
        )
    return f'<ul class="tautan">{"".join(links)}</ul>\n' if links else ""


def html_reply(html: str) -> Reply:
    """Return a 200 HTML reply."""
    return Reply(200, html.encode(), HTML)


def rss_reply(site: Site, link: str, count: int = 20) -> Reply:
    """Return an RSS 2.0 feed of the latest COUNT articles, channel link LINK."""
    from ..feeds import rss

    document = rss(site.live[:count], site.base_url).replace(
        f"<link>{site.base_url}/</link>", f"<link>{link}</link>", 1
    )
    return Reply(200, document.encode(), "application/rss+xml; charset=utf-8")


def atom_reply(site: Site, self_url: str, count: int = 25) -> Reply:
    """Return an Atom 1.0 feed of the latest COUNT articles (published, updated, category)."""
    entries = "".join(
        f"<entry><id>tag:tubankab,{e.article.published:%Y}:post-{e.article.internal_id}</id>"
        f"<published>{iso_wib(e.article.published)}</published>"
        f"<updated>{iso_wib(entry_modified(e, site.edition))}</updated>"
        f'<category scheme="http://www.blogger.com/atom/ns#" term="{xml_escape(e.article.category)}"/>'
        f"<title type='text'>{xml_escape(e.article.title)}</title>"
        f"<author><name>{xml_escape(e.article.author)}</name></author>"
        f"<link rel='alternate' type='text/html' href='{xml_escape(site.base_url + e.path)}'/></entry>\n"
        for e in site.live[:count]
    )
    updated = iso_wib(site.live[0].article.published) if site.live else "2010-01-01T00:00:00+07:00"
    document = (
        "<?xml version='1.0' encoding='UTF-8'?>\n<feed xmlns='http://www.w3.org/2005/Atom'>\n"
        f"<id>tag:tubankab,1999:blog</id><updated>{updated}</updated>"
        "<title type='text'>Pemerintah Kabupaten Tuban</title>"
        f"<link rel='self' type='application/atom+xml' href='{xml_escape(self_url)}'/>\n{entries}</feed>\n"
    )
    return Reply(200, document.encode(), "application/atom+xml; charset=utf-8")


def urlset(site: Site, entries: list[Entry]) -> str:
    """Return a sitemap ``urlset`` of ENTRIES with lastmod."""
    urls = "".join(
        f"<url><loc>{xml_escape(site.base_url + e.path)}</loc>"
        f"<lastmod>{iso_wib(entry_modified(e, site.edition))}</lastmod></url>\n"
        for e in entries
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}</urlset>\n'
    )


def sitemap_index(site: Site, paths: list[str]) -> str:
    """Return a sitemap index pointing at the sitemaps at PATHS."""
    rows = "".join(
        f"<sitemap><loc>{xml_escape(site.base_url + p)}</loc></sitemap>\n" for p in paths
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{rows}</sitemapindex>\n'
    )


def xml_reply(document: str, gzipped: bool = False) -> Reply:
    """Return an XML reply, or the same document as a ``.gz`` file (no Content-Encoding)."""
    if gzipped:
        return Reply(
            200, gzip.compress(document.encode(), mtime=0), "application/x-gzip", compress=False
        )
    return Reply(200, document.encode(), XML)


def text_reply(text: str) -> Reply:
    """Return a plain-text reply (robots.txt)."""
    return Reply(200, text.encode(), "text/plain; charset=utf-8")


def caption_html(entry: Entry, tag: str = "p", css: str = "caption") -> str:
    """Return the photo caption written before the title on some pages, or an empty string."""
    caption = entry.article.caption if entry.meta else None
    return f'<{tag} class="{css}">{esc(caption)}</{tag}>\n' if caption else ""


def wib_iso(when: datetime) -> str:
    """Return naive WIB WHEN in ISO form with its offset."""
    return when.replace(tzinfo=WIB).isoformat()
