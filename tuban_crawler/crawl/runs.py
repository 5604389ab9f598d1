"""The id of the current crawl run, shared by every component of one crawl."""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timezone
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

RUN_ID_STAT = "tuban/run_id"


def new_run_id(now: datetime | None = None) -> str:
    """Return a fresh run id: UTC time and a random suffix, e.g. ``20261128T040102Z-3fa2``.

    The suffix keeps apart two runs started in the same second.
    """
    moment = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    return f"{moment:%Y%m%dT%H%M%SZ}-{secrets.token_hex(2)}"


def current_run_id(crawler: Crawler) -> str:
    """Return the run id of CRAWLER's crawl: the ``RUN_ID`` setting, else one generated once.

    The id is kept in the crawl's stats (``tuban/run_id``), so that every
    component asking during one crawl gets the same id, and it shows in the final stats.
    """
    run_id = crawler.stats.get_value(RUN_ID_STAT)
    if run_id is None:
        run_id = str(crawler.settings.get("RUN_ID") or new_run_id())
        crawler.stats.set_value(RUN_ID_STAT, run_id)
        logger.info("Run id %s", run_id)
    return run_id
