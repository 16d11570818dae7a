"""Attach an autosuggest list that competes with a text field.

What it does to the page: once the trigger fires (typically ``input`` on the field), every
keystroke typed into a field matching ``target.selector`` opens a suggestion list
(``ul[role=listbox]``, ``data-gymfuzz=autosuggest``) right under it, at least 240 px wide,
covering what lies below (often the next field or the submit button). While it is open,
ArrowDown/ArrowUp move its highlight and **Enter picks the highlighted suggestion** (the
field's value is replaced, with ``input`` and ``change`` events) instead of reaching the
app, so the form is not submitted. Escape, or a press outside the list, closes it until the
next keystroke. Suggestions are ``suggestions`` in a seeded order, or, when empty, the typed
text with seeded endings ("Street", "ville", ...).

What a careful agent does: after typing, press Escape (or click away) before Enter or
before moving to a covered field, and re-read the field's value before submitting.

Params:
    suggestions: fixed suggestions (up to 20 strings); empty (default): made from the typed
        text.
    max_items: how many to show, 1 to 10, default 5.

Events: ``fired`` (detail: ``suggestions`` = ``fixed`` or ``from_text``, ``max_items``),
``opened`` (``items``, ``opened`` = times so far), ``picked`` (``value``, ``how``: ``enter``
or ``click``), ``closed`` (``reason``: ``escape``, ``outside``, ``picked``, ``replaced``).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

KIND = "autosuggest"
DRILLS = ("dropdown", "endurance")
JS_FILE = "autosuggest.js"


class AutosuggestParams(BaseModel):
    """Parameters of ``autosuggest``."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    suggestions: tuple[str, ...] = Field(default=(), max_length=20, strict=False)
    max_items: int = Field(default=5, ge=1, le=10)


PARAMS_MODEL = AutosuggestParams
