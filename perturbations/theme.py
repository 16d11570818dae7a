"""Transform: give the page another theme (dark, high contrast, another font, reduced motion).

What it does to the page: when the trigger fires (usually ``load``), one stylesheet
(``style[data-gymfuzz=theme]``) is added that restyles every element of the app:

* ``variant="dark"``: dark surfaces, light text, muted borders, as a site's dark mode;
* ``variant="high_contrast"``: black surfaces, white text, yellow links, thick borders and
  focus rings, as an operating system's high-contrast mode;
* ``variant="font"``: every element in ``font_family``, and every element's text
  ``font_scale`` times the size it had when the trigger fired (content rendered later
  inherits the scaled sizes);
* ``variant="reduced_motion"``: animations and transitions finish at once, smooth scrolling
  is off, and ``matchMedia("(prefers-reduced-motion: reduce)")`` matches.

Nothing is hidden, moved out of reach or disabled: the page keeps working. gymfuzz's own
nodes (``[data-gymfuzz]``) keep their look.

What a careful agent does: read the page by roles, names and text, not by colours, pixel
positions or sizes; wait for the state it expects instead of for an animation.

Params:
    variant: ``"dark"`` (default), ``"high_contrast"``, ``"font"`` or ``"reduced_motion"``.
    font_family: the CSS font family of ``"font"``, default ``"Georgia, serif"``.
    font_scale: the text size factor of ``"font"``, 0.75 to 2, default 1.25.

Events: ``fired`` (detail: ``variant``, ``rules`` = CSS rules added, ``scaled`` = elements
whose font size was scaled, ``font_family``).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

KIND = "theme"
FAMILY = "transform"
DRILLS = ("calendar", "dropdown", "endurance")
JS_FILE = "theme.js"


class ThemeParams(BaseModel):
    """Parameters of ``theme``."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    variant: Literal["dark", "high_contrast", "font", "reduced_motion"] = "dark"
    font_family: str = Field(
        default="Georgia, serif", min_length=1, max_length=200, pattern=r"^[A-Za-z0-9 ,'\"-]+$"
    )
    font_scale: float = Field(default=1.25, ge=0.75, le=2.0)


PARAMS_MODEL = ThemeParams
