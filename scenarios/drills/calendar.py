"""The calendar stability drill: commit the right date exactly once while the widget
shifts, hides and re-renders.

The task: on the embedded booking site, book a meeting with a given title and attendee on a
given date one to three months ahead. The date picker must be navigated month by month; the
grid re-renders on every month change. Perturbations re-render the widget mid-click, stack
modals over it, slow its data, and fail the save before or after the backend stored it.

The verifier requires exactly one new booking with the goal's date, title and attendee,
allows nothing else, and never allows a removal.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from faker import Faker

from scenarios.model import Goal, Scenario
from scenarios.seeds import child_rng, child_seed
from scenarios.verify import load_spec
from scenarios.workflow import build_graph

#: The date the site believes is "today" in every calendar scenario (never the wall clock).
TODAY = dt.date(2026, 11, 23)

GRAPH = build_graph(
    [
        ("start", "form", "open_page"),
        ("form", "form", "fill_title"),
        ("form", "form", "fill_attendee"),
        ("form", "calendar", "focus_calendar"),
        ("calendar", "calendar", "next_month"),
        ("calendar", "day_selected", "pick_day"),
        ("day_selected", "saving", "confirm"),
        ("saving", "saved", "save_ok"),
        ("saving", "error", "save_failed"),
        ("error", "checked", "recheck_bookings"),
        ("checked", "saving", "retry"),
        ("checked", "saved", "found_saved"),
        ("saved", "done", "verify"),
    ]
)

_FAKER = Faker("en_US")


def _fake(seed: int, *parts: object) -> Faker:
    _FAKER.seed_instance(child_seed(seed, *parts))
    return _FAKER


def _weekday_dates(start: dt.date, end: dt.date) -> list[dt.date]:
    days = (end - start).days
    return [d for i in range(days) if (d := start + dt.timedelta(days=i)).weekday() < 5]


class CalendarDrill:
    """Scenario factory for the calendar stability drill (see the module docstring)."""

    name = "calendar"
    description = "commit the right date exactly once while the widget shifts and re-renders"
    graph = GRAPH

    def scenario(self, seed: int, index: int, *, perturbed: bool = True) -> Scenario:
        """Scenario ``index`` of a pack with master ``seed``; a pure function of both."""
        sseed = child_seed(seed, self.name, index)
        months_ahead = child_rng(sseed, "months").randint(1, 3)
        first = (TODAY.replace(day=1) + dt.timedelta(days=32 * months_ahead)).replace(day=1)
        nxt = (first + dt.timedelta(days=32)).replace(day=1)
        candidates = _weekday_dates(first, nxt)
        target = child_rng(sseed, "date").choice(candidates)
        others = [d for d in _weekday_dates(TODAY, nxt) if d != target]
        rng = child_rng(sseed, "fixture")
        closed = sorted(rng.sample(others, 4))
        taken = sorted(rng.sample([d for d in others if d not in closed], 3))
        bookings = [
            {
                "id": i + 1,
                "date": d.isoformat(),
                "title": _fake(sseed, "booking-title", i).catch_phrase(),
                "attendee": _fake(sseed, "booking-attendee", i).name(),
            }
            for i, d in enumerate(taken)
        ]
        title = _fake(sseed, "title").catch_phrase()
        attendee = _fake(sseed, "attendee").name()
        date = target.isoformat()
        goal = Goal(
            text=(
                f"Book a meeting titled {title!r} with {attendee} on "
                f"{target.strftime('%A %d %B %Y')} ({date}). Book it exactly once."
            ),
            fields={"date": date, "title": title, "attendee": attendee},
        )
        path = (
            ["open_page", "fill_title", "fill_attendee", "focus_calendar"]
            + ["next_month"] * months_ahead
            + ["pick_day", "confirm", "save_ok", "verify"]
        )
        faults = _perturbations(sseed, date) if perturbed else []
        where = {"date": date, "title": title, "attendee": attendee}
        verifier = load_spec(
            {
                "required": [
                    {
                        "name": f"exactly one booking on {date}",
                        "table": "bookings",
                        "op": "added",
                        "where": where,
                        "count": 1,
                    }
                ],
                "allowed": [
                    {
                        "name": "the requested booking",
                        "table": "bookings",
                        "ops": ["added"],
                        "where": where,
                    }
                ],
                "forbidden": [
                    {"name": "no booking is ever removed", "table": "bookings", "ops": ["removed"]}
                ],
            },
            source=f"{self.name}-{index}.verifier",
        )
        return Scenario(
            id=f"{self.name}-{index:05d}",
            drill=self.name,
            seed=sseed,
            goal=goal,
            path=tuple(path),
            fixture={
                "today": TODAY.isoformat(),
                "closed_days": [d.isoformat() for d in closed],
                "bookings": bookings,
            },
            faults=tuple(faults),
            verifier=verifier,
        )


# -- the perturbation space of the drill -------------------------------------------------


def _rerender(rng: random.Random) -> dict[str, Any]:
    selector = rng.choice([".cal-day", ".cal-next"])
    return {
        "layer": "page",
        "kind": "rerender_widget",
        "target": {"selector": "#calendar"},
        "trigger": {"event": "pointerdown", "selector": selector, "nth": 1},
        "probability": 1.0,
        "params": {"mode": rng.choice(["clone", "move"])},
    }


def _modal(rng: random.Random) -> dict[str, Any]:
    event, selector = rng.choice(
        [("pointerdown", ".cal-day"), ("input", "#attendee"), ("pointerdown", ".cal-next")]
    )
    count = rng.choice([1, 1, 2, 3])
    return {
        "layer": "page",
        "kind": "modal",
        "target": {"selector": "body"},
        "trigger": {
            "event": event,
            "selector": selector,
            "nth": 1,
            "delay_ms": rng.choice([0, 100, 250]),
        },
        "probability": 1.0,
        "params": {
            "title": rng.choice(["Your session", "Cookie preferences", "New feature!"]),
            "text": "Please review this notice before you continue.",
            "count": count,
            "stagger_ms": 50 * (count - 1),
            "order": "shuffled",
        },
    }


def _slow_availability(rng: random.Random) -> dict[str, Any]:
    return {
        "layer": "network",
        "kind": "latency",
        "match": {"methods": ["GET"], "path": "/api/availability*"},
        "trigger": {"start": 1},
        "probability": 1.0,
        "params": {"ms": rng.choice([300, 600, 1200]), "jitter_ms": 100},
    }


def _save_error(rng: random.Random) -> dict[str, Any]:
    return {
        "layer": "network",
        "kind": "http_error",
        "match": {"methods": ["POST"], "path": "/api/bookings"},
        "trigger": {"start": 1, "count": 1},
        "probability": 1.0,
        "params": {"status": rng.choice([500, 502, 503]), "when": rng.choice(["before", "after"])},
    }


_SPACE = {
    "rerender_widget": _rerender,
    "modal": _modal,
    "slow_availability": _slow_availability,
    "save_error": _save_error,
}


def _perturbations(sseed: int, date: str) -> list[dict[str, Any]]:
    """One to three perturbations, each drawn from its own child stream."""
    rng = child_rng(sseed, "perturbations")
    k = rng.choice([1, 1, 2, 2, 3])
    names = sorted(rng.sample(sorted(_SPACE), k))
    faults = []
    for name in names:
        fault = _SPACE[name](child_rng(sseed, "perturbation", name))
        faults.append({"id": name, **fault})
    return faults
