"""Per-tenant SQLite storage: one database file per tenant, created on first use.

:class:`TenantStore` maps a tenant name to ``<data_dir>/<tenant>.sqlite3``. A tenant opened
without a fixture first gets :func:`~sites.booking.fixture.default_fixture` for the real
current date. All work on one tenant inside this process is serialized by a per-tenant lock
(operations are sub-millisecond), and every write is a single ``BEGIN IMMEDIATE`` transaction,
so readers, including other processes reading the file in WAL mode, see either the state
before a write or after it, never half of it.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from sites.booking.fixture import Fixture, default_fixture
from sites.booking.widgets import DEFAULTS

#: Valid tenant names (the value of the ``X-Gymfuzz-Episode`` header).
TENANT_RE = re.compile(r"[A-Za-z0-9_.-]{1,80}")

#: The tenant of requests that carry no ``X-Gymfuzz-Episode`` header.
DEFAULT_TENANT = "default"

SCHEMA = (
    "CREATE TABLE bookings (id INTEGER PRIMARY KEY AUTOINCREMENT, date TEXT NOT NULL,"
    " time TEXT NOT NULL, title TEXT NOT NULL, attendee TEXT NOT NULL, UNIQUE (date, time))",
    "CREATE TABLE closed_days (date TEXT PRIMARY KEY)",
    "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT)",
    "CREATE TABLE flights (number TEXT NOT NULL, date TEXT NOT NULL, origin TEXT NOT NULL,"
    " destination TEXT NOT NULL, depart TEXT NOT NULL, arrive TEXT NOT NULL,"
    " stops INTEGER NOT NULL, basic INTEGER NOT NULL, standard INTEGER NOT NULL,"
    " flex INTEGER NOT NULL, PRIMARY KEY (number, date))",
    "CREATE TABLE trips (id INTEGER PRIMARY KEY AUTOINCREMENT, reference TEXT NOT NULL,"
    " flight TEXT NOT NULL, date TEXT NOT NULL, fare TEXT NOT NULL, price INTEGER NOT NULL,"
    " passenger TEXT NOT NULL, email TEXT NOT NULL, card_last4 TEXT NOT NULL)",
    "CREATE TABLE preferences (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE emails (id INTEGER PRIMARY KEY AUTOINCREMENT, folder TEXT NOT NULL,"
    " sender TEXT NOT NULL, recipient TEXT NOT NULL, subject TEXT NOT NULL, body TEXT NOT NULL)",
)

#: Version of :data:`SCHEMA`, kept in the database's ``user_version``. A tenant database of
#: another version (made by an older site) is rebuilt from the default fixture when opened.
SCHEMA_VERSION = 2

#: JSON-compatible table dump: ``{table: {primary key as str: {column: value}}}``.
State = dict[str, dict[str, dict[str, object]]]


def check_tenant(name: str) -> str:
    """Return *name* if it is a valid tenant name, else raise ``ValueError`` quoting it."""
    if not TENANT_RE.fullmatch(name):
        raise ValueError(f"tenant: expected 1-80 characters of A-Z a-z 0-9 _ . -, got {name!r}")
    return name


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """A write transaction taken up front (``BEGIN IMMEDIATE``), rolled back on error."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.rollback()
        raise
    conn.commit()


def _user_tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " ORDER BY name"
    ).fetchall()
    return [str(row[0]) for row in rows]


def _load(conn: sqlite3.Connection, fixture: Fixture) -> None:
    """Drop every table and rebuild it from *fixture*; call inside a transaction."""
    for table in _user_tables(conn):
        conn.execute(f'DROP TABLE "{table}"')
    for statement in SCHEMA:
        conn.execute(statement)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    conn.execute("INSERT INTO settings (key, value) VALUES ('today', ?)", (fixture.today,))
    # A widget is stored only when it is not the default: a default tenant's state is unchanged.
    for key, default in DEFAULTS.items():
        value = getattr(fixture, key)
        if value != default:
            conn.execute("INSERT INTO settings (key, value) VALUES (?, ?)", (key, value))
    conn.executemany(
        "INSERT INTO closed_days (date) VALUES (?)", [(d,) for d in fixture.closed_days]
    )
    conn.executemany(
        "INSERT INTO bookings (id, date, time, title, attendee) VALUES (?, ?, ?, ?, ?)",
        [(b.id, b.date, b.time, b.title, b.attendee) for b in fixture.bookings],
    )
    conn.executemany(
        "INSERT INTO flights (number, date, origin, destination, depart, arrive, stops,"
        " basic, standard, flex) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [f.row() for f in fixture.flights],
    )
    conn.executemany(
        "INSERT INTO trips (id, reference, flight, date, fare, price, passenger, email,"
        " card_last4) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [t.row() for t in fixture.trips],
    )
    conn.executemany(
        "INSERT INTO preferences (key, value) VALUES (?, ?)", fixture.preferences.items()
    )
    conn.executemany(
        "INSERT INTO emails (id, folder, sender, recipient, subject, body)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [(m.id, m.folder, m.sender, m.recipient, m.subject, m.body) for m in fixture.emails],
    )


def _current(conn: sqlite3.Connection) -> bool:
    """Whether the database holds this site's schema (a new file holds nothing)."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    return bool(version == SCHEMA_VERSION and "settings" in _user_tables(conn))


def _primary_key(conn: sqlite3.Connection, table: str) -> list[str]:
    columns = conn.execute(f'PRAGMA table_info("{table}")').fetchall()
    keyed = sorted((int(col["pk"]), str(col["name"])) for col in columns if col["pk"])
    return [name for _, name in keyed] or ["rowid"]


class TenantStore:
    """The tenants' databases under one data directory.

    Args:
        data_dir: Directory holding one ``<tenant>.sqlite3`` per tenant; created if missing.
    """

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        data_dir.mkdir(parents=True, exist_ok=True)
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()

    def path(self, tenant: str) -> Path:
        """The database file of *tenant* (which must be a valid tenant name)."""
        return self.data_dir / f"{check_tenant(tenant)}.sqlite3"

    def _lock(self, tenant: str) -> threading.Lock:
        with self._locks_guard:
            return self._locks.setdefault(tenant, threading.Lock())

    @contextmanager
    def _raw(self, tenant: str) -> Iterator[sqlite3.Connection]:
        path = self.path(tenant)
        with self._lock(tenant):
            conn = sqlite3.connect(path, isolation_level=None, timeout=10.0)
            try:
                conn.row_factory = sqlite3.Row
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
                yield conn
            finally:
                conn.close()

    @contextmanager
    def open(self, tenant: str) -> Iterator[sqlite3.Connection]:
        """A connection to *tenant*'s database, initialized with the default fixture if new.

        A database of another :data:`SCHEMA_VERSION` is rebuilt from the default fixture.
        The connection is in autocommit mode: wrap writes in :func:`transaction`. Hold it
        only briefly; it serializes all other work on the same tenant.
        """
        with self._raw(tenant) as conn:
            if not _current(conn):
                with transaction(conn):
                    # Re-check under the write lock: another process may have won the race.
                    if not _current(conn):
                        _load(conn, default_fixture(date.today()))
            yield conn

    def reset(self, tenant: str, fixture: Fixture) -> None:
        """Replace *tenant*'s whole database with exactly *fixture*, in one transaction."""
        with self._raw(tenant) as conn, transaction(conn):
            _load(conn, fixture)

    def delete(self, tenant: str) -> None:
        """Remove *tenant*'s database files; the next use starts from the default fixture."""
        path = self.path(tenant)
        with self._lock(tenant):
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)

    def state(self, tenant: str) -> State:
        """Every table of *tenant*, rows keyed by primary key (as a string), from one snapshot."""
        with self.open(tenant) as conn:
            conn.execute("BEGIN")
            try:
                return {table: _dump_table(conn, table) for table in _user_tables(conn)}
            finally:
                conn.rollback()


def _dump_table(conn: sqlite3.Connection, table: str) -> dict[str, dict[str, object]]:
    key = _primary_key(conn, table)
    order = ", ".join(f'"{k}"' for k in key)
    select = "rowid AS rowid, *" if key == ["rowid"] else "*"
    dump: dict[str, dict[str, object]] = {}
    for row in conn.execute(f'SELECT {select} FROM "{table}" ORDER BY {order}'):
        record: dict[str, object] = dict(row)
        dump["/".join(str(record[k]) for k in key)] = record
    return dump
