"""Tests for the tuban spider's callbacks, on saved and constructed responses (no network, no crawl)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from tuban_crawler import settings as project
from tuban_crawler.crawl import meta
from tuban_crawler.crawl.spiders.tuban import TubanSpider
from tuban_crawler.items import (
    ArticleItem,
    DiscoveredEntries,
    EntryGone,
    EntryNotModified,
    FetchFailure,
)

PAGES = Path(__file__).with_name("pages")
BASE = "https://tubankab.go.id"
SAVED_ENTRY = f"{BASE}/entry/wabup-tuban-pantau-normalisasi-sungai-di-kecamatan-tuban-bersama-bpbd"
LISTING = b"""<html><body><main><ul>
<li><a href="/entry/satu">Satu</a> <span class="date">Rabu, 26 Juli 2017 - 13:24 WIB</span></li>
<li><a href="/entry/dua">Dua</a> <span class="date">Kamis, 27 Juli 2017 - 10:00 WIB</span></li>
<li><a href="/entry/tiga">Tiga</a> <span class="date">Jumat, 28 Juli 2017 - 09:00 WIB</span></li>
</ul><a rel="next" href="/berita?page=2">Selanjutnya</a></main></body></html>"""
DATELESS = b"""<html><head><title>Satu</title></head><body><article><h1>Satu</h1>
<div class="content"><p>Isi halaman yang cukup panjang untuk dibaca sebagai badan artikel.</p>
<p>Paragraf kedua.</p></div></article></body></html>"""


@pytest.fixture
def spider() -> TubanSpider:
    settings = {name: value for name, value in vars(project).items() if name.isupper()}
    settings["TWISTED_REACTOR"] = None  # no crawl runs: whichever reactor is installed will do
    crawler = get_crawler(TubanSpider, settings)
    spider = TubanSpider.from_crawler(crawler)
    crawler.spider = spider
    spider.mode = "backfill"
    return spider


def entry_response(spider: TubanSpider, url: str, body: bytes = b"", **options: Any) -> Response:
    request = spider.entry_request(url, force=True)
    assert request is not None
    return HtmlResponse(request.url, body=body, request=request, encoding="utf-8", **options)


def listing_response(spider: TubanSpider, url: str = f"{BASE}/berita") -> Response:
    request = spider.page_request(url, spider.parse_listing)
    return HtmlResponse(url, body=LISTING, request=request, encoding="utf-8")


def test_an_entry_page_yields_its_article_then_requests_for_the_entries_it_links(
    spider: TubanSpider,
) -> None:
    outputs = list(
        spider.parse_entry(
            entry_response(spider, SAVED_ENTRY, (PAGES / "current_plain.html").read_bytes())
        )
    )
    article = outputs[0]
    assert isinstance(article, ArticleItem)
    assert article.url == SAVED_ENTRY
    assert (
        article.raw.title == "Wabup Tuban Pantau Normalisasi Sungai di Kecamatan Tuban Bersama BPBD"
    )
    assert article.fetch["status"] == 200 and article.fetch["requested_as"] == SAVED_ENTRY
    assert isinstance(outputs[1], DiscoveredEntries)
    requests = [o for o in outputs if isinstance(o, Request)]
    assert requests and all(r.meta[meta.KIND] == "entry" for r in requests)
    assert {r.meta[meta.CANONICAL_URL] for r in requests} == set(outputs[1].entries)


def test_a_listing_yields_its_entries_with_their_dates_and_its_next_page(
    spider: TubanSpider,
) -> None:
    outputs = list(spider.parse_listing(listing_response(spider)))
    announced = next(o for o in outputs if isinstance(o, DiscoveredEntries))
    assert announced.entries[f"{BASE}/entry/satu"] == "Rabu, 26 Juli 2017 - 13:24 WIB"
    requests = [o for o in outputs if isinstance(o, Request)]
    entries = [r.url for r in requests if r.meta[meta.KIND] == "entry"]
    pages = [r for r in requests if r.meta[meta.KIND] == "listing"]
    assert entries == [f"{BASE}/entry/{slug}" for slug in ("satu", "dua", "tiga")]
    assert [r.url for r in pages] == [f"{BASE}/berita?page=2"]
    assert pages[0].meta[meta.HUB] == f"{BASE}/berita"  # pagination stays in its chain


def test_an_entry_without_a_date_is_held_until_a_listing_dates_it(spider: TubanSpider) -> None:
    assert list(spider.parse_entry(entry_response(spider, f"{BASE}/entry/satu", DATELESS))) == []
    outputs = list(spider.parse_listing(listing_response(spider)))
    released = [o for o in outputs if isinstance(o, ArticleItem)]
    assert [(a.url, a.hint_published) for a in released] == [
        (f"{BASE}/entry/satu", "Rabu, 26 Juli 2017 - 13:24 WIB")
    ]
    # Already fetched: the listing does not ask for it again.
    assert f"{BASE}/entry/satu" not in [o.url for o in outputs if isinstance(o, Request)]


def test_a_held_entry_is_flushed_when_the_crawl_runs_out_of_work(spider: TubanSpider) -> None:
    assert list(spider.parse_entry(entry_response(spider, f"{BASE}/entry/empat", DATELESS))) == []
    spider.weak_hints[f"{BASE}/entry/empat"] = "2017-07-26"
    flushed = list(spider.flush_deferred())
    assert [(a.url, a.hint_published, a.hint_modified) for a in flushed] == [
        (f"{BASE}/entry/empat", None, "2017-07-26")
    ]
    assert not spider.dates


@pytest.mark.parametrize(
    ("status", "archived", "expected"),
    [
        (304, True, EntryNotModified),
        (404, True, EntryGone),
        (410, False, FetchFailure),
    ],
)
def test_an_entry_status_says_what_became_of_it(
    spider: TubanSpider, status: int, archived: bool, expected: type
) -> None:
    url = f"{BASE}/entry/lima"
    if archived:
        spider.archived.known.add(url)
    (output,) = spider.parse_entry(entry_response(spider, url, status=status))
    assert isinstance(output, expected)


def test_an_entry_redirecting_to_itself_is_a_recorded_loop(spider: TubanSpider) -> None:
    url = f"{BASE}/entry/enam"
    response = entry_response(spider, url, status=301, headers={"Location": url})
    (failure,) = spider.parse_entry(response)
    assert isinstance(failure, FetchFailure)
    assert failure.reason == f"redirect loop: {url} -> {url}"


def test_an_entry_redirecting_to_its_alias_is_fetched_there_under_its_own_url(
    spider: TubanSpider,
) -> None:
    url = f"{BASE}/entry/tujuh"
    alias = "http://www.tubankab.go.id/entry/tujuh"
    (request,) = spider.parse_entry(
        entry_response(spider, url, status=301, headers={"Location": alias})
    )
    assert (request.url, request.meta[meta.CANONICAL_URL]) == (alias, url)
    assert request.meta[meta.REDIRECT_CHAIN] == [url]


def failed(request: Request, error: Exception) -> Failure:
    failure = Failure(error)
    failure.request = request  # type: ignore[attr-defined]
    return failure


@pytest.mark.parametrize(
    ("optional", "error", "reason"),
    [
        # An entry that answered 503 after its retries: recorded.
        (False, "503", "HTTP 503"),
        # A guessed page (a feed path) that is missing: no failure.
        (True, "404", None),
        # robots.txt refused it: the refusal is the reason.
        (False, IgnoreRequest("disallowed by robots.txt: /x"), "disallowed by robots.txt: /x"),
        # A redirect loop is recorded even for a guessed page.
        (True, IgnoreRequest("redirect loop: a -> b -> a"), "redirect loop: a -> b -> a"),
        # A dropped connection: its type and message.
        (False, ConnectionError("reset"), "ConnectionError: reset"),
    ],
)
def test_a_failed_request_is_classified(
    spider: TubanSpider, optional: bool, error: Any, reason: str | None
) -> None:
    request = spider.page_request(f"{BASE}/rss", spider.parse_feed, optional=optional)
    if isinstance(error, str):
        error = HttpError(HtmlResponse(request.url, status=int(error), request=request))
    outputs = list(spider.on_error(failed(request, error)))
    assert [o.reason for o in outputs] == ([reason] if reason else [])
    assert all(o.url == f"{BASE}/rss" for o in outputs)


def test_a_page_tried_as_a_listing_is_no_failure(spider: TubanSpider) -> None:
    request = spider.page_request(f"{BASE}/kategori/x", spider.parse_listing)
    request.meta[meta.PROBE] = True
    error = HttpError(HtmlResponse(request.url, status=500, request=request))
    assert list(spider.on_error(failed(request, error))) == []
    assert spider.crawler.stats.get_value("tuban/probes_failed") == 1


def test_an_entrys_failure_is_marked_as_an_entrys_and_a_listings_is_not(
    spider: TubanSpider,
) -> None:
    # The run's failed share counts entries only (issue 18): a listing that failed is no article lost.
    entry = spider.entry_request(f"{BASE}/entry/delapan", force=True)
    listing = spider.page_request(f"{BASE}/berita?page=9", spider.parse_listing)
    assert entry is not None
    verdicts = [
        next(
            iter(spider.on_error(failed(r, HttpError(HtmlResponse(r.url, status=503, request=r)))))
        )
        for r in (entry, listing)
    ]
    assert [v.entry for v in verdicts] == [True, False]
    (gone,) = spider.parse_entry(entry_response(spider, f"{BASE}/entry/sembilan", status=410))
    assert isinstance(gone, FetchFailure) and gone.entry
