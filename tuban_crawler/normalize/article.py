"""The normalise step: an ``ArticleItem``'s raw fields become one ``Article`` record (pure).

Everything but the publication date: which date an article keeps, and what follows from it
(its calendar columns, its kind, the content hash, the dates its text mentions), is the
validate step's, which judges the date's plausibility once (``normalize.published``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tuban_crawler.normalize import fields as normalize
from tuban_crawler.normalize.record import Article
from tuban_crawler.normalize.sanitize import clean_html

if TYPE_CHECKING:
    from tuban_crawler.items import ArticleItem


def normalize_article(item: ArticleItem) -> None:
    """Fill ITEM.record from ITEM.raw (the normalise step); its date is the validate step's (``published.settle_published``)."""
    raw = item.raw
    paragraphs, dateline, credit = normalize.split_body(raw.paragraphs)
    text = normalize.body_text(paragraphs)
    item.record = Article(
        url=item.url,
        # ``article`` once a date is written too (the validate step knows which date is kept).
        kind="article" if (dateline or credit) else "page",
        title=normalize.clean_text(raw.title) or None,
        author=normalize.clean_text(raw.author) or None,
        categories=normalize.normalize_categories(raw.categories),
        views=normalize.normalize_views(raw.views_raw),
        body_text=text or None,
        body_html=clean_html(raw.body_html) or None,
        dateline=dateline,
        credit=credit,
        images=[
            {**image, "caption": normalize.clean_text(image.get("caption"))} for image in raw.images
        ],
        photo_caption=normalize.clean_text(raw.photo_caption) or None,
        layout=raw.layout,
        field_sources=dict(raw.sources),
        etag=item.etag,
        last_modified=item.last_modified,
        fetched_url=item.fetch.get("fetched_url"),
    )
