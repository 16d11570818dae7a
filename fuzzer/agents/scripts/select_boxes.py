"""What the careful dropdown agent knows of each select library the seat may be drawn with.

The preferences page's seat ``<select>`` is the browser's own, or hidden under one of three
npm libraries (Tom Select, Choices.js, Slim Select; see :mod:`sites.booking.widgets`) that
draw a box and an option list of their own. A :class:`SeatBox` says how to open one and which
option names a value, found by the library's own markup next to ``select[name=seat]`` (never
by an id, which the ``renamed`` look changes, nor by a hint the site adds).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.async_api import Page

SEAT = "select[name=seat]"

#: The seat labels the page shows (Slim Select names its options by label only).
SEAT_LABELS = {"aisle": "Aisle", "middle": "Middle", "window": "Window"}


@dataclass(frozen=True)
class SeatBox:
    """One library's seat box: ``opener`` opens its list, ``option`` (a template with
    ``{value}`` and ``{label}``) is the option to click."""

    name: str
    opener: str
    option: str

    def option_for(self, value: str) -> str:
        return self.option.format(value=value, label=SEAT_LABELS.get(value, value))


BOXES = (
    SeatBox(
        "tom-select",
        opener=f"{SEAT} + .ts-wrapper .ts-control",
        option=f'{SEAT} + .ts-wrapper .ts-dropdown [role=option][data-value="{{value}}"]',
    ),
    SeatBox(
        "choices.js",
        opener=f".choices:has({SEAT})",
        option=(
            f'.choices:has({SEAT}) .choices__list--dropdown [role=option][data-value="{{value}}"]'
        ),
    ),
    SeatBox(
        "slim-select",
        opener=f"{SEAT} + .ss-main",
        option='.ss-content.ss-open [role=option]:text-is("{label}")',
    ),
)


async def seat_box(page: Page) -> SeatBox | None:
    """The library drawing the seat now, or ``None`` for the browser's own ``<select>``."""
    for box in BOXES:
        if await page.locator(box.opener).count():
            return box
    return None
