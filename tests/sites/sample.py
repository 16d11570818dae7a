"""Shared test data for the booking site tests."""

from __future__ import annotations

from typing import Any

ADMIN_TOKEN = "test-token"
ADMIN = {"X-Admin-Token": ADMIN_TOKEN}

#: Today is Monday 2026-11-23; 2026-12-08 is closed; bookings on 2026-12-02 and (past) 11-20.
FIXTURE: dict[str, Any] = {
    "today": "2026-11-23",
    "closed_days": ["2026-12-08"],
    "bookings": [
        {"id": 1, "date": "2026-12-02", "title": "Budget review", "attendee": "Ann Lee"},
        {"id": 7, "date": "2026-11-20", "title": "Kick-off", "attendee": "Bo Chen"},
    ],
}


def episode(tenant: str) -> dict[str, str]:
    """Headers that put a request in *tenant*."""
    return {"X-Gymfuzz-Episode": tenant}
