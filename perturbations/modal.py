"""Show stacked modal dialogs that arrive late and out of order.

What it does to the page: when the trigger fires, ``count`` modals appear one after another,
``stagger_ms`` apart (timed from the trigger). Each is a full-viewport backdrop
(``div.gf-modal-backdrop[data-gymfuzz=modal]``) that takes every click, holding a
``role=dialog`` box with a heading (``title``), a paragraph (``text``) and a
``button.gf-modal-close`` labelled ``close_label``. Their stacking order is a seeded
permutation (``order="shuffled"``), so a modal that arrives later may sit *under* an
earlier one; ``order="in_order"`` stacks each new one on top. Clicks meant for the page
underneath hit the backdrop and are lost. Boxes cascade by layer so every one is visible.

What a careful agent does: notice the dialogs (``role=dialog``), close the topmost one first
(only its close button can be hit), wait for late arrivals while ``stagger_ms`` runs, and
retry the action the modal interrupted. Closing every modal always restores the page.

Params:
    title: heading text (1 to 200 characters).
    text: paragraph text (up to 2000 characters).
    close_label: close button text, default ``"Close"``.
    count: number of modals, 1 to 5, default 1.
    stagger_ms: delay between two modals, 0 to 10000 ms, default 0 (all at once).
    order: ``"shuffled"`` (default) or ``"in_order"``.

Events: ``fired`` (detail: ``count``, ``order``, ``layers`` = stacking layer of each modal by
arrival, 0 = bottom, ``stagger_ms``), then ``shown`` per modal and ``dismissed`` when one is
closed (detail: ``index`` by arrival, ``layer``, ``open`` = how many are still shown).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

KIND = "modal"
DRILLS = ("endurance",)
JS_FILE = "modal.js"


class ModalParams(BaseModel):
    """Parameters of ``modal``."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    title: str = Field(min_length=1, max_length=200)
    text: str = Field(max_length=2000)
    close_label: str = Field(default="Close", min_length=1, max_length=50)
    count: int = Field(default=1, ge=1, le=5)
    stagger_ms: int = Field(default=0, ge=0, le=10_000)
    order: Literal["shuffled", "in_order"] = "shuffled"


PARAMS_MODEL = ModalParams
