"""The trip booking API (flights search, trips) through the in-process app."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.sites.sample import ADMIN, episode

T1 = episode("t1")
T2 = episode("t2")


def _flight(
    number: str, day: str, route: str, times: str, stops: int, basic: int
) -> dict[str, Any]:
    origin, destination = route.split("-")
    depart, arrive = times.split("-")
    return {
        "number": number,
        "date": day,
        "origin": origin,
        "destination": destination,
        "depart": depart,
        "arrive": arrive,
        "stops": stops,
        "fares": {"basic": basic, "standard": basic + 40, "flex": basic + 110},
    }


#: Today is 2026-11-23; three LIS->AMS flights on 12-14 (one with a stop), more around them.
TRIP_FIXTURE: dict[str, Any] = {
    "today": "2026-11-23",
    "flights": [
        _flight("GF123", "2026-12-14", "LIS-AMS", "09:15-13:05", 0, 89),
        _flight("GF145", "2026-12-14", "LIS-AMS", "12:40-18:55", 1, 64),
        _flight("GF101", "2026-12-14", "LIS-AMS", "07:10-11:00", 0, 99),
        _flight("GF124", "2026-12-14", "AMS-LIS", "14:20-16:15", 0, 95),
        _flight("GF123", "2026-12-15", "LIS-AMS", "09:15-13:05", 0, 79),
    ],
    "trips": [
        {
            "id": 4,
            "flight": "GF124",
            "date": "2026-12-14",
            "fare": "basic",
            "price": 95,
            "passenger": "Bo Chen",
            "email": "bo@example.com",
            "card_last4": "4444",
        }
    ],
}

#: A valid trip request for GF123 on 2026-12-14 (the card passes the Luhn check).
GOOD_TRIP: dict[str, Any] = {
    "flight": "GF123",
    "date": "2026-12-14",
    "fare": "standard",
    "passenger": "Ann Lee",
    "email": "ann@example.com",
    "card_number": "4242 4242 4242 4242",
    "card_expiry": "11/26",
    "card_cvc": "987",
}


@pytest.fixture
async def trips_site(client: httpx.AsyncClient) -> httpx.AsyncClient:
    """The client, with tenants "t1" and "t2" both reset to :data:`TRIP_FIXTURE`."""
    for tenant in ("t1", "t2"):
        response = await client.put(f"/_admin/tenants/{tenant}", json=TRIP_FIXTURE, headers=ADMIN)
        assert response.status_code == 204, response.text
    return client


async def test_flights_are_filtered_by_route_and_date_and_sorted_by_departure(
    trips_site: httpx.AsyncClient,
) -> None:
    response = await trips_site.get(
        "/api/flights?origin=LIS&destination=AMS&date=2026-12-14", headers=T1
    )
    assert response.status_code == 200
    flights = response.json()["flights"]
    assert [(f["number"], f["depart"]) for f in flights] == [
        ("GF101", "07:10"),
        ("GF123", "09:15"),
        ("GF145", "12:40"),
    ]
    assert flights[1] == {
        "number": "GF123",
        "date": "2026-12-14",
        "origin": "LIS",
        "destination": "AMS",
        "depart": "09:15",
        "arrive": "13:05",
        "stops": 0,
        "fares": {"basic": 89, "standard": 129, "flex": 199},
    }


async def test_route_without_flights_answers_an_empty_list(trips_site: httpx.AsyncClient) -> None:
    response = await trips_site.get(
        "/api/flights?origin=AMS&destination=LIS&date=2026-12-15", headers=T1
    )
    assert response.status_code == 200
    assert response.json() == {"flights": []}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "origin=XXX&destination=AMS&date=2026-12-14",
            "origin: expected a known airport code such as LIS, got 'XXX'",
        ),
        (
            "origin=LIS&destination=lisbon&date=2026-12-14",
            "destination: expected a known airport code such as LIS, got 'lisbon'",
        ),
        (
            "destination=AMS&date=2026-12-14",
            "origin: expected a known airport code such as LIS, got None",
        ),
        (
            "origin=LIS&destination=AMS&date=14.12.2026",
            "date: expected a date YYYY-MM-DD, got '14.12.2026'",
        ),
        ("origin=LIS&destination=AMS", "date: expected a date YYYY-MM-DD, got None"),
    ],
)
async def test_bad_search_parameter_is_400(
    trips_site: httpx.AsyncClient, query: str, message: str
) -> None:
    response = await trips_site.get(f"/api/flights?{query}", headers=T1)
    assert response.status_code == 400
    assert response.json() == {"error": message}


async def test_fixture_trips_are_listed_with_their_reference(trips_site: httpx.AsyncClient) -> None:
    response = await trips_site.get("/api/trips", headers=T1)
    assert response.json() == {
        "trips": [
            {
                "id": 4,
                "reference": "GF-000004",
                "flight": "GF124",
                "date": "2026-12-14",
                "fare": "basic",
                "price": 95,
                "passenger": "Bo Chen",
                "email": "bo@example.com",
                "card_last4": "4444",
            }
        ]
    }


async def test_booking_prices_the_fare_and_keeps_only_the_last_card_digits(
    trips_site: httpx.AsyncClient,
) -> None:
    response = await trips_site.post("/api/trips", json=GOOD_TRIP, headers=T1)
    assert response.status_code == 201, response.text
    row = {
        "id": 5,
        "reference": "GF-000005",
        "flight": "GF123",
        "date": "2026-12-14",
        "fare": "standard",
        "price": 129,
        "passenger": "Ann Lee",
        "email": "ann@example.com",
        "card_last4": "4242",
    }
    assert response.json() == row
    listed = (await trips_site.get("/api/trips", headers=T1)).json()["trips"]
    assert [t["id"] for t in listed] == [4, 5] and listed[1] == row
    state = (await trips_site.get("/_admin/tenants/t1/state", headers=ADMIN)).json()
    assert state["trips"]["5"] == row
    # Neither the full card number nor the CVC is stored anywhere.
    dumped = json.dumps(state)
    assert "4242 4242" not in dumped and "42424242" not in dumped and "987" not in dumped
    # Other tenants are untouched.
    other = (await trips_site.get("/api/trips", headers=T2)).json()["trips"]
    assert [t["id"] for t in other] == [4]


async def test_every_post_creates_a_trip(trips_site: httpx.AsyncClient) -> None:
    flex = {**GOOD_TRIP, "fare": "flex", "card_number": "4111111111111111"}
    first = await trips_site.post("/api/trips", json=flex, headers=T1)
    second = await trips_site.post("/api/trips", json=flex, headers=T1)
    assert (first.status_code, second.status_code) == (201, 201)
    assert [first.json()["reference"], second.json()["reference"]] == ["GF-000005", "GF-000006"]
    assert first.json()["price"] == 199 and first.json()["card_last4"] == "1111"


async def test_expiry_in_the_current_month_is_accepted(trips_site: httpx.AsyncClient) -> None:
    response = await trips_site.post(
        "/api/trips", json={**GOOD_TRIP, "card_expiry": "11/26", "card_cvc": "1234"}, headers=T1
    )
    assert response.status_code == 201, response.text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"fare": "first"}, "fare: expected one of basic, standard, flex, got 'first'"),
        ({"passenger": "  "}, "passenger: expected a non-empty string, got '  '"),
        (
            {"email": "ann.example.com"},
            "email: expected an e-mail address like name@example.com, got 'ann.example.com'",
        ),
        (
            {"card_number": "4242 4242 4242 4241"},
            "card_number: not a valid card number (Luhn check failed), got '4242 4242 4242 4241'",
        ),
        (
            {"card_number": "4242-4242-4242-4242"},
            "card_number: expected 13-19 digits (spaces allowed), got '4242-4242-4242-4242'",
        ),
        ({"card_number": "42424242"}, "card_number: expected 13-19 digits (spaces allowed)"),
        ({"card_expiry": "13/27"}, "card_expiry: expected MM/YY, got '13/27'"),
        ({"card_expiry": "1/27"}, "card_expiry: expected MM/YY, got '1/27'"),
        (
            {"card_expiry": "10/26"},
            "card_expiry: card expired, got '10/26' (today is 2026-11-23)",
        ),
        ({"card_cvc": "12"}, "card_cvc: expected 3 or 4 digits, got '12'"),
        ({"card_cvc": 123}, "card_cvc: expected 3 or 4 digits, got 123"),
        ({"date": "2026-12-32"}, "date: expected a date YYYY-MM-DD, got '2026-12-32'"),
        ({"flight": ""}, "flight: expected a flight number like GF123, got ''"),
        ({"seat": "12A"}, "seat: unknown field (allowed: flight, date, fare, passenger"),
    ],
)
async def test_invalid_field_is_422_and_stores_nothing(
    trips_site: httpx.AsyncClient, changes: dict[str, Any], message: str
) -> None:
    response = await trips_site.post("/api/trips", json={**GOOD_TRIP, **changes}, headers=T1)
    assert response.status_code == 422
    assert response.json()["error"].startswith(message)
    trips = (await trips_site.get("/api/trips", headers=T1)).json()["trips"]
    assert [t["id"] for t in trips] == [4]


async def test_missing_field_is_422(trips_site: httpx.AsyncClient) -> None:
    body = {k: v for k, v in GOOD_TRIP.items() if k != "card_cvc"}
    response = await trips_site.post("/api/trips", json=body, headers=T1)
    assert response.status_code == 422
    assert response.json() == {"error": "card_cvc: required field is missing"}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"flight": "GF999"}, "flight: no flight GF999 on 2026-12-14"),
        ({"date": "2026-12-16"}, "flight: no flight GF123 on 2026-12-16"),
    ],
)
async def test_unknown_flight_or_date_is_409(
    trips_site: httpx.AsyncClient, changes: dict[str, Any], message: str
) -> None:
    response = await trips_site.post("/api/trips", json={**GOOD_TRIP, **changes}, headers=T1)
    assert response.status_code == 409
    assert response.json() == {"error": message}


@pytest.mark.parametrize(
    ("content", "status", "message"),
    [
        (b"{not json", 400, "body: invalid JSON"),
        (b"[1, 2]", 422, "body: expected a JSON object, got [1, 2]"),
    ],
)
async def test_bad_body_is_rejected(
    trips_site: httpx.AsyncClient, content: bytes, status: int, message: str
) -> None:
    response = await trips_site.post("/api/trips", content=content, headers=T1)
    assert response.status_code == status
    assert response.json()["error"].startswith(message)


async def test_bad_episode_header_is_400(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/trips", headers={"X-Gymfuzz-Episode": "a/b"})
    assert response.status_code == 400
    assert response.json()["error"].startswith("X-Gymfuzz-Episode: tenant: expected")


async def test_trips_page_is_served_uncached(client: httpx.AsyncClient) -> None:
    response = await client.get("/trips")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["cache-control"] == "no-store"
    assert "<title>Book a trip</title>" in response.text
    assert 'id="trip-flow"' in response.text
    assert '<script type="module" src="/static/trips.js">' in response.text
    parts = ("trips", "trips-common", "trips-list", "trips-results", "trips-rules", "trips-suggest")
    for part in parts:
        script = await client.get(f"/static/{part}.js")
        assert script.status_code == 200
        assert "javascript" in script.headers["content-type"]


async def test_default_tenant_has_bookable_flights(client: httpx.AsyncClient) -> None:
    await client.put("/_admin/tenants/default", json={"today": "2026-11-23"}, headers=ADMIN)
    await client.delete("/_admin/tenants/default", headers=ADMIN)
    today = (await client.get("/api/config")).json()["today"]
    state = (await client.get("/_admin/tenants/default/state", headers=ADMIN)).json()
    assert state["trips"] == {}
    first = min(state["flights"].values(), key=lambda f: (f["date"], f["depart"]))
    assert first["date"] > today
    response = await client.get(
        "/api/flights",
        params={
            "origin": first["origin"],
            "destination": first["destination"],
            "date": first["date"],
        },
    )
    assert first["number"] in [f["number"] for f in response.json()["flights"]]
