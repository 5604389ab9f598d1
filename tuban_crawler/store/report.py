"""The report of one run: counts, field coverage, and whether the run looks broken.

A nightly crawl is looked at only when something is wrong, so a run that discovered
nothing, or whose articles mostly lack a title or a date (the usual sign that the site's
layout changed), is reported as ``broken`` and the command exits non-zero.

Coverage of the pages found is not enough (issue 8): a run is also compared with what the
site announces and with the archive's history (``history_problems``), so that one which
lost most listings or every view count is broken too, with what was lost in words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tuban_crawler import settings as defaults
from tuban_crawler.normalize.columns import (
    ARTICLE_ONLY_FIELDS,
    COVERAGE_FIELDS,
    EXTRA_ARTICLE_FIELDS,
    HISTORY_FIELDS,
)
from tuban_crawler.normalize.record import Article
from tuban_crawler.store.sitereport import site_reports, site_stat

if TYPE_CHECKING:  # the store imports no Scrapy: a crawl hands its settings in
    from scrapy.settings import BaseSettings

#: Below this many pages (or articles, for dates) seen, coverage says too little to call a run broken;
#: below FULL_COVERAGE_SAMPLE, only a field missing from every page does (a night of five
#: new articles after a layout change), not a few unlucky ones.
MIN_COVERAGE_SAMPLE = 5
#: The stat of the articles a run archived whose text other URLs share (``sametext.shared_in_run``).
SHARED_TEXT_STAT = "archive/shared_text"
#: The regency's hosts the run saw links to and does not archive (``discover.leftout.LeftOut.report``).
LEFT_OUT_STAT = "tuban/left_out"
FULL_COVERAGE_SAMPLE = 20


def falls_short(coverage: float | None, sample: int, threshold: float) -> bool:
    """Return True when COVERAGE over SAMPLE pages is low enough to call the run broken.

    >>> falls_short(0.5, 100, 0.8), falls_short(0.5, 10, 0.8), falls_short(0.0, 10, 0.8), falls_short(0.0, 3, 0.8)
    (True, False, True, False)
    """
    if coverage is None or sample < MIN_COVERAGE_SAMPLE or coverage >= threshold:
        return False
    return sample >= FULL_COVERAGE_SAMPLE or coverage == 0


#: Each threshold's setting: its value in ``settings.py`` is the threshold's default.
THRESHOLD_SETTINGS = {
    "min_title_coverage": "TUBAN_MIN_TITLE_COVERAGE",
    "min_date_coverage": "TUBAN_MIN_DATE_COVERAGE",
    "min_body_coverage": "TUBAN_MIN_BODY_COVERAGE",
    "min_share_of_history": "TUBAN_MIN_SHARE_OF_HISTORY",
    "max_failed_share": "TUBAN_MAX_FAILED_SHARE",
}


@dataclass(frozen=True)
class RunReport:
    """Thresholds that decide when a run is broken, and how to summarise its stats."""

    min_title_coverage: float = defaults.TUBAN_MIN_TITLE_COVERAGE
    min_date_coverage: float = defaults.TUBAN_MIN_DATE_COVERAGE
    min_body_coverage: float = defaults.TUBAN_MIN_BODY_COVERAGE
    min_share_of_history: float = defaults.TUBAN_MIN_SHARE_OF_HISTORY
    max_failed_share: float = defaults.TUBAN_MAX_FAILED_SHARE

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> RunReport:
        """Return the report policy set by the ``TUBAN_MIN_*`` SETTINGS (those it lacks: the project's)."""
        return cls(
            **{
                field: settings.getfloat(name)
                for field, name in THRESHOLD_SETTINGS.items()
                if settings.get(name) is not None
            }
        )

    @staticmethod
    def count_fields(stats: Any, record: Article | dict[str, Any]) -> None:
        """Count in STATS which of the coverage fields RECORD has."""
        url = record.get("url") or ""
        stats.inc_value("coverage/seen")
        stats.inc_value(site_stat(url, "coverage/seen"))  # and per site (store.sitereport)
        is_article = record.get("kind") == "article"
        if is_article:
            stats.inc_value("coverage/articles")
            stats.inc_value(site_stat(url, "coverage/articles"))
        for name, column in COVERAGE_FIELDS.items():
            if record.get(column) and (is_article or name not in ARTICLE_ONLY_FIELDS):
                stats.inc_value(f"coverage/{name}")
                stats.inc_value(site_stat(url, f"coverage/{name}"))
        for name, column in EXTRA_ARTICLE_FIELDS.items():
            if is_article and record.get(column) not in (None, [], ""):
                stats.inc_value(f"coverage/{name}")

    def summarise(
        self, stats: dict[str, Any], frontier: int, history: dict[str, Any] | None = None
    ) -> tuple[str, dict[str, Any], dict[str, Any]]:
        """Return (status, crawl_runs counts, report) for a run whose Scrapy stats are STATS.

        Parameters:
            stats: the crawler's stats at close.
            frontier: entry URLs discovered and still not archived.
            history: what the archive held before the run: ``coverage`` (ArchiveStore.field_coverage)
                and ``last_walk`` (the last complete walk), for ``history_problems``.
        """
        seen = stats.get("coverage/seen", 0)
        articles = stats.get("coverage/articles", 0)
        coverage = {}
        for name in COVERAGE_FIELDS:
            base = articles if name in ARTICLE_ONLY_FIELDS else seen
            coverage[name] = round(stats.get(f"coverage/{name}", 0) / base, 4) if base else None
        counts = {
            "requests": stats.get("downloader/request_count", 0),
            "new": stats.get("archive/new", 0),
            "updated": stats.get("archive/updated", 0),
            "unchanged": stats.get("archive/unchanged", 0),
            "failed": stats.get("archive/failed", 0)
            + stats.get("archive/kept", 0)
            + stats.get("archive/rejected", 0),
            "gone": stats.get("archive/gone", 0),
            **{f"coverage_{name}": value for name, value in coverage.items()},
        }
        if stats.get("tuban/mode"):
            counts["mode"] = stats["tuban/mode"]
        problems = []
        if stats.get("robotstxt/unavailable", 0):
            problems.append(
                f"robots.txt could not be read: {stats['robotstxt/unavailable']} requests not made (RFC 9309)"
            )
        if stats.get("archive/write_errors", 0):
            problems.append(
                f"{stats['archive/write_errors']} items could not be written to the archive (the log says why)"
            )
        if not stats.get("tuban/entries_discovered", 0):
            problems.append(
                "no article was discovered (are the start paths, sitemap and feeds still right?)"
            )
        checks = [
            ("title", "pages", "a title", seen, self.min_title_coverage),
            ("body", "pages", "a body", seen, self.min_body_coverage),
            ("published", "articles", "a date", articles, self.min_date_coverage),
        ]
        for name, things, what, sample, threshold in checks:
            if falls_short(coverage[name], sample, threshold):
                problems.append(
                    f"only {coverage[name]:.0%} of {things} had {what} (has the layout changed?)"
                )
        failed_share = too_many_failed(stats, self.max_failed_share)
        if failed_share:
            problems.append(failed_share)
        finish_reason = stats.get("finish_reason", "")
        interrupted = finish_reason not in ("finished", "")
        halted = stats.get("tuban/halted")
        if halted:
            problems.insert(0, f"stopped at once: the archive can't be written ({halted})")
        elif frontier and not interrupted:
            # Every discovered entry ends archived or listed in failures; one that is neither was lost.
            problems.append(
                f"{frontier} discovered entries were neither archived nor recorded as failed"
            )
        mode = stats.get("tuban/mode")
        extra = {}
        for name in EXTRA_ARTICLE_FIELDS:
            extra[f"coverage_{name}"] = (
                round(stats.get(f"coverage/{name}", 0) / articles, 4) if articles else None
            )
        problems += history_problems(
            stats,
            {**coverage, **{k[9:]: v for k, v in extra.items()}},
            articles,
            history or {},
            self.min_share_of_history,
            interrupted,
        )
        sites = site_reports(
            stats,
            history or {},
            {name: getattr(self, name) for name in THRESHOLD_SETTINGS},
            interrupted,
        )
        if len(sites) > 1:  # one site's is the run's: its problems are said above
            problems += [f"site {site}: {p}" for site, r in sites.items() for p in r["problems"]]
        status = (
            "failed" if halted else "broken" if problems else "interrupted" if interrupted else "ok"
        )
        report = {
            **counts,
            **extra,
            "mode": mode,
            "finish_reason": finish_reason,
            "entries_discovered": stats.get("tuban/entries_discovered", 0),
            "not_modified": stats.get("archive/not-modified", 0),
            "kept_better_copy": stats.get("archive/kept", 0),
            "rejected_error_pages": stats.get("archive/rejected", 0),
            "entries_failed": stats.get("archive/entries_failed", 0),
            # Archived articles whose text other URLs share (linked by same_text_as, issue 18).
            "shared_text": stats.get(SHARED_TEXT_STAT, 0),
            # Pages the portal's layout claimed but read differently from the generic layer.
            "selectors_drifted": stats.get("extract/selectors_drifted", 0),
            "frontier_left": frontier,
            "responses_by_status": {
                key.rsplit("/", 1)[-1]: value
                for key, value in stats.items()
                if key.startswith("downloader/response_status_count/")
            },
            "problems": problems,
            "walk": {
                key[len("tuban/walk/") :]: value
                for key, value in stats.items()
                if key.startswith("tuban/walk/")
            },
            "links_malformed": stats.get("tuban/links_malformed", 0),
            # What the frontier's caps cut (budget.py): by cap, and the URL shapes cut most.
            "cut": {
                key[len("tuban/cut/") :]: value
                for key, value in stats.items()
                if key.startswith("tuban/cut/")
            },
            "cut_shapes": stats.get("tuban/cut_shapes", {}),
            # The regency's hosts linked and not archived: {"hosts": {origin: links}, "more_links"}.
            "left_out": stats.get(LEFT_OUT_STAT) or {"hosts": {}, "more_links": 0},
            "backfill_complete": status == "ok" and mode in ("backfill", "full") and frontier == 0,
            # Each site's figures and problems (store.sitereport), for the report's line per site.
            "sites": sites,
        }
        return status, counts, report


def too_many_failed(stats: dict[str, Any], max_share: float) -> str | None:
    """Return, in words, that more than MAX_SHARE of the entries a run fetched were refused or failed; else None.

    STATS are the run's: entries archived (new, updated, unchanged), refused (a worse copy kept
    out: ``kept``, ``rejected``) and failed (``entries_failed``; a listing's failure is not an
    entry's). Below MIN_COVERAGE_SAMPLE entries the share says nothing; below
    FULL_COVERAGE_SAMPLE only all of them failing does.

    >>> too_many_failed({"archive/new": 2, "archive/rejected": 18}, 0.1)
    '18 of the 20 entries fetched were refused or failed (90%; at most 10% is ok): see failures and rejected_copies'
    >>> too_many_failed({"archive/new": 95, "archive/kept": 5}, 0.1), too_many_failed({"archive/new": 8, "archive/entries_failed": 2}, 0.1)
    (None, None)
    """
    failed = sum(stats.get(f"archive/{k}", 0) for k in ("kept", "rejected", "entries_failed"))
    fetched = failed + sum(stats.get(f"archive/{k}", 0) for k in ("new", "updated", "unchanged"))
    if fetched < MIN_COVERAGE_SAMPLE or failed <= max_share * fetched:
        return None
    if fetched < FULL_COVERAGE_SAMPLE and failed < fetched:
        return None
    return (
        f"{failed} of the {fetched} entries fetched were refused or failed ({failed / fetched:.0%};"
        f" at most {max_share:.0%} is ok): see failures and rejected_copies"
    )


def history_problems(
    stats: dict[str, Any],
    coverage: dict[str, float | None],
    articles: int,
    history: dict[str, Any],
    min_share: float,
    interrupted: bool,
) -> list[str]:
    """Return what a run lost compared with what the site announces and with the archive's history, in words.

    Parameters:
        stats: the crawler's stats at close (``tuban/walk/...`` from ``walk.Walk``).
        coverage: this run's share of articles (or pages) holding each field.
        articles: articles this run saw (the sample of the field coverage).
        history: ``coverage`` of the archive before the run, ``last_walk`` (the last complete walk).
        min_share: below this share of what was expected, a loss makes the run broken.
        interrupted: the run was cut short (a partial walk says nothing about the site).
    """
    problems = []
    announced = stats.get("tuban/walk/announced", 0)
    unreached = stats.get("tuban/walk/announced_unreached", 0)
    if (
        not interrupted
        and announced >= MIN_COVERAGE_SAMPLE
        and (announced - unreached) < min_share * announced
    ):
        problems.append(
            f"{unreached} of the {announced} entries the sitemaps and feeds list were never reached "
            "(are the listings and entry pages still reachable?)"
        )
    last = history.get("last_walk") or {}
    walked = stats.get("tuban/walk/listing_pages", 0)
    if (
        not interrupted
        and stats.get("tuban/mode") in ("backfill", "full")
        and last.get("listing_pages")
    ):
        if walked < min_share * last["listing_pages"]:
            problems.append(
                f"walked {walked} listing pages; the last full walk ({last.get('run_id')}) walked "
                f"{last['listing_pages']} (have the listings moved or stopped showing their articles?)"
            )
    for hub in stats.get("tuban/walk/lost_main_hubs") or []:
        pages = (last.get("hub_pages") or {}).get(hub)
        problems.append(
            f"the listing {hub} ({pages} pages in the last full walk) lists no articles now "
            "(has it moved or changed?)"
        )
    before = history.get("coverage") or {}
    for name, what in HISTORY_FIELDS.items():
        held, now = before.get(name), coverage.get(name)
        if held and held >= 0.5 and falls_short(now, articles, min_share * held):
            problems.append(
                f"only {now:.0%} of articles had {what}; the archive held {what} for {held:.0%} "
                "of its articles (has the layout changed?)"
            )
    return problems
