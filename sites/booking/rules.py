"""Date parsing and the availability rule of the booking calendar.

A day is *available* for a new booking when it is a weekday (Monday to Friday), is not a
closed day, is not before the site's "today", and has no booking yet (one booking per day).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Collection
from datetime import date

_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONTH_RE = re.compile(r"\d{4}-\d{2}")
# Fixed English names: the server locale must not change API messages.
_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def parse_iso_date(value: object, field: str) -> date:
    """Parse ``YYYY-MM-DD``; raise ``ValueError`` naming *field* and the bad value."""
    if isinstance(value, str) and _DATE_RE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"{field}: expected a date YYYY-MM-DD, got {value!r}")


def parse_month(value: object, field: str = "month") -> tuple[int, int]:
    """Parse ``YYYY-MM`` into ``(year, month)``; raise ``ValueError`` naming the bad value."""
    if isinstance(value, str) and _MONTH_RE.fullmatch(value):
        year, month = int(value[:4]), int(value[5:])
        if year >= 1 and 1 <= month <= 12:
            return year, month
    raise ValueError(f"{field}: expected a month YYYY-MM, got {value!r}")


def month_dates(year: int, month: int) -> list[date]:
    """Every date of the month, in order."""
    last = calendar.monthrange(year, month)[1]
    return [date(year, month, d) for d in range(1, last + 1)]


def unavailable_reason(
    day: date, *, today: date, closed: Collection[str], booked: Collection[str]
) -> str | None:
    """Why *day* cannot take a new booking, or ``None`` when it is available."""
    iso = day.isoformat()
    if day.weekday() >= 5:
        return f"{iso} is a {_WEEKDAY_NAMES[day.weekday()]}"
    if day < today:
        return f"{iso} is in the past (today is {today.isoformat()})"
    if iso in closed:
        return f"{iso} is a closed day"
    if iso in booked:
        return f"{iso} is already booked"
    return None


def is_available(
    day: date, *, today: date, closed: Collection[str], booked: Collection[str]
) -> bool:
    """Whether *day* can take a new booking (see the module docstring for the rule)."""
    return unavailable_reason(day, today=today, closed=closed, booked=booked) is None
