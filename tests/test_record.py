"""One record, one parse: a page's publication date is parsed once per source that wins.

Every module that calls ``dates.parse_date`` is watched; an article goes through extract,
normalise and validate as a crawl takes it, and the text that won its ``published_at`` must
have been parsed exactly once.
"""

from __future__ import annotations

import sys
from collections import Counter

import pytest

from tests.conftest import PAGES
from tuban_crawler import dates
from tuban_crawler.crawl.pipelines import NormalizePipeline, ValidatePipeline
from tuban_crawler.extract import extract_entry
from tuban_crawler.extract.entry import ExtractedEntry
from tuban_crawler.items import ArticleItem
from tuban_crawler.normalize.article import choose_published
from tuban_crawler.normalize.record import Article, calendar_columns

SEED_URL = "https://tubankab.go.id/entry/asn-dituntut-disiplin-profesional-dan-bertanggung-jawab"


@pytest.fixture
def parses(monkeypatch):
    """Return a Counter of the texts ``parse_date`` is called with, in every module that calls it."""
    counted: Counter[str] = Counter()
    original = dates.parse_date

    def counting(text, *args, **kwargs):
        counted[text] += 1
        return original(text, *args, **kwargs)

    for name, module in list(sys.modules.items()):
        if name.startswith("tuban_crawler") and getattr(module, "parse_date", None) is original:
            monkeypatch.setattr(module, "parse_date", counting)
    return counted


def archived(name: str, hint: str | None = None, html: str | None = None) -> ArticleItem:
    """Return the item of saved page NAME after extract → normalise → validate."""
    html = html or (PAGES / f"{name}.html").read_text(encoding="utf-8")
    item = ArticleItem(
        url=SEED_URL,
        fetch={"fetched_url": SEED_URL, "fetched_at": "2026-12-01T00:00:00+00:00", "status": 200},
        raw=extract_entry(html, SEED_URL),
        hint_published=hint,
    )
    item = ValidatePipeline().process_item(NormalizePipeline().process_item(item))
    assert isinstance(item, ArticleItem) and isinstance(item.record, Article)
    return item


# The portal's layouts, metadata by shape (no layout), JSON-LD, OpenGraph and <time>.
@pytest.mark.parametrize(
    "name",
    ["legacy_seed", "current_plain", "bullet_meta", "jsonld_only", "opengraph_time"],
)
def test_the_date_that_wins_is_parsed_once_from_extraction_to_validation(parses, name):
    record = archived(name).record
    assert record.published_at and record.published_raw
    assert parses[record.published_raw] == 1


def test_a_listing_date_that_wins_is_parsed_once_too(parses):
    record = archived("legacy_no_meta", hint="12 February 2010 21:16").record
    assert record.field_sources["published"] == "listing"
    assert record.published_at == "2010-02-12T21:16:00+07:00"
    assert parses["12 February 2010 21:16"] == 1


def test_the_calendar_columns_are_derived_from_the_published_at_the_record_keeps(parses):
    record = archived("legacy_seed").record
    assert (record.published_year, record.published_month, record.published_date) == (
        2017,
        "2017-07",
        "2017-07-26",
    )
    assert calendar_columns(record.published_at)["published_date"] == record.published_date


def entry_item(page=None, hint=None, lastmod=None):
    """Return an item whose page wrote PAGE as its date (parsed as extraction would), with its hints."""
    raw = ExtractedEntry(
        url=SEED_URL, published_raw=page, published=dates.parse_date(page) if page else None
    )
    return ArticleItem(url=SEED_URL, fetch={}, raw=raw, hint_published=hint, hint_modified=lastmod)


@pytest.mark.parametrize(
    "page, hint, lastmod, shaped, expected",
    [
        # the page's own date, as extraction parsed it
        ("26 July 2017 13:24", None, None, False, ("2017-07-26T13:24:00+07:00", None, None)),
        # a listing's date beats a relative one, an unreadable one, an implausible one
        ("2 hari yang lalu", "12 April 2019", None, False, ("2019-04-12", "listing", None)),
        ("26 July 1017 13:24", "12 April 2019", None, False, ("2019-04-12", "listing", None)),
        # an implausible date with nothing better is kept as written, with the reason
        ("26 July 1017 13:24", None, None, False, (None, None, "outside the portal's lifetime")),
        # the sitemap's lastmod, for what is plainly an article only
        (
            None,
            None,
            "2019-03-02T10:00:00+07:00",
            True,
            ("2019-03-02T10:00:00+07:00", "sitemap", None),
        ),
        (None, None, "2019-03-02T10:00:00+07:00", False, (None, None, "no date on the page")),
    ],
)
def test_the_pages_date_wins_unless_a_listing_or_sitemap_date_is_better(
    page, hint, lastmod, shaped, expected
):
    published = choose_published(entry_item(page, hint, lastmod), shaped)
    value, source, reason = expected
    assert (published.parsed.isoformat() if published.parsed else None, published.source) == (
        value,
        source,
    )
    assert (published.reason is None) == (reason is None)
    assert reason is None or reason in published.reason
