"""The fixed machine formats, tried before anything else: the portal's own, ISO 8601 and RSS.

The portal's `26 July 2017 13:24` is the hot path (most strings of a crawl): it is matched on
the text as written, before any folding.
"""

from __future__ import annotations

import datetime
import logging
import re

from tuban_crawler.dates import patterns, vocab
from tuban_crawler.dates.results import ParsedDate, _failure
from tuban_crawler.dates.times import _offset
from tuban_crawler.dates.vocab import WIB, ZONES
from tuban_crawler.dates.weekdays import _Weekday, _weekday_warnings

logger = logging.getLogger(__name__)


def _parse_portal(m: re.Match[str]) -> ParsedDate:
    day, month, year, hour, minute = m.groups()
    try:
        # Positional arguments: this runs for most strings of a crawl.
        value = _DATETIME(
            int(year), _PORTAL_MONTHS[month], int(day), int(hour), int(minute), 0, 0, WIB
        )
    except ValueError:
        return _failure(f"impossible date: {m.group(0).strip()}")
    return ParsedDate(value, "datetime", None, (), "fast")


_DATETIME = datetime.datetime
_PORTAL_MONTHS = patterns.PORTAL_MONTHS
_PORTAL_FULLMATCH = patterns.PORTAL_RE.fullmatch


def _parse_iso(m: re.Match[str]) -> ParsedDate:
    year, month, day, hour, minute, second, frac, zone = m.groups()
    try:
        if hour is None:
            return ParsedDate(datetime.date(int(year), int(month), int(day)), "date", method="iso")
        if zone is None:
            tz: datetime.tzinfo = WIB
        elif zone == "z":
            tz = datetime.timezone.utc
        elif zone in ZONES:
            tz = ZONES[zone]
        else:
            tz = _offset(zone[0], zone[1:3], zone[-2:] if len(zone) > 3 else None)
        micro = int((frac or "0").ljust(6, "0")[:6])
        value = datetime.datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second or 0), micro, tz
        )
    except ValueError:
        return _failure(f"impossible date: {m.group(0).strip()}", "iso")
    return ParsedDate(value, "datetime", method="iso")


def _parse_rss(m: re.Match[str]) -> ParsedDate | None:
    weekday, day, month, year, hour, minute, second, zone = m.groups()
    month_number = vocab.MONTHS.get(month)
    weekday_number = vocab.WEEKDAY_ABBREVIATIONS.get(weekday) if weekday else None
    if month_number is None or (weekday and weekday_number is None):
        return None
    try:
        tz = vocab.ZONES.get("utc" if zone == "ut" else zone) or _offset(
            zone[0], zone[1:3], zone[3:]
        )
        value = datetime.datetime(
            int(year), month_number, int(day), int(hour), int(minute), int(second or 0), tzinfo=tz
        )
    except ValueError:
        return _failure(f"impossible date: {m.group(0).strip()}", "rss")
    warns = _weekday_warnings(value.date(), _Weekday(weekday_number, "day", "", None, 0, 0))
    return ParsedDate(value, "datetime", warnings=tuple(warns), method="rss")
