"""Fixtures: the exact initial state of one tenant's database.

A fixture is JSON like::

    {"today": "2026-11-23",
     "closed_days": ["2026-12-08"],
     "bookings": [{"id": 1, "date": "2026-12-02", "time": "10:00",
                   "title": "Budget review", "attendee": "Ann Lee"}]}

``today`` is required and is the date the site treats as the current day (the page never uses
the browser clock). ``closed_days`` and ``bookings`` default to empty lists. Bookings keep their
ids; new bookings get ids after the largest one. A booking's ``time`` is one of the slots of
:data:`~sites.booking.rules.SLOTS` (default the first, ``09:00``); two bookings may not hold
the same slot. :func:`parse_fixture` raises ``ValueError``
whose message names the offending field and value.

``flights`` and ``trips`` (optional, default empty) hold the flight timetable and booked
trips; see :mod:`sites.booking.flights` for their shape. Trips keep their ids.

``preferences`` (optional) is an object with any of ``seat``, ``meal`` and ``home_airport``;
missing keys take their defaults (see :mod:`sites.booking.preferences`). ``emails``
(optional, default empty) lists mails ``{"id", "folder", "sender", "recipient", "subject",
"body"}`` (see :mod:`sites.booking.inbox`); like bookings, they keep their ids.

``date_widget`` (optional, default ``calendar``) picks how the booking page draws its date
field: the site's own grid, the browser's date input, or an npm date-picker library;
``select_widget`` (optional, default ``native``) how the preferences page draws its seat
``<select>`` (see :mod:`sites.booking.widgets`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sites.booking.flights import Flight, Trip, default_flights, parse_flights, parse_trips
from sites.booking.inbox import ME, Email, parse_email
from sites.booking.preferences import Preferences, parse_preferences
from sites.booking.rules import SLOTS, parse_iso_date, parse_slot
from sites.booking.widgets import DEFAULT_DATE_WIDGET, DEFAULT_SELECT_WIDGET, parse_widget

#: Longest accepted title or attendee name, in characters.
MAX_TEXT = 200


@dataclass(frozen=True)
class Booking:
    """One row of the ``bookings`` table."""

    id: int
    date: str
    title: str
    attendee: str
    time: str = SLOTS[0]


@dataclass(frozen=True)
class Fixture:
    """A validated fixture (dates as ISO strings, ready to store)."""

    today: str
    closed_days: tuple[str, ...] = ()
    bookings: tuple[Booking, ...] = ()
    flights: tuple[Flight, ...] = ()
    trips: tuple[Trip, ...] = ()
    preferences: Preferences = field(default_factory=Preferences)
    emails: tuple[Email, ...] = ()
    date_widget: str = DEFAULT_DATE_WIDGET
    select_widget: str = DEFAULT_SELECT_WIDGET


def parse_text(value: object, field: str) -> str:
    """A non-blank string of at most :data:`MAX_TEXT` characters, stripped."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{field}: expected a non-empty string, got {value!r}")
    if len(value) > MAX_TEXT:
        raise ValueError(f"{field}: longer than {MAX_TEXT} characters ({len(value)})")
    return value.strip()


def _check_keys(data: dict[str, object], allowed: set[str], where: str) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ValueError(
            f"{where}{unknown[0]}: unknown field (allowed: {', '.join(sorted(allowed))})"
        )


def _parse_booking(raw: object, where: str) -> Booking:
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: expected an object, got {raw!r}")
    _check_keys(raw, {"id", "date", "time", "title", "attendee"}, f"{where}.")
    ident = raw.get("id")
    if not isinstance(ident, int) or isinstance(ident, bool) or ident < 1:
        raise ValueError(f"{where}.id: expected a positive integer, got {ident!r}")
    day = parse_iso_date(raw.get("date"), f"{where}.date")
    return Booking(
        id=ident,
        date=day.isoformat(),
        title=parse_text(raw.get("title"), f"{where}.title"),
        attendee=parse_text(raw.get("attendee"), f"{where}.attendee"),
        time=parse_slot(raw.get("time", SLOTS[0]), f"{where}.time"),
    )


def _list_field(data: dict[str, object], name: str) -> list[object]:
    value = data.get(name, [])
    if not isinstance(value, list):
        raise ValueError(f"{name}: expected a list, got {value!r}")
    return value


def parse_fixture(data: object) -> Fixture:
    """Validate decoded JSON as a fixture; raise ``ValueError`` naming the bad field."""
    if not isinstance(data, dict):
        raise ValueError(f"fixture: expected a JSON object, got {data!r}")
    _check_keys(
        data,
        {
            "today",
            "closed_days",
            "bookings",
            "flights",
            "trips",
            "preferences",
            "emails",
            "date_widget",
            "select_widget",
        },
        "",
    )
    if "today" not in data:
        raise ValueError("today: required field is missing")
    today = parse_iso_date(data["today"], "today").isoformat()
    closed = [
        parse_iso_date(day, f"closed_days[{i}]").isoformat()
        for i, day in enumerate(_list_field(data, "closed_days"))
    ]
    bookings = [
        _parse_booking(raw, f"bookings[{i}]") for i, raw in enumerate(_list_field(data, "bookings"))
    ]
    _reject_duplicates("closed_days[{}]: duplicate date {!r}", closed)
    _reject_duplicates("bookings[{}].id: duplicate id {!r}", [b.id for b in bookings])
    _reject_duplicates(
        "bookings[{}]: slot {!r} is already booked", [f"{b.date} {b.time}" for b in bookings]
    )
    flights = parse_flights(_list_field(data, "flights"))
    trips = parse_trips(_list_field(data, "trips"), flights)
    preferences = parse_preferences(data.get("preferences", {}))
    emails = [parse_email(raw, f"emails[{i}]") for i, raw in enumerate(_list_field(data, "emails"))]
    _reject_duplicates("emails[{}].id: duplicate id {!r}", [m.id for m in emails])
    return Fixture(
        today=today,
        closed_days=tuple(closed),
        bookings=tuple(bookings),
        flights=flights,
        trips=trips,
        preferences=preferences,
        emails=tuple(emails),
        date_widget=parse_widget("date_widget", data.get("date_widget", DEFAULT_DATE_WIDGET)),
        select_widget=parse_widget(
            "select_widget", data.get("select_widget", DEFAULT_SELECT_WIDGET)
        ),
    )


def _reject_duplicates(message: str, values: list[str] | list[int]) -> None:
    seen: set[object] = set()
    for i, value in enumerate(values):
        if value in seen:
            raise ValueError(message.format(i, value))
        seen.add(value)


def _next_weekday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def default_fixture(today: date) -> Fixture:
    """The state of a tenant used without a fixture: *today* and two sample bookings."""
    first = _next_weekday(today + timedelta(days=2))
    second = _next_weekday(first + timedelta(days=7))
    return Fixture(
        today=today.isoformat(),
        bookings=(
            Booking(1, first.isoformat(), "Budget review", "Ann Lee"),
            Booking(2, second.isoformat(), "Team retrospective", "Bo Chen"),
        ),
        flights=default_flights(today),
        emails=_DEFAULT_EMAILS,
    )


_DEFAULT_EMAILS = (
    Email(
        1,
        "inbox",
        "ann.lee@example.com",
        ME,
        "Budget review agenda",
        "Hi,\n\nPlease bring the Q4 numbers to the budget review.\n\nAnn",
    ),
    Email(
        2,
        "inbox",
        "travel@example.com",
        ME,
        "Your travel profile",
        "Please check your seat and meal preferences before your next trip.",
    ),
)
