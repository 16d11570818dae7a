"""Reorder (and optionally rename) a dropdown's options when it is opened.

What it does to the page: when the trigger fires (typically ``pointerdown`` or ``focus`` on
the dropdown, ``repeat`` for every opening), the options inside each target (elements
matching ``option_selector``: ``<option>`` or ``role=option``) are moved into a seeded
order within their parent; with ``label_suffix`` each option's label gets it once. Values
and the current selection are kept: only positions and labels change. Picking "the third
option" picks something else.

What a careful agent does: choose options by value or by label as read now (never by
position), then re-read the selected value (better, the system state) after choosing.

Params:
    option_selector: CSS selector of the options inside a target, default
        ``"option, [role=option]"``.
    label_suffix: text appended to each label (once), default ``""`` (labels kept).

Events: ``fired`` (detail: ``options`` moved, ``orders`` = for each group the original
index of each option in its new order, ``label_suffix``).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

KIND = "option_churn"
DRILLS = ("dropdown",)
JS_FILE = "option_churn.js"


class OptionChurnParams(BaseModel):
    """Parameters of ``option_churn``."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    option_selector: str = Field(default="option, [role=option]", min_length=1)
    label_suffix: str = Field(default="", max_length=50)


PARAMS_MODEL = OptionChurnParams
