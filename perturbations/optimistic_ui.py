"""Show success before the app knows, and hide the app's own feedback for a while.

What it does to the page: when the trigger fires (typically ``click`` on a save button), a
success notice (``role=status``, ``message``) appears at once for ``toast_ms``, whatever the
save's real outcome; elements matching ``hide_selector`` (the app's error or status
messages, present or appearing later) are hidden for ``hide_ms``, then shown again. A failed
save looks like a success until then: the dropdown discipline drill's "looks updated before
the backend processed it".

What a careful agent does: trust the system state, not the surface: after a save, wait for
the app's own confirmation or re-read the state (reload the record), and retry when it did
not land.

Params:
    message: the success notice text, default ``"Saved"``.
    hide_selector: CSS selector of the app feedback to hide; null (default): hide nothing.
    hide_ms: how long it stays hidden, 0 to 600000 ms, default 3000.
    toast_ms: how long the notice shows, 0 to 600000 ms, default 3000 (0: for good).

Events: ``fired`` (detail: ``hide_ms``, ``toast_ms``), ``revealed`` (``elements`` shown again).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

KIND = "optimistic_ui"
DRILLS = ("dropdown", "endurance")
JS_FILE = "optimistic_ui.js"


class OptimisticUiParams(BaseModel):
    """Parameters of ``optimistic_ui``."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    message: str = Field(default="Saved", min_length=1, max_length=200)
    hide_selector: str | None = Field(default=None, min_length=1)
    hide_ms: int = Field(default=3000, ge=0, le=600_000)
    toast_ms: int = Field(default=3000, ge=0, le=600_000)


PARAMS_MODEL = OptimisticUiParams
