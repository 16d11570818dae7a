"""The site's widget implementations: date pickers and select boxes, chosen per tenant.

A fixture's ``date_widget`` picks how the booking page's date field is drawn:

``calendar`` (default)
    The site's own month grid (``.cal-prev``, ``.cal-next``, ``.cal-day[data-date]``).
``native``
    The browser's ``<input type="date">``.
``flatpickr``, ``pikaday``, ``vanillajs-datepicker``
    Three widely used open-source date pickers, each with its own markup, navigation and
    events, drawn inline in the page's ``#calendar`` box.

A fixture's ``select_widget`` picks how the preferences page's seat ``<select>`` is drawn:

``native`` (default)
    The browser's own ``<select>``.
``tom-select``, ``choices.js``, ``slim-select``
    Three widely used open-source select libraries; each hides the ``<select>`` and draws
    its own box and option list, keeping the ``<select>``'s value and ``change`` event.

The libraries are npm packages pinned by version and integrity hash in
``sites/booking/vendor/package-lock.json``; ``scripts/bootstrap`` installs them with
``npm ci`` into ``sites/booking/vendor/node_modules`` and the site serves the few files
:data:`DATE_WIDGETS` and :data:`SELECT_WIDGETS` name under ``/vendor/``. Nothing of them is
copied into the repository. Whatever the widget, the page keeps one state (the shown month,
availability, the selected day, the chosen seat) and asks the same API; only the drawing and
the events differ.
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

#: Widget name -> library files, for the seat ``<select>`` (as :data:`DATE_WIDGETS`).
SELECT_WIDGETS: dict[str, tuple[str, ...]] = {
    "native": (),
    "tom-select": (
        "tom-select/dist/css/tom-select.default.min.css",
        "tom-select/dist/js/tom-select.complete.min.js",
    ),
    "choices.js": (
        "choices.js/public/assets/styles/choices.min.css",
        "choices.js/public/assets/scripts/choices.min.js",
    ),
    "slim-select": ("slim-select/dist/slimselect.css", "slim-select/dist/slimselect.js"),
}

#: The widgets of a fixture that names none.
DEFAULT_DATE_WIDGET = "calendar"
DEFAULT_SELECT_WIDGET = "native"

#: Fixture field -> its table of widgets.
KINDS = {"date_widget": DATE_WIDGETS, "select_widget": SELECT_WIDGETS}

#: Fixture field -> the widget of a fixture that names none.
DEFAULTS = {"date_widget": DEFAULT_DATE_WIDGET, "select_widget": DEFAULT_SELECT_WIDGET}

_SERVED = {file for table in KINDS.values() for files in table.values() for file in files}


def parse_widget(field: str, value: object) -> str:
    """A known widget name of fixture ``field`` (``date_widget``, ``select_widget``) whose
    library files are installed; ``ValueError`` names the field, the value and why not."""
    table = KINDS[field]
    if not isinstance(value, str) or value not in table:
        raise ValueError(f"{field}: expected one of {', '.join(table)}, got {value!r}")
    missing = [f for f in table[value] if not (NODE_MODULES / f).is_file()]
    if missing:
        raise ValueError(
            f"{field}: {value!r} needs the npm package it names, and {NODE_MODULES / missing[0]}"
            " is missing; run scripts/bootstrap (it runs `npm ci` in sites/booking/vendor)"
        )
    return value


def assets(field: str, widget: str) -> dict[str, list[str]]:
    """The URLs of ``widget``'s stylesheets and scripts, as the page loads them."""
    files = KINDS[field][widget]
    return {
        "styles": [f"/vendor/{f}" for f in files if f.endswith(".css")],
        "scripts": [f"/vendor/{f}" for f in files if f.endswith(".js")],
    }


async def vendor_file(request: Request) -> Response:
    """``GET /vendor/{path}``: one of the library files the widget tables name."""
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
