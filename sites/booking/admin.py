"""The admin API: reset, read and delete a tenant's database (for runners and verifiers).

Every route requires the header ``X-Admin-Token`` with the site's admin token (else 403).

==========================================  ===============================================
``PUT /_admin/tenants/{tenant}``            body = fixture; resets the tenant to it. 204
``GET /_admin/tenants/{tenant}/state``      every table, rows keyed by primary key
``DELETE /_admin/tenants/{tenant}``         removes the tenant's database file. 204
==========================================  ===============================================

The state looks like ``{"bookings": {"1": {"id": 1, "date": ..., "title": ...,
"attendee": ...}}, "closed_days": {"2026-12-08": {"date": "2026-12-08"}}, "settings":
{"today": {"key": "today", "value": "2026-11-23"}}}``. A bad fixture gets 400 with
``{"error": ...}`` naming the field and value (see :mod:`sites.booking.fixture`). Reading
the state of a tenant never used before creates it from the default fixture, exactly as its
first page load would.

Flights are keyed ``number/date`` (``{"flights": {"GF123/2026-12-14": {...}}}``),
trips by id.

Preferences are keyed by name (``{"preferences": {"seat": {"key": "seat", "value":
"window"}, ...}}``, always the three keys ``home_airport``, ``meal`` and ``seat``), e-mails by
id (``{"emails": {"3": {"id": 3, "folder": "sent", ...}}}``).
"""

from __future__ import annotations

import hmac
import json

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from sites.booking.db import TenantStore, check_tenant
from sites.booking.fixture import parse_fixture

#: Request header carrying the admin token.
TOKEN_HEADER = "X-Admin-Token"


def _authorize(request: Request) -> tuple[TenantStore, str]:
    """Check the admin token, then return the store and the path's tenant (400 if invalid)."""
    expected: str = request.app.state.admin_token
    given = request.headers.get(TOKEN_HEADER, "")
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise HTTPException(403, f"{TOKEN_HEADER}: missing or wrong admin token")
    try:
        tenant = check_tenant(request.path_params["tenant"])
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from exc
    return request.app.state.store, tenant


async def reset_tenant(request: Request) -> Response:
    store, tenant = _authorize(request)
    try:
        fixture = parse_fixture(json.loads(await request.body()))
    except ValueError as exc:  # also json.JSONDecodeError
        raise HTTPException(400, str(exc)) from exc
    await run_in_threadpool(store.reset, tenant, fixture)
    return Response(status_code=204)


async def tenant_state(request: Request) -> Response:
    store, tenant = _authorize(request)
    return JSONResponse(await run_in_threadpool(store.state, tenant))


async def delete_tenant(request: Request) -> Response:
    store, tenant = _authorize(request)
    await run_in_threadpool(store.delete, tenant)
    return Response(status_code=204)


routes = [
    Route("/_admin/tenants/{tenant}", reset_tenant, methods=["PUT"]),
    Route("/_admin/tenants/{tenant}", delete_tenant, methods=["DELETE"]),
    Route("/_admin/tenants/{tenant}/state", tenant_state, methods=["GET"]),
]
