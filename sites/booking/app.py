"""Build the booking site's ASGI application.

Example::

    from pathlib import Path
    import uvicorn
    from sites.booking.app import create_app

    uvicorn.run(create_app(Path("/tmp/booking-data"), admin_token="s3cret"), port=8000)

The page is ``GET /``; its script and stylesheet are served from ``/static/``. The JSON API
is described in :mod:`sites.booking.api`, the admin API in :mod:`sites.booking.admin`.
"""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from sites.booking import admin, airports, api, inbox_api, preferences_api, trips_api, widgets
from sites.booking.db import TenantStore

#: The page's HTML, JS and CSS.
STATIC_DIR = Path(__file__).parent / "static"


async def index(request: Request) -> Response:
    return FileResponse(
        STATIC_DIR / "index.html",
        media_type="text/html; charset=utf-8",
        headers={"Cache-Control": "no-store"},
    )


async def http_error(request: Request, exc: Exception) -> Response:
    """Every HTTP error as JSON ``{"error": message}``."""
    assert isinstance(exc, HTTPException)
    if exc.status_code in (204, 304):
        return Response(status_code=exc.status_code, headers=exc.headers)
    return JSONResponse({"error": exc.detail}, status_code=exc.status_code, headers=exc.headers)


def create_app(data_dir: Path, admin_token: str, *, single_tenant: bool = False) -> Starlette:
    """The booking site, storing one SQLite file per tenant in *data_dir*.

    Args:
        data_dir: Directory for the tenants' databases; created if missing.
        admin_token: Secret that the ``X-Admin-Token`` header must carry on admin routes.
        single_tenant: Keep one database (``default.sqlite3``) for every request and ignore
            the ``X-Gymfuzz-Episode`` header: the site as any other app, which a target file
            runs one instance per worker of (``examples/booking_trips/target.yaml``).

    Raises:
        ValueError: *admin_token* is empty.
    """
    if not admin_token:
        raise ValueError("admin_token: must be a non-empty string, got ''")
    app = Starlette(
        routes=[
            Route("/", index, methods=["GET"]),
            *api.routes,
            *airports.routes,
            *admin.routes,
            *preferences_api.routes,
            *inbox_api.routes,
            *trips_api.routes,
            *widgets.routes,
            Mount("/static", StaticFiles(directory=STATIC_DIR), name="static"),
        ],
        exception_handlers={HTTPException: http_error},
    )
    app.state.store = TenantStore(data_dir)
    app.state.admin_token = admin_token
    app.state.single_tenant = single_tenant
    return app
