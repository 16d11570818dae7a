"""Transform: lay the page out differently (zoom, viewport class, columns, order, sticky header).

What it does to the page: when the trigger fires (usually ``load`` or ``appear`` of the
target), according to ``variant``:

* ``"zoom"``: the whole page is zoomed by ``scale`` (CSS ``zoom`` on the root; the layout
  reflows as with the browser's zoom);
* ``"viewport"``: the page lays itself out for the width of a device class
  (``width_class``: ``phone`` 360 px, ``tablet`` 768 px, ``laptop`` 1280 px, ``wide`` 1920
  px); wider than the window, the page scrolls sideways;
* ``"one_column"``: multi-column forms and rows in the target subtrees (grid, flex rows,
  floats, table-like fields) are stacked in one column;
* ``"two_column"``: the other way: the children of each target are laid out on a two-column
  grid;
* ``"reorder"``: the element children of each target (sibling groups that carry no meaning:
  navigation links, cards) are put in a seeded order; the nodes move, nothing is re-created,
  so listeners, values and focus stay;
* ``"sticky_header"``: a header bar of ``height_px`` (``header[data-gymfuzz=layout]``) stays
  at the top of the viewport and covers what scrolls under it; the page gets the same space
  on top, so nothing is covered for good.

What a careful agent does: locate elements by role and name, scroll each into view (and
clear of the header) before acting, and never rely on positions or on the order of siblings.

Params:
    variant: ``"zoom"`` (default), ``"viewport"``, ``"one_column"``, ``"two_column"``,
        ``"reorder"`` or ``"sticky_header"``.
    scale: the zoom factor of ``"zoom"``, 0.5 to 2, default 1.5.
    width_class: the device class of ``"viewport"``: ``"phone"`` (default), ``"tablet"``,
        ``"laptop"`` or ``"wide"``.
    height_px: the header height of ``"sticky_header"``, 20 to 300 px, default 96.

Events: ``fired`` (detail: ``variant`` and what it changed: ``scale``; ``width``;
``stacked`` = elements stacked or gridded; ``order`` = the new order per target, as
original indexes; ``height_px``).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

KIND = "layout"
FAMILY = "transform"
DRILLS = ("calendar", "dropdown", "endurance")
JS_FILE = "layout.js"


class LayoutParams(BaseModel):
    """Parameters of ``layout``."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    variant: Literal["zoom", "viewport", "one_column", "two_column", "reorder", "sticky_header"] = (
        "zoom"
    )
    scale: float = Field(default=1.5, ge=0.5, le=2.0)
    width_class: Literal["phone", "tablet", "laptop", "wide"] = "phone"
    height_px: int = Field(default=96, ge=20, le=300)


PARAMS_MODEL = LayoutParams
