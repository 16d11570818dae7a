"""Travel preferences: the three settings of the Preferences page and their rules.

The ``preferences`` table always holds exactly three rows, one per key:

================  ======================================================  ============
key               allowed values                                          default
================  ======================================================  ============
``seat``          ``aisle``, ``middle``, ``window``                       ``aisle``
``meal``          ``standard``, ``vegetarian``, ``vegan``, ``kosher``,    ``standard``
                  ``halal``, ``gluten_free``
``home_airport``  an IATA code of :data:`sites.booking.airports.CODES`    ``LHR``
================  ======================================================  ============

:func:`check_value` and :func:`parse_preferences` raise ``ValueError`` naming the key and the
value, e.g. ``seat: expected one of aisle, middle, window, got 'x'``.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, fields

from sites.booking.airports import AIRPORTS, CODES

#: Seat choices and their labels, in display order.
SEATS: dict[str, str] = {"aisle": "Aisle", "middle": "Middle", "window": "Window"}

#: Meal choices and their labels, in display order.
MEALS: dict[str, str] = {
    "standard": "Standard",
    "vegetarian": "Vegetarian",
    "vegan": "Vegan",
    "kosher": "Kosher",
    "halal": "Halal",
    "gluten_free": "Gluten-free",
}

#: The preference keys, in display order.
KEYS = ("seat", "meal", "home_airport")

_CITIES = {a.code: a.city for a in AIRPORTS}


class UnknownPreference(KeyError):
    """No preference has this key."""


@dataclass(frozen=True)
class Preferences:
    """The three preferences of a tenant (a fixture's ``preferences``, with defaults)."""

    seat: str = "aisle"
    meal: str = "standard"
    home_airport: str = "LHR"

    def items(self) -> list[tuple[str, str]]:
        """``(key, value)`` pairs in :data:`KEYS` order."""
        return [(f.name, str(getattr(self, f.name))) for f in fields(self)]


def check_value(key: str, value: object, where: str = "") -> str:
    """Return *value* if it is allowed for *key*.

    Raises:
        UnknownPreference: *key* is not one of :data:`KEYS`.
        ValueError: *value* is not allowed; the message starts with ``{where}{key}:``.
    """
    if key not in KEYS:
        raise UnknownPreference(key)
    if key == "home_airport":
        if isinstance(value, str) and value in CODES:
            return value
        raise ValueError(
            f"{where}{key}: expected an IATA airport code the site knows (e.g. LHR), got {value!r}"
        )
    choices = SEATS if key == "seat" else MEALS
    if isinstance(value, str) and value in choices:
        return value
    raise ValueError(f"{where}{key}: expected one of {', '.join(choices)}, got {value!r}")


def label(key: str, value: str) -> str:
    """How the page shows *value*: ``Window``, ``Gluten-free``, ``Lisbon (LIS)``."""
    if key == "home_airport":
        return f"{_CITIES.get(value, value)} ({value})"
    return (SEATS if key == "seat" else MEALS).get(value, value)


def parse_preferences(data: object, where: str = "preferences") -> Preferences:
    """Validate a fixture's ``preferences`` object; missing keys take their defaults."""
    if not isinstance(data, dict):
        raise ValueError(f"{where}: expected an object, got {data!r}")
    values: dict[str, str] = {}
    for key, value in data.items():
        try:
            values[key] = check_value(key, value, f"{where}.")
        except UnknownPreference:
            raise ValueError(
                f"{where}.{key}: unknown field (allowed: {', '.join(sorted(KEYS))})"
            ) from None
    return Preferences(**values)


def get_preferences(conn: sqlite3.Connection) -> dict[str, str]:
    """``{key: value}`` for the three preferences, in :data:`KEYS` order."""
    stored = {str(k): str(v) for k, v in conn.execute("SELECT key, value FROM preferences")}
    return {key: stored[key] for key in KEYS if key in stored}


def set_preference(conn: sqlite3.Connection, key: str, value: str) -> None:
    """Store one already checked preference (a single atomic statement)."""
    conn.execute(
        "INSERT INTO preferences (key, value) VALUES (?, ?)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )
