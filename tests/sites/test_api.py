from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.sites.sample import ADMIN, episode

T1 = episode("t1")
T2 = episode("t2")


async def test_config_reports_the_fixture_today(seeded: httpx.AsyncClient) -> None:
    response = await seeded.get("/api/config", headers=T1)
    assert response.json() == {"today": "2026-11-23"}


async def test_request_without_episode_uses_default_tenant(client: httpx.AsyncClient) -> None:
    await client.put("/_admin/tenants/default", json={"today": "2030-01-02"}, headers=ADMIN)
    assert (await client.get("/api/config")).json() == {"today": "2030-01-02"}


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
    assert days["2026-12-02"] is False  # booked
    assert days["2026-12-05"] is False  # Saturday
    assert days["2026-12-06"] is False  # Sunday
    assert days["2026-12-08"] is False  # closed
    november = (await seeded.get("/api/availability?month=2026-11", headers=T1)).json()
    past = {d["date"]: d["available"] for d in november["days"]}
    assert past["2026-11-20"] is False and past["2026-11-23"] is True  # before today / today


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
        "title": "Budget review",
        "attendee": "Ann Lee",
    }


async def test_post_creates_row_and_books_the_day(seeded: httpx.AsyncClient) -> None:
    body = {"date": "2026-12-03", "title": "Planning", "attendee": "Cy Dee"}
    response = await seeded.post("/api/bookings", json=body, headers=T1)
    assert response.status_code == 201
    assert response.json() == {"id": 8, **body}
    again = await seeded.post("/api/bookings", json=body, headers=T1)
    assert again.status_code == 409
    assert again.json() == {"error": "date: 2026-12-03 is already booked"}
    other = await seeded.post("/api/bookings", json={**body, "date": "2026-12-04"}, headers=T1)
    assert other.status_code == 201 and other.json()["id"] == 9


async def test_writes_in_one_tenant_are_invisible_in_another(seeded: httpx.AsyncClient) -> None:
    body = {"date": "2026-12-03", "title": "Private", "attendee": "Ann"}
    assert (await seeded.post("/api/bookings", json=body, headers=T1)).status_code == 201
    t2_rows = (await seeded.get("/api/bookings", headers=T2)).json()["bookings"]
    assert [r["id"] for r in t2_rows] == [1, 7]
    # ... and the same day is still free in t2.
    assert (await seeded.post("/api/bookings", json=body, headers=T2)).status_code == 201
    t2_state = (await seeded.get("/_admin/tenants/t2/state", headers=ADMIN)).json()
    assert t2_state["bookings"]["8"]["title"] == "Private"


@pytest.mark.parametrize(
    ("date", "reason"),
    [
        ("2026-12-05", "2026-12-05 is a Saturday"),
        ("2026-12-08", "2026-12-08 is a closed day"),
        ("2026-11-20", "2026-11-20 is in the past (today is 2026-11-23)"),
        ("2026-12-02", "2026-12-02 is already booked"),
    ],
)
async def test_post_on_unavailable_day_is_409(
    seeded: httpx.AsyncClient, date: str, reason: str
) -> None:
    body = {"date": date, "title": "T", "attendee": "A"}
    response = await seeded.post("/api/bookings", json=body, headers=T1)
    assert response.status_code == 409
    assert response.json() == {"error": f"date: {reason}"}


GOOD = {"date": "2026-12-03", "title": "T", "attendee": "A"}


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"title": "T", "attendee": "A"}, "date: required field is missing"),
        ({**GOOD, "title": ""}, "title: expected a non-empty string, got ''"),
        ({**GOOD, "attendee": 5}, "attendee: expected a non-empty string, got 5"),
        ({**GOOD, "date": "2026-12-3"}, "date: expected a date YYYY-MM-DD, got '2026-12-3'"),
        ({**GOOD, "room": "B"}, "room: unknown field (allowed: date, title, attendee)"),
        (["not", "an", "object"], "body: expected a JSON object, got ['not', 'an', 'object']"),
    ],
)
async def test_post_with_bad_fields_is_422(
    seeded: httpx.AsyncClient, body: Any, error: str
) -> None:
    response = await seeded.post("/api/bookings", json=body, headers=T1)
    assert response.status_code == 422
    assert response.json() == {"error": error}


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
    assert moved.json() == {"id": 1, "date": "2026-12-09", "title": "Budget v2", "attendee": "Al"}
    # Re-stating the booking's own date is not a clash with itself.
    same = await seeded.patch("/api/bookings/1", json={"date": "2026-12-09"}, headers=T1)
    assert same.status_code == 200


async def test_patch_errors(seeded: httpx.AsyncClient) -> None:
    missing = await seeded.patch("/api/bookings/99", json={"title": "x"}, headers=T1)
    assert (missing.status_code, missing.json()) == (404, {"error": "booking 99 not found"})
    empty = await seeded.patch("/api/bookings/1", json={}, headers=T1)
    assert empty.status_code == 422
    assert empty.json() == {"error": "body: give at least one of date, title, attendee"}
    clash = await seeded.patch("/api/bookings/7", json={"date": "2026-12-02"}, headers=T1)
    assert (clash.status_code, clash.json()) == (
        409,
        {"error": "date: 2026-12-02 is already booked"},
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
    for needle in ('id="calendar"', 'id="confirm"', 'id="status"', 'src="/static/app.js"'):
        assert needle in page.text
    script = await client.get("/static/app.js")
    assert script.status_code == 200 and "addEventListener" in script.text
    assert (await client.get("/static/style.css")).status_code == 200


async def test_unknown_route_is_json_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/nope")
    assert response.status_code == 404
    assert "error" in response.json()
