"""Shared test data for the booking site tests."""

from __future__ import annotations

from typing import Any

from sites.booking.rules import SLOTS

ADMIN_TOKEN = "test-token"
ADMIN = {"X-Admin-Token": ADMIN_TOKEN}

#: Today is Monday 2026-11-23; 2026-12-08 is closed; bookings at 2026-12-02 10:00 and (past)
#: 2026-11-20 09:00. Every other slot of 2026-12-02 is free, so that day stays available.
FIXTURE: dict[str, Any] = {
    "today": "2026-11-23",
    "closed_days": ["2026-12-08"],
    "bookings": [
        {
            "id": 1,
            "date": "2026-12-02",
            "time": "10:00",
            "title": "Budget review",
            "attendee": "Ann Lee",
        },
        {
            "id": 7,
            "date": "2026-11-20",
            "time": "09:00",
            "title": "Kick-off",
            "attendee": "Bo Chen",
        },
    ],
}


#: The tenant's whole state (every table, rows keyed by primary key) after a reset to
#: :data:`FIXTURE`; missing tables hold the fixture defaults.
FIXTURE_STATE: dict[str, Any] = {
    "bookings": {
        "1": {
            "id": 1,
            "date": "2026-12-02",
            "time": "10:00",
            "title": "Budget review",
            "attendee": "Ann Lee",
        },
        "7": {
            "id": 7,
            "date": "2026-11-20",
            "time": "09:00",
            "title": "Kick-off",
            "attendee": "Bo Chen",
        },
    },
    "closed_days": {"2026-12-08": {"date": "2026-12-08"}},
    "emails": {},
    "flights": {},
    "preferences": {
        "home_airport": {"key": "home_airport", "value": "LHR"},
        "meal": {"key": "meal", "value": "standard"},
        "seat": {"key": "seat", "value": "aisle"},
    },
    "settings": {"today": {"key": "today", "value": "2026-11-23"}},
    "trips": {},
}


def full_day(day: str, first_id: int) -> list[dict[str, Any]]:
    """Bookings holding every slot of *day*, with ids from *first_id* on."""
    return [
        {"id": first_id + i, "date": day, "time": time, "title": f"Slot {time}", "attendee": "Fay"}
        for i, time in enumerate(SLOTS)
    ]


def episode(tenant: str) -> dict[str, str]:
    """Headers that put a request in *tenant*."""
    return {"X-Gymfuzz-Episode": tenant}


#: Mails of tenant tests: two in the inbox (ids 3 and 9), one sent (id 5).
MAILS: list[dict[str, Any]] = [
    {
        "id": 3,
        "folder": "inbox",
        "sender": "ann@example.com",
        "recipient": "me@gymfuzz.test",
        "subject": "Agenda",
        "body": "Line one\nLine two",
    },
    {
        "id": 5,
        "folder": "sent",
        "sender": "me@gymfuzz.test",
        "recipient": "bo@example.com",
        "subject": "Re: Agenda",
        "body": "",
    },
    {
        "id": 9,
        "folder": "inbox",
        "sender": "cy@example.org",
        "recipient": "me@gymfuzz.test",
        "subject": "Lunch?",
        "body": "Noon?",
    },
]


#: Browser init script counting the answers whose body the page has read (``__bodiesRead``),
#: so a test can wait until a stale answer was handled, and check it changed nothing,
#: without sleeping.
COUNT_READ_BODIES = """
(() => {
  window.__bodiesRead = 0;
  const json = Response.prototype.json;
  Response.prototype.json = function () {
    return json.call(this).finally(() => { window.__bodiesRead += 1; });
  };
})();
"""
