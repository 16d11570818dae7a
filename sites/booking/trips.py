"""Trip booking rules and queries on one tenant's connection (see :mod:`sites.booking.db`).

:func:`parse_trip_request` validates the body of ``POST /api/trips`` against the tenant's
today; :func:`create_trip` then prices it from the booked flight and stores it with only the
last four card digits. Payment checks are those of a real checkout form: a card number of
13-19 digits (spaces allowed) passing the Luhn check, an expiry ``MM/YY`` not before the
current month, a CVC of 3 or 4 digits.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import date

from sites.booking.db import transaction
from sites.booking.flights import (
    Flight,
    parse_email,
    parse_fare,
    parse_text,
    trip_reference,
)
from sites.booking.rules import parse_iso_date

Row = dict[str, object]

#: The fields of a ``POST /api/trips`` body, all required.
REQUEST_FIELDS = (
    "flight",
    "date",
    "fare",
    "passenger",
    "email",
    "card_number",
    "card_expiry",
    "card_cvc",
)

_EXPIRY_RE = re.compile(r"(0[1-9]|1[0-2])/(\d{2})")
_CVC_RE = re.compile(r"\d{3,4}")
_TRIP_COLUMNS = "id, reference, flight, date, fare, price, passenger, email, card_last4"
_FLIGHT_COLUMNS = "number, date, origin, destination, depart, arrive, stops, basic, standard, flex"


class UnknownFlight(Exception):
    """No flight has the requested number on the requested date."""


@dataclass(frozen=True)
class TripRequest:
    """A validated trip request; only the card's last four digits are kept."""

    flight: str
    date: str
    fare: str
    passenger: str
    email: str
    card_last4: str


def luhn_valid(digits: str) -> bool:
    """Whether the digit string passes the Luhn checksum.

    >>> luhn_valid("4242424242424242"), luhn_valid("4242424242424241")
    (True, False)
    """
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def parse_card_number(value: object, field: str = "card_number") -> str:
    """The card's digits (spaces removed): 13-19 digits passing the Luhn check."""
    digits = value.replace(" ", "") if isinstance(value, str) else ""
    if not (digits.isascii() and digits.isdigit() and 13 <= len(digits) <= 19):
        raise ValueError(f"{field}: expected 13-19 digits (spaces allowed), got {value!r}")
    if not luhn_valid(digits):
        raise ValueError(f"{field}: not a valid card number (Luhn check failed), got {value!r}")
    return digits


def parse_card_expiry(value: object, today: date, field: str = "card_expiry") -> tuple[int, int]:
    """``MM/YY`` as ``(year, month)``; a month before *today*'s month is expired."""
    match = _EXPIRY_RE.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise ValueError(f"{field}: expected MM/YY, got {value!r}")
    year, month = 2000 + int(match[2]), int(match[1])
    if (year, month) < (today.year, today.month):
        raise ValueError(f"{field}: card expired, got {value!r} (today is {today.isoformat()})")
    return year, month


def parse_card_cvc(value: object, field: str = "card_cvc") -> str:
    """The security code: 3 or 4 digits."""
    if not isinstance(value, str) or not _CVC_RE.fullmatch(value):
        raise ValueError(f"{field}: expected 3 or 4 digits, got {value!r}")
    return value


def parse_trip_request(body: dict[str, object], today: date) -> TripRequest:
    """Validate a ``POST /api/trips`` body; ``ValueError`` names the first bad field."""
    unknown = sorted(set(body) - set(REQUEST_FIELDS))
    if unknown:
        raise ValueError(f"{unknown[0]}: unknown field (allowed: {', '.join(REQUEST_FIELDS)})")
    missing = [name for name in REQUEST_FIELDS if name not in body]
    if missing:
        raise ValueError(f"{missing[0]}: required field is missing")
    flight = body["flight"]
    if not isinstance(flight, str) or not flight.strip():
        raise ValueError(f"flight: expected a flight number like GF123, got {flight!r}")
    request = TripRequest(
        flight=flight.strip(),
        date=parse_iso_date(body["date"], "date").isoformat(),
        fare=parse_fare(body["fare"], "fare"),
        passenger=parse_text(body["passenger"], "passenger"),
        email=parse_email(body["email"], "email"),
        card_last4=parse_card_number(body["card_number"])[-4:],
    )
    parse_card_expiry(body["card_expiry"], today)
    parse_card_cvc(body["card_cvc"])
    return request


def _flight(row: sqlite3.Row) -> Flight:
    return Flight(**dict(row))


def search_flights(
    conn: sqlite3.Connection, origin: str, destination: str, day: str
) -> list[Flight]:
    """Flights from *origin* to *destination* on *day* (ISO), by departure time then number."""
    rows = conn.execute(
        f"SELECT {_FLIGHT_COLUMNS} FROM flights WHERE origin = ? AND destination = ?"
        " AND date = ? ORDER BY depart, number",
        (origin, destination, day),
    )
    return [_flight(row) for row in rows]


def get_flight(conn: sqlite3.Connection, number: str, day: str) -> Flight | None:
    """The flight *number* on *day*, or ``None``."""
    row = conn.execute(
        f"SELECT {_FLIGHT_COLUMNS} FROM flights WHERE number = ? AND date = ?", (number, day)
    ).fetchone()
    return None if row is None else _flight(row)


def list_trips(conn: sqlite3.Connection) -> list[Row]:
    """All trips, sorted by id."""
    return [dict(row) for row in conn.execute(f"SELECT {_TRIP_COLUMNS} FROM trips ORDER BY id")]


def create_trip(conn: sqlite3.Connection, trip: TripRequest) -> Row:
    """Store *trip* at its flight's fare price; raise :class:`UnknownFlight` if there is none.

    The reference is derived from the new row's id, inside the same transaction.
    """
    with transaction(conn):
        flight = get_flight(conn, trip.flight, trip.date)
        if flight is None:
            raise UnknownFlight(f"no flight {trip.flight} on {trip.date}")
        cursor = conn.execute(
            "INSERT INTO trips (reference, flight, date, fare, price, passenger, email,"
            " card_last4) VALUES ('', ?, ?, ?, ?, ?, ?, ?)",
            (
                flight.number,
                flight.date,
                trip.fare,
                flight.fares[trip.fare],
                trip.passenger,
                trip.email,
                trip.card_last4,
            ),
        )
        trip_id = cursor.lastrowid
        assert trip_id is not None  # an INSERT always sets it
        conn.execute(
            "UPDATE trips SET reference = ? WHERE id = ?", (trip_reference(trip_id), trip_id)
        )
        row = conn.execute(f"SELECT {_TRIP_COLUMNS} FROM trips WHERE id = ?", (trip_id,)).fetchone()
    return dict(row)
