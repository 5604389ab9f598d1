"""Times of day and their zones in an expression, and a day combined with the time beside it.

`13:24`, `pukul 10.15 WIB`, `jam 8 malam`, `pukul setengah tiga`, `1:24 PM`; no zone written
means WIB.
"""

from __future__ import annotations

import datetime
import functools
import logging
import re
from typing import NamedTuple

from tuban_crawler.dates import patterns, vocab
from tuban_crawler.dates.numbers import number_from_words
from tuban_crawler.dates.results import ParsedDate, _as_date, _as_datetime, _failure
from tuban_crawler.dates.vocab import WIB

logger = logging.getLogger(__name__)


class _Time(NamedTuple):
    hour: int
    minute: int
    second: int
    microsecond: int
    tz: datetime.tzinfo
    warnings: tuple[str, ...]
    span: tuple[int, int]
    keyword: bool  # written with `pukul`/`jam`/`at` or am/pm: certainly a time


def _words_number(text: str | None) -> int | None:
    return None if text is None else number_from_words(text)


def _time_match(low: str, start: int, end: int) -> re.Match[str] | None:
    """Return the leftmost clock, spoken or am/pm time in LOW[START:END]."""
    clock = patterns.CLOCK_RE.search(low, start, end)
    if "pukul" in low or "jam" in low or "pkl" in low:
        spoken = patterns.search_word(patterns.SPOKEN_TIME_RE, low, start, end)
        if spoken is not None and (clock is None or spoken.start() < clock.start()):
            return spoken
    return clock


def _find_time(low: str, start: int = 0, end: int | None = None) -> _Time | str | None:
    """Return the first time in LOW[START:END] with its zone, a reason if impossible, or None."""
    m = _time_match(low, start, len(low) if end is None else end)
    if m is None:
        return None
    second = micro = 0
    ap = None
    keyword = True
    if m.re is patterns.SPOKEN_TIME_RE:
        half = _words_number(m["half"])
        if half is not None:
            hour, minute = half - 1, 30
        else:
            hour, minute = _words_number(m["sh"]) or 0, 0
            if m["plus"]:
                minute = _words_number(m["plus"]) or 0
            elif m["quarter"]:
                minute = 15
            elif m["minus"]:
                less = 15 if m["minus"] == "seperempat" else (_words_number(m["minus"]) or 0)
                hour, minute = (hour - 1) % 24, 60 - less
        if hour > 24 or minute > 59:
            return None  # `jam 30` is a duration (`2 jam 30 menit`), not a time
    else:
        hour = int(m["lead"] + (m["h2"] or ""))
        ap = m["ap"]
        minute, second = int(m["mi"] or 0), int(m["s"] or 0)
        if m["frac"]:
            micro = int(m["frac"].ljust(6, "0"))
        keyword = bool(ap) or bool(
            patterns.TIME_KEYWORD_BEFORE_RE.search(low, max(0, m.start() - 8), m.start())
        )
    warns: list[str] = []
    if ap:
        if hour > 12 or hour == 0:
            return f"impossible time: {m.group(0).strip()}"
        hour = hour % 12 + (12 if ap.startswith("p") else 0)
    else:
        # The part of the day right after the time (`pukul 8 malam`), else the first written.
        pod = patterns.search_word(patterns.POD_RE, low)
        if pod is not None and pod.start() < m.end():
            pod = patterns.search_word(patterns.POD_RE, low, m.end(), m.end() + 16) or pod
        if pod:
            part = " ".join(pod["pod"].split())
            if hour <= 12:
                hour = vocab.hour_for_part_of_day(hour, part)
            elif not vocab.part_of_day_agrees(hour, part):
                warns.append(f"part of day {part} contradicts {hour:02d}:{minute:02d}")
    if hour > 24 or (hour == 24 and (minute or second)):
        return f"impossible time: {m.group(0).strip()}"
    return _Time(
        hour, minute, second, micro, _find_zone(low, m.end()), tuple(warns), m.span(), keyword
    )


@functools.lru_cache(maxsize=64)
def _offset(sign: str, hours: str, minutes: str | None) -> datetime.tzinfo:
    delta = datetime.timedelta(hours=int(hours), minutes=int(minutes or 0))
    return datetime.timezone(-delta if sign == "-" else delta)


#: Every zone word holds one of these.
_ZONE_HINTS = tuple(
    dict.fromkeys(["wi", *(z for z in vocab.ZONES if len(z) == 3 and z[:2] != "wi")])
)


def _find_zone(low: str, after_time: int) -> datetime.tzinfo:
    """Return the zone written right after the time or anywhere in LOW; WIB when none is."""
    m = patterns.OFFSET_AFTER_RE.match(low, after_time)
    if m:
        return datetime.timezone.utc if m["zz"] else _offset(m["zs"], m["zh"], m["zm"])
    if not any(word in low for word in _ZONE_HINTS):  # the common case, quickly
        return WIB
    z = patterns.search_word(patterns.ZONE_RE, low)
    if z is None:
        return WIB
    if z["zs"]:
        return _offset(z["zs"], z["zh"], z["zm"])
    return vocab.ZONES[z["zn"]]


def _at_time(day: datetime.date, t: _Time) -> datetime.datetime:
    """Return DAY at time T; 24:00 is the midnight that ends DAY."""
    if t.hour == 24:
        return datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(0), t.tz)
    return datetime.datetime(
        day.year, day.month, day.day, t.hour, t.minute, t.second, t.microsecond, t.tz
    )


def _dated(
    day: datetime.date, low: str, span: tuple[int, int], method: str, warns: list[str]
) -> ParsedDate:
    """Return DAY as a date, or as a datetime when LOW also writes a time (outside SPAN)."""
    t = _find_time(low)
    if isinstance(t, _Time) and t.span[0] < span[1] and span[0] < t.span[1]:
        t = _find_time(low, span[1])
    if isinstance(t, str):
        return _failure(t, method)
    if t is None:
        return _as_date(day, method, warns)
    return _as_datetime(_at_time(day, t), method, [*warns, *t.warnings])
