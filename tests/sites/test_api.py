from __future__ import annotations

from typing import Any

import httpx
import pytest

from sites.booking.rules import SLOTS
from sites.booking.widgets import NODE_MODULES
from tests.sites.sample import ADMIN, FIXTURE, episode, full_day

T1 = episode("t1")
T2 = episode("t2")


async def test_config_reports_the_fixture_today(seeded: httpx.AsyncClient) -> None:
    response = await seeded.get("/api/config", headers=T1)
    assert response.json() == {
        "today": "2026-11-23",
        "date_widget": {"name": "calendar", "styles": [], "scripts": []},
        "select_widget": {"name": "native", "styles": [], "scripts": []},
    }


async def test_config_names_the_fixture_date_widget_and_its_files(
    client: httpx.AsyncClient,
) -> None:
    fixture = {**FIXTURE, "date_widget": "pikaday", "select_widget": "tom-select"}
    assert (await client.put("/_admin/tenants/t1", json=fixture, headers=ADMIN)).status_code == 204
    config = (await client.get("/api/config", headers=T1)).json()
    assert config["date_widget"] == {
        "name": "pikaday",
        "styles": ["/vendor/pikaday/css/pikaday.css"],
        "scripts": ["/vendor/pikaday/pikaday.js"],
    }
    assert config["select_widget"] == {
        "name": "tom-select",
        "styles": ["/vendor/tom-select/dist/css/tom-select.default.min.css"],
        "scripts": ["/vendor/tom-select/dist/js/tom-select.complete.min.js"],
    }
    for widget in (config["date_widget"], config["select_widget"]):
        for url in widget["styles"] + widget["scripts"]:
            served = await client.get(url)
            assert served.status_code == 200, url
            assert served.content == (NODE_MODULES / url.removeprefix("/vendor/")).read_bytes()
    # the widgets are settings of the tenant's own, not rows an agent's change could touch
    settings = (await client.get("/_admin/tenants/t1/state", headers=ADMIN)).json()["settings"]
    assert settings["date_widget"] == {"key": "date_widget", "value": "pikaday"}
    assert settings["select_widget"] == {"key": "select_widget", "value": "tom-select"}


@pytest.mark.parametrize(
    "path",
    [
        "/vendor/pikaday/package.json",
        "/vendor/pikaday/../../widgets.py",
        "/vendor/flatpickr/dist/flatpickr.js",
        "/vendor/left-pad/index.js",
    ],
)
async def test_vendor_serves_only_the_widget_files(client: httpx.AsyncClient, path: str) -> None:
    assert (await client.get(path)).status_code == 404


async def test_request_without_episode_uses_default_tenant(client: httpx.AsyncClient) -> None:
    await client.put("/_admin/tenants/default", json={"today": "2030-01-02"}, headers=ADMIN)
    assert (await client.get("/api/config")).json()["today"] == "2030-01-02"


@pytest.mark.parametrize("tenant", ["", "a/b", "x" * 81, "with space"])
async def test_bad_episode_header_is_400(client: httpx.AsyncClient, tenant: str) -> None:
    response = await client.get("/api/bookings", headers={"X-Gymfuzz-Episode": tenant})
    assert response.status_code == 400
    assert response.json()["error"].startswith("X-Gymfuzz-Episode: tenant: expected 1-80")


async def test_availability_applies_every_rule(seeded: httpx.AsyncClient) -> None:
    response = await seeded.get("/api/availability?month=2026-12", headers=T1)
    assert response.status_code == 200
    body = response.json()
    assert body["month"] == "2026-12"
    days = {d["date"]: d["available"] for d in body["days"]}
    assert len(days) == 31 and body["days"][0]["date"] == "2026-12-01"
    assert days["2026-12-01"] is True
    assert days["2026-12-02"] is True  # one slot booked, the others free
    assert days["2026-12-05"] is False  # Saturday
    assert days["2026-12-06"] is False  # Sunday
    assert days["2026-12-08"] is False  # closed
    november = (await seeded.get("/api/availability?month=2026-11", headers=T1)).json()
    past = {d["date"]: d["available"] for d in november["days"]}
    assert past["2026-11-20"] is False and past["2026-11-23"] is True  # before today / today


async def test_a_fully_booked_day_is_unavailable(client: httpx.AsyncClient) -> None:
    fixture = {**FIXTURE, "bookings": FIXTURE["bookings"] + full_day("2026-12-03", 20)}
    assert (await client.put("/_admin/tenants/t1", json=fixture, headers=ADMIN)).status_code == 204
    body = (await client.get("/api/availability?month=2026-12", headers=T1)).json()
    days = {d["date"]: d["available"] for d in body["days"]}
    assert (days["2026-12-02"], days["2026-12-03"], days["2026-12-04"]) == (True, False, True)
    slots = (await client.get("/api/slots?date=2026-12-03", headers=T1)).json()["slots"]
    assert [s["available"] for s in slots] == [False] * 7
    post = {"date": "2026-12-03", "time": "16:00", "title": "T", "attendee": "A"}
    response = await client.post("/api/bookings", json=post, headers=T1)
    assert (response.status_code, response.json()) == (
        409,
        {"error": "date: 2026-12-03 16:00 is already booked"},
    )
    # Freeing one slot makes the day available again, with exactly that slot free.
    assert (await client.delete("/api/bookings/24", headers=T1)).status_code == 204
    body = (await client.get("/api/availability?month=2026-12", headers=T1)).json()
    assert {d["date"]: d["available"] for d in body["days"]}["2026-12-03"] is True
    slots = (await client.get("/api/slots?date=2026-12-03", headers=T1)).json()["slots"]
    assert [s["time"] for s in slots if s["available"]] == ["14:00"]


async def test_slots_of_a_day_with_one_booking(seeded: httpx.AsyncClient) -> None:
    response = await seeded.get("/api/slots?date=2026-12-02", headers=T1)
    assert response.status_code == 200
    assert response.json() == {
        "date": "2026-12-02",
        "slots": [
            {"time": "09:00", "available": True},
            {"time": "10:00", "available": False},  # booking 1
            {"time": "11:00", "available": True},
            {"time": "13:00", "available": True},
            {"time": "14:00", "available": True},
            {"time": "15:00", "available": True},
            {"time": "16:00", "available": True},
        ],
    }


async def test_slots_of_a_free_day_are_all_available(seeded: httpx.AsyncClient) -> None:
    body = (await seeded.get("/api/slots?date=2026-12-03", headers=T1)).json()
    assert body["date"] == "2026-12-03"
    assert [s["time"] for s in body["slots"]] == list(SLOTS)
    assert all(s["available"] is True for s in body["slots"])


@pytest.mark.parametrize(
    "day",
    [
        "2026-12-05",  # Saturday
        "2026-12-06",  # Sunday
        "2026-12-08",  # closed
        "2026-11-20",  # past, and booked at 09:00
        "2026-11-19",  # past, no booking
    ],
)
async def test_slots_of_a_closed_day_are_all_unavailable(
    seeded: httpx.AsyncClient, day: str
) -> None:
    response = await seeded.get(f"/api/slots?date={day}", headers=T1)
    assert response.status_code == 200
    body = response.json()
    assert body["date"] == day
    assert body["slots"] == [{"time": time, "available": False} for time in SLOTS]


async def test_slots_are_per_tenant(seeded: httpx.AsyncClient) -> None:
    body = {"date": "2026-12-03", "time": "13:00", "title": "T", "attendee": "A"}
    assert (await seeded.post("/api/bookings", json=body, headers=T1)).status_code == 201
    t1 = (await seeded.get("/api/slots?date=2026-12-03", headers=T1)).json()["slots"]
    t2 = (await seeded.get("/api/slots?date=2026-12-03", headers=T2)).json()["slots"]
    assert [s["time"] for s in t1 if not s["available"]] == ["13:00"]
    assert [s["time"] for s in t2 if not s["available"]] == []


@pytest.mark.parametrize(
    ("query", "got"),
    [
        ("", "None"),
        ("?date=", "''"),
        ("?date=2026-12-3", "'2026-12-3'"),
        ("?date=2026-02-30", "'2026-02-30'"),
        ("?date=tomorrow", "'tomorrow'"),
        ("?month=2026-12", "None"),
    ],
)
async def test_slots_with_a_bad_date_is_400(
    seeded: httpx.AsyncClient, query: str, got: str
) -> None:
    response = await seeded.get(f"/api/slots{query}", headers=T1)
    assert response.status_code == 400
    assert response.json() == {"error": f"date: expected a date YYYY-MM-DD, got {got}"}


@pytest.mark.parametrize("query", ["", "?month=2026-13", "?month=12-2026", "?month=2026-1"])
async def test_bad_month_is_400(seeded: httpx.AsyncClient, query: str) -> None:
    response = await seeded.get(f"/api/availability{query}", headers=T1)
    assert response.status_code == 400
    assert response.json()["error"].startswith("month: expected a month YYYY-MM, got")


async def test_bookings_are_sorted_by_id(seeded: httpx.AsyncClient) -> None:
    rows = (await seeded.get("/api/bookings", headers=T1)).json()["bookings"]
    assert [r["id"] for r in rows] == [1, 7]
    assert rows[0] == {
        "id": 1,
        "date": "2026-12-02",
        "time": "10:00",
        "title": "Budget review",
        "attendee": "Ann Lee",
    }


async def test_post_creates_row_and_books_the_slot(seeded: httpx.AsyncClient) -> None:
    body = {"date": "2026-12-03", "time": "14:00", "title": "Planning", "attendee": "Cy Dee"}
    response = await seeded.post("/api/bookings", json=body, headers=T1)
    assert response.status_code == 201
    assert response.json() == {"id": 8, **body}
    again = await seeded.post("/api/bookings", json=body, headers=T1)
    assert again.status_code == 409
    assert again.json() == {"error": "date: 2026-12-03 14:00 is already booked"}
    # Another slot of the same day, and the same slot on another day, are still free.
    later = await seeded.post("/api/bookings", json={**body, "time": "15:00"}, headers=T1)
    assert later.status_code == 201 and later.json()["id"] == 9
    other = await seeded.post("/api/bookings", json={**body, "date": "2026-12-04"}, headers=T1)
    assert other.status_code == 201 and other.json()["id"] == 10
    state = (await seeded.get("/_admin/tenants/t1/state", headers=ADMIN)).json()
    assert [(r["date"], r["time"]) for r in state["bookings"].values() if r["id"] >= 8] == [
        ("2026-12-03", "14:00"),
        ("2026-12-03", "15:00"),
        ("2026-12-04", "14:00"),
    ]


async def test_post_to_a_free_slot_of_a_partly_booked_day(seeded: httpx.AsyncClient) -> None:
    body = {"date": "2026-12-02", "time": "09:00", "title": "Early", "attendee": "Eve"}
    response = await seeded.post("/api/bookings", json=body, headers=T1)
    assert (response.status_code, response.json()) == (201, {"id": 8, **body})


async def test_writes_in_one_tenant_are_invisible_in_another(seeded: httpx.AsyncClient) -> None:
    body = {"date": "2026-12-03", "time": "09:00", "title": "Private", "attendee": "Ann"}
    assert (await seeded.post("/api/bookings", json=body, headers=T1)).status_code == 201
    t2_rows = (await seeded.get("/api/bookings", headers=T2)).json()["bookings"]
    assert [r["id"] for r in t2_rows] == [1, 7]
    # ... and the same slot is still free in t2.
    assert (await seeded.post("/api/bookings", json=body, headers=T2)).status_code == 201
    t2_state = (await seeded.get("/_admin/tenants/t2/state", headers=ADMIN)).json()
    assert t2_state["bookings"]["8"]["title"] == "Private"


@pytest.mark.parametrize(
    ("date", "time", "reason"),
    [
        ("2026-12-05", "11:00", "2026-12-05 is a Saturday"),
        ("2026-12-08", "09:00", "2026-12-08 is a closed day"),
        ("2026-11-20", "13:00", "2026-11-20 is in the past (today is 2026-11-23)"),
        ("2026-11-20", "09:00", "2026-11-20 is in the past (today is 2026-11-23)"),
        ("2026-12-02", "10:00", "2026-12-02 10:00 is already booked"),
    ],
)
async def test_post_on_unavailable_slot_is_409(
    seeded: httpx.AsyncClient, date: str, time: str, reason: str
) -> None:
    body = {"date": date, "time": time, "title": "T", "attendee": "A"}
    response = await seeded.post("/api/bookings", json=body, headers=T1)
    assert response.status_code == 409
    assert response.json() == {"error": f"date: {reason}"}
    rows = (await seeded.get("/api/bookings", headers=T1)).json()["bookings"]
    assert [r["id"] for r in rows] == [1, 7]


GOOD = {"date": "2026-12-03", "time": "11:00", "title": "T", "attendee": "A"}
SLOT_LIST = "09:00, 10:00, 11:00, 13:00, 14:00, 15:00, 16:00"


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"time": "11:00", "title": "T", "attendee": "A"}, "date: required field is missing"),
        ({"date": "2026-12-03", "title": "T", "attendee": "A"}, "time: required field is missing"),
        ({**GOOD, "time": "12:00"}, f"time: expected one of the slots {SLOT_LIST}, got '12:00'"),
        ({**GOOD, "time": "9:00"}, f"time: expected one of the slots {SLOT_LIST}, got '9:00'"),
        ({**GOOD, "time": ""}, f"time: expected one of the slots {SLOT_LIST}, got ''"),
        ({**GOOD, "time": 900}, f"time: expected one of the slots {SLOT_LIST}, got 900"),
        ({**GOOD, "time": None}, f"time: expected one of the slots {SLOT_LIST}, got None"),
        ({**GOOD, "title": ""}, "title: expected a non-empty string, got ''"),
        ({**GOOD, "attendee": 5}, "attendee: expected a non-empty string, got 5"),
        ({**GOOD, "date": "2026-12-3"}, "date: expected a date YYYY-MM-DD, got '2026-12-3'"),
        ({**GOOD, "room": "B"}, "room: unknown field (allowed: date, time, title, attendee)"),
        (["not", "an", "object"], "body: expected a JSON object, got ['not', 'an', 'object']"),
    ],
)
async def test_post_with_bad_fields_is_422(
    seeded: httpx.AsyncClient, body: Any, error: str
) -> None:
    response = await seeded.post("/api/bookings", json=body, headers=T1)
    assert response.status_code == 422
    assert response.json() == {"error": error}
    rows = (await seeded.get("/api/bookings", headers=T1)).json()["bookings"]
    assert [r["id"] for r in rows] == [1, 7]


async def test_post_with_invalid_json_is_400(seeded: httpx.AsyncClient) -> None:
    response = await seeded.post("/api/bookings", content=b"{nope", headers=T1)
    assert response.status_code == 400
    assert response.json()["error"].startswith("body: invalid JSON")


async def test_patch_updates_fields(seeded: httpx.AsyncClient) -> None:
    response = await seeded.patch("/api/bookings/1", json={"title": "Budget v2"}, headers=T1)
    assert response.status_code == 200
    assert response.json()["title"] == "Budget v2"
    moved = await seeded.patch(
        "/api/bookings/1", json={"date": "2026-12-09", "attendee": "Al"}, headers=T1
    )
    assert moved.json() == {
        "id": 1,
        "date": "2026-12-09",
        "time": "10:00",  # a new date alone keeps the time
        "title": "Budget v2",
        "attendee": "Al",
    }
    # Re-stating the booking's own slot is not a clash with itself.
    same = await seeded.patch(
        "/api/bookings/1", json={"date": "2026-12-09", "time": "10:00"}, headers=T1
    )
    assert same.status_code == 200


async def test_patch_moves_a_booking_to_a_free_slot(seeded: httpx.AsyncClient) -> None:
    response = await seeded.patch("/api/bookings/1", json={"time": "15:00"}, headers=T1)
    assert response.status_code == 200
    assert response.json() == {
        "id": 1,
        "date": "2026-12-02",
        "time": "15:00",
        "title": "Budget review",
        "attendee": "Ann Lee",
    }
    slots = (await seeded.get("/api/slots?date=2026-12-02", headers=T1)).json()["slots"]
    assert [s["time"] for s in slots if not s["available"]] == ["15:00"]  # 10:00 is free again
    both = await seeded.patch(
        "/api/bookings/1", json={"date": "2026-12-03", "time": "09:00"}, headers=T1
    )
    assert (both.json()["date"], both.json()["time"]) == ("2026-12-03", "09:00")
    state = (await seeded.get("/_admin/tenants/t1/state", headers=ADMIN)).json()
    assert (state["bookings"]["1"]["date"], state["bookings"]["1"]["time"]) == (
        "2026-12-03",
        "09:00",
    )


async def test_patch_to_a_taken_slot_is_409_and_changes_nothing(
    seeded: httpx.AsyncClient,
) -> None:
    other = {"date": "2026-12-02", "time": "13:00", "title": "Other", "attendee": "Oz"}
    assert (await seeded.post("/api/bookings", json=other, headers=T1)).status_code == 201
    before = (await seeded.get("/_admin/tenants/t1/state", headers=ADMIN)).json()
    clash = await seeded.patch(
        "/api/bookings/1", json={"time": "13:00", "title": "Moved"}, headers=T1
    )
    assert (clash.status_code, clash.json()) == (
        409,
        {"error": "date: 2026-12-02 13:00 is already booked"},
    )
    assert (await seeded.get("/_admin/tenants/t1/state", headers=ADMIN)).json() == before


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"time": "12:00"}, f"time: expected one of the slots {SLOT_LIST}, got '12:00'"),
        ({"time": 10}, f"time: expected one of the slots {SLOT_LIST}, got 10"),
        ({"room": "B"}, "room: unknown field (allowed: date, time, title, attendee)"),
    ],
)
async def test_patch_with_bad_fields_is_422(
    seeded: httpx.AsyncClient, body: dict[str, object], error: str
) -> None:
    response = await seeded.patch("/api/bookings/1", json=body, headers=T1)
    assert (response.status_code, response.json()) == (422, {"error": error})
    row = (await seeded.get("/api/bookings", headers=T1)).json()["bookings"][0]
    assert row["time"] == "10:00"


async def test_patch_errors(seeded: httpx.AsyncClient) -> None:
    missing = await seeded.patch("/api/bookings/99", json={"title": "x"}, headers=T1)
    assert (missing.status_code, missing.json()) == (404, {"error": "booking 99 not found"})
    empty = await seeded.patch("/api/bookings/1", json={}, headers=T1)
    assert empty.status_code == 422
    assert empty.json() == {"error": "body: give at least one of date, time, title, attendee"}
    clash = await seeded.patch(
        "/api/bookings/7", json={"date": "2026-12-02", "time": "10:00"}, headers=T1
    )
    assert (clash.status_code, clash.json()) == (
        409,
        {"error": "date: 2026-12-02 10:00 is already booked"},
    )
    past = await seeded.patch("/api/bookings/1", json={"date": "2026-11-20"}, headers=T1)
    assert (past.status_code, past.json()) == (
        409,
        {"error": "date: 2026-11-20 is in the past (today is 2026-11-23)"},
    )


async def test_delete(seeded: httpx.AsyncClient) -> None:
    assert (await seeded.delete("/api/bookings/1", headers=T1)).status_code == 204
    again = await seeded.delete("/api/bookings/1", headers=T1)
    assert (again.status_code, again.json()) == (404, {"error": "booking 1 not found"})
    rows = (await seeded.get("/api/bookings", headers=T1)).json()["bookings"]
    assert [r["id"] for r in rows] == [7]


async def test_page_and_static_files(client: httpx.AsyncClient) -> None:
    page = await client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    needles = ('id="calendar"', 'id="slots"', 'id="selected-time"', 'id="confirm"', 'id="status"')
    for needle in (*needles, 'src="/static/app.js"'):
        assert needle in page.text
    script = await client.get("/static/app.js")
    assert script.status_code == 200 and "addEventListener" in script.text
    assert (await client.get("/static/style.css")).status_code == 200


async def test_unknown_route_is_json_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/nope")
    assert response.status_code == 404
    assert "error" in response.json()
