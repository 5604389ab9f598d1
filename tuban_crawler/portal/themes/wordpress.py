"""A WordPress-style template: path-segment pages, "Selanjutnya", labelled spans with ``|``.

- hubs: ``/warta`` (every article), ``/topik/<slug>``, ``/tag/<topic>``, ``/arsip/YYYY/MM``,
  ``/penulis/<author>``; pages ``<hub>/hal/N``; numbered links and ``Selanjutnya``, no
  ``rel=next`` and no class ``next``;
- metadata: ``div.entry-meta`` of spans separated by ``|``, with icons and labels
  (``Diposting oleh``, ``Kategori:``, ``Dibaca 1.204 kali``), date ``Rabu, 26 Juli 2017 -
  13:24 WIB``; no structured data;
- body ``div.entry-content`` of ``<p>`` inside nested wrappers; tags after the body;
- feed only through ``<link rel="alternate">`` (``/warta/feed``); a sitemap index
  (``/sitemap_index.xml``) announced in robots.txt only; ``/sitemap.xml``, ``/rss`` 404;
  ``/berita`` (the old address of the news) answers 301 to ``/warta``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..content import CATEGORIES, Entry, category_slug
from ..protocol import Reply
from ..render import SITE_NAME, TRAILER_TEXT, esc, href
from ..slugs import base_slug
from .base import (
    EMPTY_SHELL,
    Theme,
    View,
    article_tags,
    caption_html,
    clock,
    fault_links,
    html_reply,
    month_name,
    page_slice,
    rss_reply,
    sitemap_index,
    tag_name,
    thousands,
    urlset,
    view_name,
    weekday_long_id,
    window,
    xml_reply,
)

if TYPE_CHECKING:
    from ..site import Site

PER_PAGE = 10
_HUB = re.compile(
    r"^/(?:(warta)|topik/([a-z0-9-]+)|tag/([a-z0-9-]+)|arsip/(\d{4})/(\d{2})|penulis/([a-z0-9-]+))"
    r"(?:/hal/([1-9]\d{0,5}))?/?$"
)


def hub_path(view: View) -> str:
    """Return the first page's path of VIEW's listing."""
    if view.kind == "all":
        return "/warta"
    if view.kind == "month":
        return "/arsip/" + view.key.replace("-", "/")
    return {"category": "/topik/", "tag": "/tag/", "author": "/penulis/"}[view.kind] + view.key


def page_path(view: View, page: int) -> str:
    """Return the path of listing PAGE of VIEW."""
    return hub_path(view) if page == 1 else f"{hub_path(view)}/hal/{page}"


def shown_date(entry: Entry) -> str:
    """Return the date as this template prints it: ``Rabu, 26 Juli 2017 - 13:24 WIB``."""
    return f"{weekday_long_id(entry.article.published)} - {clock(entry.article.published)} WIB"


class WordPressTheme(Theme):
    """The ``wordpress`` theme."""

    robots = (
        "User-agent: *\nDisallow: /wp-admin/\nDisallow: /_portal/\nAllow: /wp-admin/admin-ajax.php\n\n"
        "Sitemap: {base}/sitemap_index.xml\n"
    )
    name = "wordpress"
    hostile_anchor = (b'<div class="entry-content">', b"</p>\n")

    def resource(self, site: Site, path: str, query: dict[str, list[str]]) -> Reply | None:
        """Return the reply for a listing, feed or sitemap at PATH, or None for a 404."""
        if path == "/berita":  # the old news address, moved
            return Reply(301, b"", None, headers=(("Location", f"{site.base_url}/warta"),))
        if path == "/sitemap_index.xml":
            return xml_reply(sitemap_index(site, ["/post-sitemap.xml", "/page-sitemap.xml"]))
        if path == "/post-sitemap.xml":
            return xml_reply(urlset(site, site.live))
        if path == "/page-sitemap.xml":
            return xml_reply(urlset(site, list(site.pages)))
        if path == "/warta/feed":
            return rss_reply(site, f"{site.base_url}/warta")
        match = _HUB.match(path)
        if not match:
            return None
        all_, category, tag, year, month, author, page = match.groups()
        if all_:
            view = View("all")
        elif category:
            view = View("category", category)
        elif tag:
            view = View("tag", tag)
        elif year:
            view = View("month", f"{year}-{month}")
        else:
            view = View("author", author)
        html = self.listing(site, view, int(page or 1))
        return None if html is None else html_reply(html)

    # -- chrome ----------------------------------------------------------------------------
    def document(self, site: Site, title: str, main: str, head: str = "") -> str:
        """Return a full page around MAIN with the header, navigation and widgets."""
        nav = "".join(
            f'<li class="menu-item"><a href="/topik/{category_slug(c)}">{esc(c)}</a></li>'
            for c in CATEGORIES
        )
        profil = "".join(
            f'<li class="menu-item"><a href="{p.path}">{esc(p.evergreen.title)}</a></li>'
            for p in site.pages
        )
        months = "".join(
            f'<li><a href="/arsip/{k.replace("-", "/")}">{month_name(k)}</a></li>'
            for k in site.month_keys[:24]
        )
        tags = " ".join(
            f'<a href="/tag/{t}" class="tag-cloud-link">{tag_name(t)}</a>' for t in site.tag_keys
        )
        return (
            '<!DOCTYPE html>\n<html lang="id-ID">\n<head>\n<meta charset="UTF-8">\n'
            f"<title>{esc(title)} &#8211; {SITE_NAME}</title>\n"
            f'<link rel="alternate" type="application/rss+xml" title="{SITE_NAME} &raquo; Feed" href="/warta/feed">\n'
            f'{head}</head>\n<body class="wp-site">\n<div id="page" class="site">\n'
            f'<header id="masthead"><p class="site-title"><a href="/" rel="home">{SITE_NAME}</a></p>'
            '<nav id="site-navigation"><ul id="primary-menu"><li class="menu-item"><a href="/">Beranda</a></li>'
            f'<li class="menu-item"><a href="/warta">Warta</a></li>{nav}{profil}</ul></nav></header>\n'
            f'<div id="content" class="site-content"><div id="primary" class="content-area">'
            f'<main id="main" class="site-main">\n{main}</main></div>\n'
            '<aside id="secondary" class="widget-area">'
            f'<section class="widget widget_archive"><h2 class="widget-title">Arsip</h2><ul>{months}</ul></section>'
            f'<section class="widget widget_tag_cloud"><h2 class="widget-title">Tag</h2>{tags}</section>'
            "</aside></div>\n"
            f'<footer id="colophon"><div class="site-info">&copy; {SITE_NAME} &middot; Diperbarui 1 November 2026</div>'
            "</footer>\n</div>\n</body>\n</html>\n"
        )

    def _item(self, entry: Entry, context: str, base_url: str) -> str:
        link = href(entry.path, f"wp:{context}:{entry.slug}", base_url)
        return (
            f'<article class="post type-post"><header class="entry-header"><h2 class="entry-title">'
            f'<a href="{link}" rel="bookmark">{esc(entry.article.title)}</a></h2>'
            f'<div class="entry-meta"><span class="posted-on">{shown_date(entry)}</span></div></header>'
            f'<div class="entry-summary"><p>{esc(entry.article.title[:60].lower())}&hellip;</p></div></article>\n'
        )

    def home(self, site: Site) -> str:
        """Return the home page: the five latest articles and a link to the rest."""
        items = "".join(self._item(e, "home", site.base_url) for e in site.live[:5])
        main = (
            f'<section class="latest"><h2>Berita Terkini</h2>\n{items}'
            f'<p><a class="button" href="/warta">Semua berita</a></p></section>\n{fault_links(site)}'
        )
        return self.document(site, "Beranda", main)

    def listing(self, site: Site, view: View, page: int) -> str | None:
        """Return listing PAGE of VIEW, or None when it does not exist."""
        sliced = page_slice(site, view, page, PER_PAGE)
        if sliced is None:
            return None
        chunk, last = sliced
        heading = {
            "all": "Warta",
            "category": "Kategori: ",
            "tag": "Tag: ",
            "month": "Arsip Bulanan: ",
            "author": "Penulis: ",
        }[view.kind] + view_name(site, view)
        if "nolistings" in site.faults:
            return self.document(
                site, heading, f'<h1 class="page-title">{esc(heading)}</h1>\n{EMPTY_SHELL}'
            )
        items = "".join(self._item(e, f"{hub_path(view)}:{page}", site.base_url) for e in chunk)
        links = []
        for number in window(page, last):
            links.append(
                f'<span aria-current="page" class="page-numbers current">{number}</span>'
                if number == page
                else f'<a class="page-numbers" href="{page_path(view, number)}">{number}</a>'
            )
        if page < last:
            links.append(
                f'<a class="page-numbers" href="{page_path(view, page + 1)}">Selanjutnya</a>'
            )
        nav = f'<nav class="navigation pagination"><div class="nav-links">{" ".join(links)}</div></nav>\n'
        return self.document(
            site,
            heading if page == 1 else f"{heading} &#8211; Halaman {page}",
            f'<h1 class="page-title">{esc(heading)}</h1>\n{items}{nav}',
        )

    # -- entries ---------------------------------------------------------------------------
    def article(
        self, site: Site, entry: Entry, paras: tuple[str, ...], views: int, sidebar: list[Entry]
    ) -> str:
        """Return an article page."""
        meta = entry.article
        category = (
            f'<a href="/topik/{category_slug(meta.category)}" rel="category tag">'
            f"{esc(meta.category)}</a>"
        )
        author = f'<a class="url fn n" href="/penulis/{base_slug(meta.author, 0)}">{esc(meta.author)}</a>'
        if meta.meta_style == "list":
            info = (
                '<div class="entry-meta">'
                f'<span class="posted-on"><i class="fa fa-clock-o"></i> {shown_date(entry)}</span> | '
                f'<span class="byline"><i class="fa fa-user"></i> Diposting oleh <span class="author vcard">{author}'
                "</span></span> | "
                f'<span class="cat-links"><i class="fa fa-folder-open"></i> Kategori: {category}</span> | '
                f'<span class="post-views"><i class="fa fa-eye"></i> Dibaca {thousands(views)} kali</span></div>\n'
            )
        elif meta.meta_style == "bullets":
            info = (
                f'<div class="entry-meta">{shown_date(entry)} \u2022 {author} \u2022 {category} \u2022 '
                f"{thousands(views)}</div>\n"
            )
        else:
            info = ""
        images = "".join(
            f'<figure class="wp-caption"><img src="{src}" alt=""><figcaption class="wp-caption-text">'
            f"{esc(cap)}</figcaption></figure>\n"
            for src, cap in meta.images
        )
        text = "".join(f"<p>{esc(p)}</p>\n" for p in paras)
        trailers = "".join(f'<p class="trailer">{TRAILER_TEXT[t]}</p>\n' for t in meta.trailers)
        tags = "".join(
            f'<a href="/tag/{t}" rel="tag">{tag_name(t)}</a>' for t in article_tags(entry)
        )
        related = "".join(
            f'<li><a href="{href(e.path, f"wp:rel:{entry.slug}:{e.slug}", site.base_url)}">{esc(e.article.title)}</a>'
            f' <span class="date">{shown_date(e)}</span></li>'
            for e in sidebar
        )
        main = (
            f'<article id="post-{meta.internal_id}" class="post type-post single">\n<header class="entry-header">'
            f'{caption_html(entry)}<h1 class="entry-title">{esc(meta.title)}</h1>\n{info}</header>\n{images}'
            f'<div class="entry-wrap"><div class="entry-inner"><div class="entry-content">\n{text}</div></div></div>\n'
            f'{trailers}<footer class="entry-footer"><span class="tags-links">Tag: {tags}</span></footer>\n'
            f'</article>\n<section class="related-posts"><h3>Berita Terkait</h3><ul>{related}</ul></section>\n'
        )
        return self.document(
            site,
            meta.title,
            main,
            head=f'<link rel="canonical" href="{site.base_url}{entry.path}">\n',
        )

    def evergreen(self, site: Site, entry: Entry) -> str:
        """Return an evergreen page: a title and its text."""
        page = entry.evergreen
        text = "".join(f"<p>{esc(p)}</p>\n" for p in page.paragraphs)
        main = (
            f'<article class="page type-page"><header class="entry-header"><h1 class="entry-title">'
            f'{esc(page.title)}</h1></header><div class="entry-content">\n{text}</div></article>\n'
        )
        return self.document(site, page.title, main)
