from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sites.booking import widgets
from sites.booking.fixture import Booking, Fixture, default_fixture, parse_fixture
from sites.booking.rules import SLOTS


def test_parse_full_fixture() -> None:
    fixture = parse_fixture(
        {
            "today": "2026-11-23",
            "closed_days": ["2026-12-08"],
            "bookings": [
                {
                    "id": 3,
                    "date": "2026-12-02",
                    "time": "15:00",
                    "title": " Review ",
                    "attendee": "Ann",
                }
            ],
        }
    )
    assert fixture == Fixture(
        today="2026-11-23",
        closed_days=("2026-12-08",),
        bookings=(Booking(3, "2026-12-02", "Review", "Ann", time="15:00"),),
    )


def test_booking_time_defaults_to_the_first_slot() -> None:
    fixture = parse_fixture(
        {
            "today": "2026-11-23",
            "bookings": [{"id": 1, "date": "2026-12-02", "title": "T", "attendee": "A"}],
        }
    )
    assert fixture.bookings[0].time == "09:00" == SLOTS[0]


def test_one_day_may_hold_a_booking_in_every_slot() -> None:
    raw = [
        {"id": i + 1, "date": "2026-12-02", "time": time, "title": "T", "attendee": "A"}
        for i, time in enumerate(SLOTS)
    ]
    fixture = parse_fixture({"today": "2026-11-23", "bookings": raw})
    assert [b.time for b in fixture.bookings] == list(SLOTS)


def test_lists_default_to_empty() -> None:
    assert parse_fixture({"today": "2026-11-23"}) == Fixture(today="2026-11-23")


GOOD_BOOKING = {"id": 1, "date": "2026-12-02", "title": "T", "attendee": "A"}
SLOT_LIST = "09:00, 10:00, 11:00, 13:00, 14:00, 15:00, 16:00"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], r"^fixture: expected a JSON object, got \[\]$"),
        ({}, r"^today: required field is missing$"),
        ({"today": "23.11.2026"}, r"^today: expected a date YYYY-MM-DD, got '23.11.2026'$"),
        ({"today": "2026-11-23", "extra": 1}, r"^extra: unknown field"),
        (
            {"today": "2026-11-23", "date_widget": "jquery-ui"},
            r"^date_widget: expected one of calendar, native, flatpickr, pikaday,"
            r" vanillajs-datepicker, got 'jquery-ui'$",
        ),
        (
            {"today": "2026-11-23", "select_widget": "select2"},
            r"^select_widget: expected one of native, tom-select, choices.js, slim-select,"
            r" got 'select2'$",
        ),
        ({"today": "2026-11-23", "closed_days": "2026-12-08"}, r"^closed_days: expected a list"),
        (
            {"today": "2026-11-23", "closed_days": ["2026-12-08", "2026-12-32"]},
            r"^closed_days\[1\]: expected a date YYYY-MM-DD, got '2026-12-32'$",
        ),
        (
            {"today": "2026-11-23", "closed_days": ["2026-12-08", "2026-12-08"]},
            r"^closed_days\[1\]: duplicate date '2026-12-08'$",
        ),
        ({"today": "2026-11-23", "bookings": [5]}, r"^bookings\[0\]: expected an object, got 5$"),
        (
            {"today": "2026-11-23", "bookings": [{**GOOD_BOOKING, "id": "1"}]},
            r"^bookings\[0\]\.id: expected a positive integer, got '1'$",
        ),
        (
            {"today": "2026-11-23", "bookings": [{**GOOD_BOOKING, "id": True}]},
            r"^bookings\[0\]\.id: expected a positive integer, got True$",
        ),
        (
            {"today": "2026-11-23", "bookings": [{**GOOD_BOOKING, "title": "  "}]},
            r"^bookings\[0\]\.title: expected a non-empty string, got '  '$",
        ),
        (
            {"today": "2026-11-23", "bookings": [{**GOOD_BOOKING, "attendee": "x" * 201}]},
            r"^bookings\[0\]\.attendee: longer than 200 characters \(201\)$",
        ),
        (
            {"today": "2026-11-23", "bookings": [{**GOOD_BOOKING, "room": "B"}]},
            r"^bookings\[0\]\.room: unknown field",
        ),
        (
            {"today": "2026-11-23", "bookings": [GOOD_BOOKING, GOOD_BOOKING]},
            r"^bookings\[1\]\.id: duplicate id 1$",
        ),
        (
            {"today": "2026-11-23", "bookings": [{**GOOD_BOOKING, "time": "12:00"}]},
            rf"^bookings\[0\]\.time: expected one of the slots {SLOT_LIST}, got '12:00'$",
        ),
        (
            {"today": "2026-11-23", "bookings": [{**GOOD_BOOKING, "time": None}]},
            rf"^bookings\[0\]\.time: expected one of the slots {SLOT_LIST}, got None$",
        ),
        (
            # No time means the first slot, so it clashes with an explicit 09:00 booking.
            {
                "today": "2026-11-23",
                "bookings": [{**GOOD_BOOKING, "time": "09:00"}, {**GOOD_BOOKING, "id": 2}],
            },
            r"^bookings\[1\]: slot '2026-12-02 09:00' is already booked$",
        ),
        (
            {
                "today": "2026-11-23",
                "bookings": [
                    {**GOOD_BOOKING, "time": "14:00"},
                    {**GOOD_BOOKING, "id": 2, "time": "10:00"},
                    {**GOOD_BOOKING, "id": 3, "time": "14:00"},
                ],
            },
            r"^bookings\[2\]: slot '2026-12-02 14:00' is already booked$",
        ),
    ],
)
def test_bad_fixture_names_field_and_value(data: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_fixture(data)


def test_default_fixture_books_two_weekdays_after_today() -> None:
    fixture = default_fixture(date(2026, 11, 27))  # a Friday
    assert fixture.today == "2026-11-27"
    assert [b.date for b in fixture.bookings] == ["2026-11-30", "2026-12-07"]
    assert [b.id for b in fixture.bookings] == [1, 2]
    assert [b.time for b in fixture.bookings] == ["09:00", "09:00"]


def test_a_date_widget_whose_library_is_not_installed_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(widgets, "NODE_MODULES", tmp_path)
    with pytest.raises(ValueError, match=r"^date_widget: 'flatpickr' needs .*scripts/bootstrap"):
        parse_fixture({"today": "2026-11-23", "date_widget": "flatpickr"})
    # the site's own widgets need nothing installed
    assert parse_fixture({"today": "2026-11-23", "date_widget": "native"}).date_widget == "native"
