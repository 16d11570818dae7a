"""The public JSON API of the booking site (routes under ``/api``).

=======================================  ==================================================
``GET /api/config``                      ``{"today": "YYYY-MM-DD", "date_widget": {"name",
                                         "styles", "scripts"}, "select_widget": {...}}``
``GET /api/availability?month=YYYY-MM``  ``{"month", "days": [{"date", "available"}]}``
``GET /api/slots?date=YYYY-MM-DD``       ``{"date", "slots": [{"time", "available"}]}``
``GET /api/bookings``                    ``{"bookings": [row, ...]}`` sorted by id
``POST /api/bookings``                   ``{"date", "time", "title", "attendee"}`` -> 201 row
``PATCH /api/bookings/{id}``             any of ``date``, ``time``, ``title``, ``attendee``
                                         -> 200 row
``DELETE /api/bookings/{id}``            204
``GET /api/flights``                     ``?origin&destination&date`` -> flights by time
``GET /api/trips``                       ``{"trips": [row, ...]}`` sorted by id
``POST /api/trips``                      trip body -> 201 row; see :mod:`.trips_api`
``GET /api/preferences``                 ``{"preferences": {"seat", "meal", "home_airport"}}``
``PUT /api/preferences/{key}``           ``{"value"}`` -> 200 ``{"key", "value"}``; see
                                         :mod:`.preferences_api`
``GET /api/emails?folder=inbox|sent``    ``{"emails": [row, ...]}`` sorted by id
``GET /api/emails/{id}``                 one mail row
``POST /api/emails``                     ``{"to", "subject", "body"}`` -> 201 row; see
                                         :mod:`.inbox_api`
=======================================  ==================================================

A booking holds one slot: ``time`` is one of :data:`~sites.booking.rules.SLOTS`. Errors are
JSON ``{"error": "..."}``: 400 for a bad tenant header, body, month or date query, 404 for an
unknown booking, 409 when the slot is not free (weekend, closed, past, or already booked),
422 for a missing, empty or malformed field. Writes are not deduplicated: every
successful POST creates a row, as in a real app.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from sites.booking import bookings, widgets
from sites.booking.db import DEFAULT_TENANT, TenantStore, check_tenant
from sites.booking.fixture import parse_text
from sites.booking.rules import parse_iso_date, parse_month, parse_slot

#: Request header naming the tenant (episode) a request belongs to.
EPISODE_HEADER = "X-Gymfuzz-Episode"

_FIELDS = ("date", "time", "title", "attendee")


def tenant_of(request: Request) -> str:
    """The request's tenant, from :data:`EPISODE_HEADER`; 400 if the name is invalid.

    A site made with ``single_tenant`` (:func:`~sites.booking.app.create_app`) answers every
    request from :data:`~sites.booking.db.DEFAULT_TENANT`, whatever the header says.
    """
    if getattr(request.app.state, "single_tenant", False):
        return DEFAULT_TENANT
    try:
        return check_tenant(request.headers.get(EPISODE_HEADER, DEFAULT_TENANT))
    except ValueError as exc:
        raise HTTPException(400, f"{EPISODE_HEADER}: {exc}") from exc


async def _in_db[T](request: Request, tenant: str, work: Callable[[sqlite3.Connection], T]) -> T:
    """Run *work* on *tenant*'s connection, in a worker thread."""
    store: TenantStore = request.app.state.store

    def run() -> T:
        with store.open(tenant) as conn:
            return work(conn)

    return await run_in_threadpool(run)


async def _json_object(request: Request) -> dict[str, object]:
    try:
        body = json.loads(await request.body())
    except ValueError as exc:
        raise HTTPException(400, f"body: invalid JSON ({exc})") from exc
    if not isinstance(body, dict):
        raise HTTPException(422, f"body: expected a JSON object, got {body!r}")
    return body


def _booking_fields(body: dict[str, object], *, partial: bool) -> dict[str, str]:
    """Validate a booking body: all fields for a POST, at least one for a PATCH."""
    unknown = sorted(set(body) - set(_FIELDS))
    if unknown:
        raise HTTPException(422, f"{unknown[0]}: unknown field (allowed: {', '.join(_FIELDS)})")
    if partial and not body:
        raise HTTPException(422, f"body: give at least one of {', '.join(_FIELDS)}")
    fields: dict[str, str] = {}
    try:
        for name in _FIELDS:
            if name not in body:
                if not partial:
                    raise ValueError(f"{name}: required field is missing")
            elif name == "date":
                fields[name] = parse_iso_date(body[name], name).isoformat()
            elif name == "time":
                fields[name] = parse_slot(body[name], name)
            else:
                fields[name] = parse_text(body[name], name)
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from exc
    return fields


async def get_config(request: Request) -> Response:
    tenant = tenant_of(request)
    day, chosen = await _in_db(
        request, tenant, lambda conn: (bookings.today(conn), bookings.widgets(conn))
    )
    out: dict[str, object] = {"today": day.isoformat()}
    for field, name in chosen.items():
        out[field] = {"name": name, **widgets.assets(field, name)}
    return JSONResponse(out)


async def get_availability(request: Request) -> Response:
    tenant = tenant_of(request)
    month = request.query_params.get("month")
    try:
        year, number = parse_month(month)
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from exc
    days = await _in_db(request, tenant, lambda conn: bookings.availability(conn, year, number))
    return JSONResponse({"month": f"{year:04d}-{number:02d}", "days": days})


async def get_slots(request: Request) -> Response:
    tenant = tenant_of(request)
    try:
        day = parse_iso_date(request.query_params.get("date"), "date")
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from exc
    rows = await _in_db(request, tenant, lambda conn: bookings.slots(conn, day))
    return JSONResponse({"date": day.isoformat(), "slots": rows})


async def list_bookings(request: Request) -> Response:
    tenant = tenant_of(request)
    return JSONResponse({"bookings": await _in_db(request, tenant, bookings.list_bookings)})


async def create_booking(request: Request) -> Response:
    tenant = tenant_of(request)
    fields = _booking_fields(await _json_object(request), partial=False)
    day = parse_iso_date(fields["date"], "date")
    try:
        row = await _in_db(
            request,
            tenant,
            lambda conn: bookings.create_booking(
                conn, day, fields["time"], fields["title"], fields["attendee"]
            ),
        )
    except bookings.Unavailable as exc:
        raise HTTPException(409, f"date: {exc}") from exc
    return JSONResponse(row, status_code=201)


async def update_booking(request: Request) -> Response:
    tenant = tenant_of(request)
    booking_id: int = request.path_params["id"]
    fields = _booking_fields(await _json_object(request), partial=True)
    try:
        row = await _in_db(
            request, tenant, lambda conn: bookings.update_booking(conn, booking_id, fields)
        )
    except bookings.Unavailable as exc:
        raise HTTPException(409, f"date: {exc}") from exc
    if row is None:
        raise HTTPException(404, f"booking {booking_id} not found")
    return JSONResponse(row)


async def delete_booking(request: Request) -> Response:
    tenant = tenant_of(request)
    booking_id: int = request.path_params["id"]
    if not await _in_db(request, tenant, lambda conn: bookings.delete_booking(conn, booking_id)):
        raise HTTPException(404, f"booking {booking_id} not found")
    return Response(status_code=204)


routes = [
    Route("/api/config", get_config, methods=["GET"]),
    Route("/api/availability", get_availability, methods=["GET"]),
    Route("/api/slots", get_slots, methods=["GET"]),
    Route("/api/bookings", list_bookings, methods=["GET"]),
    Route("/api/bookings", create_booking, methods=["POST"]),
    Route("/api/bookings/{id:int}", update_booking, methods=["PATCH"]),
    Route("/api/bookings/{id:int}", delete_booking, methods=["DELETE"]),
]
