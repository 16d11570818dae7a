"""Routes of the Preferences page and its JSON API.

==================================  ========================================================
``GET /preferences``                the Preferences page
``GET /api/preferences``            ``{"preferences": {"seat", "meal", "home_airport"},
                                    "labels": {key: label}}``
``PUT /api/preferences/{key}``      body ``{"value": "..."}`` -> 200 ``{"key", "value"}``
==================================  ========================================================

Errors are JSON ``{"error": "..."}``: 400 for a bad tenant header or a body that is not
JSON, 404 for an unknown key, 422 for a body that is not ``{"value": ...}`` or a value not
allowed for the key (the message names both, see :mod:`sites.booking.preferences`).
Labels are what the page shows, e.g. ``{"seat": "Window", "home_airport": "Lisbon (LIS)"}``.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from sites.booking import preferences
from sites.booking.api import _in_db, _json_object, tenant_of
from sites.booking.pages import page_route


async def get_preferences(request: Request) -> Response:
    tenant = tenant_of(request)
    values = await _in_db(request, tenant, preferences.get_preferences)
    labels = {key: preferences.label(key, value) for key, value in values.items()}
    return JSONResponse({"preferences": values, "labels": labels})


async def put_preference(request: Request) -> Response:
    tenant = tenant_of(request)
    key: str = request.path_params["key"]
    if key not in preferences.KEYS:
        raise HTTPException(
            404, f"key: unknown preference {key!r} (known: {', '.join(preferences.KEYS)})"
        )
    body = await _json_object(request)
    unknown = sorted(set(body) - {"value"})
    if unknown:
        raise HTTPException(422, f"{unknown[0]}: unknown field (allowed: value)")
    if "value" not in body:
        raise HTTPException(422, "value: required field is missing")
    try:
        value = preferences.check_value(key, body["value"])
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from exc
    await _in_db(request, tenant, lambda conn: preferences.set_preference(conn, key, value))
    return JSONResponse({"key": key, "value": value})


routes = [
    page_route("/preferences", "preferences.html"),
    Route("/api/preferences", get_preferences, methods=["GET"]),
    Route("/api/preferences/{key}", put_preference, methods=["PUT"]),
]
