"""The normalise and validate steps, on items built from saved pages."""

import pytest

from tests.conftest import PAGES
from tuban_crawler.crawl.pipelines import NormalizePipeline, ValidatePipeline
from tuban_crawler.extract import extract_entry
from tuban_crawler.items import ArticleItem, DiscoveredEntries, FetchFailure

SEED_URL = "https://tubankab.go.id/entry/asn-dituntut-disiplin-profesional-dan-bertanggung-jawab"


def normalised_and_validated(item):
    """Return ITEM after the normalise and validate steps (which judges its date)."""
    return ValidatePipeline().process_item(NormalizePipeline().process_item(item))


def item_from(name, url=SEED_URL, hint=None):
    raw = extract_entry((PAGES / f"{name}.html").read_text(encoding="utf-8"), url)
    item = ArticleItem(
        url=url,
        fetch={"fetched_url": url, "fetched_at": "2026-11-28T00:00:00+00:00", "status": 200},
        raw=raw,
        hint_published=hint,
    )
    # The date is the validate step's: an item is read once both steps took it.
    return normalised_and_validated(item)


def test_the_seed_normalises_exactly():
    record = item_from("legacy_seed").record
    assert record["title"] == "ASN DITUNTUT DISIPLIN, PROFESIONAL DAN BERTANGGUNG JAWAB"
    assert record["published_at"] == "2017-07-26T13:24:00+07:00"
    assert (record["published_year"], record["published_month"], record["published_precision"]) == (
        2017,
        "2017-07",
        "datetime",
    )
    assert (record["author"], record["categories"], record["views"]) == (
        "Yolency",
        ["Kegiatan Pemerintahan"],
        628,
    )
    assert (record["dateline"], record["credit"], record["kind"]) == (
        "Tubankab",
        "chusnul huda/hei",
        "article",
    )
    paragraphs = record["body_text"].split("\n\n")
    assert len(paragraphs) == 8
    assert paragraphs[0].startswith("Demi meningkatkan budaya kinerja")
    assert paragraphs[-1].endswith("dalam melaksanakan tugas sehari-hari.")
    assert record["field_sources"]["published"] == "legacy"


def test_the_seed_mentions_its_two_dates():
    mentioned = {m["mentioned_date"] for m in item_from("legacy_seed").mentioned}
    assert {"2017-07-26", "2017-07-28"} <= mentioned


@pytest.mark.parametrize(
    "name, credit",
    [
        ("bullet_meta", "chusnul huda/hei"),
        ("jsonld_only", "rah"),
        ("opengraph_time", "nanang wibowo/hei"),
    ],
)
def test_dateline_and_credit_leave_the_body(name, credit):
    record = item_from(name).record
    assert (record["dateline"], record["credit"]) == ("Tubankab", credit)
    assert not record["body_text"].startswith("Tubankab")
    assert f"({record['credit']})" not in record["body_text"]


def test_an_evergreen_page_is_a_page_without_a_date():
    record = item_from("evergreen_page").record
    assert (record["kind"], record["published_at"], record["date_reason"]) == (
        "page",
        None,
        "no date on the page",
    )


def test_a_page_without_metadata_takes_the_listing_date_and_says_so():
    record = item_from("legacy_no_meta", hint="12 February 2010 21:16").record
    assert record["published_at"] == "2010-02-12T21:16:00+07:00"
    assert record["field_sources"]["published"] == "listing"
    assert item_from("legacy_no_meta").record["published_at"] is None


def test_iso_dates_from_meta_tags_keep_their_offset():
    assert item_from("jsonld_only").record["published_at"] == "2021-01-04T09:15:00+07:00"


def test_hostile_html_is_sanitised_before_it_is_stored():
    record = item_from("opengraph_time").record
    assert "<script" not in record["body_html"] and "alert" not in record["body_html"]


def test_content_hash_ignores_the_view_counter():
    a = item_from("legacy_seed").record
    raw = extract_entry(
        (PAGES / "legacy_seed.html").read_text(encoding="utf-8").replace("> 628<", "> 700<"),
        SEED_URL,
    )
    b = normalised_and_validated(ArticleItem(url=SEED_URL, fetch={}, raw=raw)).record
    assert b["views"] == 700 and a["content_hash"] == b["content_hash"]


def test_an_unreadable_page_becomes_a_recorded_failure_not_a_silent_drop():
    item = NormalizePipeline().process_item(
        ArticleItem(
            url=SEED_URL,
            fetch={"status": 200, "fetched_at": "t"},
            raw=extract_entry("<html></html>", SEED_URL),
        )
    )
    result = ValidatePipeline().process_item(item)
    assert isinstance(result, FetchFailure)
    assert "no title" in result.reason and result.url == SEED_URL


def test_other_items_pass_through():
    discovered = DiscoveredEntries({SEED_URL: None})
    assert (
        ValidatePipeline().process_item(NormalizePipeline().process_item(discovered)) is discovered
    )


@pytest.mark.parametrize(
    "written, reason",
    [
        ("26 July 1017 13:24", "outside the portal's lifetime"),
        ("26 July 2099 13:24", "outside the portal's lifetime"),
        ("31 February 2020 13:24", None),  # impossible: the date parser's own reason
    ],
)
def test_a_date_that_cannot_be_a_publication_date_is_not_stored(written, reason):
    html = (
        (PAGES / "legacy_seed.html")
        .read_text(encoding="utf-8")
        .replace("26 July 2017 13:24", written)
    )
    raw = extract_entry(html, SEED_URL)
    record = normalised_and_validated(ArticleItem(url=SEED_URL, fetch={}, raw=raw)).record
    assert record["published_at"] is None and record["published_raw"] == written
    assert record["date_reason"] and (reason is None or reason in record["date_reason"])


@pytest.mark.parametrize(
    "page_date, hint, published_at, source",
    [
        # a relative date on the page gives way to the listing's absolute one
        ("2 hari yang lalu", "12 April 2019 10:00", "2019-04-12T10:00:00+07:00", "listing"),
        # month names the same in English and Indonesian, in a hint
        (None, "3 September 2019", "2019-09-03", "listing"),
        (None, "Senin, 11 November 2019 - 08:15 WIB", "2019-11-11T08:15:00+07:00", "listing"),
        # an absolute date on the page stays
        ("26 July 2017 13:24", "12 April 2019 10:00", "2017-07-26T13:24:00+07:00", "legacy"),
    ],
)
def test_the_listings_date_beats_a_relative_one_on_the_page(page_date, hint, published_at, source):
    html = (PAGES / "legacy_seed.html").read_text(encoding="utf-8")
    html = (
        html.replace("26 July 2017 13:24", page_date)
        if page_date
        else html.replace('<li><i class="icon-time"></i> 26 July 2017 13:24</li>', "")
    )
    raw = extract_entry(html, SEED_URL)
    record = normalised_and_validated(
        ArticleItem(url=SEED_URL, fetch={}, raw=raw, hint_published=hint)
    ).record
    assert (record["published_at"], record["field_sources"]["published"]) == (published_at, source)


def test_drifted_selectors_are_counted_for_the_run_report():
    from scrapy.utils.test import get_crawler

    from tuban_crawler.store.report import RunReport

    html = (PAGES / "legacy_seed.html").read_text(encoding="utf-8")
    html = html.replace(
        '<div class="post-content">', '<div class="post-content"></div><div class="isi">', 1
    )
    stats = get_crawler().stats
    for page in (html, (PAGES / "legacy_seed.html").read_text(encoding="utf-8")):
        item = NormalizePipeline().process_item(
            ArticleItem(url=SEED_URL, fetch={}, raw=extract_entry(page, SEED_URL))
        )
        ValidatePipeline(stats).process_item(item)
    assert stats.get_value("extract/selectors_drifted") == 1
    _, _, report = RunReport().summarise(stats.get_stats(), frontier=0)
    assert report["selectors_drifted"] == 1
