"""Make the page lay itself out for another viewport width.

What it does to the page: when the trigger fires, the root element is narrowed (or widened)
to ``width`` pixels and a ``resize`` event is sent, so fluid and responsive layouts reflow
as on a resized window or a rotated device; with ``duration_ms`` the page goes back
afterwards. Elements move and wrap.

What a careful agent does: locate elements again after any layout change, scroll them into
view, and check each action's effect.

Params:
    width: the layout width, 200 to 4000 px, default 480.
    duration_ms: restore after this long, 0 to 600000 ms; 0 (default): for good.

Events: ``fired`` (detail: ``width``, ``from_width``, ``duration_ms``), ``restored``.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

KIND = "viewport_change"
DRILLS = ("calendar", "endurance")
JS_FILE = "viewport_change.js"


class ViewportChangeParams(BaseModel):
    """Parameters of ``viewport_change``."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    width: int = Field(default=480, ge=200, le=4000)
    duration_ms: int = Field(default=0, ge=0, le=600_000)


PARAMS_MODEL = ViewportChangeParams
