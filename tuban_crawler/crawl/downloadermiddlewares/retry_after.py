"""Honour ``Retry-After`` on 429/503 by slowing the server's download slot for that long.

A downloader middleware, just before Scrapy's RetryMiddleware: the retry that follows does not
hammer a server that asked for a pause. Scrapy's RetryMiddleware ignores the header.

The slot is the request's (``download_slot``): with ``CONCURRENT_REQUESTS_PER_IP`` the one every
site on that address shares (``server_slot``), so a pause asked by one site holds them all
(issue 22). For the pause's length the slot waits exactly that long after the answer: no
jitter (Scrapy's ``DOWNLOAD_DELAY_JITTER`` would halve it at worst), counted from the answer,
not from when the request left, and AutoThrottle can't shorten it (a fast answer from another
request in flight would otherwise halve the delay); then the slot's own pace comes back.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response
from scrapy.utils.asyncio import call_later

logger = logging.getLogger(__name__)


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Return the wait a ``Retry-After`` header VALUE asks for, in seconds, or None.

    >>> retry_after_seconds("5"), retry_after_seconds("soon")
    (5.0, None)
    >>> retry_after_seconds("Sat, 28 Nov 2026 04:00:10 GMT", datetime(2026, 11, 28, 4, 0, tzinfo=timezone.utc))
    10.0
    """
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (moment - (now or datetime.now(timezone.utc))).total_seconds())


def jitter_of(slot: Any) -> float:
    """Return how much SLOT varies its delay (Scrapy 2.19's ``jitter``; before, ``randomize_delay``: +-50%)."""
    if hasattr(slot, "jitter"):
        return float(slot.jitter)
    return 0.5 if getattr(slot, "randomize_delay", False) else 0.0


def set_jitter(slot: Any, jitter: float) -> None:
    """Make SLOT vary its delay by JITTER (on Scrapy before 2.19: vary it or not)."""
    if hasattr(slot, "jitter"):
        slot.jitter = jitter
    else:
        slot.randomize_delay = bool(jitter)


@dataclass
class Pause:
    """A slot held back: until when, at which delay, and the pace to give it back."""

    until: float
    delay: float
    previous_delay: float
    previous_jitter: float


class RetryAfterMiddleware:
    """Slow a server's download slot down for as long as its ``Retry-After`` asks (capped)."""

    STATUSES = (429, 503)

    def __init__(self, crawler: Crawler, max_wait: float) -> None:
        self.crawler = crawler
        self.max_wait = max_wait
        self.pauses: dict[str, Pause] = {}  # slot key -> its pause
        # After AutoThrottle's own handler (extensions are connected first), so that it can't
        # shorten a pause.
        crawler.signals.connect(self.response_downloaded, signal=signals.response_downloaded)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        """Return the middleware, configured by ``TUBAN_RETRY_AFTER_MAX`` (0 switches it off)."""
        max_wait = crawler.settings.getfloat("TUBAN_RETRY_AFTER_MAX")
        if max_wait <= 0:
            raise NotConfigured("TUBAN_RETRY_AFTER_MAX is 0")
        return cls(crawler, max_wait)

    def response_downloaded(self, response: Response, request: Request, spider: Any = None) -> None:
        """Pause RESPONSE's slot when the server asked to wait; hold a paused slot's delay against AutoThrottle.

        Run as the answer arrives (``signals.response_downloaded``), before the downloader
        frees the slot and picks its next request: a pause set later, in ``process_response``,
        comes after that request may already have left.
        """
        key = request.meta.get("download_slot")
        downloader = self.crawler.engine.downloader if self.crawler.engine else None
        slot = downloader.slots.get(key) if downloader and key else None
        if slot is None or not key:
            return
        wait = self.asked_wait(response)
        pause = self.pauses.get(key)
        if wait is not None:
            self.pause(key, slot, wait, response.status)
        elif pause is not None:
            slot.delay = max(slot.delay, pause.delay)
            set_jitter(slot, 0.0)

    def asked_wait(self, response: Response) -> float | None:
        """Return the pause RESPONSE asks for, in seconds (capped), or None."""
        if response.status not in self.STATUSES:
            return None
        header = response.headers.get(b"Retry-After")
        wait = retry_after_seconds(header.decode("latin-1") if header else None)
        return None if wait is None else min(wait, self.max_wait)

    def pause(self, key: str, slot: Any, wait: float, status: int) -> None:
        """Hold SLOT (KEY) back WAIT seconds from now, unless it is held or paced longer already."""
        until = time.monotonic() + wait
        pause = self.pauses.get(key)
        if pause is not None and pause.until >= until:
            return
        if pause is None and slot.lastseen + slot.delay * (1 - jitter_of(slot)) >= until:
            return  # the slot is already slower than asked
        # Scrapy starts the next request DELAY after the last one left (slot.lastseen).
        delay = until - slot.lastseen
        self.pauses[key] = Pause(
            until,
            delay,
            pause.previous_delay if pause else slot.delay,
            pause.previous_jitter if pause else jitter_of(slot),
        )
        slot.delay = delay
        set_jitter(slot, 0.0)
        logger.info("%s asked to wait %.0f s (HTTP %d): slowing down", key, wait, status)
        self.crawler.stats.inc_value("tuban/retry_after_waits")
        call_later(wait, self._restore, key, slot)

    def _restore(self, slot_key: str, slot: Any) -> None:
        pause = self.pauses.get(slot_key)
        if pause is None or time.monotonic() < pause.until - 0.001:
            return  # a longer pause asked meanwhile: its own call ends it
        del self.pauses[slot_key]
        set_jitter(slot, pause.previous_jitter)
        # AutoThrottle may have raised the delay meanwhile: only undo our own change.
        if slot.delay == pause.delay:
            slot.delay = pause.previous_delay
