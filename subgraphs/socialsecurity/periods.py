"""Months and periods as clients write them (``2025``, ``2025-03``), checked before any legacy call."""

from __future__ import annotations

import re
from datetime import date

from schema.errors import BadUserInput

MAX_MONTHS = 120
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_YEAR = re.compile(r"^(\d{4})$")


def month(text: str, argument: str) -> date:
    """``YYYY-MM`` → the first day of that month; ``BadUserInput`` otherwise."""
    match = _MONTH.match(text)
    if not match:
        raise BadUserInput(f"{argument} must be a month as YYYY-MM, got {text!r}")
    return date(int(match.group(1)), int(match.group(2)), 1)


def period(text: str) -> tuple[date, date]:
    """A year (``2025``) or a month (``2025-03``) → its first and last month."""
    year = _YEAR.match(text)
    if year:
        value = int(year.group(1))
        return date(value, 1, 1), date(value, 12, 1)
    if _MONTH.match(text):
        first = month(text, "period")
        return first, first
    raise BadUserInput(f"period must be a year (YYYY) or a month (YYYY-MM), got {text!r}")


def months_between(first: date, last: date, *, limit: int = MAX_MONTHS) -> int:
    """How many months ``first..last`` spans; ``BadUserInput`` if reversed or longer than ``limit``."""
    count = (last.year - first.year) * 12 + last.month - first.month + 1
    if count < 1:
        raise BadUserInput(f"from ({first:%Y-%m}) must not be after to ({last:%Y-%m})")
    if count > limit:
        raise BadUserInput(f"at most {limit} months at once, asked for {count}")
    return count


def label(value: date) -> str:
    return f"{value.year:04d}-{value.month:02d}"
