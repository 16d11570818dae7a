from __future__ import annotations

from datetime import date

import pytest

from sites.booking.rules import (
    SLOTS,
    closed_reason,
    is_available,
    month_dates,
    parse_iso_date,
    parse_month,
    parse_slot,
    slot_reason,
    unavailable_reason,
)

TODAY = date(2026, 11, 23)  # a Monday


def test_parse_iso_date_accepts_only_plain_dates() -> None:
    assert parse_iso_date("2026-12-02", "date") == date(2026, 12, 2)


@pytest.mark.parametrize("bad", ["20261202", "2026-02-30", "2026-12-2", "", None, 20261202])
def test_parse_iso_date_rejects(bad: object) -> None:
    with pytest.raises(ValueError, match=rf"^when: expected a date YYYY-MM-DD, got {bad!r}"):
        parse_iso_date(bad, "when")


def test_parse_month() -> None:
    assert parse_month("2026-12") == (2026, 12)


@pytest.mark.parametrize("bad", ["2026-13", "2026-00", "2026-1", "202612", None])
def test_parse_month_rejects(bad: object) -> None:
    with pytest.raises(ValueError, match=r"month: expected a month YYYY-MM"):
        parse_month(bad)


def test_month_dates_handles_leap_february() -> None:
    days = month_dates(2028, 2)
    assert (days[0], days[-1], len(days)) == (date(2028, 2, 1), date(2028, 2, 29), 29)


@pytest.mark.parametrize("time", SLOTS)
def test_parse_slot_accepts_every_slot(time: str) -> None:
    assert parse_slot(time) == time


def test_slots_are_hourly_and_skip_lunch() -> None:
    assert SLOTS == ("09:00", "10:00", "11:00", "13:00", "14:00", "15:00", "16:00")


@pytest.mark.parametrize("bad", ["12:00", "9:00", "09:30", "0900", "", None, 9, "09:00 "])
def test_parse_slot_rejects(bad: object) -> None:
    slots = "09:00, 10:00, 11:00, 13:00, 14:00, 15:00, 16:00"
    message = f"when: expected one of the slots {slots}, got {bad!r}"
    with pytest.raises(ValueError) as caught:
        parse_slot(bad, "when")
    assert str(caught.value) == message


def test_parse_slot_names_time_by_default() -> None:
    with pytest.raises(ValueError, match=r"^time: expected one of the slots 09:00, .*got '08:00'$"):
        parse_slot("08:00")


CLOSED = {"2026-12-08"}
#: 2026-12-02 has one booked slot; 2026-12-03 has all of them.
TAKEN = {"2026-12-02": {"10:00"}, "2026-12-03": set(SLOTS)}


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (date(2026, 11, 28), "2026-11-28 is a Saturday"),
        (date(2026, 11, 29), "2026-11-29 is a Sunday"),
        (date(2026, 11, 20), "2026-11-20 is in the past (today is 2026-11-23)"),
        (date(2026, 12, 8), "2026-12-08 is a closed day"),
        (date(2026, 12, 2), None),
        (date(2026, 11, 23), None),
    ],
)
def test_closed_reason_ignores_bookings(day: date, reason: str | None) -> None:
    assert closed_reason(day, today=TODAY, closed=CLOSED) == reason


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (date(2026, 11, 28), "2026-11-28 is a Saturday"),
        (date(2026, 11, 29), "2026-11-29 is a Sunday"),
        (date(2026, 11, 20), "2026-11-20 is in the past (today is 2026-11-23)"),
        (date(2026, 12, 8), "2026-12-08 is a closed day"),
        (date(2026, 12, 3), "2026-12-03 is fully booked"),
        (date(2026, 12, 2), None),  # one slot taken, six free
        (date(2026, 11, 23), None),  # today itself is open
    ],
)
def test_unavailable_reason(day: date, reason: str | None) -> None:
    taken = TAKEN.get(day.isoformat(), set())
    assert unavailable_reason(day, today=TODAY, closed=CLOSED, taken=taken) == reason
    assert is_available(day, today=TODAY, closed=CLOSED, taken=taken) is (reason is None)


def test_a_closed_reason_wins_over_fully_booked() -> None:
    full = set(SLOTS)
    assert (
        unavailable_reason(date(2026, 12, 8), today=TODAY, closed=CLOSED, taken=full)
        == "2026-12-08 is a closed day"
    )


def test_a_day_with_one_free_slot_is_available() -> None:
    taken = set(SLOTS) - {"16:00"}
    assert is_available(date(2026, 12, 3), today=TODAY, closed=CLOSED, taken=taken)


@pytest.mark.parametrize(
    ("day", "time", "reason"),
    [
        (date(2026, 12, 2), "10:00", "2026-12-02 10:00 is already booked"),
        (date(2026, 12, 2), "11:00", None),
        (date(2026, 12, 3), "16:00", "2026-12-03 16:00 is already booked"),
        (date(2026, 11, 28), "09:00", "2026-11-28 is a Saturday"),
        (date(2026, 11, 20), "13:00", "2026-11-20 is in the past (today is 2026-11-23)"),
        (date(2026, 12, 8), "14:00", "2026-12-08 is a closed day"),
        (date(2026, 11, 23), "09:00", None),
    ],
)
def test_slot_reason(day: date, time: str, reason: str | None) -> None:
    taken = TAKEN.get(day.isoformat(), set())
    assert slot_reason(day, time, today=TODAY, closed=CLOSED, taken=taken) == reason
