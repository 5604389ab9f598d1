"""``scrapy crawl``: Scrapy's command, storing into the archive."""

from __future__ import annotations

from typing import Any, ClassVar

from scrapy.commands import crawl


class Command(crawl.Command):
    """Scrapy's ``crawl``, with the archive's store and WARC capture switched on."""

    default_settings: ClassVar[dict[str, Any]] = {
        **crawl.Command.default_settings,
        "TUBAN_WRITE_ARCHIVE": True,
    }
