"""Which of several readings of a date wins: the rule extraction and the validate step share (pure).

Readings come ranked, most believed first, each with a verdict: ``ok`` (a date ``parse_date``
reads), ``relative`` (``2 hari yang lalu``: readable only against a reference) or
``rejected: why``. The first ``ok`` wins; of two readings of the same day, the one with the
time; of two readings of the same day at different instants, the one that states its zone or
offset over one whose zone is assumed (WIB: a page's ``+02:00`` or ``MYT`` is not overruled by
the same wall-clock time read as WIB, issue 18; a stated midnight is no time, and loses to a
written time); of a numeric day and month that read either way round (``11/01/2021``), the
way another reading written otherwise gives them; of a date read from the page's visible text
and a machine-readable instant (JSON-LD, microdata, OpenGraph, RDFa, ``<time datetime>``) that
states its offset on a later day, the instant, unless another such instant agrees with the
visible day: a page shows no publication before it was published, so an earlier visible date
is another one (a cited date, a block we misread; a day away only when the offset is not
UTC's: ``29. Dezember 2022`` against ``2022-12-30T07:00:40+01:00``, issue 18), while a later
one is often the re-publication readers see; a relative date only when no reading is ``ok``. Extraction ranks the page's readings;
the validate step judges which are plausible (``bounds``) and picks again.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
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


#: Sources that read a date from the page's visible text by its shape (not the portal's layouts).
VISIBLE_SOURCES = frozenset({"meta-shape"})
#: Sources that read a machine-readable date, meant for programs.
MACHINE_SOURCES = frozenset({"json-ld", "microdata", "opengraph", "rdfa", "time"})


def _day_of(value: Any) -> Any:
    return value.date() if isinstance(value, datetime) else value


def _instant_over_visible(
    winner: int,
    verdicts: Sequence[str],
    parses: Sequence[ParsedDate | None],
    written: Sequence[str],
    sources: Sequence[str],
) -> int:
    """Return the first machine-readable instant stating its offset on a later day than the visible WINNER's, if none agrees with it."""
    chosen = parses[winner]
    if sources[winner] not in VISIBLE_SOURCES or chosen is None or chosen.value is None:
        return winner
    day = _day_of(chosen.value)
    instants = [
        (i, parsed.value)
        for i, verdict in enumerate(verdicts)
        if verdict == "ok"
        and sources[i] in MACHINE_SOURCES
        and (parsed := parses[i]) is not None
        and isinstance(parsed.value, datetime)
        and states_zone(str(written[i]))
    ]
    if any(moment.date() == day for _, moment in instants):
        return winner  # a machine-readable instant agrees with what readers see
    for i, moment in instants:
        apart = (moment.date() - day).days
        utc = moment.utcoffset() == timedelta(0)
        if apart > 1 or (apart == 1 and not utc):
            return i
    return winner


def pick(
    verdicts: Sequence[str],
    parses: Sequence[ParsedDate | None],
    same_day: bool = True,
    written: Sequence[str] | None = None,
    sources: Sequence[str] | None = None,
) -> int | None:
    """Return the index of the reading that wins, or None when none is ``ok`` or ``relative``.

    Parameters:
        verdicts: the verdict on each reading, most believed first.
        parses: the parse of each reading.
        same_day: a later ``ok`` reading of the winner's day with its time wins instead.
        written: each reading as written; when given, a reading of the winner's day that
            states its zone wins over a winner whose zone is assumed.
        sources: each reading's source; when given (with WRITTEN), a machine-readable instant
            on another day wins over a date read from the visible text (``VISIBLE_SOURCES``).

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
        if sources is not None:
            winner = _instant_over_visible(winner, verdicts, parses, written, sources)
        winner = _unswapped(winner, verdicts, parses, written)
        return _stated(winner, verdicts, parses, written)
    if winner is None:
        winner = next((i for i, v in enumerate(verdicts) if v == "relative"), None)
    return winner


#: The widest offset from UTC a place keeps (Kiribati's +14:00; -12:00 the other way).
WIDEST_OFFSET = timedelta(hours=14)


def local_instant(
    winner: int,
    verdicts: Sequence[str],
    parses: Sequence[ParsedDate | None],
    written: Sequence[str],
) -> ParsedDate | None:
    """Return the time the page shows at the offset its stated instant gives it, when the two belong together; else None.

    A page that shows ``15:59`` beside ``2020-04-29T13:59:00Z`` in its metadata shows the
    instant at ``+02:00``: kept so, the archive has the time readers saw and the right instant
    (and the publisher's day: ``3/5/2022 22:41`` beside ``Wed, 04 May 2022 02:41:00 GMT`` was
    published on 3 May at ``-04:00``, issue 18). A UTC instant gives the offset when the
    minutes agree (whole and half hours, within the widest offset kept anywhere), or when it
    is within ``SHOWN_DRIFT`` of the time shown; an instant at another offset gives its own
    when the time shown is within ``SHOWN_DRIFT`` of it on the same day (``11:17:48+01:00``
    in the metadata, ``11:38`` shown: the time shown, at ``+01:00``). A time shown with its
    zone needs no help.

    >>> stated = ParsedDate(datetime.fromisoformat("2020-04-29T13:59:00+00:00"), "datetime")
    >>> seen = ParsedDate(datetime.fromisoformat("2020-04-29T15:59:00+07:00"), "datetime")
    >>> local_instant(0, ["ok", "ok"], [stated, seen], ["2020-04-29T13:59:00Z", "29.04.2020, 15:59 Uhr"]).isoformat()
    '2020-04-29T15:59:00+02:00'
    >>> local_instant(1, ["ok", "ok"], [stated, seen], ["2020-04-29T13:59:00Z", "29.04.2020, 15:59 Uhr"]).isoformat()
    '2020-04-29T15:59:00+02:00'
    """

    def _moment(i: int) -> datetime | None:
        parsed = parses[i]
        return parsed.value if parsed is not None and isinstance(parsed.value, datetime) else None

    if _moment(winner) is None:
        return None
    stated = [
        i
        for i, verdict in enumerate(verdicts)
        if verdict == "ok" and states_zone(str(written[i])) and _timed(parses[i])
    ]
    seen = [
        i
        for i, verdict in enumerate(verdicts)
        if verdict == "ok" and not states_zone(str(written[i])) and _timed(parses[i])
    ]
    if winner in stated:
        pairs = [(winner, i) for i in seen]
        wall_clocks = {_wall(_moment(i)) for i in seen}
        chosen = _moment(winner)
        if _wall(chosen) in wall_clocks:
            return None  # the instant is the time shown
        for i in stated:
            other = _moment(i)
            if i != winner and other is not None and chosen is not None:
                if _wall(other) in wall_clocks and other.date() == chosen.date():
                    return parses[i]  # the instant that is the time shown
                if other == chosen and chosen.utcoffset() == timedelta(0) and other.utcoffset():
                    return parses[i]  # the same instant at the publisher's offset
    elif winner in seen:
        pairs = [(i, winner) for i in stated]
    else:
        return None
    for instant_at, wall_at in pairs:
        instant, wall, seen_parse = _moment(instant_at), _moment(wall_at), parses[wall_at]
        if instant is None or wall is None or seen_parse is None:
            continue
        shown = wall.replace(tzinfo=None, second=0, microsecond=0)
        offset = _offset_shown(instant, shown)
        if offset is None:
            continue
        value = shown.replace(tzinfo=timezone(offset))
        if value == instant and offset == instant.utcoffset():
            return None  # the instant says it all
        warnings = (*seen_parse.warnings, "offset from the page's stated instant")
        return ParsedDate(value, "datetime", warnings=warnings, method=seen_parse.method)
    return None


def _wall(moment: datetime | None) -> datetime | None:
    """Return MOMENT's wall-clock time to the minute, without its zone."""
    return None if moment is None else moment.replace(tzinfo=None, second=0, microsecond=0)


#: How far the time a page shows may be from its stated instant and still be its time.
SHOWN_DRIFT = timedelta(minutes=29)


def _offset_shown(instant: datetime, shown: datetime) -> timedelta | None:
    """Return the offset at which SHOWN (a wall-clock time) is the page's INSTANT, or None when they are not one time."""
    own = instant.utcoffset() or timedelta(0)
    utc = instant.astimezone(timezone.utc).replace(tzinfo=None, second=0, microsecond=0)
    apart = shown - utc
    if own:
        drift = apart - own
        same_day = (utc + own).date() == shown.date()
        return own if same_day and abs(drift) <= SHOWN_DRIFT else None
    if abs(apart) > WIDEST_OFFSET:
        return None
    if apart % timedelta(minutes=30) == timedelta(0):
        return apart
    return timedelta(0) if abs(apart) <= SHOWN_DRIFT else None


def _timed(parsed: ParsedDate | None) -> bool:
    return (
        parsed is not None
        and isinstance(parsed.value, datetime)
        and parsed.precision == "datetime"
        and parsed.value.time() != time(0)
    )


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
