"""The trip booking page and its JSON API.

==============================================================  ===============================
``GET /trips``                                                  the trip booking page (HTML)
``GET /api/flights?origin=LIS&destination=AMS&date=YYYY-MM-DD``  ``{"flights": [flight, ...]}``
``GET /api/trips``                                              ``{"trips": [row, ...]}`` by id
``POST /api/trips``                                             body below -> 201 row
==============================================================  ===============================

A flight is ``{"number", "date", "origin", "destination", "depart", "arrive", "stops",
"fares": {"basic", "standard", "flex"}}``, listed by departure time. A trip body is
``{"flight", "date", "fare", "passenger", "email", "card_number", "card_expiry",
"card_cvc"}``; the stored row is ``{"id", "reference", "flight", "date", "fare", "price",
"passenger", "email", "card_last4"}`` with ``reference`` like ``GF-000042`` (derived from
the id) and ``price`` the flight's price for the fare.

Errors are JSON ``{"error": "..."}`` naming the field and value: 400 for a bad tenant
header, body or search parameter (unknown airport, bad date), 409 when no flight has that
number on that date, 422 for a missing or invalid field (fare, passenger, email, card number
with a failing Luhn check, expired or malformed expiry, CVC). Trips are not deduplicated:
every successful POST creates one, as in a real app.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from sites.booking import bookings, trips
from sites.booking.api import _in_db, _json_object, tenant_of
from sites.booking.flights import parse_airport
from sites.booking.pages import page_route
from sites.booking.rules import parse_iso_date


def _search_params(request: Request) -> tuple[str, str, str]:
    params = request.query_params
    try:
        origin = parse_airport(params.get("origin"), "origin")
        destination = parse_airport(params.get("destination"), "destination")
        day = parse_iso_date(params.get("date"), "date").isoformat()
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from exc
    return origin, destination, day


async def get_flights(request: Request) -> Response:
    tenant = tenant_of(request)
    origin, destination, day = _search_params(request)
    found = await _in_db(
        request, tenant, lambda conn: trips.search_flights(conn, origin, destination, day)
    )
    return JSONResponse({"flights": [flight.to_json() for flight in found]})


async def list_trips(request: Request) -> Response:
    tenant = tenant_of(request)
    return JSONResponse({"trips": await _in_db(request, tenant, trips.list_trips)})


async def create_trip(request: Request) -> Response:
    tenant = tenant_of(request)
    body = await _json_object(request)
    today = await _in_db(request, tenant, bookings.today)
    try:
        trip = trips.parse_trip_request(body, today)
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from exc
    try:
        row = await _in_db(request, tenant, lambda conn: trips.create_trip(conn, trip))
    except trips.UnknownFlight as exc:
        raise HTTPException(409, f"flight: {exc}") from exc
    return JSONResponse(row, status_code=201)


routes = [
    page_route("/trips", "trips.html"),
    Route("/api/flights", get_flights, methods=["GET"]),
    Route("/api/trips", list_trips, methods=["GET"]),
    Route("/api/trips", create_trip, methods=["POST"]),
]
