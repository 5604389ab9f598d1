"""A Laravel/Bootstrap-style template: ``?hal=N`` pages, arrows, a table of metadata, JSON-LD ``@graph``.

- hubs: ``/news`` (every article), ``/kanal/<slug>``, ``/tag/<topic>``,
  ``/indeks?tahun=Y&bulan=M``; pages by ``?hal=N``; Bootstrap ``ul.pagination`` of numbers
  and arrows (``‹``, ``›``) with ``aria-label``s, no ``rel=next``; the home page ends with a
  "Lihat lainnya" load-more link;
- metadata: a ``table`` of label cells (``Tanggal``, ``Penulis``, ``Kanal``, ``Dilihat``),
  date ``26 Jul 2017 pukul 13.24 WIB``, views ``1.204x``; JSON-LD ``@graph`` with a
  ``WebPage`` node before the ``NewsArticle``; OpenGraph and ``article:*``;
- body: ``<p>`` inside nested Bootstrap wrappers, a "Baca juga" link inside;
- no feed; ``/sitemap.xml`` is a sitemap index of numbered sitemaps (robots.txt says nothing);
- ``/entry/indeks-berita?hal=N``: an index of every article under an entry URL (a listing
  the crawler must walk, not archive).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..content import Entry, category_slug
from ..feeds import iso_wib
from ..protocol import Reply
from ..render import SITE_NAME, TRAILER_TEXT, esc, href
from ..text import WEEKDAYS_ID
from .base import (
    EMPTY_SHELL,
    MONTHS_ID_SHORT,
    Theme,
    View,
    article_json_ld,
    article_tags,
    caption_html,
    clock,
    fault_links,
    html_reply,
    json_ld,
    month_name,
    page_slice,
    sitemap_index,
    tag_name,
    thousands,
    urlset,
    view_name,
    window,
    xml_reply,
)

if TYPE_CHECKING:
    from ..site import Site

PER_PAGE = 9
SITEMAP_CHUNK = 50
INDEX_PATH = "/entry/indeks-berita"
_HUB = re.compile(r"^/(?:(news)|kanal/([a-z0-9-]+)|tag/([a-z0-9-]+)|(indeks))/?$")
_SITEMAP = re.compile(r"^/sitemap/berita-([1-9]\d{0,4})\.xml$")


def shown_date(entry: Entry) -> str:
    """Return the date as this template prints it: ``26 Jul 2017 pukul 13.24 WIB``."""
    when = entry.article.published
    return f"{when.day} {MONTHS_ID_SHORT[when.month - 1]} {when.year} pukul {clock(when, '.')} WIB"


def listing_date(entry: Entry) -> str:
    """Return the date on listing cards: ``Rabu, 26/07/2017 13:24 WIB``."""
    when = entry.article.published
    return f"{WEEKDAYS_ID[when.weekday()]}, {when.day:02d}/{when.month:02d}/{when.year} {clock(when)} WIB"


def hub_link(view: View) -> str:
    """Return the attribute-ready link to the first page of VIEW."""
    if view.kind == "month":
        year, month = view.key.split("-")
        return f"/indeks?tahun={year}&amp;bulan={int(month)}"
    if view.kind == "index":
        return INDEX_PATH
    return {"all": "/news", "category": "/kanal/", "tag": "/tag/"}[view.kind] + (
        "" if view.kind == "all" else view.key
    )


def page_link(view: View, page: int) -> str:
    """Return the attribute-ready link to listing PAGE of VIEW."""
    base = hub_link(view)
    return base if page == 1 else f"{base}{'&amp;' if '?' in base else '?'}hal={page}"


class LaravelTheme(Theme):
    """The ``laravel`` theme."""

    robots = "User-agent: *\nDisallow: /admin\nDisallow: /login\nDisallow: /_portal/\n"
    name = "laravel"
    hostile_anchor = (b'<div class="content-body">', b"</p>\n")

    def resource(self, site: Site, path: str, query: dict[str, list[str]]) -> Reply | None:
        """Return the reply for a listing, feed or sitemap at PATH and QUERY, or None for a 404."""
        if path == "/sitemap.xml":
            chunks = -(-len(site.live) // SITEMAP_CHUNK)
            return xml_reply(
                sitemap_index(
                    site,
                    [
                        *(f"/sitemap/berita-{n}.xml" for n in range(1, chunks + 1)),
                        "/sitemap/halaman.xml",
                    ],
                )
            )
        if path == "/sitemap/halaman.xml":
            return xml_reply(urlset(site, list(site.pages)))
        if match := _SITEMAP.match(path):
            number = int(match[1])
            chunk = site.live[(number - 1) * SITEMAP_CHUNK : number * SITEMAP_CHUNK]
            return xml_reply(urlset(site, chunk)) if chunk else None
        one = {k: v[-1] for k, v in query.items()}
        match = _HUB.match(path)
        if path == INDEX_PATH:
            view = View("index")
        elif not match:
            return None
        elif match[1]:
            view = View("all")
        elif match[2]:
            view = View("category", match[2])
        elif match[3]:
            view = View("tag", match[3])
        else:
            try:
                view = View(
                    "month", f"{int(one.get('tahun', '')):04d}-{int(one.get('bulan', '')):02d}"
                )
            except ValueError:
                return None
        page = one.get("hal", "1")
        if not page.isdigit():
            return None
        html = self.listing(site, view, int(page))
        return None if html is None else html_reply(html)

    # -- chrome ----------------------------------------------------------------------------
    def document(self, site: Site, title: str, main: str, head: str = "") -> str:
        """Return a full page around MAIN with the Bootstrap navbar and footer."""
        kanal = "".join(
            f'<li><a class="dropdown-item" href="/kanal/{s}">{esc(n)}</a></li>'
            for s, n in sorted(site.category_names.items())
        )
        profil = "".join(
            f'<li><a class="dropdown-item" href="{p.path}">{esc(p.evergreen.title)}</a></li>'
            for p in site.pages
        )
        indeks = "".join(
            f'<a class="list-group-item" href="{hub_link(View("month", k))}">{month_name(k)}</a>'
            for k in site.month_keys[:6]
        )
        return (
            '<!doctype html>\n<html lang="id">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<meta name="csrf-token" content="x9Jd2kQ0pLmN7vB3">\n'
            f"<title>{esc(title)} - Portal Resmi Pemkab Tuban</title>\n{head}"
            '<link href="/css/app.css?id=7f3a9c" rel="stylesheet">\n</head>\n<body>\n'
            '<nav class="navbar navbar-expand-lg navbar-dark bg-success"><div class="container">'
            f'<a class="navbar-brand" href="/"><img src="/img/logo.png" alt="{SITE_NAME}"> TUBAN</a>'
            '<ul class="navbar-nav"><li class="nav-item"><a class="nav-link" href="/">Beranda</a></li>'
            '<li class="nav-item"><a class="nav-link" href="/news">Berita</a></li>'
            f'<li class="nav-item"><a class="nav-link" href="{INDEX_PATH}">Indeks</a></li>'
            f'<li class="nav-item dropdown"><a class="nav-link dropdown-toggle" href="#">Kanal</a><ul class="dropdown-menu">{kanal}</ul></li>'
            f'<li class="nav-item dropdown"><a class="nav-link dropdown-toggle" href="#">Profil</a><ul class="dropdown-menu">{profil}</ul></li>'
            "</ul></div></nav>\n"
            f'<div class="container py-4"><div class="row"><div class="col-lg-8">\n{main}</div>\n'
            f'<div class="col-lg-4"><div class="card"><div class="card-header">Indeks Berita</div>'
            f'<div class="list-group list-group-flush">{indeks}</div></div></div></div></div>\n'
            f'<footer class="bg-dark text-white py-3"><div class="container">Copyright &copy; 2026 {SITE_NAME}'
            '</div></footer>\n<script src="/js/app.js?id=1b2c"></script>\n</body>\n</html>\n'
        )

    def _card(self, entry: Entry, context: str, base_url: str) -> str:
        link = href(entry.path, f"lv:{context}:{entry.slug}", base_url)
        image = entry.article.images[0][0] if entry.article.images else "/img/no-image.jpg"
        return (
            f'<div class="card mb-3"><div class="row g-0"><div class="col-4"><a href="{link}">'
            f'<img src="{image}" class="img-fluid" alt="{esc(entry.article.title)}"></a></div>'
            f'<div class="col-8"><div class="card-body"><h5 class="card-title"><a href="{link}">'
            f'{esc(entry.article.title)}</a></h5><p class="card-text"><small class="text-muted">'
            f'<i class="bi bi-calendar3"></i> {listing_date(entry)}</small></p></div></div></div></div>\n'
        )

    def home(self, site: Site) -> str:
        """Return the home page: the latest nine, a load-more link and the fault links."""
        cards = "".join(self._card(e, "home", site.base_url) for e in site.live[:PER_PAGE])
        main = (
            f'<h4 class="section-title">Berita Terbaru</h4>\n{cards}'
            f'<div class="text-center"><a class="btn btn-outline-success" href="{page_link(View("all"), 2)}">'
            f"Lihat lainnya</a></div>\n{fault_links(site)}"
        )
        return self.document(site, "Beranda", main)

    def listing(self, site: Site, view: View, page: int) -> str | None:
        """Return listing PAGE of VIEW, or None when it does not exist."""
        sliced = page_slice(site, view, page, PER_PAGE)
        if sliced is None:
            return None
        chunk, last = sliced
        heading = {"all": "Berita", "index": "Indeks Berita", "tag": "#", "month": "Indeks "}.get(
            view.kind, ""
        ) + view_name(site, view)
        if "nolistings" in site.faults:
            return self.document(site, heading, f"<h4>{esc(heading)}</h4>\n{EMPTY_SHELL}")
        cards = "".join(
            self._card(e, f"{view.kind}{view.key}:{page}", site.base_url) for e in chunk
        )
        items = []
        if page > 1:
            items.append(
                f'<li class="page-item"><a class="page-link" href="{page_link(view, page - 1)}" '
                'aria-label="&laquo; Previous">&lsaquo;</a></li>'
            )
        for number in window(page, last, 3):
            items.append(
                f'<li class="page-item active" aria-current="page"><span class="page-link">{number}</span></li>'
                if number == page
                else f'<li class="page-item"><a class="page-link" href="{page_link(view, number)}">{number}</a></li>'
            )
        if page < last:
            items.append(
                f'<li class="page-item"><a class="page-link" href="{page_link(view, page + 1)}" '
                'aria-label="Next &raquo;">&rsaquo;</a></li>'
            )
        nav = f'<nav><ul class="pagination justify-content-center">{"".join(items)}</ul></nav>\n'
        return self.document(
            site, heading, f'<h4 class="section-title">{esc(heading)}</h4>\n{cards}{nav}'
        )

    # -- entries ---------------------------------------------------------------------------
    def article(
        self, site: Site, entry: Entry, paras: tuple[str, ...], views: int, sidebar: list[Entry]
    ) -> str:
        """Return an article page."""
        meta = entry.article
        kanal = f'<a href="/kanal/{category_slug(meta.category)}">{esc(meta.category)}</a>'
        url = f"{site.base_url}{entry.path}"
        head = (
            f'<meta property="og:type" content="article">\n<meta property="og:title" content="{esc(meta.title)}">\n'
            f'<meta property="og:url" content="{url}">\n<link rel="canonical" href="{url}">\n'
        )
        if meta.meta_style == "list":
            info = (
                '<table class="table table-sm table-borderless detail-info"><tbody>'
                f'<tr><th scope="row">Tanggal</th><td>:</td><td>{shown_date(entry)}</td></tr>'
                f'<tr><th scope="row">Penulis</th><td>:</td><td>{esc(meta.author)}</td></tr>'
                f'<tr><th scope="row">Kanal</th><td>:</td><td>{kanal}</td></tr>'
                f'<tr><th scope="row">Dilihat</th><td>:</td><td>{thousands(views)}x</td></tr></tbody></table>\n'
            )
        elif meta.meta_style == "bullets":
            info = (
                f'<p class="text-muted small">{shown_date(entry)} \u2022 {esc(meta.author)} \u2022 {kanal} '
                f"\u2022 {thousands(views)}x</p>\n"
            )
        else:
            info = ""
        if meta.meta_style != "none":
            head += (
                f'<meta property="article:published_time" content="{iso_wib(meta.published)}">\n'
                f'<meta property="article:section" content="{esc(meta.category)}">\n'
            )
            graph = [
                {
                    "@type": "WebPage",
                    "@id": url,
                    "name": f"{SITE_NAME}",
                    "datePublished": "2019-01-01T00:00:00+07:00",
                    "url": f"{site.base_url}/",
                },
                article_json_ld(site, entry, views),
            ]
            head += json_ld({"@context": "https://schema.org", "@graph": graph})
        images = "".join(
            f'<figure class="figure w-100"><img src="{src}" class="figure-img img-fluid" alt="">'
            f'<figcaption class="figure-caption">{esc(cap)}</figcaption></figure>\n'
            for src, cap in meta.images
        )
        body = [f"<p>{esc(p)}</p>\n" for p in paras]
        if sidebar and len(body) > 2:
            other = sidebar[0]
            body.insert(
                2,
                f'<p class="baca-juga"><strong>Baca juga:</strong> <a href="{other.path}">'
                f"{esc(other.article.title)}</a></p>\n",
            )
        trailers = "".join(
            f'<p class="small text-muted">{TRAILER_TEXT[t]}</p>\n' for t in meta.trailers
        )
        tags = "".join(
            f'<a class="badge bg-secondary" href="/tag/{t}">#{tag_name(t)}</a> '
            for t in article_tags(entry)
        )
        related = "".join(self._card(e, f"rel:{entry.slug}", site.base_url) for e in sidebar[:3])
        main = (
            f'<div class="detail-berita">\n{caption_html(entry, "p", "text-muted foto")}'
            f'<h1 class="judul fw-bold">{esc(meta.title)}</h1>\n{info}{images}'
            f'<div class="detail-text"><div class="row"><div class="col-md-12"><div class="content-body">\n'
            f'{"".join(body)}</div></div></div></div>\n{trailers}<div class="tags mt-3">{tags}</div>\n</div>\n'
            f'<h5 class="mt-4">Berita Lainnya</h5>\n{related}'
        )
        return self.document(site, meta.title, main, head)

    def evergreen(self, site: Site, entry: Entry) -> str:
        """Return an evergreen page: a title and its text."""
        page = entry.evergreen
        text = "".join(f"<p>{esc(p)}</p>\n" for p in page.paragraphs)
        main = (
            f'<div class="detail-berita"><h1 class="judul fw-bold">{esc(page.title)}</h1>\n'
            f'<div class="content-body">\n{text}</div></div>\n'
        )
        return self.document(site, page.title, main)
