"""Routes of the Inbox page and its JSON API.

==================================  ========================================================
``GET /inbox``                      the Inbox page
``GET /api/emails?folder=F``        ``{"emails": [row, ...]}`` of folder ``inbox`` or
                                    ``sent``, sorted by id
``GET /api/emails/{id}``            one row ``{id, folder, sender, recipient, subject, body}``
``POST /api/emails``                ``{"to", "subject", "body"}`` -> 201 row (folder ``sent``)
==================================  ========================================================

Errors are JSON ``{"error": "..."}``: 400 for a bad tenant header, a missing or unknown
folder, or a body that is not JSON; 404 for an unknown id; 422 for an unknown field, a
``to`` that is not an e-mail address, an empty subject or one over 200 characters, or a
body over 5000 characters (``body`` may be empty or left out). Every successful POST stores
a new row.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from sites.booking import inbox
from sites.booking.api import _in_db, _json_object, tenant_of
from sites.booking.pages import page_route

_SEND_FIELDS = ("to", "subject", "body")


async def list_emails(request: Request) -> Response:
    tenant = tenant_of(request)
    try:
        folder = inbox.parse_folder(request.query_params.get("folder"))
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from exc
    rows = await _in_db(request, tenant, lambda conn: inbox.list_emails(conn, folder))
    return JSONResponse({"emails": rows})


async def get_email(request: Request) -> Response:
    tenant = tenant_of(request)
    email_id: int = request.path_params["id"]
    row = await _in_db(request, tenant, lambda conn: inbox.get_email(conn, email_id))
    if row is None:
        raise HTTPException(404, f"email {email_id} not found")
    return JSONResponse(row)


async def send_email(request: Request) -> Response:
    tenant = tenant_of(request)
    body = await _json_object(request)
    unknown = sorted(set(body) - set(_SEND_FIELDS))
    if unknown:
        allowed = ", ".join(_SEND_FIELDS)
        raise HTTPException(422, f"{unknown[0]}: unknown field (allowed: {allowed})")
    try:
        to = inbox.parse_address(body.get("to"), "to")
        subject = inbox.parse_subject(body.get("subject"))
        text = inbox.parse_body(body.get("body", ""))
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from exc
    row = await _in_db(request, tenant, lambda conn: inbox.send_email(conn, to, subject, text))
    return JSONResponse(row, status_code=201)


routes = [
    page_route("/inbox", "inbox.html"),
    Route("/api/emails", list_emails, methods=["GET"]),
    Route("/api/emails", send_email, methods=["POST"]),
    Route("/api/emails/{id:int}", get_email, methods=["GET"]),
]
