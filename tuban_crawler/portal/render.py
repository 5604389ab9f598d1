"""HTML for entry pages in the portal's two layouts, and the site chrome around them.

Legacy (articles published before 2019): ``div#wrapper > div#content > div.post`` with
``h2.post-title``, ``ul.post-meta`` (``i.icon-time``/``icon-user``/``icon-folder-open``/
``icon-eye-open``) and ``div.post-content``.  Current (2019 on): ``main.site-main >
article.single-news`` with ``h1.news-title``, ``div.news-meta`` (``span.news-date``/
``news-author``/``news-category``/``news-views``) and ``div.news-body``, plus OpenGraph tags.
Both carry decoys: a site-wide ``<h1>`` logo, dated sidebar items and a dated footer.

Variants: the ``•`` metadata line is ``p.post-info`` (legacy) / ``p.news-meta-line`` (current);
the photo caption before the title is ``div.foto-caption`` / ``p.photo-credit``; trailers are
``div.disqus`` and ``div.sumber`` (legacy, sometimes instead the last ``<p>`` of
``div.post-content``) / ``div#disqus_thread.news-comments`` and ``div.news-source`` (current).
Images: ``div.post-thumb``/``div.post-gallery`` with ``span.caption`` (legacy),
``figure.news-image`` with ``figcaption`` (current).
"""

from __future__ import annotations

import logging
import zlib
from html import escape

from .content import CATEGORIES, ArticleMeta, Entry, category_slug
from .evergreen import PAGES
from .text import page_date

logger = logging.getLogger(__name__)

SITE_NAME = "Pemerintah Kabupaten Tuban"
FOOTER_UPDATED = "01 November 2026 08:00"  # a page-format date on every page: a decoy
TRAILER_TEXT = {"disqus": "comments powered by Disqus", "source": "Sumber : Media Center"}
OFFSITE_LINKS = (
    ("http://example.org/berita/tuban", "Berita Jawa Timur"),
    ("/keluar?url=http://example.org/", "Situs Mitra"),
    ("https://www.example.com/wisata-tuban", "Wisata Tuban"),
)


def esc(value: str) -> str:
    """Return VALUE escaped for HTML text and attributes."""
    return escape(value, quote=True)


def href(path: str, key: str, base_url: str) -> str:
    """Return an attribute-ready link to PATH, sometimes in one of its alias forms.

    The real pages link the same story many ways (tracking parameters from shares, a
    trailing slash, comment anchors, absolute URLs); KEY makes the choice deterministic.
    """
    roll = zlib.crc32(key.encode()) % 100
    if roll < 70:
        return path
    if roll < 78:
        return f"{path}/"
    if roll < 85:
        return f"{path}?utm_source=facebook&amp;utm_medium=social"
    if roll < 90:
        return f"{path}?fbclid=IwAR{zlib.crc32(path.encode()):08x}"
    if roll < 95:
        return f"{path}#komentar"
    return f"{base_url}{path}"


def category_link(category: str) -> str:
    """Return the metadata link to CATEGORY, comma-terminated as the CMS printed it."""
    return f'<a href="/kategori/{category_slug(category)}">{esc(category)}</a>,'


def nav_items(with_pages: bool) -> str:
    """Return the navigation list items (home, news, categories, optionally evergreen pages)."""
    items = ['<li><a href="/">Beranda</a></li>', '<li><a href="/berita">Berita</a></li>']
    items += [f'<li><a href="/kategori/{category_slug(c)}">{esc(c)}</a></li>' for c in CATEGORIES]
    if with_pages:
        items += [f'<li><a href="/entry/{p.slug}">{esc(p.title)}</a></li>' for p in PAGES]
    return "".join(items)


def current_document(title: str, main: str, *, head: str = "", with_pages: bool = False) -> str:
    """Return a full page in the current (2019+) chrome around MAIN."""
    return (
        '<!DOCTYPE html>\n<html lang="id">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)} | {SITE_NAME}</title>\n{head}"
        '<link rel="stylesheet" href="/assets/css/app.css">\n</head>\n<body>\n'
        '<header class="site-header"><div class="container">'
        f'<a class="brand" href="/"><h1 class="brand-name">{SITE_NAME}</h1></a>'
        f'<nav class="main-nav"><ul>{nav_items(with_pages)}</ul></nav></div></header>\n'
        f'<main class="site-main"><div class="container">\n{main}</div></main>\n'
        f'<footer class="site-footer"><p>&copy; 2010 - 2026 {SITE_NAME}. Hak cipta dilindungi.</p>'
        f'<p class="updated">Terakhir diperbarui: {FOOTER_UPDATED}</p></footer>\n</body>\n</html>\n'
    )


def legacy_document(title: str, post: str, sidebar: str) -> str:
    """Return a full page in the legacy (pre-2019) chrome around POST and SIDEBAR."""
    return (
        '<!DOCTYPE html>\n<html lang="id">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{esc(title)} - {SITE_NAME}</title>\n"
        '<link rel="stylesheet" href="/themes/lama/style.css">\n</head>\n<body>\n<div id="wrapper">\n'
        f'<div id="header"><h1 class="logo"><a href="/">{SITE_NAME}</a></h1>'
        f'<p class="tagline">Bumi Wali</p><ul id="nav">{nav_items(False)}</ul></div>\n'
        f'<div id="content">\n<div class="post">\n{post}</div>\n'
        f'<div id="sidebar">\n{sidebar}</div>\n</div>\n'
        f'<div id="footer"><p>Copyright &copy; 2010 - 2026 {SITE_NAME}. Diperbarui {FOOTER_UPDATED}</p></div>\n'
        "</div>\n</body>\n</html>\n"
    )


def _sidebar_items(current: str, entries: list[Entry], base_url: str, tag: str) -> str:
    rows = []
    for entry in entries:
        link = href(entry.path, f"side:{current}:{entry.slug}", base_url)
        rows.append(
            f'<li><a href="{link}">{esc(entry.article.title)}</a> '
            f'<{tag} class="date">{page_date(entry.article.published)}</{tag}></li>'
        )
    return "\n".join(rows)


def _extra_widgets(meta: ArticleMeta | None, offsite: bool, legacy: bool) -> str:
    index = -1 if meta is None else (meta.index if meta.index is not None else 0)
    wrap = ('<div class="widget">', "</div>") if legacy else ('<div class="related-box">', "</div>")
    html = ""
    # Some articles carry a "Profil Daerah" box: the evergreen pages' only article-side links.
    if index % 10 == 0:
        links = "".join(f'<li><a href="/entry/{p.slug}">{esc(p.title)}</a></li>' for p in PAGES)
        html += f"{wrap[0]}<h3>Profil Daerah</h3><ul>{links}</ul>{wrap[1]}\n"
    if offsite and index % 5 == 0:
        links = "".join(f'<li><a href="{u}">{esc(t)}</a></li>' for u, t in OFFSITE_LINKS)
        html += f"{wrap[0]}<h3>Tautan</h3><ul>{links}</ul>{wrap[1]}\n"
    return html


def _paragraphs(paras: tuple[str, ...], trailer: str | None) -> str:
    html = "".join(f"<p>{esc(p)}</p>\n" for p in paras)
    if trailer:
        html += f"<p>{esc(TRAILER_TEXT[trailer])}</p>\n"
    return html


def legacy_article(
    entry: Entry,
    *,
    paras: tuple[str, ...],
    views: int,
    sidebar: list[Entry],
    base_url: str,
    offsite: bool,
) -> str:
    """Return the legacy-layout page of an article."""
    meta = entry.article
    parts = []
    if meta.caption:
        parts.append(f'<div class="foto-caption">{esc(meta.caption)}</div>\n')
    parts.append(f'<h2 class="post-title">{esc(meta.title)}</h2>\n')
    date = page_date(meta.published)
    if meta.meta_style == "bullets":
        parts.append(
            f'<p class="post-info">{date} \u2022 {esc(meta.author)} \u2022 '
            f"{category_link(meta.category)} \u2022 {views}</p>\n"
        )
    elif meta.meta_style == "list":
        parts.append(
            '<ul class="post-meta">\n'
            f'<li><i class="icon-time"></i> {date}</li>\n'
            f'<li><i class="icon-user"></i> {esc(meta.author)}</li>\n'
            f'<li><i class="icon-folder-open"></i> {category_link(meta.category)}</li>\n'
            f'<li><i class="icon-eye-open"></i> {views}</li>\n</ul>\n'
        )
    if meta.images:
        src, cap = meta.images[0]
        parts.append(
            f'<div class="post-thumb"><img src="{src}" alt="{esc(meta.title)}">'
            f'<span class="caption">{esc(cap)}</span></div>\n'
        )
        for src, cap in meta.images[1:]:
            parts.append(
                f'<div class="post-gallery"><img src="{src}" alt=""><span class="caption">{esc(cap)}</span></div>\n'
            )
    trailers = list(meta.trailers)
    inside = trailers.pop() if meta.trailer_in_body and trailers else None
    parts.append(f'<div class="post-content">\n{_paragraphs(paras, inside)}</div>\n')
    for trailer in trailers:
        css = "disqus" if trailer == "disqus" else "sumber"
        parts.append(f'<div class="{css}">{TRAILER_TEXT[trailer]}</div>\n')
    sidebar_html = (
        f'<div class="widget"><h3>Berita Lainnya</h3><ul>\n'
        f"{_sidebar_items(entry.slug, sidebar, base_url, 'span')}</ul></div>\n"
        f"{_extra_widgets(meta, offsite, legacy=True)}"
    )
    return legacy_document(meta.title, "".join(parts), sidebar_html)


def _og_head(title: str, url: str, image: str | None, kind: str) -> str:
    head = (
        f'<meta property="og:type" content="{kind}">\n<meta property="og:title" content="{esc(title)}">\n'
        f'<meta property="og:url" content="{url}">\n<meta property="og:site_name" content="{SITE_NAME}">\n'
    )
    if image:
        head += f'<meta property="og:image" content="{image}">\n'
    return head


def current_article(
    entry: Entry,
    *,
    paras: tuple[str, ...],
    views: int,
    sidebar: list[Entry],
    base_url: str,
    offsite: bool,
) -> str:
    """Return the current-layout page of an article."""
    meta = entry.article
    header = []
    if meta.caption:
        header.append(f'<p class="photo-credit">{esc(meta.caption)}</p>')
    header.append(f'<h1 class="news-title">{esc(meta.title)}</h1>')
    date = page_date(meta.published)
    if meta.meta_style == "bullets":
        header.append(
            f'<p class="news-meta-line">{date} \u2022 {esc(meta.author)} \u2022 '
            f"{category_link(meta.category)} \u2022 {views}</p>"
        )
    elif meta.meta_style == "list":
        header.append(
            '<div class="news-meta">'
            f'<span class="news-date"><i class="fa fa-calendar"></i> {date}</span>'
            f'<span class="news-author"><i class="fa fa-user"></i> {esc(meta.author)}</span>'
            f'<span class="news-category"><i class="fa fa-folder"></i> {category_link(meta.category)}</span>'
            f'<span class="news-views"><i class="fa fa-eye"></i> {views}</span></div>'
        )
    figures = "".join(
        f'<figure class="news-image"><img src="{src}" alt="{esc(meta.title)}">'
        f"<figcaption>{esc(cap)}</figcaption></figure>\n"
        for src, cap in meta.images
    )
    after = ""
    for trailer in meta.trailers:
        if trailer == "source":
            after += f'<div class="news-source">{TRAILER_TEXT["source"]}</div>\n'
        else:
            after += (
                f'<div id="disqus_thread" class="news-comments">{TRAILER_TEXT["disqus"]}</div>\n'
            )
    if offsite:
        url = f"{base_url}{entry.path}"
        after += (
            f'<div class="share">Bagikan: <a href="https://www.facebook.com/sharer/sharer.php?u={url}">Facebook</a> '
            f'<a href="https://twitter.com/intent/tweet?url={url}">Twitter</a></div>\n'
        )
    main = (
        '<article class="single-news">\n'
        f'<header class="news-header">{"".join(header)}</header>\n{figures}'
        f'<div class="news-body">\n{_paragraphs(paras, None)}</div>\n{after}</article>\n'
        f'<aside class="related"><h3>Berita Terkait</h3><ul>\n'
        f"{_sidebar_items(entry.slug, sidebar, base_url, 'time')}</ul>\n"
        f"{_extra_widgets(meta, offsite, legacy=False)}</aside>\n"
    )
    image = f"{base_url}{meta.images[0][0]}" if meta.images else None
    head = _og_head(meta.title, f"{base_url}{entry.path}", image, "article")
    return current_document(meta.title, main, head=head)


def evergreen_page(entry: Entry, latest: list[Entry], base_url: str) -> str:
    """Return an evergreen page: title and text only, in the page's own layout."""
    page = entry.evergreen
    paras = "".join(f"<p>{esc(p)}</p>\n" for p in page.paragraphs)
    if page.layout == "legacy":
        post = f'<h2 class="post-title">{esc(page.title)}</h2>\n<div class="post-content">\n{paras}</div>\n'
        sidebar = (
            f'<div class="widget"><h3>Berita Terbaru</h3><ul>\n'
            f"{_sidebar_items(entry.slug, latest, base_url, 'span')}</ul></div>\n"
        )
        return legacy_document(page.title, post, sidebar)
    main = (
        '<article class="single-news page">\n'
        f'<header class="news-header"><h1 class="news-title">{esc(page.title)}</h1></header>\n'
        f'<div class="news-body">\n{paras}</div>\n</article>\n'
        '<aside class="related"><h3>Berita Terbaru</h3><ul>\n'
        f"{_sidebar_items(entry.slug, latest, base_url, 'time')}</ul></aside>\n"
    )
    return current_document(
        page.title, main, head=_og_head(page.title, f"{base_url}{entry.path}", None, "website")
    )
