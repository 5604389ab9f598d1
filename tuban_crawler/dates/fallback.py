"""The dateparser fallback for the long tail, checked for parts it invented.

A reading without a written day and month is refused; a year-less one takes the year nearest
the reference, as in the grammar.
"""

from __future__ import annotations

import datetime
import functools
import logging
from typing import TYPE_CHECKING

from tuban_crawler.dates.days import MAX_YEAR, MIN_YEAR, _date_of, _reference_day
from tuban_crawler.dates.results import ParsedDate, _as_date, _as_datetime, _failure

if TYPE_CHECKING:
    from dateparser.date import DateDataParser

logger = logging.getLogger(__name__)

# dateparser fills what the text leaves out from RELATIVE_BASE: a base no real date can be near
# makes every filled-in year visible (relative phrases land near year 1000 and are refused).
_SENTINEL_BASE = datetime.datetime(1000, 6, 15, 12, 0)


@functools.lru_cache(maxsize=1)
def _dateparser() -> DateDataParser:
    """Return the one configured dateparser parser (imported lazily: it is slow to load)."""
    from dateparser.date import DateDataParser

    return DateDataParser(
        languages=["id", "en"],
        settings={
            "DATE_ORDER": "DMY",  # Indonesian pages write day first: 06/01/2020 is 6 January
            "PREFER_DATES_FROM": "current_period",
            "RELATIVE_BASE": _SENTINEL_BASE,
            "REQUIRE_PARTS": ["day", "month"],
            "RETURN_AS_TIMEZONE_AWARE": True,
            "TIMEZONE": "+0700",  # no zone written means WIB, whatever the machine's zone
            # Our grammar owns relative phrases; epoch numbers are never dates on a page.
            "PARSERS": ["custom-formats", "absolute-time"],
        },
    )


def _parse_dateparser(s: str, reference: datetime.date | datetime.datetime | None) -> ParsedDate:
    """Return dateparser's reading of S, refused when it invented a part the text does not write."""
    # No warnings filter here (it would be process-global state): the configuration above keeps
    # dateparser off its warning paths (an explicit TIMEZONE means no local-zone lookup), and
    # the tests run this path with warnings as errors.
    try:
        data = _dateparser().get_date_data(s)
    except (ValueError, OverflowError, TypeError) as error:
        return _failure(f"not a date expression ({error.__class__.__name__})", "dateparser")
    value: datetime.datetime | None = data.date_obj
    parts = tuple(getattr(data, "parts", ()) or ())
    if value is None or "day" not in parts or "month" not in parts:
        return _failure("not a date expression", "dateparser")
    if "year" not in parts:
        ref_day = _reference_day(reference) if reference is not None else None
        resolved = _date_of(value.day, value.month, None, ref_day)
        if isinstance(resolved, str):
            return _failure(resolved, "dateparser")
        value = value.replace(year=resolved.year)
    elif not MIN_YEAR <= value.year <= MAX_YEAR:
        return _failure(f"year {value.year} out of range", "dateparser")
    if "time" in parts:
        return _as_datetime(value, "dateparser")
    return _as_date(value.date(), "dateparser")
