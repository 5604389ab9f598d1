"""The normalise step: an ``ArticleItem``'s raw fields become one ``Article`` record (pure).

The publication date comes parsed from extraction (``ExtractedEntry.published``); it is
parsed here only when another source wins (the date beside the link on a listing, feed or
sitemap, or the sitemap's lastmod), and each candidate is judged plausible once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from tuban_crawler.dates import ParsedDate, mentioned_dates, parse_date
from tuban_crawler.dates.bounds import EARLIEST_PUBLICATION, plausible_publication
from tuban_crawler.dates.results import carried_parse
from tuban_crawler.items import ArticleItem
from tuban_crawler.normalize import fields as normalize
from tuban_crawler.normalize.columns import CONTENT_FIELDS
from tuban_crawler.normalize.record import Article, calendar_columns
from tuban_crawler.normalize.sanitize import clean_html

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Published:
    """The publication date an article keeps: as written, parsed, by which source, or why none."""

    raw: str | None
    parsed: ParsedDate | None  # None when there is no date, or it is not plausible
    source: str | None  # ``listing`` or ``sitemap`` when not the page's own
    reason: str | None


def _plausible(parsed: ParsedDate | None) -> bool:
    return (
        bool(parsed)
        and parsed is not None
        and parsed.value is not None
        and (plausible_publication(parsed.value))
    )


def _parse_once(written: str, given: str | None) -> ParsedDate:
    """Return the parse of WRITTEN: the one GIVEN carries when it is the same text, else parsed now."""
    carried = carried_parse(given) if given is not None and given == written else None
    return carried if carried is not None else parse_date(written)


def choose_published(item: ArticleItem, article_shaped: bool) -> Published:
    """Return the publication date of ITEM: the page's, else its listing's, else (ARTICLE_SHAPED) the sitemap's.

    Parameters:
        item: the fetched entry, its raw fields extracted (the page's date parsed already).
        article_shaped: the page has a dateline or a credit (plainly an article).
    """
    raw = item.raw
    written = normalize.clean_text(raw.published_raw) or None
    parsed = None
    if written:
        # The parse extraction made, unless folding white space changed the text it read.
        same = raw.published is not None and written == raw.published_raw
        parsed = raw.published if same else parse_date(written)
    plausible, source = _plausible(parsed), None
    hint = normalize.clean_text(item.hint_published) or None
    if hint and not plausible:
        # The page has no absolute date (none, a relative one, an unreadable one): the date
        # written beside the link on a listing, feed or sitemap is better than none.
        hinted = _parse_once(hint, item.hint_published)
        if not written or _plausible(hinted):
            written, parsed, source, plausible = hint, hinted, "listing", _plausible(hinted)
    if not written and item.hint_modified and article_shaped:
        # A sitemap's lastmod, the last resort, and only for what is plainly an article
        # (an evergreen page has a lastmod too, and no publication date).
        written, source = normalize.clean_text(item.hint_modified), "sitemap"
        parsed = parse_date(written)
        plausible = _plausible(parsed)
    if not written:
        return Published(written, None, source, "no date on the page")
    if parsed is None or not parsed:
        return Published(written, None, source, parsed.reason if parsed is not None else None)
    if not plausible:
        reason = f"{written!r} is outside the portal's lifetime ({EARLIEST_PUBLICATION.year} to tomorrow)"
        return Published(written, None, source, reason)
    return Published(written, parsed, source, None)


def normalize_article(item: ArticleItem) -> None:
    """Fill ITEM.record and ITEM.mentioned from ITEM.raw (the normalise step)."""
    raw = item.raw
    sources = dict(raw.sources)
    paragraphs, dateline, credit = normalize.split_body(raw.paragraphs)
    text = normalize.body_text(paragraphs)
    published = choose_published(item, bool(dateline or credit))
    if published.source:
        sources["published"] = published.source
    parsed = published.parsed
    published_at = parsed.isoformat() if parsed else None
    record = Article(
        url=item.url,
        kind="article" if (published.raw or dateline or credit) else "page",
        title=normalize.clean_text(raw.title) or None,
        published_at=published_at,
        **calendar_columns(published_at),
        published_raw=published.raw,
        published_precision=parsed.precision if parsed else None,
        date_reason=published.reason,
        date_warnings=list(parsed.warnings) if parsed and parsed.warnings else None,
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
        field_sources=sources,
        etag=item.etag,
        last_modified=item.last_modified,
        fetched_url=item.fetch.get("fetched_url"),
    )
    record.content_hash = normalize.content_hash({name: record[name] for name in CONTENT_FIELDS})
    item.record = record
    reference = parsed.value if parsed else None
    item.mentioned = [
        {"mentioned_date": m.value.isoformat(), "expression": m.expression}
        for m in (mentioned_dates(text, reference) if text and reference else [])
    ]
