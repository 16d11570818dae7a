from __future__ import annotations

import sqlite3
import threading
from datetime import date
from pathlib import Path

import pytest

from sites.booking import bookings
from sites.booking.db import SCHEMA_VERSION, TenantStore, check_tenant
from sites.booking.fixture import default_fixture, parse_fixture
from sites.booking.rules import SLOTS
from tests.sites.sample import FIXTURE, FIXTURE_STATE


@pytest.fixture
def store(tmp_path: Path) -> TenantStore:
    return TenantStore(tmp_path / "data")


@pytest.mark.parametrize("name", ["default", "ep-1.retry_2", "x" * 80])
def test_check_tenant_accepts(name: str) -> None:
    assert check_tenant(name) == name


@pytest.mark.parametrize("name", ["", "a/b", "../x", "sp ace", "é", "x" * 81])
def test_check_tenant_rejects(name: str) -> None:
    with pytest.raises(ValueError, match=r"^tenant: expected 1-80 characters"):
        check_tenant(name)


def test_first_use_creates_file_with_default_fixture(store: TenantStore) -> None:
    assert not store.path("fresh").exists()
    state = store.state("fresh")
    assert store.path("fresh").exists()
    assert state["settings"] == {"today": {"key": "today", "value": date.today().isoformat()}}
    assert sorted(state["bookings"]) == ["1", "2"]
    assert state["closed_days"] == {}


def test_reset_gives_exactly_the_fixture(store: TenantStore) -> None:
    store.reset("t", parse_fixture({"today": "2026-11-23", "closed_days": ["2026-12-24"]}))
    with store.open("t") as conn:
        bookings.create_booking(conn, date(2026, 12, 3), "09:00", "Gone after reset", "Ann")
    store.reset("t", parse_fixture(FIXTURE))
    assert store.state("t") == FIXTURE_STATE


def test_new_ids_continue_after_the_fixture_max(store: TenantStore) -> None:
    store.reset("t", parse_fixture(FIXTURE))
    with store.open("t") as conn:
        row = bookings.create_booking(conn, date(2026, 12, 3), "09:00", "Plan", "Cy")
    assert row["id"] == 8
    # A second reset to a fixture with smaller ids restarts the sequence too.
    store.reset("t", parse_fixture({"today": "2026-11-23"}))
    with store.open("t") as conn:
        assert bookings.create_booking(conn, date(2026, 12, 3), "09:00", "Plan", "Cy")["id"] == 1


def test_delete_removes_files_and_next_use_starts_fresh(store: TenantStore) -> None:
    store.reset("t", parse_fixture(FIXTURE))
    store.delete("t")
    assert list(store.data_dir.iterdir()) == []
    assert store.state("t")["settings"]["today"]["value"] == date.today().isoformat()
    store.delete("never-used")  # deleting an absent tenant is fine


def test_tenants_are_isolated(store: TenantStore) -> None:
    for tenant in ("a", "b"):
        store.reset(tenant, parse_fixture(FIXTURE))
    with store.open("a") as conn:
        bookings.create_booking(conn, date(2026, 12, 3), "11:00", "Only in a", "Ann")
    assert "8" in store.state("a")["bookings"]
    assert "8" not in store.state("b")["bookings"]


def test_failed_write_leaves_no_trace(store: TenantStore) -> None:
    store.reset("t", parse_fixture(FIXTURE))
    before = store.state("t")
    with store.open("t") as conn, pytest.raises(bookings.Unavailable):
        bookings.create_booking(conn, date(2026, 12, 2), "10:00", "Clash", "Bo")
    with store.open("t") as conn, pytest.raises(bookings.Unavailable):
        bookings.update_booking(conn, 7, {"date": "2026-12-02", "time": "10:00"})
    assert store.state("t") == before


def test_concurrent_bookings_of_one_slot_book_it_once(store: TenantStore) -> None:
    store.reset("t", parse_fixture(FIXTURE))
    outcomes: list[str] = []

    def book() -> None:
        try:
            with store.open("t") as conn:
                bookings.create_booking(conn, date(2026, 12, 4), "13:00", "Race", "Dee")
            outcomes.append("ok")
        except bookings.Unavailable as exc:
            outcomes.append(str(exc))

    threads = [threading.Thread(target=book) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["2026-12-04 13:00 is already booked"] * 7 + ["ok"]
    booked = [(r["date"], r["time"]) for r in store.state("t")["bookings"].values()]
    assert booked.count(("2026-12-04", "13:00")) == 1


def test_concurrent_bookings_of_different_slots_all_succeed(store: TenantStore) -> None:
    store.reset("t", parse_fixture(FIXTURE))
    errors: list[Exception] = []

    def book(time: str) -> None:
        try:
            with store.open("t") as conn:
                bookings.create_booking(conn, date(2026, 12, 4), time, "Slot", "Dee")
        except Exception as exc:  # any failure is reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=book, args=(time,)) for time in SLOTS]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with store.open("t") as conn:
        assert [s["available"] for s in bookings.slots(conn, date(2026, 12, 4))] == [False] * 7
        assert bookings.availability(conn, 2026, 12)[3] == {
            "date": "2026-12-04",
            "available": False,
        }


def test_the_table_keeps_one_booking_per_slot(store: TenantStore) -> None:
    # The UNIQUE (date, time) constraint holds even for a write that skips the slot check.
    store.reset("t", parse_fixture(FIXTURE))
    with store.open("t") as conn, pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        conn.execute(
            "INSERT INTO bookings (date, time, title, attendee)"
            " VALUES ('2026-12-02', '10:00', 'Twin', 'Tw')"
        )


def test_readers_never_see_half_a_reset(store: TenantStore) -> None:
    small = parse_fixture({"today": "2026-11-23"})
    big = parse_fixture(FIXTURE)
    store.reset("t", small)
    seen: set[int] = set()
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            state = store.state("t")
            seen.add(len(state["bookings"]) + len(state["closed_days"]))

    reader = threading.Thread(target=read)
    reader.start()
    for i in range(30):
        store.reset("t", big if i % 2 else small)
    stop.set()
    reader.join()
    assert seen <= {0, 3}


def _old_site_database(path: Path, version: int) -> None:
    """A database as an older site left it: bookings without a time, given user_version."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    try:
        conn.executescript(
            "CREATE TABLE bookings (id INTEGER PRIMARY KEY AUTOINCREMENT, date TEXT NOT NULL"
            " UNIQUE, title TEXT NOT NULL, attendee TEXT NOT NULL);"
            "CREATE TABLE closed_days (date TEXT PRIMARY KEY);"
            "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT);"
            "INSERT INTO settings VALUES ('today', '2020-01-06');"
            "INSERT INTO closed_days VALUES ('2020-01-07');"
            "INSERT INTO bookings (id, date, title, attendee)"
            " VALUES (5, '2020-01-08', 'Old', 'Ola');"
            f"PRAGMA user_version = {version};"
        )
        conn.commit()
    finally:
        conn.close()


def test_schema_version_is_stored(store: TenantStore) -> None:
    assert SCHEMA_VERSION == 2
    store.reset("t", parse_fixture(FIXTURE))
    with store.open("t") as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


@pytest.mark.parametrize("version", [0, 1, SCHEMA_VERSION + 1])
def test_a_database_of_another_version_is_rebuilt_on_open(store: TenantStore, version: int) -> None:
    _old_site_database(store.path("old"), version)
    expected = default_fixture(date.today())
    free_day = date.fromisoformat(expected.bookings[0].date)  # a weekday, booked at 09:00
    with store.open("old") as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        # The rebuilt tenant works with slots right away.
        row = bookings.create_booking(conn, free_day, "16:00", "N", "Ny")
    state = store.state("old")
    assert state["settings"]["today"]["value"] == expected.today
    assert state["closed_days"] == {}  # nothing of the old data survives
    assert {k: (v["date"], v["time"]) for k, v in state["bookings"].items()} == {
        **{str(b.id): (b.date, b.time) for b in expected.bookings},
        str(row["id"]): (row["date"], "16:00"),
    }
    assert state["emails"] and state["flights"]  # every table of the current schema exists


def test_a_current_database_is_not_rebuilt(store: TenantStore) -> None:
    store.reset("t", parse_fixture(FIXTURE))
    with store.open("t") as conn:
        bookings.create_booking(conn, date(2026, 12, 3), "09:00", "Kept", "Kim")
    with store.open("t") as conn:
        assert [r["title"] for r in bookings.list_bookings(conn)][-1] == "Kept"
