"""Steal the keyboard focus away from the field the agent is filling.

What it does to the page: when the trigger fires (typically ``focus`` or ``input`` on a
field, with a ``delay_ms``), a search box of gymfuzz's own (``input[type=search]`` labelled
``label``, in a small bar fixed at the top right, ``data-gymfuzz=focus_steal``) takes the
focus. Keys typed next go into it, not into the app's field.

What a careful agent does: check the field's value after typing (fill-and-verify), focus the
field again and retype what is missing.

Params:
    label: the search box's accessible name and placeholder, default ``"Search"``.

Events: ``fired`` (detail: ``from`` = tag name of the element that lost the focus, or null;
``stolen``: whether the box holds the focus).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

KIND = "focus_steal"
DRILLS = ("endurance",)
JS_FILE = "focus_steal.js"


class FocusStealParams(BaseModel):
    """Parameters of ``focus_steal``."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    label: str = Field(default="Search", min_length=1, max_length=100)


PARAMS_MODEL = FocusStealParams
