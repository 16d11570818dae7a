"""Open a native browser dialog (alert, confirm or prompt) right after the trigger.

What it does to the page: just after the triggering event completes, ``window.alert``,
``confirm`` or ``prompt`` opens with ``message`` (the page's own replacements of them are
bypassed). The page is blocked until the dialog is answered. The answer is reported and
changes nothing in the app. Playwright dismisses dialogs by itself only when no
``page.on("dialog")`` handler is set.

What a careful agent does: handle dialogs (read, accept or dismiss), then check whether the
action it was doing took effect and redo it if not.

Params:
    dialog: ``"alert"`` (default), ``"confirm"`` or ``"prompt"``.
    message: the dialog text (up to 500 characters).
    default_text: a prompt's prefilled answer, default ``""``.

Events: ``fired`` (detail: ``dialog``), ``answered`` (``dialog``, ``answer``: null for an
alert, true/false for confirm, the text or null for prompt).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

KIND = "native_dialog"
DRILLS = ("endurance",)
JS_FILE = "native_dialog.js"


class NativeDialogParams(BaseModel):
    """Parameters of ``native_dialog``."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    dialog: Literal["alert", "confirm", "prompt"] = "alert"
    message: str = Field(max_length=500)
    default_text: str = Field(default="", max_length=200)


PARAMS_MODEL = NativeDialogParams
