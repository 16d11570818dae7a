"""Flights and trips in a fixture: their shape, validation and the default timetable.

A fixture may carry two more lists (both default to empty)::

    {"flights": [{"number": "GF123", "date": "2026-12-14", "origin": "LIS",
                  "destination": "AMS", "depart": "09:15", "arrive": "13:05", "stops": 0,
                  "fares": {"basic": 89, "standard": 129, "flex": 199}}],
     "trips": [{"id": 1, "flight": "GF123", "date": "2026-12-14", "fare": "standard",
                "price": 129, "passenger": "Ann Lee", "email": "ann@example.com",
                "card_last4": "4242"}]}

A flight is identified by its ``number`` and ``date``; airports are codes of
:data:`sites.booking.airports.CODES`, times are ``HH:MM``, prices whole euros. A trip must
book a flight of the same fixture; its ``reference`` is derived from its id
(:func:`trip_reference`) and may be given only if it matches. Errors raise ``ValueError``
naming the field and value, e.g. ``flights[2].fares.flex: expected a positive integer, got -3``.
"""

from __future__ import annotations

import re
from dataclasses import astuple, dataclass
from datetime import date, timedelta

from sites.booking.airports import CODES
from sites.booking.rules import parse_iso_date

#: The fare classes every flight sells, cheapest first.
FARES = ("basic", "standard", "flex")

_NUMBER_RE = re.compile(r"[A-Z]{2}\d{2,4}")
_TIME_RE = re.compile(r"([01]\d|2[0-3]):[0-5]\d")
_EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
_LAST4_RE = re.compile(r"\d{4}")
_MAX_TEXT = 200


@dataclass(frozen=True)
class Flight:
    """One row of the ``flights`` table; the three fares are prices in whole euros."""

    number: str
    date: str
    origin: str
    destination: str
    depart: str
    arrive: str
    stops: int
    basic: int
    standard: int
    flex: int

    @property
    def fares(self) -> dict[str, int]:
        """Each of :data:`FARES` mapped to its price."""
        return {"basic": self.basic, "standard": self.standard, "flex": self.flex}

    def row(self) -> tuple[str | int, ...]:
        """The values of the table's columns, in order."""
        return astuple(self)

    def to_json(self) -> dict[str, object]:
        return {
            "number": self.number,
            "date": self.date,
            "origin": self.origin,
            "destination": self.destination,
            "depart": self.depart,
            "arrive": self.arrive,
            "stops": self.stops,
            "fares": self.fares,
        }


@dataclass(frozen=True)
class Trip:
    """One row of the ``trips`` table (its reference is :func:`trip_reference` of ``id``)."""

    id: int
    flight: str
    date: str
    fare: str
    price: int
    passenger: str
    email: str
    card_last4: str

    def row(self) -> tuple[str | int, ...]:
        """The values of the table's columns (with the derived reference), in order."""
        return (self.id, trip_reference(self.id), *astuple(self)[1:])


def trip_reference(trip_id: int) -> str:
    """The booking reference shown to the traveller, derived from the trip id.

    >>> trip_reference(42)
    'GF-000042'
    """
    return f"GF-{trip_id:06d}"


def parse_text(value: object, field: str) -> str:
    """A non-blank string of at most 200 characters, stripped."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{field}: expected a non-empty string, got {value!r}")
    if len(value) > _MAX_TEXT:
        raise ValueError(f"{field}: longer than {_MAX_TEXT} characters ({len(value)})")
    return value.strip()


def parse_email(value: object, field: str) -> str:
    """An e-mail address like ``name@example.com``, stripped."""
    text = value.strip() if isinstance(value, str) else value
    if not isinstance(text, str) or len(text) > _MAX_TEXT or not _EMAIL_RE.fullmatch(text):
        raise ValueError(
            f"{field}: expected an e-mail address like name@example.com, got {value!r}"
        )
    return text


def parse_fare(value: object, field: str) -> str:
    """One of :data:`FARES`."""
    if value not in FARES:
        raise ValueError(f"{field}: expected one of {', '.join(FARES)}, got {value!r}")
    assert isinstance(value, str)
    return value


def parse_airport(value: object, field: str) -> str:
    """An airport code the site knows (see :mod:`sites.booking.airports`)."""
    if not isinstance(value, str) or value not in CODES:
        raise ValueError(f"{field}: expected a known airport code such as LIS, got {value!r}")
    return value


def parse_flight_number(value: object, field: str) -> str:
    """Two capital letters and 2-4 digits, like ``GF123``."""
    if not isinstance(value, str) or not _NUMBER_RE.fullmatch(value):
        raise ValueError(f"{field}: expected a flight number like GF123, got {value!r}")
    return value


def _time(value: object, field: str) -> str:
    if not isinstance(value, str) or not _TIME_RE.fullmatch(value):
        raise ValueError(f"{field}: expected a time HH:MM, got {value!r}")
    return value


def _count(value: object, field: str, *, positive: bool) -> int:
    low = 1 if positive else 0
    if not isinstance(value, int) or isinstance(value, bool) or value < low:
        kind = "a positive" if positive else "a non-negative"
        raise ValueError(f"{field}: expected {kind} integer, got {value!r}")
    return value


def _object(raw: object, where: str, allowed: set[str]) -> dict[str, object]:
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: expected an object, got {raw!r}")
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise ValueError(
            f"{where}.{unknown[0]}: unknown field (allowed: {', '.join(sorted(allowed))})"
        )
    missing = [name for name in sorted(allowed) if name not in raw and name != "reference"]
    if missing:
        raise ValueError(f"{where}.{missing[0]}: required field is missing")
    return raw


_FLIGHT_KEYS = {"number", "date", "origin", "destination", "depart", "arrive", "stops", "fares"}
_TRIP_KEYS = {
    "id",
    "reference",
    "flight",
    "date",
    "fare",
    "price",
    "passenger",
    "email",
    "card_last4",
}


def parse_flight(raw: object, where: str) -> Flight:
    """One flight of a fixture; *where* (e.g. ``flights[2]``) prefixes error messages."""
    data = _object(raw, where, _FLIGHT_KEYS)
    fares = _object(data["fares"], f"{where}.fares", set(FARES))
    origin = parse_airport(data["origin"], f"{where}.origin")
    destination = parse_airport(data["destination"], f"{where}.destination")
    if destination == origin:
        raise ValueError(f"{where}.destination: same as the origin, got {destination!r}")
    return Flight(
        number=parse_flight_number(data["number"], f"{where}.number"),
        date=parse_iso_date(data["date"], f"{where}.date").isoformat(),
        origin=origin,
        destination=destination,
        depart=_time(data["depart"], f"{where}.depart"),
        arrive=_time(data["arrive"], f"{where}.arrive"),
        stops=_count(data["stops"], f"{where}.stops", positive=False),
        basic=_count(fares["basic"], f"{where}.fares.basic", positive=True),
        standard=_count(fares["standard"], f"{where}.fares.standard", positive=True),
        flex=_count(fares["flex"], f"{where}.fares.flex", positive=True),
    )


def parse_trip(raw: object, where: str, flights: tuple[Flight, ...]) -> Trip:
    """One trip of a fixture; its flight must be one of *flights*."""
    data = _object(raw, where, _TRIP_KEYS)
    trip_id = _count(data["id"], f"{where}.id", positive=True)
    if "reference" in data and data["reference"] != trip_reference(trip_id):
        raise ValueError(
            f"{where}.reference: expected {trip_reference(trip_id)!r} (derived from the id),"
            f" got {data['reference']!r}"
        )
    number = parse_flight_number(data["flight"], f"{where}.flight")
    day = parse_iso_date(data["date"], f"{where}.date").isoformat()
    if not any(f.number == number and f.date == day for f in flights):
        raise ValueError(f"{where}.flight: no flight {number} on {day} in flights")
    last4 = data["card_last4"]
    if not isinstance(last4, str) or not _LAST4_RE.fullmatch(last4):
        raise ValueError(f"{where}.card_last4: expected 4 digits, got {last4!r}")
    return Trip(
        id=trip_id,
        flight=number,
        date=day,
        fare=parse_fare(data["fare"], f"{where}.fare"),
        price=_count(data["price"], f"{where}.price", positive=True),
        passenger=parse_text(data["passenger"], f"{where}.passenger"),
        email=parse_email(data["email"], f"{where}.email"),
        card_last4=last4,
    )


def parse_flights(items: list[object]) -> tuple[Flight, ...]:
    """The fixture's ``flights`` list; rejects a second flight with the same number and date."""
    flights = tuple(parse_flight(raw, f"flights[{i}]") for i, raw in enumerate(items))
    seen: set[tuple[str, str]] = set()
    for i, flight in enumerate(flights):
        if (flight.number, flight.date) in seen:
            raise ValueError(
                f"flights[{i}].number: duplicate flight {flight.number!r} on {flight.date}"
            )
        seen.add((flight.number, flight.date))
    return flights


def parse_trips(items: list[object], flights: tuple[Flight, ...]) -> tuple[Trip, ...]:
    """The fixture's ``trips`` list (ids unique, each booking one of *flights*)."""
    trips = tuple(parse_trip(raw, f"trips[{i}]", flights) for i, raw in enumerate(items))
    seen: set[int] = set()
    for i, trip in enumerate(trips):
        if trip.id in seen:
            raise ValueError(f"trips[{i}].id: duplicate id {trip.id!r}")
        seen.add(trip.id)
    return trips


# (number, origin, destination, depart, arrive, stops, basic fare)
_TIMETABLE = (
    ("GF101", "LIS", "AMS", "07:10", "11:00", 0, 79),
    ("GF123", "LIS", "AMS", "09:15", "13:05", 0, 89),
    ("GF145", "LIS", "AMS", "12:40", "18:55", 1, 64),
    ("GF124", "AMS", "LIS", "14:20", "16:15", 0, 95),
    ("GF302", "LHR", "BCN", "08:05", "11:20", 0, 72),
    ("GF318", "LHR", "BCN", "17:45", "22:50", 1, 58),
)


def default_flights(today: date) -> tuple[Flight, ...]:
    """A small timetable for the default fixture: every route 7, 8 and 14 days after *today*."""
    flights = []
    for offset in (7, 8, 14):
        day = (today + timedelta(days=offset)).isoformat()
        for number, origin, destination, depart, arrive, stops, basic in _TIMETABLE:
            flights.append(
                Flight(
                    number,
                    day,
                    origin,
                    destination,
                    depart,
                    arrive,
                    stops,
                    basic,
                    basic + 40,
                    basic + 110,
                )
            )
    return tuple(flights)
