"""Booking queries on one tenant's connection (see :mod:`sites.booking.db`).

A booking holds one slot: a date and a start time from :data:`~sites.booking.rules.SLOTS`.
Writes run in a single transaction that checks the slot and writes the row, so two
concurrent requests can never book the same slot twice.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from datetime import date

from sites.booking.db import transaction
from sites.booking.rules import SLOTS, month_dates, slot_reason, unavailable_reason
from sites.booking.widgets import DEFAULTS

Row = dict[str, object]

_COLUMNS = "id, date, time, title, attendee"


class Unavailable(Exception):
    """The requested slot cannot be booked; the message says why."""


def today(conn: sqlite3.Connection) -> date:
    """The tenant's current date (the ``today`` setting)."""
    row = conn.execute("SELECT value FROM settings WHERE key = 'today'").fetchone()
    if row is None:
        return date.today()
    return date.fromisoformat(str(row[0]))


def widgets(conn: sqlite3.Connection) -> dict[str, str]:
    """How the pages draw their widgets: ``{"date_widget": name, "select_widget": name}``
    (the tenant's settings, else the defaults; see :mod:`sites.booking.widgets`)."""
    out = dict(DEFAULTS)
    for key, value in conn.execute(
        f"SELECT key, value FROM settings WHERE key IN ({', '.join('?' * len(out))})", list(out)
    ):
        out[str(key)] = str(value)
    return out


def list_bookings(conn: sqlite3.Connection) -> list[Row]:
    """All bookings, sorted by id."""
    rows = conn.execute(f"SELECT {_COLUMNS} FROM bookings ORDER BY id")
    return [dict(row) for row in rows]


def get_booking(conn: sqlite3.Connection, booking_id: int) -> Row | None:
    """The booking with *booking_id*, or ``None``."""
    row = conn.execute(f"SELECT {_COLUMNS} FROM bookings WHERE id = ?", (booking_id,)).fetchone()
    return None if row is None else dict(row)


def _closed(conn: sqlite3.Connection, first: date, last: date) -> set[str]:
    span = (first.isoformat(), last.isoformat())
    return {
        str(r[0])
        for r in conn.execute("SELECT date FROM closed_days WHERE date BETWEEN ? AND ?", span)
    }


def _taken(
    conn: sqlite3.Connection, first: date, last: date, ignore_id: int | None = None
) -> dict[str, set[str]]:
    """Booked slot times by ISO date between *first* and *last*."""
    taken: dict[str, set[str]] = defaultdict(set)
    rows = conn.execute(
        "SELECT date, time FROM bookings WHERE date BETWEEN ? AND ? AND id IS NOT ?",
        (first.isoformat(), last.isoformat(), ignore_id),
    )
    for day, time in rows:
        taken[str(day)].add(str(time))
    return taken


def _check_slot(
    conn: sqlite3.Connection, day: date, time: str, ignore_id: int | None = None
) -> None:
    taken = _taken(conn, day, day, ignore_id)[day.isoformat()]
    closed = _closed(conn, day, day)
    reason = slot_reason(day, time, today=today(conn), closed=closed, taken=taken)
    if reason is not None:
        raise Unavailable(reason)


def availability(conn: sqlite3.Connection, year: int, month: int) -> list[Row]:
    """``{"date", "available"}`` for every day of the month (available: a slot is free)."""
    first, *_, last = month_dates(year, month)
    closed, taken, now = _closed(conn, first, last), _taken(conn, first, last), today(conn)
    return [
        {
            "date": day.isoformat(),
            "available": unavailable_reason(
                day, today=now, closed=closed, taken=taken[day.isoformat()]
            )
            is None,
        }
        for day in month_dates(year, month)
    ]


def slots(conn: sqlite3.Connection, day: date) -> list[Row]:
    """``{"time", "available"}`` for every slot of *day* (none is available on a closed day)."""
    taken = _taken(conn, day, day)[day.isoformat()]
    closed, now = _closed(conn, day, day), today(conn)
    return [
        {
            "time": time,
            "available": slot_reason(day, time, today=now, closed=closed, taken=taken) is None,
        }
        for time in SLOTS
    ]


def create_booking(
    conn: sqlite3.Connection, day: date, time: str, title: str, attendee: str
) -> Row:
    """Book the slot at *time* on *day*; raise :class:`Unavailable` if it is not free."""
    with transaction(conn):
        _check_slot(conn, day, time)
        cursor = conn.execute(
            "INSERT INTO bookings (date, time, title, attendee) VALUES (?, ?, ?, ?)",
            (day.isoformat(), time, title, attendee),
        )
        booking_id = cursor.lastrowid
        assert booking_id is not None  # an INSERT always sets it
        row = get_booking(conn, booking_id)
    assert row is not None
    return row


def update_booking(
    conn: sqlite3.Connection, booking_id: int, changes: dict[str, str]
) -> Row | None:
    """Apply *changes* (any of ``date``, ``time``, ``title``, ``attendee``) to one booking.

    Returns the updated row, or ``None`` when no booking has *booking_id*. Moving a booking
    to another slot raises :class:`Unavailable` unless that slot is free.
    """
    with transaction(conn):
        current = get_booking(conn, booking_id)
        if current is None:
            return None
        new_date = changes.get("date", str(current["date"]))
        new_time = changes.get("time", str(current["time"]))
        if (new_date, new_time) != (current["date"], current["time"]):
            _check_slot(conn, date.fromisoformat(new_date), new_time, ignore_id=booking_id)
        for column in ("date", "time", "title", "attendee"):
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
