"""Booking queries on one tenant's connection (see :mod:`sites.booking.db`).

Writes run in a single transaction that checks availability and writes the row, so two
concurrent requests can never book the same day twice.
"""

from __future__ import annotations

import sqlite3
from datetime import date

from sites.booking.db import transaction
from sites.booking.rules import month_dates, unavailable_reason

Row = dict[str, object]


class Unavailable(Exception):
    """The requested day cannot be booked; the message says why."""


def today(conn: sqlite3.Connection) -> date:
    """The tenant's current date (the ``today`` setting)."""
    row = conn.execute("SELECT value FROM settings WHERE key = 'today'").fetchone()
    if row is None:
        return date.today()
    return date.fromisoformat(str(row[0]))


def list_bookings(conn: sqlite3.Connection) -> list[Row]:
    """All bookings, sorted by id."""
    rows = conn.execute("SELECT id, date, title, attendee FROM bookings ORDER BY id")
    return [dict(row) for row in rows]


def get_booking(conn: sqlite3.Connection, booking_id: int) -> Row | None:
    """The booking with *booking_id*, or ``None``."""
    row = conn.execute(
        "SELECT id, date, title, attendee FROM bookings WHERE id = ?", (booking_id,)
    ).fetchone()
    return None if row is None else dict(row)


def _check_day(conn: sqlite3.Connection, day: date, ignore_id: int | None = None) -> None:
    closed = {str(r[0]) for r in conn.execute("SELECT date FROM closed_days")}
    booked = {
        str(r[0]) for r in conn.execute("SELECT date FROM bookings WHERE id IS NOT ?", (ignore_id,))
    }
    reason = unavailable_reason(day, today=today(conn), closed=closed, booked=booked)
    if reason is not None:
        raise Unavailable(reason)


def availability(conn: sqlite3.Connection, year: int, month: int) -> list[Row]:
    """``{"date", "available"}`` for every day of the month."""
    first, *_, last = month_dates(year, month)
    span = (first.isoformat(), last.isoformat())
    closed = {
        str(r[0])
        for r in conn.execute("SELECT date FROM closed_days WHERE date BETWEEN ? AND ?", span)
    }
    booked = {
        str(r[0])
        for r in conn.execute("SELECT date FROM bookings WHERE date BETWEEN ? AND ?", span)
    }
    now = today(conn)
    return [
        {
            "date": day.isoformat(),
            "available": unavailable_reason(day, today=now, closed=closed, booked=booked) is None,
        }
        for day in month_dates(year, month)
    ]


def create_booking(conn: sqlite3.Connection, day: date, title: str, attendee: str) -> Row:
    """Insert a booking on *day*; raise :class:`Unavailable` if the day is not available."""
    with transaction(conn):
        _check_day(conn, day)
        cursor = conn.execute(
            "INSERT INTO bookings (date, title, attendee) VALUES (?, ?, ?)",
            (day.isoformat(), title, attendee),
        )
        booking_id = cursor.lastrowid
        assert booking_id is not None  # an INSERT always sets it
        row = get_booking(conn, booking_id)
    assert row is not None
    return row


def update_booking(
    conn: sqlite3.Connection, booking_id: int, changes: dict[str, str]
) -> Row | None:
    """Apply *changes* (any of ``date`` as ISO string, ``title``, ``attendee``) to one booking.

    Returns the updated row, or ``None`` when no booking has *booking_id*. Moving a booking
    to another day raises :class:`Unavailable` unless that day is available.
    """
    with transaction(conn):
        current = get_booking(conn, booking_id)
        if current is None:
            return None
        new_date = changes.get("date", str(current["date"]))
        if new_date != current["date"]:
            _check_day(conn, date.fromisoformat(new_date), ignore_id=booking_id)
        for column in ("date", "title", "attendee"):
            if column in changes:
                conn.execute(
                    f"UPDATE bookings SET {column} = ? WHERE id = ?", (changes[column], booking_id)
                )
        return get_booking(conn, booking_id)


def delete_booking(conn: sqlite3.Connection, booking_id: int) -> bool:
    """Delete one booking; ``False`` if there was none with *booking_id*."""
    with transaction(conn):
        cursor = conn.execute("DELETE FROM bookings WHERE id = ?", (booking_id,))
        return cursor.rowcount > 0
