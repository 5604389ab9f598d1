"""What date parsing returns: `ParsedDate`, `MentionedDate`, and the constructors every path shares."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ParsedDate:
    """A parsed date or datetime, or the reason there is none."""

    value: datetime.date | datetime.datetime | None
    precision: Literal["date", "datetime"] | None
    reason: str | None = None
    warnings: tuple[str, ...] = ()
    method: str = ""

    def isoformat(self) -> str | None:
        """Return the value as ISO 8601 (`2019-01-04`, `2017-07-26T13:24:00+07:00`), or None."""
        return None if self.value is None else self.value.isoformat()

    def __bool__(self) -> bool:
        """Return whether there is a value."""
        return self.value is not None


@dataclass(frozen=True)
class MentionedDate:
    """A date that an article's text mentions, with the expression as written and its offsets."""

    value: datetime.date
    expression: str
    start: int
    end: int
    warnings: tuple[str, ...] = ()


def _failure(reason: str, method: str = "fast") -> ParsedDate:
    return ParsedDate(None, None, reason=reason, method=method)


def _as_date(value: datetime.date, method: str, warns: Iterable[str] = ()) -> ParsedDate:
    return ParsedDate(value, "date", warnings=tuple(warns), method=method)


def _as_datetime(value: datetime.datetime, method: str, warns: Iterable[str] = ()) -> ParsedDate:
    return ParsedDate(value, "datetime", warnings=tuple(warns), method=method)
