"""The calendar stability drill: commit the right date and time exactly once while the
widget shifts, hides and re-renders.

The task: on the embedded booking site, book a meeting with a given title and attendee on a
given date one to three months ahead, at a given time slot. The date picker must be
navigated month by month; the grid re-renders on every month change, and the day's slots
load after the day is picked. Perturbations re-render the picker or the slots mid-click,
stack modals over them, slow their data, and fail the save before or after the backend
stored it.

The workflow graph, the perturbation space and the goal and verifier templates live in
``graphs/calendar.json`` (the workflow graph format). The date, the fixture (closed days,
a fully booked day, existing bookings, two of them on the goal's day at other times) and
the path are tied together here: the path pages ``next_month`` once
per month ahead, and goes through ``save_failed`` then ``retry`` (the save never reached the
backend) or ``found_saved`` (it did) when the scenario fails the save.

The verifier requires exactly one new booking with the goal's date, time, title and
attendee, allows nothing else, and never allows a removal.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from scenarios.covering import Row
from scenarios.drills.graph import GraphDrill, builtin_spec
from scenarios.fakedata import day_range, fake_value
from scenarios.paths import graph_of
from scenarios.seeds import child_seed

#: The time slots the embedded site books (its ``sites.booking.rules.SLOTS``, written out here
#: because scenarios describe the app without importing it; a test keeps the two equal).
SLOTS = ("09:00", "10:00", "11:00", "13:00", "14:00", "15:00", "16:00")

#: The date the site believes is "today" in every calendar scenario (never the wall clock).
TODAY = dt.date(2026, 11, 23)

SPEC = builtin_spec("calendar")


class CalendarDrill(GraphDrill):
    """Scenario factory for the calendar stability drill (see the module docstring)."""

    def __init__(self, *, strength: int = 2, locale: str = "en_US") -> None:
        super().__init__(SPEC, strength=strength, locale=locale)
        self._save_error = [p.id for p in SPEC.perturbations].index("save_error")
        self.path_source = "drill: month paging and the save branch of the faults"

    def configured(self, *, strength: int, locale: str) -> CalendarDrill:
        """The calendar drill with another covering strength or locale."""
        return CalendarDrill(strength=strength, locale=locale)

    def data(self, sseed: int) -> dict[str, str]:
        """Title, attendee, a weekday one to three months ahead of :data:`TODAY`, a slot."""
        months = child_seed(sseed, "months") % 3 + 1
        first = _month_start(TODAY, months)
        target = _pick(day_range(first, _month_start(first, 1), True), child_seed(sseed, "date"))
        return {
            "title": fake_value(self.locale, "catch_phrase", child_seed(sseed, "title")),
            "attendee": fake_value(self.locale, "name", child_seed(sseed, "attendee")),
            "date": target.isoformat(),
            "date_text": target.strftime("%A %d %B %Y"),
            "time": SLOTS[child_seed(sseed, "time") % len(SLOTS)],
            "months": str(months),
        }

    def fixture(self, sseed: int, data: dict[str, str]) -> dict[str, Any]:
        """Four closed weekdays, one fully booked day, three bookings on other days and two
        on the goal's day (never at the goal's time)."""
        target = dt.date.fromisoformat(data["date"])
        end = _month_start(target, 1)
        others = [d for d in day_range(TODAY, end, True) if d != target]
        rng = random.Random(child_seed(sseed, "fixture"))
        closed = sorted(rng.sample(others, 4))
        full, *taken = rng.sample([d for d in others if d not in closed], 4)
        other_times = [t for t in SLOTS if t != data["time"]]
        slots = [(full, t) for t in SLOTS]
        slots += [(d, rng.choice(SLOTS)) for d in sorted(taken)]
        slots += [(target, t) for t in sorted(rng.sample(other_times, 2))]
        # The existing bookings are one field of the fixture: one stream draws them all.
        bits = rng.getrandbits
        return {
            "bookings": [
                {
                    "attendee": fake_value(self.locale, "name", bits(53)),
                    "date": d.isoformat(),
                    "id": i + 1,
                    "time": t,
                    "title": fake_value(self.locale, "catch_phrase", bits(53)),
                }
                for i, (d, t) in enumerate(slots)
            ],
            "closed_days": [d.isoformat() for d in closed],
            "today": TODAY.isoformat(),
        }

    def path(self, index: int, row: Row, data: dict[str, str]) -> list[str]:
        """The expected walk: month paging for the date, the error branch if a save fails."""
        head = ["open_page", "fill_title", "fill_attendee", "focus_calendar"]
        head += ["next_month"] * int(data["months"]) + ["pick_day", "pick_time", "confirm"]
        level = self.levels[self._save_error][row[self._save_error]] if row else None
        if level is None:
            return [*head, "save_ok", "verify"]
        if level["params"]["when"] == "after":
            return [*head, "save_failed", "recheck_bookings", "found_saved", "verify"]
        return [*head, "save_failed", "recheck_bookings", "retry", "save_ok", "verify"]


def _month_start(day: dt.date, months: int) -> dt.date:
    total = day.year * 12 + day.month - 1 + months
    return dt.date(total // 12, total % 12 + 1, 1)


def _pick(days: tuple[dt.date, ...], seed: int) -> dt.date:
    return days[seed % len(days)]


GRAPH = graph_of(SPEC)
