"""Keep controls inert for a while after they appear, as before a framework hydrates.

What it does to the page: from the trigger (typically ``load``) for ``duration_ms``, the
controls inside ``target.selector`` look ready but clicks, key presses and submits on them
are swallowed before the app sees them (default actions prevented too: no checkbox toggles,
no typed text, no form submission). Then they work normally.

What a careful agent does: check each action's effect (the value changed, the dialog
opened) and retry after a short wait when nothing happened.

Params:
    duration_ms: how long the controls stay inert, 0 to 600000 ms, default 2000.

Events: ``fired`` (detail: ``duration_ms``), ``swallowed`` per click, key press or submit
taken (``event``), ``hydrated`` (``swallowed`` = events taken in all).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

KIND = "delayed_hydration"
DRILLS = ("calendar", "dropdown", "endurance")
JS_FILE = "delayed_hydration.js"


class DelayedHydrationParams(BaseModel):
    """Parameters of ``delayed_hydration``."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    duration_ms: int = Field(default=2000, ge=0, le=600_000)


PARAMS_MODEL = DelayedHydrationParams
