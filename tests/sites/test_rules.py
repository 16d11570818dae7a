from __future__ import annotations

from datetime import date

import pytest

from sites.booking.rules import (
    is_available,
    month_dates,
    parse_iso_date,
    parse_month,
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


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (date(2026, 11, 28), "2026-11-28 is a Saturday"),
        (date(2026, 11, 29), "2026-11-29 is a Sunday"),
        (date(2026, 11, 20), "2026-11-20 is in the past (today is 2026-11-23)"),
        (date(2026, 12, 8), "2026-12-08 is a closed day"),
        (date(2026, 12, 2), "2026-12-02 is already booked"),
        (date(2026, 11, 23), None),
    ],
)
def test_unavailable_reason(day: date, reason: str | None) -> None:
    closed, booked = {"2026-12-08"}, {"2026-12-02"}
    assert unavailable_reason(day, today=TODAY, closed=closed, booked=booked) == reason
    assert is_available(day, today=TODAY, closed=closed, booked=booked) is (reason is None)
