"""Make the page (or a scrollable widget) jump to another scroll position.

What it does to the page: when the trigger fires, each target (``html`` or ``body``: the
page; any other element: that scroller) scrolls to the top, the bottom, or a seeded
position (``to="random"``). What was under the pointer has moved; a click at coordinates
measured before lands elsewhere.

What a careful agent does: scroll the element it needs back into view and locate it again
right before acting (Playwright's locator actions do both).

Params:
    to: ``"random"`` (default, seeded), ``"top"`` or ``"bottom"``.

Events: ``fired`` (detail: ``to``, ``moves`` = ``{from, to}`` scroll offsets per target).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

KIND = "scroll_jump"
DRILLS = ("calendar", "endurance")
JS_FILE = "scroll_jump.js"


class ScrollJumpParams(BaseModel):
    """Parameters of ``scroll_jump``."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    to: Literal["random", "top", "bottom"] = "random"


PARAMS_MODEL = ScrollJumpParams
