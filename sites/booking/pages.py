"""Serve the site's HTML pages (besides the calendar at ``/``) from ``static/``.

Every page is answered with ``Cache-Control: no-store``, so a browser always loads the
current page and its script asks the API for the tenant's state.
"""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

_STATIC_DIR = Path(__file__).parent / "static"


def page_route(path: str, filename: str) -> Route:
    """A ``GET`` route at *path* answering the file *filename* of ``static/`` as HTML."""
    file = _STATIC_DIR / filename
    if not file.is_file():
        raise ValueError(f"filename: no page {filename!r} in {_STATIC_DIR}")

    async def serve_page(request: Request) -> Response:
        return FileResponse(
            file, media_type="text/html; charset=utf-8", headers={"Cache-Control": "no-store"}
        )

    return Route(path, serve_page, methods=["GET"], name=filename.removesuffix(".html"))
