"""A Blogger-style template: the home page is the listing, "Older posts" by timestamp, ``<br>`` text.

- hubs: ``/`` (every article), ``/search/label/<Category Name>``, ``/YYYY/MM/`` (monthly
  archive); further pages are ``?updated-max=<ISO>&max-results=8`` (a cursor, not a
  number); the only pagination is ``a.blog-pager-older-link`` "Older posts" and
  "Newer posts";
- metadata: ``Diposting oleh Yolency``, ``<abbr class="published" title="ISO">Rabu, 26
  Juli 2017 | 13:24</abbr>``, labels ``Label: ...`` below the post; views only in JSON-LD
  (``interactionStatistic``);
- body ``div.post-body`` of text separated by ``<br>`` (no ``<p>``);
- Atom feed only through ``<link rel="alternate">`` (``/feeds/posts/default``), RSS with
  ``?alt=rss``; a gzip sitemap announced in robots.txt (``/sitemap-berita.xml.gz``).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote

from ..content import Entry, category_slug
from ..protocol import Reply
from ..render import SITE_NAME, TRAILER_TEXT, esc, href
from .base import (
    EMPTY_SHELL,
    Theme,
    View,
    article_json_ld,
    atom_reply,
    caption_html,
    clock,
    fault_links,
    html_reply,
    json_ld,
    known_view,
    month_name,
    rss_reply,
    urlset,
    view_name,
    weekday_long_id,
    wib_iso,
    xml_reply,
)

if TYPE_CHECKING:
    from ..site import Site

PER_PAGE = 8
_MONTH = re.compile(r"^/(\d{4})/(\d{2})/?$")


def shown_date(entry: Entry) -> str:
    """Return the date as this template prints it: ``Rabu, 26 Juli 2017 | 13:24``."""
    return f"{weekday_long_id(entry.article.published)} | {clock(entry.article.published)}"


def hub_path(site: Site, view: View) -> str:
    """Return the attribute-ready path of the first page of VIEW."""
    if view.kind == "all":
        return "/"
    if view.kind == "month":
        return "/" + view.key.replace("-", "/") + "/"
    return "/search/label/" + quote(site.category_names[view.key])


class BloggerTheme(Theme):
    """The ``blogger`` theme."""

    robots = (
        "User-agent: Mediapartners-Google\nDisallow:\n\nUser-agent: *\nDisallow: /search\n"
        "Allow: /search/label/\nAllow: /search?updated-max\nAllow: /search?max-results\nDisallow: /_portal/\n\n"
        "Sitemap: {base}/sitemap-berita.xml.gz\n"
    )
    name = "blogger"
    hostile_anchor = (b'<div class="post-body entry-content"', b"<br>\n")

    def resource(self, site: Site, path: str, query: dict[str, list[str]]) -> Reply | None:
        """Return the reply for a listing, feed or sitemap at PATH and QUERY, or None for a 404."""
        if path == "/sitemap-berita.xml.gz":
            return xml_reply(urlset(site, [*site.live, *site.pages]), gzipped=True)
        if path == "/feeds/posts/default":
            if query.get("alt", [""])[-1] == "rss":
                return rss_reply(site, f"{site.base_url}/")
            return atom_reply(site, f"{site.base_url}/feeds/posts/default")
        if path == "/" or path == "/search":
            view = View("all")
        elif path.startswith("/search/label/"):
            name = unquote(path[len("/search/label/") :])
            slug = next((s for s, n in site.category_names.items() if n == name), None)
            if slug is None:
                return None
            view = View("category", slug)
        elif match := _MONTH.match(path):
            view = View("month", f"{match[1]}-{match[2]}")
        else:
            return None
        html = self.listing(site, view, query.get("updated-max", [""])[-1])
        return None if html is None else html_reply(html)

    # -- chrome ----------------------------------------------------------------------------
    def document(self, site: Site, title: str, main: str, head: str = "") -> str:
        """Return a full page around MAIN with the blog header and sidebar gadgets."""
        labels = "".join(
            f'<li><a dir="ltr" href="{hub_path(site, View("category", s))}">{esc(n)}</a></li>'
            for s, n in sorted(site.category_names.items())
        )
        archive = "".join(
            f'<li><a class="post-count-link" href="{hub_path(site, View("month", k))}">'
            f"{month_name(k)}</a></li>"
            for k in site.month_keys[:36]
        )
        profil = "".join(
            f'<li><a href="{p.path}">{esc(p.evergreen.title)}</a></li>' for p in site.pages
        )
        return (
            "<!DOCTYPE html>\n<html dir='ltr' lang='id'>\n<head>\n<meta content='text/html; charset=UTF-8' "
            f"http-equiv='Content-Type'>\n<title>{SITE_NAME}: {esc(title)}</title>\n"
            f"<link rel='alternate' type='application/atom+xml' title='{SITE_NAME} - Atom' href='/feeds/posts/default'>\n"
            f"<link rel='alternate' type='application/rss+xml' title='{SITE_NAME} - RSS' href='/feeds/posts/default?alt=rss'>\n"
            f"{head}</head>\n<body class='variant-indie'>\n<div class='outer-wrapper'>\n"
            f"<div class='header-outer'><div class='Header' id='Header1'><h1 class='title'><a href='/'>{SITE_NAME}</a>"
            "</h1><p class='description'>Bumi Wali</p></div>"
            f"<div class='PageList'><ul><li><a href='/'>Beranda</a></li>{profil}</ul></div></div>\n"
            f"<div class='main-outer'><div class='main section' id='main'>\n{main}</div>\n"
            "<div class='sidebar section' id='sidebar'>"
            f"<div class='widget Label'><h2>Label</h2><ul>{labels}</ul></div>"
            f"<div class='widget BlogArchive'><h2>Arsip Blog</h2><ul class='flat'>{archive}</ul></div>"
            f"</div></div>\n<div class='footer-outer'>{SITE_NAME}. Tema Sederhana. Diberdayakan oleh Blogger.</div>\n"
            "</div>\n</body>\n</html>\n"
        )

    def _post_summary(self, site: Site, entry: Entry, context: str) -> str:
        link = href(entry.path, f"bl:{context}:{entry.slug}", site.base_url)
        return (
            f"<div class='post-outer'><div class='post hentry'><h3 class='post-title entry-title'>"
            f"<a href='{link}'>{esc(entry.article.title)}</a></h3><div class='post-header'>"
            f"<abbr class='published' title='{wib_iso(entry.article.published)}'>"
            f"{weekday_long_id(entry.article.published)}</abbr></div>"
            f"<div class='post-body'>{esc(entry.article.title[:50].lower())}...</div>"
            f"<div class='jump-link'><a href='{link}'>Baca selengkapnya &#187;</a></div></div></div>\n"
        )

    def listing(self, site: Site, view: View, cursor: str) -> str | None:
        """Return the page of VIEW holding the articles published before CURSOR (ISO; "" for the newest)."""
        if not known_view(site, view):
            return None
        entries = view.entries(site)
        start = 0
        if cursor:
            try:
                limit = datetime.fromisoformat(cursor.replace(" ", "+")).replace(tzinfo=None)
            except ValueError:
                return None
            start = next(
                (n for n, e in enumerate(entries) if e.article.published < limit), len(entries)
            )
            if start >= len(entries):
                return None
        chunk = entries[start : start + PER_PAGE]
        if "nolistings" in site.faults:
            return self.document(site, "Beranda", EMPTY_SHELL)
        posts = "".join(
            self._post_summary(site, e, f"{view.kind}{view.key}:{start}") for e in chunk
        )
        base = "/search" if view.kind == "all" else hub_path(site, view).rstrip("/")
        sep = "&amp;" if "?" in base else "?"
        pager = []
        if start > 0:
            pager.append(
                f"<a class='blog-pager-newer-link' href='{hub_path(site, view)}' title='Newer Posts'>"
                "Newer posts</a>"
            )
        if start + PER_PAGE < len(entries):
            when = quote(wib_iso(chunk[-1].article.published))
            pager.append(
                f"<a class='blog-pager-older-link' href='{base}{sep}updated-max={when}&amp;max-results="
                f"{PER_PAGE}' id='Blog1_blog-pager-older-link' title='Older Posts'>Older posts</a>"
            )
        pager.append("<a class='home-link' href='/'>Beranda</a>")
        main = (
            f"<div class='blog-posts hfeed'>\n{posts}</div>\n"
            f"<div class='blog-pager' id='blog-pager'>{' '.join(pager)}</div>\n{fault_links(site) if not start else ''}"
        )
        title = view_name(site, view) or "Beranda"
        return self.document(site, title, main)

    # -- entries ---------------------------------------------------------------------------
    def article(
        self, site: Site, entry: Entry, paras: tuple[str, ...], views: int, sidebar: list[Entry]
    ) -> str:
        """Return an article page."""
        meta = entry.article
        label = f"<a href='{hub_path(site, View('category', category_slug(meta.category)))}' rel='tag'>{esc(meta.category)}</a>"
        if meta.meta_style == "list":
            header = (
                "<div class='post-header'><div class='post-header-line-1'>"
                f"<span class='post-author vcard'>Diposting oleh <span class='fn'>{esc(meta.author)}</span></span> "
                f"<span class='post-timestamp'>pada <abbr class='published' title='{wib_iso(meta.published)}'>"
                f"{shown_date(entry)}</abbr></span></div></div>\n"
            )
            footer = (
                f"<div class='post-footer'><span class='post-labels'>Label: {label}</span></div>\n"
            )
            head = json_ld(
                {
                    "@context": "https://schema.org",
                    **article_json_ld(site, entry, views, "BlogPosting"),
                }
            )
        elif meta.meta_style == "bullets":
            header = (
                f"<div class='post-header'>{shown_date(entry)} \u2022 {esc(meta.author)} \u2022 {label}"
                "</div>\n"
            )
            footer = ""
            head = json_ld(
                {
                    "@context": "https://schema.org",
                    **article_json_ld(site, entry, views, "BlogPosting"),
                }
            )
        else:
            header = footer = head = ""
        images = "".join(
            f"<div class='separator'><a href='{src}'><img src='{src}' border='0'></a></div>"
            f"<span class='caption'>{esc(cap)}</span><br>\n"
            for src, cap in meta.images
        )
        text = "<br>\n<br>\n".join(
            esc(p) for p in (*paras, *(TRAILER_TEXT[t] for t in meta.trailers))
        )
        related = "".join(
            f"<li><a href='{href(e.path, f'bl:rel:{entry.slug}:{e.slug}', site.base_url)}'>"
            f"{esc(e.article.title)}</a></li>"
            for e in sidebar
        )
        main = (
            "<div class='post-outer'><div class='post hentry' itemscope>\n"
            f"{caption_html(entry, 'div', 'post-caption')}<h3 class='post-title entry-title'>{esc(meta.title)}</h3>\n"
            f"{header}<div class='post-body entry-content' id='post-body-{meta.internal_id}'>\n{images}{text}<br>\n"
            f"<div style='clear: both;'></div></div>\n{footer}</div></div>\n"
            f"<div class='widget PopularPosts'><h2>Postingan Populer</h2><ul>{related}</ul></div>\n"
        )
        return self.document(site, meta.title, main, head)

    def evergreen(self, site: Site, entry: Entry) -> str:
        """Return an evergreen (static) page: a title and its text."""
        page = entry.evergreen
        text = "<br>\n<br>\n".join(esc(p) for p in page.paragraphs)
        main = (
            f"<div class='post-outer'><div class='post hentry'><h3 class='post-title entry-title'>{esc(page.title)}"
            f"</h3>\n<div class='post-body entry-content'>\n{text}<br>\n</div></div></div>\n"
        )
        return self.document(site, page.title, main)
