"""A Joomla-style template: ``/index.php?option=...`` listings, ``Berikutnya »``, a ``<dl>`` of labels.

- hubs: ``/index.php?option=com_content&view=featured`` (every article),
  ``view=category&id=N``, ``option=com_tags&view=tag&id=N``, ``view=archive&year=Y&month=M``;
  pages by ``&start=<offset>``; ``ul.pagination`` with ``Mulai``, ``‹``, numbers,
  ``Berikutnya »`` and ``Akhir``, no ``rel=next``;
- metadata: ``dl.article-info`` of ``dd``s with labels (``Penulis:``, ``Kategori:``,
  ``Diterbitkan:``, ``Dilihat 57x``), date ``26/07/2017 13:24``, microdata (``itemprop``,
  ``<time datetime>``);
- body ``div[itemprop=articleBody]`` of ``<div>`` paragraphs (no ``<p>``);
- no sitemap (robots.txt without ``Sitemap:``); RSS and Atom only through ``<link
  rel="alternate">`` (``&format=feed&type=rss|atom``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..content import Entry, category_slug
from ..protocol import Reply
from ..render import SITE_NAME, TRAILER_TEXT, esc, href
from .base import (
    EMPTY_SHELL,
    Theme,
    View,
    atom_reply,
    caption_html,
    clock,
    fault_links,
    html_reply,
    month_name,
    page_slice,
    rss_reply,
    tag_name,
    view_name,
    wib_iso,
    window,
)

if TYPE_CHECKING:
    from ..site import Site

PER_PAGE = 12
CATEGORY_ID_OFFSET = 8  # Joomla's first categories are its own (uncategorised, blog...)
FEATURED = "/index.php?option=com_content&amp;view=featured"


def category_id(site: Site, slug: str) -> int:
    """Return the Joomla id of category SLUG."""
    return sorted(site.category_names).index(slug) + CATEGORY_ID_OFFSET


def view_query(site: Site, view: View) -> str:
    """Return the attribute-ready link to the first page of VIEW."""
    if view.kind == "all":
        return FEATURED
    if view.kind == "category":
        return f"/index.php?option=com_content&amp;view=category&amp;id={category_id(site, view.key)}&amp;Itemid=105"
    if view.kind == "tag":
        return f"/index.php?option=com_tags&amp;view=tag&amp;id={site.tag_keys.index(view.key) + 2}"
    year, month = view.key.split("-")
    return f"/index.php?option=com_content&amp;view=archive&amp;year={year}&amp;month={int(month)}"


def page_link(site: Site, view: View, page: int, per_page: int) -> str:
    """Return the attribute-ready link to listing PAGE of VIEW."""
    return view_query(site, view) + (f"&amp;start={(page - 1) * per_page}" if page > 1 else "")


def shown_date(entry: Entry) -> str:
    """Return the date as this template prints it: ``26/07/2017 13:24``."""
    when = entry.article.published
    return f"{when.day:02d}/{when.month:02d}/{when.year} {clock(when)}"


class JoomlaTheme(Theme):
    """The ``joomla`` theme."""

    robots = "User-agent: *\nDisallow: /administrator/\nDisallow: /cache/\nDisallow: /tmp/\nDisallow: /_portal/\n"
    name = "joomla"
    hostile_anchor = (b'itemprop="articleBody">', b"</div>\n")

    def resource(self, site: Site, path: str, query: dict[str, list[str]]) -> Reply | None:
        """Return the reply for a listing, feed or sitemap at PATH and QUERY, or None for a 404."""
        if path != "/index.php":
            return None
        one = {k: v[-1] for k, v in query.items()}
        view = self._view(site, one)
        if view is None:
            return None
        if one.get("format") == "feed":
            link = site.base_url + view_query(site, view).replace("&amp;", "&")
            return atom_reply(site, link) if one.get("type") == "atom" else rss_reply(site, link)
        start = one.get("start", one.get("limitstart", "0"))
        if not start.isdigit() or int(start) % PER_PAGE:
            return None
        html = self.listing(site, view, int(start) // PER_PAGE + 1)
        return None if html is None else html_reply(html)

    def _view(self, site: Site, query: dict[str, str]) -> View | None:
        option, kind = query.get("option"), query.get("view")
        try:
            if option == "com_content" and kind == "featured":
                return View("all")
            if option == "com_content" and kind == "category":
                slugs = sorted(site.category_names)
                return View("category", slugs[int(query.get("id", "")) - CATEGORY_ID_OFFSET])
            if option == "com_tags" and kind == "tag":
                return View("tag", site.tag_keys[int(query.get("id", "")) - 2])
            if option == "com_content" and kind == "archive":
                return View(
                    "month", f"{int(query.get('year', '')):04d}-{int(query.get('month', '')):02d}"
                )
        except (ValueError, IndexError):
            return None
        return None

    # -- chrome ----------------------------------------------------------------------------
    def document(self, site: Site, title: str, main: str, feeds: str = FEATURED) -> str:
        """Return a full page around MAIN, its feed links pointing at FEEDS."""
        menu = "".join(
            f'<li class="item-{101 + n}"><a href="{view_query(site, View("category", s))}">'
            f"{esc(site.category_names[s])}</a></li>"
            for n, s in enumerate(sorted(site.category_names))
        )
        profil = "".join(
            f'<li><a href="{p.path}">{esc(p.evergreen.title)}</a></li>' for p in site.pages
        )
        months = "".join(
            f'<li><a href="{view_query(site, View("month", k))}">{month_name(k)}</a></li>'
            for k in site.month_keys[:12]
        )
        tags = "".join(
            f'<li><a href="{view_query(site, View("tag", t))}">{tag_name(t)}</a></li>'
            for t in site.tag_keys
        )
        return (
            '<!DOCTYPE html>\n<html lang="id-id" dir="ltr">\n<head>\n'
            '<meta http-equiv="content-type" content="text/html; charset=utf-8">\n'
            f'<meta name="generator" content="Joomla! - Open Source Content Management">\n<title>{esc(title)}</title>\n'
            f'<link href="{feeds}&amp;format=feed&amp;type=rss" rel="alternate" type="application/rss+xml" title="RSS 2.0">\n'
            f'<link href="{feeds}&amp;format=feed&amp;type=atom" rel="alternate" type="application/atom+xml" title="Atom 1.0">\n'
            '</head>\n<body class="site com_content">\n<div class="body"><div class="container">\n'
            f'<header class="header"><a class="brand pull-left" href="/"><span class="site-title">{SITE_NAME}</span></a>'
            f'</header>\n<nav class="navigation"><ul class="nav menu nav-pills"><li class="item-101 default">'
            f'<a href="/">Beranda</a></li><li class="item-102"><a href="{FEATURED}">Berita</a></li>{menu}</ul></nav>\n'
            f'<div class="row-fluid"><main id="content" class="span9">\n{main}</main>\n'
            f'<div id="aside" class="span3"><div class="moduletable"><h3>Profil</h3><ul>{profil}</ul></div>'
            f'<div class="moduletable"><h3>Arsip</h3><ul class="archive-module">{months}</ul></div>'
            f'<div class="moduletable"><h3>Tag Populer</h3><ul class="tagspopular">{tags}</ul></div></div></div>\n'
            f'</div></div>\n<footer class="footer"><p>&copy; 2026 {SITE_NAME}</p></footer>\n</body>\n</html>\n'
        )

    def _item(self, entry: Entry, context: str, base_url: str) -> str:
        link = href(entry.path, f"jm:{context}:{entry.slug}", base_url)
        return (
            f'<div class="items-row"><div class="item"><div class="page-header"><h2 itemprop="name">'
            f'<a href="{link}" itemprop="url">{esc(entry.article.title)}</a></h2></div>'
            f'<dl class="article-info muted"><dd class="published"><span class="icon-calendar"></span> '
            f"Diterbitkan: {shown_date(entry)}</dd></dl></div></div>\n"
        )

    def home(self, site: Site) -> str:
        """Return the home page: the latest six and a link to the featured listing."""
        items = "".join(self._item(e, "home", site.base_url) for e in site.live[:6])
        main = (
            f'<div class="blog-featured">{items}</div>\n<p class="readmore">'
            f'<a href="{page_link(site, View("all"), 2, PER_PAGE)}">Berita sebelumnya</a></p>\n{fault_links(site)}'
        )
        return self.document(site, SITE_NAME, main)

    def listing(self, site: Site, view: View, page: int) -> str | None:
        """Return listing PAGE of VIEW, or None when it does not exist."""
        sliced = page_slice(site, view, page, PER_PAGE)
        if sliced is None:
            return None
        chunk, last = sliced
        heading = {"all": "Berita", "month": "Arsip "}.get(view.kind, "") + view_name(site, view)
        if "nolistings" in site.faults:
            return self.document(
                site, heading, f"<h1>{esc(heading)}</h1>\n{EMPTY_SHELL}", view_query(site, view)
            )
        items = "".join(
            self._item(e, f"{view.kind}{view.key}:{page}", site.base_url) for e in chunk
        )
        links = []

        def item(label: str, number: int, title: str = "") -> str:
            attribute = f' title="{title}"' if title else ""
            return f'<li><a{attribute} href="{page_link(site, view, number, PER_PAGE)}" class="pagenav">{label}</a></li>'

        if page > 1:
            links += [item("Mulai", 1, "Mulai"), item("&lsaquo;", page - 1, "Sebelumnya")]
        for number in window(page, last):
            links.append(
                f'<li class="active"><span class="pagenav">{number}</span></li>'
                if number == page
                else item(str(number), number)
            )
        if page < last:
            links += [
                item("Berikutnya &raquo;", page + 1, "Berikutnya"),
                item("Akhir", last, "Akhir"),
            ]
        nav = (
            f'<div class="pagination"><p class="counter pull-right">Halaman {page} dari {last}</p>'
            f"<ul>{''.join(links)}</ul></div>\n"
        )
        return self.document(
            site,
            heading,
            f'<div class="blog"><h1>{esc(heading)}</h1>\n{items}</div>\n{nav}',
            view_query(site, view),
        )

    # -- entries ---------------------------------------------------------------------------
    def article(
        self, site: Site, entry: Entry, paras: tuple[str, ...], views: int, sidebar: list[Entry]
    ) -> str:
        """Return an article page."""
        meta = entry.article
        category = (
            f'<a href="{view_query(site, View("category", category_slug(meta.category)))}" '
            f'itemprop="genre">{esc(meta.category)}</a>'
        )
        if meta.meta_style == "list":
            info = (
                '<dl class="article-info muted">\n<dt class="article-info-term">Detail</dt>\n'
                '<dd class="createdby" itemprop="author" itemscope itemtype="https://schema.org/Person">'
                f'<span class="icon-user"></span> Penulis: <span itemprop="name">{esc(meta.author)}</span></dd>\n'
                f'<dd class="category-name"><span class="icon-folder-open"></span> Kategori: {category}</dd>\n'
                f'<dd class="published"><span class="icon-calendar"></span> <time datetime="{wib_iso(meta.published)}" '
                f'itemprop="datePublished">Diterbitkan: {shown_date(entry)}</time></dd>\n'
                f'<dd class="hits"><span class="icon-eye-open"></span> <meta itemprop="interactionCount" '
                f'content="UserPageVisits:{views}">Dilihat {views}x</dd>\n</dl>\n'
            )
        elif meta.meta_style == "bullets":
            info = f'<p class="article-info">{shown_date(entry)} | {esc(meta.author)} | {category} | {views}</p>\n'
        else:
            info = ""
        images = "".join(
            f'<div class="pull-left item-image"><img src="{src}" alt="" itemprop="image">'
            f'<p class="img_caption">{esc(cap)}</p></div>\n'
            for src, cap in meta.images
        )
        text = "".join(f"<div>{esc(p)}</div>\n" for p in paras)
        trailers = "".join(f"<div>{TRAILER_TEXT[t]}</div>\n" for t in meta.trailers)
        related = "".join(
            f'<li><a href="{href(e.path, f"jm:rel:{entry.slug}:{e.slug}", site.base_url)}">'
            f"{esc(e.article.title)}</a></li>"
            for e in sidebar
        )
        main = (
            '<div class="item-page" itemscope itemtype="https://schema.org/Article">\n'
            f'{caption_html(entry, "div", "foto")}<div class="page-header"><h2 itemprop="headline">{esc(meta.title)}'
            f"</h2></div>\n{info}{images}"
            f'<div itemprop="articleBody">\n{text}{trailers}</div>\n</div>\n'
            f'<div class="moduletable related"><h3>Artikel Terkait</h3><ul class="relateditems">{related}</ul></div>\n'
        )
        return self.document(site, meta.title, main)

    def evergreen(self, site: Site, entry: Entry) -> str:
        """Return an evergreen page: a title and its text."""
        page = entry.evergreen
        text = "".join(f"<div>{esc(p)}</div>\n" for p in page.paragraphs)
        main = (
            f'<div class="item-page"><div class="page-header"><h2 itemprop="headline">{esc(page.title)}</h2>'
            f'</div>\n<div itemprop="articleBody">\n{text}</div>\n</div>\n'
        )
        return self.document(site, page.title, main)
