"""Site pages around the entries: home, listings, the agenda calendar, error pages, the huge page.

Listings (``/berita?page=N``, ``/kategori/<slug>?page=N``) show 20 items newest first, each
``div.news-item`` with ``h3.news-item-title > a`` and ``span.news-item-date``; the pagination is
``nav.pagination`` with ``a.next[rel=next]`` (absent on the last page) and ``a.prev[rel=prev]``.
"""

from __future__ import annotations

import functools
import logging
import random

from .content import ANCHOR, Entry
from .evergreen import PAGES
from .render import current_document, esc, href
from .text import MONTHS_ID, page_date

logger = logging.getLogger(__name__)

PER_PAGE = 20
HOME_ITEMS = 10
HUGE_PATH = "/unduhan/arsip-lengkap"
TRAP_START = f"/agenda?bulan={ANCHOR.year:04d}-{ANCHOR.month:02d}"
OFFSITE_REDIRECT = "/keluar?url=http://example.org/"


def page_count(total: int) -> int:
    """Return how many listing pages TOTAL items fill (page 1 always exists)."""
    return max(1, -(-total // PER_PAGE))


def listing_items(entries: list[Entry], context: str, base_url: str) -> str:
    """Return the listing items (``div.news-item``) of ENTRIES, their links in CONTEXT's alias forms."""
    rows = []
    for entry in entries:
        link = href(entry.path, f"{context}:{entry.slug}", base_url)
        rows.append(
            f'<div class="news-item"><h3 class="news-item-title"><a href="{link}">{esc(entry.article.title)}</a></h3>'
            f'<span class="news-item-date">{page_date(entry.article.published)}</span>'
            f'<span class="news-item-category">{esc(entry.article.category)}</span></div>\n'
        )
    return "".join(rows)


def _pagination(base: str, page: int, last: int) -> str:
    sep = "&amp;" if "?" in base else "?"
    links = []
    if page > 1:
        links.append(
            f'<a class="prev" rel="prev" href="{base}{sep}page={page - 1}">&laquo; Sebelumnya</a>'
        )
    for number in sorted(
        {1, max(1, page - 2), page - 1, page, page + 1, min(last, page + 2), last}
    ):
        if 1 <= number <= last:
            links.append(
                f'<span class="current">{number}</span>'
                if number == page
                else f'<a class="page" href="{base}{sep}page={number}">{number}</a>'
            )
    if page < last:
        links.append(
            f'<a class="next" rel="next" href="{base}{sep}page={page + 1}">Berikutnya &raquo;</a>'
        )
    return f'<nav class="pagination">{" ".join(links)}</nav>\n'


def listing(
    heading: str, base: str, entries: list[Entry], page: int, base_url: str, hidden: bool = False
) -> str | None:
    """Return listing PAGE of ENTRIES (newest first) under path BASE, or None when out of range.

    HIDDEN (the ``nolistings`` fault) gives the page a script-filled shell instead of its items.
    """
    last = page_count(len(entries))
    if not 1 <= page <= last:
        return None
    if hidden:
        shell = '<div id="app" data-endpoint="/api/berita"><p class="loading">Memuat berita...</p></div>\n'
        return current_document(heading, f'<h2 class="page-title">{esc(heading)}</h2>\n{shell}')
    chunk = entries[(page - 1) * PER_PAGE : page * PER_PAGE]
    main = (
        f'<h2 class="page-title">{esc(heading)}</h2>\n<div class="news-list">\n'
        f"{listing_items(chunk, f'{base}:{page}', base_url)}</div>\n{_pagination(base, page, last)}"
    )
    title = heading if page == 1 else f"{heading} - Halaman {page}"
    return current_document(title, main)


def home(latest: list[Entry], base_url: str, *, trap: bool, offsite: bool, huge: bool) -> str:
    """Return the home page: the latest entries, the profile pages and any fault links."""
    pages = "".join(f'<li><a href="/entry/{p.slug}">{esc(p.title)}</a></li>' for p in PAGES)
    main = (
        '<section class="headline"><h2 class="section-title">Berita Terbaru</h2>\n<div class="news-list">\n'
        f"{listing_items(latest[:HOME_ITEMS], 'home', base_url)}</div>\n"
        '<p><a class="more" href="/berita">Indeks Berita</a> <a href="/rss">RSS</a></p></section>\n'
        f'<section class="profil"><h2 class="section-title">Profil Daerah</h2><ul>{pages}</ul></section>\n'
    )
    if trap:
        main += f'<section class="agenda"><a href="{TRAP_START}">Agenda Kegiatan</a></section>\n'
    if offsite:
        republished = (
            f"http://example.org/entry/{latest[0].slug}" if latest else "http://example.org/"
        )
        main += (
            '<section class="tautan"><h2 class="section-title">Tautan</h2><ul>'
            f'<li><a href="{republished}">Dimuat ulang oleh media mitra</a></li>'
            f'<li><a href="{OFFSITE_REDIRECT}">Situs Mitra</a></li>'
            '<li><a href="https://www.example.com/">Portal Jawa Timur</a></li></ul></section>\n'
        )
    if huge:
        main += (
            f'<section class="unduhan"><a href="{HUGE_PATH}">Unduh Arsip Lengkap</a></section>\n'
        )
    return current_document("Beranda", main, with_pages=True)


def agenda(year: int, month: int) -> str:
    """Return the agenda page of a month: a few events and links to both neighbouring months, forever."""
    rng = random.Random(f"agenda:{year}:{month}")
    events = "".join(
        f"<li>{rng.randint(1, 28)} {MONTHS_ID[month - 1]} {year}: "
        f"{rng.choice(('Rapat Koordinasi', 'Apel Gabungan', 'Sosialisasi', 'Kunjungan Kerja'))}</li>"
        for _ in range(rng.randint(2, 5))
    )
    nxt = (year + 1, 1) if month == 12 else (year, month + 1)
    prev = (year - 1, 12) if month == 1 else (year, month - 1)
    main = (
        f'<h2 class="page-title">Agenda Kegiatan {MONTHS_ID[month - 1]} {year}</h2>\n<ul class="agenda">{events}</ul>\n'
        '<nav class="pagination">'
        f'<a class="prev" href="/agenda?bulan={prev[0]:04d}-{prev[1]:02d}">Bulan sebelumnya</a> '
        f'<a class="next" href="/agenda?bulan={nxt[0]:04d}-{nxt[1]:02d}">Bulan berikutnya</a></nav>\n'
    )
    return current_document(f"Agenda {MONTHS_ID[month - 1]} {year}", main)


def message(title: str, text: str) -> str:
    """Return a plain page (404, 410, 500...) with TITLE and one paragraph of TEXT."""
    return current_document(
        title, f'<h2 class="page-title">{esc(title)}</h2>\n<p>{esc(text)}</p>\n'
    )


@functools.lru_cache(maxsize=2)
def huge_body(size: int) -> bytes:
    """Return an HTML page of exactly SIZE bytes (at least ~200): an endless attachment table."""
    head = (
        b'<!DOCTYPE html>\n<html lang="id"><head><meta charset="utf-8"><title>Arsip Lengkap</title></head>'
        b"<body><table>\n"
    )
    tail = b"</table></body></html>\n"
    row_bytes = b"<tr><td>Lampiran</td><td>Dokumen arsip Pemerintah Kabupaten Tuban</td></tr>\n"
    room = max(0, size - len(head) - len(tail))
    rows, rest = divmod(room, len(row_bytes))
    padding = b"<!--" + b"x" * (rest - 7) + b"-->" if rest >= 7 else b" " * rest
    return head + row_bytes * rows + padding + tail
