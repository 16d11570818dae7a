"""Scale the page or a widget, as a browser zoom or a responsive re-layout would.

What it does to the page: when the trigger fires, every element matching
``target.selector`` (``"html"`` for the whole page) is scaled by ``scale``: with CSS
``zoom`` (``mode="zoom"``, the layout reflows) or a ``transform`` (``mode="transform"``,
the layout is kept and the pixels move, anchored at the top left). A resize event follows.
Coordinates measured before are wrong afterwards; at 0.7 text gets small, as in
GUI-Perturbed's zoom condition.

What a careful agent does: measure again (or act through locators) after any change, and
check each action's effect.

Params:
    scale: the factor, 0.25 to 4, default 0.7.
    mode: ``"zoom"`` (default) or ``"transform"``.

Events: ``fired`` (detail: ``scale``, ``mode``, ``scaled`` = elements scaled).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

KIND = "zoom_shift"
DRILLS = ("calendar", "dropdown", "endurance")
JS_FILE = "zoom_shift.js"


class ZoomShiftParams(BaseModel):
    """Parameters of ``zoom_shift``."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    scale: float = Field(default=0.7, ge=0.25, le=4.0)
    mode: Literal["zoom", "transform"] = "zoom"


PARAMS_MODEL = ZoomShiftParams
