"""Date and time-slot parsing and the availability rules of the booking calendar.

Meetings are booked in fixed hourly *slots* (:data:`SLOTS`, local site time). A *slot* is
free when its day is open and no booking holds that date and time (one booking per slot). A
*day* is open when it is a weekday (Monday to Friday), is not a closed day and is not before
the site's "today"; it is *available* when it is open and at least one of its slots is free.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Collection
from datetime import date

_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONTH_RE = re.compile(r"\d{4}-\d{2}")

#: The bookable start times of every open day, in order ("HH:MM"; no slot over lunch).
SLOTS = ("09:00", "10:00", "11:00", "13:00", "14:00", "15:00", "16:00")
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


def parse_slot(value: object, field: str = "time") -> str:
    """Check a slot start time; raise ``ValueError`` naming *field*, the value and the slots."""
    if isinstance(value, str) and value in SLOTS:
        return value
    raise ValueError(f"{field}: expected one of the slots {', '.join(SLOTS)}, got {value!r}")


def month_dates(year: int, month: int) -> list[date]:
    """Every date of the month, in order."""
    last = calendar.monthrange(year, month)[1]
    return [date(year, month, d) for d in range(1, last + 1)]


def closed_reason(day: date, *, today: date, closed: Collection[str]) -> str | None:
    """Why *day* takes no booking at all (weekend, past, closed), or ``None`` if it is open."""
    iso = day.isoformat()
    if day.weekday() >= 5:
        return f"{iso} is a {_WEEKDAY_NAMES[day.weekday()]}"
    if day < today:
        return f"{iso} is in the past (today is {today.isoformat()})"
    if iso in closed:
        return f"{iso} is a closed day"
    return None


def unavailable_reason(
    day: date, *, today: date, closed: Collection[str], taken: Collection[str]
) -> str | None:
    """Why *day* cannot take a new booking, or ``None`` when it is available.

    *taken* holds the day's booked slot times; a day whose every slot is taken is full.
    """
    reason = closed_reason(day, today=today, closed=closed)
    if reason is None and set(SLOTS) <= set(taken):
        reason = f"{day.isoformat()} is fully booked"
    return reason


def slot_reason(
    day: date, time: str, *, today: date, closed: Collection[str], taken: Collection[str]
) -> str | None:
    """Why the slot at *time* on *day* cannot be booked, or ``None`` when it is free.

    *taken* holds the day's booked slot times.
    """
    reason = closed_reason(day, today=today, closed=closed)
    if reason is None and time in taken:
        reason = f"{day.isoformat()} {time} is already booked"
    return reason


def is_available(
    day: date, *, today: date, closed: Collection[str], taken: Collection[str]
) -> bool:
    """Whether *day* can take a new booking (see the module docstring for the rule)."""
    return unavailable_reason(day, today=today, closed=closed, taken=taken) is None
