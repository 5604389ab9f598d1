"""Which of several readings of a date wins: the rule extraction and the validate step share (pure).

Readings come ranked, most believed first, each with a verdict: ``ok`` (a date ``parse_date``
reads), ``relative`` (``2 hari yang lalu``: readable only against a reference) or
``rejected: why``. The first ``ok`` wins; of two readings of the same day, the one with the
time; of two readings of the same day at different instants, the one that states its zone or
offset over one whose zone is assumed (WIB: a page's ``+02:00`` or ``MYT`` is not overruled by
the same wall-clock time read as WIB, issue 18; a stated midnight is no time, and loses to a
written time); of a numeric day and month that read either way round (``11/01/2021``), the
way another reading written otherwise gives them; a relative date only when no reading is ``ok``. Extraction ranks the page's readings;
the validate step judges which are plausible (``bounds``) and picks again.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from tuban_crawler.dates.results import ParsedDate
from tuban_crawler.dates.vocab import ZONE_WORDS

#: The verdict on a reading outside the portal's lifetime (a placeholder ``0001-01-01``).
IMPLAUSIBLE = "rejected: implausible (outside the portal's lifetime)"


@dataclass(frozen=True)
class DateCandidate:
    """One reading of a date: its source, the text as written, its parse and the verdict on it."""

    source: str
    written: str
    parsed: ParsedDate | None
    verdict: str  # ``ok``, ``relative`` or ``rejected: why``


#: A zone or an offset written in a date: its instant is stated, not assumed.
STATED_ZONE = re.compile(
    rf"\d:\d\d(?::\d\d(?:[.,]\d+)?)?\s*(?:z\b|[+-]\d\d(?::?\d\d)?\b)|\b(?:{ZONE_WORDS})\b", re.I
)


def states_zone(written: str) -> bool:
    """Return True when WRITTEN, a date as written, states its zone or offset.

    >>> states_zone("2024-03-06T14:05:00+08:00"), states_zone("6 Maret 2024 14:05 WITA")
    (True, True)
    >>> states_zone("Rabu, 6 Maret 2024 - 14:05"), states_zone("2024-03-06 14:05")
    (False, False)
    """
    return bool(STATED_ZONE.search(written))


#: A numeric date whose day and month could be read either way round (``11/01/2021``).
NUMERIC_DAY_MONTH = re.compile(
    r"(?<!\d)(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4}|\d{2})(?!\d)"
)


def _unswapped(
    winner: int,
    verdicts: Sequence[str],
    parses: Sequence[ParsedDate | None],
    written: Sequence[str],
) -> int:
    """Return the reading that gives the WINNER's numeric day and month the other way round, if one does.

    ``11/01/2021`` is 11 January as Indonesian pages write it and 1 November as American
    ones do: a page's ISO reading of 2021-11-01 says which (issue 18).
    """
    chosen = parses[winner]
    match = NUMERIC_DAY_MONTH.search(str(written[winner]))
    if chosen is None or chosen.value is None or match is None:
        return winner
    first, second = int(match[1]), int(match[2])
    if first == second or first > 12 or second > 12:
        return winner  # not ambiguous
    day = chosen.value.date() if isinstance(chosen.value, datetime) else chosen.value
    try:
        swapped = day.replace(month=day.day, day=day.month)
    except ValueError:
        return winner
    for i, verdict in enumerate(verdicts):
        parsed = parses[i]
        other = parsed.value if verdict == "ok" and parsed else None
        if other is None or NUMERIC_DAY_MONTH.search(str(written[i])):
            continue
        if (other.date() if isinstance(other, datetime) else other) == swapped:
            return i
    return winner


def _stated(
    winner: int,
    verdicts: Sequence[str],
    parses: Sequence[ParsedDate | None],
    written: Sequence[str],
) -> int:
    """Return the reading that states the zone of the WINNER's day, when the winner's zone is assumed."""
    chosen = parses[winner]
    moment = chosen.value if chosen else None
    if not isinstance(moment, datetime) or states_zone(str(written[winner])):
        return winner
    for i, verdict in enumerate(verdicts):
        parsed = parses[i]
        other = parsed.value if verdict == "ok" and parsed else None
        if (
            i != winner
            and isinstance(other, datetime)
            and other.date() == moment.date()
            and other != moment
            and (other.time() != time(0) or moment.time() == time(0))
            and states_zone(str(written[i]))
        ):
            return i
    return winner


def pick(
    verdicts: Sequence[str],
    parses: Sequence[ParsedDate | None],
    same_day: bool = True,
    written: Sequence[str] | None = None,
) -> int | None:
    """Return the index of the reading that wins, or None when none is ``ok`` or ``relative``.

    Parameters:
        verdicts: the verdict on each reading, most believed first.
        parses: the parse of each reading.
        same_day: a later ``ok`` reading of the winner's day with its time wins instead.
        written: each reading as written; when given, a reading of the winner's day that
            states its zone wins over a winner whose zone is assumed.

    >>> from datetime import date
    >>> day = ParsedDate(date(2020, 3, 3), "date")
    >>> timed = ParsedDate(datetime(2020, 3, 3, 8, 0), "datetime")
    >>> pick(["ok", "ok"], [day, timed]), pick(["relative", "rejected: x"], [None, None])
    (1, 0)
    """
    winner = next((i for i, v in enumerate(verdicts) if v == "ok"), None)
    first = parses[winner] if same_day and winner is not None else None
    if winner is not None and first is not None and first.precision == "date":
        day, start = first.value, winner + 1
        for i in range(start, len(verdicts)):
            parsed = parses[i] if verdicts[i] == "ok" else None
            moment = parsed.value if parsed else None
            if isinstance(moment, datetime) and moment.date() == day:
                winner = i  # the same day, with its time
                break
    if winner is not None and same_day and written is not None:
        winner = _unswapped(winner, verdicts, parses, written)
        return _stated(winner, verdicts, parses, written)
    if winner is None:
        winner = next((i for i, v in enumerate(verdicts) if v == "relative"), None)
    return winner


def final_verdicts(
    verdicts: Sequence[str], values: Sequence[Any], winner: int | None, fallback: bool = False
) -> list[str]:
    """Return the verdicts as shown once WINNER is known: ``won``, ``agrees``, ``differs`` or as judged.

    FALLBACK: the winner is kept as written though nothing was acceptable (``won, rejected: ...``).

    >>> final_verdicts(["relative", "ok", "ok"], ["x", "a", "b"], 1)
    ['relative', 'won', 'differs']
    >>> final_verdicts(["rejected: empty text"], [" "], 0, fallback=True)
    ['won, rejected: empty text']
    """
    won = values[winner] if winner is not None else None
    shown = []
    for i, verdict in enumerate(verdicts):
        if i == winner:
            shown.append(f"won, {verdict}" if fallback else "won")
        elif verdict == "ok":
            shown.append("agrees" if values[i] == won else "differs")
        else:
            shown.append(verdict)
    return shown
