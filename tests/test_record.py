"""One record, one parse: a page's publication date is parsed once per source that wins.

Every module that calls ``dates.parse_date`` is watched; an article goes through extract,
normalise and validate as a crawl takes it, and the text that won its ``published_at`` must
have been parsed exactly once, and judged plausible exactly once (every module that calls
``dates.bounds.plausible_publication`` is watched too). A listing's date and a sitemap's
lastmod are followed from where they are read, through request meta and the archive's
frontier, to the record.
"""

from __future__ import annotations

import pickle
import sys
from collections import Counter

import pytest
from scrapy import Request
from scrapy.utils.request import request_from_dict

from tests.conftest import PAGES
from tuban_crawler import dates
from tuban_crawler.crawl import meta
from tuban_crawler.crawl.pipelines import NormalizePipeline, ValidatePipeline
from tuban_crawler.dates import bounds
from tuban_crawler.discover.feeds import sitemap_urls
from tuban_crawler.discover.links import page_links
from tuban_crawler.extract import extract_entry
from tuban_crawler.extract.combine import combine
from tuban_crawler.extract.entry import ExtractedEntry
from tuban_crawler.items import ArticleItem
from tuban_crawler.normalize.published import choose_published
from tuban_crawler.normalize.record import Article, calendar_columns
from tuban_crawler.store.archive import ArchiveStore

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


@pytest.fixture
def judged(monkeypatch):
    """Return a Counter of the dates ``plausible_publication`` judges, in every module that calls it."""
    counted: Counter[object] = Counter()
    original = bounds.plausible_publication

    def counting(value, *args, **kwargs):
        counted[value] += 1
        return original(value, *args, **kwargs)

    for name, module in list(sys.modules.items()):
        if (
            name.startswith("tuban_crawler")
            and getattr(module, "plausible_publication", None) is original
        ):
            monkeypatch.setattr(module, "plausible_publication", counting)
    return counted


def archived(
    name: str, hint: str | None = None, html: str | None = None, lastmod: str | None = None
) -> ArticleItem:
    """Return the item of saved page NAME after extract → normalise → validate."""
    html = html or (PAGES / f"{name}.html").read_text(encoding="utf-8")
    item = ArticleItem(
        url=SEED_URL,
        fetch={"fetched_url": SEED_URL, "fetched_at": "2026-12-01T00:00:00+00:00", "status": 200},
        raw=extract_entry(html, SEED_URL),
        hint_published=hint,
        hint_modified=lastmod,
    )
    item = ValidatePipeline().process_item(NormalizePipeline().process_item(item))
    assert isinstance(item, ArticleItem) and isinstance(item.record, Article)
    return item


# The portal's layouts, metadata by shape (no layout), JSON-LD, OpenGraph and <time>.
@pytest.mark.parametrize(
    "name",
    ["legacy_seed", "current_plain", "bullet_meta", "jsonld_only", "opengraph_time"],
)
def test_the_date_that_wins_is_parsed_once_from_extraction_to_validation(parses, judged, name):
    item = archived(name)
    record = item.record
    assert record.published_at and record.published_raw
    assert parses[record.published_raw] == 1
    winner = next(c.parsed for c in item.raw.published_ranked if c.written == record.published_raw)
    assert judged[winner.value] == 1


def test_a_placeholder_is_judged_once_and_falls_through_to_the_next_source(parses, judged):
    placeholder = (
        '<script type="application/ld+json">'
        '{"@type": "NewsArticle", "datePublished": "0001-01-01T00:00:00Z"}</script></head>'
    )
    html = (PAGES / "opengraph_time.html").read_text(encoding="utf-8")
    item = archived("opengraph_time", html=html.replace("</head>", placeholder, 1))
    record = item.record
    assert record.published_at == archived("opengraph_time").record.published_at
    assert record.field_sources["published"] != "json-ld"
    refused = [c for c in item.raw.candidates["published"] if c["source"] == "json-ld"]
    assert refused[0]["verdict"].startswith("rejected: implausible")
    assert parses["0001-01-01T00:00:00Z"] == 1
    assert sum(count for value, count in judged.items() if value.year == 1) == 1


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


LISTING = """<html><body><ul class="list">
<li><a href="/entry/asn-dituntut-disiplin-profesional-dan-bertanggung-jawab">ASN dituntut disiplin</a>
 <span class="date">12 February 2010 21:16</span></li>
<li><a href="/entry/lain">Berita lain</a> <span class="date">3 Maret 2011</span></li>
</ul></body></html>"""


def through_request_meta(hint):
    """Return HINT as a request's meta hands it to the entry's callback (Scrapy's disk queue pickles it)."""
    request = Request(SEED_URL, meta={meta.HINT_PUBLISHED: hint})
    kept = request_from_dict(pickle.loads(pickle.dumps(request.to_dict())))
    return kept.meta[meta.HINT_PUBLISHED]


def test_a_listing_date_that_wins_is_parsed_once_from_the_listing_to_validation(parses, judged):
    hint = page_links(LISTING, "https://tubankab.go.id/berita").dates[SEED_URL]
    item = archived("legacy_no_meta", hint=through_request_meta(hint))
    record = item.record
    assert record.field_sources["published"] == "listing"
    assert record.published_at == "2010-02-12T21:16:00+07:00"
    assert parses["12 February 2010 21:16"] == 1  # when the listing was read
    assert [v.isoformat() for v in judged.elements()].count("2010-02-12T21:16:00+07:00") == 1


def test_a_listing_date_kept_in_the_frontier_is_not_parsed_again(tmp_path, parses, judged):
    hint = page_links(LISTING, "https://tubankab.go.id/berita").dates[SEED_URL]
    store = ArchiveStore(tmp_path / "a.db").open()
    store.add_to_frontier(
        {SEED_URL: hint, "https://tubankab.go.id/entry/lama": "3 Maret 2011"}, "r1"
    )
    # A row stored before m009 keeps the text only: parsed once, when it is needed.
    store.db.execute("update frontier set hint_parsed = null where url like '%/lama'")
    frontier = store.frontier()
    store.close()
    record = archived("legacy_no_meta", hint=through_request_meta(frontier[SEED_URL])).record
    assert record.published_at == "2010-02-12T21:16:00+07:00"
    assert parses["12 February 2010 21:16"] == 1
    old = archived(
        "legacy_no_meta", hint=through_request_meta(frontier["https://tubankab.go.id/entry/lama"])
    )
    assert (
        old.record.published_at == "2011-03-03" and parses["3 Maret 2011"] == 2
    )  # listing, then once


def test_a_sitemap_lastmod_that_wins_is_parsed_once_from_the_sitemap_to_validation(parses, judged):
    pages, _ = sitemap_urls(
        f"<urlset><url><loc>{SEED_URL}</loc><lastmod>2019-03-02T10:00:00+07:00</lastmod></url></urlset>".encode()
    )
    # The seed without its dateline's date: plainly an article (a dateline, a credit), no date.
    html = (PAGES / "legacy_seed.html").read_text(encoding="utf-8")
    html = html.replace('<li><i class="icon-time"></i> 26 July 2017 13:24</li>', "")
    record = archived("legacy_seed", html=html, lastmod=pages[SEED_URL]).record
    assert (record.field_sources["published"], record.published_at) == (
        "sitemap",
        "2019-03-02T10:00:00+07:00",
    )
    assert parses["2019-03-02T10:00:00+07:00"] == 1
    assert [v.isoformat() for v in judged.elements()].count("2019-03-02T10:00:00+07:00") == 1


def page_candidates(page=None):
    """Return the page's date proposals ranked as extraction hands them on (PAGE, the layout's, parsed once)."""
    raw = ExtractedEntry(url=SEED_URL)
    combine(raw, "published", [("legacy", page)])
    return raw.published_ranked


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
    published = choose_published(page_candidates(page), hint, lastmod, shaped)
    value, source, reason = expected
    assert (published.parsed.isoformat() if published.parsed else None, published.source) == (
        value,
        source,
    )
    assert (published.reason is None) == (reason is None)
    assert reason is None or reason in published.reason
