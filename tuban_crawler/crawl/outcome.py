"""A crawl's outcome: what its run recorded, read back from the archive and told in plain words.

``crawl.runner`` returns one after each crawl; the command line prints ``format_report``'s
lines and exits with its code (``ExitCode``, documented in the README's Exit statuses).
"""

from __future__ import annotations

import json
import shlex
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tuban_crawler import ExitCode
from tuban_crawler.normalize.columns import COVERAGE_WORDS
from tuban_crawler.store.archive import ArchiveStore

#: The exit status of a finished run, by the run's recorded status.
EXIT_BY_STATUS = {
    "ok": ExitCode.OK,
    "broken": ExitCode.BROKEN,
    "interrupted": ExitCode.INTERRUPTED,
    "failed": ExitCode.STORAGE,
}


@dataclass
class CrawlOutcome:
    """What a finished crawl reports: its status, exit code and report."""

    run_id: str
    status: str
    exit_code: ExitCode
    report: dict[str, Any] = field(default_factory=dict)
    message: str = ""
    db_path: str = ""  # the archive, for the commands the report suggests


def read_or_none(db_path: str | Path, run_id: str) -> CrawlOutcome | None:
    """Return the outcome of run RUN_ID, or None when the archive can't be read (a storage failure)."""
    try:
        return read_outcome(db_path, run_id)
    except (sqlite3.Error, OSError):
        return None


def read_outcome(db_path: str | Path, run_id: str) -> CrawlOutcome:
    """Return the outcome of run RUN_ID as recorded in the archive.

    A run still marked ``running`` was stopped at once (a second Ctrl-C, or a crash) before
    it could record its end: it is recorded as interrupted here, as the next run will see it.
    """
    if not Path(db_path).exists():
        return CrawlOutcome(
            run_id,
            "error",
            ExitCode.ERROR,
            message=f"the crawl did not start: {db_path} was not created",
        )
    with ArchiveStore(db_path).open() as store:
        rows = list(store.db.query("select * from crawl_runs where run_id = ?", [run_id]))
        if rows and rows[0]["status"] == "running":
            report = {
                "finish_reason": "stopped at once",
                "problems": ["stopped before it could record its counts"],
            }
            store.finish_run(run_id, "interrupted", {}, report)
            return CrawlOutcome(
                run_id,
                "interrupted",
                ExitCode.INTERRUPTED,
                report,
                message=(
                    f"run {run_id}: stopped at once, before it could record its counts; nothing archived is lost: "
                    f"run the same command again to finish the work"
                ),
            )
    if not rows:
        return CrawlOutcome(
            run_id,
            "error",
            ExitCode.ERROR,
            message="the crawl did not start (the messages above say why)",
        )
    row = rows[0]
    report = json.loads(row["report"] or "{}")
    return CrawlOutcome(
        run_id,
        row["status"],
        EXIT_BY_STATUS.get(row["status"], ExitCode.ERROR),
        report,
        db_path=str(db_path),
    )


#: What each mode means, for a person reading the summary.
MODE_WORDS = {
    "backfill": "a walk of the whole site (until one walk has finished, every run walks everything)",
    "full": "a walk of the whole site, re-fetching every article (--full)",
    "incremental": "new articles and recent ones only (incremental)",
}


def _n(value: Any) -> str:
    return f"{int(value or 0):,}"


def site_lines(sites: dict[str, dict[str, Any]]) -> list[str]:
    """Return the report's line per site of a run of several sites (issue 22); none for one site (the run's lines are its).

    >>> site_lines({"http://a:1": {"new": 3, "listing_pages": 2, "announced": 3, "problems": []},
    ...             "http://b:2": {"failed": 1, "problems": ["no article was discovered"]}})
    ['  site http://a:1: ok: 3 new, 0 updated, 0 unchanged, 0 failed; listing pages 2; sitemap and feed entries 3, not reached 0', '  site http://b:2: BROKEN (1 problem, below): 0 new, 0 updated, 0 unchanged, 1 failed; listing pages 0; sitemap and feed entries 0, not reached 0']
    """
    if len(sites) < 2:
        return []
    lines = []
    for site, f in sites.items():
        problems = len(f.get("problems") or [])
        verdict = (
            f"BROKEN ({problems} problem{'s' if problems > 1 else ''}, below)" if problems else "ok"
        )
        coverage = ", ".join(
            f"{COVERAGE_WORDS.get(name, name)} {value:.0%}"
            for name, value in (f.get("coverage") or {}).items()
            if value is not None
        )
        lines.append(
            f"  site {site}: {verdict}: {_n(f.get('new'))} new, {_n(f.get('updated'))} updated, "
            f"{_n(f.get('unchanged'))} unchanged, {_n(f.get('failed'))} failed; "
            f"listing pages {_n(f.get('listing_pages'))}; sitemap and feed entries "
            f"{_n(f.get('announced'))}, not reached {_n(f.get('unreached'))}"
            + (f"; pages with {coverage}" if coverage else "")
        )
    return lines


def format_report(outcome: CrawlOutcome) -> str:
    """Return the run report as the few lines, in plain words, that a person reads after a crawl."""
    if outcome.message:
        return outcome.message
    r = outcome.report
    finished = r.get("finish_reason") == "finished"
    verdict = {"ok": "ok", "broken": "BROKEN, needs a look", "interrupted": "interrupted"}.get(
        outcome.status, outcome.status
    )
    reached = sum(int(r.get(k) or 0) for k in ("new", "updated", "unchanged", "gone", "failed"))
    lines = [
        f"run {outcome.run_id}: {verdict}: {MODE_WORDS.get(str(r.get('mode')), r.get('mode'))}"
        + ("" if finished else f", stopped early ({r.get('finish_reason')})"),
        f"  {_n(r.get('new'))} new articles archived, {_n(r.get('updated'))} updated (earlier versions kept), "
        f"{_n(r.get('unchanged'))} unchanged, {_n(r.get('gone'))} gone from the site, {_n(r.get('failed'))} failed",
        f"  {_n(r.get('requests'))} requests; {_n(r.get('entries_discovered'))} links to articles seen, "
        f"{_n(max(int(r.get('entries_discovered') or 0) - reached, 0))} of them duplicates of those "
        f"(listings, categories, sitemap and feeds link the same articles)",
    ]
    coverage = {
        k[len("coverage_") :]: v
        for k, v in r.items()
        if k.startswith("coverage_") and v is not None
    }
    if coverage:
        lines.append(
            "  pages with "
            + ", ".join(
                f"{COVERAGE_WORDS.get(name, name)} {value:.0%}" for name, value in coverage.items()
            )
        )
    refused = r.get("kept_better_copy", 0) + r.get("rejected_error_pages", 0)
    if refused:
        lines.append(
            f"  {refused} fetched copies worse than the archive refused (see rejected_copies)"
        )
    if r.get("shared_text"):
        lines.append(
            f"  {_n(r['shared_text'])} articles archived share their text with other URLs"
            " (each archived, linked by same_text_as)"
        )
    walk = r.get("walk") or {}
    if walk.get("listing_pages") or walk.get("announced"):
        lines.append(
            f"  listing pages {walk.get('listing_pages', 0)} in {walk.get('hubs', 0)} listings; "
            f"sitemap and feed entries {walk.get('announced', 0)}, not reached "
            f"{walk.get('announced_unreached', 0)}"
            + (
                f"; malformed links skipped {r['links_malformed']}"
                if r.get("links_malformed")
                else ""
            )
        )
    lines += site_lines(r.get("sites") or {})
    if r.get("frontier_left"):
        lines.append(
            f"  {_n(r['frontier_left'])} articles found but not archived yet: the next run fetches them first"
        )
    if r.get("requests") and not r.get("responses_by_status"):
        # Not a layout change: nothing answered at all (the portal went down, or a proxy refused).
        lines.append(
            f"  the portal answered none of the {_n(r['requests'])} requests: is it up, and is the address right?"
        )
    if r.get("selectors_drifted"):
        lines.append(
            f"  selectors drifted on {r['selectors_drifted']} pages: the portal's layout and the generic"
            " reading disagree (compare with `tuban-crawler extract PAGE`)"
        )
    if r.get("cut"):
        cut = ", ".join(f"{cap} {count}" for cap, count in sorted(r["cut"].items()))
        lines.append(f"  cut by the crawl's caps (traps?): {cut}")
    lines += left_out_lines(r.get("left_out") or {}, outcome.db_path or "ARCHIVE")
    lines += [f"  problem: {p}" for p in r.get("problems", [])]
    return "\n".join(lines)


#: Left-out hosts named in the report's lines (the report JSON keeps up to ``leftout.MAX_HOSTS``).
LEFT_OUT_SHOWN = 5


def left_out_lines(left_out: dict[str, Any], db_path: str) -> list[str]:
    """Return the report's lines naming the regency's hosts linked and not archived, each with its command."""
    hosts = left_out.get("hosts") or {}
    lines = [
        f"  left out: {origin} ({_n(links)} links): add it with "
        f"`tuban-crawler sites add {origin} --db {shlex.quote(db_path)}`"
        for origin, links in list(hosts.items())[:LEFT_OUT_SHOWN]
    ]
    more = list(hosts.values())[LEFT_OUT_SHOWN:]
    if more:
        lines.append(
            f"  left out too: {len(more)} more of the regency's hosts ({_n(sum(more))} links),"
            " listed in the run's report (crawl_runs.report, left_out)"
        )
    if left_out.get("more_links"):
        lines.append(
            f"  left out too: {_n(left_out['more_links'])} links to hosts past the {len(hosts)}"
            " counted by name"
        )
    return lines
