"""``scrapy crawl``: Scrapy's command, storing into the archive, with the archive's exit statuses."""

from __future__ import annotations

import argparse
from typing import Any, ClassVar

from scrapy.commands import crawl
from scrapy.crawler import Crawler

from tuban_crawler import ExitCode
from tuban_crawler.crawl.extensions.run_recorder import CLAIM_REFUSED_STAT, REFUSED_STAT
from tuban_crawler.crawl.runner import per_ip_as_per_address


def refused_status(crawler: Crawler) -> int | None:
    """Return the exit status of CRAWLER's run when it was refused at its start, else None."""
    if crawler.stats is None:
        return None
    if crawler.stats.get_value(REFUSED_STAT):
        return ExitCode.LOCKED
    if crawler.stats.get_value(CLAIM_REFUSED_STAT):
        return ExitCode.ERROR
    return None


class Command(crawl.Command):
    """Scrapy's ``crawl``, with the archive's store and WARC capture switched on.

    The archive's checks (one site per archive, one archive per WARC folder, one crawl at a
    time) run inside the crawl, in the run recorder, as for ``tuban-crawler crawl``; a run they
    refuse exits as ``tuban-crawler crawl`` would (1, or 75 for a busy archive), not 0.
    """

    default_settings: ClassVar[dict[str, Any]] = {
        **crawl.Command.default_settings,
        "TUBAN_WRITE_ARCHIVE": True,
    }

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        """Read the options, Scrapy's ``CONCURRENT_REQUESTS_PER_IP`` meaning slots per address (``runner.per_ip_as_per_address``)."""
        super().process_options(args, opts)
        if self.settings is not None:
            per_ip_as_per_address(self.settings)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        """Run the crawl, then exit with the status of a refused run, if it was."""
        process = self.crawler_process
        assert process is not None
        created: list[Crawler] = []
        create = process.create_crawler

        def keep(spidercls: Any) -> Crawler:
            crawler = create(spidercls)
            created.append(crawler)
            return crawler

        process.create_crawler = keep  # type: ignore[method-assign,assignment]
        super().run(args, opts)
        for crawler in created:
            status = refused_status(crawler)
            if status is not None:
                self.exitcode = status
