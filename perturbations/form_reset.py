"""Silently reset a form to its initial values.

What it does to the page: when the trigger fires (e.g. ``focus`` on the submit button, or a
``step`` index), every form matching ``target.selector`` (or every field inside a target
that is not a form) goes back to its initial values: text to its ``value`` attribute,
checkboxes and radios to ``checked``, selects to their ``selected`` options. No ``input``
or ``change`` event is sent: neither the app nor the agent is told.

What a careful agent does: re-read every field right before submitting and fill again what
changed; after a submit, check the system state.

Params:
    (none): the kind takes no parameters; ``params`` must be ``{}``.

Events: ``fired`` (detail: ``reset`` = names (or ids) of the fields whose value changed).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

KIND = "form_reset"
DRILLS = ("dropdown", "endurance")
JS_FILE = "form_reset.js"


class FormResetParams(BaseModel):
    """Parameters of ``form_reset``."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


PARAMS_MODEL = FormResetParams
