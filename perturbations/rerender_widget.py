"""Re-render a widget: its DOM subtree is replaced by a fresh copy when the trigger fires.

What it does to the page: every element matching ``target.selector`` (outermost matches
only) is swapped for a new node, the way a framework re-renders a widget. Element handles the
agent took before go stale (``isConnected`` is false; clicking them fails). With a
``pointerdown`` trigger and ``delay_ms`` 0 the swap happens inside the press itself, so the
click in progress lands on a node other than the one pressed and is lost, as when a date
picker re-renders mid-click (in Chromium no click is dispatched at all, in either mode).

What a careful agent does: re-query elements after each interaction instead of reusing
handles, check that its click had the intended effect (the value the widget shows, or
better the system state), and click again when it did not.

Params:
    mode: ``"clone"`` (default) replaces the element by ``cloneNode(true)``: the whole subtree
        is new and listeners bound directly to its nodes are lost (apps that delegate events
        to the document, or use inline ``on*`` attributes, keep working). ``"move"`` creates
        a fresh element with the same tag and attributes and moves the original children into
        it: handles to the container go stale, its children keep their listeners.

Fired event detail: ``selector``, ``mode``, ``replaced`` (subtrees swapped) and ``nodes``
(elements in them).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

KIND = "rerender_widget"
DRILLS = ("calendar", "dropdown")
JS_FILE = "rerender_widget.js"


class RerenderWidgetParams(BaseModel):
    """Parameters of ``rerender_widget``."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    mode: Literal["clone", "move"] = "clone"


PARAMS_MODEL = RerenderWidgetParams
