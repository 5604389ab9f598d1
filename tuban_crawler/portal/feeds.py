"""Machine-readable resources: robots.txt, sitemap.xml, the RSS feed and the test manifest."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from xml.sax.saxutils import escape

from . import content, mentions
from .content import Entry
from .render import TRAILER_TEXT
from .text import page_date

logger = logging.getLogger(__name__)

WIB = timezone(timedelta(hours=7))
RSS_ITEMS = 20


def iso_wib(when: datetime) -> str:
    """Return a naive WIB datetime as ISO 8601 with its offset, e.g. ``2017-07-26T13:24:00+07:00``."""
    return when.replace(tzinfo=WIB).isoformat()


def robots(base_url: str) -> str:
    """Return robots.txt: everything allowed but the admin area and the test-only paths."""
    return f"User-agent: *\nDisallow: /admin/\nDisallow: /_portal/\n\nSitemap: {base_url}/sitemap.xml\n"


def entry_modified(entry: Entry, edition: int) -> datetime:
    """Return ENTRY's modification time in EDITION (naive WIB)."""
    return entry.page.modified if entry.page else content.last_modified(entry.article, edition)


def sitemap(entries: list[Entry], edition: int, base_url: str) -> str:
    """Return sitemap.xml listing every live entry (articles and evergreen pages) with lastmod."""
    urls = "".join(
        f"<url><loc>{escape(base_url + e.path)}</loc><lastmod>{iso_wib(entry_modified(e, edition))}</lastmod></url>\n"
        for e in entries
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}</urlset>\n'
    )


def rss(latest: list[Entry], base_url: str) -> str:
    """Return an RSS 2.0 feed of the latest articles with their pubDate."""
    items = "".join(
        f"<item><title>{escape(e.article.title)}</title><link>{escape(base_url + e.path)}</link>"
        f'<guid isPermaLink="true">{escape(base_url + e.path)}</guid>'
        f"<pubDate>{format_datetime(e.article.published.replace(tzinfo=WIB))}</pubDate>"
        f"<category>{escape(e.article.category)}</category></item>\n"
        for e in latest[:RSS_ITEMS]
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>\n'
        f"<title>Berita Pemerintah Kabupaten Tuban</title><link>{escape(base_url)}/</link>\n"
        "<description>Berita terbaru dari Pemerintah Kabupaten Tuban</description><language>id</language>\n"
        f"{items}</channel></rss>\n"
    )


def manifest_entry(
    entry: Entry, edition: int, with_body: bool, body: tuple[str, ...] | None = None
) -> dict:
    """Return the ground truth about ENTRY in EDITION (its paragraphs BODY if given), as tests compare it with the crawl."""
    if entry.page:
        page = entry.evergreen
        record: dict[str, object] = {
            "path": entry.path,
            "kind": "page",
            "index": None,
            "title": page.title,
            "slug_title": page.title,
            "published": None,
            "published_iso": None,
            "author": None,
            "category": None,
            "views": None,
            "paragraphs": len(page.paragraphs),
            "dateline_variant": None,
            "credit": None,
            "layout": page.layout,
            "edited_in_edition": False,
            "edited_editions": [],
            "edit_counts": None,
            "retitled_in_edition": False,
            "previous_title": None,
            "has_meta_list": False,
            "meta_style": "none",
            "caption": None,
            "trailers": [],
            "images": 0,
            "last_modified_iso": iso_wib(page.modified),
            "withdrawn": False,
            "withdrawn_status": None,
            **mentions.mentions(page.title, page.paragraphs),
        }
        if with_body:
            record["body"] = list(page.paragraphs)
        return record
    meta = entry.article
    body = body or content.body(meta, edition)
    edits = content.edited_editions(meta, edition)
    status = content.withdrawn_status(meta, edition)
    previous_title = content.retitled_from(meta, edition)
    record = {
        "path": entry.path,
        "kind": "article",
        "index": meta.index,
        "title": meta.title,
        "slug_title": meta.slug_title,
        # A page without a metadata list shows no date: the true date is still given in ISO form.
        "published": page_date(meta.published) if meta.meta_style != "none" else None,
        "published_iso": iso_wib(meta.published),
        "author": meta.author,
        "category": meta.category,
        "views": content.views(meta, edition),
        "paragraphs": len(body),
        "dateline_variant": meta.dateline or None,  # None: a teaser's (offices.py)
        "credit": meta.credit or None,
        "layout": meta.layout,
        "edited_in_edition": edition in edits,
        "edited_editions": list(edits),
        # What this edition's edit did to the body, and a title changed in it (the changes' truth).
        "edit_counts": content.edit_counts(meta, edition),
        "retitled_in_edition": previous_title is not None,
        "previous_title": previous_title,
        "has_meta_list": meta.meta_style != "none",
        "meta_style": meta.meta_style,
        "caption": meta.caption,
        "trailers": [TRAILER_TEXT[t] for t in meta.trailers],
        "images": len(meta.images),
        "last_modified_iso": iso_wib(content.last_modified(meta, edition)),
        "withdrawn": status is not None,
        "withdrawn_status": status,
        # The kecamatan, desa and offices its title and body name (issue 24).
        **(mentions.seed_mentions() if meta.index is None else mentions.mentions(meta.title, body)),
    }
    if with_body:
        record["body"] = list(body)
    return record


def manifest(
    entries: list[Entry],
    *,
    seed: int,
    articles: int,
    edition: int,
    base_url: str,
    fault_paths: dict[str, list[str]],
    with_body: bool,
    theme: str = "classic",
    bodies: Mapping[str, tuple[str, ...]] | None = None,
) -> str:
    """Return /_portal/manifest.json: every entry (withdrawn ones marked) and the portal settings."""
    document = {
        "seed": seed,
        "articles": articles,
        "edition": edition,
        "base_url": base_url,
        "theme": theme,
        "fault_paths": fault_paths,
        "entries": [
            manifest_entry(e, edition, with_body, (bodies or {}).get(e.slug)) for e in entries
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=1)
