"""What date parsing returns: `ParsedDate`, `MentionedDate`, and the constructors every path shares."""

from __future__ import annotations

import datetime
import json
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


def dump_parsed(parsed: ParsedDate) -> str:
    """Return PARSED as JSON text, for a store that keeps a parse beside the text it read.

    >>> dump_parsed(ParsedDate(datetime.date(2019, 4, 12), "date", method="fast"))
    '{"value": "2019-04-12", "precision": "date", "reason": null, "warnings": [], "method": "fast"}'
    """
    return json.dumps(
        {
            "value": parsed.isoformat(),
            "precision": parsed.precision,
            "reason": parsed.reason,
            "warnings": list(parsed.warnings),
            "method": parsed.method,
        }
    )


def load_parsed(text: str) -> ParsedDate:
    """Return the ParsedDate that ``dump_parsed`` wrote as TEXT (no date parsing: ISO read back).

    >>> load_parsed(dump_parsed(ParsedDate(None, None, reason="empty text"))).reason
    'empty text'
    >>> load_parsed('{"value": "2017-07-26T13:24:00+07:00", "precision": "datetime"}').isoformat()
    '2017-07-26T13:24:00+07:00'
    """
    fields = json.loads(text)
    iso, precision = fields.get("value"), fields.get("precision")
    value: datetime.date | datetime.datetime | None = None
    if iso is not None:
        value = (
            datetime.datetime.fromisoformat(iso)
            if precision == "datetime"
            else datetime.date.fromisoformat(iso)
        )
    return ParsedDate(
        value,
        precision,
        reason=fields.get("reason"),
        warnings=tuple(fields.get("warnings") or ()),
        method=fields.get("method") or "",
    )


class DateText(str):
    """A date as written, carrying the parse its reader made (handed on, never parsed again)."""

    parsed: ParsedDate

    def __new__(cls, text: str, parsed: ParsedDate) -> DateText:
        """Return TEXT carrying PARSED."""
        self = super().__new__(cls, text)
        self.parsed = parsed
        return self

    def __reduce__(self) -> tuple[type[DateText], tuple[str, ParsedDate]]:
        return DateText, (str(self), self.parsed)


def carried_parse(text: str) -> ParsedDate | None:
    """Return the parse TEXT carries when it is a ``DateText``, else None (it must be parsed)."""
    parsed = getattr(text, "parsed", None)
    return parsed if isinstance(parsed, ParsedDate) else None


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
