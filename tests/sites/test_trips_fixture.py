"""Flights and trips in fixtures: parsing, error messages, defaults, card rules."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

from sites.booking.fixture import Fixture, default_fixture, parse_fixture
from sites.booking.flights import Flight, Trip, trip_reference
from sites.booking.trips import luhn_valid, parse_card_expiry, parse_card_number
from tests.sites.test_trips_api import TRIP_FIXTURE


def test_flights_and_trips_are_parsed() -> None:
    fixture = parse_fixture(TRIP_FIXTURE)
    assert len(fixture.flights) == 5
    assert fixture.flights[0] == Flight(
        "GF123", "2026-12-14", "LIS", "AMS", "09:15", "13:05", 0, 89, 129, 199
    )
    assert fixture.flights[0].fares == {"basic": 89, "standard": 129, "flex": 199}
    assert fixture.trips == (
        Trip(4, "GF124", "2026-12-14", "basic", 95, "Bo Chen", "bo@example.com", "4444"),
    )
    assert fixture.trips[0].row()[:2] == (4, "GF-000004")


def test_old_fixtures_without_flights_still_load() -> None:
    fixture = parse_fixture({"today": "2026-11-23"})
    assert fixture == Fixture(today="2026-11-23")
    assert fixture.flights == () and fixture.trips == ()


def test_a_trip_may_repeat_its_derived_reference() -> None:
    data = copy.deepcopy(TRIP_FIXTURE)
    data["trips"][0]["reference"] = "GF-000004"
    assert parse_fixture(data).trips[0].id == 4


def _with(path: str, value: Any) -> dict[str, Any]:
    """TRIP_FIXTURE with the item at *path* (like ``flights.0.fares.flex``) set or deleted."""
    data = copy.deepcopy(TRIP_FIXTURE)
    *parents, last = path.split(".")
    node: Any = data
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    if value is _DELETE:
        del node[last]
    elif isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return data


_DELETE = object()


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("flights", {}, r"^flights: expected a list, got \{\}$"),
        ("flights.2", "GF1", r"^flights\[2\]: expected an object, got 'GF1'$"),
        (
            "flights.2.fares.flex",
            -3,
            r"^flights\[2\]\.fares\.flex: expected a positive integer, got -3$",
        ),
        (
            "flights.0.fares.basic",
            0,
            r"^flights\[0\]\.fares\.basic: expected a positive integer, got 0$",
        ),
        ("flights.0.fares.first", 500, r"^flights\[0\]\.fares\.first: unknown field"),
        (
            "flights.0.fares.standard",
            _DELETE,
            r"^flights\[0\]\.fares\.standard: required field is missing$",
        ),
        (
            "flights.1.number",
            "gf145",
            r"^flights\[1\]\.number: expected a flight number like GF123, got 'gf145'$",
        ),
        ("flights.1.number", "GF12345", r"^flights\[1\]\.number: expected a flight number"),
        (
            "flights.0.origin",
            "XXX",
            r"^flights\[0\]\.origin: expected a known airport code such as LIS, got 'XXX'$",
        ),
        (
            "flights.0.destination",
            "LIS",
            r"^flights\[0\]\.destination: same as the origin, got 'LIS'$",
        ),
        (
            "flights.0.date",
            "2026-02-30",
            r"^flights\[0\]\.date: expected a date YYYY-MM-DD, got '2026-02-30'$",
        ),
        ("flights.0.depart", "9:15", r"^flights\[0\]\.depart: expected a time HH:MM, got '9:15'$"),
        (
            "flights.0.arrive",
            "24:00",
            r"^flights\[0\]\.arrive: expected a time HH:MM, got '24:00'$",
        ),
        ("flights.0.stops", -1, r"^flights\[0\]\.stops: expected a non-negative integer, got -1$"),
        (
            "flights.0.stops",
            True,
            r"^flights\[0\]\.stops: expected a non-negative integer, got True$",
        ),
        ("flights.0.gate", "A1", r"^flights\[0\]\.gate: unknown field \(allowed: arrive, date, "),
        ("flights.0.arrive", _DELETE, r"^flights\[0\]\.arrive: required field is missing$"),
        (
            "flights.4.date",
            "2026-12-14",
            r"^flights\[4\]\.number: duplicate flight 'GF123' on 2026-12-14$",
        ),
        ("trips", "none", r"^trips: expected a list, got 'none'$"),
        ("trips.0.id", 0, r"^trips\[0\]\.id: expected a positive integer, got 0$"),
        (
            "trips.0.flight",
            "GF999",
            r"^trips\[0\]\.flight: no flight GF999 on 2026-12-14 in flights$",
        ),
        (
            "trips.0.date",
            "2026-12-15",
            r"^trips\[0\]\.flight: no flight GF124 on 2026-12-15 in flights$",
        ),
        (
            "trips.0.fare",
            "first",
            r"^trips\[0\]\.fare: expected one of basic, standard, flex, got 'first'$",
        ),
        ("trips.0.price", "95", r"^trips\[0\]\.price: expected a positive integer, got '95'$"),
        ("trips.0.passenger", "", r"^trips\[0\]\.passenger: expected a non-empty string, got ''$"),
        (
            "trips.0.email",
            "bo",
            r"^trips\[0\]\.email: expected an e-mail address like name@example.com, got 'bo'$",
        ),
        ("trips.0.card_last4", "44", r"^trips\[0\]\.card_last4: expected 4 digits, got '44'$"),
        (
            "trips.0.reference",
            "GF-000001",
            r"^trips\[0\]\.reference: expected 'GF-000004' \(derived from the id\), got 'GF-0+1'$",
        ),
        ("trips.0.email", _DELETE, r"^trips\[0\]\.email: required field is missing$"),
    ],
)
def test_bad_flight_or_trip_names_the_field(path: str, value: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_fixture(_with(path, value))


def test_duplicate_trip_ids_are_rejected() -> None:
    data = copy.deepcopy(TRIP_FIXTURE)
    data["trips"].append(dict(data["trips"][0]))
    with pytest.raises(ValueError, match=r"^trips\[1\]\.id: duplicate id 4$"):
        parse_fixture(data)


def test_default_fixture_has_future_flights_on_several_routes_and_no_trips() -> None:
    fixture = default_fixture(date(2026, 11, 23))
    assert fixture.trips == ()
    assert {(f.origin, f.destination) for f in fixture.flights} == {
        ("LIS", "AMS"),
        ("AMS", "LIS"),
        ("LHR", "BCN"),
    }
    assert sorted({f.date for f in fixture.flights}) == ["2026-11-30", "2026-12-01", "2026-12-07"]
    # The default fixture is itself a valid fixture.
    as_json = {
        "today": fixture.today,
        "flights": [f.to_json() for f in fixture.flights],
    }
    assert parse_fixture(as_json).flights == fixture.flights


def test_reference_is_derived_from_the_id() -> None:
    assert trip_reference(1) == "GF-000001"
    assert trip_reference(123456) == "GF-123456"


@pytest.mark.parametrize(
    ("digits", "valid"),
    [
        ("4242424242424242", True),
        ("4111111111111111", True),
        ("5555555555554444", True),
        ("378282246310005", True),
        ("4242424242424241", False),
        ("1234567812345678", False),
    ],
)
def test_luhn(digits: str, valid: bool) -> None:
    assert luhn_valid(digits) is valid


def test_card_number_keeps_digits_without_spaces() -> None:
    assert parse_card_number(" 4242 4242 4242 4242 ") == "4242424242424242"
    with pytest.raises(ValueError, match=r"^card_number: expected 13-19 digits"):
        # Full-width digits (str.isdigit() accepts them) are not card digits.
        parse_card_number("\uff14\uff12" * 8)


@pytest.mark.parametrize(
    ("expiry", "ok"),
    [("11/26", True), ("12/26", True), ("01/27", True), ("10/26", False), ("12/25", False)],
)
def test_expiry_is_compared_with_the_current_month(expiry: str, ok: bool) -> None:
    today = date(2026, 11, 23)
    if ok:
        parse_card_expiry(expiry, today)
    else:
        with pytest.raises(ValueError, match=r"^card_expiry: card expired"):
            parse_card_expiry(expiry, today)
