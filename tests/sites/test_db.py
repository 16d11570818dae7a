from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import pytest

from sites.booking import bookings
from sites.booking.db import TenantStore, check_tenant
from sites.booking.fixture import parse_fixture
from tests.sites.sample import FIXTURE


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
        bookings.create_booking(conn, date(2026, 12, 3), "Gone after reset", "Ann")
    store.reset("t", parse_fixture(FIXTURE))
    assert store.state("t") == {
        "bookings": {
            "1": {"id": 1, "date": "2026-12-02", "title": "Budget review", "attendee": "Ann Lee"},
            "7": {"id": 7, "date": "2026-11-20", "title": "Kick-off", "attendee": "Bo Chen"},
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


def test_new_ids_continue_after_the_fixture_max(store: TenantStore) -> None:
    store.reset("t", parse_fixture(FIXTURE))
    with store.open("t") as conn:
        row = bookings.create_booking(conn, date(2026, 12, 3), "Plan", "Cy")
    assert row["id"] == 8
    # A second reset to a fixture with smaller ids restarts the sequence too.
    store.reset("t", parse_fixture({"today": "2026-11-23"}))
    with store.open("t") as conn:
        assert bookings.create_booking(conn, date(2026, 12, 3), "Plan", "Cy")["id"] == 1


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
        bookings.create_booking(conn, date(2026, 12, 3), "Only in a", "Ann")
    assert "8" in store.state("a")["bookings"]
    assert "8" not in store.state("b")["bookings"]


def test_failed_write_leaves_no_trace(store: TenantStore) -> None:
    store.reset("t", parse_fixture(FIXTURE))
    before = store.state("t")
    with store.open("t") as conn, pytest.raises(bookings.Unavailable):
        bookings.create_booking(conn, date(2026, 12, 2), "Clash", "Bo")
    assert store.state("t") == before


def test_concurrent_bookings_of_one_day_book_it_once(store: TenantStore) -> None:
    store.reset("t", parse_fixture(FIXTURE))
    outcomes: list[str] = []

    def book() -> None:
        try:
            with store.open("t") as conn:
                bookings.create_booking(conn, date(2026, 12, 4), "Race", "Dee")
            outcomes.append("ok")
        except bookings.Unavailable:
            outcomes.append("unavailable")

    threads = [threading.Thread(target=book) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok"] + ["unavailable"] * 7


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
