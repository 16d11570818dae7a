"""What the careful calendar agent knows of each date-picker implementation it may meet.

The embedded site draws its date field with its own grid, the browser's date input, or one of
three npm libraries (flatpickr, Pikaday, vanillajs-datepicker; see
:mod:`sites.booking.widgets`). Each has its own markup: how it shows the month, where its
month buttons are, how a day is named. A :class:`Picker` holds that knowledge for one of them,
found on the page by the library's own markup (:func:`detect`), never by a hint the site adds.
The ``native`` input has no month to page: the agent types the date into it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.async_api import Page

#: JS: ``(year, month0)`` -> ``"YYYY-MM"``.
_YM = "(y, m) => `${y}-${String(Number(m) + 1).padStart(2, '0')}`"


def _selects_month(month: str, year: str) -> str:
    """JS reading the shown month from a month ``<select>`` (0-based) and a year field."""
    return (
        f"c => {{ const m = c.querySelector('{month}'), y = c.querySelector('{year}');"
        f" return m && y ? ({_YM})(y.value, m.value) : ''; }}"
    )


@dataclass(frozen=True)
class Picker:
    """How to read and drive one date-picker implementation inside ``#calendar``.

    Attributes:
        name: the implementation (the site's ``date_widget`` names).
        root: a selector (inside ``#calendar``) present once it is drawn.
        month_js: JS taking the ``#calendar`` element, returning the shown ``"YYYY-MM"``.
        next: the next-month button; ``prev``: the previous-month one.
    """

    name: str
    root: str
    month_js: str = ""
    next: str = ""
    prev: str = ""

    @property
    def typed(self) -> bool:
        """Whether the date is typed rather than picked from a month."""
        return self.name == "native"

    async def day(self, page: Page, date: str) -> str:
        """The selector of the enabled button for ``date`` in the shown month."""
        day = dt.date.fromisoformat(date)
        if self.name == "flatpickr":  # named by its aria-label, "December 15, 2026"
            label = f"{day:%B} {day.day}, {day.year}"
            return (
                f'.flatpickr-day[aria-label="{label}"]'
                ":not(.flatpickr-disabled):not(.prevMonthDay):not(.nextMonthDay)"
            )
        if self.name == "pikaday":  # months count from 0
            return (
                f'td:not(.is-disabled) > .pika-button[data-pika-year="{day.year}"]'
                f'[data-pika-month="{day.month - 1}"][data-pika-day="{day.day}"]'
            )
        if self.name == "vanillajs-datepicker":  # named by the local midnight's epoch ms
            ms = await page.evaluate(
                "([y, m, d]) => new Date(y, m - 1, d).getTime()", [day.year, day.month, day.day]
            )
            return f'.datepicker-cell.day[data-date="{ms}"]:not(.disabled):not(.prev):not(.next)'
        return f'.cal-day[data-date="{date}"]:not([disabled])'


PICKERS = (
    Picker(
        "flatpickr",
        root=".flatpickr-calendar",
        month_js=_selects_month(".flatpickr-monthDropdown-months", ".cur-year"),
        next=".flatpickr-next-month",
        prev=".flatpickr-prev-month",
    ),
    Picker(
        "pikaday",
        root=".pika-single",
        month_js=_selects_month(".pika-select-month", ".pika-select-year"),
        next=".pika-next",
        prev=".pika-prev",
    ),
    Picker(
        "vanillajs-datepicker",
        root=".datepicker-picker",
        month_js=(
            "c => { const d = c.querySelector('.datepicker-cell.day:not(.prev):not(.next)');"
            " if (!d) return ''; const t = new Date(Number(d.dataset.date));"
            f" return ({_YM})(t.getFullYear(), t.getMonth()); }}"
        ),
        next=".datepicker .next-button",
        prev=".datepicker .prev-button",
    ),
    Picker("native", root="input[type=date]"),
    Picker(
        "calendar",
        root=".cal-month:not([data-month=''])",
        month_js="c => c.querySelector('.cal-month')?.dataset.month || ''",
        next=".cal-next",
        prev=".cal-prev",
    ),
)


#: Present once ``#calendar`` is idle and drawn, whatever draws it.
READY = f"#calendar[aria-busy='false'] :is({', '.join(p.root for p in PICKERS)})"


async def detect(page: Page) -> Picker:
    """The implementation drawn in ``#calendar`` now (the site's grid when none other is)."""
    for picker in PICKERS:
        if await page.locator(f"#calendar {picker.root}").count():
            return picker
    return PICKERS[-1]


async def shown_month(page: Page, picker: Picker) -> str:
    """The month ``picker`` shows, ``"YYYY-MM"`` (``""`` while it is not drawn)."""
    calendar = page.locator("#calendar").first
    if not picker.month_js or not await calendar.count():
        return ""
    month: str = await calendar.evaluate(picker.month_js)
    return month
