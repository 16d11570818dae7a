"""Lay a layer over the target that takes the clicks meant for it.

What it does to the page: when the trigger fires, each visible element matching
``target.selector`` (the app's, never another perturbation's own, such as a modal's button)
gets a layer (``div[data-gymfuzz=click_overlay]``) laid exactly over it, a few pixels wider,
on top of everything. A click on the target lands on the layer and is
lost (the app never sees it); Playwright's ``click`` reports that the layer intercepts
pointer events. The layer goes away after ``clicks_to_dismiss`` clicks on it, or after
``duration_ms``.

What a careful agent does: check that each click had its effect (the value shown, better the
system state), and click again when it did not; after the layer is gone the target works.

Params:
    clicks_to_dismiss: clicks the layer swallows before it removes itself, 1 to 5, default 1.
    duration_ms: remove the layer after this long, 0 to 600000 ms; 0 (default): only clicks
        remove it.
    visible: ``false`` (default) a transparent layer, as an invisible ad frame; ``true`` a
        faint white veil.

Events: ``fired`` (detail: ``covered`` = layers laid, ``clicks_to_dismiss``,
``duration_ms``), ``intercepted`` per click taken (``index``, ``clicks``), ``removed``
(``index``, ``reason``: ``clicked`` or ``timeout``).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

KIND = "click_overlay"
DRILLS = ("calendar", "dropdown", "endurance")
JS_FILE = "click_overlay.js"


class ClickOverlayParams(BaseModel):
    """Parameters of ``click_overlay``."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    clicks_to_dismiss: int = Field(default=1, ge=1, le=5)
    duration_ms: int = Field(default=0, ge=0, le=600_000)
    visible: bool = False


PARAMS_MODEL = ClickOverlayParams
