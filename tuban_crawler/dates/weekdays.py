"""Weekday names in an expression: found, resolved against the reference, checked against a date.

A weekday may carry its Javanese market day (`Jumat Legi`) and a direction (`Senin lalu`,
`Rabu depan`); `Minggu` is Sunday, but `minggu` is also the week, told apart by the words
around it.
"""

from __future__ import annotations

import datetime
import logging
from typing import Literal, NamedTuple

from tuban_crawler.dates import patterns, vocab

logger = logging.getLogger(__name__)


class _Weekday(NamedTuple):
    weekday: int | None  # None: the word is "week" or ambiguous
    kind: Literal["day", "week", "ambiguous"]
    direction: Literal["", "past", "soon", "next"]
    pasaran: str | None
    start: int
    end: int


_WEEKDAY_NUMBERS = {**vocab.WEEKDAYS, **{k.replace("'", ""): v for k, v in vocab.WEEKDAYS.items()}}


def _weekday_number(word: str) -> int:
    """Return the number (Monday 0) of a full weekday name as folded (`jum'at`, `jumat`)."""
    number = _WEEKDAY_NUMBERS.get(word)
    return number if number is not None else _WEEKDAY_NUMBERS[word.replace("'", "")]


def _find_weekday(s: str, low: str, abbreviation_ok: bool = False) -> _Weekday | None:
    """Return the first weekday written in S (LOW: folded), with its market day and direction words."""
    if abbreviation_ok:
        ma = patterns.WDA_RE.match(low)
        if ma:
            number = vocab.WEEKDAY_ABBREVIATIONS[ma["wd"]]
            return _Weekday(number, "day", "", None, ma.start("wd"), ma.end("wd"))
    m = patterns.search_word(patterns.WD_RE, low)
    if m is None:
        return None
    start = m.start()
    tail = patterns.WD_TAIL_RE.match(low, m.end())
    direction: Literal["", "past", "soon", "next"] = ""
    pasaran, end = None, m.end()
    if tail and tail.end() > end:
        end, pasaran = tail.end(), tail["pas"]
        direction = (
            "past" if tail["past"] else "soon" if tail["soon"] else "next" if tail["next"] else ""
        )
    weekday = _weekday_number(m["wd"])
    if m["wd"] == "minggu" and not patterns.HARI_BEFORE_RE.search(low, max(0, start - 12), start):
        before = patterns.WEEK_BEFORE_RE.search(low, max(0, start - 24), start)
        if before or patterns.WEEK_AFTER_RE.match(low, m.end()):
            return _Weekday(None, "week", "", None, start, end)
        if direction in ("past", "next"):
            # Capitalised mid-sentence it is Sunday; lower case it is the week; at the start
            # of the text or in capitals it could be either.
            word = s[start : m.end()]
            if word.islower():
                return _Weekday(None, "week", direction, None, start, end)
            if word.isupper() or not s[:start].strip():
                return _Weekday(None, "ambiguous", direction, None, start, end)
    return _Weekday(weekday, "day", direction, pasaran, start, end)


def _weekday_warnings(value: datetime.date, weekday: _Weekday | None) -> list[str]:
    """Return warnings when the written weekday or market day contradicts VALUE."""
    found: list[str] = []
    if weekday is None or weekday.weekday is None:
        return found
    if value.weekday() != weekday.weekday:
        found.append(
            f"weekday {vocab.WEEKDAY_NAMES[weekday.weekday]} contradicts {value.isoformat()}"
            f" ({vocab.WEEKDAY_NAMES[value.weekday()]})"
        )
    if weekday.pasaran:
        pasaran = vocab.PASARAN_ALIASES.get(weekday.pasaran, weekday.pasaran)
        actual = vocab.PASARAN[value.toordinal() % 5]
        if pasaran != actual:
            found.append(
                f"market day {pasaran.title()} contradicts {value.isoformat()} ({actual.title()})"
            )
    return found


def _resolve_weekday(weekday: _Weekday, reference: datetime.date) -> datetime.date:
    """Return the day WEEKDAY names: the latest on or before REFERENCE unless it says it is coming."""
    number = weekday.weekday if weekday.weekday is not None else reference.weekday()
    if weekday.direction in ("soon", "next"):
        ahead = (number - reference.weekday()) % 7
        if ahead == 0 and weekday.direction == "next":
            ahead = 7
        return reference + datetime.timedelta(days=ahead)
    back = (reference.weekday() - number) % 7
    if back == 0 and weekday.direction == "past":
        back = 7
    return reference - datetime.timedelta(days=back)
