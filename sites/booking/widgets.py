"""The booking page's date-picker implementations, one chosen per tenant.

A fixture's ``date_widget`` picks how the page's date field is drawn:

``calendar`` (default)
    The site's own month grid (``.cal-prev``, ``.cal-next``, ``.cal-day[data-date]``).
``native``
    The browser's ``<input type="date">``.
``flatpickr``, ``pikaday``, ``vanillajs-datepicker``
    Three widely used open-source date pickers, each with its own markup, navigation and
    events, drawn inline in the page's ``#calendar`` box.

The libraries are npm packages pinned by version and integrity hash in
``sites/booking/vendor/package-lock.json``; ``scripts/bootstrap`` installs them with
``npm ci`` into ``sites/booking/vendor/node_modules`` and the site serves the few files
:data:`DATE_WIDGETS` names under ``/vendor/``. Nothing of them is copied into the
repository. Whatever the widget, the page keeps one state (the shown month, availability,
the selected day) and asks the same API; only the drawing and the events differ.
"""

from __future__ import annotations

from pathlib import Path

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

#: Where ``npm ci`` installs the libraries.
NODE_MODULES = Path(__file__).parent / "vendor" / "node_modules"

#: Widget name -> the library files the page loads for it (paths under :data:`NODE_MODULES`;
#: ``.js`` files as scripts, ``.css`` as stylesheets, in this order).
DATE_WIDGETS: dict[str, tuple[str, ...]] = {
    "calendar": (),
    "native": (),
    "flatpickr": ("flatpickr/dist/flatpickr.min.css", "flatpickr/dist/flatpickr.min.js"),
    "pikaday": ("pikaday/css/pikaday.css", "pikaday/pikaday.js"),
    "vanillajs-datepicker": (
        "vanillajs-datepicker/dist/css/datepicker.min.css",
        "vanillajs-datepicker/dist/js/datepicker.min.js",
    ),
}

#: The widget of a fixture that names none.
DEFAULT_DATE_WIDGET = "calendar"

_SERVED = {file for files in DATE_WIDGETS.values() for file in files}


def parse_date_widget(value: object, field: str = "date_widget") -> str:
    """A known widget name whose library files are installed; ``ValueError`` names why not."""
    if not isinstance(value, str) or value not in DATE_WIDGETS:
        raise ValueError(f"{field}: expected one of {', '.join(DATE_WIDGETS)}, got {value!r}")
    missing = [f for f in DATE_WIDGETS[value] if not (NODE_MODULES / f).is_file()]
    if missing:
        raise ValueError(
            f"{field}: {value!r} needs the npm package it names, and {NODE_MODULES / missing[0]}"
            " is missing; run scripts/bootstrap (it runs `npm ci` in sites/booking/vendor)"
        )
    return value


def assets(widget: str) -> dict[str, list[str]]:
    """The URLs of ``widget``'s stylesheets and scripts, as the page loads them."""
    files = DATE_WIDGETS[widget]
    return {
        "styles": [f"/vendor/{f}" for f in files if f.endswith(".css")],
        "scripts": [f"/vendor/{f}" for f in files if f.endswith(".js")],
    }


async def vendor_file(request: Request) -> Response:
    """``GET /vendor/{path}``: one of the library files :data:`DATE_WIDGETS` names."""
    path = request.path_params["path"]
    file = NODE_MODULES / path
    if path not in _SERVED or not file.is_file():
        raise HTTPException(404, f"no vendor file {path!r}")
    media = "text/css" if path.endswith(".css") else "text/javascript"
    # Pinned by version: the same URL always has the same bytes.
    return FileResponse(
        file, media_type=f"{media}; charset=utf-8", headers={"Cache-Control": "max-age=3600"}
    )


routes = [Route("/vendor/{path:path}", vendor_file, methods=["GET"])]
