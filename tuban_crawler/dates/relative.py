"""Relative expressions, counted from the reference: `2 jam yang lalu`, `dalam 2 minggu`.

Seconds, minutes and hours need a reference time; days, weeks, months and years need only a
reference date, and months are calendar months.
"""

from __future__ import annotations

import calendar
import datetime
import logging
import re

from tuban_crawler.dates import vocab
from tuban_crawler.dates.days import _reference_day
from tuban_crawler.dates.numbers import number_from_words
from tuban_crawler.dates.results import ParsedDate, _as_datetime, _failure
from tuban_crawler.dates.times import _dated

logger = logging.getLogger(__name__)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    """Return DAY moved by MONTHS calendar months, clamped to the end of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last))


def _parse_relative(
    m: re.Match[str], low: str, reference: datetime.date | datetime.datetime
) -> ParsedDate:
    """Return the date or datetime that a relative expression (`2 jam yang lalu`) names."""
    if m["fu"]:
        count, unit, sign = m["fn"] or m["fnw"], m["fu"], 1
    else:
        count = "1" if m["se"] else (m["n"] or m["nw"])
        unit = m["u"]
        sign = -1 if m["dir"] in ("lalu", "silam", "ago") else 1
    if count in ("beberapa", "bbrp"):
        return _failure(f"vague relative expression: {m.group(0).strip()}", "relative")
    number = number_from_words(count)
    if number is None:
        return _failure(f"not a number: {count}", "relative")
    kind, size = vocab.RELATIVE_UNITS[unit]
    amount = sign * number * size
    if kind in ("seconds", "minutes", "hours"):
        if not isinstance(reference, datetime.datetime):
            return _failure("a relative time needs a reference time, not just a date", "relative")
        return _as_datetime(reference + datetime.timedelta(**{kind: amount}), "relative")
    day = _reference_day(reference)
    try:
        value = (
            day + datetime.timedelta(days=amount) if kind == "days" else _add_months(day, amount)
        )
    except (OverflowError, ValueError):
        return _failure(f"relative date out of range: {m.group(0).strip()}", "relative")
    return _dated(value, low, m.span(), "relative", [])
