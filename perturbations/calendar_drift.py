"""Make a date picker jump back to the month it first showed.

What it does to the page: from page start it counts the agent's clicks on the picker's
"next month" (``next_selector``) and "previous month" (``prev_selector``) controls. When the
trigger fires (e.g. ``pointerdown`` on a day cell, ``delay_ms`` after the last month
change, or a ``step``), right after the event it clicks the opposite control as many times
as needed to bring the picker back to its first month, through the app's own handlers (so
the app's state stays coherent). A day clicked next belongs to the wrong month.

What a careful agent does: read the month the picker shows right before picking a day,
navigate again when it drifted, and check the chosen date the app shows (better, the
system state) after picking.

Params:
    next_selector: CSS selector of the "next month" control.
    prev_selector: CSS selector of the "previous month" control.

Events: ``fired`` (detail: ``offset`` = months the agent had moved), ``drifted``
(``months`` = months moved by the drift, negative when back).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

KIND = "calendar_drift"
DRILLS = ("calendar",)
JS_FILE = "calendar_drift.js"


class CalendarDriftParams(BaseModel):
    """Parameters of ``calendar_drift``."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    next_selector: str = Field(min_length=1)
    prev_selector: str = Field(min_length=1)


PARAMS_MODEL = CalendarDriftParams
