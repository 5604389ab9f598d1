"""When a publication date can be: the portal's lifetime (judged once, by the validate step: ``normalize.published``)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

#: The portal went online long after this; an earlier date is a misread number, not a date.
EARLIEST_PUBLICATION = date(2000, 1, 1)


def plausible_publication(value: date | datetime, today: date | None = None) -> bool:
    """Return True when VALUE can be a publication date: from 2000 up to tomorrow (time zones).

    >>> plausible_publication(date(2017, 7, 26)), plausible_publication(date(1917, 7, 26))
    (True, False)
    >>> plausible_publication(date(2030, 1, 1), today=date(2026, 11, 28))
    False
    """
    day = value.date() if isinstance(value, datetime) else value
    return EARLIEST_PUBLICATION <= day <= (today or date.today()) + timedelta(days=1)
